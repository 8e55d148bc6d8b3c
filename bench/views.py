"""The dashboard views `python -m bench` times, and the queries one page view runs for each.

`page_view_queries` names every query a page view asks the database (through `db.Reader` in
the app) as zero-argument callables over `dashboard.queries`, so that each can be timed alone.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

import duckdb

from dashboard import keyword_state, queries
from dashboard.state import Filters

# Terms are values of bench/corpus.py's KNOWN_TERMS:
#   "Gulouni"  rare:   a surname in ~1.5 of 20,000 articles
#   "hostage"  mid:    ~1.8 % of articles
#   "regime"   common: ~50 % of articles
# They match nothing in other databases, which still times the path end to end.
BENCH_VIEWS: dict[str, Filters] = {
    "rare_keyword": Filters(q="Gulouni"),
    "mid_keyword": Filters(q="hostage"),
    "common_keyword": Filters(q="regime"),
    "phrase_keyword": Filters(q='"regime forces" -hostage'),
    "common_keyword_dated": Filters(q="regime", date_from=date(2012, 1, 1), date_to=date(2013, 12, 31)),
    "topic_country": Filters(topics=("defection",), countries=("SY",)),
    "topic_country_keyword": Filters(topics=("defection",), countries=("SY",), q="hostage OR regime"),
    # languages are counted from the rollup, which is split by language; with a topic, scanned
    "language": Filters(languages=("en",)),
    "language_topic_dated": Filters(languages=("en",), topics=("defection",), date_from=date(2012, 1, 1),
                                    date_to=date(2013, 12, 31)),
}


def _has_view_table(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_catalog = 'memory' "
                            "AND table_schema = 'main' AND table_name = 'dash_articles'").fetchall()[0][0])


def page_view_queries(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, Callable[[], object]]:
    """The queries each page view runs, by name, as zero-argument callables.

    Every name is '<page>.<query>'; the sidebar's `options` runs on every page. `con` should
    come from `queries.connect(path)` (or `queries.cursor()` of one), which names the tables
    they read; given a plain connection to a database file, a `connect()`ed one on the same
    file is opened first (outside the timed callables).

    With a keyword, the warm entries find its row keys cached (as every query after the first
    of a page view does); `sidebar.keyword_cold` (parse + index lookup + row keys to Arrow) and
    `trends.topic_trend_cold` (that plus the DuckDB trend) time a keyword's first use end to end.
    """
    if not _has_view_table(con):
        con = queries.connect(str(queries.snapshot_file(con)))
    views: dict[str, Callable[[], object]] = {
        "sidebar.options": lambda: queries.options(con, filters),
        "trends.headline": lambda: queries.headline(con, filters),
        "trends.topic_trend": lambda: queries.topic_trend(con, filters),
        "trends.spikes": lambda: queries.spikes(con, filters),
        "trends.source_volume": lambda: queries.source_volume(con, filters),
        "trends.key_dates": lambda: queries.key_dates(con),
        "trends.view_top": lambda: queries.view_top(con, filters),
        "trends.view_terms": lambda: queries.view_terms(con, filters),
        "map.country_counts": lambda: queries.country_counts(con, filters),
        "map.place_counts": lambda: queries.place_counts(con, filters),
        "articles.article_count": lambda: queries.article_count(con, filters),
        "articles.articles_page": lambda: queries.articles_page(con, filters),
    }
    if filters.q:
        def cold(then: Callable[[], object] | None = None) -> Callable[[], object]:
            def run() -> object:
                keyword_state.forget_queries()
                info = queries.keyword_info(con, filters.q)
                index = queries.search_index(con)
                if info["mode"] == "index" and index is not None:
                    queries.keyword_keys(con, index, keyword_state.parse(filters.q))
                return then() if then else info
            return run
        views["sidebar.keyword_cold"] = cold()
        views["trends.topic_trend_cold"] = cold(lambda: queries.topic_trend(con, filters))
        views["articles.ranked_page"] = lambda: queries.articles_page(con, filters, 50, 0, queries.RANKED)
    surges = queries.spikes(con, filters)     # (outside the timing) the view's first surge, if any
    if len(surges):
        topic_id, period = surges["topic_id"].iloc[0], surges["period"].iloc[0].date()
        views["trends.surge_explained"] = lambda: queries.surge_explained(con, filters, topic_id, period)
    if filters.article:
        views["articles.article_detail"] = lambda: queries.article_detail(con, filters.article)
    return views
