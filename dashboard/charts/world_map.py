"""The Map page's figure: countries shaded by articles on a log scale, regions and cities as
bubbles, in one panel or, when most places crowd into a small part of the frame, an enlarged
panel beside an overview.

Every clickable point carries `customdata` (["country", code, ...] or ["place", name, ...]).

Offline maps: plotly.js fetches world outlines from a CDN whenever a geo subplot shows a base
layer or when the *first* trace has a `locationmode` (a choropleth does). So the map turns
every base layer off, draws the countries from our own GeoJSON as choropleths, and always puts
a scattergeo trace (lat/lon, no locationmode) first.
"""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.layout import Draft, footer_lines, frame_text, html_text, wrap_title
from dashboard.charts.map_extent import core_frame, map_frame
from dashboard.charts.map_marks import bubbles_trace, log_ticks, names_trace, placed_names, size_legend
from dashboard.geo.countries import Shapes, coarse_shapes_within, country_name

Frame = tuple[float, float, float, float]     # lon_min, lat_min, lon_max, lat_max

MAP_WIDTH = 860         # px the map is laid out for (the page's main column at a common width)
MAIN_SPLIT = 0.68       # the enlarged panel's share of the width
PANEL_GAP = 0.02
SIDE_BOTTOM = 0.5       # the overview panel sits above this height; the scales go under it
COUNTRY_SCALE = [[0, "#fde9d6"], [0.25, "#fdc38d"], [0.5, "#f4875a"], [0.75, "#d7472e"], [1, "#99000d"]]
SEA = "#eef3f7"
LAND = "#e2e2de"
BORDER = "#ffffff"


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
    bottom = 8 + 16 * footer_lines(footer)
    top = (24 + 20 * wrap_title(title)[1] if title else 10) + 6
    largest = int(places["n"].max()) if len(places) else 1
    panel_top = top + 16          # room for the two panels' headings
    core = core_frame(places, box, MAIN_SPLIT * width / (height - panel_top - bottom)) if len(places) else None
    if core:
        top = panel_top
    fig = Draft()
    far = _place_bubbles(fig, places, box, core, largest)
    _country_shapes(fig, countries, box, core, width)
    # 4) names of the leading places, after the shapes so they sit on top
    if len(places):
        _place_names(fig, places, far, box, core, largest, width, height - top - bottom)
    if len(outside):
        fig.add_annotation(**_outside_note(outside))
    _geo_panels(fig, box, core)
    frame_text(fig, title, footer, height, 4)
    fig.update_layout(height=height, margin={"l": 0, "r": 0, "t": top, "b": bottom},
                      clickmode="event+select", showlegend=False, paper_bgcolor="white")
    return fig.figure()


def _panel_share(geo: str, core: Frame | None) -> float:
    """The part of the figure's width panel `geo` takes (geo: the main panel, geo2: the overview)."""
    if not core:
        return 1.0
    return MAIN_SPLIT if geo == "geo" else (1 - MAIN_SPLIT - PANEL_GAP)


def _place_bubbles(fig: Draft, places: pd.DataFrame, box: Frame, core: Frame | None,
                   largest: int) -> pd.DataFrame | None:
    """1) a scattergeo trace first (see the module docstring: keeps plotly.js offline): the
    places' bubbles, or an invisible point without places. With an enlarged panel, the overview
    gets the places outside it and the enlarged area's outline; those places are returned."""
    if len(places):
        fig.add_trace(bubbles_trace(places, largest, "geo", "Regions and cities"))
    else:
        fig.add_trace(dict(type="scattergeo", lon=[(box[0] + box[2]) / 2], lat=[(box[1] + box[3]) / 2],
                           mode="markers", marker={"opacity": 0, "size": 1},
                           hoverinfo="skip", showlegend=False, name=""))
    if not core:
        return None
    lon_in = places["lon"].between(core[0], core[2]) & places["lat"].between(core[1], core[3])
    far = places[~lon_in]
    if len(far):
        fig.add_trace(bubbles_trace(far, largest, "geo2", "Places outside the enlarged area"))
    fig.add_trace(dict(
        type="scattergeo", lon=[core[0], core[2], core[2], core[0], core[0]], lat=[core[1], core[1], core[3], core[3], core[1]],
        mode="lines", line={"color": "#333333", "width": 1.2}, hoverinfo="skip", showlegend=False,
        name="enlarged area", geo="geo2"))
    return far


def _grid(step: float) -> float:
    """A coarse-shape grid step (degrees) from a few fixed values, so cached shapes are reused."""
    for g in (0.02, 0.05, 0.1, 0.25, 0.5, 1.0):
        if step <= g:
            return g
    return 2.0


def _country_shapes(fig: Draft, countries: pd.DataFrame, box: Frame, core: Frame | None, width: int) -> None:
    """Per panel: 2) the countries in view without articles, as land; 3) those with articles,
    shaded on a log scale (one country must not wash out the rest). Each shape is sent once:
    a shaded country's only in the shaded trace."""
    top_n = max(int(countries["n"].max()), 1) if len(countries) else 1
    tickvals, ticktext = log_ticks(top_n)
    with_data = set(countries["code"]) if len(countries) else set()
    panels = [("geo", core or box)] + ([("geo2", box)] if core else [])
    for geo, frame in panels:
        wide = (frame[0] - 25, frame[1] - 15, frame[2] + 25, frame[3] + 15)
        # a shape point every ~2 pixels of the panel draws borders as smooth as the eye sees
        step = 2 * (frame[2] - frame[0]) / (width * _panel_share(geo, core))
        base = coarse_shapes_within(tuple(round(v, 1) for v in wide), _grid(step))
        known = {f["id"] for f in base["features"]}
        land = Shapes(type="FeatureCollection", features=[f for f in base["features"] if f["id"] not in with_data])
        fig.add_trace(dict(
            type="choropleth", geojson=land, locations=[f["id"] for f in land["features"]],
            z=[0] * len(land["features"]),
            featureidkey="id", colorscale=[[0, LAND], [1, LAND]], showscale=False, hoverinfo="skip",
            marker={"line": {"color": BORDER, "width": 0.6}}, name="", showlegend=False, geo=geo,
        ))
        shaded = countries[countries["code"].isin(known)] if len(countries) else countries
        if len(shaded):
            fig.add_trace(_shaded_countries(base, shaded, geo, core, top_n, tickvals, ticktext))


def _colorbar(core: Frame | None, tickvals: list[float], ticktext: list[str]) -> dict:
    """The shading's scale: upright at the right of a single map, flat under the overview."""
    if not core:
        return {"title": {"text": "Articles per<br>country (log)", "font": {"size": 11}},
                "tickvals": tickvals, "ticktext": ticktext, "thickness": 12, "len": 0.55,
                "x": 1.0, "xanchor": "right", "bgcolor": "rgba(255,255,255,0.85)"}
    return {"title": {"text": "Articles per country (log scale)", "font": {"size": 11}, "side": "top"},
            "orientation": "h", "tickvals": tickvals, "ticktext": ticktext, "thickness": 10,
            "len": (1 - MAIN_SPLIT) * 0.9, "lenmode": "fraction", "x": (1 + MAIN_SPLIT) / 2,
            "xanchor": "center", "y": 0.42, "yanchor": "top", "tickfont": {"size": 10}}


def _shaded_countries(base: Shapes, shaded: pd.DataFrame, geo: str, core: Frame | None, top_n: int,
                      tickvals: list[float], ticktext: list[str]) -> dict:
    """The countries with articles on panel `geo`, shaded by log10(articles); only their own
    shapes go into this trace."""
    codes = set(shaded["code"])
    return dict(
        type="choropleth", geojson=Shapes(type="FeatureCollection",
                                          features=[f for f in base["features"] if f["id"] in codes]),
        locations=list(shaded["code"]), z=[math.log10(max(n, 1)) for n in shaded["n"]],
        zmin=0, zmax=max(math.log10(top_n), 1.0), featureidkey="id", colorscale=COUNTRY_SCALE,
        marker={"line": {"color": BORDER, "width": 0.8}}, showscale=geo == "geo",
        colorbar=_colorbar(core, tickvals, ticktext),
        customdata=[["country", c, country_name(c), f"{n:,}"] for c, n in zip(shaded["code"], shaded["n"])],
        hovertemplate="<b>%{customdata[2]}</b><br>%{customdata[3]} articles<extra></extra>",
        name="Countries", geo=geo,
    )


def _place_names(fig: Draft, places: pd.DataFrame, far: pd.DataFrame | None, box: Frame, core: Frame | None,
                 largest: int, width: int, plot_h: int) -> None:
    """The leading places' names where they fit (on the overview, a few of those outside the
    enlarged area), then the size legend (under the overview when there is one)."""
    main_w = width * _panel_share("geo", core)
    fig.add_trace(names_trace(places, placed_names(places, core or box, main_w, plot_h, largest), "geo", largest))
    if far is not None and len(far):
        side_h = plot_h * (1 - SIDE_BOTTOM)
        side_w = width * _panel_share("geo2", core)
        fig.add_trace(names_trace(far, placed_names(far, box, side_w, side_h, largest, limit=4), "geo2", largest))
    size_legend(fig, largest, MAIN_SPLIT + PANEL_GAP if core else 0.0, 6)


def _outside_note(outside: pd.DataFrame) -> dict:
    """The note naming the places left outside the frame (the first six, and how many more)."""
    listed = ", ".join(f"{html_text(r.name)} ({r.n:,})" for r in outside.head(6).itertuples(index=False))
    more = f" and {len(outside) - 6:,} more" if len(outside) > 6 else ""
    return dict(text=f"Outside this frame: {listed}{more}", xref="paper", yref="paper",
                x=1, y=0, xanchor="right", yanchor="bottom", showarrow=False, align="right",
                bgcolor="rgba(255,255,255,0.85)", font={"size": 10, "color": "#333333"})


def _geo_panels(fig: Draft, box: Frame, core: Frame | None) -> None:
    """The geo subplots: the main panel (the enlarged area, or the whole frame) and, with an
    enlarged area, the overview above the scales, each with its heading."""
    main_frame = core or box
    geo_style = {"visible": False, "bgcolor": SEA, "projection": {"type": "mercator"}, "showframe": False}
    fig.update_layout(geo=dict(lonaxis={"range": [main_frame[0], main_frame[2]]},
                               lataxis={"range": [main_frame[1], main_frame[3]]},
                               domain={"x": [0, MAIN_SPLIT if core else 1], "y": [0, 1]}, **geo_style))
    if not core:
        return
    fig.update_layout(geo2=dict(lonaxis={"range": [box[0], box[2]]}, lataxis={"range": [box[1], box[3]]},
                                domain={"x": [MAIN_SPLIT + PANEL_GAP, 1], "y": [SIDE_BOTTOM, 1]},
                                **geo_style))
    fig.add_annotation(text="Enlarged: the area outlined on the overview", xref="paper", yref="paper",
                       x=0, y=1, xanchor="left", yanchor="bottom", showarrow=False,
                       font={"size": 11, "color": "#555555"})
    fig.add_annotation(text="Overview: every place", xref="paper", yref="paper",
                       x=MAIN_SPLIT + PANEL_GAP, y=1, xanchor="left", yanchor="bottom", showarrow=False,
                       font={"size": 11, "color": "#555555"})
