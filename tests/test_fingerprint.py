"""Fingerprints and the in-memory index the writer deduplicates against (etl/dedup.py)."""
from __future__ import annotations

import numpy as np

from etl import dedup
from etl.extract import fingerprint as fp

TEXT = ("Government forces shelled the eastern districts of Aleppo overnight, residents said. A field "
        "hospital in Sakhour was hit twice and its generator destroyed, according to doctors there. The "
        "opposition said the bombardment broke a truce agreed in Geneva less than a week earlier. Monitors "
        "counted at least 23 dead, among them seven children, and dozens of wounded.")


def test_batched_simhash_equals_one_by_one():
    lists = [fp.shingle_words(TEXT), [], ["one"], ["two", "words"], fp.shingle_words(TEXT[::-1]),
             fp.shingle_words(TEXT * 5)]
    assert fp.simhash_many(lists) == [fp.simhash(w) for w in lists]
    assert fp.simhash_many([]) == []


def test_minhash_is_deterministic_and_agrees_with_the_overlap_of_texts():
    edited = TEXT.replace("Monitors counted", "Observers said there were")
    unrelated = " ".join(reversed(TEXT.split()))
    sigs = fp.minhash_many([fp.minhash_words(t) for t in (TEXT, TEXT, edited, unrelated, "")])
    assert sigs.shape == (5, fp.MINHASH_BINS) and sigs.dtype == np.uint16
    assert (sigs[0] == sigs[1]).all()
    assert (sigs[4] == fp.EMPTY_BIN).all()
    equal = lambda a, b: int(((sigs[a] == sigs[b]) & (sigs[a] != fp.EMPTY_BIN)).sum())  # noqa: E731
    assert equal(0, 2) > equal(0, 3)
    assert fp.same_story_text(TEXT, edited) and not fp.same_story_text(TEXT, unrelated)
    assert not fp.same_story_text("Short text.", "Short text.")       # too little to compare


def seen_with(n: int, chunks: int) -> tuple[dedup.Seen, dict]:
    rng = np.random.default_rng(7)
    cols = {"aid": rng.integers(0, 2**63, n, dtype=np.uint64), "hash": rng.integers(0, 2**63, n, dtype=np.uint64),
            "sim": rng.integers(0, 2**63, n, dtype=np.uint64),
            "sig": rng.integers(0, 0xFFFF, (n, fp.MINHASH_BINS), dtype=np.uint16),
            "day": rng.integers(15000, 17000, n).astype(np.int32)}
    cols["cluster"] = cols["aid"].copy()
    seen = dedup.Seen()
    for part in np.array_split(np.arange(n), chunks):
        seen.add(*(cols[k][part] for k in ("aid", "cluster", "hash", "sim", "sig", "day")))
    return seen, cols


def test_seen_finds_hashes_ids_and_near_simhashes_whatever_the_chunking():
    for chunks in (1, 7):
        seen, c = seen_with(500, chunks)
        assert len(seen) == 500 and len(seen.chunks) <= 9
        probe = np.array([c["hash"][3], 12345], dtype=np.uint64)
        assert seen.by_hash(probe).tolist() == [int(c["aid"][3]), int(dedup.NONE)]
        assert seen.taken(np.array([c["aid"][9], 1], dtype=np.uint64)).tolist() == [True, False]
        flipped = c["sim"][42] ^ np.uint64(0b10101)              # 3 bits away
        near = seen.near(np.array([flipped, flipped]), 6, np.array([c["day"][42], c["day"][42] + 30], np.int32))
        assert near.tolist() == [int(c["cluster"][42]), int(dedup.NONE)]   # a month apart: another story


def test_minhash_candidates_need_enough_equal_bins_and_close_dates():
    seen, c = seen_with(300, 3)
    sig = c["sig"][[10, 10, 11]].copy()
    sig[2, :fp.MINHASH_BINS - dedup.MIN_CANDIDATE_BINS + 1] = 7      # too few bins left equal
    days = np.array([c["day"][10] + 2, c["day"][10] + 9, c["day"][11]], np.int32)
    p, aid, cluster = seen.minhash_candidates(sig, days)
    assert p.tolist() == [0] and aid.tolist() == [int(c["aid"][10])]
    undated = seen.minhash_candidates(sig[:1], np.array([dedup.NO_DAY], np.int32))
    assert undated[0].tolist() == [0]
    batch = dedup.minhash_candidates_in_batch(c["sig"][[5, 6, 5]], np.array([1, 1, 2], np.int32))
    assert batch == [(0, 2)]


def test_both_fingerprints_at_once_equal_each_alone():
    lists = [fp.shingle_words(TEXT * 3), [], ["a", "b", "c", "d", "e"], fp.shingle_words(TEXT)]
    sims, sigs = fp.fingerprints_many(lists)
    assert sims == fp.simhash_many(lists) == [fp.simhash(w) for w in lists]
    assert (sigs == fp.minhash_many(lists)).all()


def test_merged_chunks_equal_a_chunk_built_at_once():
    rng = np.random.default_rng(3)
    n = 3000
    cols = [rng.integers(0, 2**63, n, dtype=np.uint64) for _ in range(4)]
    cols += [rng.integers(0, 0xFFFF, (n, fp.MINHASH_BINS), dtype=np.uint16), rng.integers(0, 9, n).astype(np.int32)]
    cols[2][::7] = cols[2][0]                       # repeated hashes: smallest id first either way
    pieces = dedup.Seen()
    for part in np.array_split(np.arange(n), 13):
        pieces.add(*(c[part] for c in cols))
    while len(pieces.chunks) > 1:
        b, a = pieces.chunks.pop(), pieces.chunks.pop()
        pieces.chunks.append(dedup._Chunk.merged(a, b))
    whole = dedup.Seen()
    whole.add(*cols)
    x, y = pieces.chunks[0], whole.chunks[0]
    for name in ("hash_sorted", "hash_order", "aid_sorted", "aid", "sig", "day"):
        assert (getattr(x, name) == getattr(y, name)).all(), name
    for name in ("band_sorted", "band_order", "mh_sorted", "mh_order"):
        assert all((p == q).all() for p, q in zip(getattr(x, name), getattr(y, name))), name
