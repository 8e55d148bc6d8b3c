"""Explain a surge (Trends): pick one of the surges and see what rose — the words its headlines
use more than the periods before did, the sources, places, people and languages that drove it,
and the articles that carry most of what is new. Every word and value is a button that filters.

The chosen surge is the Trends page's own URL parameter `surge=<topic_id>:<first day of the
period>` (session.OWNED_PARAMS), so a link reopens the same explanation. Any topic and period
can be explained, not only those the surge test flags (a link may outlive the filters that made
it a surge); the caption then says it is not one in this view.
"""
from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from dashboard import export, periods, session
from dashboard.geo.countries import country_name
from dashboard.languages import language_label
from dashboard.pages import PageContext
from dashboard.queries import SPIKE_WINDOW
from dashboard.text import as_text

PARAM = session.SURGE_PARAM
PICK = "surge_pick"
FACETS = {"sources": "Sources", "countries": "Countries", "regions": "Places", "people": "People",
          "languages": "Languages"}
NAMES = {"countries": country_name, "languages": language_label}     # field -> value in words


def parse(raw: str | None) -> tuple[tuple[str, date] | None, str | None]:
    """`topic_id:YYYY-MM-DD` -> ((topic_id, day), None); a bad value -> (None, notice)."""
    if not raw:
        return None, None
    topic, _, day = raw.partition(":")
    topic = topic.strip().lower()
    try:
        when = date.fromisoformat(day.strip())
    except ValueError:
        when = None
    if not topic or when is None or len(topic) > 100:
        shown = raw if len(raw) <= 40 else raw[:39] + "…"
        return None, f"'surge' must be a topic and the first day of a period, like defection:2013-08-01; got '{shown}', ignored."
    return (topic, when), None


def key_of(topic_id: str, period: pd.Timestamp | date) -> str:
    return f"{topic_id}:{pd.Timestamp(period).date().isoformat()}"


def _choose() -> None:
    session.set_page_param(PARAM, st.session_state.get(PICK) or "")


def _close() -> None:
    session.set_page_param(PARAM, "")
    st.session_state[PICK] = None


def picker(ctx: PageContext, spikes: pd.DataFrame, top: int) -> None:
    """A select box of the first `top` surges (the table's rows), and the one the link names."""
    chosen = session.page_param(PARAM) or None
    label = {key_of(r.topic_id, r.period): f"{ctx.topic_label(r.topic_id)}, "
             f"{periods.label(r.period, ctx.filters.grain).removeprefix('week of ')}"
             for r in spikes.head(top).itertuples(index=False)}
    options = list(label)
    if chosen and chosen not in label:
        parsed, _ = parse(chosen)
        if parsed:
            options.append(chosen)
            label[chosen] = f"{ctx.topic_label(parsed[0])}, {periods.label(pd.Timestamp(parsed[1]), ctx.filters.grain)}"
    if st.session_state.get(PICK) != chosen:
        st.session_state[PICK] = chosen if chosen in options else None
    st.selectbox("Explain a surge", options, key=PICK, index=None, format_func=lambda k: label.get(k, k),
                 placeholder="Pick a surge to see what rose", on_change=_choose)


def render(ctx: PageContext, spikes: pd.DataFrame) -> None:
    """The explanation of the chosen surge, if any (full width, under the chart)."""
    parsed, notice = parse(session.page_param(PARAM))
    if notice:
        st.warning(notice, icon=":material/info:")
        session.set_page_param(PARAM, "")
        return
    if parsed is None:
        return
    topic_id, day = parsed
    if topic_id not in ctx.labels:
        st.warning(f"Unknown topic '{as_text(topic_id)}' in the surge to explain; ignored.", icon=":material/info:")
        session.set_page_param(PARAM, "")
        return
    f = ctx.filters
    ex = ctx.reader.surge_explained(f, topic_id, day)
    w = ex.window
    span = periods.label(pd.Timestamp(w.start), f.grain)
    hit = spikes[(spikes["topic_id"] == topic_id) & (spikes["period"] == periods.start(w.start, f.grain))]
    with st.container(border=True, key="surge_explained"):
        head, close = st.columns([5, 1])
        head.subheader(as_text(f"What rose: {ctx.topic_label(topic_id)}, {span}"))
        close.button("Close", key="surge_close", on_click=_close, icon=":material/close:")
        unit = periods.UNIT[f.grain]
        ratio = f"{ex.n / ex.usual:.1f}× " if ex.usual > 0 else ""
        st.caption(
            f"{ex.n:,} articles against a usual {ex.usual:.1f} a {unit} ({ratio}the mean of the "
            f"{w.base_periods} {unit}s before, {w.base_start:%-d %b %Y} – {w.base_end:%-d %b %Y}), under "
            f"the other filters of this view."
            + ("" if not hit.empty else " Not a surge in this view (it does not pass the surge test)."))
        words, drivers = st.columns([1, 1.4])
        with words:
            st.markdown("**Words that are new in it**")
            if ex.terms.empty:
                st.caption("No word stands out against the periods before.")
            else:
                against = (f"the {ex.n_base:,} headlines of the {SPIKE_WINDOW} {unit}s before" if ex.n_base
                           else "the whole archive (no headline on this topic in the periods before)")
                box = st.container(horizontal=True)
                for i, r in enumerate(ex.terms.itertuples(index=False)):
                    box.button(f"{r.term} · {r.share_focus:.0%}", key=f"surge_word_{i}", type="tertiary",
                               on_click=session.add_word, args=(r.term,),
                               help=f"In {r.n_focus:,} of these {ex.n_period:,} headlines ({r.share_focus:.0%}) "
                                    f"against {r.share_reference:.1%} of {against}. Click to add it to the keyword.")
                st.caption(f"Weighted log-odds against {against}; the % is the share of this period's "
                           "headlines that use the word. Click one to add it to the keyword.")
        with drivers:
            st.markdown("**What drove it** (articles in the period, and the usual)")
            cols = st.columns(2)    # two facets a row: room for an outlet's name and its counts
            for i, (field, title) in enumerate(FACETS.items()):
                col = cols[i % 2]
                rows = ex.drivers[ex.drivers["facet"] == field]
                col.markdown(f"*{title}*")
                if rows.empty:
                    col.caption("None rose.")
                for j, r in enumerate(rows.itertuples(index=False)):
                    name = NAMES[field](r.value) if field in NAMES else r.name
                    col.button(f"{as_text(name)} · {r.n:,} (usual {r.usual:.1f})", key=f"surge_{field}_{j}",
                               help=f"{r.n:,} of the period's articles on the topic, against {r.usual:.1f} a "
                                    f"{unit} before. Click to add it to the filters.",
                               type="tertiary", on_click=session.add_value, args=(field, r.value))
        st.markdown("**Articles that carry most of it**")
        if ex.articles.empty:
            st.caption("No headline holds the new words.")
            return
        shown = pd.DataFrame({"Date": ex.articles["published_at"].dt.date, "Title": ex.articles["title"],
                              "Source": ex.articles["source"]})
        ids = list(ex.articles["article_id"])
        st.dataframe(shown, hide_index=True, key="surge_articles", selection_mode="single-row",
                     on_select=partial(session.open_selected_article, "surge_articles", ids))
        st.caption(f"{export.count_words(len(ids), 'article')} whose headlines hold most of the new words, "
                   "one per story; select a row to read it.")
