"""The deduplication decision for one batch of articles, against what the run has stored.

For each record, in batch order (the writer calls `Deduplicator.decide`, then `cluster`):
* its (input_path, item) key has stored provenance: *unchanged* when its content hash is the
  stored one (only the provenance is touched), else *updated* in place (same id, cluster and
  first run);
* its content hash is that of a stored article or of an earlier record of the batch: a
  *duplicate*, which adds a provenance row pointing at that article and nothing else;
* otherwise *new*: its id is content_hash[:16] (or, when a stored article or an earlier new
  one has that id, a sha1 of hash and key), and `cluster` gives near-copies of an earlier
  article (stored, or earlier in this batch) that article's duplicate cluster and marks them
  not primary — by simhash, else by word 4-gram overlap (seen.py has the tests and figures).

No SQL and no Arrow here: what the database must answer is asked through the callables the
writer passes in.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from etl.dedup.fingerprint import same_story_text
from etl.dedup.seen import NONE, Seen, hex64, minhash_candidates_in_batch, near_in_batch, unhex64

NEAR_DUP_BITS = 6              # simhash distance for "same story, small edits"

Key = tuple[str, str]           # (input_path, item)


@dataclass
class Batch:
    """The values deduplication looks at, one per record, in batch order. `text(i)` is record
    i's body (only asked for records that are compared by their texts)."""
    keys: list[Key]
    hashes: list[str]
    sims: np.ndarray        # uint64 simhashes
    sigs: np.ndarray        # (n × 32) uint16 MinHash signatures
    days: np.ndarray        # int32 publication days, seen.NO_DAY when undated
    text: Callable[[int], str]
    hash64: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.hash64 = hex64(self.hashes)

    def __len__(self) -> int:
        return len(self.keys)


@dataclass
class Decision:
    """What to write for a batch. `keep` marks the records stored as articles (new and
    updated); ids, clusters, primary and first_runs are their final values (meaningful where
    kept); `provenance` lists (record, article id) of every new provenance row."""
    keep: np.ndarray
    ids: list[str]
    clusters: list[str]
    primary: list[bool]
    first_runs: list[int]
    touched: list[Key] = field(default_factory=list)        # keys whose provenance is seen again
    updated_ids: list[str] = field(default_factory=list)    # stored articles replaced in place
    new_idx: list[int] = field(default_factory=list)
    provenance: list[tuple[int, str]] = field(default_factory=list)
    n_new: int = 0
    n_updated: int = 0
    n_unchanged: int = 0
    n_duplicates: int = 0

    @classmethod
    def empty(cls, n: int, run_id: int) -> "Decision":
        return cls(keep=np.zeros(n, dtype=bool), ids=[""] * n, clusters=[""] * n, primary=[True] * n,
                   first_runs=[run_id] * n)

    @property
    def kept(self) -> np.ndarray:
        return np.flatnonzero(self.keep)


class Deduplicator:
    """One run's deduplication: the stored articles' fingerprints (seen.Seen, loaded once and
    extended with every batch written) and the content hashes of articles updated since."""

    def __init__(self, fingerprints: Iterable[dict], folder: Path | None = None):
        """`fingerprints`: the stored articles' (Snapshot.fingerprint_batches); `folder`: where
        the index keeps its large chunks (seen.py), None for the heap."""
        self.seen = Seen(folder)
        for fp in fingerprints:
            self.seen.add(fp["aid"], fp["cluster"], fp["hash"], fp["sim"], fp["sig"], fp["day"])
        self.seen.compact()
        self.seen.release()
        self.stale_hashes: set[int] = set()       # content hashes of articles since updated

    def __len__(self) -> int:
        return len(self.seen)

    def decide(self, batch: Batch, by_key: dict, run_id: int,
               holders: Callable[[list[str]], dict[str, str]]) -> Decision:
        """Classify every record (see the module's docstring). `by_key` is the stored
        provenance of the batch's keys ({key: (article_id, content_hash, first_run_id,
        dup_cluster, is_primary)}); `holders(hashes)` asks the database which article holds
        each of these content hashes now ({hash: article_id})."""
        stored_by_hash = self._stored_by_hash(batch, holders)
        taken = self.seen.taken(batch.hash64)
        d = Decision.empty(len(batch), run_id)
        batch_hash: dict[str, str] = {}      # content hash -> id of the new article with it
        batch_ids: set[str] = set()
        for i, key in enumerate(batch.keys):
            h = batch.hashes[i]
            if key in by_key:
                self._seen_again(d, i, key, h, by_key[key])
            elif stored_by_hash[i] != NONE or h in batch_hash:
                d.n_duplicates += 1
                d.provenance.append((i, batch_hash.get(h) or unhex64(stored_by_hash[i])))
            else:
                aid = _new_id(h, key, bool(taken[i]) or h[:16] in batch_ids)
                batch_hash[h] = aid
                batch_ids.add(aid)
                d.n_new += 1
                d.keep[i] = True
                d.ids[i] = d.clusters[i] = aid
                d.new_idx.append(i)
                d.provenance.append((i, aid))
        return d

    def _stored_by_hash(self, batch: Batch, holders) -> np.ndarray:
        """Per record, the id (as uint64) of a stored article with its content hash, else NONE.
        The in-memory index does not forget the hash of an article updated since it was
        loaded; for those the database says what holds that text now."""
        found = self.seen.by_hash(batch.hash64)
        stale = [i for i, h in enumerate(batch.hash64.tolist()) if h in self.stale_hashes]
        if stale:
            hashes = batch.hashes
            fresh = holders(list({hashes[i] for i in stale}))
            for i in stale:
                found[i] = int(fresh[hashes[i]][:16], 16) if hashes[i] in fresh else NONE
        return found

    def _seen_again(self, d: Decision, i: int, key: Key, h: str, stored: tuple) -> None:
        """A record whose key has stored provenance: unchanged, or updated in place."""
        aid, old_hash, first_run, cluster, is_primary = stored
        d.touched.append(key)
        if old_hash == h:
            d.n_unchanged += 1
            return
        d.n_updated += 1
        d.updated_ids.append(aid)
        self.stale_hashes.add(int(old_hash[:16], 16))
        d.keep[i] = True
        d.ids[i], d.clusters[i], d.primary[i], d.first_runs[i] = aid, cluster, is_primary, first_run

    def cluster(self, batch: Batch, d: Decision, stored_texts: Callable[[list[str]], dict[str, str]]) -> None:
        """Give the batch's new near-copies of earlier articles (stored, or earlier in this
        batch) the earlier article's cluster and mark them not primary. `stored_texts(ids)`
        returns stored articles' bodies, for the overlap test."""
        if not d.new_idx:
            return
        new = np.array(d.new_idx)
        sets: dict[str, set] = {}     # shingle sets of the texts compared in this batch
        found = self._stored_cluster(batch, new, stored_texts, sets)
        earlier = near_in_batch(batch.sims[new], NEAR_DUP_BITS, batch.days[new])
        by_text = _earlier_by_text(batch, new, earlier, sets)
        for x, i in enumerate(d.new_idx):
            if i in found:
                cluster = found[i]
            elif earlier[x] >= 0 or x in by_text:
                first = min(e for e in (earlier[x], by_text.get(x, -1)) if e >= 0)
                cluster = d.clusters[d.new_idx[first]]
            else:
                continue
            if cluster != d.ids[i]:
                d.clusters[i] = cluster
                d.primary[i] = False

    def _stored_cluster(self, batch: Batch, new: np.ndarray, stored_texts, sets: dict) -> dict[int, str]:
        """Record -> cluster of the stored near-copy it joins: by simhash, else (for those
        simhash did not place) the smallest cluster among MinHash candidates whose texts overlap."""
        near = self.seen.near(batch.sims[new], NEAR_DUP_BITS, batch.days[new])
        found = {int(i): unhex64(c) for i, c in zip(new.tolist(), near.tolist()) if c != int(NONE)}
        open_new = new[[int(i) not in found for i in new]]
        if not len(open_new):
            return found
        p, aid, cluster = self.seen.minhash_candidates(batch.sigs[open_new], batch.days[open_new])
        if not len(p):
            return found
        texts = stored_texts(sorted({unhex64(a) for a in aid.tolist()}))
        best: dict[int, str] = {}
        for x, a, c in zip(p.tolist(), aid.tolist(), cluster.tolist()):
            i, c = int(open_new[x]), unhex64(c)
            if c < best.get(i, "\uffff") and same_story_text(batch.text(i), texts.get(unhex64(a), ""), sets):
                best[i] = c
        found.update(best)
        return found

    def remember(self, batch: Batch, d: Decision) -> None:
        """Add the batch's written articles to the index, for the batches after it, and drop
        the pages of it this batch read (seen.py)."""
        kept = d.kept
        kept_l = kept.tolist()
        self.seen.add(hex64([d.ids[i] for i in kept_l]), hex64([d.clusters[i] for i in kept_l]),
                      batch.hash64[kept], batch.sims[kept], batch.sigs[kept], batch.days[kept])
        self.seen.release()


def _new_id(content_hash: str, key: Key, taken: bool) -> str:
    """A new article's id: its content hash's first 16 digits, unless another article has
    that id (the same text stored under another id since, or a 64-bit prefix collision)."""
    if not taken:
        return content_hash[:16]
    return hashlib.sha1(f"{content_hash}\0{key[0]}\0{key[1]}".encode()).hexdigest()[:16]


def _earlier_by_text(batch: Batch, new: np.ndarray, earlier: np.ndarray, sets: dict) -> dict[int, int]:
    """Position among the new records -> the first earlier new record whose text it copies
    (only for those simhash did not already place)."""
    by_text: dict[int, int] = {}
    idx = new.tolist()
    for x, y in minhash_candidates_in_batch(batch.sigs[new], batch.days[new]):
        if y not in by_text and earlier[y] < 0 and same_story_text(batch.text(idx[x]), batch.text(idx[y]), sets):
            by_text[y] = x
    return by_text
