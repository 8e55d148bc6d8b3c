"""The Arrow schemas of the rows the ETL writes: the shape of `articles`, `provenance` and the
child tables as the workers pack them and the store inserts them.

They must agree with etl/schema.sql column for column (names and types):
tests/test_store_schema.py creates a real database from schema.sql and compares.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from etl.dedup.fingerprint import MINHASH_BINS

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

TABLE_SCHEMAS = {"articles": ARTICLE_SCHEMA, "provenance": PROVENANCE_SCHEMA, **CHILD_TABLES}


def minhash_column(sigs: np.ndarray) -> pa.Array:
    """`articles.minhash` values from (n × MINHASH_BINS) uint16 signatures, without a copy per row."""
    offsets = np.arange(0, (len(sigs) + 1) * MINHASH_BINS, MINHASH_BINS)
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pa.array(sigs.ravel(), pa.uint16()))

