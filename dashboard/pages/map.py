"""Map page: countries shaded by article count, regions and cities as bubbles, by place role.
Clicking a country or a bubble filters every page by it."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, session
from dashboard.geo.countries import country_name
from dashboard.pages import PageContext
from dashboard.text import as_text

ROLE_TEXT = {"any": "any role (the story's main country, its dateline, or a mention)",
             "dateline": "dateline (where the story was filed from)",
             "mentioned": "mention in the text"}


def _on_click() -> None:
    points = st.session_state["map_chart"].selection.points
    for point in points:
        data = point.get("customdata")
        if not data:
            continue
        if data[0] == "country":
            session.update(countries=(data[1],), regions=(), article="")
        elif data[0] == "place":
            session.update(regions=(data[1],), article="")
        return


def render(ctx: PageContext) -> None:
    f = ctx.filters
    countries = ctx.reader.q("country_counts", f)
    places = ctx.reader.q("place_counts", f)
    st.caption(f"{as_text(ctx.describe(grain=''))}. Places counted by {ROLE_TEXT.get(f.role, f.role)}; "
               "change the role in the sidebar.")
    if countries.empty and places.empty:
        st.info("No places match these filters.")
        return
    fig = charts.map_figure(countries, places)
    st.plotly_chart(fig, key="map_chart", on_select=_on_click, selection_mode="points",
                    config=charts.PLOTLY_CONFIG)
    hint = "Click a country or a bubble to filter every page by it."
    if f.has_place_filter:
        c1, c2 = st.columns([4, 1])
        c1.caption(hint)
        c2.button("Clear place filter", on_click=session.update,
                  kwargs={"countries": (), "regions": ()}, key="clear_places")
    else:
        st.caption(hint)
    left, right = st.columns(2)
    with left:
        st.subheader("Countries")
        st.dataframe(pd.DataFrame({"Country": [country_name(c) for c in countries["code"]],
                                   "Code": countries["code"], "Articles": countries["n"]}),
                     hide_index=True, key="country_table", height=320)
    with right:
        st.subheader("Regions and cities")
        st.dataframe(pd.DataFrame({"Place": places["name"], "Kind": places["kind"],
                                   "Country": [country_name(c) for c in places["country_code"]],
                                   "Articles": places["n"]}),
                     hide_index=True, key="place_table", height=320)
    st.download_button("Map as HTML (works offline)", data=lambda: charts.standalone_html(fig),
                       file_name="conflict-map.html", mime="text/html", key="dl_map_html")
