"""Sources over time: the leading outlets' articles per period as small multiples, with the
archive's gaps (queries.source_volume) drawn as hatched grey bands and listed in words. Built
from query results: no SQL, no widgets.

Every volume bar carries `customdata` [source, period ISO date] so a click can filter by the
outlet; gap bands carry the same and `meta = {"role": "gap"}`.
"""
from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import periods

PANEL = 70          # px per outlet
KEY_DATE_CHARS = 12  # key-date labels cut to this, to stay within the top panel
GAP = 24            # px between panels
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
    view, hatched grey bands the periods where the archive lacks it."""
    sources = list(dict.fromkeys(volume["source"])) if len(volume) else []
    rows_n = max(1, len(sources))
    top = 40 if title else 10
    height = top + rows_n * PANEL + (rows_n - 1) * GAP + 40
    plot_h = height - top - 40
    fig = make_subplots(rows=rows_n, cols=1, shared_xaxes=True,
                        vertical_spacing=(GAP / plot_h) if rows_n > 1 else 0.0)
    width = PERIOD_MS.get(grain, PERIOD_MS["month"]) * 0.85
    for i, source in enumerate(sources, start=1):
        part = volume[volume["source"] == source]
        labels = [periods.label(p, grain) for p in part["period"]]
        custom = [[source, p.date().isoformat(), lab] for p, lab in zip(part["period"], labels)]
        name = html.escape(source)
        fig.add_trace(go.Bar(
            x=part["period"], y=part["n"], width=width, marker={"color": BAR}, name=name,
            customdata=custom, showlegend=False, meta={"role": "volume", "source": source},
            hovertemplate=f"<b>{name}</b><br>%{{customdata[2]}}: %{{y:,}} articles<extra></extra>",
        ), row=i, col=1)
        gaps = part[part["gap"]]
        ceiling = max(int(part["n"].max()), 1)
        if len(gaps):
            fig.add_trace(go.Bar(
                x=gaps["period"], y=[ceiling] * len(gaps), width=PERIOD_MS.get(grain, PERIOD_MS["month"]),
                marker={"color": "rgba(154,154,154,0.18)", "line": {"width": 0},
                        "pattern": {"shape": "/", "fgcolor": GAP_COLOUR, "size": 6, "solidity": 0.25}},
                customdata=[[source, p.date().isoformat(), periods.label(p, grain), int(a)]
                            for p, a in zip(gaps["period"], gaps["n_archive"])],
                hovertemplate=(f"<b>Gap in the archive: {name}</b><br>%{{customdata[2]}}: no articles "
                               "from it, %{customdata[3]:,} from other outlets<extra></extra>"),
                showlegend=False, name="gap", meta={"role": "gap", "source": source},
            ), row=i, col=1)
        total = int(part["n"].sum())
        axis = fig.layout["yaxis" if i == 1 else f"yaxis{i}"]
        fig.add_annotation(text=f"<b>{name}</b>  <span style='color:#777'>{total:,} articles</span>",
                           xref="paper", yref="paper", x=0, y=axis.domain[1], xanchor="left",
                           yanchor="bottom", showarrow=False, font={"size": 12, "color": "#333333"}, yshift=1)
    if title:
        fig.update_layout(title={"text": html.escape(title), "x": 0, "xanchor": "left", "xref": "container",
                                 "pad": {"l": 10}, "font": {"size": 15, "color": "#222222"}})
    fig.update_layout(template="plotly_white", height=height, showlegend=False, barmode="overlay",
                      bargap=0, margin={"l": 10, "r": 14, "t": top + 16, "b": 30},
                      hovermode="closest", clickmode="event+select")
    fig.update_yaxes(rangemode="tozero", nticks=3, zeroline=True, zerolinecolor="#bbbbbb")
    fig.update_xaxes(showgrid=False, ticks="outside", ticklen=3)
    return fig
