"""Content fingerprints: an exact-copy hash of normalised text and a 64-bit simhash for near-copies.

Why a simhash over word 2-gram shingles of the first 160 words: syndicated copies keep
most of their text with small edits (a changed byline, a reworded sentence), and capping the
shingle count keeps the cost per article flat whatever its length. Word hashes are memoised
per process (bounded) because news vocabulary repeats heavily; the rest is vectorised.
"""
from __future__ import annotations

import hashlib
import zlib

import numpy as np

MAX_SHINGLE_WORDS = 160
SHINGLE_PREFIX_CHARS = 1600
_BITS = np.arange(64, dtype=np.uint64)
_WORD_CACHE: dict[str, int] = {}
_WORD_CACHE_MAX = 300_000
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
    """The tokens simhash looks at: whitespace-separated, lower-cased words of the opening of
    the text (punctuation stays attached: equal texts still give equal tokens, and it is
    several times cheaper than a tokenizer)."""
    return text[:SHINGLE_PREFIX_CHARS].lower().split()


def _word_hash(word: str) -> int:
    h = _WORD_CACHE.get(word)
    if h is None:
        b = word.encode()
        h = (zlib.crc32(b) << 32) | zlib.crc32(b, 0x5BD1E995)
        if len(_WORD_CACHE) < _WORD_CACHE_MAX:
            _WORD_CACHE[word] = h
    return h


def simhash(words: list[str]) -> int:
    """64-bit simhash of word 2-gram shingles over the first MAX_SHINGLE_WORDS tokens."""
    words = words[:MAX_SHINGLE_WORDS]
    if not words:
        return 0
    hs = list(map(_WORD_CACHE.get, words))
    if None in hs:
        hs = [h if h is not None else _word_hash(w) for h, w in zip(hs, words)]
    wh = np.array(hs, dtype=np.uint64)
    sh = wh[:-1] * _P ^ wh[1:] if len(wh) > 1 else wh
    sh = sh ^ (sh >> np.uint64(31))
    sh = sh * _M1
    sh = sh ^ (sh >> np.uint64(27))
    sh = sh * _M2
    sh = sh ^ (sh >> np.uint64(33))
    bits = np.unpackbits(sh.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    votes = bits.sum(axis=0, dtype=np.int32) * 2 > len(sh)
    return int(np.packbits(votes, bitorder="little").view(np.uint64)[0])


def simhash_many(word_lists: list[list[str]]) -> list[int]:
    """simhash() of each word list, computed for a whole batch at once: shingles are laid out
    in a zero-padded (articles × MAX_SHINGLE_WORDS) grid so the bit votes are one sum (about
    5× cheaper per article than calling simhash() one by one)."""
    n_art = len(word_lists)
    words_all: list[str] = []
    lengths = np.zeros(n_art, dtype=np.int64)
    for i, words in enumerate(word_lists):
        words = words[:MAX_SHINGLE_WORDS]
        words_all.extend(words)
        lengths[i] = len(words)
    out = [0] * n_art
    if not words_all:
        return out
    hs = list(map(_WORD_CACHE.get, words_all))
    if None in hs:
        hs = [h if h is not None else _word_hash(w) for h, w in zip(hs, words_all)]
    wh = np.array(hs, dtype=np.uint64)
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


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()
