"""Map page: countries shaded by article count, regions and cities as bubbles, by place role.
Clicking a country or a bubble filters every page by it."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, db, export, figure_cache, session
from dashboard.geo.countries import country_name
from dashboard.pages import PageContext

ROLE_TEXT = {"any": "any role (the story's main country, its dateline, or a mention)",
             "dateline": "dateline (where the story was filed from)",
             "mentioned": "mention in the text"}


# Why the sidebar and the map count a country differently: the sidebar's Countries option counts
# the stories whose *main* country it is (one country per story); the map counts a story for
# every country it is about, datelined in or mentions, as the place role says.
COUNT_NOTE = {
    "any": "Counts here are stories about, datelined in or mentioning the country, so a story can "
           "count for several countries; the sidebar's Countries list counts each story once, "
           "under its main country, and is smaller.",
    "dateline": "Counts here are stories datelined in the country (filed from there); the "
                "sidebar's Countries list counts stories by their main country.",
    "mentioned": "Counts here are stories that mention the country in their text; the sidebar's "
                 "Countries list counts stories by their main country.",
}


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
    countries = ctx.reader.country_counts(f)
    places = ctx.reader.place_counts(f)
    sentence = ctx.describe(grain="")
    title = f"{sentence} — by country and place"
    st.caption(f"Places counted by {ROLE_TEXT.get(f.role, f.role)}; change the role in the sidebar.")
    if countries.empty and places.empty:
        st.info("No places match these filters.")
        return
    credit = export.credit(ctx.options.get("meta", {}), db.db_path().name)
    stem = export.file_stem("map", f, ctx.labels, ctx.names)
    fig = figure_cache.cached("map", (ctx.reader.snapshot, figure_cache.view_key(f), title, credit.footer()),
                              lambda: charts.map_figure(countries, places, title=title, footer=credit.footer()))
    st.plotly_chart(fig, key="map_chart", on_select=_on_click, selection_mode="points",
                    config=export.plotly_config(stem))
    hint = ("Countries are shaded on a log scale (each step is ×10 or ×3), so the smaller ones stay "
            "visible beside the largest; a bubble's area is proportional to its articles. "
            "Click a country or a bubble to filter every page by it.")
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
        st.caption(COUNT_NOTE[f.role] if f.role in COUNT_NOTE else "")
    with right:
        st.subheader("Regions and cities")
        st.dataframe(pd.DataFrame({"Place": places["name"], "Kind": places["kind"],
                                   "Country": [country_name(c) for c in places["country_code"]],
                                   "Articles": places["n"]}),
                     hide_index=True, key="place_table", height=320)
        st.caption("A story naming several places counts once for each of them.")
    st.download_button("Map as HTML (works offline)",
                       data=lambda: export.standalone_html(fig, title, sentence, credit, stem),
                       file_name=f"{stem}.html", mime="text/html", key="dl_map_html")
