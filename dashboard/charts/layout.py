"""What every figure shares: the plotly template, the export button's config, the wrapped title
and the footer, data text shown literally, and the one-step Figure build."""
from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import plotly.io as pio

TITLE_CHARS = 62        # a title line wraps after this many characters
FOOTER_CHARS = 130
# the plotly_white template, read once (building it is a good part of a figure's cost)
TEMPLATE = pio.templates["plotly_white"]
PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "conflict-trends"},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def html_text(text: str) -> str:
    """Plotly renders a small HTML subset in labels; show data text literally."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def wrap_title(text: str, width: int = TITLE_CHARS) -> tuple[str, int]:
    """Plotly never wraps a title, it cuts it at the figure's edge: break it into lines of at
    most `width` characters at spaces (escaped, joined by <br>); returns (text, line count)."""
    lines = textwrap.wrap(text or "", width=width, break_long_words=True) or [""]
    return "<br>".join(html_text(line) for line in lines), len(lines)


def footer_lines(footer: str) -> int:
    """How many lines the footer takes once wrapped (0 without one)."""
    return sum(len(textwrap.wrap(part, FOOTER_CHARS)) for part in footer.split("\n")) if footer else 0


def frame_parts(title: str, footer: str, height: int, bottom: int) -> tuple[dict | None, dict | None, int]:
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
        lines = "<br>".join(html_text(line) for part in footer.split("\n")
                            for line in textwrap.wrap(part, FOOTER_CHARS))
        foot = {"text": lines, "xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "left",
                "yanchor": "top", "yshift": -bottom, "showarrow": False, "align": "left",
                "font": {"size": 11, "color": "#666666"}}
    return head, foot, top


def frame_text(fig: go.Figure | Draft, title: str, footer: str, height: int, bottom: int) -> int:
    """`frame_parts` put on `fig`; returns the top margin the title needs."""
    head, foot, top = frame_parts(title, footer, height, bottom)
    if head:
        fig.update_layout(title=head)
    if foot:
        fig.add_annotation(**foot)
    return top


class Draft:
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
