"""Enriched records -> Arrow tables in the store's schemas, in the worker that enriched them.

Arrow tables are cheap to pickle across the process boundary and are what the store inserts,
so the parent only concatenates, filters and renames ids. Each record's fingerprints (simhash,
MinHash) are computed here for the whole batch at once.
"""
from __future__ import annotations

from datetime import date
from itertools import accumulate, chain
from operator import attrgetter, itemgetter

import numpy as np
import pyarrow as pa

from etl import store
from etl.dedup.fingerprint import fingerprints_many
from etl.dedup.seen import NO_DAY
from etl.ingest.results import Packed

_EPOCH = date(1970, 1, 1)
# columns an enriched record does not hold: the writer sets the run ids, pack the minhash and
# each child row's article_id
_NOT_IN_ARTICLE = frozenset({"first_run_id", "last_run_id", "minhash"})
_NOT_IN_CHILD = frozenset({"article_id"})
# (child table, the record's part that fills it)
_CHILD_PARTS = (("article_topics", "topics"), ("article_places", "places"), ("article_entities", "entities"),
                ("casualties", "casualties"), ("defections", "defections"))


def _values(rows: list[dict], name: str) -> list:
    """The rows' values of `name`, None where a row lacks it. map() with itemgetter runs in C
    (a list comprehension of r.get(name) was ~half of packing); a missing key falls back."""
    try:
        return list(map(itemgetter(name), rows))
    except KeyError:
        return [r.get(name) for r in rows]


def columns(rows: list[dict], schema: pa.Schema, absent: frozenset[str] = frozenset()) -> pa.Table:
    """Rows (dicts) as an Arrow table, built column by column (several times faster than
    Table.from_pylist for wide rows). A key missing from the rows gives a null column; the
    columns named in `absent`, which no row has, are made null without looking (looking
    is a failed lookup, then a Python loop over every row)."""
    n = len(rows)
    return pa.table({f.name: pa.nulls(n, f.type) if f.name in absent else pa.array(_values(rows, f.name), f.type)
                     for f in schema}, schema=schema)


_EVIDENCE_PARTS = tuple(attrgetter(a) for a in ("field", "start", "end", "text"))


def child_columns(rows: list[dict], schema: pa.Schema, absent: frozenset[str] = frozenset()) -> pa.Table:
    """Child rows (article_topics, _places, _entities, figures) as an Arrow table; their
    "evidence" is a list of etl.model.Evidence, laid out as the list-of-struct column directly.
    `absent` as for `columns`."""
    n = len(rows)
    cols = {f.name: pa.nulls(n, f.type) if f.name in absent else pa.array(_values(rows, f.name), f.type)
            for f in schema if f.name != "evidence"}
    lists = _values(rows, "evidence")
    offsets = list(accumulate(map(len, lists), initial=0))
    items = list(chain.from_iterable(lists))
    fld, start, end, text = (list(map(get, items)) for get in _EVIDENCE_PARTS)
    ev_type = schema.field("evidence").type
    items = pa.StructArray.from_arrays(
        [pa.array(v, f.type) for v, f in zip((fld, start, end, text), ev_type.value_type)],
        fields=list(ev_type.value_type))
    cols["evidence"] = pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), items, type=ev_type)
    return pa.table(cols, schema=schema)


def pack(records: list[dict]) -> Packed:
    """Records of etl.enrich.Enricher.enrich as one Packed batch (provisional ids, every
    article its own cluster and primary until the writer's deduplication says otherwise)."""
    sims, sigs = fingerprints_many([r.pop("shingles") for r in records])   # shingle_words of the body
    arts, days = [], []
    for r, sim in zip(records, sims):
        a = r["article"]
        a["simhash"] = sim
        a["article_id"] = a["dup_cluster"] = a["content_hash"][:16]
        a["is_primary"] = True
        arts.append(a)
        days.append((a["published_at"].date() - _EPOCH).days if a["published_at"] else NO_DAY)
    table = columns(arts, store.ARTICLE_SCHEMA, _NOT_IN_ARTICLE)
    table = table.set_column(table.schema.get_field_index("minhash"), "minhash", store.minhash_column(sigs))
    packed = Packed(keys=[r["key"] for r in records], hashes=[a["content_hash"] for a in arts],
                    simhashes=sims, minhashes=sigs, days=np.array(days, dtype=np.int32), articles=table)
    ids = packed.articles.column("article_id")
    for name, part in _CHILD_PARTS:
        parts = list(map(itemgetter(part), records))
        rows = list(chain.from_iterable(parts))
        # each child row's record number (0 0 1 3 3 3 …)
        rec_arr = pa.array(np.repeat(np.arange(len(parts), dtype=np.int32), list(map(len, parts))), pa.int32())
        tbl = child_columns(rows, store.CHILD_TABLES[name], _NOT_IN_CHILD)
        packed.children[name] = tbl.set_column(0, "article_id", ids.take(rec_arr)).append_column("_rec", rec_arr)
    return packed
