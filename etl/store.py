"""The only ETL module that speaks SQL: snapshots of the DuckDB file, the atomic swap, and writes.

Why snapshots: DuckDB's file lock refuses a writer while any other process (the dashboard) has
the file open, even read-only. So a run never writes the live file. It copies the live file
to a private temporary file, writes there, checkpoints, and renames it over the live path with
`os.replace`. Readers holding the old file keep reading the old inode until they reopen; a
killed run leaves only a stray temporary file, which the next run removes.
"""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb
import numpy as np
import pyarrow as pa

from etl.dedup.seen import NO_DAY
from etl.errors import CorruptDatabase, DiskFault, DiskFull, RunFault
from etl.model import ItemError
from etl.dedup.fingerprint import EMPTY_BIN, MINHASH_BINS

SCHEMA_PATH = Path(__file__).with_name("schema.sql")
SCHEMA_VERSION = "4"
UPGRADABLE_VERSIONS = {"1", "2", "3"}   # older versions ensure_schema upgrades in place
TMP_SUFFIX = ".writing"
PREVIOUS_SUFFIX = ".previous"   # the snapshot before the last swap, to restore a damaged file

EVIDENCE_TYPE = pa.list_(pa.struct([
    ("field", pa.string()), ("start", pa.int32()), ("end", pa.int32()),
    ("text", pa.string()),
]))

ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("url", pa.string()), ("source", pa.string()),
    ("title", pa.string()), ("author", pa.string()), ("published_at", pa.timestamp("us")),
    ("date_precision", pa.string()), ("date_source", pa.string()), ("dateline", pa.string()),
    ("dateline_place", pa.string()), ("dateline_country", pa.string()),
    ("primary_country", pa.string()), ("primary_region", pa.string()), ("language", pa.string()),
    ("caption", pa.string()), ("media_id", pa.string()), ("body", pa.string()),
    ("word_count", pa.int32()), ("content_hash", pa.string()), ("simhash", pa.uint64()),
    ("dup_cluster", pa.string()), ("is_primary", pa.bool_()), ("input_format", pa.string()),
    ("input_path", pa.string()), ("first_run_id", pa.int32()), ("last_run_id", pa.int32()),
    ("extra", pa.string()), ("minhash", pa.list_(pa.uint16())),
])
PROVENANCE_SCHEMA = pa.schema([
    ("input_path", pa.string()), ("item", pa.string()), ("article_id", pa.string()),
    ("url", pa.string()), ("input_format", pa.string()), ("first_run_id", pa.int32()),
    ("last_run_id", pa.int32()),
])
TOPIC_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("topic_id", pa.string()), ("score", pa.float64()),
    ("n_matches", pa.int32()), ("evidence", EVIDENCE_TYPE),
])
PLACE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("place_id", pa.string()), ("name", pa.string()),
    ("kind", pa.string()), ("country_code", pa.string()), ("region", pa.string()),
    ("lat", pa.float64()), ("lon", pa.float64()), ("role", pa.string()),
    ("n_mentions", pa.int32()), ("evidence", EVIDENCE_TYPE),
])
ENTITY_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("entity_id", pa.string()), ("name", pa.string()),
    ("kind", pa.string()), ("title", pa.string()), ("n_mentions", pa.int32()),
    ("evidence", EVIDENCE_TYPE),
])

CASUALTY_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("event_no", pa.int32()), ("killed", pa.int32()), ("injured", pa.int32()),
    ("civilians_killed", pa.int32()), ("children_killed", pa.int32()), ("women_killed", pa.int32()),
    ("combatants_killed", pa.int32()), ("approximate", pa.bool_()), ("is_main_event", pa.bool_()),
    ("is_cumulative", pa.bool_()), ("is_negated", pa.bool_()), ("evidence", EVIDENCE_TYPE),
])
DEFECTION_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("event_no", pa.int32()), ("person", pa.string()), ("entity_id", pa.string()),
    ("rank", pa.string()), ("count", pa.int32()), ("approximate", pa.bool_()), ("from_side", pa.string()),
    ("to_side", pa.string()), ("destination", pa.string()), ("when_text", pa.string()),
    ("is_background", pa.bool_()), ("evidence", EVIDENCE_TYPE),
])

# Child tables keyed by article_id, with the arrow schema of their rows. Identifiers used in
# SQL below come only from this allow-list.
CHILD_TABLES = {
    "article_topics": TOPIC_SCHEMA,
    "article_places": PLACE_SCHEMA,
    "article_entities": ENTITY_SCHEMA,
    "casualties": CASUALTY_SCHEMA,
    "defections": DEFECTION_SCHEMA,
}
FIGURE_TABLES = ("casualties", "defections")    # filled from text by etl/enrich.figure_rows


def _by_role(role: str) -> str:
    """Per article of the chunk `k`, the lists one place role contributes to article_facets."""
    return f"""
        SELECT article_id, list(country_code) AS c,
               list(name) FILTER (WHERE kind IN ('region', 'city')) AS n,
               list(region) FILTER (WHERE kind IN ('region', 'city') AND region IS NOT NULL) AS r,
               list(place_id) FILTER (WHERE kind IN ('region', 'city') AND lat IS NOT NULL
                                      AND lon IS NOT NULL) AS p
        FROM article_places JOIN k USING (article_id) WHERE role = '{role}' GROUP BY article_id"""


def _concat(*lists: str) -> str:
    """SQL concatenating list expressions, NULL lists counting as empty."""
    expr = "[]"
    for item in lists:
        expr = f"list_concat({expr}, coalesce({item}, []))"
    return expr


def _distinct(column: str) -> str:
    """SQL for a list column without repeats (first occurrences kept). Lists here are short, so
    this is about twice as fast as list_distinct, which dominated the rebuild's time."""
    return f"list_filter({column}, lambda v, i: list_position({column}, v) = i) AS {column}"


_PRIMARY_COUNTRY = "CASE WHEN a.primary_country IS NULL THEN [] ELSE [a.primary_country] END"
_PRIMARY_REGION = "CASE WHEN a.primary_region IS NULL THEN [] ELSE [a.primary_region] END"
_LISTS = ("c_any", "c_dl", "c_mn", "r_any", "r_dl", "r_mn", "p_any", "p_dl", "p_mn")

# Derived tables (schema.sql) and the SELECT that fills each (ARTICLE_FACETS, INDEX_TABLES);
# identifiers come only from here.
# row_key is numbered on the two narrow columns first (FACET_KEYS, a temporary table): numbering
# the wide rows in the window itself costs more than the join. article_facets is then filled in
# chunks of FACET_CHUNK_ROWS row keys, in order (its SELECT takes the chunk's bounds): one
# statement for a million articles of text pages (a dateline each) needed more than the 1 GB
# memory limit for its joins, aggregates and sort.
FACET_CHUNK_ROWS = 200_000
FACET_KEYS = """
    CREATE OR REPLACE TEMP TABLE facet_keys AS
    SELECT article_id, row_number() OVER (ORDER BY published_at NULLS LAST, article_id)::INTEGER AS row_key
    FROM articles"""
ARTICLE_FACETS = f"""
        WITH k AS (SELECT article_id, row_key FROM facet_keys WHERE row_key > ? AND row_key <= ?),
        tp AS (SELECT article_id, list(topic_id) AS topics FROM article_topics JOIN k USING (article_id)
               GROUP BY 1),
        en AS (SELECT article_id, list(entity_id) AS people FROM article_entities JOIN k USING (article_id)
               GROUP BY 1),
        dl AS ({_by_role("dateline")}),
        mn AS ({_by_role("mentioned")}),
        f AS (
            SELECT a.article_id, k.row_key, a.published_at, a.date_precision, a.is_primary, a.source,
                   a.title, a.primary_country, a.primary_region, a.dateline_place,
                   coalesce(tp.topics, []) AS topics,
                   {_concat("dl.c", "mn.c", _PRIMARY_COUNTRY)} AS c_any,
                   {_concat("dl.c")} AS c_dl,
                   {_concat("mn.c")} AS c_mn,
                   {_concat("dl.n", "dl.r", "mn.n", "mn.r", _PRIMARY_REGION)} AS r_any,
                   {_concat("dl.n", "dl.r")} AS r_dl,
                   {_concat("mn.n", "mn.r")} AS r_mn,
                   {_concat("dl.p", "mn.p")} AS p_any,
                   {_concat("dl.p")} AS p_dl,
                   {_concat("mn.p")} AS p_mn,
                   coalesce(en.people, []) AS people
            FROM articles a JOIN k USING (article_id)
            LEFT JOIN tp USING (article_id) LEFT JOIN en USING (article_id)
            LEFT JOIN dl USING (article_id) LEFT JOIN mn USING (article_id))
        SELECT article_id, row_key, published_at, date_precision, is_primary, source, title,
               primary_country, primary_region, dateline_place, topics,
               {", ".join(_distinct(c) for c in _LISTS)}, people
        FROM f ORDER BY row_key"""
INDEX_TABLES = {
    "place_index": """
        SELECT place_id, min(name), min(kind), min(country_code), min(region), avg(lat), avg(lon)
        FROM article_places
        WHERE kind IN ('region', 'city') AND lat IS NOT NULL AND lon IS NOT NULL
        GROUP BY place_id ORDER BY place_id""",
    "entity_index": """
        SELECT entity_id, min(name), min(kind) FROM article_entities
        GROUP BY entity_id ORDER BY entity_id""",
}


def minhash_column(sigs: np.ndarray) -> pa.Array:
    """`articles.minhash` values from (n × MINHASH_BINS) uint16 signatures, without a copy per row."""
    offsets = np.arange(0, (len(sigs) + 1) * MINHASH_BINS, MINHASH_BINS)
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pa.array(sigs.ravel(), pa.uint16()))


ROW_GROUP_ROWS = 30_720    # rows per row group the ETL writes (a multiple of DuckDB's 2,048)


class WriterBusy(Exception):
    """Another ETL run holds the write lock on this database."""


_HELD_LOCKS: set[int] = set()       # descriptors of the writer locks this process holds


def held_lock_fds() -> tuple[int, ...]:
    """The writer locks held here, for worker processes to close as they start: a lock
    (flock) belongs to the open file, which a forked child shares, so a worker that kept its
    copy would hold the lock after its parent died and every later run would find it taken."""
    return tuple(_HELD_LOCKS)


def _take_lock(live: Path) -> int:
    """flock the database's lock file for this process; write our PID in it, so that a run
    that finds it taken can say who holds it. The kernel frees the lock when the holder dies."""
    path = str(live) + ".lock"
    lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _lock_holder(lock_fd)
        os.close(lock_fd)
        if holder is None:
            detail = "wait for it to finish"
        elif _alive(holder):
            detail = f"its PID is {holder}; wait for it to finish"
        else:
            detail = (f"the run that took the lock (PID {holder}) is gone, so a process it left is "
                      f"holding it: `fuser {path}` names it")
        raise WriterBusy(f"another ingest is writing {live}; {detail}") from None
    os.ftruncate(lock_fd, 0)
    os.pwrite(lock_fd, f"{os.getpid()}\n".encode(), 0)
    _HELD_LOCKS.add(lock_fd)
    return lock_fd


def _lock_holder(fd: int) -> int | None:
    try:
        return int(os.pread(fd, 32, 0).split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DISK_FULL_WORDS = ("no space left on device", "disk quota exceeded", "file too large")


def as_fault(exc: BaseException, live: Path) -> RunFault | None:
    """A database or disk failure as a RunFault the user can act on (None: not one)."""
    if isinstance(exc, RunFault):
        return exc
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if ((isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS)
            or any(w in str(exc).lower() for w in _DISK_FULL_WORDS)):
        return DiskFull(f"The disk holding {live} is full (or a file-size limit was reached): {text}.",
                        "Free some space (a run needs about twice the database's size) and run the "
                        "command again; the database is unchanged.")
    if isinstance(exc, duckdb.Error):
        return CorruptDatabase(f"The database {live} could not be read or written: {text}.",
                               f"If the file is damaged, restore the previous snapshot (`mv {live}"
                               f"{PREVIOUS_SUFFIX} {live}`, then `python -m etl reindex`) or re-create it "
                               f"with `python -m etl ingest PATH... --db {live}`; the run changed nothing.")
    if isinstance(exc, OSError):
        return DiskFault(f"A file operation failed: {text}.",
                         "Check the disk and the permissions of the database folder, then run the "
                         "command again; the database is unchanged.")
    return None


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass
class Snapshot:
    """A private writable copy of the database; `commit()` swaps it in, `abort()` drops it."""

    live: Path
    tmp: Path
    con: duckdb.DuckDBPyConnection
    _lock_fd: int
    _no_inputs_before: bool | None = None   # input_files was empty when this run began

    # -- lifecycle -------------------------------------------------------------------------
    @classmethod
    def open(cls, live: Path) -> "Snapshot":
        live = Path(live).resolve()
        live.parent.mkdir(parents=True, exist_ok=True)
        lock_fd = _take_lock(live)
        tmp = live.with_name(live.name + TMP_SUFFIX)
        try:
            return cls._open_copy(live, tmp, lock_fd)
        except BaseException as exc:
            # a partial copy (the disk filled up) or a file DuckDB refused: nothing stays behind
            for stray in (tmp, Path(str(tmp) + ".wal")):
                stray.unlink(missing_ok=True)
            _release_lock(lock_fd)
            fault = as_fault(exc, live)
            if fault is None or fault is exc:
                raise
            raise fault from exc

    @classmethod
    def _open_copy(cls, live: Path, tmp: Path, lock_fd: int) -> "Snapshot":
        for stray in (tmp, Path(str(tmp) + ".wal")):
            stray.unlink(missing_ok=True)
        if live.exists():
            shutil.copyfile(live, tmp)
        # Attached rather than opened, for a smaller row group than the 122,880 default (new
        # rows only; readers need nothing): DuckDB checkpoints a table's row groups in
        # parallel, so the end-of-run checkpoint of 100 k articles uses both cores
        # (2.5 -> 1.6 s) instead of writing one row group on one thread.
        con = duckdb.connect()
        con.execute(f"ATTACH ? AS snapshot (ROW_GROUP_SIZE {ROW_GROUP_ROWS})", [str(tmp)])
        con.execute("USE snapshot")
        con.execute("SET preserve_insertion_order = false")
        # fewer, larger checkpoints than the 16 MB default (the file is private until the swap),
        # but bounded: data not yet checkpointed is held in memory. Each checkpoint costs more
        # as the file grows; at a million articles 512 MB halves the time spent in inserts
        # against 256 MB (1M JSON Lines: 3,391 against ~2,600 articles/s, peak 1.68 GB; 768 MB
        # gave 3,454/s but peaked at 1.92 GB)
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
        """Create missing tables; upgrade an older version in place (version 1 lacks the
        derived tables, which are created here and filled from the tables it has)."""
        version = self.meta("schema_version") if self._has_table("meta") else None
        if version is not None and version != SCHEMA_VERSION and version not in UPGRADABLE_VERSIONS:
            raise RuntimeError(f"database schema version {version} is not {SCHEMA_VERSION}; "
                               "re-create it with `python -m etl ingest` into a new file")
        self.con.execute(SCHEMA_PATH.read_text())
        if version in ("1", "2"):
            self.con.execute("ALTER TABLE articles ADD COLUMN IF NOT EXISTS minhash USMALLINT[]")
            self._refingerprint()
            self._drop_evidence_snippets()
            self.rebuild_facets()
        if version is not None and version != SCHEMA_VERSION:
            self.fill_figures()
        self.set_meta("schema_version", SCHEMA_VERSION)

    def _refingerprint(self, batch_size: int = 5000) -> None:
        """Recompute simhash and MinHash of every stored article from its text (schema 3 changed
        the simhash's words and added the MinHash), so old and new articles compare alike."""
        from etl.dedup.fingerprint import minhash_many, shingle_words, simhash_many
        cur = self._cursor()
        try:
            cur.execute("SELECT article_id, coalesce(nullif(body, ''), title, '') FROM articles")
            while rows := cur.fetchmany(batch_size):
                words = [shingle_words(text) for _, text in rows]
                sigs = minhash_many(words)
                tbl = pa.table({"article_id": [r[0] for r in rows],
                                "simhash": pa.array(simhash_many(words), pa.uint64()),
                                "minhash": minhash_column(sigs)})
                self.con.register("_fp", tbl)
                try:
                    self.con.execute("UPDATE articles SET simhash = f.simhash, minhash = f.minhash "
                                     "FROM _fp f WHERE articles.article_id = f.article_id")
                finally:
                    self.con.unregister("_fp")
        finally:
            cur.close()

    def fill_figures(self, batch_size: int = 2000) -> int:
        """Recompute the casualties and defections of every stored article from its text and
        stored people (schema 4 added the tables; a version-3 file has the text). Returns the
        number of articles read."""
        from etl.enrich import stored_figure_rows
        for table in FIGURE_TABLES:
            self.con.execute(f"DELETE FROM {table}")
        n = 0
        for batch in self.iter_texts(batch_size=batch_size):
            people = self.entities_of([r[0] for r in batch])
            out: dict[str, list[dict]] = {t: [] for t in FIGURE_TABLES}
            for aid, title, caption, body, published_at, *_ in batch:
                for table, part in stored_figure_rows(aid, title, caption, body, published_at,
                                                      people.get(aid, [])).items():
                    out[table].extend(dict(r, evidence=[{"field": e.field, "start": e.start, "end": e.end,
                                                         "text": e.text} for e in r["evidence"]])
                                      for r in part)
            for table, rows in out.items():
                self.insert(table, rows)
            n += len(batch)
        return n

    def entities_of(self, article_ids: list[str]) -> dict[str, list[tuple]]:
        """Stored people and organisations of these articles: article_id -> [(entity_id, name,
        kind, title, evidence)]."""
        out: dict[str, list[tuple]] = {}
        if not article_ids:
            return out
        cur = self._cursor()
        try:
            for aid, *row in cur.execute(
                    "SELECT article_id, entity_id, name, kind, title, evidence FROM article_entities "
                    "WHERE article_id = ANY(?)", [article_ids]).fetchall():
                out.setdefault(aid, []).append(tuple(row))
        finally:
            cur.close()
        return out

    def _drop_evidence_snippets(self) -> None:
        """Versions 1 and 2 stored a display snippet in every evidence item; version 3 does not."""
        for table in CHILD_TABLES:
            kind = self.con.execute(
                "SELECT data_type FROM duckdb_columns() WHERE database_name = current_database() "
                "AND table_name = ? AND column_name = 'evidence'", [table]).fetchall()
            if kind and "snippet" in kind[0][0]:
                self.con.execute(
                    f'ALTER TABLE {table} ALTER evidence SET DATA TYPE '
                    f'STRUCT(field VARCHAR, "start" INTEGER, "end" INTEGER, text VARCHAR)[] '
                    f'USING list_transform(evidence, lambda e: {{"field": e.field, "start": e.start, '
                    f'"end": e."end", "text": e.text}})')

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of the connection, reading the snapshot (USE is per cursor)."""
        cur = self.con.cursor()
        cur.execute("USE snapshot")
        return cur

    def _has_table(self, name: str) -> bool:
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
        self._release()
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
            self._release()

    def _release(self) -> None:
        if self._lock_fd >= 0:
            _release_lock(self._lock_fd)
            self._lock_fd = -1

    # -- meta ------------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        rows = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    # -- runs and errors -------------------------------------------------------------------
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
                # upsert (4 against 13 µs a row into a million). A path met twice in the run
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

    def fingerprints(self) -> dict:
        """Every article's id, duplicate cluster and content-hash prefix as 64-bit numbers, its
        simhash, publication day and MinHash signature, as numpy arrays (for etl.dedup.Seen;
        ids and hashes are hexadecimal). Articles without a signature get empty bins."""
        cur = self._cursor()     # a result fetched in bulk is not "finished" on the connection
        try:
            out = cur.sql(
                "SELECT ('0x' || left(article_id, 16))::UBIGINT AS aid, "
                "('0x' || left(dup_cluster, 16))::UBIGINT AS cluster, "
                "('0x' || left(content_hash, 16))::UBIGINT AS hash, simhash AS sim, "
                "coalesce(date_diff('day', DATE '1970-01-01', published_at::DATE), ?)::INTEGER AS day, "
                "coalesce(minhash, list_transform(range(?), lambda i: ?::USMALLINT)) AS sig "
                "FROM articles", params=[int(NO_DAY), MINHASH_BINS, EMPTY_BIN]).to_arrow_table()
        finally:
            cur.close()
        sig = out.column("sig").combine_chunks().flatten().to_numpy(zero_copy_only=False)
        return {**{k: out.column(k).to_numpy() for k in ("aid", "cluster", "hash", "sim", "day")},
                "sig": sig.astype(np.uint16).reshape(-1, MINHASH_BINS)}

    def texts(self, article_ids: list[str]) -> dict[str, str]:
        """Body (or title, when there is no body) of these articles."""
        if not article_ids:
            return {}
        # a filter on the scan, not a join: only the matching rows' bodies are read (a join
        # reads every body of the table, ~0.2 s a call at a million articles)
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
        schema = {"articles": ARTICLE_SCHEMA, "provenance": PROVENANCE_SCHEMA, **CHILD_TABLES}[table]
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
        cur = self._cursor()
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
        """Rebuild article_facets, place_index and entity_index from articles and the child
        tables (see schema.sql). A full rebuild (about 1 s per 100k articles, 8.5 s per million,
        within the 1 GB memory limit) is simpler than keeping them in step with every delete
        and insert, and the file does not grow: the deleted blocks are reused.

        Rows are written in row_key order (published_at, undated last, then article_id) so a
        date-range scan skips row groups; that needs insertion order kept for these statements.
        article_facets is written FACET_CHUNK_ROWS keys at a time, which bounds the memory its
        joins and sort need whatever the size of the database.
        """
        # everything written so far goes to disk first, so the sort below has the whole
        # memory budget (uncheckpointed rows of a large run otherwise crowd it out)
        self.con.execute("CHECKPOINT")
        self.con.execute("SET preserve_insertion_order = true")
        try:
            self.con.execute(FACET_KEYS)
            n = self.con.execute("SELECT count(*) FROM facet_keys").fetchall()[0][0]
            self.con.execute("DELETE FROM article_facets")
            for lo in range(0, n, FACET_CHUNK_ROWS):
                self.con.execute(f"INSERT INTO article_facets {ARTICLE_FACETS}", [lo, lo + FACET_CHUNK_ROWS])
            for table, sql in INDEX_TABLES.items():
                self.con.execute(f"DELETE FROM {table}")
                self.con.execute(f"INSERT INTO {table} {sql}")
        finally:
            self.con.execute("DROP TABLE IF EXISTS facet_keys")
            self.con.execute("SET preserve_insertion_order = false")

def _release_lock(lock_fd: int) -> None:
    _HELD_LOCKS.discard(lock_fd)
    fcntl.flock(lock_fd, fcntl.LOCK_UN)
    os.close(lock_fd)


def _fsync(path: Path) -> None:
    """fsync a file, or a directory (its entries: a rename inside it)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_stats(con: duckdb.DuckDBPyConnection) -> dict:
    """What the database holds, for `python -m etl stats`."""
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    out = {
        "articles": one("SELECT count(*) FROM articles"),
        "unique_stories": one("SELECT count(*) FROM articles WHERE is_primary"),
        "provenances": one("SELECT count(*) FROM provenance"),
        "undated": one("SELECT count(*) FROM articles WHERE published_at IS NULL"),
        "first_date": one("SELECT min(published_at)::DATE FROM articles"),
        "last_date": one("SELECT max(published_at)::DATE FROM articles"),
        "sources": one("SELECT count(DISTINCT source) FROM articles"),
        "topic_tags": one("SELECT count(*) FROM article_topics"),
        "place_mentions": one("SELECT count(*) FROM article_places"),
        "entities": one("SELECT count(*) FROM article_entities"),
        "runs": one("SELECT count(*) FROM ingest_runs"),
        "errors": one("SELECT count(*) FROM ingest_errors"),
    }
    out["by_format"] = con.execute(
        "SELECT input_format, count(*) FROM articles GROUP BY ALL ORDER BY 2 DESC").fetchall()
    out["by_topic"] = con.execute(
        "SELECT t.label, count(*) FROM article_topics a JOIN topics t USING (topic_id) "
        "GROUP BY ALL ORDER BY 2 DESC").fetchall()
    out["by_source"] = con.execute(
        "SELECT coalesce(source, '(unknown)'), count(*) FROM articles GROUP BY ALL ORDER BY 2 DESC LIMIT 15").fetchall()
    out["last_errors"] = con.execute(
        "SELECT input_path, item, error_kind, reason FROM ingest_errors "
        "WHERE run_id = (SELECT max(run_id) FROM ingest_errors) ORDER BY input_path, item LIMIT 50").fetchall()
    return out


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)
