"""Fingerprints and the in-memory index the writer deduplicates against (etl/dedup/)."""
from __future__ import annotations

import numpy as np

from etl.dedup import fingerprint as fp
from etl.dedup import seen as dedup

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


def test_index_lookups_equal_a_brute_force_scan():
    """near() and minhash_candidates() against every stored article compared one by one, on
    fingerprints made to collide often (few distinct band values), over several chunkings."""
    rng = np.random.default_rng(3)
    n, probes = 400, 60
    sim = rng.integers(0, 4, (n, 4), dtype=np.uint64)           # 4 values per 16-bit band
    sim = sim[:, 0] | sim[:, 1] << np.uint64(16) | sim[:, 2] << np.uint64(32) | sim[:, 3] << np.uint64(48)
    sig = rng.integers(0, 40, (n, fp.MINHASH_BINS), dtype=np.uint16)
    sig[100:116, :2] = 5                                         # one band bucket too big to count
    sig[rng.random((n, fp.MINHASH_BINS)) < 0.05] = fp.EMPTY_BIN
    day = rng.integers(0, 12, n).astype(np.int32)
    day[rng.random(n) < 0.1] = dedup.NO_DAY
    aid = rng.permutation(n).astype(np.uint64) + np.uint64(1000)
    cluster = aid // np.uint64(3)
    p_sim, p_day = sim[:probes] ^ np.uint64(0b1001), day[:probes].copy()
    p_sig = sig[np.r_[0:probes // 2, 100:100 + probes // 2]].copy()     # copies with 0-29 bins changed
    for i in range(probes):
        p_sig[i, rng.choice(fp.MINHASH_BINS, i % 30, replace=False)] = 39

    close = lambda a, b: a == dedup.NO_DAY or b == dedup.NO_DAY or abs(int(a) - int(b)) <= dedup.MAX_DAYS_APART  # noqa: E731
    bands = dedup.minhash_bands(sig)
    p_bands = dedup.minhash_bands(p_sig)
    bucket = {(b, int(k)): int((bands[:, b] == k).sum()) for b in range(bands.shape[1]) for k in set(bands[:, b].tolist())}
    want_near, want_pairs = [], set()
    for i in range(probes):
        best = int(dedup.NONE)
        for j in range(n):
            share = any(((int(p_sim[i]) ^ int(sim[j])) >> (16 * b)) & 0xFFFF == 0 for b in range(4))
            if share and (int(p_sim[i]) ^ int(sim[j])).bit_count() <= 6 and close(p_day[i], day[j]):
                best = min(best, int(cluster[j]))
            shared_band = any(p_bands[i, b] == bands[j, b] and p_bands[i, b] != dedup.EMPTY_BAND
                              and bucket[(b, int(bands[j, b]))] <= dedup.MAX_BAND_BUCKET
                              for b in range(bands.shape[1]))
            equal = int(((p_sig[i] == sig[j]) & (p_sig[i] != fp.EMPTY_BIN)).sum())
            if shared_band and equal >= dedup.MIN_CANDIDATE_BINS and close(p_day[i], day[j]):
                want_pairs.add((i, int(aid[j])))
        want_near.append(best)
    for chunks in (1, 4):
        seen = dedup.Seen()
        for part in np.array_split(np.arange(n), chunks):
            seen.add(aid[part], cluster[part], aid[part], sim[part], sig[part], day[part])
        assert seen.near(p_sim, 6, p_day).tolist() == want_near
        if chunks == 1:     # band buckets are counted per chunk, so only one chunk matches the scan
            p, found, _ = seen.minhash_candidates(p_sig, p_day)
            assert set(zip(p.tolist(), found.tolist())) == want_pairs
    assert any(x != int(dedup.NONE) for x in want_near) and want_pairs


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


def test_chunks_in_mapped_files_equal_chunks_in_the_heap(tmp_path):
    """Large chunks kept in files (unlinked once mapped) hold the same arrays and answer the
    same as in the heap; merges stop at max_rows; a load in pieces then compact() equals one add."""
    rng = np.random.default_rng(5)
    n = 3000
    cols = [rng.integers(0, 2**63, n, dtype=np.uint64) for _ in range(4)]
    cols += [rng.integers(0, 40, (n, fp.MINHASH_BINS), dtype=np.uint16), rng.integers(0, 9, n).astype(np.int32)]
    cols[2][::7] = cols[2][0]
    heap, files = dedup.Seen(max_rows=2048), dedup.Seen(tmp_path, spill_rows=256, max_rows=2048)
    for seen in (heap, files):
        for part in np.array_split(np.arange(n), 13):
            seen.add(*(c[part] for c in cols))
    assert [len(c) for c in files.chunks] == [len(c) for c in heap.chunks]
    assert max(len(c) for c in files.chunks) <= 2048 and len(files) == n
    assert any(c.mapped is not None for c in files.chunks) and not list(tmp_path.iterdir())
    for x, y in zip(heap.chunks, files.chunks):
        for name in dedup._Chunk.__slots__[:-1]:
            a, b = getattr(x, name), getattr(y, name)
            assert all((p == q).all() for p, q in zip(a, b)) if isinstance(a, list) else (a == b).all(), name
    probe = [c[::5].copy() for c in cols]
    probe[3] ^= np.uint64(0b101)
    files.release()
    assert (files.by_hash(probe[2]) == heap.by_hash(probe[2])).all()
    assert (files.near(probe[3], 6, probe[5]) == heap.near(probe[3], 6, probe[5])).all()
    for a, b in zip(files.minhash_candidates(probe[4], probe[5]), heap.minhash_candidates(probe[4], probe[5])):
        assert (a == b).all()
    pieces, whole = dedup.Seen(tmp_path, spill_rows=256), dedup.Seen()
    for part in np.array_split(np.arange(n), 7):
        pieces.add(*(c[part] for c in cols))
    pieces.compact()
    whole.add(*cols)
    assert len(pieces.chunks) == 1
    for name in ("hash_sorted", "hash_order", "aid_sorted", "sig", "band_order", "mh_order"):
        a, b = getattr(pieces.chunks[0], name), getattr(whole.chunks[0], name)
        assert all((p == q).all() for p, q in zip(a, b)) if isinstance(a, list) else (a == b).all(), name
