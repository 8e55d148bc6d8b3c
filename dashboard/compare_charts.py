"""The Compare chart: one line per series on one time axis and one scale, a legend naming the
series, and a hover giving the period, the value, the series' own numbers and, for the share,
which base it is a share of. No SQL, no widgets.

One plot rather than panels (the Trends chart's small multiples): a comparison exists to put
the lines against each other, and there are at most six, named in a legend. Every trace has
`meta = {"role": line | low_base, "series": position}`; `customdata` is [position, period ISO
date, period label, value text, base text].
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import MIN_SHARE_BASE, TEMPLATE, figure
from dashboard.charts.layout import frame_parts, html_text
from dashboard.periods import UNIT
from dashboard.periods import labels as period_labels

# colour-blind-safe and distinct on white (Okabe–Ito, the yellow darkened for lines)
SERIES_COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9"]
PLOT_HEIGHT = 380


def colour(i: int) -> str:
    return SERIES_COLOURS[i % len(SERIES_COLOURS)]


def compare_figure(trend: pd.DataFrame, labels: list[str], bases: list[str], metric: str, grain: str,
                   smooth: int, title: str = "", footer: str = "", min_base: int = MIN_SHARE_BASE) -> go.Figure:
    """`trend` from queries.compare_trend; `labels[i]` names series i, `bases[i]` says in words
    what its share is a share of ("articles from Reuters in Syria").

    Share: a period whose base has fewer than `min_base` articles is a hollow point off the line
    (a share of 3 articles swings between 0 and 100 %), as on the Trends chart.
    """
    share = metric == "share"
    unit = UNIT.get(grain, grain)
    footer_lines = len(footer.split("\n")) if footer else 0
    bottom = 34
    legend_rows = 1 + (len(labels) > 3)
    head, foot, top = frame_parts(title, footer, 0, bottom)
    top += 24 * legend_rows
    height = top + PLOT_HEIGHT + bottom + 16 * footer_lines + 8
    if head:
        head["y"] = 1 - 10 / height
    smooth_text = f"<br>{smooth}-{unit} mean: %{{customdata[5]}}" if smooth > 1 else ""
    data: list[dict] = []
    for i, name in enumerate(labels):
        rows = trend[trend["series"] == i]
        x = rows["period"].to_numpy()
        when = period_labels(rows["period"], grain)
        n, total = rows["n"].to_numpy(), rows["total"].to_numpy()
        if share:
            values = [f"{v:.1f}% — {a:,} of {b:,} articles"
                      + ("" if b >= min_base else f"<br>fewer than {min_base} articles in the base: "
                                                  "too few for a reliable share")
                      for v, a, b in zip(rows["value"], n, total)]
            base = f"Share of: {html_text(bases[i])}"
        else:
            values = [f"{a:,} article{'s' if a != 1 else ''}" for a in n]
            base = "Base that " + unit + ": %{customdata[6]} articles, " + html_text(bases[i])
        custom = np.column_stack([np.full(len(rows), i), rows["period"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
                                  when, np.array(values, dtype=object), np.full(len(rows), bases[i], dtype=object),
                                  np.array([f"{s:.1f}{'%' if share else ''}" for s in rows["smoothed"]], dtype=object),
                                  np.array([f"{b:,}" for b in total], dtype=object)]).astype(str)
        hover = (f"<b>{html_text(name)}</b><br>%{{customdata[2]}}<br>%{{customdata[3]}}{smooth_text}"
                 f"<br><span style='font-size:11px'>{base}</span><extra></extra>")
        y = rows["smoothed"].astype(float)
        line_y = y
        if share:
            low = total < min_base
            line_y = y.where(~low)
            low &= total > 0          # no base at all: no share, no point
            if low.any():
                data.append({"type": "scatter", "x": x[low], "y": y[low].to_numpy(dtype=float), "mode": "markers",
                             "name": f"{name}: fewer than {min_base} articles", "showlegend": False,
                             "marker": {"size": 6, "color": "white", "line": {"color": colour(i), "width": 1.2}},
                             "customdata": custom[low], "hovertemplate": hover,
                             "meta": {"role": "low_base", "series": i}})
        data.append({"type": "scatter", "x": x, "y": line_y.to_numpy(dtype=float), "mode": "lines+markers",
                     "name": name, "connectgaps": False, "line": {"color": colour(i), "width": 2.2},
                     "marker": {"size": 4, "color": colour(i)}, "customdata": custom,
                     "hovertemplate": hover, "meta": {"role": "line", "series": i}})
    annotations = [foot] if foot else []
    layout: dict = {
        "template": TEMPLATE, "height": height, "hovermode": "closest", "annotations": annotations,
        "margin": {"l": 10, "r": 14, "t": top + 10, "b": bottom + 16 * footer_lines + 8},
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom",
                   "font": {"size": 13}, "itemclick": "toggle", "itemdoubleclick": "toggleothers"},
        "yaxis": {"rangemode": "tozero", "ticksuffix": "%" if share else "", "zeroline": True,
                  "zerolinecolor": "#bbbbbb",
                  "title": {"text": "% of each series' base" if share else "Articles",
                            "font": {"size": 12, "color": "#555555"}}},
        "xaxis": {"showgrid": False, "ticks": "outside", "ticklen": 3},
        "hoverlabel": {"font": {"size": 12}, "align": "left"},
    }
    if head:
        layout["title"] = head
    return figure(data, layout)
