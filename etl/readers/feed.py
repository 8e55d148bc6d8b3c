"""Reader for RSS and Atom feeds (feedparser): one RawArticle per entry.

feedparser is lenient: a feed that is not well-formed XML ("bozo") still yields whatever
entries it could parse. Those are loaded; when fewer entries were parsed than the file
contains, a `feed_warning` ItemError says how many were lost and why.

Before feedparser sees it, the document is prepared (`prepare`), so that what real feeds
get wrong costs no item and no title, and no feed can make the reader expand entities
without bound:
* entities declared in the feed's own DOCTYPE are expanded here, and only while the whole
  expansion stays under ENTITY_EXPANSION_LIMIT bytes; past it their references are left
  out and the feed recorded (`entity_expansion`): a 112 KB file cannot become a 200 MB
  article, nor a quadratic blow-up take the memory. Either way the declarations are
  removed, so no parser after this expands anything;
* HTML named entities (`&eacute;`, `&nbsp;`, `&rsquo;`: RSS 0.91 declares them through the
  Netscape DTD, many feeds just use them) become numeric references, which XML knows;
  feedparser otherwise drops them silently when the feed has a DOCTYPE;
* a bare `&` ("AT&T") becomes `&amp;` (feedparser's fallback parser reads it as "AT&T;");
* a UTF-8 feed with a few invalid bytes stays UTF-8 (the bytes replaced and counted)
  instead of being decoded whole as another encoding; UTF-16 and UTF-32 feeds are
  transcoded to UTF-8 first, so the steps above see their markup.

An item without a title gets the first sentence of its text as title, and says so in
`extra["title_derived_from"]`.

A JSON Feed (jsonfeed.org, versions 1 and 1.1) is read here too (`read_json_feed`): its
`items` with `title`, `content_html` / `content_text` / `summary`, `url`, `date_published`,
`authors` (or 1.0's `author`) and `language`, item by item as the RSS and Atom entries are.
"""
from __future__ import annotations

import codecs
import html.entities
import json
import re
from collections.abc import Iterator

import feedparser

from etl.errors import EmptyInput, MalformedInput
from etl.model import ItemError, RawArticle
from etl.text import decode_counted, html_fragment_to_text, language_code, normalise_whitespace

FORMAT = "feed"
_ENTRY_TAG = re.compile(rb"<(?:[A-Za-z0-9_]+:)?(?:item|entry)[\s>/]")

# The most a feed's own entities may add to it, all references together (bytes). Real feeds
# declare a few short entities (a copyright sign, a site name); the hostile ones declare one of
# 100 KB and reference it thousands of times.
ENTITY_EXPANSION_LIMIT = 1_000_000
# a title derived from an item's text is cut at this many characters (on a word boundary)
DERIVED_TITLE_CHARS = 160

_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_SUBSET = re.compile(rb"<!DOCTYPE\s[^\[>]*\[(.*?)\]\s*>", re.DOTALL)
_ENTITY_DECL = re.compile(rb"<!ENTITY\s+(%\s+)?([A-Za-z_][\w.:-]*)\s+(?:\"([^\"]*)\"|'([^']*)'|[^>]*)>", re.DOTALL)
_REFERENCE = re.compile(rb"&([A-Za-z_][\w.:-]*);")
_BARE_AMPERSAND = re.compile(rb"&(?!#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z_][\w.:-]*;)")
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}
_HTML_ENTITIES = {name.encode(): f"&#{code};".encode() for name, code in html.entities.name2codepoint.items()}
_CDATA = re.compile(rb"(<!\[CDATA\[.*?\]\]>)", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“‘(])")


# the version key a JSON Feed opens with ("https://jsonfeed.org/version/1.1")
JSON_FEED_VERSION = re.compile(r'"version"\s*:\s*"https?://jsonfeed\.org/version/')
_DOCTYPE_FEED = re.compile(r"<!DOCTYPE\s+(?:[\w-]+:)?(?:rss|feed|rdf)\b", re.IGNORECASE)
_ATOM_ELEMENT = re.compile(r"<(?:[\w-]+:)?feed\b[^>]*\sxmlns(?::[\w-]+)?\s*=\s*[\"']http://www\.w3\.org/2005/Atom[\"']")


# an XML declaration and a feed's root after text the server printed first: a PHP warning
# ("<br />\n<b>Warning</b>: Cannot modify header information - headers already sent …"), a
# debugging line. Feed readers in the wild skip it; an XML parser stops at it.
_LATE_DECLARATION = re.compile(
    rb"<\?xml\s[^>]{0,200}\?>\s*(?:<\?xml-stylesheet[^>]{0,500}\?>\s*|<!--.{0,2000}?-->\s*)*<(?:[\w-]+:)?(?:rss|feed|rdf)\b"
    # no declaration: a root that only a feed has
    rb"|<rss[\s>]|<rdf:RDF\s|<feed\s[^>]{0,500}xmlns\s*=\s*[\"']http://www\.w3\.org/2005/Atom",
    re.IGNORECASE | re.DOTALL)
# the most server output skipped before a feed: a warning or two, not a web page
_LATE_WITHIN = 2048
# what may open a feed before its root: comments and a document type declaration
_LEADING_COMMENTS = re.compile(rb"^(?:<!--.*?-->\s*|<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>\s*)+", re.DOTALL | re.IGNORECASE)


def late_declaration(data: bytes) -> int | None:
    """Where a feed's XML declaration starts when the server printed something before it
    (see _LATE_DECLARATION); None when the document opens with it or holds no such feed."""
    head = data[:8192]
    stripped = _LEADING_COMMENTS.sub(b"", head.lstrip(b"\xef\xbb\xbf \t\r\n"))
    if stripped.startswith(b"<?xml") or stripped.startswith((b"<rss", b"<rdf:RDF", b"<feed")):
        return None
    match = _LATE_DECLARATION.search(head, 0, _LATE_WITHIN + 600)
    return match.start() if match and match.start() <= _LATE_WITHIN else None


def embedded_feed(text: str) -> bool:
    """Whether a document that looks like a web page is a feed: its DOCTYPE names a feed
    (RSS 0.91's Netscape DOCTYPE), or it wraps an Atom <feed> with entries in XHTML (a
    browser's saved feed preview). feedparser reads both as feeds."""
    head = text.lstrip()[:4096]
    if head.startswith("<?xml"):
        head = head[head.find("?>") + 2:].lstrip()
    if _DOCTYPE_FEED.match(head):
        return True
    return "http://www.w3.org/2005/Atom" in text and "<entry" in text and _ATOM_ELEMENT.search(text) is not None


def _transcode(data: bytes) -> tuple[bytes, list[str]]:
    """UTF-8 bytes for a UTF-16/32 feed; a UTF-8 feed with a few invalid bytes kept as UTF-8."""
    notes: list[str] = []
    head = data[:4]
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            break
    else:
        codec = {b"<\x00?\x00": "utf-16-le", b"\x00<\x00?": "utf-16-be"}.get(head)
    if codec is not None:
        text = data.decode(codec, errors="replace")
        text = re.sub(r"^\ufeff?(<\?xml[^>]*?)\s+encoding=[\"'][^\"']*[\"']", r"\1", text, count=1)
        return text.encode("utf-8"), notes
    declared = re.match(rb"\s*<\?xml[^>]*encoding=[\"']([\w.:-]+)", data)
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        return data, notes
    try:
        data.decode("utf-8")
        return data, notes
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if c > "\x7f") - bad
    if bad <= 3 or bad * 20 <= good:     # UTF-8 with a few bad bytes, not another encoding
        notes.append(f"{bad} invalid UTF-8 byte sequence(s) replaced by U+FFFD; the rest of the feed read as UTF-8")
        return text.encode("utf-8"), notes
    return data, notes


def _bound_entities(data: bytes, start: int) -> tuple[bytes, list[str]]:
    """The feed with its own DOCTYPE entities dropped when expanding them would add more than
    ENTITY_EXPANSION_LIMIT bytes (see the module's docstring)."""
    subset = _SUBSET.search(data, 0, start)
    if subset is None:
        return data, []
    values: dict[bytes, bytes] = {}
    for decl in _ENTITY_DECL.finditer(subset.group(1)):
        if not decl.group(1):       # general entities only; parameter entities stay in the DTD
            values.setdefault(decl.group(2), decl.group(3) if decl.group(3) is not None else (decl.group(4) or b""))
    sizes: dict[bytes, float] = {}

    def size(name: bytes, depth: int = 0) -> float:
        if name in sizes:
            return sizes[name]
        if depth > 8 or name not in values:
            return float("inf") if depth > 8 else len(name) + 2
        sizes[name] = float("inf")      # a cycle expands without end
        value = values[name]
        total = len(value) + sum(size(ref, depth + 1) - len(ref) - 2 for ref in _REFERENCE.findall(value))
        sizes[name] = total
        return total

    body = data[subset.end():]
    counts: dict[bytes, int] = {}
    for ref in _REFERENCE.findall(body):
        if ref in values:
            counts[ref] = counts.get(ref, 0) + 1
    total = sum(size(name) * n for name, n in counts.items())
    if total <= ENTITY_EXPANSION_LIMIT:
        # expanded here, within the limit, so that no parser downstream expands anything
        expanded: dict[bytes, bytes] = {}

        def expand(name: bytes) -> bytes:
            if name not in expanded:
                expanded[name] = _REFERENCE.sub(
                    lambda m: expand(m.group(1)) if m.group(1) in values else m.group(0), values[name])
            return expanded[name]

        body = _REFERENCE.sub(lambda m: expand(m.group(1)) if m.group(1) in values else m.group(0), body)
        return data[:subset.start()] + body, []
    described = ", ".join(f"&{name.decode(errors='replace')}; ({n} references)" for name, n in
                          sorted(counts.items(), key=lambda kv: -size(kv[0]) * kv[1])[:3])
    body = _REFERENCE.sub(lambda m: b"" if m.group(1) in values else m.group(0), body)
    note = (f"entity expansion refused: the feed's own entities {described} would add "
            f"{'unbounded' if total == float('inf') else f'{int(total):,}'} bytes, over the "
            f"{ENTITY_EXPANSION_LIMIT:,}-byte limit; their references were left out")
    return data[:subset.start()] + body, [note]


def prepare(data: bytes) -> tuple[bytes, list[str], list[str]]:
    """(the feed as feedparser should read it, notes on what was repaired, entity problems):
    see the module's docstring."""
    data, notes = _transcode(data)
    if (late := late_declaration(data)) is not None:
        skipped = data[:late].strip()
        notes.append(f"{len(skipped)} bytes before the XML declaration skipped (server output: "
                     f"{normalise_whitespace(html_fragment_to_text(skipped.decode('utf-8', 'replace')))[:80]!r})")
        data = data[late:]
    first = _FIRST_ELEMENT.search(data)
    start = first.start() if first else len(data)
    problems: list[str] = []
    if b"<!ENTITY" in data[:start]:
        data, problems = _bound_entities(data, start)
        first = _FIRST_ELEMENT.search(data)
        start = first.start() if first else len(data)
    head, body = data[:start], data[start:]
    if b"&" in body:
        # CDATA sections hold text as it is ("a=1&b=2" in a link): only the markup around them
        parts = _CDATA.split(body)
        for i in range(0, len(parts), 2):
            if b"&" in parts[i]:
                parts[i] = _REFERENCE.sub(_xml_reference, _BARE_AMPERSAND.sub(b"&amp;", parts[i]))
        body = b"".join(parts)
    return head + body, notes, problems


def _xml_reference(match: re.Match) -> bytes:
    name = match.group(1)
    return match.group(0) if name in _XML_ENTITIES else _HTML_ENTITIES.get(name, match.group(0))


def derived_title(body: str) -> str | None:
    """The first sentence of an item's text, for an item that has no title."""
    first = (body or "").strip().split("\n", 1)[0]
    if not first:
        return None
    sentence = _SENTENCE_END.split(first, 1)[0].strip()
    if len(sentence) > DERIVED_TITLE_CHARS:
        cut = sentence[:DERIVED_TITLE_CHARS].rsplit(" ", 1)[0]
        sentence = cut.rstrip(",;:") + "…"
    return sentence or None


def _bozo_reason(exc: BaseException | None) -> str:
    if exc is None:
        return "feed is not well-formed"
    where = ""
    if hasattr(exc, "getLineNumber"):
        try:
            where = f" at line {exc.getLineNumber()}, column {exc.getColumnNumber()}"
        except Exception:
            where = ""
    message = getattr(exc, "getMessage", None)
    text = message() if callable(message) else str(exc)
    return f"{text}{where}"


def _entry_body(entry) -> str:
    """The longest of content / summary, as plain text."""
    candidates = [c.get("value", "") for c in entry.get("content", []) or []]
    candidates.append(entry.get("summary", "") or "")
    best = max(candidates, key=len)
    return html_fragment_to_text(best)


def _entry_extra(entry, feed_link: str | None) -> dict:
    extra = {}
    tags = [t.get("term") for t in entry.get("tags", []) or [] if t.get("term")]
    if tags:
        extra["categories"] = tags
    if entry.get("id") and entry.get("id") != entry.get("link"):
        extra["guid"] = entry["id"]
    if feed_link:
        extra["feed_link"] = feed_link
    return extra


def _text_of(value) -> str:
    return normalise_whitespace(value) if isinstance(value, str) else ""


def _item_article(path: str, item: str, what: str, title: str | None, body: str, extra: dict,
                  **fields) -> RawArticle | ItemError:
    """One feed item (RSS, Atom or JSON Feed) as a RawArticle, titled from its text when it has
    no title; an `empty_item` error when it has neither. `what` names it in the message
    ("entry 3"); `fields` are the RawArticle's url, source, author, published_raw, language."""
    if not title and not body:
        return ItemError(path, item, "empty_item", f"{what} has neither a title nor any text")
    if not title:
        title = derived_title(body)
        extra["title_derived_from"] = "text"
    return RawArticle(input_path=path, item=item, input_format=FORMAT, body=body or title, title=title,
                      extra=extra, **fields)


def read_json_feed(path: str, data: bytes) -> Iterator[RawArticle | ItemError]:
    """RawArticles from a JSON Feed document (see the module's docstring)."""
    document, items = _json_feed_items(path, data)
    source = _text_of(document.get("title")) or None
    feed_language = language_code(_text_of(document.get("language")) or None)
    feed_link = _text_of(document.get("home_page_url")) or None
    for index, entry in enumerate(items, start=1):
        if not isinstance(entry, dict):
            yield ItemError(path, f"item {index}", "empty_item", f"item {index} is not an object")
            continue
        yield _json_feed_article(path, index, entry, source, feed_language, feed_link)


def _json_feed_items(path: str, data: bytes) -> tuple[dict, list]:
    """The JSON Feed document and its items; raises when it has none to read."""
    try:
        document = json.loads(decode_counted(data).text)
    except (ValueError, RecursionError) as exc:
        raise MalformedInput(path, f"JSON Feed could not be parsed: {type(exc).__name__}: {exc}") from exc
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise MalformedInput(path, "JSON Feed has no list of items")
    if not items:
        raise EmptyInput(path, "JSON Feed has no items")
    return document, items


def _json_feed_article(path: str, index: int, entry: dict, source: str | None, feed_language: str | None,
                       feed_link: str | None) -> RawArticle | ItemError:
    item = f"item {_text_of(entry.get('id')) or index}"
    title = normalise_whitespace(html_fragment_to_text(_text_of(entry.get("title")))) or None
    texts = [html_fragment_to_text(_text_of(entry.get("content_html"))), _text_of(entry.get("content_text")),
             _text_of(entry.get("summary"))]
    extra = {"feed_link": feed_link} if feed_link else {}
    tags = [t for t in entry.get("tags") or [] if isinstance(t, str)]
    if tags:
        extra["categories"] = tags
    people = entry.get("authors") or [entry.get("author")]
    names = [_text_of(p.get("name")) for p in people if isinstance(p, dict)] if isinstance(people, list) else []
    return _item_article(
        path, item, f"item {index}", title, max(texts, key=len), extra,
        url=_text_of(entry.get("url")) or _text_of(entry.get("external_url")) or None,
        source=source,
        author="; ".join(n for n in names if n) or None,
        published_raw=_text_of(entry.get("date_published")) or _text_of(entry.get("date_modified")) or None,
        language=language_code(_text_of(entry.get("language")) or None) or feed_language,
    )


def read(path: str, data: bytes) -> Iterator[RawArticle | ItemError]:
    """RawArticles from an RSS/Atom document (or a JSON Feed); raises when no entry could be
    read at all."""
    if not data.strip():
        raise EmptyInput(path, "feed file contains only whitespace")
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        yield from read_json_feed(path, data)
        return
    data, notes, problems = prepare(data)
    for problem in problems:
        yield ItemError(path, "", "entity_expansion", problem)
    parsed = _parse(path, data)
    entries = parsed.get("entries", [])
    in_file = len(_ENTRY_TAG.findall(data))
    feed = parsed.get("feed", {})
    source = normalise_whitespace(feed.get("title", "")) or None
    feed_language = language_code(feed.get("language"))
    feed_link = feed.get("link")
    for note in notes:
        yield ItemError(path, "", "feed_warning", note)
    if parsed.get("bozo") and in_file > len(entries):
        yield ItemError(path, "", "feed_warning",
                        f"{in_file - len(entries)} of {in_file} entries could not be read: "
                        f"{_bozo_reason(parsed.get('bozo_exception'))}")
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        key = entry.get("id") or entry.get("link") or str(index)
        item = f"item {key}"
        if item in seen:
            item = f"item {key} #{index}"
        seen.add(item)
        yield _item_article(
            path, item, f"entry {index}",
            normalise_whitespace(html_fragment_to_text(entry.get("title", "") or "")) or None,
            _entry_body(entry), _entry_extra(entry, feed_link),
            url=entry.get("link") or None,
            source=source,
            author=normalise_whitespace(entry.get("author", "") or "") or None,
            published_raw=entry.get("published") or entry.get("updated") or entry.get("created") or None,
            language=language_code(entry.get("language")) or feed_language,
        )


def _parse(path: str, data: bytes):
    """feedparser's reading of a prepared RSS/Atom document; raises when it found no entry."""
    try:
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # feedparser has raised on hostile input in the past
        raise MalformedInput(path, f"feed could not be parsed: {type(exc).__name__}: {exc}") from exc
    if not parsed.get("entries", []):
        if parsed.get("bozo"):
            raise MalformedInput(path, f"feed XML is not well-formed and no entries could be read: "
                                       f"{_bozo_reason(parsed.get('bozo_exception'))}")
        if not parsed.get("version"):
            raise MalformedInput(path, "not an RSS or Atom feed: no <rss>, <feed> or RDF channel found")
        raise EmptyInput(path, f"{parsed.get('version')} feed has no entries")
    return parsed
