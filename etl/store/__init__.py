"""The only ETL package that speaks SQL: snapshots of the DuckDB file, the atomic swap, writes.

snapshot.py      a run's private copy of the database, its reads and writes, commit (the swap)
arrow_schema.py  the Arrow schemas of the rows written (agreeing with etl/schema.sql)
facets.py        the derived tables and their rebuild
migrations.py    schema versions: create, upgrade in place
lock.py          one writer at a time per database
faults.py        database and disk failures as faults the user can act on
stats.py         what a database holds (`python -m etl stats`)
"""
from etl.store.arrow_schema import (ARTICLE_SCHEMA, CHILD_TABLES, FIGURE_TABLES, PROVENANCE_SCHEMA, TOPIC_SCHEMA,
                                    minhash_column)
from etl.store.faults import PREVIOUS_SUFFIX, as_fault
from etl.store.lock import WriterBusy, held_lock_fds
from etl.store.migrations import SCHEMA_VERSION
from etl.store.snapshot import Snapshot
from etl.store.stats import open_read_only, read_stats

__all__ = ["ARTICLE_SCHEMA", "CHILD_TABLES", "FIGURE_TABLES", "PREVIOUS_SUFFIX", "PROVENANCE_SCHEMA",
           "SCHEMA_VERSION", "TOPIC_SCHEMA", "Snapshot", "WriterBusy", "as_fault", "held_lock_fds",
           "minhash_column", "open_read_only", "read_stats"]
