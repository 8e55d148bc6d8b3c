"""A database N times the size of another, for timing the dashboard's page-view queries at a
scale no ingest has reached on this machine (at ~440 realistic articles/s, 10 M articles is
six hours of ingest).

What it is: the tables a page view reads (`article_facets`, `place_index`, `entity_index`,
`topics`, `meta`, `key_dates`) and a slim `articles` (every column but the text: `body` and
`caption` are empty), each article repeated N times under new ids and row keys, with the same
dates, sources, topics, places and people. So each period, outlet and place holds N times the
articles, as a bigger archive of the same years would, and every statement does N times the
work. What it is not: an archive with N times the vocabulary, outlets or places (the sidebar's
option lists stay as long), nor one the detail page, the exports or the keyword box can use
(no article text, no search index). Figures from it say "replicated" (docs/figures.md).
When the source has the monthly rollup (`facet_rollup`, schema 5), the copy's is rebuilt from
the copy's article_facets by the ETL's own SQL (etl/store/facets.py), so it holds N times the
source's counts and its build time at N times the size is printed; so is `topic_rollup`'s
(schema 8).

    python -m bench.replicate SOURCE.duckdb OUT.duckdb --times 10
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

COPIED = ("place_index", "entity_index", "topics", "meta", "key_dates")   # as they are


def replicate(source: Path, out: Path, times: int) -> None:
    if out.exists():
        raise SystemExit(f"{out} exists; remove it first")
    con = duckdb.connect(str(out))
    con.execute("SET preserve_insertion_order = true")
    con.execute("ATTACH ? AS src (READ_ONLY)", [str(source)])
    have = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src' AND schema_name = 'main'").fetchall()}
    for table in COPIED:
        if table in have:
            con.execute(f"CREATE TABLE main.{table} AS SELECT * FROM src.main.{table}")
    n = con.execute("SELECT max(row_key) FROM src.main.article_facets").fetchone()[0]
    columns = [r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = 'src' AND table_name = 'articles' "
        "ORDER BY column_index").fetchall()]
    slim = ", ".join("''" if c in ("body", "caption") else
                     ("article_id || '-' || r.k AS article_id" if c == "article_id" else c) for c in columns)
    # copy k of each row, in publication order within a copy: row_key keeps its meaning
    # (storage order) because each copy is appended whole
    con.execute("CREATE TABLE main.article_facets AS SELECT * FROM src.main.article_facets LIMIT 0")
    con.execute(f"CREATE TABLE main.articles AS SELECT {slim} FROM src.main.articles, (SELECT 0 AS k) r LIMIT 0")
    for k in range(times):
        t = time.perf_counter()
        con.execute("""INSERT INTO main.article_facets
                       SELECT * REPLACE (article_id || '-' || ? AS article_id, row_key + ? AS row_key)
                       FROM src.main.article_facets ORDER BY row_key""", [str(k), k * n])
        con.execute(f"INSERT INTO main.articles SELECT {slim} FROM src.main.articles, (SELECT ? AS k) r", [str(k)])
        con.execute("CHECKPOINT")
        print(f"copy {k + 1}/{times}: {time.perf_counter() - t:.0f} s", flush=True)
    # The rollups are rebuilt from the copy's article_facets by the ETL's own SQL. Each one the
    # source has must be rebuilt: the copied meta keeps the source's schema version, so no ETL
    # run would add a missing one and its views would scan (or sum an empty table).
    from etl.store import facets
    for table, rebuild in (("facet_rollup", facets.rebuild_rollup),
                           ("topic_rollup", facets.rebuild_topic_rollup)):
        if table in have:
            t = time.perf_counter()
            con.execute(f"CREATE TABLE main.{table} AS SELECT * FROM src.main.{table} LIMIT 0")
            rebuild(con)
            con.execute("CHECKPOINT")
            print(f"{table}: {time.perf_counter() - t:.0f} s", flush=True)
    con.execute("DELETE FROM main.meta WHERE key = 'index_dir'")   # no search index: no text
    con.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.replicate", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("source", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--times", type=int, default=10)
    args = p.parse_args(argv)
    replicate(args.source, args.out, args.times)
    return 0


if __name__ == "__main__":
    sys.exit(main())
