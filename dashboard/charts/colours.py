"""Topic colours: the topics table's own, with a fallback palette for missing or bad values."""
from __future__ import annotations

import pandas as pd

FALLBACK_COLOURS = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2",
                    "#ff9da6", "#9d755d", "#bab0ac"]


def _is_colour(value) -> bool:
    return isinstance(value, str) and len(value) == 7 and value.startswith("#") and all(
        c in "0123456789abcdefABCDEF" for c in value[1:])


def topic_colours(topics: pd.DataFrame) -> dict[str, str]:
    """topic_id -> '#rrggbb' from the topics table, with a fallback palette for bad values."""
    out = {}
    for i, row in enumerate(topics.itertuples(index=False)):
        out[row.topic_id] = row.color if _is_colour(row.color) else FALLBACK_COLOURS[i % len(FALLBACK_COLOURS)]
    return out


def rgba(colour: str, alpha: float) -> str:
    """'#rrggbb' with an opacity, as plotly's rgba() string."""
    return f"rgba({int(colour[1:3], 16)}, {int(colour[3:5], 16)}, {int(colour[5:7], 16)}, {alpha})"
