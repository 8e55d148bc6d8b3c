"""Article text -> safe HTML with the evidence for topics, places and people, and the words of
the keyword query, marked.

Article text is data, never markup: it is split at the evidence offsets (character offsets
into the stored title/caption/body) and every piece is passed through `html.escape` before any
tag of ours is added, so `<script>` or markdown inside an article shows literally. The result
is meant for `st.html`, which does not interpret markdown. Search snippets (already escaped,
only <mark> tags) are shown with `st.markdown`, so `snippet_markdown` also neutralises the
markdown and Streamlit syntax the article text may contain.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from dashboard.text import as_text

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
PLACE_COLOUR = "#9ecae1"
PERSON_COLOUR = "#a1d99b"
KEYWORD_COLOUR = "#ffd43b"
KEYWORD_STYLE = f"background:{KEYWORD_COLOUR};font-weight:600;padding:0 1px"


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    label: str        # shown on hover: "topic: Defection"
    colour: str       # background, '#rrggbb' (anything else falls back to yellow)
    keyword: bool = False   # a word of the keyword query: drawn solid, above any evidence


def passage(text: str, start: int, end: int, width: int = 120) -> str:
    """The words around [start, end) of `text`, about `width` characters, with "…" where cut:
    how an evidence item is shown in a table (the database stores offsets, not passages)."""
    if not text or not 0 <= start <= end <= len(text):
        return ""
    room = max(0, width - (end - start)) // 2
    lo, hi = max(0, start - room), min(len(text), end + room)
    if lo > 0:                      # do not start or stop inside a word
        cut = text.find(" ", lo, start)
        lo = cut + 1 if cut != -1 else lo
    if hi < len(text):
        cut = text.rfind(" ", end, hi)
        hi = cut if cut != -1 else hi
    return ("…" if lo > 0 else "") + " ".join(text[lo:hi].split()) + ("…" if hi < len(text) else "")


def keyword_marks(spans, query: str) -> list[Mark]:
    """Marks for the keyword query's words at `spans` (from the search index's highlighter)."""
    label = f"keyword: {query}"
    return [Mark(int(a), int(b), label, KEYWORD_COLOUR, keyword=True) for a, b in spans or []]


def marks_for(field: str, topics, places, entities, colours: dict[str, str],
              labels: dict[str, str]) -> list[Mark]:
    """Marks for one field ('title' | 'caption' | 'body') from the detail's evidence lists."""
    out: list[Mark] = []

    def add(evidence, label, colour):
        for ev in evidence if evidence is not None else []:
            if ev.get("field") == field and ev.get("start") is not None and ev.get("end") is not None:
                out.append(Mark(int(ev["start"]), int(ev["end"]), label, colour))

    for row in topics.itertuples(index=False):
        add(row.evidence, f"topic: {labels.get(row.topic_id, row.topic_id)}",
            colours.get(row.topic_id, "#ffe08a"))
    for row in places.itertuples(index=False):
        add(row.evidence, f"place ({row.role}): {row.name}", PLACE_COLOUR)
    for row in entities.itertuples(index=False):
        add(row.evidence, f"{row.kind}: {row.name}", PERSON_COLOUR)
    return out


def highlight(text: str | None, marks: list[Mark]) -> str:
    """Escaped `text` with <mark> spans. Overlapping evidence marks merge; their labels are
    joined. Keyword marks are drawn on their own words, inside any evidence mark around them."""
    text = text or ""
    keyword = sorted((max(0, m.start), min(len(text), m.end), m.label) for m in marks
                     if m.keyword and m.end > m.start)
    spans = sorted(((max(0, m.start), min(len(text), m.end), m) for m in marks
                    if not m.keyword and m.end > m.start), key=lambda span: span[:2])
    merged: list[list] = []
    for start, end, mark in spans:
        if start >= end:
            continue
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].append(mark)
        else:
            merged.append([start, end, [mark]])
    pieces, pos = [], 0
    for start, end, group in merged:
        pieces.append(_keywords(text, pos, start, keyword))
        colour = group[0].colour if COLOUR.match(group[0].colour) else "#ffe08a"
        title = html.escape("; ".join(dict.fromkeys(m.label for m in group)), quote=True)
        pieces.append(f'<mark style="background:{colour}40;border-bottom:2px solid {colour};'
                      f'padding:0 1px" title="{title}">{_keywords(text, start, end, keyword)}</mark>')
        pos = end
    pieces.append(_keywords(text, pos, len(text), keyword))
    return "".join(pieces)


def _keywords(text: str, start: int, end: int, spans: list[tuple[int, int, str]]) -> str:
    """Escaped text[start:end] with the keyword spans inside it (clipped to it) marked."""
    out, pos = [], start
    for a, b, label in spans:
        a, b = max(a, pos), min(b, end)
        if a >= b:
            continue
        out.append(html.escape(text[pos:a]))
        out.append(f'<mark style="{KEYWORD_STYLE}" title="{html.escape(label, quote=True)}">'
                   f'{html.escape(text[a:b])}</mark>')
        pos = b
    out.append(html.escape(text[pos:end]))
    return "".join(out)


_SNIPPET_PARTS = re.compile(r"(</?mark>|&(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);)")


def snippet_markdown(snippet_html: str) -> str:
    """A search snippet (escaped text with <mark> tags) for `st.markdown(unsafe_allow_html=True)`:
    the tags and HTML entities are kept, the text between them goes through `text.as_text`."""
    return "".join(part if _SNIPPET_PARTS.fullmatch(part) else as_text(part)
                   for part in _SNIPPET_PARTS.split(snippet_html or ""))
