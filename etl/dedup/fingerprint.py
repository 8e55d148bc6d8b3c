"""Content fingerprints: an exact-copy hash of normalised text and a 64-bit simhash for near-copies.

Why a simhash over word 2-gram shingles of the first 160 words (lower case, punctuation
removed, so re-quoted or re-punctuated copies hash alike): syndicated copies keep
most of their text with small edits (a changed byline, a reworded sentence), and capping the
shingle count keeps the cost per article flat whatever its length. Word hashes are memoised
per process (bounded) because news vocabulary repeats heavily; the rest is vectorised.
"""
from __future__ import annotations

import hashlib
import zlib

import numpy as np

MAX_SHINGLE_WORDS = 160
_BITS = np.arange(64, dtype=np.uint64)
_WORD_CACHE_MAX = 300_000


class _WordHashes(dict):
    """Word -> its 64-bit hash, memoised (bounded): a missing word is hashed by __missing__,
    which dict's own lookup calls, so a whole word list is hashed in one pass of C calls
    (map of __getitem__) whether or not every word is known."""

    def __missing__(self, word: str) -> int:
        b = word.encode()
        h = (zlib.crc32(b) << 32) | zlib.crc32(b, 0x5BD1E995)
        if len(self) < _WORD_CACHE_MAX:
            self[word] = h
        return h


_WORD_CACHE = _WordHashes()
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_P = np.uint64(0x9E3779B97F4A7C15)


def content_hash(title: str, body: str) -> str:
    """sha1 of the case-folded title and body: equal for the same story reached twice.
    Callers pass whitespace-normalised text, so re-spaced or re-cased copies hash alike;
    other edits make near-copies, which the simhash catches."""
    norm = title.casefold() + "\n" + body.casefold()
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()


def shingle_words(text: str) -> list[str]:
    """The words both fingerprints look at: minhash_words (lower case, punctuation removed, the
    first MINHASH_MAX_WORDS); simhash reads the first MAX_SHINGLE_WORDS of them."""
    return minhash_words(text)


def simhash(words: list[str]) -> int:
    """64-bit simhash of word 2-gram shingles over the first MAX_SHINGLE_WORDS tokens."""
    return simhash_many([words])[0]


def _hashes(words: list[str]) -> np.ndarray:
    return np.fromiter(map(_WORD_CACHE.__getitem__, words), dtype=np.uint64, count=len(words))


def fingerprints_many(word_lists: list[list[str]]) -> tuple[list[int], np.ndarray]:
    """simhash_many and minhash_many of the same word lists, hashing each word once."""
    lengths = np.array([len(w) for w in word_lists], dtype=np.int64)
    words_all = [w for words in word_lists for w in words]
    wh = _hashes(words_all) if words_all else np.zeros(0, np.uint64)
    starts = np.cumsum(lengths) - lengths
    cut = np.minimum(lengths, MAX_SHINGLE_WORDS)
    if (cut == lengths).all():
        sim_wh, sim_len = wh, lengths
    else:
        keep = np.repeat(starts, cut) + (np.arange(int(cut.sum())) - np.repeat(np.cumsum(cut) - cut, cut))
        sim_wh, sim_len = wh[keep], cut
    return _simhash_grid(sim_wh, sim_len), _minhash_grid(wh, lengths)


def simhash_many(word_lists: list[list[str]]) -> list[int]:
    """simhash() of each word list, computed for a whole batch at once: shingles are laid out
    in a zero-padded (articles × MAX_SHINGLE_WORDS) grid so the bit votes are one sum (several
    times cheaper per article than calling simhash() one by one)."""
    cut = [words[:MAX_SHINGLE_WORDS] for words in word_lists]
    words_all = [w for words in cut for w in words]
    if not words_all:
        return [0] * len(word_lists)
    return _simhash_grid(_hashes(words_all), np.array([len(w) for w in cut], dtype=np.int64))


def _simhash_grid(wh: np.ndarray, lengths: np.ndarray) -> list[int]:
    n_art = len(lengths)
    out = [0] * n_art
    if not len(wh):
        return out
    starts = np.cumsum(lengths) - lengths
    # shingle j of an article pairs its words j and j+1; a one-word article hashes its word
    nxt = np.zeros_like(wh)
    nxt[:-1] = wh[1:]
    sh = wh * _P ^ nxt
    single = starts[lengths == 1]
    sh[single] = wh[single]
    n_sh = np.where(lengths > 1, lengths - 1, lengths)
    art = np.repeat(np.arange(n_art), n_sh)
    pos = np.arange(len(art)) - np.repeat(np.cumsum(n_sh) - n_sh, n_sh)
    sh = sh[np.repeat(starts, n_sh) + pos]          # drops each article's last word pair
    sh = sh ^ (sh >> np.uint64(31))
    sh = sh * _M1
    sh = sh ^ (sh >> np.uint64(27))
    sh = sh * _M2
    sh = sh ^ (sh >> np.uint64(33))
    grid = np.zeros(n_art * MAX_SHINGLE_WORDS, dtype=np.uint64)
    grid[art * MAX_SHINGLE_WORDS + pos] = sh
    bits = np.unpackbits(grid.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    counts = bits.reshape(n_art, MAX_SHINGLE_WORDS, 64).sum(axis=1, dtype=np.int16)
    votes = counts * 2 > n_sh[:, None]
    packed = np.packbits(votes, axis=1, bitorder="little").view(np.uint64)[:, 0]
    for i in np.flatnonzero(n_sh > 0).tolist():
        out[i] = int(packed[i])
    return out


# -- MinHash: near-copies that lost or gained a paragraph -------------------------------------
# A simhash moves by ~10-18 bits when a syndicating outlet drops a paragraph, re-datelines the
# lead and appends a credit line (about a quarter of the shingles change): far beyond what its
# 6-bit banding can find without merging unrelated stories. Such copies still share most of
# their word 4-grams (Jaccard ~0.65-0.85). One-permutation MinHash: every 4-gram of the first
# MINHASH_MAX_WORDS normalised words is hashed once and kept in one of MINHASH_BINS bins (the minimum per bin); two texts
# agree on a bin with probability ~J, so the number of agreeing bins estimates their overlap.
# etl/dedup/seen.py finds candidates by pairs of bins (bands) and checks the agreeing-bin count.
MINHASH_BINS = 32
MINHASH_SHINGLE = 4
MINHASH_MAX_WORDS = 200
EMPTY_BIN = 0xFFFF
# ASCII punctuation becomes a space (bytes.translate: one pass in C); typographic quotes and
# dashes are mapped to ASCII first, so “We” and "We" are the same word
_PUNCT = bytes.maketrans(b"".join(bytes([c]) for c in range(128) if not chr(c).isalnum()),
                         b" " * sum(1 for c in range(128) if not chr(c).isalnum()))
_TYPOGRAPHIC = ("\u2018", "\u2019", "\u201c", "\u201d", "\u2013", "\u2014", "\u00a0")


def minhash_words(text: str, limit: int = MINHASH_MAX_WORDS) -> list[str]:
    """Lower-cased words of the opening `limit` words, punctuation removed (quotes, dashes and
    commas do not make two copies differ)."""
    head = text[:limit * 9]
    if not head.isascii():
        for mark in _TYPOGRAPHIC:       # str.replace runs in C; a translate table would not
            if mark in head:
                head = head.replace(mark, " ")
    return head.lower().encode("utf-8", "surrogatepass").translate(_PUNCT).decode(
        "utf-8", "replace").split()[:limit]


def minhash_many(word_lists: list[list[str]]) -> np.ndarray:
    """(articles × MINHASH_BINS) uint16 signatures; EMPTY_BIN where no shingle fell in a bin
    (all of them for texts under MINHASH_SHINGLE words)."""
    words_all = [w for words in word_lists for w in words]
    return _minhash_grid(_hashes(words_all) if words_all else np.zeros(0, np.uint64),
                         np.array([len(w) for w in word_lists], dtype=np.int64))


def _minhash_grid(wh: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    n_art = len(lengths)
    grid = np.full(n_art * MINHASH_BINS, EMPTY_BIN, dtype=np.uint16)
    k = MINHASH_SHINGLE
    if len(wh) < k:
        return grid.reshape(n_art, MINHASH_BINS)
    # 4-gram hashes over the concatenated words; those running into the next article are dropped
    sh = wh[:1 - k].copy()
    for j in range(1, k):
        sh = sh * _P ^ (wh[j:len(wh) - k + 1 + j])
    owner = np.repeat(np.arange(n_art, dtype=np.uint64), lengths)
    inside = owner[:1 - k] == owner[k - 1:]
    sh, owner = sh[inside], owner[:1 - k][inside]
    sh = sh ^ (sh >> np.uint64(31))
    sh = sh * _M1
    sh = sh ^ (sh >> np.uint64(29))
    # slot = article × bins + bin; value: 16 bits that are never EMPTY_BIN. Sorting
    # (slot, value) as one number puts each slot's minimum first (np.minimum.at is much slower).
    slot = owner * np.uint64(MINHASH_BINS) + (sh & np.uint64(MINHASH_BINS - 1))   # bins: a power of 2
    value = np.minimum(sh >> np.uint64(48), np.uint64(EMPTY_BIN - 1))
    packed = np.sort((slot << np.uint64(16)) | value)
    if not len(packed):     # no article of the batch has MINHASH_SHINGLE words
        return grid.reshape(n_art, MINHASH_BINS)
    slots = packed >> np.uint64(16)
    first = np.concatenate(([True], slots[1:] != slots[:-1]))
    grid[slots[first].astype(np.int64)] = (packed[first] & np.uint64(0xFFFF)).astype(np.uint16)
    return grid.reshape(n_art, MINHASH_BINS)


MIN_CONTAINMENT = 0.8
MIN_JACCARD = 0.5
MIN_SHINGLES = 20      # shorter texts are never near-copies by overlap (too little to compare)


def same_story_text(a: str, b: str, sets: dict | None = None) -> bool:
    """Whether two texts are one story syndicated with edits (see etl/dedup/seen.py for the figures).
    `sets` (a dict the caller keeps) memoises shingle sets of texts compared several times."""
    if sets is None:
        sa, sb = _shingle_set(a), _shingle_set(b)
    else:
        sa = sets.get(a)
        if sa is None:
            sa = sets[a] = _shingle_set(a)
        sb = sets.get(b)
        if sb is None:
            sb = sets[b] = _shingle_set(b)
    if len(sa) < MIN_SHINGLES or len(sb) < MIN_SHINGLES:
        return False
    common = len(sa & sb)
    return common >= MIN_CONTAINMENT * min(len(sa), len(sb)) and common >= MIN_JACCARD * len(sa | sb)


OVERLAP_MAX_WORDS = 3000   # the texts compared whole (a copy may drop any paragraph)


def _shingle_set(text: str) -> set[tuple[str, ...]]:
    words = minhash_words(text, OVERLAP_MAX_WORDS)
    return set(zip(*(words[k:] for k in range(MINHASH_SHINGLE))))
