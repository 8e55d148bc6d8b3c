"""Article text -> safe HTML with the evidence for topics, places and people marked.

Article text is data, never markup: it is split at the evidence offsets (character offsets
into the stored title/caption/body) and every piece is passed through `html.escape` before any
tag of ours is added, so `<script>` or markdown inside an article shows literally. The result
is meant for `st.html`, which does not interpret markdown.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
PLACE_COLOUR = "#9ecae1"
PERSON_COLOUR = "#a1d99b"


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    label: str        # shown on hover: "topic: Defection"
    colour: str       # background, '#rrggbb' (anything else falls back to yellow)


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
    """Escaped `text` with <mark> spans. Overlapping marks merge; their labels are joined."""
    text = text or ""
    spans = sorted((max(0, m.start), min(len(text), m.end), m) for m in marks if m.end > m.start)
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
        pieces.append(html.escape(text[pos:start]))
        colour = group[0].colour if COLOUR.match(group[0].colour) else "#ffe08a"
        title = html.escape("; ".join(dict.fromkeys(m.label for m in group)), quote=True)
        pieces.append(f'<mark style="background:{colour}40;border-bottom:2px solid {colour};'
                      f'padding:0 1px" title="{title}">{html.escape(text[start:end])}</mark>')
        pos = end
    pieces.append(html.escape(text[pos:]))
    return "".join(pieces)
