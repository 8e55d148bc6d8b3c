"""Distinctive terms: the words and two-word phrases of one set of headlines that set it apart
from another (a view against the archive, a surge against the periods before it).

Scored with the weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi
and Quinn, "Fightin' Words", Political Analysis 2008): each term's log-odds in the focus set
minus its log-odds in the reference set, both smoothed by the term's frequency in the two
together, divided by its standard error. Unlike a plain ratio this does not crown rare words
seen twice, and unlike a raw count it does not crown "killed" in every view of a war archive.
Counts are of headlines holding the term (one long headline repeating a word counts once).

Pure: no SQL, no Streamlit. `queries.terms` fetches the headlines.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import pandas as pd

# Letters only (any script): numbers, dates and casualty figures are no topic words.
WORD = re.compile(r"[^\W\d_]{2,}")
# The prior's weight, as a share of the headlines scored: how far a rare term's odds are pulled
# towards its frequency over both sets. A fixed weight would swamp a surge of twenty headlines
# and hardly touch twenty thousand.
PRIOR_SHARE = 0.1
MIN_Z = 1.96          # a term whose z-score is below this is not distinctive at the 5 % level
COLUMNS = ["term", "n_focus", "share_focus", "n_reference", "share_reference", "z"]

# Function words of the languages the archives come in; a phrase may not start or end with one
# ("of the", "in aleppo"). Content words common in all news ("said", "killed") are left to the
# score: they are common in the reference set too.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be been before being below
between both but by can could did do does doing down during each few for from further had has
have having he her here hers him his how i if in into is it its itself just me more most my no
nor not now of off on once only or other our ours out over own same she should so some such than
that the their theirs them then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours says say
said amid via per vs new
al el la le les des du de et en un une au aux pour par sur dans est que qui ne pas plus avec
los las del y se por para con una lo su sus como al mas más
der die das und ist im ein eine zu den von mit auf für
في من على إلى الى عن مع أن ان التي الذي هذا هذه بعد قبل بين حول ضد او أو و ثم كما قد لا ما
""".split())


def words(text: str) -> list[str]:
    return WORD.findall(text.lower()) if text else []


@lru_cache(maxsize=8192)
def headline_terms(text: str) -> frozenset[str]:
    """The distinct words and two-word phrases of one headline, stop words left out (a phrase
    keeps one inside only when neither end is one: "killed in", "the army" are not phrases).
    Kept for the most recent headlines: views that share articles (one more country, the
    same range with copies) score many of the same headlines again."""
    ws = words(text)
    out = {w for w in ws if w not in STOP_WORDS and len(w) > 2}
    out.update(f"{a} {b}" for a, b in zip(ws, ws[1:]) if a not in STOP_WORDS and b not in STOP_WORDS)
    return frozenset(out)


def document_frequencies(titles: Iterable[str]) -> tuple[Counter, int]:
    """How many headlines hold each term, and how many headlines there were. A headline that
    recurs (syndicated copies, wire stories) is split into terms once and counted as often as
    it occurs."""
    counts: Counter = Counter()
    n = 0
    for title, times in Counter(titles).items():
        n += times
        counts.update(dict.fromkeys(headline_terms(title), times))
    return counts, n


def distinctive(focus: Sequence[str], reference: Sequence[str] | tuple[Counter, int], *,
                exclude: Iterable[str] = (), n: int = 12, min_docs: int = 3) -> pd.DataFrame:
    """The `n` terms most over-represented in `focus` headlines against `reference` ones
    (headlines, or their `document_frequencies` computed once).

    A term must be in at least `min_docs` focus headlines (and 0.5 % of them) and reach a
    z-score of MIN_Z. Terms in `exclude` (the query's own words) and phrases made of them are
    left out, and so is a single word that only ever appears inside one of the chosen phrases.
    Columns: COLUMNS (shares are of headlines, 0–1)."""
    f_counts, f_n = document_frequencies(focus)
    if isinstance(reference, tuple) and len(reference) == 2 and isinstance(reference[0], Counter):
        r_counts, r_n = reference
    else:
        r_counts, r_n = document_frequencies(reference)
    if not f_n or not r_n:
        return pd.DataFrame(columns=COLUMNS)
    skip = {w for term in exclude for w in words(term)}
    floor = max(min_docs, math.ceil(0.005 * f_n))
    total = f_n + r_n
    a0 = PRIOR_SHARE * total
    rows = []
    for term, f in f_counts.items():
        if f < floor or skip.intersection(term.split(" ")):
            continue
        r = r_counts.get(term, 0)
        if f + r == total:      # in every headline on both sides: nothing sets it apart
            continue
        alpha = a0 * (f + r) / total
        delta = (math.log((f + alpha) / (f_n + a0 - f - alpha))
                 - math.log((r + alpha) / (r_n + a0 - r - alpha)))
        z = delta / math.sqrt(1.0 / (f + alpha) + 1.0 / (r + alpha))
        if z >= MIN_Z:
            rows.append((term, f, f / f_n, r, r / r_n, z))
    rows.sort(key=lambda row: (-row[5], row[0]))
    # "rif" adds nothing beside "rif dimashq" when it is hardly ever seen outside it
    phrases = [(row[0].split(" "), row[1]) for row in rows if " " in row[0]]
    chosen = [row for row in rows
              if " " in row[0] or not any(row[0] in ws and f >= 0.8 * row[1] for ws, f in phrases)]
    return pd.DataFrame(chosen[:n], columns=COLUMNS)


def representative(titles: Sequence[str], terms: pd.DataFrame, n: int = 5) -> list[int]:
    """Positions of the `n` headlines that hold most of the distinctive terms (weighted by their
    z-scores): the stories that carry what is new, not merely the first ones."""
    if terms.empty:
        return []
    weight = dict(zip(terms["term"], terms["z"]))
    scored = []
    for i, title in enumerate(titles):
        held = headline_terms(title)
        score = sum(z for term, z in weight.items() if term in held)
        if score > 0:
            scored.append((-score, i))
    picked: list[int] = []
    seen: set[str] = set()
    for _, i in sorted(scored):
        key = " ".join(words(titles[i]))     # the same story under several outlets: shown once
        if key not in seen:
            seen.add(key)
            picked.append(i)
            if len(picked) == n:
                break
    return picked
