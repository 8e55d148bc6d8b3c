"""Plotly figures built from query results: no SQL, no widgets.

Every clickable point carries `customdata` so pages can map a click back to what it stands for
(trend points: [topic_id, period ISO date]; map: ["country", code] or ["place", name]).

Offline maps: plotly.js fetches world outlines from a CDN whenever a geo subplot shows a base
layer or when the *first* trace has a `locationmode` (a choropleth does). So the map turns
every base layer off, draws the countries from our own GeoJSON as choropleths, and always puts
a scattergeo trace (lat/lon, no locationmode) first.
"""
from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.geo.countries import Shapes, bbox_of, coarse_shapes_within, country_name
from dashboard.periods import UNIT
from dashboard.periods import label as period_label

MIN_SHARE_BASE = 10     # a share is drawn as a line only for periods with this many articles
PANEL_HEIGHT = 118      # px per topic panel (small multiples)
SINGLE_PANEL = 320      # px for a chart of one topic
TITLE_CHARS = 62        # a title line wraps after this many characters
FOOTER_CHARS = 130
OUTSIDE_SHARE = 0.03    # the map frame may leave out far-away places holding this share of counts
MAX_BUBBLE = 44         # px, the busiest place's bubble
MIN_BUBBLE = 4
PLACE_LABELS = 12
MAP_WIDTH = 860         # px the map is laid out for (the page's main column at a common width)
CORE_SHARE = 0.8        # the enlarged panel holds the nearest places with this share of counts
CORE_RATIO = 0.4        # ... and is drawn only when its frame is at most this part of the whole's width
MAIN_SPLIT = 0.68       # the enlarged panel's share of the width
PANEL_GAP = 0.02
SIDE_BOTTOM = 0.5       # the overview panel sits above this height; the scales go under it
FRAME_ASPECT = 1.7     # map frame width / height (Mercator), about the page's map area
COUNTRY_SCALE = [[0, "#fde9d6"], [0.25, "#fdc38d"], [0.5, "#f4875a"], [0.75, "#d7472e"], [1, "#99000d"]]
FALLBACK_COLOURS = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2",
                    "#ff9da6", "#9d755d", "#bab0ac"]
SEA = "#eef3f7"
LAND = "#e2e2de"
BORDER = "#ffffff"
# the plotly_white template, read once (building it is a good part of a figure's cost)
TEMPLATE = pio.templates["plotly_white"]
PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "conflict-trends"},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def _is_colour(value) -> bool:
    return isinstance(value, str) and len(value) == 7 and value.startswith("#") and all(
        c in "0123456789abcdefABCDEF" for c in value[1:])


def topic_colours(topics: pd.DataFrame) -> dict[str, str]:
    """topic_id -> '#rrggbb' from the topics table, with a fallback palette for bad values."""
    out = {}
    for i, row in enumerate(topics.itertuples(index=False)):
        out[row.topic_id] = row.color if _is_colour(row.color) else FALLBACK_COLOURS[i % len(FALLBACK_COLOURS)]
    return out


def _period_labels(periods: pd.Series, grain: str) -> np.ndarray:
    """`period_label` of every value, vectorised."""
    if grain == "month":
        return periods.dt.strftime("%b %Y").to_numpy(dtype=object)
    days = periods.dt.day.astype(str).to_numpy(dtype=object)
    rest = periods.dt.strftime(" %b %Y").to_numpy(dtype=object)
    return ("week of " if grain == "week" else "") + days + rest


def wrap_title(text: str, width: int = TITLE_CHARS) -> tuple[str, int]:
    """Plotly never wraps a title, it cuts it at the figure's edge: break it into lines of at
    most `width` characters at spaces (escaped, joined by <br>); returns (text, line count)."""
    lines = textwrap.wrap(text or "", width=width, break_long_words=True) or [""]
    return "<br>".join(_html_text(line) for line in lines), len(lines)


def _frame_parts(title: str, footer: str, height: int, bottom: int) -> tuple[dict | None, dict | None, int]:
    """Title (wrapped, top left) and footer (small grey lines under the plot) as layout parts:
    (layout.title or None, footer annotation or None, the top margin the title needs)."""
    text, n = wrap_title(title)
    top = 24 + 20 * n if title else 10
    head = None
    if title:
        head = {"text": text, "x": 0, "xanchor": "left", "xref": "container", "pad": {"l": 10},
                "y": 1 - 10 / height if height else 1, "yanchor": "top", "yref": "container",
                "font": {"size": 15, "color": "#222222"}}
    foot = None
    if footer:
        lines = "<br>".join(_html_text(line) for part in footer.split("\n")
                            for line in textwrap.wrap(part, FOOTER_CHARS))
        foot = {"text": lines, "xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "left",
                "yanchor": "top", "yshift": -bottom, "showarrow": False, "align": "left",
                "font": {"size": 11, "color": "#666666"}}
    return head, foot, top


def _frame_text(fig: go.Figure, title: str, footer: str, height: int, bottom: int) -> int:
    """`_frame_parts` put on `fig`; returns the top margin the title needs."""
    head, foot, top = _frame_parts(title, footer, height, bottom)
    if head:
        fig.update_layout(title=head)
    if foot:
        fig.add_annotation(**foot)
    return top


class _Draft:
    """Collects traces, shapes and annotations as plain dicts (the few go.Figure methods the
    map uses), then builds the Figure in one step with `figure`."""

    def __init__(self) -> None:
        self.data: list[dict] = []
        self.layout: dict = {"shapes": [], "annotations": []}

    def add_trace(self, trace: dict) -> None:
        self.data.append(trace)

    def add_shape(self, **shape) -> None:
        self.layout["shapes"].append(shape)

    def add_annotation(self, **annotation) -> None:
        self.layout["annotations"].append(annotation)

    def update_layout(self, **parts) -> None:
        self.layout.update(parts)

    def figure(self) -> go.Figure:
        return figure(self.data, self.layout)


def figure(data: list[dict], layout: dict) -> go.Figure:
    """A Figure from plain trace and layout dicts, built in one step without plotly's
    per-property validation. Why: building a chart by make_subplots / add_trace / update_*
    validates every property on every call, ~2 s of a page run for five panels on a busy
    machine; the one-step build costs a few ms. The dicts are written here, so nothing
    unchecked comes from outside."""
    return go.Figure(data=data, layout=layout, _validate=False)


def _rgba(colour: str, alpha: float) -> str:
    return f"rgba({int(colour[1:3], 16)}, {int(colour[3:5], 16)}, {int(colour[5:7], 16)}, {alpha})"


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
    unit = UNIT.get(grain, grain)
    y_title = "% of articles" if share else "Articles"
    panel = SINGLE_PANEL if rows_n == 1 else PANEL_HEIGHT
    bottom = 34
    footer_lines = sum(len(textwrap.wrap(part, FOOTER_CHARS)) for part in footer.split("\n")) if footer else 0
    head, foot, top = _frame_parts(title, footer, 0, bottom)
    gap = 34
    height = top + rows_n * panel + (rows_n - 1) * gap + bottom + 16 * footer_lines + 8
    if head:
        head["y"] = 1 - 10 / height
    plot_h = height - top - bottom - 16 * footer_lines - 8
    # panels stacked top to bottom on one time axis (what make_subplots(shared_xaxes) lays out)
    spacing = (gap / plot_h) if rows_n > 1 else 0.0
    panel_frac = (1 - spacing * (rows_n - 1)) / rows_n
    # clamped: float rounding can leave the bottom edge a hair below 0, which plotly refuses
    domains = [(max(0.0, 1 - (i + 1) * panel_frac - i * spacing), min(1.0, 1 - i * (panel_frac + spacing)))
               for i in range(rows_n)]
    reliable = (trend["total"] >= min_base) if share else pd.Series(True, index=trend.index)
    ceiling = None
    if share and reliable.any():
        ceiling = max(float(trend.loc[reliable, "smoothed"].max()), 1.0) * 1.12
    marks = spikes[spikes["topic_id"].isin(topics)] if len(spikes) else spikes
    y_at = trend.set_index(["topic_id", "period"])["smoothed"] if len(trend) else None
    smooth_text = f"<br>{smooth}-{unit} mean: %{{customdata[4]}}" if smooth > 1 else ""
    data: list[dict] = []
    annotations: list[dict] = []
    for i, topic_id in enumerate(topics, start=1):
        axes = {"xaxis": "x" if i == 1 else f"x{i}", "yaxis": "y" if i == 1 else f"y{i}"}
        rows = trend[trend["topic_id"] == topic_id]
        ok = reliable[rows.index]
        label = labels.get(topic_id, topic_id)
        colour = colours.get(topic_id, FALLBACK_COLOURS[(i - 1) % len(FALLBACK_COLOURS)])
        # numpy arrays, not lists of Timestamps / lists of lists: the Figure and Streamlit
        # deep-copy the data, which costs one copy per array instead of one per value
        x = rows["period"].to_numpy()
        periods = _period_labels(rows["period"], grain)
        if share:
            value_text = [f"{v:.1f}% — {n:,} of {t:,} articles in the view"
                          + ("" if t >= min_base else f"<br>fewer than {min_base} articles: "
                                                      "too few for a reliable share")
                          for v, n, t in zip(rows["value"], rows["n"], rows["total"])]
        else:
            value_text = [f"{n:,} article{'s' if n != 1 else ''} (of {t:,} in the view)"
                          for n, t in zip(rows["n"], rows["total"])]
        custom = np.column_stack([np.full(len(rows), topic_id, dtype=object),
                                  rows["period"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
                                  periods, np.array(value_text, dtype=object),
                                  np.array([f"{s:.1f}{'%' if share else ''}" for s in rows["smoothed"]],
                                           dtype=object)]).astype(str)
        hover = (f"<b>{_html_text(label)}</b><br>%{{customdata[2]}}<br>%{{customdata[3]}}"
                 f"{smooth_text}<extra></extra>")
        y = rows["smoothed"].astype(float)
        if share:
            shown = y.clip(upper=ceiling) if ceiling else y
            data.append({"type": "scatter", "x": x, "y": shown.to_numpy(dtype=float), "mode": "lines",
                         "line": {"color": "#c8c8c8", "width": 1}, "hoverinfo": "skip", "showlegend": False,
                         "name": "", "meta": {"role": "context", "topic": topic_id}, **axes})
            low = ~ok
            if low.any():
                keep = low.to_numpy()
                data.append({"type": "scatter", "x": x[keep],
                             "y": shown[low].to_numpy(dtype=float), "mode": "markers",
                             "name": f"Fewer than {min_base} articles",
                             "marker": {"size": 6, "color": "white", "line": {"color": "#9a9a9a", "width": 1.2}},
                             "customdata": custom[keep], "hovertemplate": hover,
                             "showlegend": False, "meta": {"role": "low_base", "topic": topic_id}, **axes})
            line_y = y.where(ok)
        else:
            line_y = y
        data.append({"type": "scatter", "x": x, "y": line_y.to_numpy(dtype=float),
                     "name": label, "mode": "lines+markers", "connectgaps": False,
                     "line": {"color": colour, "width": 2}, "marker": {"size": 4, "color": colour},
                     "fill": None if share else "tozeroy", "fillcolor": _rgba(colour, 0.12),
                     "customdata": custom, "hovertemplate": hover, "showlegend": False,
                     "meta": {"role": "line", "topic": topic_id}, **axes})
        here = marks[marks["topic_id"] == topic_id] if len(marks) else marks
        if len(here):
            ys = [float(y_at.get((r.topic_id, r.period), r.n)) for r in here.itertuples(index=False)]
            if ceiling:
                ys = [min(v, ceiling) for v in ys]
            data.append({"type": "scatter", "x": list(here["period"]), "y": ys, "mode": "markers", "name": "Surge",
                         "marker": {"symbol": "triangle-up", "size": 12, "color": colour,
                                    "line": {"color": "#222222", "width": 1}},
                         "customdata": [[r.topic_id, r.period.date().isoformat(), period_label(r.period, grain),
                                         f"{r.n:,} articles, {r.ratio:.1f}× the usual {r.baseline:.1f}"]
                                        for r in here.itertuples(index=False)],
                         "hovertemplate": f"<b>Surge: {_html_text(label)}</b><br>%{{customdata[2]}}"
                                          "<br>%{customdata[3]}<extra></extra>",
                         "showlegend": False, "meta": {"role": "surge", "topic": topic_id}, **axes})
        total = int(rows["n"].sum())
        annotations.append({
            "text": f"<b>{_html_text(label)}</b>  <span style='color:#777'>{total:,} articles</span>",
            "xref": "paper", "yref": "paper", "x": 0, "y": domains[i - 1][1], "xanchor": "left",
            "yanchor": "bottom", "showarrow": False, "font": {"size": 13, "color": colour}, "yshift": 2})
    if foot:
        annotations.append(foot)
    layout: dict = {
        "template": TEMPLATE, "height": height, "showlegend": False,
        "margin": {"l": 10, "r": 14, "t": top + 18, "b": bottom + 16 * footer_lines + 8},
        "hovermode": "closest", "clickmode": "event+select", "annotations": annotations,
    }
    if head:
        layout["title"] = head
    for i in range(1, rows_n + 1):
        name = "" if i == 1 else str(i)
        yaxis = {"anchor": f"x{name}", "domain": list(domains[i - 1]), "rangemode": "tozero", "nticks": 4,
                 "ticksuffix": "%" if share else "", "zeroline": True, "zerolinecolor": "#bbbbbb"}
        if i > 1:
            yaxis["matches"] = "y"
        if ceiling:
            yaxis["range"] = [0, ceiling]
        if i == 1:
            yaxis["title"] = {"text": y_title, "font": {"size": 12, "color": "#555555"}}
        xaxis = {"anchor": f"y{name}", "domain": [0.0, 1.0], "showgrid": False, "ticks": "outside", "ticklen": 3,
                 "showticklabels": i == rows_n}
        if i < rows_n:
            xaxis["matches"] = f"x{rows_n}"
        layout[f"yaxis{name}"], layout[f"xaxis{name}"] = yaxis, xaxis
    return figure(data, layout)


def _html_text(text: str) -> str:
    """Plotly renders a small HTML subset in labels; show data text literally."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def map_frame(countries: pd.DataFrame, places: pd.DataFrame) -> tuple[tuple[float, float, float, float], pd.DataFrame]:
    """The map's frame (lon_min, lat_min, lon_max, lat_max) and the places left outside it.

    The frame holds every place except the farthest few that together have at most
    OUTSIDE_SHARE of the place counts (distance from the count-weighted median place), plus
    the countries holding most of the articles, so Moscow and Geneva with dozens of articles
    are in it while a Washington dateline or two does not shrink the Middle East to a corner.
    The places left out are returned so the figure can name them.
    """
    outside = places.iloc[0:0]
    boxes = []
    if len(places):
        lon, lat, n = places["lon"].astype(float), places["lat"].astype(float), places["n"].astype(float)
        order = n.sort_values(ascending=False).index
        cum = n[order].cumsum() / n.sum()
        mid_lon = float(lon[order][cum >= 0.5].iloc[0]) if len(order) else 0.0
        mid_lat = float(lat[order][cum >= 0.5].iloc[0]) if len(order) else 0.0
        far = ((lon - mid_lon) * math.cos(math.radians(mid_lat))) ** 2 + (lat - mid_lat) ** 2
        by_distance = far.sort_values(ascending=False).index
        dropped = n[by_distance].cumsum() / n.sum()
        out_idx = list(dropped[dropped <= OUTSIDE_SHARE].index)
        outside = places.loc[out_idx].sort_values("n", ascending=False)
        kept = places.drop(index=out_idx)
        if len(kept):
            boxes.append((kept["lon"].min(), kept["lat"].min(), kept["lon"].max(), kept["lat"].max()))
    if len(countries):
        ranked = countries.sort_values("n", ascending=False)
        cum = ranked["n"].cumsum() / max(ranked["n"].sum(), 1)
        box = bbox_of(list(ranked["code"][(cum.shift(fill_value=0) < 0.8)].head(8)))
        if box is not None:
            boxes.append(box)
    if not boxes:
        boxes.append((25.0, 12.0, 60.0, 42.0))   # the Middle East when there is nothing to frame
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    pad_x, pad_y = max(2.0, (x1 - x0) * 0.08), max(2.5, (y1 - y0) * 0.12)
    frame = _widened(max(-180, x0 - pad_x), max(-80, y0 - pad_y), min(180, x1 + pad_x), min(80, y1 + pad_y))
    if len(outside):   # widening the frame may have brought some of them in
        inside = (outside["lon"].between(frame[0], frame[2]) & outside["lat"].between(frame[1], frame[3]))
        outside = outside[~inside]
    return frame, outside


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _widened(x0: float, y0: float, x1: float, y1: float,
             aspect: float = FRAME_ASPECT) -> tuple[float, float, float, float]:
    """Grow the frame along one axis to the panel's shape (`aspect`, width over height, in
    Mercator units): a frame taller than the panel would leave blank bands either side."""
    width = math.radians(x1 - x0)
    height = _mercator_y(y1) - _mercator_y(y0)
    if height <= 0 or width <= 0:
        return x0, y0, x1, y1
    if width / height < aspect:
        grow = math.degrees(aspect * height - width) / 2
        x0, x1 = max(-180.0, x0 - grow), min(180.0, x1 + grow)
    else:
        mid = (_mercator_y(y0) + _mercator_y(y1)) / 2
        half = width / aspect / 2

        def lat_of(y: float) -> float:
            return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)
        y0, y1 = max(-80.0, lat_of(mid - half)), min(80.0, lat_of(mid + half))
    return x0, y0, x1, y1


def core_frame(places: pd.DataFrame, full: tuple[float, float, float, float],
               aspect: float) -> tuple[float, float, float, float] | None:
    """The frame of the enlarged panel: around the places nearest the count-weighted centre
    that together hold CORE_SHARE of the counts. None when that frame would not be much
    smaller than `full` (one panel shows everything readably then).

    Why: reporting on one war piles dozens of places into one country; framed with the far
    datelines (Moscow, Geneva, Washington) their bubbles and names overlap into a blob."""
    if len(places) < 3:
        return None
    lon, lat, n = places["lon"].astype(float), places["lat"].astype(float), places["n"].astype(float)
    order = n.sort_values(ascending=False).index
    cum = n[order].cumsum() / n.sum()
    mid_lon, mid_lat = float(lon[order][cum >= 0.5].iloc[0]), float(lat[order][cum >= 0.5].iloc[0])
    dist = ((lon - mid_lon) * math.cos(math.radians(mid_lat))) ** 2 + (lat - mid_lat) ** 2
    near = dist.sort_values().index
    share = n[near].cumsum() / n.sum()
    kept = near[: int((share < CORE_SHARE).sum()) + 1]
    x0, y0 = float(lon[kept].min()), float(lat[kept].min())
    x1, y1 = float(lon[kept].max()), float(lat[kept].max())
    pad_x, pad_y = max(1.0, (x1 - x0) * 0.1), max(1.0, (y1 - y0) * 0.12)
    frame = _widened(x0 - pad_x, y0 - pad_y, x1 + pad_x, y1 + pad_y, aspect)
    if frame[2] - frame[0] > CORE_RATIO * (full[2] - full[0]):
        return None
    return frame


def _nice(value: float) -> int:
    """The largest 1-2-5 number not above `value` (at least 1)."""
    if value < 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (5, 2, 1):
        if step * power <= value:
            return int(step * power)
    return int(power)


def bubble_size(n, largest: int) -> float:
    """Marker diameter in px: the bubble's area is proportional to its articles."""
    return max(MIN_BUBBLE, MAX_BUBBLE * math.sqrt(max(n, 0) / max(largest, 1)))


def _size_legend(fig: go.Figure, largest: int, x: float, y_px: int) -> list[int]:
    """Three round article counts as circles side by side (same scale as the bubbles), each
    number under its circle, the title above; anchored at paper `x`, `y_px` pixels up from the
    plot's bottom. Side by side, not nested: nested circles print their numbers on each other."""
    steps: list[int] = []
    for value in sorted({_nice(largest), _nice(largest / 4), _nice(largest / 20)}, reverse=True):
        if not steps or bubble_size(steps[-1], largest) - bubble_size(value, largest) >= 6:
            steps.append(value)
    biggest = bubble_size(steps[0], largest)
    gap, text_h = 14, 14
    widths = [max(bubble_size(v, largest), 7 * len(f"{v:,}")) for v in steps]
    total_w = sum(widths) + gap * (len(steps) - 1)
    base = y_px + text_h + 4
    fig.add_shape(type="rect", xref="paper", yref="paper", xsizemode="pixel", ysizemode="pixel",
                  xanchor=x, yanchor=0, x0=0, x1=max(total_w, 110) + 16, y0=y_px - 4,
                  y1=base + biggest + 24, fillcolor="rgba(255,255,255,0.9)", line={"width": 0})
    left = 8
    for value, w in zip(steps, widths):
        d = bubble_size(value, largest)
        cx = left + w / 2
        fig.add_shape(type="circle", xref="paper", yref="paper", xsizemode="pixel", ysizemode="pixel",
                      xanchor=x, yanchor=0, x0=cx - d / 2, x1=cx + d / 2, y0=base, y1=base + d,
                      fillcolor="rgba(33, 102, 172, 0.35)", line={"color": "rgba(33, 102, 172, 0.9)", "width": 1})
        fig.add_annotation(text=f"{value:,}", xref="paper", yref="paper", x=x, y=0, xanchor="center",
                           yanchor="bottom", xshift=cx, yshift=y_px, showarrow=False,
                           font={"size": 11, "color": "#333333"})
        left += w + gap
    fig.add_annotation(text="Articles per place", xref="paper", yref="paper", x=x, y=0, xanchor="left",
                       yanchor="bottom", xshift=4, yshift=base + biggest + 4, showarrow=False,
                       font={"size": 11, "color": "#333333"})
    return steps


# where a label may sit around its bubble: (plotly textposition, dx, dy) in units of the
# bubble's radius plus a margin, tried in this order
LABEL_SPOTS = [("top center", 0, 1), ("bottom center", 0, -1), ("middle right", 1, 0), ("middle left", -1, 0)]
LABEL_FONT = 11
LABEL_GAP = 4           # px kept between two names


def _text_width(text: str) -> float:
    return 0.56 * LABEL_FONT * len(text) + 4     # px, a little wider than the font's average


def _labelled(places: pd.DataFrame, frame, width_px: float, height_px: float, largest: int,
              limit: int = PLACE_LABELS) -> list[tuple[object, str]]:
    """The leading places that can be named without two names overlapping: [(index, plotly
    textposition)], busiest first. Each name tries four spots around its bubble (above, below,
    right, left) in the panel's pixel space (Mercator, the frame filling the panel)."""
    y_lo, y_hi = _mercator_y(frame[1]), _mercator_y(frame[3])

    def px(lon, lat):
        return ((lon - frame[0]) / (frame[2] - frame[0]) * width_px,
                (_mercator_y(max(-85.0, min(85.0, lat))) - y_lo) / (y_hi - y_lo) * height_px)

    boxes: list[tuple[float, float, float, float]] = []
    chosen: list[tuple[object, str]] = []
    for idx, r in places.sort_values("n", ascending=False).iterrows():
        if not (frame[0] <= r["lon"] <= frame[2] and frame[1] <= r["lat"] <= frame[3]):
            continue
        x, y = px(float(r["lon"]), float(r["lat"]))
        radius = bubble_size(r["n"], largest) / 2
        w, h = _text_width(str(r["name"])), LABEL_FONT + 4
        for position, dx, dy in LABEL_SPOTS:
            cx = x + dx * (radius + 2 + w / 2)
            cy = y + dy * (radius + 1 + h / 2)
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if box[0] < 0 or box[2] > width_px or box[1] < 0 or box[3] > height_px:
                continue
            # a few pixels apart: the page may draw the map a little smaller than laid out
            if all(box[2] + LABEL_GAP <= b[0] or box[0] >= b[2] + LABEL_GAP
                   or box[3] + LABEL_GAP <= b[1] or box[1] >= b[3] + LABEL_GAP for b in boxes):
                boxes.append(box)
                chosen.append((idx, position))
                break
        if len(chosen) >= limit:
            break
    return chosen


def _log_ticks(largest: int) -> tuple[list[float], list[str]]:
    values = [v for v in (1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000, 300000, 1000000)
              if v <= max(largest, 1)]
    return [math.log10(v) for v in values], [f"{v:,}" for v in values]


def _bubbles(places: pd.DataFrame, largest: int, geo: str, name: str) -> dict:
    n = places["n"].to_numpy(float)
    sizes = np.maximum(MIN_BUBBLE, MAX_BUBBLE * np.sqrt(np.maximum(n, 0) / max(largest, 1)))
    names = places["name"].astype(str).to_numpy(dtype=object)
    hover = [f"{r.name} ({r.kind}, {country_name(r.country_code)})" for r in places.itertuples(index=False)]
    # arrays, not lists of lists: see trend_figure
    custom = np.column_stack([np.full(len(places), "place", dtype=object), names,
                              np.array(hover, dtype=object),
                              np.array([f"{int(v):,}" for v in n], dtype=object)]).astype(str)
    return dict(
        type="scattergeo", lon=places["lon"].to_numpy(float), lat=places["lat"].to_numpy(float),
        mode="markers", name=name, geo=geo,
        marker={"size": sizes, "sizemode": "diameter",
                "color": "rgba(33, 102, 172, 0.45)", "line": {"color": "#ffffff", "width": 1}},
        customdata=custom,
        hovertemplate="%{customdata[2]}<br>%{customdata[3]} articles<extra></extra>",
    )


def _labels(places: pd.DataFrame, chosen: list[tuple[object, str]], geo: str, largest: int) -> dict:
    """The names, each beside its bubble: plotly offsets text from a point by its marker's size,
    so the trace carries invisible markers of the bubbles' sizes."""
    named = places.loc[[i for i, _ in chosen]]
    return dict(
        type="scattergeo", lon=named["lon"].to_numpy(float), lat=named["lat"].to_numpy(float),
        mode="markers+text", text=[_html_text(t) for t in named["name"]],
        marker={"size": [bubble_size(n, largest) for n in named["n"]], "sizemode": "diameter", "opacity": 0},
        textposition=[pos for _, pos in chosen], hoverinfo="skip", showlegend=False, name="labels", geo=geo,
        textfont={"size": LABEL_FONT, "color": "#1a1a1a", "shadow": "1px 1px 2px white"},
    )


def _grid(step: float) -> float:
    """A coarse-shape grid step (degrees) from a few fixed values, so cached shapes are reused."""
    for g in (0.02, 0.05, 0.1, 0.25, 0.5, 1.0):
        if step <= g:
            return g
    return 2.0


def map_figure(countries: pd.DataFrame, places: pd.DataFrame, height: int = 600,
               title: str = "", footer: str = "", width: int = MAP_WIDTH) -> go.Figure:
    """Countries shaded by articles on a log scale, regions and cities as bubbles (area by
    articles) with a size legend and the leading places named where their names fit.

    When most places crowd into a small part of the frame `map_frame` needs (one war's
    reporting with far datelines), the map is two panels: that part enlarged (left, ~70 %),
    and the whole frame as an overview (right) with the enlarged part outlined and the places
    outside it; the colour scale and size legend sit under the overview. `width` is the width
    the figure is laid out for (label placement; the page draws it at its own width)."""
    box, outside = map_frame(countries, places)
    footer_lines = sum(len(textwrap.wrap(part, FOOTER_CHARS)) for part in footer.split("\n")) if footer else 0
    bottom = 8 + 16 * footer_lines
    title_lines = wrap_title(title)[1] if title else 0
    top = (24 + 20 * title_lines if title else 10) + 6
    largest = int(places["n"].max()) if len(places) else 1
    panel_top = top + 16          # room for the two panels' headings
    core = core_frame(places, box, MAIN_SPLIT * width / (height - panel_top - bottom)) if len(places) else None
    if core:
        top = panel_top
    plot_h = height - top - bottom
    main_frame = core or box
    main_w = width * (MAIN_SPLIT if core else 1.0)
    fig = _Draft()
    # 1) a scattergeo trace first: see the module docstring (keeps plotly.js offline)
    if len(places):
        fig.add_trace(_bubbles(places, largest, "geo", "Regions and cities"))
    else:
        fig.add_trace(dict(type="scattergeo", lon=[(box[0] + box[2]) / 2], lat=[(box[1] + box[3]) / 2],
                           mode="markers", marker={"opacity": 0, "size": 1},
                           hoverinfo="skip", showlegend=False, name=""))
    panels = [("geo", main_frame)] + ([("geo2", box)] if core else [])
    if core:
        lon_in = places["lon"].between(core[0], core[2]) & places["lat"].between(core[1], core[3])
        far = places[~lon_in]
        if len(far):
            fig.add_trace(_bubbles(far, largest, "geo2", "Places outside the enlarged area"))
        fig.add_trace(dict(
            type="scattergeo", lon=[core[0], core[2], core[2], core[0], core[0]], lat=[core[1], core[1], core[3], core[3], core[1]],
            mode="lines", line={"color": "#333333", "width": 1.2}, hoverinfo="skip", showlegend=False,
            name="enlarged area", geo="geo2"))
    data = countries if len(countries) else countries
    top_n = max(int(data["n"].max()), 1) if len(data) else 1
    tickvals, ticktext = _log_ticks(top_n)
    for geo, frame in panels:
        wide = (frame[0] - 25, frame[1] - 15, frame[2] + 25, frame[3] + 15)
        # a shape point every ~2 pixels of the panel draws borders as smooth as the eye sees
        step = 2 * (frame[2] - frame[0]) / (width * (MAIN_SPLIT if (core and geo == "geo") else
                                                     (1 - MAIN_SPLIT - PANEL_GAP) if core else 1.0))
        base = coarse_shapes_within(tuple(round(v, 1) for v in wide), _grid(step))
        known = {f["id"] for f in base["features"]}
        with_data = set(data["code"]) if len(data) else set()
        # 2) the other countries in view, as land (those with articles are drawn shaded on top:
        #    their shapes are sent once, in the shaded trace)
        land = Shapes(type="FeatureCollection", features=[f for f in base["features"] if f["id"] not in with_data])
        fig.add_trace(dict(
            type="choropleth", geojson=land, locations=[f["id"] for f in land["features"]],
            z=[0] * len(land["features"]),
            featureidkey="id", colorscale=[[0, LAND], [1, LAND]], showscale=False, hoverinfo="skip",
            marker={"line": {"color": BORDER, "width": 0.6}}, name="", showlegend=False, geo=geo,
        ))
        # 3) countries with articles, shaded on a log scale (one country must not wash out the rest);
        #    only their own shapes go into this trace (the land trace holds the rest once)
        shaded = data[data["code"].isin(known)] if len(data) else data
        if not len(shaded):
            continue
        codes = set(shaded["code"])
        colorbar = ({"title": {"text": "Articles per<br>country (log)", "font": {"size": 11}},
                     "tickvals": tickvals, "ticktext": ticktext, "thickness": 12, "len": 0.55,
                     "x": 1.0, "xanchor": "right", "bgcolor": "rgba(255,255,255,0.85)"} if not core else
                    {"title": {"text": "Articles per country (log scale)", "font": {"size": 11}, "side": "top"},
                     "orientation": "h", "tickvals": tickvals, "ticktext": ticktext, "thickness": 10,
                     "len": (1 - MAIN_SPLIT) * 0.9, "lenmode": "fraction", "x": (1 + MAIN_SPLIT) / 2,
                     "xanchor": "center", "y": 0.42, "yanchor": "top", "tickfont": {"size": 10}})
        fig.add_trace(dict(
            type="choropleth", geojson=Shapes(type="FeatureCollection",
                                              features=[f for f in base["features"] if f["id"] in codes]),
            locations=list(shaded["code"]), z=[math.log10(max(n, 1)) for n in shaded["n"]],
            zmin=0, zmax=max(math.log10(top_n), 1.0), featureidkey="id", colorscale=COUNTRY_SCALE,
            marker={"line": {"color": BORDER, "width": 0.8}}, showscale=geo == "geo", colorbar=colorbar,
            customdata=[["country", c, country_name(c), f"{n:,}"] for c, n in zip(shaded["code"], shaded["n"])],
            hovertemplate="<b>%{customdata[2]}</b><br>%{customdata[3]} articles<extra></extra>",
            name="Countries", geo=geo,
        ))
    # 4) names of the leading places, after the shapes so they sit on top
    if len(places):
        fig.add_trace(_labels(places, _labelled(places, main_frame, main_w, plot_h, largest), "geo", largest))
        if core and len(far):
            side_h = plot_h * (1 - SIDE_BOTTOM)
            side_w = width * (1 - MAIN_SPLIT - PANEL_GAP)
            fig.add_trace(_labels(far, _labelled(far, box, side_w, side_h, largest, limit=4), "geo2", largest))
        _size_legend(fig, largest, MAIN_SPLIT + PANEL_GAP if core else 0.0, 6)
    if len(outside):
        listed = ", ".join(f"{_html_text(r.name)} ({r.n:,})" for r in outside.head(6).itertuples(index=False))
        more = f" and {len(outside) - 6:,} more" if len(outside) > 6 else ""
        fig.add_annotation(text=f"Outside this frame: {listed}{more}", xref="paper", yref="paper",
                           x=1, y=0, xanchor="right", yanchor="bottom", showarrow=False, align="right",
                           bgcolor="rgba(255,255,255,0.85)", font={"size": 10, "color": "#333333"})
    geo_style = {"visible": False, "bgcolor": SEA, "projection": {"type": "mercator"}, "showframe": False}
    fig.update_layout(geo=dict(lonaxis={"range": [main_frame[0], main_frame[2]]},
                               lataxis={"range": [main_frame[1], main_frame[3]]},
                               domain={"x": [0, MAIN_SPLIT if core else 1], "y": [0, 1]}, **geo_style))
    if core:
        fig.update_layout(geo2=dict(lonaxis={"range": [box[0], box[2]]}, lataxis={"range": [box[1], box[3]]},
                                    domain={"x": [MAIN_SPLIT + PANEL_GAP, 1], "y": [SIDE_BOTTOM, 1]},
                                    **geo_style))
        fig.add_annotation(text="Enlarged: the area outlined on the overview", xref="paper", yref="paper",
                           x=0, y=1, xanchor="left", yanchor="bottom", showarrow=False,
                           font={"size": 11, "color": "#555555"})
        fig.add_annotation(text="Overview: every place", xref="paper", yref="paper",
                           x=MAIN_SPLIT + PANEL_GAP, y=1, xanchor="left", yanchor="bottom", showarrow=False,
                           font={"size": 11, "color": "#555555"})
    _frame_text(fig, title, footer, height, 4)
    fig.update_layout(height=height, margin={"l": 0, "r": 0, "t": top, "b": bottom},
                      clickmode="event+select", showlegend=False, paper_bgcolor="white")
    return fig.figure()


def bar_figure(df: pd.DataFrame, x: str, y: str, height: int = 320) -> go.Figure:
    """A plain horizontal bar chart (data page: articles per source / format)."""
    fig = go.Figure(go.Bar(x=df[x], y=[_html_text(str(v)) for v in df[y]], orientation="h",
                           marker={"color": "#4c78a8"}))
    fig.update_layout(template="plotly_white", height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      yaxis={"autorange": "reversed"})
    return fig
