"""Enrichment stage by stage over a batch (Enricher.enrich_many, tasks.enrich_records) gives
each article the record, and each failure the error, that enriching one by one gives, in the
reader's order."""
from __future__ import annotations

import copy
import io
from pathlib import Path

import pytest

from etl import paths
from etl.ingest import tasks
from etl.model import ItemError, RawArticle
from etl.readers.table.jsonl import read_jsonl

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "tables" / "articles.jsonl"


@pytest.fixture(scope="module")
def enricher():
    tasks.init_worker(None, paths.TAXONOMY)     # in-process: no gc or memory changes
    return tasks._ENRICHER


@pytest.fixture(scope="module")
def raws() -> list[RawArticle]:
    data = SAMPLE.read_bytes()
    out = [r for r in read_jsonl(str(SAMPLE), io.BytesIO(data), data[:65536]) if isinstance(r, RawArticle)]
    assert len(out) >= 60
    return out[:60]


def _broken(raw: RawArticle) -> RawArticle:
    bad = copy.deepcopy(raw)
    bad.extra = None      # cap_sizes reads extra.items(): an AttributeError, as any extractor's would be
    return bad


def test_a_batch_gives_each_article_its_one_by_one_record(enricher, raws):
    batch = [copy.deepcopy(r) for r in raws]
    batch.insert(7, _broken(raws[7]))
    alone = []
    for raw in batch:
        try:
            alone.append(enricher.enrich(copy.deepcopy(raw), simhash=False))
        except Exception as exc:  # noqa: BLE001
            alone.append(exc)
    together = enricher.enrich_many(batch, simhash=False)
    assert len(together) == len(alone) == 61
    assert isinstance(together[7], AttributeError) and isinstance(alone[7], AttributeError)
    assert str(together[7]) == str(alone[7])
    together.pop(7), alone.pop(7)
    assert together == alone
    assert sum(len(r["places"]) + len(r["topics"]) + len(r["casualties"]) for r in together) > 100


def test_records_and_errors_keep_the_readers_order(enricher, raws, monkeypatch):
    items: list = [copy.deepcopy(r) for r in raws[:12]]
    items.insert(3, ItemError("x.jsonl", "line 4", "malformed_item", "bad JSON"))
    items.insert(5, RawArticle("x.jsonl", "line 6", "jsonl", body="  ", title=None))
    items.insert(9, _broken(raws[9]))
    dated = copy.deepcopy(raws[10])
    dated.published_raw = "1900-02-30"          # an impossible date: a problem row, article kept
    items.append(dated)
    expected_records, expected_errors = [], []
    for item in copy.deepcopy(items):           # the one-by-one reference
        if isinstance(item, ItemError):
            expected_errors.append(item)
        elif not item.body.strip() and not (item.title or "").strip():
            expected_errors.append(ItemError(item.input_path, item.item, "empty_item", "no title and no text"))
        else:
            try:
                record = enricher.enrich(item, simhash=False)
            except Exception as exc:  # noqa: BLE001
                expected_errors.append(ItemError(item.input_path, item.item, "enrichment_failed",
                                                 f"{type(exc).__name__}: {exc}"))
                continue
            expected_records.append(record)
            expected_errors += [ItemError(item.input_path, item.item, k, r) for k, r in record.pop("problems")]
    monkeypatch.setattr(tasks, "ENRICH_BATCH", 5)    # several batches, one cut inside the errors
    records, errors = tasks.enrich_records(iter(items))
    assert records == expected_records
    assert errors == expected_errors
    assert [e.kind for e in errors] == ["malformed_item", "empty_item", "enrichment_failed", "impossible_date"]
