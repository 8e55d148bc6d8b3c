"""Snapshots of the DuckDB file, the atomic swap, and every read and write of a run.

Why snapshots: DuckDB's file lock refuses a writer while any other process (the dashboard) has
the file open, even read-only. So a run never writes the live file. It copies the live file
to a private temporary file, writes there, checkpoints, and renames it over the live path with
`os.replace`. Readers holding the old file keep reading the old inode until they reopen; a
killed run leaves only a stray temporary file, which the next run removes.
"""
from __future__ import annotations

import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb
import numpy as np
import pyarrow as pa

from etl.dedup.fingerprint import EMPTY_BIN, MINHASH_BINS
from etl.dedup.seen import NO_DAY
from etl.model import ItemError
from etl.store import facets, migrations
from etl.store.arrow_schema import CHILD_TABLES, TABLE_SCHEMAS
from etl.store.faults import PREVIOUS_SUFFIX, as_fault
from etl.store.lock import release_lock, take_lock

TMP_SUFFIX = ".writing"
SCRATCH_SUFFIX = ".scratch"    # beside the private copy: scratch() (removed with the copy)
ROW_GROUP_ROWS = 30_720    # rows per row group the ETL writes (a multiple of DuckDB's 2,048)


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass
class RunRecord:
    """What a command reports about its run (Snapshot.run)."""

    run_id: int
    status: str = "ok"
    counts: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    seconds: float = 0.0


@dataclass
class Snapshot:
    """A private writable copy of the database; `commit()` swaps it in, `abort()` drops it."""

    live: Path
    tmp: Path
    con: duckdb.DuckDBPyConnection
    _lock_fd: int
    _no_inputs_before: bool | None = None   # input_files was empty when this run began
    committed_id: int | None = None         # set once commit() has swapped the copy in

    # -- lifecycle -------------------------------------------------------------------------
    @classmethod
    def open(cls, live: Path) -> "Snapshot":
        live = Path(live).resolve()
        live.parent.mkdir(parents=True, exist_ok=True)
        lock_fd = take_lock(live)
        tmp = live.with_name(live.name + TMP_SUFFIX)
        try:
            return cls._open_copy(live, tmp, lock_fd)
        except BaseException as exc:
            # a partial copy (the disk filled up) or a file DuckDB refused: nothing stays behind
            for stray in (tmp, Path(str(tmp) + ".wal")):
                stray.unlink(missing_ok=True)
            shutil.rmtree(str(tmp) + SCRATCH_SUFFIX, ignore_errors=True)
            release_lock(lock_fd)
            fault = as_fault(exc, live)
            if fault is None or fault is exc:
                raise
            raise fault from exc

    @classmethod
    @contextmanager
    def writing(cls, live: Path) -> Iterator["Snapshot"]:
        """A snapshot for the length of a block: swapped in when the block ends, dropped when it
        raises (the live file untouched). A block may commit itself, to learn the snapshot id
        before it ends; it is not committed twice."""
        snap = cls.open(live)
        try:
            yield snap
            if snap.committed_id is None:
                snap.commit()
        except BaseException:
            if snap.committed_id is None:
                snap.abort()
            raise

    @classmethod
    def _open_copy(cls, live: Path, tmp: Path, lock_fd: int) -> "Snapshot":
        for stray in (tmp, Path(str(tmp) + ".wal")):
            stray.unlink(missing_ok=True)
        shutil.rmtree(str(tmp) + SCRATCH_SUFFIX, ignore_errors=True)
        if live.exists():
            shutil.copyfile(live, tmp)
        # Attached rather than opened, for a smaller row group than the 122,880 default (new
        # rows only; readers need nothing): DuckDB checkpoints a table's row groups in
        # parallel, so the end-of-run checkpoint uses both cores instead of writing one row
        # group on one thread (docs/figures.md).
        con = duckdb.connect()
        con.execute(f"ATTACH ? AS snapshot (ROW_GROUP_SIZE {ROW_GROUP_ROWS})", [str(tmp)])
        con.execute("USE snapshot")
        con.execute("SET preserve_insertion_order = false")
        # fewer, larger checkpoints than the 16 MB default (the file is private until the swap),
        # but bounded: data not yet checkpointed is held in memory. Each checkpoint costs more
        # as the file grows; at a million articles 512 MB halves the time spent in inserts
        # against 256 MB for a peak within budget (docs/figures.md has the three settings tried)
        con.execute("SET checkpoint_threshold = '512MB'")
        # bounded memory whatever the input size: DuckDB spills to disk beyond this
        con.execute("SET memory_limit = '1GB'")
        snap = cls(live, tmp, con, lock_fd)
        try:
            snap.ensure_schema()
        except BaseException:
            con.close()
            raise
        return snap

    def ensure_schema(self) -> None:
        """Create missing tables, upgrade an older file in place (etl/store/migrations.py)."""
        migrations.ensure_schema(self)

    def entities_of(self, article_ids: list[str]) -> dict[str, list[tuple]]:
        """Stored people and organisations of these articles: article_id -> [(entity_id, name,
        kind, title, evidence)]."""
        out: dict[str, list[tuple]] = {}
        if not article_ids:
            return out
        cur = self.cursor()
        try:
            for aid, *row in cur.execute(
                    "SELECT article_id, entity_id, name, kind, title, evidence FROM article_entities "
                    "WHERE article_id = ANY(?)", [article_ids]).fetchall():
                out.setdefault(aid, []).append(tuple(row))
        finally:
            cur.close()
        return out

    def place_kinds_of(self, article_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
        """Stored places of these articles: article_id -> [(kind, country_code)] (what
        `etl.extract.home_forces.story_countries` reads when topics are recomputed)."""
        out: dict[str, list[tuple[str, str]]] = {}
        if not article_ids:
            return out
        cur = self.cursor()
        try:
            for aid, kind, code in cur.execute(
                    "SELECT article_id, kind, country_code FROM article_places "
                    "WHERE article_id = ANY(?)", [article_ids]).fetchall():
                out.setdefault(aid, []).append((kind, code))
        finally:
            cur.close()
        return out

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of the connection, reading the snapshot (USE is per cursor)."""
        cur = self.con.cursor()
        cur.execute("USE snapshot")
        return cur

    def has_table(self, name: str) -> bool:
        return bool(self.con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND table_name = ?", [name]).fetchall()[0][0])

    def commit(self) -> int:
        """Checkpoint, close and atomically replace the live database. Returns the snapshot id."""
        snapshot_id = int(self.meta("snapshot_id") or 0) + 1
        self.set_meta("snapshot_id", str(snapshot_id))
        self.set_meta("created_at", now().isoformat(timespec="seconds"))
        self.con.execute("CHECKPOINT")
        self.con.close()
        _fsync(self.tmp)            # the new file's data on disk before the rename names it
        if self.live.exists():      # the snapshot being replaced stays as <db>.previous (a link)
            keep = self.live.with_name(self.live.name + PREVIOUS_SUFFIX)
            link = Path(str(keep) + ".new")
            try:
                link.unlink(missing_ok=True)
                os.link(self.live, link)
                os.replace(link, keep)
            except OSError:
                pass                # a filesystem without hard links: no previous copy kept
        os.replace(self.tmp, self.live)
        _fsync(self.live.parent)    # and the rename itself (a power loss could otherwise undo it)
        shutil.rmtree(str(self.tmp) + SCRATCH_SUFFIX, ignore_errors=True)
        self._release()
        self.committed_id = snapshot_id
        return snapshot_id

    def abort(self) -> None:
        """Drop the private copy (and whatever DuckDB left beside it); the live file is untouched."""
        try:
            self.con.close()
        except Exception:  # noqa: BLE001 - a connection broken by the fault being handled
            pass
        finally:
            self.tmp.unlink(missing_ok=True)
            Path(str(self.tmp) + ".wal").unlink(missing_ok=True)
            shutil.rmtree(str(self.tmp) + SCRATCH_SUFFIX, ignore_errors=True)
            self._release()

    def _release(self) -> None:
        if self._lock_fd >= 0:
            release_lock(self._lock_fd)
            self._lock_fd = -1

    # -- meta ------------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        rows = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    # -- runs and errors -------------------------------------------------------------------
    @contextmanager
    def run(self, command: str, inputs: list[str]) -> Iterator["RunRecord"]:
        """The block's row in ingest_runs: 'running' from its start; its status, counts and
        seconds written when it ends normally (a block that raises leaves nothing: the
        snapshot holding the row is dropped)."""
        record = RunRecord(self.begin_run(command, inputs))
        yield record
        record.seconds = time.perf_counter() - record.started
        self.finish_run(record.run_id, record.status, record.counts, record.seconds)

    def begin_run(self, command: str, inputs: list[str]) -> int:
        run_id = self.con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM ingest_runs").fetchall()[0][0]
        self.con.execute(
            "INSERT INTO ingest_runs (run_id, command, inputs, started_at, status) VALUES (?, ?, ?, ?, 'running')",
            [run_id, command, inputs, now()])
        return run_id

    def finish_run(self, run_id: int, status: str, counts: dict[str, int], seconds: float) -> None:
        allowed = ("n_inputs", "n_skipped_unchanged", "n_read", "n_new", "n_updated",
                   "n_unchanged", "n_duplicates", "n_failed")
        cols = [c for c in allowed if c in counts]
        sets = ", ".join(f"{c} = ?" for c in cols)
        self.con.execute(
            f"UPDATE ingest_runs SET {sets}, status = ?, finished_at = ?, seconds = ? WHERE run_id = ?",
            [counts[c] for c in cols] + [status, now(), seconds, run_id])

    def record_errors(self, run_id: int, errors: list[ItemError]) -> None:
        """The run's skipped inputs and items, with their reasons."""
        if errors:
            at = now()
            self.con.executemany("INSERT INTO ingest_errors VALUES (?, ?, ?, ?, ?, ?)",
                                 [(run_id, e.input_path, e.item, e.kind, e.reason, at) for e in errors])

    # -- input files -----------------------------------------------------------------------
    def known_inputs(self, paths: list[str]) -> dict[str, tuple[int, int, str]]:
        """(size, mtime_ns, sha256) of the given inputs as last ingested."""
        if not paths:
            return {}
        if self._no_inputs_before is None:      # a first ingest skips the lookups altogether
            self._no_inputs_before = self.con.execute(
                "SELECT count(*) = 0 FROM (SELECT 1 FROM input_files LIMIT 1)").fetchall()[0][0]
        if self._no_inputs_before:
            return {}
        tbl = pa.table({"input_path": paths})
        self.con.register("_paths", tbl)
        try:
            rows = self.con.execute(
                "SELECT f.input_path, f.size_bytes, f.mtime_ns, f.sha256 FROM input_files f "
                "JOIN _paths USING (input_path)").fetchall()
        finally:
            self.con.unregister("_paths")
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def record_inputs(self, rows: list[tuple]) -> None:
        """Remember inputs as read: (path, size, mtime_ns, sha256, format, n_articles, run_id).
        One statement per batch: a statement per file costs more than reading a small file."""
        if not rows:
            return
        cols = ("input_path", "size_bytes", "mtime_ns", "sha256", "input_format", "n_articles", "last_run_id")
        self.con.register("_inputs", pa.table({c: [r[i] for r in rows] for i, c in enumerate(cols)}))
        try:
            if self._no_inputs_before:
                # a first ingest: the paths are new, and a plain insert costs a third of an
                # upsert (docs/figures.md). A path met twice in the run
                # (a URL named twice) makes it fail as a whole, and the upsert below runs.
                try:
                    self.con.execute("INSERT INTO input_files SELECT * FROM _inputs")
                    return
                except duckdb.ConstraintException:
                    pass
            self.con.execute("INSERT OR REPLACE INTO input_files SELECT * FROM _inputs")
        finally:
            self.con.unregister("_inputs")

    # -- topics ----------------------------------------------------------------------------
    def replace_topics(self, rows: list[dict]) -> None:
        self.con.execute("DELETE FROM topics")
        self.con.executemany("INSERT INTO topics VALUES (?, ?, ?, ?, ?)",
                             [(r["topic_id"], r["label"], r["definition"], r["color"], r["sort_order"])
                              for r in rows])

    # -- lookups for a batch ---------------------------------------------------------------
    def lookup_batch(self, keys: list[tuple[str, str]], hashes: list[str]):
        """Existing provenance for (input_path, item) keys, and articles having given content hashes.

        Returns (by_key: {(path, item): (article_id, content_hash, first_run_id, dup_cluster,
        is_primary)}, by_hash: {hash: article_id}).
        """
        by_key: dict[tuple[str, str], tuple] = {}
        by_hash: dict[str, str] = {}
        if keys:
            self.con.register("_keys", pa.table({"input_path": [k[0] for k in keys],
                                                 "item": [k[1] for k in keys]}))
            try:
                for path, item, *rest in self.con.execute(
                        "SELECT p.input_path, p.item, p.article_id, a.content_hash, a.first_run_id, "
                        "a.dup_cluster, a.is_primary FROM provenance p "
                        "JOIN _keys k ON p.input_path = k.input_path AND p.item = k.item "
                        "JOIN articles a ON a.article_id = p.article_id").fetchall():
                    by_key[(path, item)] = tuple(rest)
            finally:
                self.con.unregister("_keys")
        if hashes:
            self.con.register("_hashes", pa.table({"content_hash": hashes}))
            try:
                for h, aid in self.con.execute(
                        "SELECT a.content_hash, min(a.article_id) FROM articles a "
                        "JOIN _hashes USING (content_hash) GROUP BY ALL").fetchall():
                    by_hash[h] = aid
            finally:
                self.con.unregister("_hashes")
        return by_key, by_hash

    def fingerprint_batches(self, rows: int = 1 << 16) -> Iterator[dict]:
        """Every article's id, duplicate cluster and content-hash prefix as 64-bit numbers, its
        simhash, publication day and MinHash signature, as numpy arrays of up to `rows`
        articles each (for etl.dedup.Seen; ids and hashes are hexadecimal): in pieces, so
        that loading a large database's never holds all of them at once. Articles without a
        signature get empty bins."""
        cur = self.cursor()     # a result fetched in bulk is not "finished" on the connection
        try:
            reader = cur.sql(
                "SELECT ('0x' || left(article_id, 16))::UBIGINT AS aid, "
                "('0x' || left(dup_cluster, 16))::UBIGINT AS cluster, "
                "('0x' || left(content_hash, 16))::UBIGINT AS hash, simhash AS sim, "
                "coalesce(date_diff('day', DATE '1970-01-01', published_at::DATE), ?)::INTEGER AS day, "
                "coalesce(minhash, list_transform(range(?), lambda i: ?::USMALLINT)) AS sig "
                "FROM articles", params=[int(NO_DAY), MINHASH_BINS, EMPTY_BIN]).to_arrow_reader(rows)
            for batch in reader:
                if not batch.num_rows:
                    continue
                sig = batch.column("sig").flatten().to_numpy(zero_copy_only=False)
                yield {**{k: batch.column(k).to_numpy(zero_copy_only=False)
                          for k in ("aid", "cluster", "hash", "sim", "day")},
                       "sig": sig.astype(np.uint16).reshape(-1, MINHASH_BINS)}
        finally:
            cur.close()

    def scratch(self) -> Path:
        """A private folder beside the copy for a run's working files (the deduplication
        index's large chunks), removed with the copy, and by the next run if this one is killed."""
        folder = Path(str(self.tmp) + SCRATCH_SUFFIX)
        folder.mkdir(exist_ok=True)
        return folder

    def texts(self, article_ids: list[str]) -> dict[str, str]:
        """Body (or title, when there is no body) of these articles."""
        if not article_ids:
            return {}
        # a filter on the scan, not a join: only the matching rows' bodies are read (a join
        # reads every body of the table: docs/figures.md)
        return dict(self.con.execute(
            "SELECT article_id, coalesce(nullif(body, ''), title, '') FROM articles "
            "WHERE article_id = ANY(?)", [article_ids]).fetchall())

    def paths_with_provenance(self, paths: list[str]) -> set[str]:
        """Which of these input paths (or URLs) already have articles."""
        if not paths:
            return set()
        self.con.register("_paths", pa.table({"input_path": paths}))
        try:
            return {r[0] for r in self.con.execute(
                "SELECT DISTINCT input_path FROM provenance JOIN _paths USING (input_path)").fetchall()}
        finally:
            self.con.unregister("_paths")

    # -- writes ----------------------------------------------------------------------------
    def delete_articles(self, article_ids: list[str]) -> None:
        """Delete articles and their child rows (before re-inserting updated versions)."""
        if not article_ids:
            return
        self.con.register("_del", pa.table({"article_id": article_ids}))
        try:
            for table in ("articles", *CHILD_TABLES):
                self.con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM _del)")
        finally:
            self.con.unregister("_del")

    def insert(self, table: str, rows: list[dict] | pa.Table) -> None:
        """Bulk insert rows (dicts, or an Arrow table with the table's columns) into an
        allow-listed table."""
        schema = TABLE_SCHEMAS[table]
        if not len(rows):
            return
        tbl = rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(rows, schema=schema)
        self.con.register("_rows", tbl)
        try:
            cols = ", ".join(f'"{n}"' for n in schema.names)
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _rows")
        finally:
            self.con.unregister("_rows")

    def touch_provenance(self, keys: list[tuple[str, str]], run_id: int) -> None:
        if not keys:
            return
        self.con.register("_keys", pa.table({"input_path": [k[0] for k in keys], "item": [k[1] for k in keys]}))
        try:
            self.con.execute(
                "UPDATE provenance SET last_run_id = ? FROM _keys k "
                "WHERE provenance.input_path = k.input_path AND provenance.item = k.item", [run_id])
        finally:
            self.con.unregister("_keys")

    # -- reading stored text (retag / reindex) ---------------------------------------------
    def iter_texts(self, batch_size: int = 5000, run_id: int | None = None) -> Iterator[list[tuple]]:
        """Yield batches of (article_id, title, caption, body, published_at, source,
        primary_country, is_primary): every article, or those added or changed by `run_id`
        (for the incremental index update)."""
        sql = ("SELECT article_id, coalesce(title, ''), coalesce(caption, ''), body, published_at, "
               "source, primary_country, is_primary FROM articles")
        cur = self.cursor()
        if run_id is None:
            cur.execute(sql)
        else:
            cur.execute(sql + " WHERE last_run_id = ?", [run_id])
        while True:
            rows = cur.fetchmany(batch_size)
            if not rows:
                break
            yield rows
        cur.close()

    def replace_child_rows(self, table: str, rows: list[dict], article_ids: list[str] | None = None) -> None:
        """Replace all rows of an allow-listed child table (or only those of `article_ids`)."""
        if table not in CHILD_TABLES:
            raise ValueError(f"not a child table: {table}")
        if article_ids is None:
            self.con.execute(f"DELETE FROM {table}")
        else:
            self.con.register("_ids", pa.table({"article_id": article_ids}))
            try:
                self.con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM _ids)")
            finally:
                self.con.unregister("_ids")
        self.insert(table, rows)

    # -- derived tables --------------------------------------------------------------------
    def rebuild_facets(self) -> None:
        """Rebuild the derived tables (etl/store/facets.py)."""
        facets.rebuild(self.con)

    def rebuild_rollup(self) -> None:
        """Rebuild facet_rollup alone from the stored article_facets (a schema upgrade)."""
        facets.rebuild_rollup(self.con)


def _fsync(path: Path) -> None:
    """fsync a file, or a directory (its entries: a rename inside it)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


