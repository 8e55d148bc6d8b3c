"""Entry point (`streamlit run dashboard/app.py`): page choice, the shared sidebar, and the
messages shown when there is nothing to show yet.

The database is `$CONFLICT_TRENDS_DB` (default data/conflict.duckdb), opened read-only.
`dashboard` is imported as an installed package (`pip install -e .`, done by `make install`), or
from the project folder when run as `python -m dashboard` / `python -m streamlit run …`.
Every view is a `Filters` value (dashboard/state.py) kept in the URL, so any view can be shared.
"""
from __future__ import annotations

import streamlit as st

from dashboard import db, lazy, session, timings
from dashboard.charts import topic_colours
from dashboard.geo.countries import country_name
from dashboard.languages import language_label
from dashboard.link_box import share_box
from dashboard.origin import keep_origin_check_offline
from dashboard.pages import PageContext
from dashboard.pages import articles as articles_page
from dashboard.pages import compare as compare_page
from dashboard.pages import data as data_page
from dashboard.pages import figures as figures_page
from dashboard.pages import map as map_page
from dashboard.pages import trends as trends_page
from dashboard.pages import trends_sources
from dashboard.search import SYNTAX_HELP
from dashboard.state import MAX_DATE, MIN_DATE, PAGES, ROLES, Filters
from dashboard.text import as_text

PAGE_LABELS = {"trends": ":material/show_chart: Trends", "compare": ":material/compare_arrows: Compare",
               "map": ":material/map: Map",
               "articles": ":material/article: Articles", "data": ":material/database: Data",
               "figures": ":material/bar_chart: Reported figures"}
RENDER = {"trends": trends_page.render, "compare": compare_page.render, "map": map_page.render,
          "articles": articles_page.render, "data": data_page.render, "figures": figures_page.render}
ROLE_LABELS = {"any": "Any", "dateline": "Dateline", "mentioned": "Mentioned"}
LOAD_COMMANDS = """\
# load your own files (archive text pages, HTML, RSS/Atom feeds, CSV/JSONL/Parquet):
python -m etl ingest PATH...

# or build the bundled synthetic demo database:
make demo"""


def no_data(why: str, reader: db.Reader | None = None) -> None:
    st.title("Conflict reporting trends")
    st.warning(as_text(f"{why} There are no articles to chart yet."))
    st.markdown("Load data with one of these commands, run from the project folder, then reload "
                "this page:")
    st.code(LOAD_COMMANDS, language="bash")
    st.caption(as_text(f"The dashboard reads {db.db_path()}; set the {db.ENV_VAR} environment "
                       "variable to read another file."))
    if reader is not None:
        data_page.render_ingest_log(reader)


def _counted(values: dict[str, int], label=lambda v: v):
    return lambda v: f"{label(v)} ({values.get(v, 0):,})"


def _with_selected(options: list[str], selected) -> list[str]:
    """Selected values stay choosable even when they have no articles in the date range."""
    return options + [v for v in selected if v not in options]


# list field -> (widget key, what a value is, where it was looked for)
LIST_CHECKS = {
    "topics": ("f_topics", "topic", "this database's taxonomy"),
    "countries": ("f_countries", "country", "any article of this database"),
    "regions": ("f_regions", "region or city", "any article of this database"),
    "sources": ("f_sources", "source", "this database"),
    "people": ("f_people", "person or organisation", "this database"),
    "languages": ("f_languages", "language", "any article of this database"),
}


# list field -> (sidebar option table, its value column): values offered there are known
OPTION_COLUMNS = {"topics": ("topics", "topic_id"), "countries": ("countries", "code"),
                  "regions": ("regions", "name"), "sources": ("sources", "source"),
                  "people": ("people", "entity_id"), "languages": ("languages", "language")}


def validate(filters: Filters, reader: db.Reader, options: dict | None = None) -> tuple[Filters, list[str]]:
    """Drop values a shared link names that this database does not have, with a notice each.
    Values among the sidebar's `options` are known without asking the database again (a scan
    of every article's places per new selection, otherwise)."""
    notices = []
    for field, (key, what, where) in LIST_CHECKS.items():
        values = getattr(filters, field)
        if not values:
            continue
        table, column = OPTION_COLUMNS[field]
        offered = set(options[table][column]) if options is not None else set()
        rest = tuple(v for v in values if v not in offered)
        known = set(values) - set(rest) | (set(reader.known_values(field, rest)) if rest else set())
        unknown = [v for v in values if v not in known]
        if unknown:
            shown = ", ".join(f"“{v}”" for v in unknown[:5]) + (f" and {len(unknown) - 5} more"
                                                               if len(unknown) > 5 else "")
            notices.append(f"Unknown {what}{'s' if len(unknown) > 1 else ''} {shown} ignored "
                           f"(not in {where}).")
            filters = filters.replace(**{field: tuple(v for v in values if v in known)})
            st.session_state[key] = list(getattr(filters, field))
    if filters.article and reader.article_detail(filters.article) is None:
        notices.append(f"Article “{filters.article}” is not in this snapshot; it may have been removed.")
        filters = filters.replace(article="")
    return filters, notices


def sidebar(ctx: PageContext, presets: dict[str, str]) -> None:
    f, opts = ctx.filters, ctx.options
    sb = st.sidebar
    sb.header("Filters")
    sb.selectbox("Dates", list(presets), key="f_preset", format_func=presets.get)
    if st.session_state.get("f_preset") == session.CUSTOM:
        bounds = {"min_value": MIN_DATE, "max_value": MAX_DATE}
        sb.date_input("From", key="f_from", format="YYYY-MM-DD", **bounds)
        sb.date_input("To", key="f_to", format="YYYY-MM-DD", **bounds)
    # select_all=False on every filter list: an empty filter already means "all", and Streamlit's
    # "Select all" / "Select N matches" entry, first in the list, would write every value into
    # the link (a click meant for the option below it lands there while the list filters).
    topics = opts["topics"]
    sb.multiselect("Topics", list(topics["topic_id"]), key="f_topics", select_all=False,
                   format_func=_counted(dict(zip(topics["topic_id"], topics["n"])), ctx.topic_label),
                   placeholder="Top topics",
                   help="Lines on the trend chart. Elsewhere: articles tagged with any of them.")
    countries = opts["countries"]
    sb.multiselect("Countries", _with_selected(list(countries["code"]), f.countries), key="f_countries", select_all=False,
                   format_func=_counted(dict(zip(countries["code"], countries["n"])), country_name),
                   placeholder="All countries")
    regions = opts["regions"]
    sb.multiselect("Regions and cities", _with_selected(list(regions["name"]), f.regions), key="f_regions", select_all=False,
                   format_func=_counted(dict(zip(regions["name"], regions["n"]))),
                   placeholder="All places")
    sb.radio("Place role", list(ROLES), key="f_role", horizontal=True, format_func=ROLE_LABELS.get,
             help="How the country and place filters (and the map) match an article: Any = the "
                  "story's main country/region or any place in it; Dateline = where it was filed "
                  "from; Mentioned = named in the text.")
    sources = opts["sources"]
    sb.multiselect("Sources", _with_selected(list(sources["source"]), f.sources), key="f_sources", select_all=False,
                   format_func=_counted(dict(zip(sources["source"], sources["n"]))),
                   placeholder="All sources")
    languages = opts["languages"]
    sb.multiselect("Languages", _with_selected(list(languages["language"]), f.languages), key="f_languages", select_all=False,
                   format_func=_counted(dict(zip(languages["language"], languages["n"])), language_label),
                   placeholder="All languages",
                   help="The language of the article (as the ETL stored it, an ISO 639-1 code).")
    people = opts["people"]
    sb.multiselect("People and organisations", _with_selected(list(people["entity_id"]), f.people),
                   key="f_people", select_all=False, format_func=_counted(dict(zip(people["entity_id"], people["n"])),
                                                        lambda e: ctx.names.get(e, e)),
                   placeholder="Anyone")
    sb.text_input("Keyword", key="f_q", placeholder='e.g. defected "brigadier general"', help=SYNTAX_HELP)
    with sb.expander("Search syntax", icon=":material/help:"):
        st.markdown(SYNTAX_HELP)
    sb.toggle("Count syndicated copies", key="f_copies",
              help="Off: each story counts once, however many outlets ran it (unique stories).")
    sb.toggle("Show key dates", key="f_key_dates",
              help="Dated events (etl/key_dates.csv, loaded by the ETL) drawn as labelled lines on "
                   "every time chart.")
    sb.button("Reset all filters", on_click=session.reset, args=(f.page,), width="stretch")
    sb.divider()
    sb.caption("Link to this view:")
    # with it, the script that leaves "Sources over time" (below the fold) to be drawn when the
    # reader scrolls near it (dashboard/lazy.py): `python -m dashboard` serves it in the page's
    # <head> already (then this copy only re-adds its keys); for a server started with
    # `streamlit run` this is its one copy, which usually comes before the chart
    sb.html(share_box(session.share_url(f)) + lazy.script(trends_sources.CHART_KEY), unsafe_allow_javascript=True)
    snap = ctx.options.get("meta", {})
    sb.caption(as_text(f"Snapshot {snap.get('snapshot_id', '?')} · {snap.get('created_at', '')} · "
                       f"{db.db_path()}"))


def keyword_notices(keyword: dict) -> None:
    """What was done with the keyword box: notices about its syntax (or the missing index),
    and the query as understood when that differs from what was typed."""
    for notice in keyword["notices"]:
        st.warning(as_text(notice), icon=":material/search:")
    if keyword["mode"] != "none" and keyword["reading"] and keyword["reading"] != keyword["q"]:
        st.caption(f"Searched for: {as_text(keyword['reading'])}")


def main() -> None:
    # no page_icon: an emoji or material-icon favicon is fetched from a font CDN
    st.set_page_config(page_title="Conflict reporting trends", layout="wide")
    reader, why = db.open_reader()
    if reader is None:
        no_data(why)
        return
    if reader.article_total() == 0:
        no_data(f"The database `{db.db_path()}` has no articles yet.", reader)
        return
    meta = reader.meta()
    date_min, date_max = reader.date_bounds()
    presets = session.date_presets(date_min, date_max)
    filters, notices = session.start(presets, date_max)
    opts = reader.options(Filters(date_from=filters.date_from, date_to=filters.date_to,
                                  copies=filters.copies))
    opts = dict(opts, meta=meta)
    filters, more = validate(filters, reader, opts)
    if more:
        st.session_state[session.NOTICES] = notices + more
        st.session_state[session.NOTICES_FOR] = filters
        notices = notices + more
    session.commit(filters)

    topics = opts["topics"]
    people = opts["people"]
    names = dict(zip(people["entity_id"], people["name"]))
    names.update(reader.entity_names(tuple(p for p in filters.people if p not in names)))
    keyword = reader.keyword_info(filters.q)
    ctx = PageContext(reader=reader, filters=filters, options=opts,
                      labels=dict(zip(topics["topic_id"], topics["label"])),
                      colours=topic_colours(topics), names=names, keyword=keyword)
    sidebar(ctx, presets)

    if meta.get("sample") == "true":
        st.info("Synthetic demo data — load your own with `python -m etl ingest PATH...`", icon=":material/science:")
    for notice in notices:
        st.warning(as_text(notice), icon=":material/warning:")
    keyword_notices(keyword)
    st.radio("Page", list(PAGES), key="f_page", horizontal=True, format_func=PAGE_LABELS.get,
             label_visibility="collapsed")
    with timings.timed("render", filters.page):
        RENDER[filters.page](ctx)


# `streamlit run dashboard/app.py` patches the origin check only from the first page view on;
# `python -m dashboard` does it before serving
keep_origin_check_offline()

# Streamlit would treat the pages/ folder beside this script as separate pages; one hidden
# navigation entry keeps everything in this script, where the page is part of the URL state.
def timed_main() -> None:
    with timings.timed("run", "main"):
        main()


st.navigation([st.Page(timed_main, title="Conflict reporting trends", default=True)],
              position="hidden").run()
