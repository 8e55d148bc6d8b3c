"""`python -m bench.compare DB`: the Compare page's statement for a three-series comparison on
the database file DB, one `name: value unit` line each (median of repeated runs, ms).

The series mix the three kinds of work a series brings: list filters (a topic in a country),
a keyword answered by the search index, and a keyword phrase counted with syndicated copies
(its own base). Terms are bench/corpus.py's KNOWN_TERMS, as in bench/views.py. `python -m bench` prints the
same lines with its other query figures.
"""
from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date

import duckdb

from dashboard import keyword_state, queries
from dashboard.compare import Series
from dashboard.state import Filters

SERIES = (Series("Defection in Syria", Filters(topics=("defection",), countries=("SY",))),
          Series("hostage", Filters(q="hostage")),
          Series("regime forces, copies", Filters(q='"regime forces" -hostage', copies=True)))


def compare_queries(con: duckdb.DuckDBPyConnection) -> dict[str, Callable[[], object]]:
    """name -> zero-argument callable; `con` from `queries.connect` (or one is opened)."""
    if not _has_view_table(con):
        con = queries.connect(str(queries.snapshot_file(con)))

    def cold() -> object:
        keyword_state.forget_queries()      # both keywords looked up in the index again
        return queries.compare_trend(con, Filters(metric="share"), SERIES)
    return {
        "three_series_count": lambda: queries.compare_trend(con, Filters(), SERIES),
        "three_series_share": lambda: queries.compare_trend(con, Filters(metric="share"), SERIES),
        "three_series_weekly_two_years": lambda: queries.compare_trend(
            con, Filters(grain="week", date_from=date(2012, 1, 1), date_to=date(2013, 12, 31)), SERIES),
        "three_series_cold": cold,
    }


def _has_view_table(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_catalog = 'memory' "
                            "AND table_schema = 'main' AND table_name = 'dash_articles'").fetchall()[0][0])


def run(con: duckdb.DuckDBPyConnection, repeats: int = 5) -> list[tuple[str, float, str]]:
    out = []
    for name, fn in compare_queries(con).items():
        fn()                                  # first use: the row-key map and plans, not timed
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
        out.append((f"query_compare_{name}", statistics.median(times), "ms"))
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    con = queries.connect(args[0])
    print(f"articles: {con.execute(f'SELECT count(*) FROM {queries.VIEW_TABLE}').fetchone()[0]} articles")
    for name, value, unit in run(con):
        print(f"{name}: {value:,.1f} {unit}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
