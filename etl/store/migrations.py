"""Schema versions: create the tables of etl/schema.sql, and upgrade an older file in place.

SCHEMA_VERSION is the version schema.sql describes (meta.schema_version); a file of a version
in UPGRADABLE_VERSIONS is brought up to it when a run opens its snapshot, a newer or unknown
one is refused. A change to schema.sql that old files cannot simply gain with
`CREATE TABLE IF NOT EXISTS` bumps SCHEMA_VERSION and adds its step to `ensure_schema`.
"""
from __future__ import annotations

import pyarrow as pa

from etl import paths
from etl.dedup.fingerprint import minhash_many, shingle_words, simhash_many
from etl.store import facets
from etl.store.arrow_schema import CHILD_TABLES, FIGURE_TABLES, minhash_column

SCHEMA_VERSION = "8"
UPGRADABLE_VERSIONS = {"1", "2", "3", "4", "5", "6", "7"}   # older versions ensure_schema upgrades in place
DERIVED_WITH_LANGUAGE = ("article_facets", "facet_rollup")   # the derived tables version 6 changed


def ensure_schema(snap) -> None:
    """Create missing tables; upgrade an older version in place (version 1 lacks the
    derived tables, which are created here and filled from the tables it has)."""
    version = snap.meta("schema_version") if snap.has_table("meta") else None
    if version is not None and version != SCHEMA_VERSION and version not in UPGRADABLE_VERSIONS:
        raise RuntimeError(f"database schema version {version} is not {SCHEMA_VERSION}; "
                           "re-create it with `python -m etl ingest` into a new file")
    if version in UPGRADABLE_VERSIONS - {"6", "7"}:
        # version 6 added `language` to the two derived tables, which are rebuilt below anyway:
        # dropped and created anew from schema.sql, so their columns are in its order and no
        # old rows are carried through an ALTER TABLE first
        for table in DERIVED_WITH_LANGUAGE:
            snap.con.execute(f"DROP TABLE IF EXISTS {table}")
    snap.con.execute(paths.SCHEMA.read_text())
    if version in ("1", "2"):
        snap.con.execute("ALTER TABLE articles ADD COLUMN IF NOT EXISTS minhash USMALLINT[]")
        _refingerprint(snap)
        _drop_evidence_snippets(snap)
    if version in ("1", "2", "3"):
        fill_figures(snap)
    if version in UPGRADABLE_VERSIONS - {"6", "7"}:
        # every older file's article_facets lacks the languages (and versions 3 and 4 the
        # rollup): a full rebuild fills both, in their storage order (and article_rows,
        # topic_rollup)
        snap.rebuild_facets()
    elif version in ("6", "7"):
        if version == "6":
            # version 7 added article_rows only; its rowids are read after a checkpoint
            snap.con.execute("CHECKPOINT")
            facets.rebuild_rows(snap.con)
        # version 8 added topic_rollup, built from the current article_facets
        facets.rebuild_topic_rollup(snap.con)
    snap.set_meta("schema_version", SCHEMA_VERSION)


def _refingerprint(snap, batch_size: int = 5000) -> None:
    """Recompute simhash and MinHash of every stored article from its text (schema 3 changed
    the simhash's words and added the MinHash), so old and new articles compare alike."""
    cur = snap.cursor()
    try:
        cur.execute("SELECT article_id, coalesce(nullif(body, ''), title, '') FROM articles")
        while rows := cur.fetchmany(batch_size):
            words = [shingle_words(text) for _, text in rows]
            sigs = minhash_many(words)
            tbl = pa.table({"article_id": [r[0] for r in rows],
                            "simhash": pa.array(simhash_many(words), pa.uint64()),
                            "minhash": minhash_column(sigs)})
            snap.con.register("_fp", tbl)
            try:
                snap.con.execute("UPDATE articles SET simhash = f.simhash, minhash = f.minhash "
                                 "FROM _fp f WHERE articles.article_id = f.article_id")
            finally:
                snap.con.unregister("_fp")
    finally:
        cur.close()


def fill_figures(snap, batch_size: int = 2000) -> int:
    """Recompute the casualties and defections of every stored article from its text and
    stored people (schema 4 added the tables; a version-3 file has the text). Returns the
    number of articles read."""
    # the extractors are needed by this upgrade only; importing them with the store would
    # cost every command (and every ingest's parent) their import time
    from etl.enrich import stored_figure_rows
    for table in FIGURE_TABLES:
        snap.con.execute(f"DELETE FROM {table}")
    n = 0
    for batch in snap.iter_texts(batch_size=batch_size):
        people = snap.entities_of([r[0] for r in batch])
        out: dict[str, list[dict]] = {t: [] for t in FIGURE_TABLES}
        for aid, title, caption, body, published_at, *_ in batch:
            for table, part in stored_figure_rows(aid, title, caption, body, published_at,
                                                  people.get(aid, [])).items():
                out[table].extend(dict(r, evidence=[{"field": e.field, "start": e.start, "end": e.end,
                                                     "text": e.text} for e in r["evidence"]])
                                  for r in part)
        for table, rows in out.items():
            snap.insert(table, rows)
        n += len(batch)
    return n


def _drop_evidence_snippets(snap) -> None:
    """Versions 1 and 2 stored a display snippet in every evidence item; version 3 does not."""
    for table in CHILD_TABLES:
        kind = snap.con.execute(
            "SELECT data_type FROM duckdb_columns() WHERE database_name = current_database() "
            "AND table_name = ? AND column_name = 'evidence'", [table]).fetchall()
        if kind and "snippet" in kind[0][0]:
            snap.con.execute(
                f'ALTER TABLE {table} ALTER evidence SET DATA TYPE '
                f'STRUCT(field VARCHAR, "start" INTEGER, "end" INTEGER, text VARCHAR)[] '
                f'USING list_transform(evidence, lambda e: {{"field": e.field, "start": e.start, '
                f'"end": e."end", "text": e.text}})')
