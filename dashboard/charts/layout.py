"""What every figure shares: the plotly template, the export button's config, the wrapped title
and the footer, data text shown literally, and the one-step Figure build."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import textwrap

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.utils import convert_to_base64
from plotly.utils import PlotlyJSONEncoder

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


# -- on screen: the theme written into the figure, so that each chart is drawn once --------------
#
# Why: with Streamlit's chart theme, its chart element draws a figure, then re-applies the theme
# to a JSON copy of it and hands plotly.js that copy; the copy carries a new `layout.template`
# object and new `meta` objects, which plotly.js compares by identity, so it recalculates and
# redraws the whole chart (docs/figures.md gives the cost). `screen` therefore bakes what
# the theme would give into the figure's own layout and traces (the figure's template with
# Streamlit's values for this app's light theme merged in, as Streamlit's frontend merges them),
# drops the template, sends arrays as lists under a content `datarevision`, and gives `meta` as
# JSON text; pages draw it with `theme=None`. The figures themselves (exports, tests) are not
# changed. The values below are Streamlit 1.67's for `[theme] base = "light"` (.streamlit/
# config.toml sets it), read off its rendered charts; a viewer who picks a dark theme in the
# settings menu gets Streamlit's themed chart (`show`).

_FONT = '"Source Sans", sans-serif, "Source Sans", sans-serif'
_GRAY30, _GRAY70, _GRAY90, _HEADING, _BG = "#e6eaf1", "#808495", "#262730", "#2F2D2B", "#FFFFFF"
# what Streamlit's frontend merges into `layout.template.layout` (applyStreamlitThemeTemplateLayout)
STREAMLIT_LIGHT = {
    "font": {"color": _GRAY70, "family": _FONT, "size": 12, "weight": 400},
    "title": {"color": _HEADING, "subtitleColor": _HEADING,
              "font": {"family": _FONT, "size": 16, "color": _HEADING}, "pad": {"l": 4}, "xanchor": "left", "x": 0},
    "legend": {"title": {"font": {"size": 12, "color": _GRAY70}, "side": "top"}, "valign": "top",
               "bordercolor": "transparent", "borderwidth": 0, "font": {"size": 12, "color": _GRAY90}},
    "paper_bgcolor": _BG, "plot_bgcolor": _BG,
    "yaxis": {"ticklabelposition": "outside", "zerolinecolor": _GRAY30,
              "title": {"font": {"color": _GRAY70, "size": 14}, "standoff": 24}, "tickcolor": _GRAY30,
              "tickfont": {"color": _GRAY70, "size": 12}, "gridcolor": _GRAY30, "minor": {"gridcolor": _GRAY30},
              "automargin": True},
    "xaxis": {"zerolinecolor": _GRAY30, "gridcolor": _GRAY30, "showgrid": False,
              "tickfont": {"color": _GRAY70, "size": 12}, "tickcolor": _GRAY30,
              "title": {"font": {"color": _GRAY70, "size": 14}, "standoff": 20}, "minor": {"gridcolor": _GRAY30},
              "zeroline": False, "automargin": True,
              "rangeselector": {"bgcolor": _BG, "bordercolor": _GRAY30, "borderwidth": 1, "x": 0}},
    "margin": {"pad": 8, "r": 0, "l": 0},
    "hoverlabel": {"bgcolor": _BG, "bordercolor": "rgba(47, 45, 43, 0.2)",
                   "font": {"color": _GRAY70, "family": _FONT, "size": 12}},
    "coloraxis": {"colorbar": {"thickness": 16, "xpad": 24, "ticklabelposition": "outside",
                               "outlinecolor": "transparent", "outlinewidth": 8, "len": 0.75, "y": 0.5745,
                               "title": {"font": {"color": _GRAY70, "size": 14}},
                               "tickfont": {"color": _GRAY70, "size": 12}}},
}
# Streamlit's own plotly template (the default for figures that name none) holds placeholder
# colours its frontend replaces with the theme's
_PLACEHOLDERS = dict(zip(
    [f"#{n:06d}" for n in range(1, 41)],
    ["#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1", "#ff8700", "#ffd16a", "#6d3fc0", "#d5dae5",
     "#e4f5ff", "#c7ebff", "#a6dcff", "#83c9ff", "#60b4ff", "#3d9df3", "#1c83e1", "#0068c9", "#0054a3", "#004280",
     "#7d353b", "#bd4043", "#ff4b4b", "#ff8c8c", "#ffc7c7", "#a6dcff", "#60b4ff", "#1c83e1", "#0054a3", "#004280",
     "#004280", "#29b09d", "#ff2b2b", "#0068c9", _GRAY30, _GRAY70, _GRAY90, _BG, "rgba(47, 45, 43, 0.1)",
     "rgba(252, 252, 251, 1)"]))
_SUBPLOTS = re.compile(r"^(xaxis|yaxis|geo|polar|ternary|scene|map|mapbox|coloraxis|smith)(\d*)$")


def _merge(base: dict, over: dict) -> dict:
    """`over` deep-merged onto a copy of `base` (dicts merged key by key, anything else replaced)."""
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _as_dict(fig: go.Figure) -> dict:
    """`fig.to_dict()` without its deep copy of every value: the containers are copied (plotly's
    base64 step writes into them) and the values shared, as `_screen` only reads them. Why: the
    deep copy was about half of screening a chart (docs/figures.md)."""
    def containers(value):
        if isinstance(value, dict):
            return {k: containers(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [containers(v) for v in value]
        return value
    if fig._frame_objs:            # no chart here has frames; to_dict copies them as they are
        return fig.to_dict()
    spec = {"data": containers(fig._data), "layout": containers(fig._layout)}
    convert_to_base64(spec)
    return spec


def _plain(value):
    """numpy arrays (also as base64) and scalars as lists and Python numbers, recursively (plotly.js compares
    list data by `datarevision`, but always recalculates arrays sent as base64)."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:      # what Figure.to_dict makes of a numpy array
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            if "shape" in value:
                array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
            return array.tolist()
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist()) if value.dtype == object else value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _gridless_axes(data: list[dict]) -> set[str]:
    """Layout names of the axes plotly.js draws without grid and zero lines by default: the
    category side of bar charts."""
    out = set()
    for trace in data:
        if trace.get("type") == "bar":
            side = "y" if trace.get("orientation") == "h" else "x"
            ref = trace.get(side + "axis", side)
            out.add(side + "axis" + ref[1:])
    return out


def _axis_defaults(base: dict, axis: dict, grid: bool) -> dict:
    """An axis template's values as explicit ones. plotly.js shows an axis line, grid, zero line,
    minor grid or ticks when their colour or width is given in the figure, but not when only a
    template gives it; so the switches are written out with the values plotly.js would take
    (`grid`: whether it draws grid and zero lines on this axis by default)."""
    base = dict(base)
    if "minor" not in axis:
        base.pop("minor", None)
    for switch, default in (("showline", False), ("showgrid", grid), ("zeroline", grid)):
        if switch not in axis and switch not in base:
            base[switch] = default
    if "ticks" not in axis and "ticks" not in base:
        base["ticks"] = ""
    return base


def _themed_template(template) -> tuple[dict, dict]:
    """(layout, data) of a figure's template as Streamlit's frontend turns it."""
    text = template.to_plotly_json() if template is not None else {}
    text = json.dumps(text, cls=PlotlyJSONEncoder)
    for placeholder, colour in _PLACEHOLDERS.items():
        text = text.replace(f'"{placeholder}"', f'"{colour}"')
    plain = json.loads(text)
    return _merge(plain.get("layout", {}), STREAMLIT_LIGHT), plain.get("data", {})


def geojson_url(shapes: dict) -> str:
    """`shapes` as a data: URL. plotly.js compares a trace's `geojson` object by identity, so the
    JSON copy Streamlit's chart element hands it after the first draw made it recalculate and
    redraw the whole map; a string compares by value. plotly.js reads the URL once (no network:
    the data is in it) and keeps the shapes per URL."""
    # ASCII JSON (non-ASCII as \u escapes): only "%" and "#" mean something in a data: URL
    text = json.dumps(shapes, separators=(",", ":"), default=PlotlyJSONEncoder().default)
    return "data:application/json," + text.replace("%", "%25").replace("#", "%23")


def show(where, fig: go.Figure, **kwargs):
    """`where.plotly_chart` (`where` = st or a column) of `fig` as `screen` gives it, unthemed.
    A viewer who switched to a dark theme in the app's settings (the browser reports it in
    `st.context.theme`) gets Streamlit's themed chart instead: `screen` knows the light
    theme only, and a dark page with a white chart would be worse than a second draw."""
    import streamlit as st
    if getattr(getattr(st.context, "theme", None), "type", None) == "dark":
        return where.plotly_chart(fig, **kwargs)
    return where.plotly_chart(screen(fig), theme=None, **kwargs)


def screen(fig: go.Figure) -> Screened:
    """`fig` as it looks under Streamlit's theme in this app, with the theme written into its own
    layout and traces and no template (the theme's template is not sent: plotly.js compares a
    template by identity, and a JSON copy is a new one): draw it with `st.plotly_chart(..., theme=None)`. Kept on
    the figure: a figure kept for a view (dashboard/figure_cache.py) is shown again unchanged."""
    kept = getattr(fig, "_screen", None)
    if kept is None:
        kept = fig._screen = _screen(fig)
    return kept


def _screen(fig: go.Figure) -> Screened:
    spec = _as_dict(fig)
    for trace in spec.get("data", []):
        if isinstance(trace.get("geojson"), dict):
            trace["geojson"] = geojson_url(trace["geojson"])
    layout, data = _plain(spec.get("layout", {})), _plain(spec.get("data", []))
    t_layout, t_data = _themed_template(fig.layout.template)
    layout.pop("template", None)
    # cartesian axes the traces draw on without naming them in the layout still get the template
    cartesian = [t for t in data if t.get("type", "scatter") in ("scatter", "bar", "scattergl", "histogram")]
    axes = {t.get(a[0] + "axis", a) for t in cartesian for a in ("x", "y")}
    for axis in axes:
        layout.setdefault(axis[0] + "axis" + axis[1:], {})
    out = {}
    for key, value in t_layout.items():
        if key.endswith("defaults") or _SUBPLOTS.match(key) or key in layout:
            continue
        out[key] = value
    gridless = _gridless_axes(data)
    for key, value in layout.items():
        m = _SUBPLOTS.match(key)
        base = t_layout.get(m.group(1), {}) if m else t_layout.get(key)
        if m and m.group(1) in ("xaxis", "yaxis") and isinstance(value, dict):
            base = _axis_defaults(base or {}, value, key not in gridless)
        out[key] = _merge(base, value) if isinstance(base, dict) and isinstance(value, dict) else value
    for part, defaults in (("annotations", "annotationdefaults"), ("shapes", "shapedefaults")):
        if out.get(part) and t_layout.get(defaults):
            out[part] = [_merge(t_layout[defaults], item) for item in out[part]]
    if layout.get("title") is not None:
        title = out["title"] if isinstance(out["title"], dict) else {"text": out["title"]}
        out["title"] = dict(title, text=f"<b>{title.get('text', '')}</b>")
    seen: dict[str, int] = {}
    traces = []
    for trace in data:
        kind = trace.get("type", "scatter")
        options = t_data.get(kind) or [{}]
        n = seen.get(kind, 0)
        seen[kind] = n + 1
        base = {k: v for k, v in options[n % len(options)].items() if k != "type"}
        trace = _merge(base, trace)
        if isinstance(trace.get("meta"), dict):
            trace["meta"] = json.dumps(trace["meta"], sort_keys=True)
        traces.append(trace)
    out["datarevision"] = hashlib.sha1(json.dumps(traces, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return Screened({"data": traces, "layout": out})


class Screened(go.Figure):
    """A ready figure spec handed to `st.plotly_chart` as is: Streamlit serialises a Figure's
    `to_dict()`; a Figure built from the spec would add the default template back and turn the
    lists into numpy arrays (sent as base64)."""

    def __init__(self, spec: dict) -> None:
        super().__init__()
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec
