"""The Trends chart: small multiples, one panel per topic on a shared time axis and y scale.

Every clickable point carries `customdata` [topic_id, period ISO date, ...] so the page can map
a click back to its topic and period. Every trace has `meta = {"role": line|context|low_base|
surge, "topic": id}`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.colours import FALLBACK_COLOURS, rgba
from dashboard.charts.layout import TEMPLATE, figure, footer_lines, frame_parts, html_text
from dashboard.periods import UNIT
from dashboard.periods import label as period_label
from dashboard.periods import labels as period_labels

MIN_SHARE_BASE = 10     # a share is drawn as a line only for periods with this many articles
PANEL_HEIGHT = 118      # px per topic panel (small multiples)
SINGLE_PANEL = 320      # px for a chart of one topic
BOTTOM = 34             # px under the lowest panel (its time axis)
# px left of the panels for the y tick labels and the axis title. Given too little, plotly's
# automargin (template plotly_white) widens it after drawing and draws the whole chart a second
# time: ~half the chart's drawing time in the browser on every change.
LEFT = 64
GAP = 34                # px between two panels


@dataclass(frozen=True)
class _Style:
    """What every panel of one chart shares."""
    share: bool
    grain: str
    min_base: int
    ceiling: float | None     # the y scale's top in share mode (None: plotly's own)
    smooth_text: str          # the hover's smoothed-value line ("" without smoothing)


def trend_figure(trend: pd.DataFrame, spikes: pd.DataFrame, labels: dict[str, str],
                 colours: dict[str, str], metric: str, grain: str, smooth: int,
                 title: str = "", footer: str = "", min_base: int = MIN_SHARE_BASE) -> go.Figure:
    """Small multiples: one panel per topic on a shared time axis and a shared y scale.

    Why panels rather than one line per topic: five spiky monthly series over several years
    drawn on one plot cross each other dozens of times and nobody can follow a colour; stacked
    panels keep each topic readable and, with one y scale, still compare their sizes.

    Count: an area per topic. Share: the line is drawn only for periods with at least
    `min_base` articles in the view; smaller periods are grey hollow points on a grey line (a
    share of 2 articles swings between 0 and 100 %), and the y scale fits the reliable periods
    (grey points above it sit on the top edge and say so in their hover). The hover gives the
    count and its denominator. Surges are triangles in their topic's panel. Every trace has
    `meta = {"role": line|context|low_base|surge, "topic": id}`.
    """
    topics = list(dict.fromkeys(trend["topic_id"])) if len(trend) else []
    rows_n = max(1, len(topics))
    share = metric == "share"
    n_footer = footer_lines(footer)
    head, foot, top = frame_parts(title, footer, 0, BOTTOM)
    height, domains = _stacked_panels(rows_n, top, n_footer)
    if head:
        head["y"] = 1 - 10 / height
    reliable, ceiling = _share_scale(trend, share, min_base)
    unit = UNIT.get(grain, grain)
    style = _Style(share, grain, min_base, ceiling,
                   f"<br>{smooth}-{unit} mean: %{{customdata[4]}}" if smooth > 1 else "")
    marks = spikes[spikes["topic_id"].isin(topics)] if len(spikes) else spikes
    y_at = trend.set_index(["topic_id", "period"])["smoothed"] if len(trend) else None
    data: list[dict] = []
    annotations: list[dict] = []
    # the hover's dates and period names for every row at once: formatting dates per topic
    # cost more than the rest of the figure
    if len(trend):
        trend = trend.assign(_iso=trend["period"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
                             _label=period_labels(trend["period"], grain))
    at = trend.groupby("topic_id", sort=False).indices if len(trend) else {}
    for i, topic_id in enumerate(topics, start=1):
        axes = {"xaxis": "x" if i == 1 else f"x{i}", "yaxis": "y" if i == 1 else f"y{i}"}
        rows = trend.iloc[at[topic_id]]
        label = labels.get(topic_id, topic_id)
        colour = colours.get(topic_id, FALLBACK_COLOURS[(i - 1) % len(FALLBACK_COLOURS)])
        data += _topic_traces(rows, reliable[rows.index], topic_id, label, colour, style, axes)
        here = marks[marks["topic_id"] == topic_id] if len(marks) else marks
        if len(here):
            data.append(_surge_trace(here, y_at, topic_id, label, colour, style, axes))
        annotations.append(_panel_heading(label, int(rows["n"].sum()), colour, domains[i - 1][1]))
    if foot:
        annotations.append(foot)
    layout: dict = {
        "template": TEMPLATE, "height": height, "showlegend": False,
        "margin": {"l": LEFT, "r": 14, "t": top + 18, "b": BOTTOM + 16 * n_footer + 8},
        "hovermode": "closest", "clickmode": "event+select", "annotations": annotations,
    }
    if head:
        layout["title"] = head
    layout.update(_panel_axes(domains, share, ceiling))
    return figure(data, layout)


def _stacked_panels(rows_n: int, top: int, n_footer: int) -> tuple[int, list[tuple[float, float]]]:
    """The figure's height and each panel's vertical domain, panels stacked top to bottom on
    one time axis (what make_subplots(shared_xaxes) lays out)."""
    panel = SINGLE_PANEL if rows_n == 1 else PANEL_HEIGHT
    height = top + rows_n * panel + (rows_n - 1) * GAP + BOTTOM + 16 * n_footer + 8
    plot_h = height - top - BOTTOM - 16 * n_footer - 8
    spacing = (GAP / plot_h) if rows_n > 1 else 0.0
    panel_frac = (1 - spacing * (rows_n - 1)) / rows_n
    # clamped: float rounding can leave the bottom edge a hair below 0, which plotly refuses
    domains = [(max(0.0, 1 - (i + 1) * panel_frac - i * spacing), min(1.0, 1 - i * (panel_frac + spacing)))
               for i in range(rows_n)]
    return height, domains


def _share_scale(trend: pd.DataFrame, share: bool, min_base: int) -> tuple[pd.Series, float | None]:
    """(which rows are reliable, the y scale's top): in share mode the periods with at least
    `min_base` articles, and a top that fits them; otherwise every row and no fixed top."""
    reliable = (trend["total"] >= min_base) if share else pd.Series(True, index=trend.index)
    ceiling = None
    if share and reliable.any():
        ceiling = max(float(trend.loc[reliable, "smoothed"].max()), 1.0) * 1.12
    return reliable, ceiling


def _value_texts(rows: pd.DataFrame, style: _Style) -> list[str]:
    """The hover's line about a period's value: the share with its denominator, or the count."""
    min_base = style.min_base
    if style.share:
        return [f"{v:.1f}% — {n:,} of {t:,} articles in the view"
                + ("" if t >= min_base else f"<br>fewer than {min_base} articles: "
                                            "too few for a reliable share")
                for v, n, t in zip(rows["value"], rows["n"], rows["total"])]
    return [f"{n:,} article{'s' if n != 1 else ''} (of {t:,} in the view)"
            for n, t in zip(rows["n"], rows["total"])]


def _hover_data(rows: pd.DataFrame, topic_id: str, style: _Style) -> np.ndarray:
    """customdata per point: topic_id, period ISO date, period label, value text, smoothed value.

    numpy arrays, not lists of Timestamps / lists of lists: the Figure and Streamlit deep-copy
    the data, which costs one copy per array instead of one per value."""
    return np.column_stack([np.full(len(rows), topic_id, dtype=object),
                            rows["_iso"].to_numpy(dtype=object), rows["_label"].to_numpy(dtype=object),
                            np.array(_value_texts(rows, style), dtype=object),
                            np.array([f"{s:.1f}{'%' if style.share else ''}" for s in rows["smoothed"]],
                                     dtype=object)]).astype(str)


def _topic_traces(rows: pd.DataFrame, ok: pd.Series, topic_id: str, label: str, colour: str,
                  style: _Style, axes: dict) -> list[dict]:
    """One topic's panel: in share mode a grey context line and hollow points for the periods
    with too few articles, then the topic's line (an area in count mode)."""
    x = rows["period"].to_numpy()
    custom = _hover_data(rows, topic_id, style)
    hover = (f"<b>{html_text(label)}</b><br>%{{customdata[2]}}<br>%{{customdata[3]}}"
             f"{style.smooth_text}<extra></extra>")
    y = rows["smoothed"].astype(float)
    traces: list[dict] = []
    line_y = y
    if style.share:
        traces += _share_context(x, y, ok, custom, hover, topic_id, style, axes)
        line_y = y.where(ok)
    traces.append({"type": "scatter", "x": x, "y": line_y.to_numpy(dtype=float),
                   "name": label, "mode": "lines+markers", "connectgaps": False,
                   "line": {"color": colour, "width": 2}, "marker": {"size": 4, "color": colour},
                   "fill": None if style.share else "tozeroy", "fillcolor": rgba(colour, 0.12),
                   "customdata": custom, "hovertemplate": hover, "showlegend": False,
                   "meta": {"role": "line", "topic": topic_id}, **axes})
    return traces


def _share_context(x: np.ndarray, y: pd.Series, ok: pd.Series, custom: np.ndarray, hover: str,
                   topic_id: str, style: _Style, axes: dict) -> list[dict]:
    """The grey line under a share (every period, clipped to the scale) and the hollow grey
    points of the periods with fewer than `min_base` articles."""
    shown = y.clip(upper=style.ceiling) if style.ceiling else y
    traces = [{"type": "scatter", "x": x, "y": shown.to_numpy(dtype=float), "mode": "lines",
               "line": {"color": "#c8c8c8", "width": 1}, "hoverinfo": "skip", "showlegend": False,
               "name": "", "meta": {"role": "context", "topic": topic_id}, **axes}]
    low = ~ok
    if low.any():
        keep = low.to_numpy()
        traces.append({"type": "scatter", "x": x[keep],
                       "y": shown[low].to_numpy(dtype=float), "mode": "markers",
                       "name": f"Fewer than {style.min_base} articles",
                       "marker": {"size": 6, "color": "white", "line": {"color": "#9a9a9a", "width": 1.2}},
                       "customdata": custom[keep], "hovertemplate": hover,
                       "showlegend": False, "meta": {"role": "low_base", "topic": topic_id}, **axes})
    return traces


def _surge_trace(here: pd.DataFrame, y_at: pd.Series, topic_id: str, label: str, colour: str,
                 style: _Style, axes: dict) -> dict:
    """The topic's surges as triangles on its line (on the scale's top edge when above it)."""
    ys = [float(y_at.get((r.topic_id, r.period), r.n)) for r in here.itertuples(index=False)]
    if style.ceiling:
        ys = [min(v, style.ceiling) for v in ys]
    return {"type": "scatter", "x": list(here["period"]), "y": ys, "mode": "markers", "name": "Surge",
            "marker": {"symbol": "triangle-up", "size": 12, "color": colour,
                       "line": {"color": "#222222", "width": 1}},
            "customdata": [[r.topic_id, r.period.date().isoformat(), period_label(r.period, style.grain),
                            f"{r.n:,} articles, {r.ratio:.1f}× the usual {r.baseline:.1f}"]
                           for r in here.itertuples(index=False)],
            "hovertemplate": f"<b>Surge: {html_text(label)}</b><br>%{{customdata[2]}}"
                             "<br>%{customdata[3]}<extra></extra>",
            "showlegend": False, "meta": {"role": "surge", "topic": topic_id}, **axes}


def _panel_heading(label: str, total: int, colour: str, y: float) -> dict:
    """The topic's name and article total above its panel (`y`: the panel's top, paper units)."""
    return {"text": f"<b>{html_text(label)}</b>  <span style='color:#777'>{total:,} article{'' if total == 1 else 's'}</span>",
            "xref": "paper", "yref": "paper", "x": 0, "y": y, "xanchor": "left",
            "yanchor": "bottom", "showarrow": False, "font": {"size": 13, "color": colour}, "yshift": 2}


def _panel_axes(domains: list[tuple[float, float]], share: bool, ceiling: float | None) -> dict:
    """layout.yaxisN / xaxisN of every panel: one y scale for all, the time axis drawn under
    the last panel only."""
    rows_n = len(domains)
    out: dict = {}
    for i in range(1, rows_n + 1):
        name = "" if i == 1 else str(i)
        yaxis = {"anchor": f"x{name}", "domain": list(domains[i - 1]), "rangemode": "tozero", "nticks": 4,
                 "ticksuffix": "%" if share else "", "zeroline": True, "zerolinecolor": "#bbbbbb"}
        if i > 1:
            yaxis["matches"] = "y"
        if ceiling:
            yaxis["range"] = [0, ceiling]
        if i == 1:
            yaxis["title"] = {"text": "% of articles" if share else "Articles",
                              "font": {"size": 12, "color": "#555555"}}
        xaxis = {"anchor": f"y{name}", "domain": [0.0, 1.0], "showgrid": False, "ticks": "outside", "ticklen": 3,
                 "showticklabels": i == rows_n}
        if i < rows_n:
            xaxis["matches"] = f"x{rows_n}"
        out[f"yaxis{name}"], out[f"xaxis{name}"] = yaxis, xaxis
    return out
