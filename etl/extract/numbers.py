"""Numbers as news text writes them, English and Arabic: digits ("1,200", "٢٠"), words ("four",
"twenty-five", "a dozen", "two hundred"), vague quantities ("dozens" -> 24, approximate), ranges
("20 to 30", "20-30") and their hedges ("at least", "about", "more than"). Also the sentence
splitter the figure extractors share. Pure functions over text; used by etl/extract/casualties.py
and etl/extract/defections.py."""
from __future__ import annotations

import re
from typing import NamedTuple

import ahocorasick_rs

_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

UNITS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "a dozen": 12, "half a dozen": 6,
    "a couple of": 2, "a pair of": 2,
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# A plural of vagueness is an estimate: the smallest number the word can honestly mean, doubled
# ("dozens" is at least 24). The row says approximate.
VAGUE = {"several hundred": 200, "a few hundred": 200, "several thousand": 2000, "a few thousand": 2000,
         "several dozen": 24, "a few dozen": 24, "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "tens of thousands": 20000,
         "hundreds of thousands": 200000, "several": 3, "a few": 3, "a number of": 3}
ARABIC_WORDS = {
    "واحد": 1, "اثنان": 2, "اثنين": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5,
    "خمس": 5, "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "تسعة": 9, "تسع": 9,
    "عشرة": 10, "عشر": 10, "عشرين": 20, "عشرون": 20, "ثلاثين": 30, "أربعين": 40, "خمسين": 50,
    "مئة": 100, "مائة": 100, "ألف": 1000,
}
ARABIC_VAGUE = {"عشرات": 24, "مئات": 200, "آلاف": 2000}

# hedges before a number: (words, approximate?, bound)  bound: "min" = at least, "max" = up to
HEDGES = [
    (r"at\s+least", True, "min"), (r"no\s+fewer\s+than", True, "min"), (r"more\s+than", True, "min"),
    (r"over", True, "min"), (r"upwards\s+of", True, "min"), (r"in\s+excess\s+of", True, "min"),
    (r"about", True, None), (r"around", True, None), (r"approximately", True, None),
    (r"roughly", True, None), (r"nearly", True, None), (r"almost", True, None), (r"some", True, None),
    (r"an\s+estimated", True, None), (r"estimated", True, None), (r"close\s+to", True, None),
    (r"up\s+to", True, "max"), (r"as\s+many\s+as", True, "max"), (r"fewer\s+than", True, "max"),
    (r"less\s+than", True, "max"), (r"between", True, None), (r"على\s+الأقل", True, "min"), (r"أكثر\s+من", True, "min"),
    (r"نحو", True, None), (r"حوالي", True, None), (r"قرابة", True, None), (r"زهاء", True, None),
]

_WORD_NUM = "|".join(sorted((re.escape(w) for w in UNITS if w not in ("a", "an")), key=len, reverse=True))
_SCALE = "|".join(SCALES)
_DIGITS = r"\d{1,3}(?:[,.]\d{3})+(?!\d)|\d+(?:\.\d+)?"
_ONE = (rf"(?:{_DIGITS})(?:\s+(?:{_SCALE}))?"
        rf"|(?:(?:{_WORD_NUM})(?:[-\s](?:{_WORD_NUM}))?|an?)(?:\s+(?:{_SCALE})(?:\s+(?:and\s+)?(?:{_WORD_NUM})(?:[-\s](?:{_WORD_NUM}))?)?)?")
_VAGUE = "|".join(sorted((re.escape(w) for w in VAGUE), key=len, reverse=True))
_HEDGE = "|".join(h for h, _, _ in HEDGES)
_AR_NUM = "|".join(sorted(map(re.escape, ARABIC_WORDS), key=len, reverse=True))
_AR_VAGUE = "|".join(map(re.escape, ARABIC_VAGUE))

NUMBER = re.compile(
    rf"(?:(?<=\sو)|(?<=^و)|(?<![\w\-/]))(?:(?P<hedge>{_HEDGE})\s+)?"     # Arabic "و3": "and 3"
    rf"(?:(?P<vague>{_VAGUE})"
    rf"|(?P<lo>{_ONE})(?:\s*(?:-|–|to|or|and)\s*(?P<hi>{_ONE}))?"
    rf"|(?P<arv>{_AR_VAGUE})|(?P<arw>{_AR_NUM}))(?![\w/])",
    re.IGNORECASE)


# NUMBER for lower-cased text (see numbers()): its words are lower case already
_NUMBER_LOWER = re.compile(NUMBER.pattern)
assert NUMBER.pattern.replace("(?P<", "") == NUMBER.pattern.replace("(?P<", "").lower()


class Number(NamedTuple):
    """One number phrase. Immutable; a named tuple, which is made much faster than a frozen
    dataclass (whose __init__ sets each field through object.__setattr__), and casualties()
    makes many an article (docs/figures.md)."""
    value: int            # the number; for a range, its upper end
    low: int              # lower end of a range (= value otherwise)
    approximate: bool     # hedged ("about", "at least"), vague ("dozens") or a range
    bound: str | None     # "min" (at least / more than), "max" (up to), None
    start: int            # offsets of the whole phrase, hedge included
    end: int
    text: str


# compiled once: the module-level re functions look each pattern up in re's cache per call, a
# cost that added up to ~10 % of numbers()
_DIGITS_SCALE = re.compile(rf"({_DIGITS})(?:\s+({_SCALE}))?")
_GROUPED = re.compile(r"\d{1,3}(?:[,.]\d{3})+")
_YEAR = re.compile(r"(19|20)\d\d")
_HEDGES = [(re.compile(h), a, b) for h, a, b in HEDGES]


def _hedge_kind(hedge: str) -> tuple[bool, str | None]:
    """(approximate, bound) of a lower-cased hedge: those of the first of HEDGES it is."""
    for pattern, a, b in _HEDGES:
        if pattern.fullmatch(hedge):
            return a, b
    return False, None


# the same, looked up, for each hedge written with single spaces (a hedge is read for many
# numbers, trying the patterns one by one); other spacing goes through _hedge_kind
_HEDGE_KINDS = {t: _hedge_kind(t) for t in (h.replace(r"\s+", " ") for h, _, _ in HEDGES)}
# every key is written as one of the patterns it stands for reads it
assert all(any(re.fullmatch(h, t) for h, _, _ in HEDGES) for t in _HEDGE_KINDS)


def _word_value(text: str) -> int | None:
    """Value of one number phrase without hedge: "1,200", "twenty-five", "two hundred", "3 million"."""
    if text.isascii() and text.isdigit():      # most figures: what the digits branch below gives
        return int(round(float(text)))
    low = text.lower()
    t = " ".join((low if low.isascii() else low.translate(_ARABIC_DIGITS)).replace("-", " ").split())
    if t in ARABIC_WORDS:
        return ARABIC_WORDS[t]
    m = _DIGITS_SCALE.fullmatch(t)
    if m:
        digits = m.group(1)
        if _GROUPED.fullmatch(digits):
            value = float(digits.replace(",", "").replace(".", ""))
        else:
            value = float(digits)
        return int(round(value * (SCALES[m.group(2)] if m.group(2) else 1)))
    if t in UNITS:
        return UNITS[t]
    total, current = 0, 0
    words = t.split()
    i = 0
    while i < len(words):
        w = words[i]
        if w == "and":
            i += 1
            continue
        two = " ".join(words[i:i + 2])
        if two in UNITS and " " in two:
            current += UNITS[two]
            i += 2
            continue
        if w in UNITS:
            current += UNITS[w]
        elif w in SCALES:
            current = max(current, 1) * SCALES[w]
            if SCALES[w] >= 1000:
                total, current = total + current, 0
        else:
            return None
        i += 1
    return total + current


# the words a number phrase can start with; NUMBER is tried only where a token is one of them or
# starts with a digit (trying it at every position cost ~0.5 ms for a 2 KB article)
_FIRST_WORDS = frozenset(
    [w.split()[0] for w in UNITS] + [w.split()[0] for w in VAGUE] + list(ARABIC_WORDS) + list(ARABIC_VAGUE)
    + [re.sub(r"\\s\+.*", "", h) for h, _, _ in HEDGES])
_TOKEN = re.compile(r"[\w\u0600-\u06FF]+")


_TOKEN_CHAR = r"[\w\u0600-\u06FF]"


def _char_class(chars: list[str]) -> str:
    """A regex character class of `chars`, as ranges of consecutive code points."""
    points = sorted(map(ord, chars))
    parts, i = [], 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        parts.append(re.escape(chr(points[i])) + ("-" + re.escape(chr(points[j])) if j > i else ""))
        i = j + 1
    return "[" + "".join(parts) + "]"


# the characters str.isdigit() accepts that can be part of a _TOKEN (superscripts too, not only
# \d); all of them lie below U+20000 (the last is U+1FBF9; above are ideographs, tags and private
# use), and scanning only that far keeps the import at ~15 ms instead of ~150
_DIGIT_CHARS = _char_class([c for c in map(chr, range(0x20000)) if c.isdigit() and re.fullmatch(_TOKEN_CHAR, c)])
assert all(re.fullmatch(rf"{_TOKEN_CHAR}+", w) for w in _FIRST_WORDS)
def _trie(words) -> str:
    """A regex matching exactly `words`, as a trie: one branch per distinct next character (an
    alternation of ~100 whole words made the scan below 1.4 times slower)."""
    root: dict = {}
    for w in words:
        node = root
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def rx(node: dict) -> str:
        alts = [re.escape(c) + rx(sub) for c, sub in sorted(node.items()) if c]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return rx(root)


# the token starts _candidates_by_token keeps, found by one regex scan over the lowercased text
# (a Python loop over every token cost ~40 % of numbers()): a token starting with a digit, a
# whole token in _FIRST_WORDS, or "و" before a digit (the candidate is then the digit)
_CANDIDATE = re.compile(
    rf"(?<!{_TOKEN_CHAR})(?:{_DIGIT_CHARS}|{_trie(_FIRST_WORDS)}(?!{_TOKEN_CHAR})"
    rf"|(?P<waw>و)(?={_DIGIT_CHARS}))")


# The same positions, fewer of them, found faster. A hedge's first word that starts no other
# number phrase ("in" of "in excess of", "at" of "at least") is a candidate only where its whole
# hedge follows: NUMBER can match there only through that hedge (the commonest word, "in", was a
# quarter of all candidates). And the scan looks for the character before a candidate, one
# that is not part of a token, in the text with a space put first: a pattern starting with a
# character class lets the regex engine skip the positions inside words, where a look-behind
# first was tried at every position (~3 times slower).
_NUMBER_FIRST_WORDS = frozenset([w.split()[0] for w in UNITS] + [w.split()[0] for w in VAGUE]
                                + list(ARABIC_WORDS) + list(ARABIC_VAGUE))
_HEDGE_FIRST = {h: re.sub(r"\\s\+.*", "", h) for h, _, _ in HEDGES}
_PHRASE_ONLY = frozenset(
    first for first in _HEDGE_FIRST.values()
    if first not in _NUMBER_FIRST_WORDS and all(h != first for h, f in _HEDGE_FIRST.items() if f == first))


# "a" / "an" as a candidate only where NUMBER can read more than the article itself: a range
# ("a to 5", "a-2"), a scale ("a hundred"), a hedge ("an estimated"), a vague quantity ("a few",
# "a number of") or a number word ("a dozen", "a couple of", "a pair of"). NUMBER reads a lone
# "a" as a number phrase that numbers() then drops, ending where the article ends, before the
# next candidate: dropping it changes nothing. It was more than a quarter of the candidates of
# news text, each a NUMBER match and the reading of its groups.
_ARTICLE_NUMBER = (r"an?(?![\w\u0600-\u06FF])(?=\s*(?:-|–|to|or|and)"
                   r"|\s+(?:estimated|few|number|dozen|couple|pair|hundred|thousand|million))")


def _candidate_before(non_token: str, digit: str) -> re.Pattern:
    """The candidate scan over " " + the lower-cased text: a match is the character (of class
    `non_token`) before a candidate, which starts with a `digit` or a first word."""
    return re.compile(
        rf"{non_token}(?=(?:{digit}|{_trie(_FIRST_WORDS - _PHRASE_ONLY - {'a', 'an'})}(?!{_TOKEN_CHAR})"
        rf"|{_ARTICLE_NUMBER}"
        rf"|{'|'.join(h for h, f in _HEDGE_FIRST.items() if f in _PHRASE_ONLY)}"
        rf"|(?P<waw>و)(?={digit})))")


_CANDIDATE_BEFORE = _candidate_before(r"[^\w\u0600-\u06FF]", _DIGIT_CHARS)


def _candidate_before_ascii() -> re.Pattern:
    """_candidate_before for lower-cased ASCII text, where a token character is [0-9a-z_] and
    a digit [0-9]: the engine tests these small classes faster than the Unicode ones
    (_DIGIT_CHARS is ~100 ranges, tried at every space). Such text has no Arabic "و", so the
    scan has no waw group; and a class of every candidate's first character, looked at first,
    rules out most positions before the alternatives are tried one by one."""
    firsts = sorted({w[0] for w in _FIRST_WORDS if w.isascii()} | {"a"})
    assert all(f.isalpha() and f.islower() for f in firsts)
    scan = _candidate_before("[^0-9A-Za-z_]", "[0-9]").pattern
    head, tail = "[^0-9A-Za-z_](?=", "|(?P<waw>و)(?=[0-9])))"
    assert scan.startswith(head) and scan.endswith(tail)
    body = scan[len(head):-len(tail)].replace(f"(?!{_TOKEN_CHAR})", "(?![0-9a-z_])")
    return re.compile(f"[^0-9A-Za-z_](?=[0-9{''.join(firsts)}])(?={body}))")


_CANDIDATE_BEFORE_ASCII = _candidate_before_ascii()


# The same positions as _CANDIDATE_BEFORE_ASCII finds in " " + low, without trying a pattern at
# each word: the scan ran its alternatives at every character before a word (~200 an article
# of the realistic corpus, for ~15 candidates; docs/figures.md, "Casualty stage, seventh
# pass"). A candidate is a token (a run of [0-9A-Za-z_]) that starts with a digit, or is one of
# the scan's words, or is "a"/"an" or a hedge's first word where the scan's own alternative for
# it matches there. With every separator made a space, those tokens are where " word " or
# " digit" occurs: one Aho-Corasick pass (overlapping matches: two such words share the space
# between them) finds them all.
_SEPARATOR_CHARS = frozenset(c for c in map(chr, range(128)) if not (c.isalnum() or c == "_"))
_SEPARATORS_TO_SPACE = bytes.maketrans(bytes(range(128)),
                                       bytes(32 if chr(b) in _SEPARATOR_CHARS else b for b in range(128)))
_CANDIDATE_TOKENS = frozenset(w for w in _FIRST_WORDS - _PHRASE_ONLY - {"a", "an"} if w.isascii())
# the words whose place is a candidate only where a pattern matches there: "a"/"an"
# (_ARTICLE_NUMBER) and the first words of the hedges that start nothing else ("at least")
_CANDIDATE_IF: dict[str, re.Pattern] = {
    **{w: re.compile(_ARTICLE_NUMBER.replace(f"(?!{_TOKEN_CHAR})", "(?![0-9a-z_])")) for w in ("a", "an")},
    **{f: re.compile("|".join(h for h, first in _HEDGE_FIRST.items() if first == f))
       for f in sorted(set(_HEDGE_FIRST.values()) & _PHRASE_ONLY) if f.isascii()}}
_CANDIDATE_WORDS = sorted(_CANDIDATE_TOKENS | set(_CANDIDATE_IF))
_CANDIDATE_FINDER = ahocorasick_rs.AhoCorasick(
    [f" {w} " for w in _CANDIDATE_WORDS] + [f" {d}" for d in "0123456789"],
    matchkind=ahocorasick_rs.MatchKind.Standard, implementation=ahocorasick_rs.Implementation.DFA)
_CANDIDATE_CHECKS = [_CANDIDATE_IF.get(w) for w in _CANDIDATE_WORDS] + [None] * 10


def _candidates_ascii(low: str) -> list[int]:
    """[m.start() for m in _CANDIDATE_BEFORE_ASCII.finditer(" " + low)] for lower-cased ASCII
    text (tests/test_casualties.py checks the two agree)."""
    spaced = f" {low.encode().translate(_SEPARATORS_TO_SPACE).decode()} "
    out = []
    # a token gives at most one match, and matches come in the order of their ends: in the
    # order of the tokens. A match's start (its space) is the token's offset in low.
    for i, at, _ in _CANDIDATE_FINDER.find_matches_as_indexes(spaced, overlapping=True):
        check = _CANDIDATE_CHECKS[i]
        if check is None or check.match(low, at):
            out.append(at)
    return out


def _candidates(folded: str, low: str | None = None) -> list[int]:
    """The offsets where NUMBER may match in `folded` (`low` is folded.lower() when the caller
    has it)."""
    if low is None:
        low = folded.lower()
    if len(low) != len(folded):
        return _candidates_by_token(folded)
    if "ı" in low or "ſ" in low:
        # NUMBER, ignoring case, reads these as i and s; lower() keeps them: a hedge of the
        # candidate scan below would not match where NUMBER does
        return [m.start() + 1 if m.group("waw") else m.start() for m in _CANDIDATE.finditer(low)]
    # a match is the one character before a candidate: in " " + low, its start is the
    # candidate's offset in `low`
    if low.isascii():
        return _candidates_ascii(low)
    return [m.start() + 1 if m.group("waw") else m.start() for m in _CANDIDATE_BEFORE.finditer(" " + low)]


def _candidates_by_token(folded: str) -> list[int]:
    """The positions where a token is a number's possible first word; the reference the regex
    scan of _candidates follows, and used as such when lowercasing changes the text's length."""
    out = []
    low = folded.lower()
    if len(low) != len(folded):
        low = folded
    for m in _TOKEN.finditer(low):
        word = m.group(0)
        if word[0].isdigit() or word in _FIRST_WORDS or (low is folded and word.lower() in _FIRST_WORDS):
            out.append(m.start())
        elif word[0] == "و" and len(word) > 1 and word[1].isdigit():    # "و3"
            out.append(m.start() + 1)
    return out


def numbers(text: str, low: str | None = None) -> list[Number]:
    """Every number phrase in `text`, in order. Years (1900-2099 standing alone after "in",
    "since" or before a month) are not counts and are left out; so are "one of", "a/an" alone.
    `low`: text.lower(), when the caller has it (used for ASCII text only)."""
    out = []
    # NUMBER without IGNORECASE over the lower-cased text reads the same phrases at the same
    # offsets, about twice as fast, wherever lower-casing keeps the length and leaves no letter
    # that matches an ASCII one only when ignoring case (ı, ſ); the groups are then read in
    # lower case, which is how they are read anyway
    if text.isascii():      # all of that holds, and there are no digits to fold
        folded = text
        if low is None:
            low = text.lower()
        number_at, subject = _NUMBER_LOWER.match, low
        candidates = _candidates_ascii(low)
    else:
        # same length: offsets stay valid
        folded = text.translate(_ARABIC_DIGITS)
        low = folded.lower()
        if len(low) == len(folded) and "ı" not in low and "ſ" not in low:
            number_at, subject = _NUMBER_LOWER.match, low
        else:
            number_at, subject = NUMBER.match, folded
        candidates = _candidates(folded, low)
    matches, last = [], -1
    for pos in candidates:
        if pos < last:
            continue
        m = number_at(subject, pos)
        if m and m.end() > m.start():
            matches.append(m)
            last = m.end()
    for m in matches:
        hedge_text, vague, arv, arw, lo_text, hi_text = m.group("hedge", "vague", "arv", "arw", "lo", "hi")
        start, end = m.span()
        hedge = (hedge_text or "").lower()
        approx, bound = False, None
        if hedge:
            kind = _HEDGE_KINDS.get(hedge)
            approx, bound = _hedge_kind(hedge) if kind is None else kind
        if vague or arv:
            value = VAGUE.get(" ".join((vague or "").lower().split())) or ARABIC_VAGUE.get(arv or "", 0)
            out.append(Number(value, value, True, bound or "min", start, end, text[start:end]))
            continue
        if arw:
            value = ARABIC_WORDS[arw]
            out.append(Number(value, value, approx, bound, start, end, text[start:end]))
            continue
        if lo_text.lower() in ("a", "an"):
            continue
        lo = _word_value(lo_text)
        if lo is None:
            continue
        hi = _word_value(hi_text) if hi_text else None
        if len(lo_text) == 4 and _YEAR.fullmatch(lo_text) and (hi is None or hi < 2100):
            continue     # a year (or "2012-2013"), not a count
        if hi is not None:
            joiner = folded[m.end("lo"):m.start("hi")].strip().lower()
            if hi <= lo or (joiner == "and" and hedge != "between"):
                # "2 and 3" lists two things; "30-2" is not a range: keep the first number alone
                lo_end = m.end("lo")
                out.append(Number(lo, lo, approx, bound, start, lo_end, text[start:lo_end]))
            else:
                out.append(Number(hi, lo, True, bound, start, end, text[start:end]))
        else:
            out.append(Number(lo, lo, approx, bound, start, end, text[start:end]))
    return out


# starts with a character class, which the regex engine scans for quickly (a look-behind first
# made splitting a 2 KB article 4 times slower)
_SENTENCE_END = re.compile(r"[.!?؟][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9\u0600-\u06FF])|\n+")
_ABBREV = re.compile(r"\b(?:[A-Z]|U\.S|U\.N|U\.K|Mr|Mrs|Ms|Dr|Gen|Brig|Col|Lt|Maj|Capt|St|No|Sgt|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.$")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`: split after . ! ? ؟ before a capital, a digit
    or Arabic, and at line breaks; abbreviations such as "U.S." and "Gen." do not end one."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if text[m.start()] == "\n":
            cut = m.start()
        else:
            cut = m.start() + 1 + len(m.group(0)[1:]) - len(m.group(0)[1:].lstrip("\"'”’)"))
            if _ABBREV.search(text[max(start, cut - 6):cut]):
                continue
        if text[start:cut].strip():
            spans.append(_trim(text, start, cut))
        start = m.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class Trigger:
    """Sentences worth a closer look: those holding one of a few lowercase stems. One pass of an
    Aho-Corasick automaton over the lowercased text (~10 us for 2 KB) where the extractors'
    regular expressions over every sentence cost ~1.5 ms an article."""

    def __init__(self, stems: list[str]):
        self._automaton = ahocorasick_rs.AhoCorasick(stems, implementation=ahocorasick_rs.Implementation.DFA)

    def sentences(self, text: str, low: str | None = None) -> list[tuple[int, int]]:
        """The (start, end) of the sentences of `text` holding a stem, the same spans as
        `sentences(text)` gives; only the text around each hit is split (a whole 2 KB article
        took ~75 us, when most articles have one or two such sentences). `low` is
        text.lower() when the caller has it."""
        if low is None:
            low = text.lower()
        if len(low) != len(text):      # lowercasing changed the length: offsets would not hold
            return [span for span in sentences(text) if self._automaton.find_matches_as_indexes(text[span[0]:span[1]].lower())]
        out: list[tuple[int, int]] = []
        for _, hit, _ in self._automaton.find_matches_as_indexes(low):
            if out and hit < out[-1][1]:
                continue
            span = sentence_around(text, hit)
            if span is None:               # a sentence longer than the window: split it all
                return [sp for sp in sentences(text) if self._automaton.find_matches_as_indexes(text[sp[0]:sp[1]].lower())]
            if span[0] < span[1] and (not out or span != out[-1]):
                out.append(span)
        return out


_WINDOW = 500


def _boundaries(text: str, lo: int, hi: int):
    """(cut, next start) of each sentence end in text[lo:hi], as `sentences` decides them."""
    for m in _SENTENCE_END.finditer(text, lo, hi):
        if text[m.start()] == "\n":
            cut = m.start()
        else:
            cut = m.start() + 1 + len(m.group(0)[1:]) - len(m.group(0)[1:].lstrip("\"'”’)"))
            if _ABBREV.search(text[max(0, cut - 6):cut]):
                continue
        yield cut, m.end()


_ENDERS = ".!?؟\n"
_ENDER = re.compile(f"[{re.escape(_ENDERS)}]")


def _last_boundary_before(text: str, pos: int, lo: int) -> int | None:
    """The start of the sentence holding `pos` (a sentence end found with rfind, then checked
    with _SENTENCE_END at that spot: a few microseconds where a regex scan of the window cost
    ~10). None when no end lies in text[lo:pos]."""
    cand = pos
    rfind = text.rfind
    while True:
        cand = max(rfind(".", lo, cand), rfind("!", lo, cand), rfind("?", lo, cand), rfind("؟", lo, cand),
                   rfind("\n", lo, cand))
        if cand < 0:
            return None
        if text[cand] == "\n":
            while cand > lo and text[cand - 1] == "\n":
                cand -= 1
        m = _SENTENCE_END.match(text, cand)
        if m and m.end() <= pos and (text[cand] == "\n" or not _ABBREV.search(text[max(0, cand - 5):cand + 1])):
            return m.end()


def _next_boundary_after(text: str, lo: int, pos: int, hi: int) -> int | None:
    """Where the sentence holding `pos` ends (its last character + 1), looking in text[lo:hi]."""
    cand = lo
    while True:
        ender = _ENDER.search(text, cand, hi)      # the first of _ENDERS (one scan, not five finds)
        if ender is None:
            return None
        cand = ender.start()
        m = _SENTENCE_END.match(text, cand)
        if m is None or m.end() <= pos:
            cand += 1
            continue
        if text[cand] == "\n":
            return cand
        cut = cand + 1 + len(m.group(0)[1:]) - len(m.group(0)[1:].lstrip("\"'”’)"))
        if not _ABBREV.search(text[max(0, cut - 6):cut]):
            return cut
        cand += 1


def sentence_around(text: str, pos: int) -> tuple[int, int] | None:
    """The span `sentences(text)` gives to the sentence holding offset `pos`; None when that
    sentence is longer than the window looked at."""
    lo = max(0, pos - _WINDOW)
    start = _last_boundary_before(text, pos + 1, lo)
    if start is None:
        if lo > 0:
            return None
        start = 0
    hi = min(len(text), pos + _WINDOW)
    end = _next_boundary_after(text, max(start, pos - 2), pos, hi)
    if end is None:
        if hi < len(text):
            return None
        end = len(text)
    return _trim(text, start, end)
