"""The dashboard views `python -m bench` times, and the queries one page view runs for each.

`page_view_queries` names every query a page view asks the database (through `db.Reader` in
the app) as zero-argument callables over `dashboard.queries`, so that each can be timed alone.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

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


# -- the queries behind each browser action (bench/browser.py), timed one by one ---------------

def _trends(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, Callable[[], object]]:
    """What a Trends run asks the database for a view it has not seen (app.py, pages/trends.py)."""
    return {
        "options": lambda: queries.options(con, Filters(date_from=f.date_from, date_to=f.date_to, copies=f.copies)),
        "headline": lambda: queries.headline(con, f),
        "trend_and_spikes": lambda: queries.trend_and_spikes(con, f),
        "source_volume": lambda: queries.source_volume(con, f),
        "view_top": lambda: queries.view_top(con, f),
        "view_terms": lambda: queries.view_terms(con, f),
    }


def _map(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, Callable[[], object]]:
    return {"country_counts": lambda: queries.country_counts(con, f),
            "place_counts": lambda: queries.place_counts(con, f)}


def _articles(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, Callable[[], object]]:
    return {"article_count": lambda: queries.article_count(con, f),
            "articles_page": lambda: queries.articles_page(con, f, 50, 0)}


def _detail(con: duckdb.DuckDBPyConnection, article_id: str) -> Callable[[], object]:
    return lambda: queries.article_detail(con, article_id)


def action_queries(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Callable[[], object]]]:
    """action view -> {query: zero-argument callable}: the database work of each kind of action
    the browser bench times, on views like the ones it reaches (a year or the last year of
    data, then one and more countries; each page of such a view; ten articles opened from the
    newest and oldest pages; a keyword typed on Trends). `con` as for `page_view_queries`."""
    if not _has_view_table(con):
        con = queries.connect(str(queries.snapshot_file(con)))
    _, last = queries.date_bounds(con)
    year = Filters(date_from=date(2014, 1, 1), date_to=date(2014, 12, 31))
    last_year = Filters(date_from=last - timedelta(days=364), date_to=last) if last else Filters()
    views = {"year": year, "last_year": last_year, "year_country": year.replace(countries=("SY",)),
             "last_year_countries": last_year.replace(countries=("SY", "IQ", "LB"))}
    out: dict[str, dict[str, Callable[[], object]]] = {}
    for name, f in views.items():
        out[f"filter_{name}"] = _trends(con, f)
        out[f"page_map_{name}"] = _map(con, f)
        out[f"page_articles_{name}"] = _articles(con, f)
    ids = []
    for sort in ("newest", "oldest"):
        ids += list(queries.articles_page(con, Filters(sort=sort), 10, 0)["article_id"])
    out["article_open"] = {f"article_detail_{i}": _detail(con, aid) for i, aid in enumerate(ids)}
    for word in ("hostage", "Gulouni", "regime"):
        f = Filters(q=word)

        def cold(word: str = word) -> object:     # parse, index lookup, row keys (then cached)
            keyword_state.forget_queries()
            info = queries.keyword_info(con, word)
            index = queries.search_index(con)
            if info["mode"] == "index" and index is not None:
                queries.keyword_keys(con, index, keyword_state.parse(word))
            return info
        out[f"keyword_{word}"] = {"keyword_cold": cold, **_trends(con, f)}
    return out


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.views DB [--repeats N]`: per action view, each query's best of N ms and
    their sum (`action_<view>_<query>: ms`, `action_<view>_total: ms`), with the load average."""
    import argparse
    import os
    import time

    p = argparse.ArgumentParser(prog="python -m bench.views")
    p.add_argument("db")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--only", default="", help="comma list of action-view prefixes")
    args = p.parse_args(argv)
    con = queries.connect(args.db)
    print(f"load_average_before: {os.getloadavg()[0]:.2f} load", flush=True)
    prefixes = tuple(x for x in args.only.split(",") if x)
    for view, fns in action_queries(con).items():
        if prefixes and not view.startswith(prefixes):
            continue
        total = 0.0
        for name, fn in fns.items():
            best = float("inf")
            for _ in range(args.repeats):
                t = time.perf_counter()
                fn()
                best = min(best, (time.perf_counter() - t) * 1000)
            total += best
            print(f"action_{view}_{name}: {best:.1f} ms", flush=True)
        print(f"action_{view}_total: {total:.1f} ms", flush=True)
    print(f"load_average_after: {os.getloadavg()[0]:.2f} load", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
