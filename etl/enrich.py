"""Turns one RawArticle into the rows the store writes: normalised fields, date, dateline,
places, topics, people, fingerprints. Pure composition of the extractors; no I/O after the
extractors are built (once per worker process)."""
from __future__ import annotations

import json
from itertools import islice
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from etl import limits, paths
from etl.dedup import fingerprint
from etl.extract.casualties import casualties
from etl.extract.dateline import dateline as find_dateline
from etl.extract.dates import metadata_date_problem, publication_date
from etl.extract.home_forces import story_countries
from etl.extract.sidecar import sidecar_date_for
from etl.extract.defections import defections
from etl.extract.people import EntityFinder
from etl.extract.places import PlaceFinder
from etl.extract.taxonomy import load_taxonomy
from etl.extract.topics import Tagger
from etl.model import Doc, Entity, Evidence, PlaceMention, RawArticle
from etl.text import is_clean_paragraphs, without_surrogates

_ARABIC = re.compile(r"[\u0600-\u06FF]")
_EN_STOP = re.compile(r"\b(the|and|of|to|in|was|said)\b", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff]")
_PARA_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")
_OUTLET_SUFFIX = re.compile(r"\s+(English( Archive)?|Online|News)$", re.IGNORECASE)


class Enricher:
    """Holds the built extractors. Build once per process: building loads the gazetteer and taxonomy."""

    def __init__(self, taxonomy_path: Path = paths.TAXONOMY, sidecar: dict[str, str] | None = None):
        self.taxonomy = load_taxonomy(taxonomy_path)
        self.tagger = Tagger(self.taxonomy)
        self.places = PlaceFinder()
        self.entities = EntityFinder()
        self.sidecar = sidecar or {}

    def enrich(self, raw: RawArticle, simhash: bool = True) -> dict:
        """All stored fields of one article plus its child rows (topics, places, entities).
        With simhash=False the record carries its "shingles" instead of the "simhash", for the
        caller to fingerprint a whole batch at once (fingerprint.simhash_many)."""
        result = self.enrich_many([raw], simhash)[0]
        if isinstance(result, Exception):
            raise result
        return result

    def enrich_many(self, raws: list[RawArticle], simhash: bool = True) -> list[dict | Exception]:
        """`enrich` of each article, in order; an article an extractor raised on gives that
        exception in its place (the others are unaffected).

        The work runs stage by stage over the whole list (every article's places, then every
        article's topics, ...) instead of article by article: each extractor's tables and
        automata then stay in the CPU caches for the length of a stage, which costs clearly
        less CPU than interleaving them (figures in docs/figures.md). Each article still passes the same
        steps in the same order, so its record, and the first exception it meets, are those
        of an article-by-article run."""
        states: list[_State | Exception] = []
        for raw in raws:
            try:
                states.append(self._prepare(raw, simhash))
            except Exception as exc:  # noqa: BLE001 - handed back in the article's place
                states.append(exc)
        for step in (self._find_places, self._find_topics, self._find_people, self._fill_article,
                     self._find_casualties, self._find_defections):
            for i, st in enumerate(states):
                if isinstance(st, _State):
                    try:
                        step(st)
                    except Exception as exc:  # noqa: BLE001 - as above
                        states[i] = exc
        return [st if isinstance(st, Exception) else self._record(st) for st in states]

    def _prepare(self, raw: RawArticle, simhash: bool) -> "_State":
        replace_surrogates(raw)
        problems = cap_sizes(raw)
        title = clean_line(raw.title or "")
        body = clean_text(raw.body or "")
        caption = clean_text(raw.caption or "")
        dl, dl_text, dl_place_name = _dateline(raw.dateline, body)

        sidecar_raw = sidecar_date_for(self.sidecar, raw.input_path, raw.item) if self.sidecar else None
        if sidecar_raw:
            sidecar_raw = without_surrogates(sidecar_raw)
        pub = publication_date(raw.published_raw, title, body, sidecar_raw)
        problems += date_problems(raw.published_raw, sidecar_raw, pub.source)
        return _State(raw, problems, title, body, caption, dl, dl_text, dl_place_name, pub,
                      Doc(title=title, caption=caption, body=body), simhash)

    def _find_places(self, st: "_State") -> None:
        st.mentions = self.places.find(st.doc, st.dl_place_name)
        st.country, st.region = self.places.primary(st.mentions)
        st.dl_mention = next((m for m in st.mentions if m.role == "dateline"), None)

    def _find_topics(self, st: "_State") -> None:
        st.tags = self.tagger.tag(st.doc, story_countries(st.country, ((m.kind, m.country_code) for m in st.mentions)))

    def _find_people(self, st: "_State") -> None:
        st.ents = self.entities.find(st.doc)

    def _fill_article(self, st: "_State") -> None:
        raw, body, title, pub, dl, dl_mention = st.raw, st.body, st.title, st.pub, st.dl, st.dl_mention
        st.shingles = fingerprint.shingle_words(body or title)
        language = raw.language or guess_language(body)
        st.article = {
            "url": raw.url, "source": normalise_source(raw.source, raw.url, dl.outlet if dl else None),
            "title": title or None, "author": clean_line(raw.author or "") or None,
            "published_at": pub.value, "date_precision": pub.precision, "date_source": pub.source,
            "dateline": st.dl_text, "dateline_place": dl_mention.name if dl_mention else st.dl_place_name,
            "dateline_country": dl_mention.country_code if dl_mention else None,
            "primary_country": st.country, "primary_region": st.region,
            "language": (language or "")[:2].lower() or None,
            "caption": st.caption or None, "media_id": raw.media_id, "body": body,
            "word_count": word_count(body),
            "content_hash": fingerprint.content_hash(title, body),
            "simhash": fingerprint.simhash(st.shingles) if st.simhash else None,
            "input_format": raw.input_format, "input_path": raw.input_path,
            "extra": _extra_json(raw.extra, st.problems),
        }
        st.topics = topic_rows(st.tags)
        st.places = place_rows(st.mentions)

    def _find_casualties(self, st: "_State") -> None:
        st.casualties = casualty_rows(st.doc)

    def _find_defections(self, st: "_State") -> None:
        st.defections = defection_rows(st.doc, st.ents, st.pub.value.year if st.pub.value else None)
        st.entities = entity_rows(st.ents)

    @staticmethod
    def _record(st: "_State") -> dict:
        record = {
            "key": (st.raw.input_path, st.raw.item),
            "article": st.article,
            "topics": st.topics,
            "places": st.places,
            "casualties": st.casualties,
            "defections": st.defections,
            "entities": st.entities,
            "problems": st.problems,
        }
        if not st.simhash:
            record["shingles"] = st.shingles
        return record


class PlacedTagger:
    """Topics of a Doc as the ingest tags them: the places stage finds the story's places
    first (from the body's dateline, as `Enricher` does), and the tagger is told them (a nation's
    own forces at home are no foreign intervention). For evaluations and tools that tag a Doc
    without enriching the whole article."""

    def __init__(self, tagger: Tagger, places: PlaceFinder | None = None):
        self.tagger = tagger
        self.places = places if places is not None else PlaceFinder()

    def home(self, doc: Doc, dateline: str | None = None) -> frozenset[str] | None:
        """The story's countries `Enricher` would pass the tagger for this Doc."""
        dl_place_name = _dateline(dateline, doc.body)[2]
        mentions = self.places.find(doc, dl_place_name)
        country = self.places.primary(mentions)[0]
        return story_countries(country, ((m.kind, m.country_code) for m in mentions))

    def tag(self, doc: Doc, dateline: str | None = None):
        return self.tagger.tag(doc, self.home(doc, dateline))


class _State:
    """One article between the stages of Enricher.enrich_many."""

    __slots__ = ("raw", "problems", "title", "body", "caption", "dl", "dl_text", "dl_place_name", "pub", "doc",
                 "simhash", "mentions", "country", "region", "dl_mention", "tags", "ents", "shingles", "article",
                 "topics", "places", "casualties", "defections", "entities")
    # set by the stages, in this order
    mentions: list
    country: str | None
    region: str | None
    dl_mention: PlaceMention | None
    tags: list
    ents: list
    shingles: list[str]
    article: dict
    topics: list[dict]
    places: list[dict]
    casualties: list[dict]
    defections: list[dict]
    entities: list[dict]

    def __init__(self, raw, problems, title, body, caption, dl, dl_text, dl_place_name, pub, doc, simhash):
        self.raw, self.problems, self.title, self.body, self.caption = raw, problems, title, body, caption
        self.dl, self.dl_text, self.dl_place_name, self.pub, self.doc = dl, dl_text, dl_place_name, pub, doc
        self.simhash = simhash


def _dateline(given: str | None, body: str):
    """(Dateline found in the body or None, the dateline text, the dateline's place name): a
    reader's own dateline is taken as given; otherwise the body's opening is read."""
    dl = None
    dl_text = given
    if dl_text is None:
        dl = find_dateline(body)
        if dl is not None:
            dl_text = ", ".join(x for x in (dl.place, dl.outlet) if x)
    dl_place_name = dl.place if dl else (dl_text.split(",")[0].strip() if dl_text else None)
    return dl, dl_text, dl_place_name


def _extra_json(extra: dict, problems: list[tuple[str, str]]) -> str | None:
    """The unmapped columns as JSON text; None (and a problem) when larger than the body limit."""
    if not extra:
        return None
    text = without_surrogates(json.dumps(extra, ensure_ascii=False, default=str))
    if len(text) > limits.MAX_BODY_CHARS:
        problems.append(("field_too_large", f"extra columns too large: {len(text):,} characters of JSON, "
                                            f"over {limits.MAX_BODY_CHARS:,} (CONFLICT_TRENDS_MAX_BODY_CHARS); not kept"))
        return None
    return text


def place_rows(mentions) -> list[dict]:
    """Place mentions as article_places rows (evidence as Evidence objects, as in topic_rows)."""
    return [{"place_id": m.place_id, "name": m.name, "kind": m.kind, "country_code": m.country_code,
             "region": m.region, "lat": m.lat, "lon": m.lon, "role": m.role,
             "n_mentions": max(1, len(m.evidence)), "evidence": m.evidence} for m in mentions]


def entity_rows(ents) -> list[dict]:
    """People and organisations as article_entities rows."""
    return [{"entity_id": e.entity_id, "name": e.name, "kind": e.kind, "title": e.title,
             "n_mentions": max(1, len(e.evidence)), "evidence": e.evidence} for e in ents]


def figure_rows(doc: Doc, entities, published_year: int | None) -> dict[str, list[dict]]:
    """The casualties and defections child rows of one article (event_no numbers them in
    reading order). `entities` are the people extractor's findings, which name defectors."""
    return {"casualties": casualty_rows(doc), "defections": defection_rows(doc, entities, published_year)}


def casualty_rows(doc: Doc) -> list[dict]:
    return [dict(e.as_row(), event_no=i) for i, e in enumerate(casualties(doc), start=1)]


def defection_rows(doc: Doc, entities, published_year: int | None) -> list[dict]:
    return [dict(d.as_row(), event_no=i) for i, d in enumerate(defections(doc, entities, published_year), start=1)]


def stored_figure_rows(article_id: str, title: str, caption: str, body: str, published_at,
                       entity_rows: list[tuple]) -> dict[str, list[dict]]:
    """figure_rows of an article already in the database (retag, schema upgrade), with its
    stored people: `entity_rows` are article_entities (entity_id, name, kind, title, evidence)."""
    doc = Doc(title=title or "", caption=caption or "", body=body or "")
    sources = {"title": doc.title, "caption": doc.caption, "body": doc.body}
    ents = [Entity(eid, name, kind, etitle,
                   [Evidence(e["field"], e["start"], e["end"], e["text"], sources.get(e["field"], ""))
                    for e in evidence or []])
            for eid, name, kind, etitle, evidence in entity_rows]
    rows = figure_rows(doc, ents, published_at.year if published_at else None)
    return {table: [dict(r, article_id=article_id) for r in part] for table, part in rows.items()}


def topic_rows(tags) -> list[dict]:
    """Topic tags as article_topics rows; "evidence" holds the Evidence objects (the writer
    turns them into the evidence column without making a dict of each)."""
    return [{"topic_id": t.topic_id, "score": float(t.score), "n_matches": len(t.evidence),
             "evidence": t.evidence} for t in tags]


def clean_line(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def clean_text(text: str) -> str:
    """NFC, no control characters, single spaces, paragraphs separated by one blank line."""
    if is_clean_paragraphs(text) or _is_clean(text):
        return text
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    paras = _PARA_BREAK.split(text)
    return "\n\n".join(p for p in (" ".join(p.split()) for p in paras) if p)


def _is_clean(text: str) -> bool:
    """Already in the shape readers are asked to produce (cheap checks, all in C); unlike
    is_clean_paragraphs it lets no-break spaces and other printable-looking characters stay."""
    return ("\r" not in text and "  " not in text and "\t" not in text and "\n\n\n" not in text
            and " \n" not in text and "\n " not in text and text == text.strip()
            and text.replace("\n\n", "").find("\n") < 0 and not _CONTROL.search(text)
            and unicodedata.is_normalized("NFC", text))


def word_count(clean: str) -> int:
    """Words in whitespace-normalised text (single spaces, blank lines between paragraphs)."""
    return clean.count(" ") + clean.count("\n\n") + 1 if clean else 0


def guess_language(text: str) -> str | None:
    """'ar' or 'en' by script and a few English function words; None when unsure."""
    sample = text[:600]
    ar = 0 if sample.isascii() or not _ARABIC.search(sample) else len(_ARABIC.findall(sample))
    if ar > 30 and ar * 2 > len(sample.replace(" ", "")):
        return "ar"
    if sum(1 for _ in islice(_EN_STOP.finditer(sample), 3)) >= 3:
        return "en"
    return None


def normalise_source(source: str | None, url: str | None, dateline_outlet: str | None) -> str | None:
    """Outlet name: as given (minus 'English'/'Online' suffixes), else dateline credit, else URL host."""
    name = clean_line(source or "")
    if ": " in name or " | " in name:
        # feed titles such as "Outlet: Syria and the region" or "Outlet | World news"
        head = re.split(r": | \| ", name, maxsplit=1)[0].strip()
        name = head if len(head) >= 3 else name
    if name:
        return _OUTLET_SUFFIX.sub("", name).strip() or name
    if dateline_outlet:
        return dateline_outlet
    if url:
        host = urlsplit(url).hostname or ""
        return host.removeprefix("www.") or None
    return None


_SHORT_FIELDS = ("title", "url", "source", "author", "caption", "dateline", "published_raw", "language",
                 "media_id")


def _cut(text: str, limit: int) -> str:
    """The first `limit` characters of `text`, ended at the last paragraph break or space in
    their final tenth when there is one (no word cut in half)."""
    head = text[:limit]
    for mark in ("\n\n", " "):
        at = head.rfind(mark, limit - limit // 10)
        if at > 0:
            return head[:at]
    return head


_TEXT_FIELDS = ("body", "item") + _SHORT_FIELDS


def replace_surrogates(raw: RawArticle) -> None:
    """Replace lone surrogates (a JSON "\\ud800" escape makes one; see etl.text) in every text
    field in place: the one place all readers' articles pass before anything reads them as
    UTF-8 (the extractors' automata, Arrow, DuckDB, the index). `extra` is mended as the JSON
    text it is stored as (_extra_json). An attribute test each for ASCII text."""
    for name in _TEXT_FIELDS:
        value = getattr(raw, name)
        if value is not None and not value.isascii():
            mended = without_surrogates(value)
            if mended is not value:
                setattr(raw, name, mended)


def cap_sizes(raw: RawArticle) -> list[tuple[str, str]]:
    """Cut fields over the size limits (limits.MAX_FIELD_CHARS for each short field and string
    value of `extra`, limits.MAX_BODY_CHARS for the body) in place; one (kind, reason) per
    field cut, for the errors table. A few length checks when nothing is over."""
    problems = []
    field_limit, body_limit = limits.MAX_FIELD_CHARS, limits.MAX_BODY_CHARS
    for name in _SHORT_FIELDS:
        value = getattr(raw, name)
        if value is not None and len(value) > field_limit:
            setattr(raw, name, _cut(value, field_limit))
            problems.append(("field_too_large", f"{name} too large: {len(value):,} characters, cut to "
                                                f"{len(getattr(raw, name)):,} (CONFLICT_TRENDS_MAX_FIELD_CHARS)"))
    if raw.body is not None and len(raw.body) > body_limit:
        size = len(raw.body)
        raw.body = _cut(raw.body, body_limit)
        problems.append(("field_too_large", f"body too large: {size:,} characters, cut to {len(raw.body):,} "
                                            f"(CONFLICT_TRENDS_MAX_BODY_CHARS)"))
    for key, value in raw.extra.items():
        if type(value) is str and len(value) > field_limit:
            raw.extra[key] = _cut(value, field_limit)
            problems.append(("field_too_large", f"extra column {key!r} too large: {len(value):,} characters, "
                                                f"cut to {len(raw.extra[key]):,} (CONFLICT_TRENDS_MAX_FIELD_CHARS)"))
    return problems


def date_problems(metadata_raw: str | None, sidecar_raw: str | None, used: str) -> list[tuple[str, str]]:
    """("impossible_date", reason) for each date the input gave that could not be used: the
    metadata's ("1900-02-30") unless it was used, and the sidecar's ("99999-99-99") unless
    it was used or the metadata's was."""
    problems = []
    if used != "metadata":
        reason = metadata_date_reason(metadata_raw)
        if reason:
            problems.append(("impossible_date", reason))
        if sidecar_raw and sidecar_raw.strip() and used != "sidecar":
            problem = metadata_date_problem(sidecar_raw)
            if problem:
                problems.append(("impossible_date", f"sidecar date {sidecar_raw.strip()[:60]!r}: {problem}; "
                                                    f"the article loads without it"))
    return problems


def metadata_date_reason(raw: str | None) -> str | None:
    """A specific reason when a metadata date was present but unusable (for the errors table)."""
    if not raw or not raw.strip():
        return None
    problem = metadata_date_problem(raw)
    if problem:
        return f"publication date {raw.strip()[:60]!r}: {problem}; looked for a date in the text instead"
    return None
