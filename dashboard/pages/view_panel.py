""""What's in this view" (Trends and Articles): the leading sources, countries, places, people and
languages of the articles the filters select, each a button that adds it to the filters."""
from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.geo.countries import country_name
from dashboard.languages import language_label
from dashboard.pages import PageContext
from dashboard.text import as_text

FACETS = {"sources": "Sources", "countries": "Countries", "regions": "Places", "people": "People",
          "languages": "Languages"}
NAMES = {"countries": country_name, "languages": language_label}     # field -> value in words


def words(ctx: PageContext, where: str) -> None:
    """The words and phrases of the view's headlines that set it apart from the archive's."""
    found = ctx.reader.view_terms(ctx.filters)
    if found.empty:
        return
    st.markdown("**Distinctive words**")
    box = st.container(horizontal=True)
    for i, r in enumerate(found.itertuples(index=False)):
        box.button(r.term, key=f"top_{where}_word_{i}", type="tertiary", on_click=session.add_word, args=(r.term,),
                   help=f"In {r.share_focus:.0%} of this view's headlines against {r.share_reference:.1%} of "
                        "the archive's. Click to add it to the keyword.")
    st.caption("Words and phrases this view's headlines use far more than the archive's (weighted "
               "log-odds on a sample of up to 5,000 headlines each side; the keyword's own words left out).")


def _picked(key: str, field: str) -> None:
    """Callback of a facet's pills: add the clicked value to the filters; the pills stay unselected."""
    value = st.session_state.get(key)
    st.session_state[key] = None
    if value is not None:
        session.add_value(field, value)


def render(ctx: PageContext, where: str, expanded: bool = True) -> None:
    """The panel, in an expander; `where` names the page (widget keys must differ per page).
    Each facet's values are one row of pills, not a button each: every element of a page is
    sent and laid out again on each run, and one element per facet instead of one per value
    is ~40 fewer of them (docs/figures.md, interaction speed)."""
    top = ctx.reader.view_top(ctx.filters)
    with st.expander("What's in this view", expanded=expanded, icon=":material/insights:"):
        words(ctx, where)
        st.caption("The leading values among the articles these filters select, by articles; "
                   "click one to add it to the filters.")
        # One facet a row across the panel's width: in a narrow column a row of pills is cut
        # off at the column's edge instead of wrapping, hiding most of its values.
        for field, title in FACETS.items():
            rows = top[top["facet"] == field]
            if rows.empty:
                st.markdown(f"**{title}**")
                st.caption("None left to add.")
                continue
            name = NAMES.get(field)
            label = {r.value: f"{as_text(name(r.value) if name else r.name)} · {r.n:,}"
                     for r in rows.itertuples(index=False)}
            key = f"top_{where}_{field}"
            st.pills(f"**{title}**", list(label), key=key, format_func=label.__getitem__,
                      selection_mode="single", on_change=_picked, args=(key, field))
