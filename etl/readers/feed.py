"""Reader for RSS and Atom feeds (feedparser): one RawArticle per entry.

feedparser is lenient: a feed that is not well-formed XML ("bozo") still yields whatever
entries it could parse. Those are loaded; when fewer entries were parsed than the file
contains, a `feed_warning` ItemError says how many were lost and why.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import feedparser

from etl.errors import EmptyInput, MalformedInput
from etl.model import ItemError, RawArticle
from etl.text import html_fragment_to_text, language_code, normalise_whitespace

FORMAT = "feed"
_ENTRY_TAG = re.compile(rb"<(?:[A-Za-z0-9_]+:)?(?:item|entry)[\s>/]")


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


def read(path: str, data: bytes) -> Iterator[RawArticle | ItemError]:
    """RawArticles from an RSS/Atom document; raises when no entry could be read at all."""
    if not data.strip():
        raise EmptyInput(path, "feed file contains only whitespace")
    try:
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # feedparser has raised on hostile input in the past
        raise MalformedInput(path, f"feed could not be parsed: {type(exc).__name__}: {exc}") from exc
    entries = parsed.get("entries", [])
    in_file = len(_ENTRY_TAG.findall(data))
    if not entries:
        if parsed.get("bozo"):
            raise MalformedInput(path, f"feed XML is not well-formed and no entries could be read: "
                                       f"{_bozo_reason(parsed.get('bozo_exception'))}")
        if not parsed.get("version"):
            raise MalformedInput(path, "not an RSS or Atom feed: no <rss>, <feed> or RDF channel found")
        raise EmptyInput(path, f"{parsed.get('version')} feed has no entries")
    feed = parsed.get("feed", {})
    source = normalise_whitespace(feed.get("title", "")) or None
    feed_language = language_code(feed.get("language"))
    feed_link = feed.get("link")
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
        title = normalise_whitespace(html_fragment_to_text(entry.get("title", "") or "")) or None
        body = _entry_body(entry)
        if not title and not body:
            yield ItemError(path, item, "empty_item", f"entry {index} has neither a title nor any text")
            continue
        yield RawArticle(
            input_path=path,
            item=item,
            input_format=FORMAT,
            body=body or title,
            title=title,
            url=entry.get("link") or None,
            source=source,
            author=normalise_whitespace(entry.get("author", "") or "") or None,
            published_raw=entry.get("published") or entry.get("updated") or entry.get("created") or None,
            language=language_code(entry.get("language")) or feed_language,
            extra=_entry_extra(entry, feed_link),
        )
