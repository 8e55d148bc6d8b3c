"""Trends, "Sources over time": the leading outlets' volume per period as small multiples, the
archive's gaps hatched and listed, and a click on an outlet (or the picker) filtering by it."""
from __future__ import annotations

import streamlit as st

from dashboard import figure_cache, key_dates, periods, session
from dashboard.charts import PLOTLY_CONFIG
from dashboard.charts import sources as source_charts
from dashboard.pages import PageContext
from dashboard.queries import GAP_CHANCE
from dashboard.text import as_text

CHART_KEY = "source_chart"
PICK_KEY = "source_pick"


def _filter_by(source: str) -> None:
    session.update(sources=(source,), table_page=1)


def _clicked() -> None:
    points = st.session_state[CHART_KEY].selection.points
    if points and points[0].get("customdata"):
        _filter_by(points[0]["customdata"][0])


def _picked() -> None:
    source = st.session_state.get(PICK_KEY)
    if source:
        _filter_by(source)
    st.session_state[PICK_KEY] = None


def render(ctx: PageContext) -> None:
    f = ctx.filters
    st.subheader("Sources over time")
    volume = ctx.reader.source_volume(f)
    if volume.empty:
        st.caption("No dated articles with a known outlet match these filters.")
        return
    sources = list(dict.fromkeys(volume["source"]))
    title = f"Leading outlets, {ctx.describe(grain=f.grain).removeprefix('Articles').lstrip(', ')}"

    def build():
        fig = source_charts.source_figure(volume, f.grain, title=title)
        return fig, key_dates.on_chart(fig, ctx, volume["period"], label_chars=source_charts.KEY_DATE_CHARS)
    fig, marked = figure_cache.cached("sources", (ctx.reader.snapshot, figure_cache.view_key(f), title), build)
    st.plotly_chart(fig, key=CHART_KEY, on_select=_clicked, selection_mode="points", config=PLOTLY_CONFIG)
    chance = f"{GAP_CHANCE:.0%}"
    st.caption(
        f"The {len(sources)} outlets with most articles in this view, one panel each on its own "
        f"scale ({periods.describe(f.grain)}). Hatched grey bands are gaps in the archive: periods "
        "between an outlet's first and last article in range with none from it while other outlets "
        f"have some, for long enough that its usual rate gives that less than a {chance} chance "
        "(judged on all its articles, whatever the topic, place or keyword filters). "
        "Click a bar to filter by that outlet."
        + (" Dotted lines mark key dates." if marked else ""))
    gaps = source_charts.gap_ranges(volume, f.grain)
    if len(gaps):
        st.markdown("**Gaps in the archive**  \n" + "  \n".join(
            as_text(source_charts.gap_sentence(r, f.grain)) for r in gaps.itertuples(index=False)))
    else:
        st.caption("No gaps in the archive for these outlets in this range.")
    st.selectbox("Filter by outlet", sources, index=None, key=PICK_KEY, on_change=_picked,
                 placeholder="Choose an outlet…")
