"""Views filtered on one topic counted from topic_rollup (dashboard/queries/rollup.py) give
exactly the answers of the scanning code, on the sample database built by the real ETL; and the
ETL builds the table, in a new file and in a version-7 file it upgrades.

Two connections to the same snapshot, as in test_dashboard_rollup.py: one as the dashboard opens
it (with facet_rollup and topic_rollup), one with both views dropped (what a file without the
tables gets), so every query there scans article_facets."""
from __future__ import annotations

import shutil
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboard import queries as Q
from dashboard.queries import rollup
from dashboard.queries.tables import ROLLUP_TABLE, SNAPSHOT, TOPIC_ROLLUP_TABLE
from dashboard.state import Filters
from etl.store.facets import TOPIC_ROLLUP_FACETS
from tests.conftest import run_etl
from tests.test_dashboard_rollup import compare_counts, compare_places, date_ranges


def drop_rollups(con) -> None:
    con.execute(f"DROP VIEW {ROLLUP_TABLE}")
    con.execute(f"DROP VIEW {TOPIC_ROLLUP_TABLE}")


@pytest.fixture(scope="module")
def cons(sample_db):
    with_rollup, scanning = Q.connect(str(sample_db)), Q.connect(str(sample_db))
    drop_rollups(scanning)
    assert rollup.has_rollup(with_rollup, TOPIC_ROLLUP_TABLE)
    assert not rollup.has_rollup(scanning, TOPIC_ROLLUP_TABLE)
    yield with_rollup, scanning
    with_rollup.close()
    scanning.close()


def topics_by_count(con) -> list[str]:
    frame = Q.options(con, Filters())["topics"]
    return list(frame[frame["n"] > 0].sort_values(["n", "topic_id"], ascending=[False, True])["topic_id"])


def test_one_topic_views_counted_from_the_topic_rollup_equal_the_scan(cons):
    with_rollup, scanning = cons
    topics = topics_by_count(scanning)
    assert len(topics) >= 4
    picked = [topics[0], topics[1], topics[len(topics) // 2], topics[-1]]   # common to rare
    languages = ((), ("ar",), (), ("en", "ar"))
    used = 0
    for i, (lo, hi) in enumerate(date_ranges()):
        topic = picked[i % len(picked)]
        f = Filters(date_from=lo, date_to=hi, topics=(topic,), copies=i % 3 == 0, languages=languages[i % 4])
        used += rollup.usable(with_rollup, f, ["", "source"])
        compare_counts(with_rollup, scanning, f, charts=i % 5 == 0)
        for role in ("any", "dateline", "mentioned"):
            compare_places(with_rollup, scanning, f.replace(role=role))
    assert used >= 11       # most of the ranges hold a whole month


def test_every_topic_over_the_whole_archive_equals_the_scan(cons):
    with_rollup, scanning = cons
    for topic in topics_by_count(scanning):
        for f in (Filters(topics=(topic,)), Filters(topics=(topic,), date_from=date(2013, 1, 1),
                                                   date_to=date(2014, 6, 30), copies=True)):
            assert rollup.usable(with_rollup, f, ["", "source", "c_any", "people"])
            compare_places(with_rollup, scanning, f)
            assert Q.headline(with_rollup, f) == Q.headline(scanning, f), f"headline {f}"
            compare_counts(with_rollup, scanning, f)


def test_views_the_topic_rollup_cannot_answer_scan(cons):
    """Two topics (an article with both counts once), a topic with a country, a keyword or a
    partial month only: not from the rollup, and still the scan's answers; nor the
    "mentioned" role's places, which it does not hold."""
    with_rollup, scanning = cons
    a, b = topics_by_count(scanning)[:2]
    mentioned = Filters(topics=(a,), role="mentioned")
    assert rollup.usable(with_rollup, mentioned, ["", "source"]) and not rollup.usable(with_rollup, mentioned)
    assert not rollup.usable(with_rollup, mentioned, ["c_mn"])
    compare_places(with_rollup, scanning, mentioned)
    for f in (Filters(topics=(a, b)), Filters(topics=(a,), countries=("SY",)), Filters(topics=(a,), q="army"),
              Filters(topics=(a,), date_from=date(2013, 3, 3), date_to=date(2013, 3, 20))):
        assert not rollup.usable(with_rollup, f, ["", "source"])
        compare_places(with_rollup, scanning, f)
        compare_counts(with_rollup, scanning, f)


def test_without_the_topic_rollup_a_one_topic_view_scans(sample_db, cons):
    """A file with facet_rollup but not topic_rollup (schema 7): broad views still use the
    first, one-topic views scan."""
    _, scanning = cons
    con = Q.connect(str(sample_db))
    try:
        con.execute(f"DROP VIEW {TOPIC_ROLLUP_TABLE}")
        topic = topics_by_count(scanning)[0]
        assert rollup.usable(con, Filters()) and not rollup.usable(con, Filters(topics=(topic,)), [""])
        compare_places(con, scanning, Filters(topics=(topic,)))
    finally:
        con.close()


def test_a_wrong_topic_rollup_is_caught(sample_db, cons):
    """The comparisons above can fail: a topic rollup off by one for one value of one month."""
    _, scanning = cons
    con = Q.connect(str(sample_db))
    try:
        found = con.execute(
            f"SELECT topic, month, value FROM {TOPIC_ROLLUP_TABLE} WHERE facet = 'c_any' AND is_primary "
            "AND month IS NOT NULL ORDER BY n DESC, topic, month LIMIT 1").fetchone()
        assert found is not None
        topic, month, value = found
        con.execute(f"CREATE TABLE memory.main.wrong AS SELECT * FROM {SNAPSHOT}.main.topic_rollup")
        con.execute("UPDATE memory.main.wrong SET n = n + 1 WHERE is_primary AND topic = ? AND month = ? "
                    "AND facet = 'c_any' AND value = ?", [topic, month, value])
        con.execute(f"CREATE OR REPLACE VIEW {TOPIC_ROLLUP_TABLE} AS SELECT * FROM memory.main.wrong")
        compare_places(con, scanning, Filters(topics=(topic,), copies=True, role="dateline"))  # still equal
        with pytest.raises(AssertionError, match="country_counts"):
            compare_places(con, scanning, Filters(topics=(topic,)))
    finally:
        con.close()


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def expected_topic_rollup(db: Path) -> dict[tuple, int]:
    """(month, is_primary, language, topic, facet, value) -> articles, counted here in Python
    from article_facets."""
    lists = [f for f, is_list in TOPIC_ROLLUP_FACETS.items() if is_list]
    out: dict[tuple, int] = defaultdict(int)
    for published, primary, language, source, topics, *values in rows(
            db, f"SELECT published_at, is_primary, language, source, topics, {', '.join(lists)} FROM article_facets"):
        month = published.date().replace(day=1) if published is not None else None
        for topic in set(topics):
            key = (month, primary, language, topic)
            out[(*key, "", None)] += 1
            for facet, value in (("source", source), ("language", language)):
                if value is not None:
                    out[(*key, facet, value)] += 1
            for facet, items in zip(lists, values):
                for value in items:
                    out[(*key, facet, value)] += 1
    return dict(out)


def stored_topic_rollup(db: Path) -> dict[tuple, int]:
    found = rows(db, "SELECT month, is_primary, language, topic, facet, value, n FROM topic_rollup")
    out = {tuple(r[:6]): r[6] for r in found}
    assert len(out) == len(found), "a (month, is_primary, language, topic, facet, value) repeats"
    return out


def test_the_topic_rollup_equals_a_count_of_the_facet_rows(sample_db):
    expected = expected_topic_rollup(sample_db)
    assert any(k[0] is None for k in expected) and any(k[4] == "people" for k in expected)
    assert stored_topic_rollup(sample_db) == expected


def test_a_version_7_file_gets_the_topic_rollup_from_etl_init(sample_db, tmp_path):
    from etl import store
    db = tmp_path / "v7.duckdb"
    shutil.copy(sample_db, db)
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE topic_rollup")
    con.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    con.close()
    opened = Q.connect(str(db))          # read as a file without it until then
    try:
        assert not rollup.has_rollup(opened, TOPIC_ROLLUP_TABLE) and rollup.has_rollup(opened)
    finally:
        opened.close()
    run_etl("init", db=db)
    assert rows(db, "SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == store.SCHEMA_VERSION
    assert stored_topic_rollup(db) == expected_topic_rollup(sample_db)
