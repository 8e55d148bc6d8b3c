"""Plotly figures for the Reported figures page (people reported killed or defected per period,
defections by rank and destination), built from query results: no SQL, no widgets.

Each bar of the per-period figures carries `customdata` [measure, period ISO date], so the page
can list the sentences behind a clicked bar."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.periods import label as period_label

KILLED_PARTS = {            # stacked parts of the killed bar: column -> (label, colour)
    "children_killed": ("Children", "#e45756"),
    "women_killed": ("Women", "#f58518"),
    "other_civilians": ("Other civilians", "#eeca3b"),
    "combatants_killed": ("Combatants", "#4c78a8"),
    "unstated": ("Not stated", "#bab0ac"),
}


def killed_parts(trend: pd.DataFrame) -> pd.DataFrame:
    """Split each period's killed into parts that add up to it: children, women, other
    civilians, combatants, and the rest whose group the reports do not state."""
    out = pd.DataFrame({"period": trend["period"]})
    get = lambda c: trend[c].fillna(0).astype("int64")  # noqa: E731
    children, women, combatants = get("children_killed"), get("women_killed"), get("combatants_killed")
    civilians = pd.concat([get("civilians_killed"), children + women], axis=1).max(axis=1)
    out["children_killed"] = children
    out["women_killed"] = women
    out["other_civilians"] = civilians - children - women
    out["combatants_killed"] = combatants
    out["unstated"] = (get("killed") - civilians - combatants).clip(lower=0)
    return out


def killed_figure(trend: pd.DataFrame, grain: str, title: str = "") -> go.Figure:
    """Stacked bars of people reported killed per period."""
    fig = go.Figure()
    parts = killed_parts(trend)
    labels = [period_label(pd.Timestamp(p), grain) for p in trend["period"]]
    custom = [["killed", pd.Timestamp(p).date().isoformat()] for p in trend["period"]]
    for column, (label, colour) in KILLED_PARTS.items():
        fig.add_trace(go.Bar(x=pd.to_datetime(trend["period"]), y=parts[column], name=label,
                             marker_color=colour, customdata=custom, text=labels,
                             hovertemplate="%{text}: %{y:,} " + label.lower() + "<extra></extra>"))
    fig.update_layout(barmode="stack", title=title, yaxis_title="People reported killed",
                      margin=dict(l=10, r=10, t=40, b=10), legend=dict(orientation="h", y=-0.15),
                      clickmode="event+select")
    return fig


def defected_figure(trend: pd.DataFrame, grain: str, title: str = "") -> go.Figure:
    """Bars of people reported to have defected per period."""
    labels = [period_label(pd.Timestamp(p), grain) for p in trend["period"]]
    custom = [["defected", pd.Timestamp(p).date().isoformat()] for p in trend["period"]]
    fig = go.Figure(go.Bar(x=pd.to_datetime(trend["period"]), y=trend["defected"], name="Defected",
                           marker_color="#b279a2", customdata=custom, text=labels,
                           hovertemplate="%{text}: %{y:,} defected<extra></extra>"))
    fig.update_layout(title=title, yaxis_title="People reported to have defected",
                      margin=dict(l=10, r=10, t=40, b=10), clickmode="event+select")
    return fig


def breakdown_figure(rows: pd.DataFrame, label: str, names: dict | None = None) -> go.Figure:
    """Horizontal bars of people defected by one attribute (rank or destination)."""
    names = names or {}
    shown = rows.head(15).iloc[::-1]
    y = [names.get(v, v) if isinstance(v, str) else "not stated" for v in shown["value"]]
    fig = go.Figure(go.Bar(x=shown["defected"], y=y, orientation="h", marker_color="#b279a2",
                           hovertemplate="%{y}: %{x:,} people<extra></extra>"))
    fig.update_layout(title=label, margin=dict(l=10, r=10, t=40, b=10), height=max(220, 28 * len(shown) + 80),
                      xaxis_title="People")
    return fig
