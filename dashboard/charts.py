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

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.geo.countries import bbox_of, country_name, shapes_within
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
PLACE_LABELS = 8
FRAME_ASPECT = 1.7     # map frame width / height (Mercator), about the page's map area
COUNTRY_SCALE = [[0, "#fde9d6"], [0.25, "#fdc38d"], [0.5, "#f4875a"], [0.75, "#d7472e"], [1, "#99000d"]]
FALLBACK_COLOURS = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2",
                    "#ff9da6", "#9d755d", "#bab0ac"]
SEA = "#eef3f7"
LAND = "#e2e2de"
BORDER = "#ffffff"
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


def wrap_title(text: str, width: int = TITLE_CHARS) -> tuple[str, int]:
    """Plotly never wraps a title, it cuts it at the figure's edge: break it into lines of at
    most `width` characters at spaces (escaped, joined by <br>); returns (text, line count)."""
    lines = textwrap.wrap(text or "", width=width, break_long_words=True) or [""]
    return "<br>".join(_html_text(line) for line in lines), len(lines)


def _frame_text(fig: go.Figure, title: str, footer: str, height: int, bottom: int) -> int:
    """Title (wrapped, top left) and footer (small grey lines under the plot); returns the top
    margin the title needs."""
    text, n = wrap_title(title)
    top = 24 + 20 * n if title else 10
    if title:
        fig.update_layout(title={"text": text, "x": 0, "xanchor": "left", "xref": "container",
                                 "pad": {"l": 10},
                                 "y": 1 - 10 / height, "yanchor": "top", "yref": "container",
                                 "font": {"size": 15, "color": "#222222"}})
    if footer:
        lines = "<br>".join(_html_text(line) for part in footer.split("\n")
                            for line in textwrap.wrap(part, FOOTER_CHARS))
        fig.add_annotation(text=lines, xref="paper", yref="paper", x=0, y=0, xanchor="left",
                           yanchor="top", yshift=-bottom, showarrow=False, align="left",
                           font={"size": 11, "color": "#666666"})
    return top


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
    title_lines = wrap_title(title)[1] if title else 0
    bottom = 34
    footer_lines = sum(len(textwrap.wrap(part, FOOTER_CHARS)) for part in footer.split("\n")) if footer else 0
    top = 24 + 20 * title_lines if title else 10
    gap = 34
    height = top + rows_n * panel + (rows_n - 1) * gap + bottom + 16 * footer_lines + 8
    plot_h = height - top - bottom - 16 * footer_lines - 8
    fig = make_subplots(rows=rows_n, cols=1, shared_xaxes=True,
                        vertical_spacing=(gap / plot_h) if rows_n > 1 else 0.0)
    reliable = (trend["total"] >= min_base) if share else pd.Series(True, index=trend.index)
    ceiling = None
    if share and reliable.any():
        ceiling = max(float(trend.loc[reliable, "smoothed"].max()), 1.0) * 1.12
    marks = spikes[spikes["topic_id"].isin(topics)] if len(spikes) else spikes
    y_at = trend.set_index(["topic_id", "period"])["smoothed"] if len(trend) else None
    smooth_text = f"<br>{smooth}-{unit} mean: %{{customdata[4]}}" if smooth > 1 else ""
    for i, topic_id in enumerate(topics, start=1):
        rows = trend[trend["topic_id"] == topic_id]
        ok = reliable[rows.index]
        label = labels.get(topic_id, topic_id)
        colour = colours.get(topic_id, FALLBACK_COLOURS[(i - 1) % len(FALLBACK_COLOURS)])
        periods = [period_label(p, grain) for p in rows["period"]]
        if share:
            value_text = [f"{v:.1f}% — {n:,} of {t:,} articles in the view"
                          + ("" if t >= min_base else f"<br>fewer than {min_base} articles: "
                                                      "too few for a reliable share")
                          for v, n, t in zip(rows["value"], rows["n"], rows["total"])]
        else:
            value_text = [f"{n:,} article{'s' if n != 1 else ''} (of {t:,} in the view)"
                          for n, t in zip(rows["n"], rows["total"])]
        custom = [[topic_id, p.date().isoformat(), pt, vt, f"{s:.1f}{'%' if share else ''}"]
                  for p, pt, vt, s in zip(rows["period"], periods, value_text, rows["smoothed"])]
        hover = (f"<b>{_html_text(label)}</b><br>%{{customdata[2]}}<br>%{{customdata[3]}}"
                 f"{smooth_text}<extra></extra>")
        y = rows["smoothed"].astype(float)
        if share:
            shown = y.clip(upper=ceiling) if ceiling else y
            fig.add_trace(go.Scatter(
                x=rows["period"], y=shown, mode="lines", line={"color": "#c8c8c8", "width": 1},
                hoverinfo="skip", showlegend=False, name="", meta={"role": "context", "topic": topic_id},
            ), row=i, col=1)
            low = ~ok
            if low.any():
                fig.add_trace(go.Scatter(
                    x=rows["period"][low], y=shown[low], mode="markers",
                    name=f"Fewer than {min_base} articles",
                    marker={"size": 6, "color": "white", "line": {"color": "#9a9a9a", "width": 1.2}},
                    customdata=[c for c, keep in zip(custom, low) if keep], hovertemplate=hover,
                    showlegend=False, meta={"role": "low_base", "topic": topic_id},
                ), row=i, col=1)
            line_y = y.where(ok)
        else:
            line_y = y
        fig.add_trace(go.Scatter(
            x=rows["period"], y=line_y, name=label, mode="lines+markers", connectgaps=False,
            line={"color": colour, "width": 2}, marker={"size": 4, "color": colour},
            fill=None if share else "tozeroy", fillcolor=_rgba(colour, 0.12),
            customdata=custom, hovertemplate=hover, showlegend=False,
            meta={"role": "line", "topic": topic_id},
        ), row=i, col=1)
        here = marks[marks["topic_id"] == topic_id] if len(marks) else marks
        if len(here):
            ys = [float(y_at.get((r.topic_id, r.period), r.n)) for r in here.itertuples(index=False)]
            if ceiling:
                ys = [min(v, ceiling) for v in ys]
            fig.add_trace(go.Scatter(
                x=list(here["period"]), y=ys, mode="markers", name="Surge",
                marker={"symbol": "triangle-up", "size": 12, "color": colour,
                        "line": {"color": "#222222", "width": 1}},
                customdata=[[r.topic_id, r.period.date().isoformat(), period_label(r.period, grain),
                             f"{r.n:,} articles, {r.ratio:.1f}× the usual {r.baseline:.1f}"]
                            for r in here.itertuples(index=False)],
                hovertemplate=f"<b>Surge: {_html_text(label)}</b><br>%{{customdata[2]}}"
                              "<br>%{customdata[3]}<extra></extra>",
                showlegend=False, meta={"role": "surge", "topic": topic_id},
            ), row=i, col=1)
        total = int(rows["n"].sum())
        axis = fig.layout["yaxis" if i == 1 else f"yaxis{i}"]
        fig.add_annotation(
            text=f"<b>{_html_text(label)}</b>  <span style='color:#777'>{total:,} articles</span>",
            xref="paper", yref="paper", x=0, y=axis.domain[1], xanchor="left", yanchor="bottom",
            showarrow=False, font={"size": 13, "color": colour}, yshift=2)
    _frame_text(fig, title, footer, height, bottom)
    fig.update_layout(
        template="plotly_white", height=height, showlegend=False,
        margin={"l": 10, "r": 14, "t": top + 18, "b": bottom + 16 * footer_lines + 8},
        hovermode="closest", clickmode="event+select",
    )
    fig.update_yaxes(rangemode="tozero", nticks=4, ticksuffix="%" if share else "", matches="y",
                     zeroline=True, zerolinecolor="#bbbbbb")
    if ceiling:
        fig.update_yaxes(range=[0, ceiling])
    fig.update_yaxes(title={"text": y_title, "font": {"size": 12, "color": "#555555"}}, row=1, col=1)
    fig.update_xaxes(showgrid=False, ticks="outside", ticklen=3)
    return fig


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


def _widened(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    """Grow the frame along one axis to the figure's shape (FRAME_ASPECT, width over height,
    in Mercator units): a frame taller than the figure would leave blank bands either side."""
    width = math.radians(x1 - x0)
    height = _mercator_y(y1) - _mercator_y(y0)
    if height <= 0 or width <= 0:
        return x0, y0, x1, y1
    if width / height < FRAME_ASPECT:
        grow = math.degrees(FRAME_ASPECT * height - width) / 2
        x0, x1 = max(-180.0, x0 - grow), min(180.0, x1 + grow)
    else:
        mid = (_mercator_y(y0) + _mercator_y(y1)) / 2
        half = width / FRAME_ASPECT / 2
        def lat_of(y: float) -> float:
            return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)
        y0, y1 = max(-80.0, lat_of(mid - half)), min(80.0, lat_of(mid + half))
    return x0, y0, x1, y1


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


def _size_legend(fig: go.Figure, largest: int) -> list[int]:
    """Nested circles, bottom left, for three round article counts (same scale as the bubbles)."""
    steps: list[int] = []
    for value in sorted({_nice(largest), _nice(largest / 4), _nice(largest / 20)}, reverse=True):
        # circles closer than 8 px in diameter would print their numbers on top of each other
        if not steps or bubble_size(steps[-1], largest) - bubble_size(value, largest) >= 8:
            steps.append(value)
    biggest = bubble_size(steps[0], largest)
    left, base = 12, 12
    fig.add_shape(type="rect", xref="paper", yref="paper", xsizemode="pixel", ysizemode="pixel",
                  xanchor=0, yanchor=0, x0=4, x1=left + biggest + 58, y0=4, y1=base + biggest + 26,
                  fillcolor="rgba(255,255,255,0.85)", line={"width": 0})
    for value in steps:
        d = bubble_size(value, largest)
        fig.add_shape(type="circle", xref="paper", yref="paper", xsizemode="pixel", ysizemode="pixel",
                      xanchor=0, yanchor=0, x0=left + (biggest - d) / 2, x1=left + (biggest + d) / 2,
                      y0=base, y1=base + d, fillcolor="rgba(33, 102, 172, 0.25)",
                      line={"color": "rgba(33, 102, 172, 0.9)", "width": 1})
        fig.add_annotation(text=f"{value:,}", xref="paper", yref="paper", x=0, y=0, xanchor="left",
                           yanchor="middle", xshift=left + biggest + 6, yshift=base + d, showarrow=False,
                           font={"size": 10, "color": "#333333"})
    fig.add_annotation(text="Articles per place", xref="paper", yref="paper", x=0, y=0, xanchor="left",
                       yanchor="bottom", xshift=left - 4, yshift=base + biggest + 6, showarrow=False,
                       font={"size": 10, "color": "#333333"})
    return steps


def _labelled(places: pd.DataFrame, frame, limit: int = PLACE_LABELS) -> pd.DataFrame:
    """The leading places, skipping any too close to one already labelled (labels would overlap)."""
    span = max(frame[2] - frame[0], frame[3] - frame[1])
    min_gap = span * 0.045
    chosen = []
    for idx, r in places.sort_values("n", ascending=False).iterrows():
        if not (frame[0] <= r["lon"] <= frame[2] and frame[1] <= r["lat"] <= frame[3]):
            continue
        if all(math.hypot(r["lon"] - places.at[c, "lon"], r["lat"] - places.at[c, "lat"]) >= min_gap for c in chosen):
            chosen.append(idx)
        if len(chosen) >= limit:
            break
    return places.loc[chosen]


def _log_ticks(largest: int) -> tuple[list[float], list[str]]:
    values = [v for v in (1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000, 300000, 1000000)
              if v <= max(largest, 1)]
    return [math.log10(v) for v in values], [f"{v:,}" for v in values]


def map_figure(countries: pd.DataFrame, places: pd.DataFrame, height: int = 600,
               title: str = "", footer: str = "") -> go.Figure:
    """Countries shaded by articles on a log scale, regions and cities as bubbles (area by
    articles) with a size legend and the leading places named, framed by `map_frame`."""
    box, outside = map_frame(countries, places)
    wide = (box[0] - 25, box[1] - 15, box[2] + 25, box[3] + 15)
    base = shapes_within(wide)
    known = {f["id"] for f in base["features"]}
    fig = go.Figure()
    # 1) the scattergeo trace first: see the module docstring (keeps plotly.js offline)
    largest = int(places["n"].max()) if len(places) else 1
    if len(places):
        fig.add_trace(go.Scattergeo(
            lon=places["lon"], lat=places["lat"], mode="markers", name="Regions and cities",
            marker={"size": [bubble_size(n, largest) for n in places["n"]], "sizemode": "diameter",
                    "color": "rgba(33, 102, 172, 0.45)", "line": {"color": "#ffffff", "width": 1}},
            customdata=[["place", r.name, f"{r.name} ({r.kind}, {country_name(r.country_code)})",
                         f"{r.n:,}"] for r in places.itertuples(index=False)],
            hovertemplate="%{customdata[2]}<br>%{customdata[3]} articles<extra></extra>",
        ))
    else:
        fig.add_trace(go.Scattergeo(lon=[(box[0] + box[2]) / 2], lat=[(box[1] + box[3]) / 2],
                                    mode="markers", marker={"opacity": 0, "size": 1},
                                    hoverinfo="skip", showlegend=False, name=""))
    # 2) every country in view, as land
    fig.add_trace(go.Choropleth(
        geojson=base, locations=[f["id"] for f in base["features"]], z=[0] * len(base["features"]),
        featureidkey="id", colorscale=[[0, LAND], [1, LAND]], showscale=False, hoverinfo="skip",
        marker={"line": {"color": BORDER, "width": 0.6}}, name="", showlegend=False,
    ))
    # 3) countries with articles, shaded on a log scale (one country must not wash out the rest)
    data = countries[countries["code"].isin(known)] if len(countries) else countries
    if len(data):
        top = max(int(data["n"].max()), 1)
        tickvals, ticktext = _log_ticks(top)
        fig.add_trace(go.Choropleth(
            geojson=base, locations=list(data["code"]), z=[math.log10(max(n, 1)) for n in data["n"]],
            zmin=0, zmax=max(math.log10(top), 1.0), featureidkey="id", colorscale=COUNTRY_SCALE,
            marker={"line": {"color": BORDER, "width": 0.8}},
            colorbar={"title": {"text": "Articles per<br>country (log)", "font": {"size": 11}},
                      "tickvals": tickvals, "ticktext": ticktext, "thickness": 12, "len": 0.55,
                      "x": 1.0, "xanchor": "right", "bgcolor": "rgba(255,255,255,0.85)"},
            customdata=[["country", c, country_name(c), f"{n:,}"] for c, n in zip(data["code"], data["n"])],
            hovertemplate="<b>%{customdata[2]}</b><br>%{customdata[3]} articles<extra></extra>",
            name="Countries",
        ))
    # 4) names of the leading places, after the shapes so they sit on top
    named = _labelled(places, box) if len(places) else places
    if len(named):
        fig.add_trace(go.Scattergeo(
            lon=named["lon"], lat=named["lat"], mode="text", text=[_html_text(t) for t in named["name"]],
            textposition="top center", hoverinfo="skip", showlegend=False, name="labels",
            textfont={"size": 11, "color": "#1a1a1a", "shadow": "1px 1px 2px white"},
        ))
    if len(places):
        _size_legend(fig, largest)
    if len(outside):
        listed = ", ".join(f"{_html_text(r.name)} ({r.n:,})" for r in outside.head(6).itertuples(index=False))
        more = f" and {len(outside) - 6:,} more" if len(outside) > 6 else ""
        fig.add_annotation(text=f"Outside this frame: {listed}{more}", xref="paper", yref="paper",
                           x=1, y=0, xanchor="right", yanchor="bottom", showarrow=False, align="right",
                           bgcolor="rgba(255,255,255,0.85)", font={"size": 10, "color": "#333333"})
    fig.update_geos(
        visible=False, bgcolor=SEA, projection_type="mercator",
        lonaxis_range=[box[0], box[2]], lataxis_range=[box[1], box[3]],
        showframe=False,
    )
    footer_lines = sum(len(textwrap.wrap(part, FOOTER_CHARS)) for part in footer.split("\n")) if footer else 0
    bottom = 8 + 16 * footer_lines
    top = _frame_text(fig, title, footer, height, 4)
    fig.update_layout(height=height, margin={"l": 0, "r": 0, "t": top + 6, "b": bottom},
                      clickmode="event+select", showlegend=False, paper_bgcolor="white")
    return fig


def bar_figure(df: pd.DataFrame, x: str, y: str, height: int = 320) -> go.Figure:
    """A plain horizontal bar chart (data page: articles per source / format)."""
    fig = go.Figure(go.Bar(x=df[x], y=[_html_text(str(v)) for v in df[y]], orientation="h",
                           marker={"color": "#4c78a8"}))
    fig.update_layout(template="plotly_white", height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      yaxis={"autorange": "reversed"})
    return fig
