"""The plain bar chart of the Data page (articles per source / format)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.layout import html_text


def bar_figure(df: pd.DataFrame, x: str, y: str, height: int = 320) -> go.Figure:
    """A plain horizontal bar chart (data page: articles per source / format)."""
    fig = go.Figure(go.Bar(x=df[x], y=[html_text(str(v)) for v in df[y]], orientation="h",
                           marker={"color": "#4c78a8"}))
    fig.update_layout(template="plotly_white", height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      yaxis={"autorange": "reversed"})
    return fig
