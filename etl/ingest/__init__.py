"""The ingest: inputs -> enriched, deduplicated articles in a new database snapshot.

run.py       the public entry points (`ingest`, `retag`) and the run's summary
schedule.py  the parent's walk over the inputs, cut into tasks for the workers
tasks.py     what runs in the worker processes (read, extract, enrich, pack)
packing.py   enriched records -> Arrow tables in the store's schemas (in the worker)
results.py   the typed values that cross the process boundary
writer.py    the parent's writer: deduplication (etl/dedup/) and the rows of a batch
"""
from etl.ingest.run import RunSummary, ingest, load_key_dates, retag
from etl.ingest.schedule import advise_page_cache

__all__ = ["RunSummary", "advise_page_cache", "ingest", "load_key_dates", "retag"]
