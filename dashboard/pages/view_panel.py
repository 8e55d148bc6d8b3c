""""What's in this view" (Trends and Articles): the leading sources, countries, places and people
of the articles the filters select, each a button that adds it to the filters."""
from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.geo.countries import country_name
from dashboard.pages import PageContext
from dashboard.text import as_text

FACETS = {"sources": "Sources", "countries": "Countries", "regions": "Places", "people": "People"}


def _add(field: str, value: str) -> None:
    current = getattr(st.session_state[session.FILTERS], field)
    if value not in current:
        session.update(**{field: current + (value,)}, table_page=1)


def render(ctx: PageContext, where: str, columns: int = 4, expanded: bool = True) -> None:
    """The panel, in an expander; `where` names the page (widget keys must differ per page)."""
    top = ctx.reader.view_top(ctx.filters)
    with st.expander("What's in this view", expanded=expanded, icon=":material/insights:"):
        st.caption("The leading values among the articles these filters select, by articles; "
                   "click one to add it to the filters.")
        cols = st.columns(columns)
        for i, (field, title) in enumerate(FACETS.items()):
            col = cols[i % columns]
            rows = top[top["facet"] == field]
            col.markdown(f"**{title}**")
            if rows.empty:
                col.caption("None left to add.")
            for j, r in enumerate(rows.itertuples(index=False)):
                name = country_name(r.value) if field == "countries" else r.name
                col.button(f"{as_text(name)} · {r.n:,}", key=f"top_{where}_{field}_{j}", type="tertiary",
                           on_click=_add, args=(field, r.value))
