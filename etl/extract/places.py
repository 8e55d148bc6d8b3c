"""Places in an article: every gazetteer place named, its role, and what the story is about.

One Aho-Corasick pass per field (ahocorasick_rs: Latin and Arabic names in one automaton, so
no script test is needed first) finds every surface form of every place; word boundaries,
a few context vetoes ("Jordan River", "Al Mayadeen TV") and namesake resolution (Tripoli in
Lebanon or Libya) are then decided in Python on the few hits. Names are matched with their
capitalisation ("Turkey", not "turkey"); Arabic names match with or without a one-letter
proclitic (و ب ل ف ك).
"""
from __future__ import annotations

import math
import re
from typing import NamedTuple

import ahocorasick_rs

from etl.gazetteer import FOCUS_COUNTRIES, Gazetteer, Place, load
from etl.model import Doc, Evidence, PlaceMention

FIELDS = ("title", "caption", "body")
FIELD_WEIGHT = {"title": 3.0, "caption": 1.0, "body": 1.0}
DEMONYM_WEIGHT = 0.5
DATELINE_WEIGHT = 0.3
LEAD_WEIGHT = 2.0          # an occurrence in the first LEAD_CHARS of the body
LEAD_CHARS = 400
PLACE_WEIGHT = 2.0         # a city or region, towards its country
CAPITAL_WEIGHT = 0.5       # a national capital towards its country: often it stands for the government
ARABIC_PROCLITICS = "وبلفك"

# Following / preceding words that mean the name is not the place.
VETO_NEXT = {
    "Jordan": {"River", "river", "Valley", "valley"},
    "Al Mayadin": {"TV", "channel", "Channel", "television"},
    "Al-Mayadin": {"TV", "channel", "Channel", "television"},
    "Georgia": {"Tech"},
    "Aleppo": {"soap", "pepper"},
}
VETO_PREV = {"Jordan": {"River", "river", "Michael"}}
# "Xs" is read as the possessive "X's" (scraped text often drops apostrophes), except where
# "Xs" is another word: "Hamas".
NO_POSSESSIVE = {"Hama"}


# "Idlib province", "countryside of Hama", "rural Damascus": the governorate, not the city.
QUALIFIER_AFTER = re.compile(r"'?s? (?:[Pp]rovinces?|[Gg]overnorate|[Cc]ountryside)\b")
QUALIFIER_BEFORE = tuple(f"{w} of " for w in ("province", "Province", "governorate", "Governorate", "countryside",
                                                "Countryside", "suburbs", "outskirts")) + (" rural ", " Rural ", "Reef ", "Rif ")
_QUALIFIER_INITIALS = frozenset("PpGgCc")
NEXT_WORD = re.compile(r" (\w+)")
_SURROGATE = re.compile("[\ud800-\udfff]")


class Candidates(NamedTuple):
    """The places one surface form may mean, the country they all share (if they do), and
    whether the first is a city (which a qualifier such as "province" turns into its region)."""

    places: tuple[Place, ...]
    country: str | None
    city: bool


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06FF"


class PlaceFinder:
    """Built once from the gazetteer; `find` and `primary` are then pure and cheap."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or load()
        # Latin names start with an ASCII capital (names with a diacritic first letter also exist
        # ASCII-folded) or "al-"; Arabic names are in the same automaton: their first bytes are
        # never in Latin text, so they cost nothing there.
        aliases = self.gazetteer.by_alias
        patterns = []
        values = []
        for alias, places in aliases.items():
            arabic = _is_arabic(alias[0])
            if arabic or "A" <= alias[0] <= "Z" or (alias.startswith("al-") and alias[3:] not in aliases
                                                   and alias[3:].capitalize() not in aliases):
                patterns.append(alias)
                possessive = (len(alias) >= 4 and alias[-1] not in "sS" and alias.isascii()
                              and alias not in NO_POSSESSIVE)
                values.append((alias, self._prune(places), arabic, possessive,
                               VETO_NEXT.get(alias), VETO_PREV.get(alias)))
        self._automaton = ahocorasick_rs.AhoCorasick(patterns, store_patterns=False)
        self._values = values
        self._regions = {(p.country_code, p.name): p for p in self.gazetteer.places if p.kind == "region"}
        self._country_names = {p.country_code: p.name for p in self.gazetteer.places if p.kind == "country"}
        self._capitals = frozenset(p.place_id for p in self.gazetteer.places if p.capital)
        self._demonyms = {p.country_code: frozenset(p.aliases) for p in self.gazetteer.places
                          if p.place_id == f"demonym:{p.country_code}"}
        self._datelines: dict[str, tuple[Place, ...]] = {}

    @staticmethod
    def _prune(places: list[Place]) -> Candidates:
        """Namesakes for one surface form, less a region when a city of the same name lies in it
        ("Homs" is the city, which implies the region)."""
        cities = {(p.country_code, p.region) for p in places if p.kind == "city"}
        kept = tuple(p for p in places if not (p.kind == "region" and (p.country_code, p.name) in cities))
        codes = {p.country_code for p in kept if p.strong}
        return Candidates(kept, next(iter(codes)) if len(codes) == 1 else None,
                          bool(kept) and kept[0].kind == "city")

    # -- matching -------------------------------------------------------------------------

    def _hits(self, field: str, text: str, out: list[tuple]) -> None:
        """Append the longest non-overlapping matches on word boundaries to `out`, as
        (field, start, end, candidates, region_qualified)."""
        raw = []
        n = len(text)
        values = self._values
        try:
            matches = self._automaton.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:   # lone surrogates (a JSON "\\ud800" escape): UTF-8 has none
            matches = self._automaton.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text), overlapping=True)
        for pattern, start, end in matches:
            alias, places, arabic, possessive, veto_next, veto_prev = values[pattern]
            if start > 0:
                ch = text[start - 1]
                if ch.isalnum() and not (arabic and ch in ARABIC_PROCLITICS
                                         and (start == 1 or not text[start - 2].isalnum())):
                    continue
            if end < n and text[end].isalnum():
                # Scraped text often drops apostrophes: "Aleppos" is "Aleppo's".
                if not (possessive and text[end] == "s" and (end + 1 == n or not text[end + 1].isalnum())):
                    continue
            if veto_next is not None:
                following = NEXT_WORD.match(text, end)
                if following and following.group(1) in veto_next:
                    continue
            if veto_prev is not None and text[max(0, start - 12):start].rstrip().rsplit(" ", 1)[-1] in veto_prev:
                continue
            raw.append((start, end, places))
        if len(raw) > 1:
            raw.sort(key=_hit_order)
            chosen = []
            last_end = -1
            for hit in raw:
                if hit[0] >= last_end:
                    chosen.append(hit)
                    last_end = hit[1]
            raw = chosen
        for start, end, places in raw:
            qualified = False
            if places.city:
                # QUALIFIER_AFTER needs "'", "s" or " " + P/G/C next: test that before the regex.
                after = None
                nxt = text[end:end + 1]
                if nxt == "'" or nxt == "s" or nxt == " " and text[end + 1:end + 2] in _QUALIFIER_INITIALS:
                    after = QUALIFIER_AFTER.match(text, end)
                if after:
                    end, qualified = after.end(), True
                else:
                    before = text[max(0, start - 16):start]
                    if before.endswith(QUALIFIER_BEFORE):
                        qualifier = next(q for q in QUALIFIER_BEFORE if before.endswith(q))
                        start, qualified = start - len(qualifier.lstrip()), True
            out.append((field, start, end, places, qualified))

    def _resolve(self, candidates: tuple[Place, ...], context: dict[str, float]) -> Place | None:
        """Pick one namesake: its country named elsewhere in the story wins, then size and kind."""
        if len(candidates) == 1:
            only = candidates[0]
            return only if only.strong or only.country_code in context else None
        best, best_score = None, -1.0
        for place in candidates:
            if not place.strong and place.country_code not in context:
                continue
            if place.kind == "country":
                score = 4.0
            elif place.kind == "demonym":
                score = 3.5
            elif place.kind == "region":
                score = 2.5 if place.country_code in FOCUS_COUNTRIES else 1.0
            else:
                score = math.log10(place.population + 10) / 2
            if place.country_code in FOCUS_COUNTRIES:
                score += 0.5
            score += min(context.get(place.country_code, 0.0), 3.0)
            if score > best_score:
                best, best_score = place, score
        return best

    def find(self, doc: Doc, dateline_place: str | None = None) -> list[PlaceMention]:
        """Every place the document names, one mention per (place, role).

        `dateline_place` is the place string of the article's dateline (etl.extract.dateline);
        its first occurrence near the start of the body becomes the "dateline" mention and is
        not counted again as "mentioned".
        """
        title, caption, body = doc.title, doc.caption, doc.body
        hits: list[tuple] = []
        if title:
            self._hits("title", title, hits)
        if caption:
            self._hits("caption", caption, hits)
        if body:
            self._hits("body", body, hits)

        dateline_span = None
        dateline_candidates: tuple[Place, ...] = ()
        if dateline_place:
            dateline_candidates = self._dateline_candidates(dateline_place)
            at = body[:600].casefold().find(dateline_place.casefold())
            if at >= 0:
                dateline_span = (at, at + len(dateline_place))

        # Countries named unambiguously give context for resolving namesakes.
        context: dict[str, float] = {}
        for hit in hits:
            country = hit[3].country
            if country:
                context[country] = context.get(country, 0.0) + 1.0

        grouped: dict[str, tuple[Place, list[Evidence]]] = {}
        resolved: dict[int, Place | None] = {}
        for field, start, end, cands, qualified in hits:
            if dateline_span and field == "body" and start < dateline_span[1] and end > dateline_span[0]:
                continue
            key = id(cands)
            if key in resolved:
                place = resolved[key]
            else:
                place = resolved[key] = self._resolve(cands.places, context)
            if place is None:
                continue
            if qualified and place.kind == "city" and place.region:
                place = self._region_of(place)
            key = f"country:{place.country_code}" if place.kind == "demonym" else place.place_id
            entry = grouped.get(key)
            if entry is None:
                entry = grouped[key] = (place, [])
            text = body if field == "body" else title if field == "title" else caption
            entry[1].append(Evidence(field, start, end, text[start:end], text))

        mentions = []
        if dateline_candidates:
            place = self._resolve(dateline_candidates, context) or dateline_candidates[0]
            if dateline_span:
                ev = [_evidence("body", body, *dateline_span)]
            else:
                ev = []
            mentions.append(self._mention(place, "dateline", ev))
        for place, evidence in grouped.values():
            mentions.append(self._mention(place, "mentioned", evidence))
        return mentions

    def _dateline_candidates(self, name: str) -> tuple[Place, ...]:
        """The places a dateline's place string may mean (demonyms only when nothing else),
        remembered per string: a corpus has few distinct datelines."""
        found = self._datelines.get(name)
        if found is None:
            found = self._prune(self.gazetteer.lookup(name)).places
            if found:
                found = tuple(p for p in found if p.kind != "demonym") or found
            if len(self._datelines) < 10_000:
                self._datelines[name] = found
        return found

    def _region_of(self, city: Place) -> Place:
        """The governorate a qualified city name means; around the capital that is Rif Dimashq."""
        if (city.country_code, city.region) == ("SY", "Damascus"):
            return self._regions.get(("SY", "Rif Dimashq"), city)
        return self._regions.get((city.country_code, city.region), city)

    def _mention(self, place: Place, role: str, evidence: list[Evidence]) -> PlaceMention:
        kind = place.kind
        if kind == "demonym" or kind == "country":
            code = place.country_code
            return PlaceMention(f"country:{code}", self._country_names.get(code, code), "country", code,
                                None, None, None, role, evidence)
        return PlaceMention(place.place_id, place.name, kind, place.country_code, place.region,
                            place.lat, place.lon, role, evidence)

    # -- aboutness ------------------------------------------------------------------------

    def primary(self, mentions: list[PlaceMention], *, dateline_weight: float = DATELINE_WEIGHT
                ) -> tuple[str | None, str | None]:
        """The one country and one ADM1 region the story is about.

        Each occurrence counts for its country and (cities and regions) its region: the title
        three times, the lead paragraph twice. A city or region says more about where
        a story happens than a country name; a demonym ("Syrian") or a capital standing for
        its government ("Ankara said") says less about the country, and the dateline counts only a little,
        because a story filed from Amman is usually about somewhere else.
        """
        # Dicts keep insertion order, so max() over them breaks ties by first mention.
        country_score: dict[str, float] = {}
        region_score: dict[str, dict[str, float]] = {}
        capitals = self._capitals
        demonyms = self._demonyms
        for m in mentions:
            code = m.country_code
            kind = m.kind
            evidence = m.evidence
            if evidence:
                weight = 0.0
                forms = demonyms.get(code) if kind == "country" else None
                for ev in evidence:
                    field = ev.field
                    if field == "body":
                        w = LEAD_WEIGHT if ev.start < LEAD_CHARS else 1.0
                    else:
                        w = FIELD_WEIGHT[field]
                    if forms is not None:
                        text = ev.text
                        if text in forms or (text.endswith("s") and text[:-1] in forms):
                            w *= DEMONYM_WEIGHT
                    weight += w
            else:
                weight = 1.0
            if m.role == "dateline":
                weight *= dateline_weight
            if m.place_id in capitals:
                kind_weight = CAPITAL_WEIGHT
            elif kind == "city" or kind == "region":
                kind_weight = PLACE_WEIGHT
            else:
                kind_weight = 1.0
            country_score[code] = country_score.get(code, 0.0) + weight * kind_weight
            if m.region and (kind == "city" or kind == "region"):
                regions = region_score.get(code)
                if regions is None:
                    regions = region_score[code] = {}
                regions[m.region] = regions.get(m.region, 0.0) + weight
        if not country_score:
            return None, None
        country = max(country_score, key=country_score.__getitem__)
        regions = region_score.get(country)
        region = max(regions, key=regions.__getitem__) if regions else None
        return country, region

    def _is_demonym(self, text: str, country_code: str) -> bool:
        forms = self._demonyms.get(country_code)
        if forms is None:
            return False
        return text in forms or (text.endswith("s") and text[:-1] in forms)


def _hit_order(hit: tuple) -> tuple[int, int]:
    """Sort key for hits: by start, longest first."""
    return hit[0], hit[0] - hit[1]


def _evidence(field: str, text: str, start: int, end: int) -> Evidence:
    return Evidence(field, start, end, text[start:end], text)
