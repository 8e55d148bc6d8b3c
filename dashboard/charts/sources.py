"""Sources over time: the leading outlets' articles per period as small multiples, with the
archive's gaps (queries.source_volume) drawn as hatched grey bands and listed in words. Built
from query results: no SQL, no widgets.

Every volume bar carries `customdata` [source, period ISO date] so a click can filter by the
outlet; gap bands carry the same and `meta = {"role": "gap"}`.
"""
from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import periods
from dashboard.charts.layout import TEMPLATE, figure

PANEL = 70          # px per outlet
KEY_DATE_CHARS = 12  # key-date labels cut to this, to stay within the top panel
GAP = 24            # px between panels
# px left of the panels (y tick labels) and under them (the time axis): room enough that plotly's
# automargin never widens them after drawing, which draws the chart a second time
LEFT, BOTTOM = 46, 36
BAR = "#4c78a8"
GAP_COLOUR = "#9a9a9a"
PERIOD_MS = {"day": 86_400_000, "week": 7 * 86_400_000, "month": 30 * 86_400_000}


def gap_ranges(volume: pd.DataFrame, grain: str) -> pd.DataFrame:
    """Runs of gap periods per outlet: source, first, last (period starts), periods."""
    rows = []
    for source, part in volume.groupby("source", sort=False):
        run: list[pd.Timestamp] = []
        for period, gap in zip(part["period"], part["gap"]):
            if gap:
                run.append(period)
            elif run:
                rows.append((source, run[0], run[-1], len(run)))
                run = []
        if run:
            rows.append((source, run[0], run[-1], len(run)))
    return pd.DataFrame(rows, columns=["source", "first", "last", "periods"])


def gap_sentence(row, grain: str) -> str:
    """'Levant Ledger: no articles Mar 2014 to May 2014' (plain text)."""
    first, last = periods.label(row.first, grain), periods.label(row.last, grain)
    span = first if row.first == row.last else f"{first} to {last}"
    return f"{row.source}: no articles {span}"


def source_figure(volume: pd.DataFrame, grain: str, title: str = "") -> go.Figure:
    """One panel per outlet (in order of articles in the view), each on its own scale so a
    small outlet's gaps show as clearly as a large one's; bars are the outlet's articles in the
    view, hatched grey bands the periods where the archive lacks it. Built from plain dicts in
    one step (charts.layout.figure): make_subplots and add_trace validated every property,
    ~0.4 s of a Trends run at a million articles."""
    sources = list(dict.fromkeys(volume["source"])) if len(volume) else []
    rows_n = max(1, len(sources))
    top = 40 if title else 10
    height = top + rows_n * PANEL + (rows_n - 1) * GAP + BOTTOM + 10
    plot_h = height - top - BOTTOM - 10
    spacing = (GAP / plot_h) if rows_n > 1 else 0.0
    panel = (1 - spacing * (rows_n - 1)) / rows_n
    width = PERIOD_MS.get(grain, PERIOD_MS["month"]) * 0.85
    data: list[dict] = []
    annotations: list[dict] = []
    layout: dict = {}
    # dates and period names formatted for every row at once: per outlet, formatting cost more
    # than the rest of the figure
    none: np.ndarray = np.empty(0, dtype=object)
    all_labels = periods.labels(volume["period"], grain) if len(volume) else none
    all_iso = volume["period"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object) if len(volume) else none
    at = volume.groupby("source", sort=False).indices if len(volume) else {}
    for i, source in enumerate(sources, start=1):
        axes = {"xaxis": "x" if i == 1 else f"x{i}", "yaxis": "y" if i == 1 else f"y{i}"}
        idx = at[source]
        part = volume.iloc[idx]
        labels = all_labels[idx]
        isodates = all_iso[idx]
        name = html.escape(source)
        data.append({
            "type": "bar", "x": part["period"].to_numpy(), "y": part["n"].to_numpy(), "width": width,
            "marker": {"color": BAR}, "name": name, "showlegend": False,
            "customdata": np.column_stack([np.full(len(part), source, dtype=object), isodates, labels]),
            "meta": {"role": "volume", "source": source},
            "hovertemplate": f"<b>{name}</b><br>%{{customdata[2]}}: %{{y:,}} articles<extra></extra>", **axes})
        gap = part["gap"].to_numpy(dtype=bool)
        ceiling = max(int(part["n"].max()), 1)
        if gap.any():
            data.append({
                "type": "bar", "x": part["period"].to_numpy()[gap], "y": np.full(int(gap.sum()), ceiling),
                "width": PERIOD_MS.get(grain, PERIOD_MS["month"]),
                "marker": {"color": "rgba(154,154,154,0.18)", "line": {"width": 0},
                           "pattern": {"shape": "/", "fgcolor": GAP_COLOUR, "size": 6, "solidity": 0.25}},
                "customdata": np.column_stack([np.full(int(gap.sum()), source, dtype=object), isodates[gap],
                                               np.asarray(labels, dtype=object)[gap],
                                               part["n_archive"].to_numpy()[gap].astype(int)]),
                "hovertemplate": (f"<b>Gap in the archive: {name}</b><br>%{{customdata[2]}}: no articles "
                                  "from it, %{customdata[3]:,} from other outlets<extra></extra>"),
                "showlegend": False, "name": "gap", "meta": {"role": "gap", "source": source}, **axes})
        total = int(part["n"].sum())
        # panels stacked top to bottom on one time axis, as make_subplots(shared_xaxes) lays them out
        domain = [max(0.0, 1 - i * panel - (i - 1) * spacing), min(1.0, 1 - (i - 1) * (panel + spacing))]
        suffix = "" if i == 1 else str(i)
        layout[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "domain": domain, "rangemode": "tozero", "nticks": 3,
                                    "zeroline": True, "zerolinecolor": "#bbbbbb"}
        layout[f"xaxis{suffix}"] = {"anchor": f"y{suffix}", "domain": [0.0, 1.0], "showgrid": False,
                                    "ticks": "outside", "ticklen": 3, "showticklabels": i == rows_n,
                                    **({"matches": f"x{rows_n}"} if i < rows_n else {})}
        annotations.append({"text": f"<b>{name}</b>  <span style='color:#777'>{total:,} article{'' if total == 1 else 's'}</span>",
                            "xref": "paper", "yref": "paper", "x": 0, "y": domain[1], "xanchor": "left",
                            "yanchor": "bottom", "showarrow": False, "font": {"size": 12, "color": "#333333"},
                            "yshift": 1})
    if not sources:
        layout["xaxis"] = {"showgrid": False, "ticks": "outside", "ticklen": 3}
        layout["yaxis"] = {"rangemode": "tozero", "nticks": 3, "zeroline": True, "zerolinecolor": "#bbbbbb"}
    if title:
        layout["title"] = {"text": html.escape(title), "x": 0, "xanchor": "left", "xref": "container",
                           "pad": {"l": 10}, "font": {"size": 15, "color": "#222222"}}
    layout.update(template=TEMPLATE, height=height, showlegend=False, barmode="overlay", bargap=0,
                  margin={"l": LEFT, "r": 14, "t": top + 16, "b": BOTTOM}, hovermode="closest",
                  clickmode="event+select", annotations=annotations)
    return figure(data, layout)
