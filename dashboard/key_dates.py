"""Key dates (table key_dates, from the ETL's user-editable file) drawn on time charts: a dotted
line at the period that holds the date and a rotated label beside it, whose hover gives the
date, the full label, the place and the topic. No SQL, no widgets: pages pass the rows from
`Reader.key_dates()` and a figure whose x axis is dates.

Lines sit on the start of the period the date falls in (periods.start), where the charts draw
that period's point or bar, so an event reads against the count it belongs to. Dates in the
same period share one marker. Every value is text from a file: it is HTML-escaped for plotly's
label markup, never interpreted.
"""
from __future__ import annotations

import html
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import periods

NAME = "key_date"          # the `name` of every shape and annotation drawn here (tests find them by it)
LABEL_CHARS = 24           # a label is cut to this many characters on the chart (the hover has it all)
NEAR = 0.03                # key dates closer than this share of the x axis share a label
COLOUR = "#7a5c99"


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def in_range(dates: pd.DataFrame, grain: str, first: pd.Timestamp | None,
             last: pd.Timestamp | None) -> pd.DataFrame:
    """The key dates whose period lies from `first` to `last` (period starts), with column `x`
    (their period's start)."""
    if dates is None or dates.empty or first is None or last is None or pd.isna(first) or pd.isna(last):
        return pd.DataFrame(columns=["event_date", "label", "place", "topic", "x"])
    out = dates.copy()
    out["x"] = [periods.start(d, grain) for d in out["event_date"]]
    return out[(out["x"] >= pd.Timestamp(first)) & (out["x"] <= pd.Timestamp(last))]


def describe(row, topic_labels: dict[str, str] | None = None) -> str:
    """'21 Aug 2013: Ghouta chemical attack (Eastern Ghouta; Chemical weapons)', plain text."""
    topic_labels = topic_labels or {}
    extra = [v for v in (row.place, topic_labels.get(row.topic, row.topic) if isinstance(row.topic, str) else None)
             if isinstance(v, str) and v]
    day = pd.Timestamp(row.event_date)
    return f"{day.day} {day.strftime('%b %Y')}: {row.label}" + (f" ({'; '.join(extra)})" if extra else "")


def draw(fig: go.Figure, dates: pd.DataFrame, grain: str, first, last,
         topic_labels: dict[str, str] | None = None, label_chars: int = LABEL_CHARS) -> go.Figure:
    """Add the key dates from `first` to `last` (period starts on the figure's x axis) to `fig`:
    one line across every panel and one label per run of close key dates, cut to `label_chars`
    (a chart of short panels passes fewer, so a label stays within the top panel). Returns `fig`."""
    shown = _rows_in_range(dates, grain, first, last)
    if not shown:
        return fig
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1, "name": NAME,
               "line": {"color": COLOUR, "width": 1, "dash": "dot"}, "layer": "below"}
              for x in sorted({x for x, _ in shown})]
    labels = []
    for group in _clusters(shown, pd.Timestamp(first), pd.Timestamp(last)):
        rows = [row for _, row in group]
        text = _short(rows[0].label, label_chars) + (f" +{len(rows) - 1}" if len(rows) > 1 else "")
        hover = "<br>".join(html.escape(describe(r, topic_labels)) for r in rows)
        labels.append({"x": group[0][0], "xref": "x", "y": 1, "yref": "paper", "yanchor": "top", "xanchor": "right",
                       "textangle": -90, "text": html.escape(text), "hovertext": hover, "showarrow": False,
                       "name": NAME, "font": {"size": 10, "color": COLOUR},
                       "bgcolor": "rgba(255,255,255,0.75)", "xshift": -1})
    _extend(fig, shapes, labels)
    return fig


def _rows_in_range(dates: pd.DataFrame, grain: str, first, last) -> list[tuple[pd.Timestamp, Any]]:
    """`in_range` as (period start, row) pairs in the table's order. Plain rows, not a frame:
    the pandas indexing per key date and per run cost ~50 ms a chart, more than drawing them."""
    if dates is None or dates.empty or first is None or last is None or pd.isna(first) or pd.isna(last):
        return []
    lo, hi = pd.Timestamp(first), pd.Timestamp(last)
    pairs = ((periods.start(row.event_date, grain), row) for row in dates.itertuples(index=False))
    return [(x, row) for x, row in pairs if lo <= x <= hi]


def _extend(fig: go.Figure, shapes: list[dict], annotations: list[dict]) -> None:
    """Append to the figure's shapes and annotations in one assignment each: add_shape /
    add_annotation re-validate every shape and annotation already there on each call (~0.4 s
    for the two time charts of the Trends page at a million articles). A figure built without
    validation (charts.layout.figure) takes the dicts, written here, as they are."""
    layout = fig.layout
    layout["shapes"] = [*(s.to_plotly_json() for s in layout.shapes), *shapes]
    layout["annotations"] = [*(a.to_plotly_json() for a in layout.annotations), *annotations]


def _clusters(shown: list[tuple[pd.Timestamp, Any]], first: pd.Timestamp,
              last: pd.Timestamp) -> list[list[tuple[pd.Timestamp, Any]]]:
    """Key dates in runs closer than NEAR of the axis to the previous one: each run gets one
    label ("first label +n", all of them in its hover), so rotated labels never overlap."""
    near = (last - first) * NEAR
    out: list[list[tuple[pd.Timestamp, Any]]] = []
    previous = None
    for pair in shown:
        if previous is not None and pair[0] - previous <= near:
            out[-1].append(pair)
        else:
            out.append([pair])
        previous = pair[0]
    return out


def listing(dates: pd.DataFrame, grain: str, first, last,
            topic_labels: dict[str, str] | None = None) -> list[str]:
    """The key dates drawn on a chart from `first` to `last`, as plain lines for a caption or
    a report."""
    return [describe(row, topic_labels) for _, row in _rows_in_range(dates, grain, first, last)]


def on_chart(fig: go.Figure, ctx, period_values, label_chars: int = LABEL_CHARS) -> list[str]:
    """Draw the snapshot's key dates on `fig` when the view shows them (Filters.key_dates), over
    the periods in `period_values` (the chart's x values); returns what was drawn, as lines."""
    if not ctx.filters.key_dates or period_values is None or not len(period_values):
        return []
    values = pd.to_datetime(pd.Series(period_values))
    first, last = values.min(), values.max()
    dates = ctx.reader.key_dates()
    draw(fig, dates, ctx.filters.grain, first, last, ctx.labels, label_chars)
    return listing(dates, ctx.filters.grain, first, last, ctx.labels)
