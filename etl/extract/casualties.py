"""Casualty figures reported in an article: who was killed or injured, how many, for each event
the article reports, with the sentences the figures came from. English and Arabic.

`casualties(doc)` reads the title and the body sentence by sentence. In each sentence, a number
phrase (etl/extract/numbers.py) counts as a casualty figure when a casualty word is its nearest
neighbour in the same clause: "at least 20 people were killed", "killing 12 civilians",
"the death toll rose to 112", "مقتل 20 مدنيا". The noun after the number says the group
(civilians, children, women, combatants, or people in general). Figures of one sentence make
one event; "including 5 children" / "among them" figures in the next sentence complete it.

Which event is the story's own (`is_main_event`): the first one, in reading order, that is not a
cumulative toll ("the war has killed more than 300,000 since 2011", "so far this year").
A definite denial ("no casualties", "no one was killed") is an event with killed = 0; a mere
absence of reports ("no immediate reports of casualties") is nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import ahocorasick_rs

from etl.extract.numbers import Number, Trigger, numbers
from etl.model import Doc, Evidence

KILL = (r"killed|killing|kills|kill|dead|died|die|dying|deaths?|death\s+toll|toll|lost\s+(?:their|his|her)\s+lives?"
        r"|slain|slaughtered|massacred|executed|perished|bodies|corpses|martyrs?|martyred|fatalities|lives"
        r"|مقتل|قتل|قتلوا|قتلت|قتيلا|قتيل|قتلى|حتفهم|حتفه|استشهاد|استشهد|شهيدا|شهداء|ضحية|ضحايا|وفاة")
INJURE = (r"wounded|wounding|wounds|injured|injuring|injuries|injury|hurt"
          r"|جرحى|جريحا|جريح|إصابة|إصابات|أصيب|أصيبوا|مصابين|مصابا|جرح")
_KILL = re.compile(rf"(?<!\w)(?:{KILL})(?!\w)", re.IGNORECASE)
_INJURE = re.compile(rf"(?<!\w)(?:{INJURE})(?!\w)", re.IGNORECASE)
_ANY = re.compile(rf"(?<!\w)(?:(?P<k>{KILL})|(?P<i>{INJURE}))(?!\w)", re.IGNORECASE)


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression's source (split at | outside groups)."""
    out, depth, start = [], 0, 0
    for i, c in enumerate(pattern):
        if c == "(" and (i == 0 or pattern[i - 1] != "\\"):
            depth += 1
        elif c == ")" and pattern[i - 1] != "\\":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    return out + [pattern[start:]]


def _after_separator(words: list[str], extra: str = "") -> tuple[re.Pattern, re.Pattern]:
    r"""What (?<!\w)(?:word|word...)(?!\w) matches case-insensitively, as case-sensitive
    patterns for a search in " " + the text lower-cased (text _lower_latin accepts): each match
    is the character before the word, one that is not part of a word, then the word. A
    pattern starting with a character class lets the regex engine skip to those characters
    and try the words there only; the plain alternation tries every word at every position,
    and a literal letter first with the look-behind after it still tries them at every letter
    that starts one (docs/figures.md, "Casualty stage and fingerprints, sixth pass"). The words are grouped by
    first letter, their order within each letter kept, so the same word wins at the same
    position. A match's start is the word's start in the text without the space, its end one
    past the word's end. Two patterns: for ASCII text, where a word character is [0-9a-z_] (a
    small class, tested faster), and for any other text _lower_latin accepts. `extra`:
    alternatives matched on their own (the clause ends ; and :)."""
    by_letter: dict[str, list[str]] = {}
    for w in words:
        assert w[0].isascii() and w[0].isalpha() and w == w.lower(), w
        by_letter.setdefault(w[0], []).append(w[1:])
    body = "|".join(f"{c}(?:{'|'.join(rests)})" for c, rests in by_letter.items())
    return tuple(re.compile((f"{extra}|" if extra else "") + f"{sep}(?:{body})(?!{word})")
                 for sep, word in (("[^0-9a-z_]", "[0-9a-z_]"), (r"\W", r"\w")))  # type: ignore[return-value]


_KILL_WORDS = [w for w in _alternatives(KILL) if w.isascii()]
_INJURE_WORDS = [w for w in _alternatives(INJURE) if w.isascii()]
# _ANY for text _lower_latin lower-cased (it holds no Arabic word); a word's kind follows from its
# first letter, which no killed word shares with an injured one
_ANY_AFTER_SEP, _ANY_AFTER_SEP_WIDE = _after_separator(_KILL_WORDS + _INJURE_WORDS)
_INJURE_LETTERS = frozenset(w[0] for w in _INJURE_WORDS)
assert not _INJURE_LETTERS & {w[0] for w in _KILL_WORDS}


# Arabic letters (the patterns' Arabic words), and the letters that lower() lengthens (İ) or
# keeps while the regex engine, ignoring case, reads them as ASCII letters (ı as i, ſ as s)
_NOT_FOLDABLE = re.compile("[\u0600-\u06FF\u0130\u0131\u017f]")


def _lower_latin(text: str) -> str | None:
    """`text` lower-cased, where a pattern of English words matches `text` ignoring case
    exactly where the same pattern in lower case matches the result, case-sensitive (same
    offsets; lower() keeps each character's \\w, \\s and \\d class). None for other text."""
    if text.isascii():
        return text.lower()
    if _NOT_FOLDABLE.search(text):
        return None
    low = text.lower()
    return low if len(low) == len(text) else None


def _may_hold(text: str, stems: tuple[str, ...]) -> bool:
    """False only when `text` cannot match a case-insensitive pattern each of whose matches
    holds one of `stems` (lowercase ASCII words): text holding none of them (and no Arabic,
    see _lower_latin). A regex search tries its alternatives at every position (~5-20 us for
    60 characters); this is ~1 us."""
    low = _lower_latin(text)
    return low is None or any(stem in low for stem in stems)


def _field_lower(text: str, low: str) -> str | None:
    """`low` (text.lower()) when each slice of it is what _lower_latin gives for the same
    slice of `text`, so that a field is lower-cased once instead of every window read around
    each figure (~40 calls an article); None otherwise. lower() maps every character on its own
    except the Greek capital sigma (final or not by its neighbours), and the letters
    _NOT_FOLDABLE finds make _lower_latin refuse a slice."""
    if text.isascii():
        return low
    if len(low) != len(text) or "\u03a3" in text or _NOT_FOLDABLE.search(text):
        return None
    return low


def _holds(low: str, stems: tuple[str, ...]) -> bool:
    """Whether `low` holds one of `stems` (a few substring tests beat a regex alternation of
    them on a sentence: the engine tries every alternative at every position)."""
    for stem in stems:
        if stem in low:
            return True
    return False


class _StemFinder:
    """Whether a text holds one of many stems, with one Aho-Corasick pass (~1 us for a
    sentence, where 19 substring tests cost ~3 and a regex alternation ~4)."""

    def __init__(self, stems: tuple[str, ...]):
        self.stems = stems
        self._automaton = ahocorasick_rs.AhoCorasick(list(stems), implementation=ahocorasick_rs.Implementation.DFA)

    def __call__(self, low: str) -> bool:
        try:
            return bool(self._automaton.find_matches_as_indexes(low))
        except UnicodeEncodeError:      # a lone surrogate (UTF-8 has none): substring tests
            return _holds(low, self.stems)


_PARTICIPLES = {"killed", "dead", "wounded", "injured", "hurt", "martyred", "slain", "executed", "قتيلا",
                "قتلى", "قتيل", "جريحا", "جرحى", "شهيدا", "شهداء"}
_ONE_NOUNS = r"child|woman|girl|boy|civilian|man|soldier|fighter|baby|person|officer|policeman|journalist"
_ONE_NOUN = rf"\s+(?=(?:[\w-]+\s+)?(?:{_ONE_NOUNS})\b)"
_ONE_PERSON = re.compile(rf"(?<![\w-])(?:an?|one){_ONE_NOUN}", re.IGNORECASE)
# the same for text _lower_latin lower-cased, a literal letter first and the look-behind after
# it, so that the regex engine skips the positions no match starts at
_ONE_PERSON_LOWER = re.compile(rf"a(?<![\w-].)n?{_ONE_NOUN}|o(?<![\w-].)ne{_ONE_NOUN}")
# what every match of _ONE_PERSON_LOWER holds: one of its nouns as a whole word after a
# space. A search for it skips to the spaces (a character class first) where the pattern itself
# is tried at every "a" and "o" of a sentence, and it rules out the sentences whose only hit of
# the nouns is inside a longer word ("woman" in "women", "man" in "many", "child" in "children"),
# which a plain substring test let through to the pattern
_ONE_NOUN_WORD = re.compile(rf"\s(?:{_ONE_NOUNS})\b")
_AUX_CASUALTY = re.compile(rf"\s+(?:(?:were|have\s+been|had\s+been|are|was)\s+(?:reportedly\s+|also\s+)?)?(?:{KILL}|{INJURE})\b",
                           re.IGNORECASE)
_CLAUSE_END = re.compile(r"[;:]|\bbut\b|\bwhile\b|\bwhereas\b|\bafter\b|\bsince\b|\bsaid\b|\badded\b", re.IGNORECASE)
_CLAUSE_WORDS = ["but", "while", "whereas", "after", "since", "said", "added"]
# _CLAUSE_END for text _lower_latin lower-cased (see _after_separator)
_CLAUSE_END_AFTER_SEP, _CLAUSE_END_AFTER_SEP_WIDE = _after_separator(_CLAUSE_WORDS, "[;:]")

CIVILIANS = {"civilians", "civilian", "residents", "villagers", "worshippers", "patients",
             "pedestrians", "passengers", "shoppers", "farmers", "workers", "refugees", "inhabitants",
             "citizens", "relatives", "rescuers", "medics", "doctors", "nurses", "journalists", "activists",
             "volunteers", "teachers", "mourners", "guests", "family", "مدنيا", "مدنيين", "مدنيون", "مواطنين", "مواطنا"}
CHILDREN = {"children", "child", "kids", "boys", "girls", "boy", "girl", "baby", "minors", "students", "infants", "babies", "toddlers",
            "أطفال", "طفلا", "طفل", "أطفالا", "طفلة"}
WOMEN = {"women", "woman", "mothers", "نساء", "امرأة", "سيدات"}
COMBATANTS = {"fighters", "fighter", "militants", "militant", "soldiers", "soldier", "forces", "police",
              "bombers", "terrorist", "jihadist", "commander", "commanders", "emirs", "leaders", "troops", "rebels", "jihadists", "jihadis", "insurgents",
              "gunmen", "personnel", "servicemen", "officers", "terrorists", "combatants", "policemen",
              "guards", "militiamen", "mercenaries", "recruits", "conscripts", "commanders", "pilots",
              "عنصرا", "عناصر", "مقاتلا", "مقاتلين", "جنديا", "جنود", "مسلحا", "مسلحين"}
PEOPLE = {"people", "persons", "person", "individuals", "victims", "men", "bodies", "lives",
          "casualties", "شخصا", "أشخاص", "أشخاصا", "شخص"}
_GROUP_OF = {"family": "civilians", "families": "civilians", "army": "combatants", "forces": "combatants",
             "militia": "combatants", "group": "combatants", "islamic": "combatants", "state": "combatants",
             "nusra": "combatants", "hezbollah": "combatants", "security": "combatants", "police": "combatants",
             "regime": "combatants", "rebel": "combatants", "opposition": "combatants"}
# each word's group, the first of civilians, children, women, combatants, people that has it
_GROUP_BY_WORD: dict[str, str] = {}
for _group, _words in (("civilians", CIVILIANS), ("children", CHILDREN), ("women", WOMEN),
                       ("combatants", COMBATANTS), ("people", PEOPLE)):
    for _w in _words:
        _GROUP_BY_WORD.setdefault(_w, _group)
del _group, _words, _w
# the lower-case ASCII words _ANY.fullmatch accepts (a word has no space: "death toll" and
# "lost their lives" are not among them), for a set lookup instead of a regex call
_ANY_WORDS = frozenset(w for alt in _KILL_WORDS + _INJURE_WORDS if "\\" not in alt
                       for w in ((alt[:-2], alt[:-1]) if alt.endswith("s?") else (alt,)))
assert all(_ANY.fullmatch(w) for w in _ANY_WORDS) and not any("?" in w or "(" in w for w in _ANY_WORDS)
_UNIT = re.compile(r"\s*(?:-?\s*(?:year|years|month|months|day|days|hour|hours|km|kilometres?|kilometers?"
                   r"|miles?|metres?|meters?|weeks?|percent|per\s+cent|%|tonnes?|tons?|dollars?|mm|kg|minutes?"
                   r"|times|villages?|towns?|cities|rockets?|missiles?|shells?|barrel|strikes?|raids?))\b",
                   re.IGNORECASE)
_WORD = re.compile(r"[\w'’\-\u0600-\u06FF]+")
_LATIN_WORD = re.compile(r"[a-z]+")
_OF_FROM = re.compile(r"\s*(?:of|from)\b")
# _UNIT and _AUX_CASUALTY for text _lower_latin lower-cased, matched case-sensitively (about
# twice as fast as ignoring case; their words are lower case)
_UNIT_LOWER = re.compile(_UNIT.pattern)
_AUX_CASUALTY_LOWER = re.compile(_AUX_CASUALTY.pattern)
assert _UNIT.pattern == _UNIT.pattern.lower() and _AUX_CASUALTY.pattern == _AUX_CASUALTY.pattern.lower()
_STOP = {"were", "was", "have", "has", "had", "been", "are", "is", "in", "on", "at", "and", "or", "by",
         "from", "to", "when", "as", "who", "after", "during", "with", "including", "among", "near",
         "while", "the", "a", "an", "more", "than", "that", "which", "said", "wounded", "killed"}
_SUBSET = re.compile(r"(?:including|among\s+(?:them|the\s+dead|those\s+killed|the\s+victims)|of\s+(?:them|whom)"
                     r"|بينهم|منهم|بينها)\s*(?:were\s+|are\s+)?$", re.IGNORECASE)
# A subset named after its figure: "five children were among them / the dead". (Not "of them",
# "of whom": after a figure those make the next figure the subset, as _SUBSET reads it.)
_SUBSET_AFTER = re.compile(r"\s*(?:were|are)\s+among\b", re.IGNORECASE)
# (alternative, words every match of it holds): a toll over a period. The words let a sentence
# without Arabic (see _lower_latin) skip the alternatives that cannot match it (see _is_cumulative)
_CUMULATIVE_PARTS = [
    (r"\bsince\s+(?:the\s+)?(?:\d{4}|start|beginning|outbreak|uprising|war|conflict|march|january|february"
     r"|april|may|june|july|august|september|october|november|december|it\s+began|then)", ("since",)),
    (r"\b(?:so\s+far|to\s+date|in\s+total|overall|altogether|cumulative)\b",
     ("far", "date", "total", "overall", "altogether", "cumulative")),
    (r"\b(?:this|last|past|previous)\s+(?:year|month|months|years|week|weeks)\b", ("year", "month", "week")),
    (r"\bin\s+(?:one|a|two|three|four|\d+)\s+(?:weeks?|months?|years?)\b", ("year", "month", "week")),
    (r"\bover\s+the\s+(?:past|last)\b", ("over",)),
    (r"\b(?:war|conflict|uprising|crisis|revolt|revolution|fighting)\s+(?:that\s+)?(?:has|have|had)\s+(?:so\s+far\s+)?"
     r"(?:killed|left|claimed)", ("killed", "left", "claimed")),
    (r"\b(?:war|conflict|uprising|crisis)\b[^.]{0,60}\b(?:began|started|erupted)\b", ("began", "started", "erupted")),
    (r"منذ\s+(?:بداية|بدء|اندلاع|عام)|حصيلة\s+إجمالية", ()),     # never without Arabic letters
]
CUMULATIVE = re.compile("|".join(rx for rx, _ in _CUMULATIVE_PARTS), re.IGNORECASE)
# each part for text _lower_latin lower-cased, matched case-sensitively (its words are lower case;
# about half the cost of ignoring case)
_CUMULATIVE_BY_PART = [(re.compile(rx), words) for rx, words in _CUMULATIVE_PARTS if words]
# (alternative, words every match of it holds), as _CUMULATIVE_PARTS: the text says there were none
_NEGATION_PARTS = [
    (r"\bno\s+(?:one|body|civilians?|people|soldiers?)\s+(?:was|were|has\s+been|had\s+been)\s+(?:killed|hurt|injured|wounded)",
     ("killed", "hurt", "injured", "wounded")),
    (r"\bnobody\s+was\s+(?:killed|hurt|injured)", ("nobody",)),
    (r"\bno\s+(?:casualties|deaths|fatalities|victims|injuries)\b(?!\s+(?:figures?|toll))",
     ("casualties", "deaths", "fatalities", "victims", "injuries")),
    (r"\bwithout\s+(?:causing\s+)?(?:any\s+)?(?:casualties|deaths|injuries)", ("without",)),
    (r"\b(?:caused|causing|cause|resulted\s+in|result\s+in|left)\s+no\s+(?:casualties|deaths|injuries)",
     ("casualties", "deaths", "injuries")),
    (r"\bnot\s+(?:cause|result\s+in)\s+any\s+(?:casualties|deaths)", ("casualties", "deaths")),
    (r"دون\s+(?:وقوع\s+)?(?:إصابات|ضحايا)|لا\s+(?:إصابات|ضحايا)|لم\s+(?:تسفر|يسفر)\s+(?:\S+\s+)?عن\s+(?:إصابات|ضحايا|قتلى)",
     ()),     # never without Arabic letters
]
NEGATION = re.compile("|".join(rx for rx, _ in _NEGATION_PARTS), re.IGNORECASE)
_NEGATION_BY_PART = [(re.compile(rx), words) for rx, words in _NEGATION_PARTS if words]     # as above
assert all(rx == rx.lower() for rx, words in _CUMULATIVE_PARTS + _NEGATION_PARTS if words)
_CUMULATIVE_WORDS = ("since", "so far", "to date", "total", "overall", "altogether", "cumulative", "year", "month",
                     "week", "over the", "war", "conflict", "uprising", "crisis", "revol", "fighting", "منذ", "حصيلة")
_NEGATION_WORDS = ("no ", "nobody", "without", "not ", "دون", "لا ", "لم ")
_HAS_CUMULATIVE_WORD = _StemFinder(_CUMULATIVE_WORDS)
_NOT_NEGATION = re.compile(r"no\s+(?:immediate\s+)?(?:word|reports?|information|details?)\s+(?:of|on|about)\s+(?:any\s+)?"
                           r"(?:casualties|deaths|injuries)", re.IGNORECASE)

BIG_TOLL = 10_000
# every casualty word, negation and subset phrase above contains one of these stems
TRIGGER = Trigger(["kill", "dead", "died", "die ", "dying", "death", "toll", "lives", "slain", "slaughter", "massacr",
                   "execut", "perish", "bodies", "corpse", "martyr", "fatalit", "wound", "injur", "hurt",
                   "casualt", "victim", "nobody", "no one",
                   "قتل", "قتيل", "قتلى", "حتف", "استشهد", "استشهاد", "شهيد", "شهداء", "ضحي", "ضحاي", "وفاة",
                   "جرح", "جريح", "إصاب", "أصيب", "مصاب"])
FIELDS = ("killed", "injured", "civilians_killed", "children_killed", "women_killed", "combatants_killed")
_GROUP_FIELD = {"civilians": "civilians_killed", "children": "children_killed", "women": "women_killed",
                "combatants": "combatants_killed"}


@dataclass(slots=True)
class Figure:
    """One number read as a casualty count, before figures are grouped into events."""
    kind: str            # killed | injured
    group: str           # people | civilians | children | women | combatants
    number: Number
    subset: bool         # "including 5 children": part of a group counted in the same event


@dataclass(slots=True)
class CasualtyEvent:
    killed: int | None = None
    injured: int | None = None
    civilians_killed: int | None = None
    children_killed: int | None = None
    women_killed: int | None = None
    combatants_killed: int | None = None
    approximate: bool = False        # some figure is hedged ("at least", "about"), vague or a range
    is_main_event: bool = False      # the story's own event (see the module docstring)
    is_cumulative: bool = False      # a toll over a period ("since 2011", "so far this year")
    is_negated: bool = False         # the text says there were none ("no casualties")
    evidence: list[Evidence] = field(default_factory=list)   # the sentences the figures came from

    def as_row(self) -> dict:
        return {name: getattr(self, name) for name in (*FIELDS, "approximate", "is_main_event",
                                                       "is_cumulative", "is_negated", "evidence")}


def _group_after(text: str, end: int, flow: str | None = None) -> tuple[str | None, int, bool]:
    """The group named after a number ending at `end`: (group, end of the noun phrase,
    whether a casualty word came first, as in "20 killed"). group None: not a count of people.
    `flow`: _field_lower of `text`, or None."""
    if _UNIT.match(text, end) if flow is None else _UNIT_LOWER.match(flow, end):
        return None, end, False
    pos, n, prev = end, 0, ""
    for m in _WORD.finditer(text, end, min(len(text), end + 70)):
        word = m.group(0).lower().strip("'’-")
        gap = text[pos:m.start()]
        if gap.strip(" ") not in ("", "of", "-") and not gap.isspace():
            if _PUNCT.search(gap):
                break
        n += 1
        if word in _ANY_WORDS if word.isascii() else _ANY.fullmatch(word):
            # "20 killed", "20 wounded": the participle says what happened to them; a verb
            # ("kills 12 wounds 50") does not
            return "people", end, word in _PARTICIPLES
        group = _GROUP_BY_WORD.get(word)
        if group is not None:
            if word in ("people", "men", "others") or group == "people":
                tail = text[m.end():m.end() + 40].lower()
                if _OF_FROM.match(tail):     # tested first: it fails far more often
                    first = next((w for w in _LATIN_WORD.findall(tail)[1:3] if w in _GROUP_OF), None)
                    if first:
                        return _GROUP_OF[first], m.end(), False
            return group, m.end(), False
        if word == "others":
            return "others", m.end(), False
        if word == "members":
            after = _LATIN_WORD.findall(text[m.end():m.end() + 50].lower())[:5]
            first = next((w for w in after[:3] if w in _GROUP_OF), None)
            return (_GROUP_OF[first] if first else "people"), m.end(), False
        if n <= 2 and word in ("of", "the", "them") or word in _GROUP_OF or word.startswith("pro-"):
            pos, prev = m.end(), word     # "one of the commanders", "rebel and regime forces"
            continue
        if word == "and" and prev in _GROUP_OF:
            pos = m.end()
            continue
        if (word in _STOP and m.group(0).islower()) or n > 4:
            break
        prev = word
        pos = m.end()
    return None, end, False


def _nearest_kind(text: str, lo: int, hi: int, np_end: int, direct: bool,
                  flow: str | None = None) -> str | None:
    """killed | injured from the casualty word nearest to the number (text[lo:hi]) within its
    clause: looked for after the noun phrase and before the number; the nearer wins. `flow`:
    _field_lower of `text`, or None."""
    # Each window is searched for a casualty word first and for a clause end only when there is
    # one: the word found before a clause end (after the number), or after the last one (before
    # it), is the one the window cut at its clause end gives. No casualty word nor clause end
    # holds ; : or a whole word of the other, so neither match can straddle the other.
    after_kind, after_dist = None, 10**6
    window = text[np_end:np_end + 60]
    low = _lower_latin(window) if flow is None else flow[np_end:np_end + 60]
    if low is not None:     # the same reading, with the patterns for lower-cased text
        # searched in " " + low (see _after_separator): a match's start is the word's in low
        words, clause_ends = ((_ANY_AFTER_SEP, _CLAUSE_END_AFTER_SEP) if low.isascii()
                              else (_ANY_AFTER_SEP_WIDE, _CLAUSE_END_AFTER_SEP_WIDE))
        spaced = " " + low
        a = words.search(spaced)
        if a is not None:
            start = a.start()
            if clause_ends.search(spaced, 0, start + 1) is None:    # in low[:start]
                after_kind = "injured" if low[start] in _INJURE_LETTERS else "killed"
                after_dist = 0 if direct else start
    else:
        m = _ANY.search(window)
        if m is not None and _CLAUSE_END.search(window, 0, m.start()) is None:
            after_kind, after_dist = ("killed" if m.group("k") else "injured"), m.start()
            if direct:
                after_dist = 0
    before_kind, before_dist = None, 10**6
    back = text[max(0, lo - 50):lo]
    low_back = _lower_latin(back) if flow is None else flow[max(0, lo - 50):lo]
    latin_back = low_back is not None
    if low_back is not None:
        back = low_back
    if latin_back:      # as after the number, in " " + back
        words, clause_ends = ((_ANY_AFTER_SEP, _CLAUSE_END_AFTER_SEP) if back.isascii()
                              else (_ANY_AFTER_SEP_WIDE, _CLAUSE_END_AFTER_SEP_WIDE))
        spaced = " " + back
        found = list(words.finditer(spaced))
        if found:
            m = found[-1]
            # the clause ends in back[m.end() - 1:], the word's end on ("spaced" has one more)
            if clause_ends.search(spaced, m.end()) is None:
                before_kind = "injured" if back[m.start()] in _INJURE_LETTERS else "killed"
                before_dist = len(back) - (m.end() - 1)
    else:
        found = list(_ANY.finditer(back))
        if found:
            m = found[-1]
            if _CLAUSE_END.search(back, m.end()) is None:
                before_kind = "killed" if m.group("k") else "injured"
                before_dist = len(back) - m.end()
    if after_kind is None and before_kind is None:
        return None
    # "killed or wounded" / "casualties" alone are too vague to be deaths
    return after_kind if after_dist < before_dist else before_kind


_MONTH = (r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july"
          r"|august|september|october|november|december")
_DATE_BEFORE = re.compile(rf"(?:\b(?:{_MONTH})\.?|\d[-/.:])\s*$", re.IGNORECASE)
_DATE_AFTER = re.compile(rf"^(?:\s*(?:{_MONTH})\b|[-/.]\d|,?\s+(?:19|20)\d\d\b|\s*(?:am|pm|gmt)\b|:\d)", re.IGNORECASE)


# the same for text _lower_latin lower-cased, case-sensitive (about twice as fast); the one
# after a number without its ^, matched at the number's end (no slice: ~7 times as fast)
_DATE_BEFORE_LOWER = re.compile(_DATE_BEFORE.pattern)
_DATE_AFTER_LOWER = re.compile(_DATE_AFTER.pattern.removeprefix("^"))
assert _DATE_BEFORE.pattern == _DATE_BEFORE.pattern.lower() and _DATE_AFTER.pattern.startswith("^")
assert _DATE_AFTER.pattern == _DATE_AFTER.pattern.lower()


def _is_date_part(text: str, start: int, end: int, flow: str | None = None) -> bool:
    """"15-11-2014", "Jul 30 2015", "26 November", "0914 GMT": parts of dates and times.
    `flow`: _field_lower of `text`, or None."""
    if flow is not None:
        return bool(_DATE_BEFORE_LOWER.search(flow[max(0, start - 12):start])
                    or _DATE_AFTER_LOWER.match(flow, end, end + 12))
    return bool(_DATE_BEFORE.search(text[max(0, start - 12):start]) or _DATE_AFTER.match(text[end:end + 12]))


_TOLL_BEFORE = re.compile(r"\btoll\W+(?:[\w'’-]+\W+){0,12}?(?:rose|risen|rises|climbed|reached|stood"
                          r"|stands|was|is|to|at|of)\W+$", re.IGNORECASE)
_DEATH_TAIL = r"\W+(?:[\w'’-]+\W+){0,6}$"
_DEATH_BEFORE = re.compile(rf"(?:deaths?|dead|kill|kills|killed|killing|claimed|مقتل|قتل|سقوط){_DEATH_TAIL}",
                           re.IGNORECASE)
# whether _DEATH_BEFORE matches text _lower_latin lower-cased (only that is asked: the order of
# the words does not matter), the words by first letter so that the engine skips to d, k or c
_DEATH_BEFORE_LOWER = re.compile(rf"(?:d(?:eaths?|ead)|k(?:ill|ills|illed|illing)|claimed){_DEATH_TAIL}")
_PUNCT = re.compile(r"[,.;:()\"“”]")
# words each match of a pattern holds (for _may_hold): _ONE_PERSON's nouns ("man" is in
# "woman" and "policeman"), _DEATH_BEFORE's words, _SUBSET's ("of them", "of whom")
_ONE_PERSON_STEMS = ("child", "man", "girl", "boy", "civilian", "soldier", "fighter", "baby", "person", "officer",
                     "journalist")
_DEATH_STEMS = ("death", "dead", "kill", "claimed")
_SUBSET_STEMS = ("including", "among", "them", "whom")


def _death_before(back: str) -> bool:
    """A death word a few words before the end of `back` (see _DEATH_BEFORE)."""
    low = _lower_latin(back)
    if low is None:
        return bool(_DEATH_BEFORE.search(back))
    return any(stem in low for stem in _DEATH_STEMS) and bool(_DEATH_BEFORE_LOWER.search(low))


def _figures(text: str, lo: int, hi: int, flow: str | None = None) -> list[Figure]:
    """The casualty figures of the sentence text[lo:hi]. `flow`: _field_lower of `text`, or None
    (each window is then lower-cased on its own)."""
    out: list[Figure] = []
    sentence = text[lo:hi]
    found = numbers(sentence, None if flow is None else flow[lo:hi])     # in reading order
    if _ONE_NOUN_WORD.search(flow, lo, hi) if flow is not None else _may_hold(sentence, _ONE_PERSON_STEMS):
        low = _lower_latin(sentence) if flow is None else flow[lo:hi]
        ones = _ONE_PERSON.finditer(sentence) if low is None else _ONE_PERSON_LOWER.finditer(low)
        taken = {n.start for n in found}
        more = [Number(1, 1, False, None, m.start(), m.end() - 1, sentence[m.start():m.end()].strip())
                for m in ones if m.start() not in taken]
        if more:
            found = sorted(found + more, key=lambda n: n.start)
    for num in found:
        s, e = lo + num.start, lo + num.end
        if num.text[:1].isdigit() and _is_date_part(text, s, e, flow):
            continue
        group, np_end, direct = _group_after(text, e, flow)
        toll = False
        if group is None and (_AUX_CASUALTY.match(text, e) if flow is None else _AUX_CASUALTY_LOWER.match(flow, e)):
            group, np_end = "people", e       # "208 were killed", "179 died yesterday"
        if group is None:
            # "the death toll rose to 112" / "مقتل 20": a toll word right before a bare number
            b0 = max(lo, s - 90)
            back = text[b0:s]
            if flow is None:
                toll = _may_hold(back, ("toll",)) and bool(_TOLL_BEFORE.search(back))
                death = toll or _death_before(back)
            else:     # _may_hold and _death_before as they read the field's lower case
                toll = flow.find("toll", b0, s) >= 0 and bool(_TOLL_BEFORE.search(back))
                low = flow[b0:s]
                death = toll or (_holds(low, _DEATH_STEMS) and bool(_DEATH_BEFORE_LOWER.search(low)))
            if death and not (_UNIT.match(text, e) if flow is None else _UNIT_LOWER.match(flow, e)):
                group, np_end = "people", e
            else:
                continue
        if num.value > 5_000_000 or num.value == 0:
            continue
        kind = "killed" if toll else _nearest_kind(text, s, e, np_end, direct, flow)
        b0 = max(lo, s - 40)
        may = _may_hold(text[b0:s], _SUBSET_STEMS) if flow is None else _holds(flow[b0:s], _SUBSET_STEMS)
        subset = (may and bool(_SUBSET.search(text[b0:s]))) or bool(_SUBSET_AFTER.match(text, np_end))
        if kind is None and subset and out:
            kind = out[-1].kind      # "rose to 20 on Saturday, among them five children"
        if kind is None:
            continue
        out.append(Figure(kind, group, Number(num.value, num.low, num.approximate, num.bound, s, e,
                                              num.text), subset))
    return out


def _event_of(figures: list[Figure]) -> CasualtyEvent | None:
    """One sentence's figures as one event; None when they hold nothing."""
    ev = CasualtyEvent()
    groups: dict[str, int] = {}
    subsets: set[str] = set()
    others = 0
    for f in figures:
        if f.kind == "injured":
            if not f.subset:     # injured of every group, added up ("3 soldiers and 5 civilians wounded")
                ev.injured = (ev.injured or 0) + f.number.value
            ev.approximate |= f.number.approximate
            continue
        if f.group == "others":
            others += f.number.value
            ev.approximate |= f.number.approximate
            continue
        if f.group == "people":
            if ev.killed is None and not f.subset:
                ev.killed = f.number.value
            elif ev.killed is None:
                groups.setdefault("civilians", f.number.value)
        else:   # "12 soldiers and 8 rebels": the same group named twice in a sentence adds up
            groups[f.group] = groups.get(f.group, 0) + f.number.value
            if f.subset:
                subsets.add(f.group)
        ev.approximate |= f.number.approximate
    for group, value in groups.items():
        setattr(ev, _GROUP_FIELD[group], value)
    if ev.killed is None and groups:
        # no total stated: the groups that do not overlap add up (children and women are civilians)
        whole = {g: v for g, v in groups.items() if g not in subsets}
        civ = whole.get("civilians")
        if civ is None and ("children" in whole or "women" in whole):
            civ = whole.get("children", 0) + whole.get("women", 0)
        ev.killed = (civ or 0) + whole.get("combatants", 0) if whole else max(groups.values())
    if others:     # "nine children and 14 others"
        ev.killed = (ev.killed or 0) + others
    if ev.killed is not None and groups and ev.killed < max(groups.values()):
        ev.killed = max(groups.values())
    if ev.killed is None and ev.injured is None:
        return None
    return ev


def _only_subsets(figures: list[Figure]) -> bool:
    return all(f.subset or (f.kind == "killed" and f.group in ("children", "women")) for f in figures
               if f.kind == "killed") and any(f.kind == "killed" for f in figures)


def casualties(doc: Doc) -> list[CasualtyEvent]:
    """The casualty events the article reports, in reading order (title first). At most one
    has is_main_event; a toll repeated later in the story is folded into the first mention."""
    events: list[CasualtyEvent] = []
    last: CasualtyEvent | None = None
    for field_name, text in (("title", doc.title), ("body", doc.body)):
        if not text:
            continue
        low = text.lower()
        flow = _field_lower(text, low)
        for lo, hi in TRIGGER.sentences(text, low):
            last = _read_sentence(events, last, field_name, text, lo, hi, flow)
    main = next((e for e in events if not e.is_cumulative), None)
    if main is not None:
        main.is_main_event = True
    return events


def _read_sentence(events: list[CasualtyEvent], last: CasualtyEvent | None, field_name: str,
                   text: str, lo: int, hi: int, flow: str | None = None) -> CasualtyEvent | None:
    """Adds the event of the trigger sentence text[lo:hi] to `events`, or folds it into the one
    it completes or repeats; returns the event read last (`last` when the sentence has none).
    `flow`: _field_lower of `text`, or None."""
    sentence = text[lo:hi]
    figures = _figures(text, lo, hi, flow)
    low = sentence.lower() if flow is None else flow[lo:hi]
    latin = flow is not None
    if not figures:
        if _negated_toll(sentence, low, latin):
            denied = CasualtyEvent(killed=0, is_negated=True, is_cumulative=_is_cumulative(sentence, low, latin),
                                   evidence=[Evidence(field_name, lo, hi, sentence, text)])
            events.append(denied)
            return denied
        return last
    ev = _event_of(figures)
    if ev is None:
        return last
    ev_text = Evidence(field_name, lo, hi, sentence, text)     # made only for a sentence that counts
    cumulative = _is_cumulative(sentence, low, latin)     # only now: half the sentences end above
    if last is not None and not last.is_cumulative and not cumulative and _only_subsets(figures):
        # "Among the dead were 10 children": completes the event just read
        _fill_missing(last, ev, FIELDS[2:])
        last.evidence.append(ev_text)
        return last
    # no single attack kills tens of thousands: such a toll is a war's or a year's
    ev.is_cumulative = cumulative or (ev.killed or 0) >= BIG_TOLL
    ev.evidence.append(ev_text)
    same = _told_before(events, ev, cumulative)
    if same is not None:     # the same toll told again (headline, then lead): one event
        _fill_missing(same, ev, FIELDS)
        same.evidence.append(ev_text)
        return same
    events.append(ev)
    return ev


def _is_cumulative(sentence: str, low: str, latin: bool = False) -> bool:
    """A toll over a period ("since 2011", "so far"); `low` is the sentence lower-cased. The
    regular expression only where one of its words is (it costs ~10 us a sentence); in text
    without Arabic (_lower_latin), only its alternatives whose words are there (the whole of it cost ~100 us a sentence:
    "war ... began" looks up to 60 characters ahead of every "war"). `latin`: the sentence is
    known to be text _lower_latin accepts."""
    if not _HAS_CUMULATIVE_WORD(low):
        return False
    return _search_by_part(CUMULATIVE, _CUMULATIVE_BY_PART, sentence, low, latin)


def _search_by_part(whole: re.Pattern, parts: list[tuple[re.Pattern, tuple[str, ...]]], text: str,
                    low: str, latin: bool = False) -> bool:
    """bool(whole.search(text)), `whole` being the alternation of `parts` (each with the words
    every match of it holds, compiled for lower-cased text; `low` is `text` lower-cased): in text
    without Arabic (_lower_latin, where `low` is what it gives), only the parts whose words are
    there are searched, in `low`. A search of the whole alternation tries every part at every
    position (~100 us a sentence for CUMULATIVE)."""
    if not latin and _lower_latin(text) is None:
        return bool(whole.search(text))
    for rx, words in parts:     # loops, not any() of generators: about half the time
        for w in words:
            if w in low:
                if rx.search(low):
                    return True
                break
    return False


def _negated_toll(sentence: str, low: str, latin: bool = False) -> bool:
    """"No one was killed", "without casualties" (`low` is the sentence lower-cased; `latin` as
    for _is_cumulative)."""
    return bool(_holds(low, _NEGATION_WORDS) and _search_by_part(NEGATION, _NEGATION_BY_PART, sentence, low, latin)
                and not _NOT_NEGATION.search(sentence))


def _told_before(events: list[CasualtyEvent], ev: CasualtyEvent, cumulative: bool) -> CasualtyEvent | None:
    """An earlier single-event toll with the same (non-zero) number killed as `ev`."""
    return next((e for e in events if not e.is_cumulative and not cumulative and e.killed is not None
                 and e.killed == ev.killed and ev.killed), None)


def _fill_missing(into: CasualtyEvent, other: CasualtyEvent, names) -> None:
    """Copies the figures `into` lacks from `other`."""
    for name in names:
        if getattr(into, name) is None and getattr(other, name) is not None:
            setattr(into, name, getattr(other, name))
