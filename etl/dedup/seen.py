"""Fingerprints of the articles a database holds, for deduplicating a run's batches.

Why not ask the database: every batch would scan the whole `articles` table (content hashes,
four simhash bands), which made each batch cost more as the database grew. Instead a run
loads what deduplication needs once (article id, duplicate cluster, content-hash prefix and
simhash as 64-bit numbers — ids and hashes are hexadecimal, so their first 16 digits are exact
64-bit numbers —, the MinHash signature and the publication day) and keeps it in sorted numpy
arrays (its size per article is in docs/figures.md).

Memory: those arrays, ~270 bytes an article, grew with the run in the writer's heap (and a
merge of two large chunks briefly held both and the result). A chunk of SPILL_ROWS or more
now lives in a file in the snapshot's scratch folder, mapped read-only and unlinked at once
(a killed run leaves nothing behind); its arrays are written one at a time, and chunks are
merged up to MAX_CHUNK_ROWS only. After each batch the pages its lookups read are dropped from
the process (`release`; the kernel keeps them cached while memory allows). What stays in the
heap is the chunks below SPILL_ROWS; a batch reads ~12 bytes per stored article (the simhash
band buckets) and a merge holds ~40 bytes a row of at most MAX_CHUNK_ROWS rows. Figures in
docs/figures.md.

Two near-copy tests, either is enough, both only between articles published at most
MAX_DAYS_APART days apart (or undated): syndication happens within days, and the same
template reused months later is another story.
* simhash within NEAR_DUP_BITS (6) bits, looked up by four 16-bit bands: small edits;
* word 4-gram overlap (fingerprint.same_story_text: containment >= 0.8 and Jaccard >= 0.5):
  a paragraph dropped or added, a new dateline, a credit line. Candidates come from the
  32-bin MinHash signatures: 16 bands of two bins find the pairs, at least
  MIN_CANDIDATE_BINS equal bins (an estimated Jaccard of ~0.34) keep them, and the writer
  checks the overlap on the texts (decide.py). The thresholds' margins on the bundled
  sample are in docs/figures.md.
"""
from __future__ import annotations

import mmap
import os
import tempfile
from pathlib import Path
from typing import Callable

import numpy as np

BANDS = 4                # a simhash is looked up by its four 16-bit bands
BAND_BITS = 16
NONE = np.uint64(0xFFFFFFFFFFFFFFFF)
MIN_CANDIDATE_BINS = 11  # of fingerprint.MINHASH_BINS (32)
MAX_BAND_BUCKET = 10     # a band key shared by more articles is boilerplate, not a sign of copying
MAX_DAYS_APART = 3
NO_DAY = np.iinfo(np.int32).min
EMPTY_BAND = np.uint32(0xFFFFFFFF)
SPILL_ROWS = 1 << 16         # a chunk this long or longer is kept in a mapped file, not the heap
MAX_CHUNK_ROWS = 1 << 21     # chunks are not merged past this (a merge's working memory is bounded)
SPILL_PREFIX = ".dedup-"     # the files' names (unlinked once mapped; a stray one is removable)


def minhash_bands(sig: np.ndarray) -> np.ndarray:
    """(n × 16) uint32 band keys from (n × 32) uint16 signatures: bins 2b and 2b+1 side by side;
    a band with an empty bin is EMPTY_BAND, which never matches."""
    hi, lo = sig[:, 0::2].astype(np.uint32), sig[:, 1::2].astype(np.uint32)
    keys = (hi << np.uint32(16)) | lo
    return np.where((hi == 0xFFFF) | (lo == 0xFFFF), EMPTY_BAND, keys)


def _close_in_time(day_a: np.ndarray, day_b: np.ndarray) -> np.ndarray:
    dated = (day_a != NO_DAY) & (day_b != NO_DAY)
    return ~dated | (np.abs(day_a.astype(np.int64) - day_b.astype(np.int64)) <= MAX_DAYS_APART)


def _candidates(sig_a: np.ndarray, day_a: np.ndarray, sig_b: np.ndarray, day_b: np.ndarray) -> np.ndarray:
    """Row-wise: enough equal MinHash bins to be worth comparing the texts, close in time."""
    equal = ((sig_a == sig_b) & (sig_a != 0xFFFF)).sum(axis=1)
    return (equal >= MIN_CANDIDATE_BINS) & _close_in_time(day_a, day_b)


def hex64(values) -> np.ndarray:
    """First 16 hex digits of each string as uint64 (ids and content hashes)."""
    return np.array([int(v[:16], 16) for v in values], dtype=np.uint64)


def unhex64(value: int) -> str:
    return format(int(value), "016x")


FIELDS = ("aid", "cluster", "hash", "sim", "sig", "day")
LISTS = {"band_sorted": BANDS, "band_order": BANDS, "band_starts": BANDS, "mh_sorted": 16, "mh_order": 16}


def _starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Where each 16-bit key's run begins in `sorted_keys` (65,537 offsets): a band's rows are
    found by two array reads instead of two binary searches over the whole chunk."""
    counts = np.bincount(sorted_keys, minlength=1 << BAND_BITS)
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


class _Arrays:
    """A chunk's arrays as they are computed, one at a time: kept as they are, or (with a
    folder) written to one file there, which `chunk()` maps read-only and unlinks. Writing
    each array as soon as it exists bounds what a merge holds to one array's worth."""

    def __init__(self, folder: Path | None):
        self.arrays: dict[str, np.ndarray] = {}
        self.layout: dict[str, tuple] = {}
        self.file = None
        if folder is not None:
            fd, self.path = tempfile.mkstemp(prefix=SPILL_PREFIX, dir=folder)
            self.file = os.fdopen(fd, "w+b")

    def _align(self) -> int:
        pad = -self.file.tell() % mmap.ALLOCATIONGRANULARITY
        if pad:
            self.file.write(bytes(pad))
        return self.file.tell()

    def put(self, name: str, *parts: np.ndarray, read: Callable[[], None] | None = None) -> None:
        """Store `name` as the concatenation of `parts` (one part: that array), written
        SPILL_ROWS rows at a time, `read()` called after each (to drop the pages read)."""
        if self.file is None:
            self.arrays[name] = parts[0] if len(parts) == 1 else np.concatenate(parts)
            return
        offset = self._align()
        for part in parts:
            for i in range(0, len(part), SPILL_ROWS):
                self.file.write(np.ascontiguousarray(part[i:i + SPILL_ROWS]).reshape(-1).view(np.uint8))
                if read is not None:
                    read()
        shape = (sum(len(p) for p in parts), *parts[0].shape[1:])
        self.layout[name] = (parts[0].dtype, shape, offset)

    def chunk(self) -> "_Chunk":
        mapped = None
        if self.file is not None:
            size = self._align()
            self.file.flush()
            mapped = mmap.mmap(self.file.fileno(), size, access=mmap.ACCESS_READ)
            self.file.close()
            os.unlink(self.path)
            for name, (dtype, shape, offset) in self.layout.items():
                self.arrays[name] = np.frombuffer(mapped, dtype, int(np.prod(shape)), offset).reshape(shape)
        a = self.arrays
        lists = {name: [a[f"{name}{i}"] for i in range(n)] for name, n in LISTS.items()}
        return _Chunk(*(a[f] for f in FIELDS), a["hash_sorted"], a["hash_order"], a["aid_sorted"],
                      *lists.values(), mapped)


class _Chunk:
    __slots__ = FIELDS + ("hash_sorted", "hash_order", "aid_sorted", "band_sorted", "band_order",
                          "band_starts", "mh_sorted", "mh_order", "mapped")

    def __init__(self, aid, cluster, hash_, sim, sig, day, hash_sorted, hash_order, aid_sorted,
                 band_sorted, band_order, band_starts, mh_sorted, mh_order, mapped=None):
        self.aid, self.cluster, self.hash, self.sim, self.sig, self.day = aid, cluster, hash_, sim, sig, day
        self.hash_sorted, self.hash_order, self.aid_sorted = hash_sorted, hash_order, aid_sorted
        self.band_sorted, self.band_order, self.band_starts = band_sorted, band_order, band_starts
        self.mh_sorted, self.mh_order = mh_sorted, mh_order
        self.mapped = mapped        # the mmap holding the arrays, or None (in the heap)

    @classmethod
    def fresh(cls, aid, cluster, hash_, sim, sig, day, folder: Path | None = None) -> "_Chunk":
        """A chunk of new rows, its sorted indexes built (`merged` builds them from two chunks')."""
        out = _Arrays(folder)
        for name, values in zip(FIELDS, (aid, cluster, hash_, sim, sig, day)):
            out.put(name, values)
        order = np.lexsort((aid, hash_))           # equal hashes: smallest id first
        out.put("hash_sorted", hash_[order])
        out.put("hash_order", order.astype(np.int32))
        out.put("aid_sorted", np.sort(aid))
        for b in range(BANDS):
            keys = ((sim >> np.uint64(BAND_BITS * b)) & np.uint64(0xFFFF)).astype(np.uint16)
            o = np.argsort(keys, kind="stable").astype(np.int32)
            out.put(f"band_sorted{b}", keys[o])
            out.put(f"band_order{b}", o)
            out.put(f"band_starts{b}", _starts(keys[o]))
        for b, keys in enumerate(minhash_bands(sig).T):
            o = np.argsort(keys, kind="stable").astype(np.int32)
            out.put(f"mh_sorted{b}", keys[o])
            out.put(f"mh_order{b}", o)
        return out.chunk()

    def __len__(self) -> int:
        return len(self.aid)

    def release(self) -> None:
        """Drop the file's pages this process has read (they stay in the page cache while the
        machine has room, and are read again when a lookup needs them)."""
        if self.mapped is not None:
            self.mapped.madvise(mmap.MADV_DONTNEED)

    @classmethod
    def merged(cls, a: "_Chunk", b: "_Chunk", folder: Path | None = None) -> "_Chunk":
        """One chunk holding a's rows then b's, its sorted indexes merged from theirs: each is
        the concatenation of two sorted runs, which a stable sort (timsort) merges in one pass.
        The arrays are made one at a time, and the pages of a and b read for one are dropped
        before the next."""
        shift = np.int32(len(a))
        out = _Arrays(folder)

        def done() -> None:
            a.release()
            b.release()

        def merge(name, i, keys_a, order_a, keys_b, order_b, starts=False):
            keys = np.concatenate((keys_a, keys_b))
            o = np.argsort(keys, kind="stable")
            keys = keys[o]
            out.put(f"{name}_sorted{i}", keys)
            out.put(f"{name}_order{i}", np.concatenate((order_a, order_b + shift))[o])
            if starts:
                out.put(f"band_starts{i}", _starts(keys))
            done()

        for f in FIELDS:
            out.put(f, getattr(a, f), getattr(b, f), read=done)
        all_hash, all_aid = np.concatenate((a.hash, b.hash)), np.concatenate((a.aid, b.aid))
        hash_order = np.lexsort((all_aid, all_hash)).astype(np.int32)   # equal hashes: smallest id first
        out.put("hash_sorted", all_hash[hash_order])
        out.put("hash_order", hash_order)
        del all_hash, all_aid, hash_order
        out.put("aid_sorted", np.sort(np.concatenate((a.aid_sorted, b.aid_sorted)), kind="stable"))
        done()
        for i in range(BANDS):
            merge("band", i, a.band_sorted[i], a.band_order[i], b.band_sorted[i], b.band_order[i], starts=True)
        for i in range(len(a.mh_sorted)):
            merge("mh", i, a.mh_sorted[i], a.mh_order[i], b.mh_sorted[i], b.mh_order[i])
        return out.chunk()


class Seen:
    """Fingerprints of stored articles: lookups by content hash, by id, and by simhash distance."""

    def __init__(self, folder: Path | None = None, spill_rows: int | None = None,
                 max_rows: int | None = None) -> None:
        """`folder`: where chunks of `spill_rows` (SPILL_ROWS) or more are kept (None: all in
        the heap); chunks are merged up to `max_rows` (MAX_CHUNK_ROWS)."""
        self.chunks: list[_Chunk] = []
        self.folder = folder
        self.spill_rows = SPILL_ROWS if spill_rows is None else spill_rows
        self.max_rows = MAX_CHUNK_ROWS if max_rows is None else max_rows

    def _where(self, n: int) -> Path | None:
        return self.folder if n >= self.spill_rows else None

    def add(self, aid, cluster, hash_, sim, sig, day) -> None:
        """Articles as arrays: ids, clusters, hash prefixes and simhashes (uint64), MinHash
        signatures (n × 32 uint16) and publication days (int32, NO_DAY when undated)."""
        arrays = [np.asarray(a, dtype=np.uint64) for a in (aid, cluster, hash_, sim)]
        if not len(arrays[0]):
            return
        arrays += [np.asarray(sig, dtype=np.uint16).reshape(-1, 32), np.asarray(day, dtype=np.int32)]
        self.chunks.append(_Chunk.fresh(*arrays, folder=self._where(len(arrays[0]))))
        while len(self.chunks) > 1 and 2 * len(self.chunks[-1]) >= len(self.chunks[-2]):
            if not self._merge_last():
                break

    def compact(self) -> None:
        """Merge the chunks into as few as MAX_CHUNK_ROWS allows (after a load in pieces: the
        same chunks as one `add` of every row)."""
        while len(self.chunks) > 1 and self._merge_last():
            pass

    def _merge_last(self) -> bool:
        a, b = self.chunks[-2], self.chunks[-1]
        if len(a) + len(b) > self.max_rows:
            return False
        self.chunks[-2:] = [_Chunk.merged(a, b, self._where(len(a) + len(b)))]
        return True

    def release(self) -> None:
        """Drop the pages of mapped chunks that lookups have read (see the module's docstring)."""
        for c in self.chunks:
            c.release()

    def __len__(self) -> int:
        return sum(len(c) for c in self.chunks)

    def by_hash(self, hashes: np.ndarray) -> np.ndarray:
        """For each content-hash prefix, the id of a stored article with it (smallest id), else NONE."""
        out = np.full(len(hashes), NONE, dtype=np.uint64)
        for c in self.chunks:
            i = np.searchsorted(c.hash_sorted, hashes)
            i_ok = np.minimum(i, len(c) - 1)
            hit = (i < len(c)) & (c.hash_sorted[i_ok] == hashes)
            found = c.aid[c.hash_order[i_ok]]
            out = np.where(hit & (found < out), found, out)
        return out

    def taken(self, ids: np.ndarray) -> np.ndarray:
        """Which of these ids a stored article already has."""
        out = np.zeros(len(ids), dtype=bool)
        for c in self.chunks:
            i = np.minimum(np.searchsorted(c.aid_sorted, ids), len(c) - 1)
            out |= c.aid_sorted[i] == ids
        return out

    def near(self, sims: np.ndarray, max_bits: int, days: np.ndarray) -> np.ndarray:
        """For each simhash, the smallest duplicate cluster among stored articles within
        `max_bits` bits that share one of its four 16-bit bands and are close in time, else NONE. With max_bits
        below 4 every such pair shares a band; up to 6 bits (as used) it finds the great
        majority, as the database query it replaces did."""
        out = np.full(len(sims), NONE, dtype=np.uint64)
        if not len(sims):
            return out
        for c in self.chunks:
            for b in range(BANDS):
                keys = ((sims >> np.uint64(BAND_BITS * b)) & np.uint64(0xFFFF)).astype(np.int64)
                lo = c.band_starts[b][keys]
                n = c.band_starts[b][keys + 1] - lo
                total = int(n.sum())
                if not total:
                    continue
                probe = np.repeat(np.arange(len(sims)), n)
                pos = np.repeat(lo, n) + (np.arange(total) - np.repeat(np.cumsum(n) - n, n))
                rows = c.band_order[b][pos]
                close = ((np.bitwise_count(c.sim[rows] ^ sims[probe]) <= max_bits)
                         & _close_in_time(c.day[rows], days[probe]))
                if close.any():
                    np.minimum.at(out, probe[close], c.cluster[rows[close]])
        return out


    def minhash_candidates(self, sigs: np.ndarray, days: np.ndarray):
        """Pairs (probe index, stored article id, its cluster) worth a look at the texts."""
        found_p, found_aid, found_cluster = [], [], []
        bands = minhash_bands(sigs) if len(sigs) else None
        # each band's probe keys in sorted order: numpy's binary search starts from where the
        # previous key ended, which halves the cost against a large chunk
        by_band = []
        for b in range(bands.shape[1] if bands is not None else 0):
            order = np.argsort(bands[:, b], kind="stable")
            by_band.append((order, bands[order, b]))
        for c in self.chunks if bands is not None else ():
            probes, rows = [], []
            for b, (order, keys) in enumerate(by_band):
                stored = c.mh_sorted[b]
                lo = np.searchsorted(stored, keys, "left")
                # most keys are in no stored article: the end of a run is searched for hits only
                hit = np.flatnonzero(stored[np.minimum(lo, len(stored) - 1)] == keys)
                if not len(hit):
                    continue
                order, keys, lo = order[hit], keys[hit], lo[hit]
                hi = np.searchsorted(stored, keys, "right")
                n = np.where((keys == EMPTY_BAND) | (hi - lo > MAX_BAND_BUCKET), 0, hi - lo)
                total = int(n.sum())
                if not total:
                    continue
                probes.append(np.repeat(order, n))
                pos = np.repeat(lo, n) + (np.arange(total) - np.repeat(np.cumsum(n) - n, n))
                rows.append(c.mh_order[b][pos])
            if not probes:
                continue
            # the bin test first: almost every pair shares a single band, and few pass, so
            # ordering and deduplicating the pairs (as one number each) is left to those few
            p, r = np.concatenate(probes), np.concatenate(rows)
            ok = _candidates(sigs[p], days[p], c.sig[r], c.day[r])
            pairs = np.unique((p[ok].astype(np.uint64) << np.uint64(32)) | r[ok].astype(np.uint64))
            p = (pairs >> np.uint64(32)).astype(np.int64)
            r = (pairs & np.uint64(0xFFFFFFFF)).astype(np.int64)
            found_p.append(p)
            found_aid.append(c.aid[r])
            found_cluster.append(c.cluster[r])
        if not found_p:
            return np.zeros(0, np.int64), np.zeros(0, np.uint64), np.zeros(0, np.uint64)
        return np.concatenate(found_p), np.concatenate(found_aid), np.concatenate(found_cluster)


def minhash_candidates_in_batch(sigs: np.ndarray, days: np.ndarray) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of a batch worth a look at the texts, in order."""
    if len(sigs) < 2:
        return []
    index = np.arange(len(sigs), dtype=np.uint64)
    batch = Seen()
    batch.chunks.append(_Chunk.fresh(index, index, index, index, sigs, days))
    p, other, _ = batch.minhash_candidates(sigs, days)
    keep = other.astype(np.int64) < p
    return sorted(zip(other[keep].astype(np.int64).tolist(), p[keep].tolist()))


def near_in_batch(sims: np.ndarray, max_bits: int, days: np.ndarray) -> np.ndarray:
    """For each position j, the earliest i < j whose simhash shares a band with j's, lies
    within `max_bits` bits and is close in time, else -1."""
    n = len(sims)
    first = np.full(n, -1, dtype=np.int64)
    if n < 2:
        return first
    for b in range(BANDS):
        keys = ((sims >> np.uint64(BAND_BITS * b)) & np.uint64(0xFFFF)).astype(np.uint16)
        order = np.argsort(keys, kind="stable")
        sk = keys[order]
        same = np.flatnonzero(sk[1:] == sk[:-1])
        if not len(same):
            continue
        # groups of equal keys; compare every pair inside a group (groups are tiny)
        starts = np.flatnonzero(np.concatenate(([True], sk[1:] != sk[:-1])))
        ends = np.append(starts[1:], n)
        big = ends - starts > 1
        for s, e in zip(starts[big].tolist(), ends[big].tolist()):
            members = np.sort(order[s:e])
            for x in range(1, len(members)):
                j = members[x]
                earlier = members[:x]
                ok = earlier[(np.bitwise_count(sims[earlier] ^ sims[j]) <= max_bits)
                             & _close_in_time(days[earlier], days[j:j + 1])]
                if len(ok) and (first[j] < 0 or ok[0] < first[j]):
                    first[j] = ok[0]
    return first
