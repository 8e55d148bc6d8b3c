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

import pandas as pd
import plotly.graph_objects as go

from dashboard.geo.countries import bbox_of, country_name, shapes_within

GRAIN_LABEL = {"day": "day", "week": "week of", "month": "month"}
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


def period_label(ts: pd.Timestamp, grain: str) -> str:
    if grain == "month":
        return ts.strftime("%b %Y")
    if grain == "week":
        return f"week of {ts.day} {ts.strftime('%b %Y')}"
    return f"{ts.day} {ts.strftime('%b %Y')}"


def trend_figure(trend: pd.DataFrame, spikes: pd.DataFrame, labels: dict[str, str],
                 colours: dict[str, str], metric: str, grain: str, smooth: int,
                 title: str = "") -> go.Figure:
    """One line per topic; surge markers (triangles) at spike periods of the shown topics."""
    fig = go.Figure()
    share = metric == "share"
    y_title = "% of articles" if share else "Articles"
    for topic_id, rows in trend.groupby("topic_id", sort=False):
        label = labels.get(topic_id, topic_id)
        colour = colours.get(topic_id, FALLBACK_COLOURS[len(fig.data) % len(FALLBACK_COLOURS)])
        periods = [period_label(p, grain) for p in rows["period"]]
        value_text = [f"{v:.1f}% of {t:,}" if share else f"{n:,} of {t:,}"
                      for v, n, t in zip(rows["value"], rows["n"], rows["total"])]
        smooth_text = f"<br>{smooth}-period mean: %{{y:.1f}}" if smooth > 1 else ""
        fig.add_trace(go.Scatter(
            x=rows["period"], y=rows["smoothed"], name=label, mode="lines+markers",
            line={"color": colour, "width": 2, "shape": "linear"},
            marker={"size": 5, "color": colour},
            customdata=[[topic_id, p.date().isoformat(), pt, vt]
                        for p, pt, vt in zip(rows["period"], periods, value_text)],
            hovertemplate=f"<b>{_html_text(label)}</b><br>%{{customdata[2]}}<br>%{{customdata[3]}}"
                          f"{smooth_text}<extra></extra>",
        ))
    shown = set(trend["topic_id"].unique()) if len(trend) else set()
    marks = spikes[spikes["topic_id"].isin(shown)] if len(spikes) else spikes
    if len(marks):
        y_at = trend.set_index(["topic_id", "period"])["smoothed"]
        ys, cds, cols = [], [], []
        for row in marks.itertuples(index=False):
            ys.append(float(y_at.get((row.topic_id, row.period), row.n)))
            cds.append([row.topic_id, row.period.date().isoformat(), period_label(row.period, grain),
                        f"{row.n:,} articles, {row.ratio:.1f}× the usual {row.baseline:.1f}"])
            cols.append(colours.get(row.topic_id, "#333333"))
        fig.add_trace(go.Scatter(
            x=list(marks["period"]), y=ys, mode="markers", name="Surge",
            marker={"symbol": "triangle-up", "size": 13, "color": cols,
                    "line": {"color": "#222222", "width": 1}},
            customdata=cds,
            hovertemplate="<b>Surge</b> %{customdata[0]}<br>%{customdata[2]}<br>%{customdata[3]}<extra></extra>",
        ))
    fig.update_layout(
        template="plotly_white", height=460, margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        title={"text": _html_text(title), "font": {"size": 14}} if title else None,
        legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0},
        hovermode="closest", clickmode="event+select",
        yaxis={"title": y_title, "rangemode": "tozero", "ticksuffix": "%" if share else ""},
        xaxis={"title": None},
    )
    return fig


def _html_text(text: str) -> str:
    """Plotly renders a small HTML subset in labels; show data text literally."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _view_box(countries: pd.DataFrame, places: pd.DataFrame) -> tuple[float, float, float, float]:
    """Frame the few countries holding most (80 %) of the articles, padded a little; places far
    away stay reachable by panning rather than shrinking the region everyone looks at."""
    codes = []
    if len(countries):
        ranked = countries.sort_values("n", ascending=False)
        cum = ranked["n"].cumsum() / max(ranked["n"].sum(), 1)
        codes = list(ranked["code"][(cum.shift(fill_value=0) < 0.8)].head(8))
    box = bbox_of(codes)
    if box is None and len(places):
        top = places.sort_values("n", ascending=False).head(20)
        box = (top["lon"].min(), top["lat"].min(), top["lon"].max(), top["lat"].max())
    if box is None:
        box = (25.0, 12.0, 60.0, 42.0)   # the Middle East when there is nothing to frame
    x0, y0, x1, y1 = box
    pad_x, pad_y = max(3.0, (x1 - x0) * 0.15), max(3.0, (y1 - y0) * 0.15)
    return (max(-180, x0 - pad_x), max(-85, y0 - pad_y), min(180, x1 + pad_x), min(85, y1 + pad_y))


def map_figure(countries: pd.DataFrame, places: pd.DataFrame, height: int = 560) -> go.Figure:
    """Countries shaded by articles, regions and cities as bubbles, drawn from local shapes."""
    box = _view_box(countries, places)
    wide = (box[0] - 25, box[1] - 15, box[2] + 25, box[3] + 15)
    base = shapes_within(wide)
    known = {f["id"] for f in base["features"]}
    fig = go.Figure()
    # 1) the scattergeo trace first: see the module docstring (keeps plotly.js offline)
    if len(places):
        size_ref = max(places["n"].max(), 1)
        fig.add_trace(go.Scattergeo(
            lon=places["lon"], lat=places["lat"], mode="markers", name="Regions and cities",
            marker={"size": [6 + 30 * math.sqrt(n / size_ref) for n in places["n"]],
                    "color": "rgba(33, 102, 172, 0.6)", "line": {"color": "#ffffff", "width": 1}},
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
    # 3) countries with articles, shaded
    data = countries[countries["code"].isin(known)] if len(countries) else countries
    if len(data):
        fig.add_trace(go.Choropleth(
            geojson=base, locations=list(data["code"]), z=list(data["n"]), featureidkey="id",
            colorscale="OrRd", marker={"line": {"color": BORDER, "width": 0.8}},
            colorbar={"title": {"text": "Articles"}, "thickness": 12, "len": 0.6},
            customdata=[["country", c, country_name(c), f"{n:,}"] for c, n in zip(data["code"], data["n"])],
            hovertemplate="<b>%{customdata[2]}</b><br>%{customdata[3]} articles<extra></extra>",
            name="Countries",
        ))
    fig.update_geos(
        visible=False, bgcolor=SEA, projection_type="mercator",
        lonaxis_range=[box[0], box[2]], lataxis_range=[box[1], box[3]],
        showframe=False,
    )
    fig.update_layout(height=height, margin={"l": 0, "r": 0, "t": 0, "b": 0},
                      clickmode="event+select", showlegend=False, paper_bgcolor="white")
    return fig


def bar_figure(df: pd.DataFrame, x: str, y: str, height: int = 320) -> go.Figure:
    """A plain horizontal bar chart (data page: articles per source / format)."""
    fig = go.Figure(go.Bar(x=df[x], y=[_html_text(str(v)) for v in df[y]], orientation="h",
                           marker={"color": "#4c78a8"}))
    fig.update_layout(template="plotly_white", height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      yaxis={"autorange": "reversed"})
    return fig


def standalone_html(fig: go.Figure) -> str:
    """The figure as one self-contained HTML file (plotly.js embedded: opens offline)."""
    return fig.to_html(include_plotlyjs=True, full_html=True, config=PLOTLY_CONFIG)
