"""What the map draws on its countries: place bubbles (area by articles), a size legend, the
leading places' names where they fit without overlapping, and the log-scale ticks of the
country shading."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.layout import Draft, html_text
from dashboard.charts.map_extent import mercator_y
from dashboard.geo.countries import country_name

MAX_BUBBLE = 44         # px, the busiest place's bubble
MIN_BUBBLE = 4
PLACE_LABELS = 12


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


def size_legend(fig: go.Figure | Draft, largest: int, x: float, y_px: int) -> list[int]:
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


def placed_names(places: pd.DataFrame, frame, width_px: float, height_px: float, largest: int,
              limit: int = PLACE_LABELS) -> list[tuple[object, str]]:
    """The leading places that can be named without two names overlapping: [(index, plotly
    textposition)], busiest first. Each name tries four spots around its bubble (above, below,
    right, left) in the panel's pixel space (Mercator, the frame filling the panel)."""
    y_lo, y_hi = mercator_y(frame[1]), mercator_y(frame[3])

    def px(lon, lat):
        return ((lon - frame[0]) / (frame[2] - frame[0]) * width_px,
                (mercator_y(max(-85.0, min(85.0, lat))) - y_lo) / (y_hi - y_lo) * height_px)

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


def log_ticks(largest: int) -> tuple[list[float], list[str]]:
    """Tick positions (log10) and labels of the country shading: 1, 3, 10, 30, ... up to `largest`."""
    values = [v for v in (1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000, 300000, 1000000)
              if v <= max(largest, 1)]
    return [math.log10(v) for v in values], [f"{v:,}" for v in values]


def bubbles_trace(places: pd.DataFrame, largest: int, geo: str, name: str) -> dict:
    """The places as bubbles on panel `geo`, area by articles; customdata ["place", name, hover, count]."""
    n = places["n"].to_numpy(float)
    sizes = np.maximum(MIN_BUBBLE, MAX_BUBBLE * np.sqrt(np.maximum(n, 0) / max(largest, 1)))
    names = places["name"].astype(str).to_numpy(dtype=object)
    hover = [f"{r.name} ({r.kind}, {country_name(r.country_code)})" for r in places.itertuples(index=False)]
    # arrays, not lists of lists: see trend._hover_data
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


def names_trace(places: pd.DataFrame, chosen: list[tuple[object, str]], geo: str, largest: int) -> dict:
    """The names, each beside its bubble: plotly offsets text from a point by its marker's size,
    so the trace carries invisible markers of the bubbles' sizes."""
    named = places.loc[[i for i, _ in chosen]]
    return dict(
        type="scattergeo", lon=named["lon"].to_numpy(float), lat=named["lat"].to_numpy(float),
        mode="markers+text", text=[html_text(t) for t in named["name"]],
        marker={"size": [bubble_size(n, largest) for n in named["n"]], "sizemode": "diameter", "opacity": 0},
        textposition=[pos for _, pos in chosen], hoverinfo="skip", showlegend=False, name="labels", geo=geo,
        textfont={"size": LABEL_FONT, "color": "#1a1a1a", "shadow": "1px 1px 2px white"},
    )

