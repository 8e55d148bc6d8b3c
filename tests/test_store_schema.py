"""The Arrow schemas the ETL packs and inserts rows with (etl/store/arrow_schema.py) agree with
the contract, etl/schema.sql: the same columns, in the same order, of the same types."""
from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from etl import paths
from etl.store.arrow_schema import TABLE_SCHEMAS


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()      # a real database, created from the contract file itself
    con.execute(paths.SCHEMA.read_text())
    yield con
    con.close()


# a JSON column is written as JSON text (Arrow has no JSON type); DuckDB checks it on insert
WRITTEN_AS = {"JSON": "VARCHAR"}


def columns(con, table: str) -> list[tuple[str, str]]:
    return con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
                       "ORDER BY column_index", [table]).fetchall()


@pytest.mark.parametrize("table", sorted(TABLE_SCHEMAS))
def test_the_arrow_schema_of_each_written_table_has_the_columns_and_types_of_schema_sql(con, table):
    # DuckDB's own reading of the Arrow types, so both sides are spelled by the same code
    con.register("_empty", pa.table({f.name: pa.array([], f.type) for f in TABLE_SCHEMAS[table]},
                                    schema=TABLE_SCHEMAS[table]))
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE _arrow AS SELECT * FROM _empty")
    finally:
        con.unregister("_empty")
    contract = [(name, WRITTEN_AS.get(kind, kind)) for name, kind in columns(con, table)]
    assert columns(con, "_arrow") == contract


def test_a_writing_block_swaps_its_snapshot_in_and_a_failing_one_leaves_the_live_file_as_it_was(tmp_path):
    """Snapshot.writing commits when its block ends and drops the copy when the block raises;
    Snapshot.run records the block's run only when it ends normally."""
    from etl.store.snapshot import TMP_SUFFIX, Snapshot
    db = tmp_path / "t.duckdb"
    with Snapshot.writing(db) as snap, snap.run("retag", ["x"]) as run:
        run.counts["n_read"] = 3
    assert snap.committed_id == 1

    with pytest.raises(RuntimeError, match="midway"), Snapshot.writing(db) as snap:
        with snap.run("reindex", ["y"]):
            snap.set_meta("index_dir", "should-not-stay")
            raise RuntimeError("midway")
    assert snap.committed_id is None
    assert not (tmp_path / ("t.duckdb" + TMP_SUFFIX)).exists()

    with Snapshot.writing(db) as snap:   # the lock was released, the live file is as committed
        assert snap.meta("index_dir") is None
        assert snap.con.execute("SELECT command, status, n_read FROM ingest_runs").fetchall() == [
            ("retag", "ok", 3)]
        assert snap.commit() == 2        # a block that commits itself is not committed twice
    assert snap.committed_id == 2


# -- article_rows: where each article's child rows lie (schema 7) -------------------------------

ROW_CHILDREN = {"article_topics": "article_id", "article_places": "article_id",
                "article_entities": "article_id", "provenance": "article_id", "articles": "dup_cluster"}


def located_rows(db) -> dict[tuple[str, str], int]:
    """(child, key) -> rows of `key` the recorded ranges hold; and every key's actual count."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        found: dict[tuple[str, str], int] = {}
        for child, key in ROW_CHILDREN.items():
            found.update({(child, k): n for k, n in con.execute(f"""
                SELECT r.article_id, count(c.rowid) FROM article_rows r
                LEFT JOIN {child} c ON c.rowid BETWEEN r.lo AND r.hi AND c.{key} = r.article_id
                WHERE r.child = ? GROUP BY 1""", [child]).fetchall()})
        return found
    finally:
        con.close()


def actual_rows(db) -> dict[tuple[str, str], int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out: dict[tuple[str, str], int] = {}
        for child, key in ROW_CHILDREN.items():
            having = "HAVING count(*) > 1" if child == "articles" else ""    # clusters of two or more
            out.update({(child, k): n for k, n in con.execute(
                f"SELECT {key}, count(*) FROM {child} GROUP BY 1 {having}").fetchall()})
        return out
    finally:
        con.close()


def test_article_rows_locate_every_child_row_of_every_article(sample_db):
    assert located_rows(sample_db) == actual_rows(sample_db)
    con = duckdb.connect(str(sample_db), read_only=True)
    try:         # stored in key order, so a lookup by article_id reads one row group
        keys = [r[0] for r in con.execute("SELECT article_id FROM article_rows").fetchall()]
        recorded = con.execute("SELECT sum(n) FROM article_rows WHERE child <> 'articles'").fetchone()[0]
        children = sum(con.execute(f"SELECT count(*) FROM {c}").fetchone()[0] for c in list(ROW_CHILDREN)[:4])
    finally:
        con.close()
    assert keys == sorted(keys) and recorded == children


def test_a_version_6_file_gets_article_rows_from_etl_init(sample_db, tmp_path):
    import shutil

    from etl import store
    from tests.conftest import run_etl
    db = tmp_path / "v6.duckdb"
    shutil.copy(sample_db, db)
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE article_rows")
    con.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    con.close()
    run_etl("init", db=db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == store.SCHEMA_VERSION
    finally:
        con.close()
    assert located_rows(db) == actual_rows(db) == actual_rows(sample_db)
