"""In-memory fingerprints of the articles a database holds, for deduplicating a run's batches.

Why not ask the database: every batch would scan the whole `articles` table (content hashes,
four simhash bands), which made each batch cost more as the database grew. Instead a run
loads four 64-bit numbers per article once (article id, duplicate cluster, content-hash prefix,
simhash; ids and hashes are hexadecimal, so their first 16 digits are exact 64-bit numbers)
and keeps them in sorted numpy arrays, about 80 bytes per article (80 MB per million).

New rows go into small sorted chunks that are merged as they grow (each merge doubles a chunk
at most, so the total sorting work is O(n log n)); a lookup searches every chunk.
The content-hash check compares the first 64 bits of the SHA-1, so two different stories
are taken for one with a chance of about 3e-8 in a million-article database.
"""
from __future__ import annotations

import numpy as np

BANDS = 4                # a simhash is looked up by its four 16-bit bands
BAND_BITS = 16
NONE = np.uint64(0xFFFFFFFFFFFFFFFF)


def hex64(values) -> np.ndarray:
    """First 16 hex digits of each string as uint64 (ids and content hashes)."""
    return np.array([int(v[:16], 16) for v in values], dtype=np.uint64)


def unhex64(value: int) -> str:
    return format(int(value), "016x")


class _Chunk:
    __slots__ = ("aid", "cluster", "hash", "sim", "hash_sorted", "hash_order", "aid_sorted",
                 "band_sorted", "band_order")

    def __init__(self, aid: np.ndarray, cluster: np.ndarray, hash_: np.ndarray, sim: np.ndarray):
        self.aid, self.cluster, self.hash, self.sim = aid, cluster, hash_, sim
        order = np.lexsort((aid, hash_))           # equal hashes: smallest id first
        self.hash_order = order.astype(np.int32)
        self.hash_sorted = hash_[order]
        self.aid_sorted = np.sort(aid)
        self.band_sorted, self.band_order = [], []
        for b in range(BANDS):
            keys = ((sim >> np.uint64(BAND_BITS * b)) & np.uint64(0xFFFF)).astype(np.uint16)
            o = np.argsort(keys, kind="stable").astype(np.int32)
            self.band_order.append(o)
            self.band_sorted.append(keys[o])

    def __len__(self) -> int:
        return len(self.aid)


class Seen:
    """Fingerprints of stored articles: lookups by content hash, by id, and by simhash distance."""

    def __init__(self) -> None:
        self.chunks: list[_Chunk] = []

    def add(self, aid, cluster, hash_, sim) -> None:
        arrays = [np.asarray(a, dtype=np.uint64) for a in (aid, cluster, hash_, sim)]
        if not len(arrays[0]):
            return
        self.chunks.append(_Chunk(*arrays))
        while len(self.chunks) > 1 and 2 * len(self.chunks[-1]) >= len(self.chunks[-2]):
            b, a = self.chunks.pop(), self.chunks.pop()
            self.chunks.append(_Chunk(*(np.concatenate((getattr(a, f), getattr(b, f)))
                                        for f in ("aid", "cluster", "hash", "sim"))))

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

    def near(self, sims: np.ndarray, max_bits: int) -> np.ndarray:
        """For each simhash, the smallest duplicate cluster among stored articles within
        `max_bits` bits that share one of its four 16-bit bands, else NONE. With max_bits
        below 4 every such pair shares a band; up to 6 bits (as used) it finds the great
        majority, as the database query it replaces did."""
        out = np.full(len(sims), NONE, dtype=np.uint64)
        if not len(sims):
            return out
        for c in self.chunks:
            for b in range(BANDS):
                keys = ((sims >> np.uint64(BAND_BITS * b)) & np.uint64(0xFFFF)).astype(np.uint16)
                lo = np.searchsorted(c.band_sorted[b], keys, "left")
                hi = np.searchsorted(c.band_sorted[b], keys, "right")
                n = hi - lo
                total = int(n.sum())
                if not total:
                    continue
                probe = np.repeat(np.arange(len(sims)), n)
                pos = np.repeat(lo, n) + (np.arange(total) - np.repeat(np.cumsum(n) - n, n))
                rows = c.band_order[b][pos]
                close = np.bitwise_count(c.sim[rows] ^ sims[probe]) <= max_bits
                if close.any():
                    np.minimum.at(out, probe[close], c.cluster[rows[close]])
        return out


def near_in_batch(sims: np.ndarray, max_bits: int) -> np.ndarray:
    """For each position j, the earliest i < j whose simhash shares a band with j's and lies
    within `max_bits` bits, else -1."""
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
                ok = earlier[np.bitwise_count(sims[earlier] ^ sims[j]) <= max_bits]
                if len(ok) and (first[j] < 0 or ok[0] < first[j]):
                    first[j] = ok[0]
    return first
