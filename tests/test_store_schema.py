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
