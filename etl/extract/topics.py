"""Topic tagging with evidence: taxonomy.toml -> `Tagger` -> TopicTag list per Doc.

Owns the matching: the expansion of taxonomy terms into surface forms and the automata over
them. The taxonomy format and its loading live in etl/extract/taxonomy.py (`load_taxonomy`,
the only function of either module that touches a file); everything here is pure.

Why one Aho-Corasick pass: the retag target is >= 10,000 articles/s, and a regular expression
per term (~2,000 expanded forms) is two orders of magnitude slower than one automaton over the
lower-cased text. Inflections, hyphen variants and Arabic proclitics are therefore expanded
when the taxonomy is loaded, and word boundaries are checked on each hit afterwards. The
automaton is ahocorasick_rs's DFA (~3 MB): it walks a 2 KB article in ~4 us where
pyahocorasick's trie took ~30 us, and returns every hit in one list instead of one Python
object per step.

Matching a field:
1. lower-case it and fold a few characters one-for-one (Arabic alef forms, ta marbuta,
   whitespace, dashes), so offsets in the folded text are offsets in the original field;
2. one automaton pass yields every term, exclusion and background-cue hit (a second, small one
   runs for accented Latin patterns on text that is not ASCII, a third for Arabic);
3. a gapped term's left phrase ("torched * houses") is looked up in the automaton, its right
   phrase by one regex match up to three words after it (`_join_gaps`: numbers and quantities
   no pattern can spell, "torched six villages", "seized 20 kg of");
   hits not on word boundaries are dropped; a hit contained in a longer term hit of the same
   topic is dropped ("car bomb" counts once, not also as "bomb"), while every topic whose own
   phrase matches counts ("coalition airstrikes" is foreign_intervention and airstrike); a
   term hit overlapping an exclusion hit of its own topic is dropped ("birth defects",
   "barrel bombs" for bombing);
4. hits in the scope of a negation cue are dropped (NegEx-style, see `_negated`): "no
   injuries or fatalities were reported", "without casualties", "denied that its warplanes
   bombed", "casualties unknown";
5. hits in a "background" sentence (a recap of the war since 2011), or after a page-furniture
   trailer ("Related News"), count `background.weight` (0 by default: not at all).

Score: raw = sum of term weight x field weight over the remaining hits (strong 2, term 1,
weak 0.5; title 2x by default); score = 1 - exp(-raw / saturation). A topic is tagged when
raw >= its min_raw and, where it sets require_strong, at least one strong term matched. A short
text (an event note or a headline, up to `short_text_chars`) is all event: its threshold is at
most `short_min_raw` (the topic's own, else the setting's), since the higher thresholds exist to
ignore passing mentions in long articles; a topic whose weak terms are only ambiguous in long
articles ("fighting" in a headline is the event) sets its own lower one.
"""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from operator import itemgetter
import re
from itertools import product

import ahocorasick_rs

from etl.extract.home_forces import at_home
from etl.extract.taxonomy import BRACES, Settings, Taxonomy, TaxonomyError, Topic
from etl.model import Doc, Evidence, TopicTag
from etl.text import SNIPPET_CHARS, snippet  # noqa: F401  (snippet: part of this module's API)

FIELDS = ("title", "caption", "body")
# The topic whose nationality-named force phrases are dropped where the nation is at home
# (etl/extract/home_forces.py): a taxonomy that renames it turns that check off.
FOREIGN_TOPIC = "foreign_intervention"
KIND_WEIGHTS = {"strong": 2.0, "terms": 1.0, "weak": 0.5}

_ARABIC = re.compile(r"[\u0600-\u06FF]")
_SENTENCE_END = re.compile(r"[.!?\n؟]")
_SURROGATE = re.compile("[\ud800-\udfff]")

# One-for-one character folding so folded offsets equal original offsets. str.replace chains
# are used rather than str.translate: on ASCII text they cost ~1 us instead of ~12 us.
_ASCII_FOLD = (("\n", " "), ("\r", " "), ("\t", " "))
_UNICODE_FOLD = _ASCII_FOLD + (
    ("\u00a0", " "), ("\u2009", " "), ("\u202f", " "),
    ("\u2010", "-"), ("\u2011", "-"), ("\u2012", "-"), ("\u2013", "-"), ("\u2014", "-"),
    ("\u2019", "'"), ("\u2018", "'"),
)
# Punctuation common in news text that no pattern contains (see `_fold`).
_NEUTRAL = "\u201c\u201d\u201e\u00ab\u00bb\u2026\u2022\u00b7\u2032\u2033"
# Only applied to text with Arabic letters (each replace is a scan of the whole field).
_ARABIC_FOLD = (
    ("\u0623", "\u0627"), ("\u0625", "\u0627"), ("\u0622", "\u0627"), ("\u0671", "\u0627"),  # alef forms
    ("\u0649", "\u064a"),  # alef maqsura -> ya
    ("\u0629", "\u0647"),  # ta marbuta -> ha
    ("\u06a9", "\u0643"), ("\u06cc", "\u064a"),  # Persian kaf / ya
)

# Arabic proclitics added in front of every Arabic term (conjunctions, prepositions, article).
_AR_PREFIXES_BARE = ("", "و", "ف", "ب", "ل", "ك", "وب", "فب", "ول", "فل", "وك",
                     "ال", "وال", "فال", "بال", "كال", "وبال", "فبال", "لل", "ولل", "فلل")
_AR_PREFIXES_DEFINITE = ("", "و", "ف", "ب", "ك", "وب", "فب", "وك")


# Words a hyphen never joins to their neighbour in a term's variants (see `expand_term`).
_FUNCTION_WORDS = frozenset("a an the of on in to by from at for with and or their its his her him "
                            "them was were is are been be".split())

_CUE = -1       # automaton entry: background cue (its sentence is background)
_TRAILER = -2   # automaton entry: page furniture starts here (the rest of the field is background)
_NEG = -3       # automaton entry: negation cue; the few words after it are negated
_NEG_POST = -4  # automaton entry: negation cue that negates the few words before it
_PSEUDO = -5    # automaton entry: looks like a negation cue but is none ("no fewer than")
_NEG_PRED = -6  # automaton entry: a predicate that negates its clause's subject ("were not reported")
_DATE_CUE = -7  # automaton entry: background cue that is only a date ("march 2011"; not in a short text)
# automaton entries at or below this are the left halves of gapped terms ("torched * houses"):
# entry _GAP_BASE - n is term n's, its value (0, n). The right half is looked for in the few
# words after a left-half hit, not by the automaton: right halves are mostly common words
# ("houses", "people", "forces"), whose every occurrence the automaton would report.
_GAP_BASE = -100
# words a gapped term's "*" stands for: "torched houses", "torched six houses", "burned down
# about 30 houses", "seized 20 kg of"
GAP_WORDS = 3
# words a gap does not run across: a coordination or a new clause ("attacks on hospitals and aid
# convoys" lists two targets; the convoy is not the hospital's modifier)
_GAP_BREAKS = frozenset("and or but nor then while after before which who that where when".split())
# Punctuation that ends a negation's scope (a clause boundary).
_start = itemgetter(0)
_WORD = re.compile(r"\S+")
# words that may follow a predicate cue inside its clause ("casualties unknown so far")
_PREDICATE_TAILS = frozenset(("so", "yet", "either", "immediately", "officially", "independently",
                              "due", "or", "nor", "until", "thus", "as"))
_SCOPE_PUNCT = ".,;:!?()[]\u060c\u061b\u201c\u201d\"#|~^`"
_SCOPE_END = re.compile("[%s]" % re.escape(_SCOPE_PUNCT))
# what joins two nouns of one subject ("fatalities and injuries", "deaths, injuries or damage")
_COORDINATION = re.compile(r"\s*(?:,\s*)?(?:and|or|and/or|&|,)\s+(?:the\s+|any\s+)?|\s*,\s*")


# --------------------------------------------------------------------------- expansion

def fold(text: str) -> str:
    """Lower-case and fold characters one-for-one, so offsets survive."""
    return _fold(text)[0]


def _fold(text: str, neutral: tuple[tuple[str, str], ...] = ()) -> tuple[str, bool]:
    """`fold(text)` and whether it has Arabic letters (which the Arabic automaton then reads).

    `neutral` maps further characters (“ ” …) to an ASCII one: a Tagger passes pairs that are
    in none of its patterns and not alphanumeric, so they change no match and no word boundary,
    but a text whose only non-ASCII characters are folded or neutral lower-cases on the ASCII
    fast path (~0.3 us for 2 KB instead of ~5 us)."""
    if not text.isascii():
        for old, new in _UNICODE_FOLD:
            text = text.replace(old, new)
        for old, new in neutral:
            text = text.replace(old, new)
    low = text.lower()
    if low.isascii():
        for old, new in _ASCII_FOLD:
            low = low.replace(old, new)
        return low, False
    if len(low) != len(text):  # a few characters lower-case to two (e.g. U+0130)
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    arabic = _has_arabic(low)
    if arabic:
        for old, new in _ARABIC_FOLD:
            low = low.replace(old, new)
    return low, arabic


def expand_term(term: str) -> list[str]:
    """All folded surface forms of one taxonomy term (braces, hyphen/space, Arabic prefixes)."""
    parts = BRACES.split(term)
    # parts alternates literal, alternatives, literal, ...
    choices = [[p] if i % 2 == 0 else p.split(",") for i, p in enumerate(parts)]
    forms = {" ".join("".join(c).split()) for c in product(*choices)}
    out: set[str] = set()
    for form in forms:
        form = fold(form).strip()
        if not form:
            continue
        words = form.split(" ")
        out.add(form)
        if 1 < len(words) <= 4:
            # one hyphen between two content words ("air-strike", "heavy machine-gun fire"), or
            # a short phrase hyphenated throughout ("cessation-of-hostilities"). Mixed forms
            # ("ground to-ground", "attacked-the village") are not written, and making every
            # 2^n variant was half the automaton's patterns.
            # Nor does a hyphen follow an inflected word: a verb form or a plural ends a compound
            # in news text ("booby-trapped", "shoulder-fired"), it does not start one
            # ("attacked-village", "rebels-killed"); such forms were a sixth of the patterns.
            for i in range(1, len(words)):
                if (words[i - 1] not in _FUNCTION_WORDS and words[i] not in _FUNCTION_WORDS
                        and not _inflected(words[i - 1])):
                    out.add(" ".join(words[:i]) + "-" + " ".join(words[i:]))
            if len(words) <= 3 and not any(_inflected(w) for w in words[:-1]):
                out.add("-".join(words))
        if "-" in form and " " not in form:
            out.add(form.replace("-", " "))
    if any(_ARABIC.search(f) for f in out):
        out = {p for f in out for p in _arabic_prefixed(f)}
    return sorted(out)


def _inflected(word: str) -> bool:
    """Whether an English word looks like a verb form or a plural (-ed, -ing, -s but not -ss)."""
    return len(word) > 3 and (word.endswith(("ed", "ing")) or (word[-1] == "s" and word[-2] != "s"))


def _arabic_prefixed(form: str) -> list[str]:
    if not _ARABIC.match(form):
        return [form]
    if form.startswith("ال"):
        stem = form[2:]
        return [p + form for p in _AR_PREFIXES_DEFINITE] + ["لل" + stem, "ولل" + stem, "فلل" + stem]
    return [p + form for p in _AR_PREFIXES_BARE]


# --------------------------------------------------------------------------- tagging

# An automaton table maps each expanded pattern to {topic index: (weight, strong, exclusion)};
# the negative indexes (_CUE … _PSEUDO) mark background cues, trailers and negation cues.
_PatternTable = dict[str, dict[int, tuple[float, bool, bool]]]


# a gapped term: (topic, weight, strong, exclusion, the pattern of its gap and right half)
_Gapped = tuple[int, float, bool, bool, re.Pattern]


def _pattern_table(taxonomy: Taxonomy) -> tuple[_PatternTable, list[_Gapped]]:
    """Every expanded form of every term, exclusion, background marker and negation cue, and
    the gapped terms, indexed like their entries."""
    table: _PatternTable = {}
    gaps: list[_Gapped] = []
    for ti, topic in enumerate(taxonomy.topics):
        _add_topic_patterns(table, ti, topic, gaps)
    _add_background_patterns(table, taxonomy.settings)
    _add_negation_patterns(table, taxonomy.settings)
    return table, gaps


def _add_gapped(table: _PatternTable, gaps: list, term: str, value: tuple[int, float, bool, bool]) -> None:
    """A term with a "*" between two phrases: the left one is a pattern, the right one is
    looked for at most GAP_WORDS words after its hits (see `_join_gaps`)."""
    n = len(gaps)
    left, right = term.split(" * ")
    gaps.append(value + (_gap_pattern(expand_term(right)),))
    for form in expand_term(left):
        table.setdefault(form, {})[_GAP_BASE - n] = (0.0, False, False)


def _gap_pattern(forms: list[str]) -> re.Pattern:
    """What follows a gapped term's left half: up to GAP_WORDS words without clause punctuation
    that are no coordination or clause opener, then one of the right half's forms (the longest
    that fits) on a word boundary. One C-level match per left-half hit."""
    # an event note's place in brackets counts as one word, its commas included: "gathered at
    # Shahbag (Dhaka) demanding", "torched (Djugu, Ituri) houses" is no clause boundary
    word = r"(?:\([^().;:!?\[\]]{1,40}\)|(?!(?:%s)[ ])[^ %s]+)[ ]+" % (
        "|".join(sorted(_GAP_BREAKS)), re.escape(_SCOPE_PUNCT))
    right = "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))
    return re.compile(r"[ ]+(?:%s){0,%d}?(?:%s)(?!\w)" % (word, GAP_WORDS, right))


def _add_topic_patterns(table: _PatternTable, ti: int, topic: Topic, gaps: list | None = None) -> None:
    """A topic's terms (the heaviest kind wins a form listed twice) and its exclusions."""
    gaps = [] if gaps is None else gaps
    for kind in ("strong", "terms", "weak"):
        for term in getattr(topic, kind):
            if " * " in term:
                _add_gapped(table, gaps, term, (ti, KIND_WEIGHTS[kind], kind == "strong", False))
                continue
            for form in expand_term(term):
                entry = table.setdefault(form, {})
                old = entry.get(ti)
                new = (KIND_WEIGHTS[kind], kind == "strong", False)
                if old is None or (not old[2] and new[0] > old[0]):
                    entry[ti] = new
    for term in topic.exclude:
        if " * " in term:
            _add_gapped(table, gaps, term, (ti, 0.0, False, True))
            continue
        for form in expand_term(term):
            # a phrase that is both a term and an exclusion of one topic stays a term
            table.setdefault(form, {}).setdefault(ti, (0.0, False, True))


def _add_background_patterns(table: _PatternTable, s: Settings) -> None:
    for cue in s.background_cues:
        for form in expand_term(cue):
            table.setdefault(form, {})[_CUE] = (0.0, False, False)
    for cue in s.background_date_cues:
        for form in expand_term(cue):
            table.setdefault(form, {})[_DATE_CUE] = (0.0, False, False)
    for trailer in s.background_trailers:
        for form in expand_term(trailer):
            table.setdefault(form, {})[_TRAILER] = (0.0, False, False)


def _add_negation_patterns(table: _PatternTable, s: Settings) -> None:
    for kind, phrases in ((_NEG, s.negation_cues), (_NEG_POST, s.negation_post_cues),
                          (_NEG_PRED, s.negation_predicate_cues), (_PSEUDO, s.negation_pseudo)):
        for phrase in phrases:
            for form in expand_term(phrase):
                # A cue is followed by the words it negates: matching "no " rather than "no"
                # spares the automaton's reports inside "north", "now", "know" or "not".
                key = form + " " if kind == _NEG and not _ARABIC.search(form) else form
                table.setdefault(key, {})[kind] = (0.0, False, False)


def _by_script(table: _PatternTable) -> tuple[dict[str, tuple], dict[str, tuple], dict[str, tuple]]:
    """The table split into (ASCII Latin, accented Latin, Arabic) patterns, each entry a tuple
    of (topic, weight, strong, exclusion) for the automata (see `Tagger.__init__`)."""
    latin: dict[str, tuple] = {}
    accented: dict[str, tuple] = {}
    arabic: dict[str, tuple] = {}
    for form, entry in table.items():
        (arabic if _ARABIC.search(form) else latin if form.isascii() else accented)[form] = tuple(
            (ti, w, st, ex) if ti > _GAP_BASE else (_GAP_BASE, int(w), _GAP_BASE - ti, False)
            for ti, (w, st, ex) in entry.items())
    return latin, accented, arabic


def _longest_unvetoed(hits: list[tuple], vetoes: dict[int, list[tuple[int, int]]]) -> list[tuple]:
    """Sorted term hits without those inside a longer hit of the same topic or overlapping an
    exclusion of their topic, as (start, end, topic, weight, strong)."""
    kept = []
    covers: dict[int, tuple[int, int]] = {}   # topic -> its longest hit so far
    for h in hits:
        start, end, ti = h[0], -h[1], h[2]
        cover = covers.get(ti)
        if cover is None:
            covers[ti] = (start, end)
        elif end <= cover[1] and end - start < cover[1] - cover[0]:
            continue  # inside a longer hit of the same topic (hits come sorted by start)
        elif end > cover[1]:
            covers[ti] = (start, end)
        if vetoes:
            spans = vetoes.get(ti)
            if spans and any(s < end and start < e for s, e in spans):
                continue
        kept.append((start, end, ti, h[3], h[4]))
    return kept


class Tagger:
    """Tags Docs with topics. Build once per taxonomy (building takes ~0.1 s); `tag` is pure."""

    def __init__(self, taxonomy: Taxonomy, max_evidence: int | None = None):
        """`max_evidence` keeps only the first N evidence items per topic (the score still
        counts every match). Building Evidence with its snippet is about half the cost of
        `tag`, so capping it is the main speed knob; None keeps them all."""
        self.taxonomy = taxonomy
        self.max_evidence = max_evidence
        s = taxonomy.settings
        self._field_weight = {"title": s.title_weight, "caption": s.caption_weight, "body": s.body_weight}
        self._saturation = s.saturation
        self._background_weight = s.background_weight
        self._n_topics = len(taxonomy.topics)
        self._short_chars = s.short_text_chars
        self._thresholds = tuple(t.min_raw for t in taxonomy.topics)
        self._short_thresholds = tuple(
            min(t.min_raw, s.short_min_raw if t.short_min_raw is None else t.short_min_raw)
            for t in taxonomy.topics)
        # the topic a nation's own forces at home do not make (see etl/extract/home_forces.py)
        self._foreign = next((i for i, t in enumerate(taxonomy.topics) if t.topic_id == FOREIGN_TOPIC), -1)
        table, self._gaps = _pattern_table(taxonomy)
        self._neg_words = s.negation_words
        self._neg_post_words = s.negation_post_words
        self._neg_reach = _reach(max(s.negation_words, s.negation_post_words))
        self._pred_words = s.negation_predicate_words
        self._pred_reach = _reach(s.negation_predicate_words)
        # Scope stops are common words ("in", "and"): looked up among the few words between a
        # cue and a hit, not matched by the automaton, which would report every one of them.
        self._stops = frozenset(f for stop in s.negation_stops for f in expand_term(stop))
        self._preps = frozenset(f for prep in s.negation_prepositions for f in expand_term(prep))
        if any(" " in f or "-" in f for f in self._stops | self._preps):
            raise TaxonomyError("negation.stops, negation.prepositions: one word each")
        self.n_patterns = len(table)
        # Two automata: the Arabic one only runs on text with Arabic letters, which costs one
        # isascii() / regex test per field and saves a second walk on most text.
        # Patterns with accented letters (French, Spanish) get an automaton of their own, run
        # only on text that is not ASCII after folding: in the main DFA they widened every
        # state's byte classes and slowed its walk over English text by ~15 %.
        latin, accented, arabic = _by_script(table)
        # A DFA walks Latin text fastest (~4 us per 2 KB) for ~8 MB; the Arabic patterns' DFA would
        # take 15 MB more, and Arabic text is rare, so that one stays a compact NFA.
        in_patterns = set("".join(table))
        placeholder = next(c for c in '"#|~^`' if c not in in_patterns)
        self._neutral = tuple((c, placeholder) for c in _NEUTRAL if c not in in_patterns)
        self._latin, self._latin_values = _automaton(latin, ahocorasick_rs.Implementation.DFA)
        self._accented, self._accented_values = (
            _automaton(accented, ahocorasick_rs.Implementation.DFA) if accented else (None, ()))
        self._arabic, self._arabic_values = _automaton(arabic, None) if arabic else (None, ())

    # .................................................................... matching
    # Hits are plain tuples (start, -end, topic, weight, strong, exclusion), so that a plain
    # sort orders them by start, longest first; the kept ones are (start, end, topic, weight,
    # strong). This is the hot path: tuples are several times cheaper to create than dataclass
    # instances, and a sort without a key function several times faster than one with.

    def _field_hits(self, text: str, short: bool = False) -> tuple[list[tuple], list[tuple[int, int]]]:
        """Valid term hits (after exclusions and longest-match) and background sentence spans.

        In a `short` text (an event note, a headline) a date cue ("March 2011", "since 2011")
        dates the event itself ("On 15 March 2011, protesters ..."; "the first American strikes
        in Iraq since 2011"), so only the other cues mark a recap there."""
        low, arabic = _fold(text, self._neutral)
        scans = self._scans(low, arabic)
        hits, cues, negs, vetoes, near, lefts = self._sorted_hits(low, scans)
        if lefts:
            joined = _join_gaps(low, lefts, self._gaps, hits, vetoes)
            if joined and negs and not near:
                # the scopes are worked out only when a joined term came within reach of a cue
                reach = max(self._neg_reach, self._pred_reach)
                near = any(hs - reach <= cs <= he + reach for hs, he in joined for cs, _e, _k in negs)
        if not hits:
            return hits, []
        if len(scans) > 1 and negs:
            near = True   # a cue and a term from different scans: their order was not seen
        hits.sort()
        kept = _longest_unvetoed(hits, vetoes)
        if near and kept:
            kept = _drop_negated(low, kept, negs, self._neg_words, self._neg_post_words, self._stops,
                                 self._pred_words, self._preps)
        n = len(low)
        return kept, [(s, n) if e == -1 else _sentence(text, s, e) for s, e, dated in cues
                      if not (dated and short)]

    def _scans(self, low: str, arabic: bool) -> list[tuple[list, tuple]]:
        """(matches, pattern values) of each automaton that can match the folded field."""
        scans = [(_find(self._latin, low), self._latin_values)]
        if self._accented is not None and not low.isascii():
            scans.append((_find(self._accented, low), self._accented_values))
        if arabic and self._arabic is not None:
            scans.append((_find(self._arabic, low), self._arabic_values))
        return scans

    def _sorted_hits(self, low: str, scans: list[tuple[list, tuple]]):
        """The automata's matches on word boundaries, sorted by kind: term hits (start, -end,
        topic, weight, strong, exclusion), background cues (start, end; end -1 for a trailer),
        negation cues (start, end, kind), exclusion spans per topic, whether a term came
        within reach of a negation cue (the scopes are only worked out then), and the left halves
        of gapped terms (start, end, term)."""
        n = len(low)
        hits: list[tuple] = []
        cues = []
        negs = []   # (start, end, kind) of negation cues and pseudo-cues
        lefts = []   # (start, end, gapped term)
        vetoes: dict[int, list[tuple[int, int]]] = {}   # topic -> its exclusion spans
        # Most cues ("not", "no") have no term within reach: the scopes are only worked out
        # when one has (matches come in order of their end).
        reach = self._neg_reach
        last_cue_end = -reach - 1
        near = False
        isalnum = str.isalnum
        for matches, values in scans:
            for pattern, start, end in matches:
                # on word boundaries only (a pattern ending in a space, a negation cue, needs
                # none on its right)
                if (start and isalnum(low[start - 1])) or (
                        end < n and isalnum(low[end]) and low[end - 1] != " "):
                    continue
                for entry in values[pattern]:
                    if entry[0] >= 0:
                        if entry[3]:
                            vetoes.setdefault(entry[0], []).append((start, end))
                        else:
                            hits.append((start, -end) + entry)  # -end: sorted longest first
                            if start - last_cue_end <= reach:
                                near = True
                    elif entry[0] == _NEG:
                        negs.append((start, end, _NEG))
                        last_cue_end = end
                    elif entry[0] == _NEG_POST:
                        negs.append((start, end, _NEG_POST))
                        if hits and start + hits[-1][1] <= reach:
                            near = True
                    elif entry[0] == _NEG_PRED:
                        negs.append((start, end, _NEG_PRED))
                        if hits and start + hits[-1][1] <= self._pred_reach:
                            near = True
                    elif entry[0] == _CUE:
                        cues.append((start, end, False))
                    elif entry[0] == _DATE_CUE:
                        cues.append((start, end, True))
                    elif entry[0] == _TRAILER:
                        cues.append((start, -1, False))
                    elif entry[0] == _GAP_BASE:
                        lefts.append((start, end, entry[2]))
                    else:
                        negs.append((start, end, entry[0]))
        return hits, cues, negs, vetoes, near, lefts

    def tag(self, doc: Doc, home: frozenset[str] | None = None) -> list[TopicTag]:
        """Topics of one Doc, highest score first, each with the evidence that triggered it.

        `home` holds the countries the story happens in, as the places stage placed it
        (`etl.extract.home_forces.story_countries`; None: unknown): a foreign_intervention tag
        whose only evidence is forces of a nation at home there ("the Chadian army" in Kanem,
        Israeli forces in Jenin) is dropped."""
        title, caption, body = doc.title, doc.caption, doc.body
        short = len(title) + len(caption) + len(body) <= self._short_chars
        background_weight = self._background_weight
        raw = [0.0] * self._n_topics
        strong = [False] * self._n_topics
        found: dict[int, list[tuple[str, str, int, int]]] = {}
        for fname, text in (("title", title), ("caption", caption), ("body", body)):
            if not text:
                continue
            hits, background = self._field_hits(text, short)
            fw = self._field_weight[fname]
            for start, end, ti, weight, is_strong in hits:
                weight *= fw
                if background and any(s0 <= start and end <= s1 for s0, s1 in background):
                    weight *= background_weight
                    if not weight:
                        continue
                raw[ti] += weight
                if is_strong:
                    strong[ti] = True
                if ti in found:
                    found[ti].append((fname, text, start, end))
                else:
                    found[ti] = [(fname, text, start, end)]
        if not found:
            return []
        thresholds = self._short_thresholds if short else self._thresholds
        topics = self.taxonomy.topics
        max_evidence = self.max_evidence
        tags = []
        for ti, items in found.items():
            topic = topics[ti]
            if raw[ti] < thresholds[ti] or (topic.require_strong and not strong[ti]):
                continue
            # lazily: most stories' first force phrase is foreign there, which settles it
            if home is not None and ti == self._foreign and at_home(
                    (fold(text[start:end]) for _f, text, start, end in items), home):
                continue
            if max_evidence is not None:
                items = items[:max_evidence]
            evidence = [Evidence(fname, start, end, text[start:end], text)
                        for fname, text, start, end in items]
            score = min(0.9999, round(1.0 - math.exp(-raw[ti] / self._saturation), 4))
            tags.append((-score, topic.sort_order, TopicTag(topic.topic_id, score, evidence)))
        tags.sort()   # (-score, sort_order) never ties: sort_order is unique per topic
        return [t[2] for t in tags]


def _join_gaps(low: str, lefts: list[tuple[int, int, int]], gaps: list[_Gapped],
               hits: list[tuple], vetoes: dict[int, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Add to `hits` (or `vetoes`) every gapped term whose right half starts at most GAP_WORDS
    words after a hit of its left half, with no clause punctuation and no coordination between
    ("torched six villages"; not "torched the car, and houses"). Returns the (start, end) of the
    term hits added."""
    added: list[tuple[int, int]] = []
    for start, end, g in lefts:
        ti, weight, strong, exclusion, after = gaps[g]
        m = after.match(low, end)
        if m is None:
            continue
        if exclusion:
            vetoes.setdefault(ti, []).append((start, m.end()))
        else:
            hits.append((start, -m.end(), ti, weight, strong, False))
            added.append((start, m.end()))
    return added


def _drop_negated(low: str, hits: list[tuple], negs: list[tuple[int, int, int]],
                  words: int, post_words: int, stops: frozenset[str],
                  pred_words: int = 0, preps: frozenset[str] = frozenset()) -> list[tuple]:
    """`hits` less those in the scope of a negation cue (NegEx: Chapman et al. 2001).

    A cue ("no", "not", "without", "denied", "there were no reports of") negates the hits that
    start within `words` words after it; a post cue ("unknown", "not reported") the hits that
    end within `post_words` words before it. A scope ends at clause punctuation and at a stop
    word ("but", "after", "in": "no one was hurt in the shelling" keeps the shelling). A cue
    inside a pseudo-cue ("no fewer than", "not only") negates nothing. A predicate cue ("were
    not reported", "unknown") negates its clause's subject (see `_subject_head`)."""
    pseudo = [(s, e) for s, e, k in negs if k == _PSEUDO]
    reach = _reach(max(words, post_words))
    negated = None
    for s, e, k in negs:
        if k == _PSEUDO or (pseudo and any(ps <= s and e <= pe for ps, pe in pseudo)):
            continue
        if k == _NEG:   # hits come sorted by start
            for i in range(bisect_left(hits, e, key=_start), bisect_right(hits, e + reach, key=_start)):
                if _in_scope(low, e, hits[i][0], words, stops):
                    negated = negated or set()
                    negated.add(i)
        elif k == _NEG_PRED:
            head = _subject_head(low, hits, s, e, pred_words, stops, preps)
            if head:
                negated = negated or set()
                negated.update(head)
        else:
            for i in range(bisect_left(hits, s - reach, key=_start), bisect_right(hits, s, key=_start)):
                if hits[i][1] <= s and _in_scope(low, hits[i][1], s, post_words, stops):
                    negated = negated or set()
                    negated.add(i)
    if not negated:
        return hits
    return [h for i, h in enumerate(hits) if i not in negated]


def _subject_head(low: str, hits: list[tuple], cue: int, cue_end: int, words: int,
                  stops: frozenset[str], preps: frozenset[str]) -> list[int]:
    """Indexes of the hits that make the subject of the clause a predicate cue ends.

    "Fatalities in the clashes were not reported" negates the fatalities, not the clashes: the
    clause starts after clause punctuation or a stop word that is no preposition ("but",
    "and", "which") at most `words` words before the cue, and its first hit is taken for its
    subject ("information on casualties was not available": a subject the taxonomy does not
    name, whose object is what is unknown); later hits modify it. The subject's hits are
    those overlapping its first one ("shot dead": two topics). A cue followed by a word other
    than a stop word or a preposition is no predicate but an attribute: "shot dead by
    unknown people", "killing an unknown number"."""
    after = _WORD.search(low, cue_end, cue_end + 40)
    if after is not None and after.start() == cue_end + 1 and low[cue_end] == " ":
        word = after.group()
        word = word.rstrip(".,;:!?)")
        if word and word[0].isalnum() and word not in stops and word not in preps and word not in _PREDICATE_TAILS:
            return []
    lo = max(0, cue - _reach(words))
    first = bisect_left(hits, lo, key=_start)
    last = bisect_right(hits, cue, key=_start)
    if first == last:
        return []
    start = lo
    for m in _SCOPE_END.finditer(low, lo, cue):
        start = m.end()
    spans = [(m.start(), m.end()) for m in _WORD.finditer(low, start, cue)]
    if len(spans) > words:
        spans = spans[-words:]
        start = spans[0][0]
    for ws, we in spans:
        word = low[ws:we]
        if word in stops and word not in preps:
            start = we
    for i in range(first, last):
        h = hits[i]
        if h[0] < start or h[1] > cue:
            continue
        # a coordinated subject is one subject: "fatalities and injuries were not reported",
        # "deaths, injuries unknown" (the "and" or the comma ended the clause above)
        spans = [(h[0], h[1])]
        head = h[0]
        for k in range(i - 1, first - 1, -1):
            prev = hits[k]
            if prev[1] > head:
                continue
            if not _COORDINATION.fullmatch(low, prev[1], head):
                break
            spans.append((prev[0], prev[1]))
            head = prev[0]
        tail = h[1]
        for k in range(i + 1, last):
            nxt = hits[k]
            if nxt[0] < tail:
                continue
            if nxt[1] > cue or not _COORDINATION.fullmatch(low, tail, nxt[0]):
                break
            spans.append((nxt[0], nxt[1]))
            tail = nxt[1]
        return [j for j in range(first, last)
                if any(hits[j][0] < e and s < hits[j][1] for s, e in spans)]
    return []


def _reach(words: int) -> int:
    """Characters a scope of `words` words spans at most (longer words are rare enough)."""
    return 12 * (words + 1)


def _in_scope(low: str, gap_start: int, gap_end: int, words: int, stops: frozenset[str]) -> bool:
    """Whether the text between a cue and a hit keeps them in one negation scope."""
    if gap_end - gap_start > _reach(words):
        return False
    gap = low[gap_start:gap_end]
    between = gap.split()
    if len(between) > words or _SCOPE_END.search(gap):
        return False
    return stops.isdisjoint(between)


def _automaton(forms: dict[str, tuple], implementation) -> tuple[ahocorasick_rs.AhoCorasick, tuple]:
    """An automaton over `forms` and the values of its patterns, indexed like its match results."""
    patterns = list(forms)
    automaton = ahocorasick_rs.AhoCorasick(patterns, implementation=implementation, store_patterns=False)
    return automaton, tuple(forms[p] for p in patterns)


def _find(automaton: ahocorasick_rs.AhoCorasick, text: str) -> list[tuple[int, int, int]]:
    """Every (pattern, start, end) in `text`, overlapping. The automaton reads UTF-8, which has no
    lone surrogates (a JSON "\\ud800" escape makes one): those are matched as U+FFFD."""
    try:
        return automaton.find_matches_as_indexes(text, overlapping=True)
    except UnicodeEncodeError:
        return automaton.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text), overlapping=True)


def _has_arabic(text: str) -> bool:
    """Whether `text` has a character in U+0600-U+06FF. Their UTF-8 lead bytes D8-DB occur in no
    other character's encoding, and four byte scans cost a quarter of a regex scan on an
    article; on a headline the regex is quicker than encoding."""
    if len(text) < 400:
        return _ARABIC.search(text) is not None
    try:
        data = text.encode()
    except UnicodeEncodeError:   # a lone surrogate: the slower error-handling encoder
        data = text.encode("utf-8", "surrogatepass")
    return b"\xd8" in data or b"\xd9" in data or b"\xda" in data or b"\xdb" in data


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): from after the previous . ! ? or newline to the next."""
    left = max(text.rfind(".", 0, start), text.rfind("\n", 0, start),
               text.rfind("!", 0, start), text.rfind("?", 0, start))
    m = _SENTENCE_END.search(text, end)
    return left + 1, (m.start() if m else len(text))


