"""Marking the query's words in article text: character spans of matched terms, the text
escaped as HTML with <mark>s, and the best snippet window."""
from __future__ import annotations

import html
from typing import Collection

from dashboard.search.analyzer import Analyzer


SNIPPET_CHARS = 240


def term_spans(text: str, terms: Collection[str], analyzer: Analyzer) -> tuple[list[tuple[int, int]], list[int] | None]:
    """Character spans in `text` of tokens whose index term is in `terms`."""
    norm, positions = analyzer.normalise_with_positions(text)
    spans = []
    if terms:
        for tok in analyzer.words.pre_tokenize(norm).tokens:
            if tok.text in terms:
                a, b = tok.char_offset_from, tok.char_offset_to
                if positions is not None:
                    a, b = positions[a], positions[b - 1] + 1
                spans.append((a, b))
    return spans, positions


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, pos = [], start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(html.escape(text[pos:a]))
        out.append("<mark>" + html.escape(text[a:b]) + "</mark>")
        pos = b
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def marked(text: str, terms: Collection[str], analyzer: Analyzer) -> str:
    """`text` escaped as HTML with every matched word in <mark>."""
    spans, _ = term_spans(text, terms, analyzer)
    return _render(text, spans, 0, len(text))


def snippet(text: str, terms: Collection[str], analyzer: Analyzer, width: int = SNIPPET_CHARS) -> str:
    """The `width`-character window of `text` holding the most distinct matched words."""
    text = " ".join(text.split())
    spans, _ = term_spans(text, terms, analyzer)
    best_start, best_score = 0, 0
    for i, (a, _) in enumerate(spans):
        seen = set()
        for x, y in spans[i:]:
            if y > a + width:
                break
            seen.add(text[x:y].lower())
        if len(seen) > best_score:
            best_start, best_score = a, len(seen)
    start = max(0, best_start - width // 5) if best_score else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < best_start else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    body = _render(text, spans, start, end)
    return ("…" if start else "") + body + ("…" if end < len(text) else "")
