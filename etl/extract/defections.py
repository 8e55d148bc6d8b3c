"""Defections reported in an article: who defected (person, rank, how many), from which side, to
where, and when, each with the sentences it came from. English and Arabic.

`defections(doc, entities, published_year)` looks at sentences holding a defection word
("defected", "defection", "deserted", "switched sides", "انشق"). In such a sentence every rank
phrase is a defector: "Brigadier General Mohammed Khalouf", "approximately 20 soldiers",
"some 40 generals", "former premier Riad Hijab", "العميد محمد خلوف". A sentence that only names
a person found by etl/extract/people.py ("Khalouf and his family crossed into Jordan") adds to
that person's event. Mentions of one person are one event; an unnamed officer in the lead
("a high-ranking officer defected") is the named officer the story goes on to name.

`is_background` marks recaps: a "since 2011" or a month-and-year ("in August 2012") before the
article's year, a past perfect ("had defected"), or a running total ("so far").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.extract.numbers import Trigger, numbers
from etl.model import Doc, Entity, Evidence

DEFECT = re.compile(
    r"\b(?:defect(?:ed|s|ing|ion|ions|or|ors)?|desert(?:ed|ion|ions|ers?|ing)|desert(?=\s+(?:the|their|his)\s+"
    r"(?:army|ranks|posts?|units?|regime))|switched\s+sides|changed\s+sides|broke\s+(?:ranks|away)\s+(?:with|from)"
    r"|abandoned\s+(?:the|his|their)\s+(?:posts?|regime|government))\b"
    r"|انشق\w*|منشق\w*|الانشقاق\w*", re.IGNORECASE)
TRIGGER = Trigger(["defect", "desert", "switched sides", "changed sides", "broke ranks", "broke away", "abandoned",
                   "انشق", "منشق", "الانشقاق"])
# (pattern, normalised rank, military?) longest first; English matched case-insensitively
RANKS: list[tuple[str, str, bool]] = [
    (r"brigadier[- ]generals?|brig\.?\s+gen\.?", "brigadier general", True),
    (r"major[- ]generals?|maj\.?\s+gen\.?", "major general", True),
    (r"lieutenant[- ]generals?|lt\.?\s+gen\.?", "lieutenant general", True),
    (r"lieutenant[- ]colonels?|lt\.?\s+col\.?", "lieutenant colonel", True),
    (r"first\s+lieutenants?", "lieutenant", True),
    (r"generals?|gen\.", "general", True),
    (r"colonels?|col\.", "colonel", True),
    (r"(?-i:Major)|majors", "major", True),
    (r"captains?|capt\.", "captain", True),
    (r"lieutenants?", "lieutenant", True),
    (r"sergeants?", "sergeant", True),
    (r"pilots?", "pilot", True),
    (r"(?:army\s+|military\s+|security\s+|intelligence\s+)?officers?", "officer", True),
    (r"soldiers?|troops|conscripts?|servicemen|recruits|members\s+of\s+the\s+(?:security\s+forces|armed\s+forces"
     r"|army|military|republican\s+guard)|(?<=of\shis\s)men", "soldier", True),
    (r"policem[ae]n|police\s+officers?", "police officer", False),
    (r"fighters?|militants|rebels|jihadists|مقاتلا|مقاتلين|مسلحين", "fighter", False),
    (r"prime\s+ministers?|premiers?", "prime minister", False),
    (r"deputy\s+(?:foreign\s+|oil\s+|defence\s+|defense\s+)?ministers?", "deputy minister", False),
    (r"ministers?", "minister", False),
    (r"ambassadors?|envoys?|charg[ée]\s+d'affaires", "ambassador", False),
    (r"diplomats?|consuls?", "diplomat", False),
    (r"(?:members?\s+of\s+parliament|mps|lawmakers?|parliamentarians?)", "member of parliament", False),
    (r"commanders?", "commander", True),
    (r"governors?", "governor", False),
    (r"judges?", "judge", False),
    ("العميد", "brigadier general", True), ("اللواء", "major general", True), ("العقيد", "colonel", True),
    ("(?:ال)?عسكريين|(?:ال)?جنود", "soldier", True), ("(?:ال)?سفير", "ambassador", False),
    ("المقدم", "lieutenant colonel", True), ("الرائد", "major", True), ("النقيب", "captain", True),
    ("الملازم", "lieutenant", True), ("ضباط|ضابطا|ضابط", "officer", True),
    ("جنود|جنديا|جندي|عسكريين|عسكريا", "soldier", True), ("طيار|طيارين", "pilot", True),
    ("رئيس الوزراء|رئيس الحكومة", "prime minister", False), ("وزير", "minister", False),
    ("سفير", "ambassador", False), ("دبلوماسي|دبلوماسيين", "diplomat", False),
]
_RANK = re.compile("|".join(f"(?P<r{i}>{p})" for i, (p, _, _) in enumerate(RANKS)), re.IGNORECASE)
_AFTER_RANK_WORD = re.compile(r"(?=\W|$)")
SPECIFIC = {r: i for i, r in enumerate(["soldier", "officer", "commander", "sergeant", "lieutenant", "captain",
                                         "major", "lieutenant colonel", "colonel", "general", "brigadier general",
                                         "major general", "lieutenant general"])}
COUNTRIES = {
    "jordan": "JO", "turkey": "TR", "lebanon": "LB", "iraq": "IQ", "israel": "IL", "qatar": "QA",
    "saudi arabia": "SA", "egypt": "EG", "france": "FR", "britain": "GB", "the united kingdom": "GB",
    "the united states": "US", "russia": "RU", "iran": "IR", "kuwait": "KW", "the uae": "AE",
    "the united arab emirates": "AE", "germany": "DE", "cyprus": "CY",
    "الأردن": "JO", "تركيا": "TR", "لبنان": "LB", "العراق": "IQ", "قطر": "QA", "السعودية": "SA",
    "مصر": "EG", "فرنسا": "FR",
    # cities defectors are reported reaching, for "reached Amman"
    "amman": "JO", "mafraq": "JO", "zaatari": "JO", "ankara": "TR", "istanbul": "TR", "gaziantep": "TR",
    "antakya": "TR", "hatay": "TR", "reyhanli": "TR", "kilis": "TR", "beirut": "LB", "tripoli": "LB",
    "baghdad": "IQ", "erbil": "IQ", "al-qaim": "IQ", "doha": "QA", "riyadh": "SA", "cairo": "EG",
    "paris": "FR", "london": "GB", "عمان": "JO", "أنقرة": "TR", "اسطنبول": "TR", "بيروت": "LB",
}
_COUNTRY = "|".join(sorted(map(re.escape, COUNTRIES), key=len, reverse=True))
DESTINATION = re.compile(
    rf"\b(?:to|into|for|reached|reaching|arrived\s+in|crossed\s+into|fled\s+to|headed\s+to|across\s+the\s+border\s+into)"
    rf"\s+(?:neighbou?ring\s+|nearby\s+|southern\s+|northern\s+)?(?P<c>{_COUNTRY})\b"
    rf"|(?:إلى|الى|نحو)\s+(?P<ac>{_COUNTRY})", re.IGNORECASE)
_SIDES = [
    (r"free\s+syrian\s+army|fsa|rebels?|opposition|islamic\s+state|isis|isil|nusra|jihadists?|militants?"
     r"|الجيش الحر|المعارضة|داعش", "rebel group"),
    (r"police|الشرطة", "police"),
    (r"army|military|armed\s+forces|air\s+force|republican\s+guard|forces|الجيش|القوات|قوات", "army"),
    (r"government|regime|cabinet|ministry|embassy|parliament|party|النظام|الحكومة", "government"),
]
FROM_SIDE = re.compile(r"\b(?:from|left|quit|abandoned|out\s+of|deserted)\s+(?:the\s+)?(?:embattled\s+|ruling\s+)?(?:\w+\s+){0,2}?"
                       r"(?P<s>" + "|".join(p for p, _ in _SIDES) + r")\b|عن\s+(?P<as>\S+\s?\S*)", re.IGNORECASE)
TO_SIDE = re.compile(r"\b(?:joined|join|joining|to|went\s+over\s+to|sided\s+with)\s+(?:the\s+)?(?:ranks\s+of\s+the\s+)?"
                     r"(?P<s>free\s+syrian\s+army|fsa|rebels?|opposition|regime|government|kurdish\s+forces|sdf)\b",
                     re.IGNORECASE)
_MONTH = (r"january|february|march|april|may|june|july|august|september|october|november|december")
WHEN = re.compile(
    rf"\bsince\s+(?:the\s+)?(?:(?:{_MONTH})\s+)?(?:(?:19|20)\d\d)(?:\s+(?:start|beginning|outbreak)\s+of\s+the\s+\w+)?"
    rf"|\bsince\s+the\s+(?:start|beginning|outbreak)\s+of\s+the\s+(?:\w+\s+)?(?:conflict|uprising|war|revolt|crisis)"
    rf"|\bin\s+(?:early\s+|late\s+|mid-)?(?:{_MONTH})(?:\s+(?:19|20)\d\d)?\b|\bin\s+(?:19|20)\d\d\b"
    rf"|\bon\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\byesterday\b|\btoday\b"
    rf"|\b(?:last|this|earlier\s+this)\s+(?:week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    rf"|\bin\s+(?:the\s+)?(?:past|last)\s+(?:few\s+)?(?:days|weeks|months|years)\b"
    rf"|منذ\s+\S+(?:\s+\S+)?|في\s+(?:شهر\s+)?\S+\s+(?:19|20)\d\d|(?:يوم|أمس)\s*\S*", re.IGNORECASE)
_BACKGROUND_WORDS = re.compile(r"\bhad\s+(?:also\s+)?(?:defected|deserted)|\blast\s+year\b|\byears\s+ago\b|\bso\s+far\b|\bto\s+date\b|\bin\s+total\b"
                               r"|\bover\s+the\s+(?:past|last)\b|\bin\s+recent\s+(?:months|years)\b", re.IGNORECASE)
_NAME = re.compile(r"\s+((?:(?:al|el|bin|ibn|abu|abdul)[- ])?[A-Z][\w'’-]+(?:\s+(?:(?:al|el|bin|ibn|abu|abdul)[- ])?[A-Z][\w'’-]+){0,2})")
_NOT_NAME = {"Army", "Forces", "The", "And", "Of", "In", "On", "Who", "Said", "Has", "Had", "Was", "Syrian"}
# a defection word that reports no defection: denied, invited, urged, "has not defected"
_NOT_EVENT = re.compile(r"(?:\bdeni(?:ed|es)\b|\bdeny\b|\bnot\s+(?:\w+\s+)?$|\bnever\s+$|n't\s+(?:\w+\s+)?$"
                        r"|\bto\s+$|\bwould\s+welcome\b|\burged?\b|\bpressure\b|نفت|نفى|ينفي)[^.]*$", re.IGNORECASE)
_INCLUDING = re.compile(r"^[\s,]*(?:including|among\s+them)\s+", re.IGNORECASE)


@dataclass(slots=True)
class Defection:
    person: str | None = None        # display name when named
    entity_id: str | None = None     # etl/extract/people.py key of that person, when it found them
    rank: str | None = None          # normalised (see RANKS)
    count: int | None = None         # people: 1 for a named person; stated or estimated otherwise
    approximate: bool = False        # "approximately 20", "dozens", "some 40"
    from_side: str | None = None     # army | police | government | rebel group
    to_side: str | None = None       # rebel group | government | ... when stated ("joined the FSA")
    destination: str | None = None   # ISO 3166-1 alpha-2 of the country they went to
    when_text: str | None = None     # the time phrase as written ("in August 2012", "on Saturday")
    is_background: bool = False      # a recap of earlier defections, not the story's news
    evidence: list[Evidence] = field(default_factory=list)   # the sentences it came from

    def as_row(self) -> dict:
        return {k: getattr(self, k) for k in ("person", "entity_id", "rank", "count", "approximate",
                                               "from_side", "to_side", "destination", "when_text",
                                               "is_background", "evidence")}


def _rank_name(m: re.Match) -> tuple[str, bool]:
    for key, value in m.groupdict().items():
        if value is not None:
            _, rank, military = RANKS[int(key[1:])]
            return rank, military
    raise ValueError(m)


def normalise_rank(title: str | None) -> str | None:
    """A person's title as found by the people extractor ("former Syrian premier") as a rank."""
    if not title:
        return None
    m = _RANK.search(title)
    return _rank_name(m)[0] if m else None


def _side_of(text: str) -> str | None:
    low = text.lower()
    for pattern, side in _SIDES:
        if re.fullmatch(pattern, low, re.IGNORECASE) or re.search(rf"(?:^|\W)(?:{pattern})(?:\W|$)", low):
            return side
    return None


def _side_of_rank(rank: str, military: bool) -> str:
    return "rebel group" if rank == "fighter" else "police" if rank == "police officer" else \
        "army" if military else "government"


def _year(text: str | None) -> int | None:
    m = re.search(r"(?:19|20)\d\d", text or "")
    return int(m.group(0)) if m else None


_POSTED = re.compile(r"(?:ambassador|envoy|consul|diplomat|charg[ée] d'affaires|embassy|سفير\S*)\s+(?:\S+\s+)?$",
                     re.IGNORECASE)


def _destination(sentence: str) -> re.Match | None:
    """The first "to Jordan" of a sentence that is not a posting ("ambassador to Iraq")."""
    for m in DESTINATION.finditer(sentence):
        if not _POSTED.search(sentence[max(0, m.start() - 30):m.start()]):
            return m
    return None


def _sentence_facts(sentence: str, published_year: int | None) -> dict:
    dest = _destination(sentence)
    when = WHEN.search(sentence)
    to_side = TO_SIDE.search(sentence)
    from_side = FROM_SIDE.search(sentence)
    when_text = when.group(0) if when else None
    recap = _BACKGROUND_WORDS.search(sentence)
    # "said that he had defected" is reported speech, not a recap
    background = bool(recap) and not re.search(r"\b(?:said|says|announced|told|declared)\b[^.]{0,60}$",
                                               sentence[:recap.start()], re.IGNORECASE)
    if when_text and re.match(r"on\s|yesterday|today|this|earlier\s+this|يوم|أمس", when_text, re.IGNORECASE):
        background = background and not recap.group(0).lower().startswith(("so far", "to date"))
    if when_text:
        year = _year(when_text)
        if when_text.lower().startswith(("since", "منذ")) or (year and (published_year is None or year < published_year)):
            background = True
    return {
        "destination": COUNTRIES[(dest.group("c") or dest.group("ac")).lower()] if dest else None,
        "when_text": when_text,
        "to_side": _side_of(to_side.group("s")) if to_side else None,
        "from_side": _side_of(from_side.group("s") or from_side.group("as") or "") if from_side else None,
        "is_background": background,
    }


def _count_before(sentence: str, start: int) -> tuple[int | None, bool]:
    """The number heading a rank phrase: "approximately 20 [Syrian] soldiers", "dozens of officers"."""
    head = sentence[max(0, start - 60):start]
    found = [n for n in numbers(head)]
    if not found:
        return None, False
    n = found[-1]
    between = head[n.end:]
    if re.fullmatch(r"\s+(?:of\s+)?(?:(?:the|senior|junior|high-ranking|low-ranking|top|syrian|army|military"
                    r"|regime|government|more|other|mostly|sunni|alawite|\w+-ranking|security|police"
                    r"|defected|defecting|deserting|former|of\s+his|of\s+their|[A-Z][\w-]+)\s+){0,3}",
                    between, re.IGNORECASE) or between.strip() == "":
        return n.value, n.approximate
    return None, False


def _title_case(sentence: str) -> bool:
    """A headline in Title Case, where capitals do not mark names."""
    words = re.findall(r"[A-Za-z][\w'’-]*", sentence)
    return len(words) >= 4 and sum(w[0].isupper() for w in words) > 0.7 * len(words)


_AR_NAME = re.compile(r"\s+((?:[\u0621-\u064A]+)(?:\s+[\u0621-\u064A]+){0,2})")
_AR_NOT_NAME = {"عن", "من", "في", "إلى", "الى", "على", "مع", "و", "يوم", "الذي", "التي", "بعد", "قبل", "أمس"}


_APPOSITION = re.compile(r"(?:\s+(?:to|in)\s+(?:the\s+)?(?:[A-Z][\w-]*\s?){1,3})?,\s+((?:(?:al|el|bin|abu|abdul)[- ])?"
                         r"[A-Z][\w'’-]+(?:\s+(?:(?:al|el|bin|abu|abdul)[- ])?[A-Z][\w'’-]+){1,2}),")


def _name_after(sentence: str, end: int) -> str | None:
    """The name after a singular rank: "Brigadier General Mohammed Khalouf", or in apposition:
    "Syria's ambassador to Iraq, Nawaf al-Fares, announced..."."""
    name = _name_right_after(sentence, end)
    if name is None and not _title_case(sentence):
        m = _APPOSITION.match(sentence, end)
        if m and not DEFECT.search(m.group(1)):
            name = m.group(1)
    return name


def _name_right_after(sentence: str, end: int) -> str | None:
    if re.match(r"\s+[\u0621-\u064A]", sentence[end:end + 2]):
        m = _AR_NAME.match(sentence, end)
        words = []
        for w in m.group(1).split() if m else []:
            if w in _AR_NOT_NAME or DEFECT.fullmatch(w) or (w.startswith("و") and words):
                break
            words.append(w)
        return " ".join(words) if len(words) >= 2 and not words[0].startswith("ال") else None
    m = _NAME.match(sentence, end)
    if not m or _title_case(sentence) or DEFECT.match(m.group(1)):
        return None
    words = [w for w in m.group(1).split() if w not in _NOT_NAME]
    if not words or words[0] != m.group(1).split()[0]:
        return None
    return " ".join(words)


# the first words of RANKS: _RANK is tried only where a word is one of them (trying it at every
# position of a sentence cost ~0.3 ms)
_RANK_FIRST = frozenset(
    "brigadier brig major maj lieutenant lt first general generals gen colonel colonels col majors captain captains "
    "capt lieutenants sergeant sergeants pilot pilots army military security intelligence officer officers soldier "
    "soldiers troops conscript conscripts servicemen recruits members men policeman policemen police fighter "
    "fighters militants rebels jihadists prime premier premiers deputy minister ministers ambassador ambassadors "
    "envoy envoys charge chargé diplomat diplomats consul consuls mps lawmaker lawmakers parliamentarian "
    "parliamentarians member commander commanders governor governors judge judges".split())
_AR_RANK_STEMS = ("العميد", "اللواء", "العقيد", "المقدم", "الرائد", "النقيب", "الملازم", "ضباط", "ضابط", "جنود",
                  "جندي", "عسكري", "العسكري", "الجنود", "طيار", "رئيس", "وزير", "سفير", "السفير", "دبلوماسي",
                  "مقاتل", "مسلحين")
_WORDS = re.compile(r"[\w\u0600-\u06FF]+")


def _rank_matches(sentence: str):
    last = -1
    for w in _WORDS.finditer(sentence):
        if w.start() < last:
            continue
        word = w.group(0)
        if word.lower() in _RANK_FIRST or word.startswith(_AR_RANK_STEMS):
            m = _RANK.match(sentence, w.start())
            if m:
                last = m.end()
                yield m


_Mention = tuple[int, int, str, bool, int | None, bool, str | None]


def _mentions(sentence: str) -> list[_Mention]:
    """Rank phrases of a sentence that stand for defectors: (start, end, rank, military, count,
    approximate, name)."""
    out = _rank_phrases(sentence)
    verbs = _event_verbs(sentence)
    last_verb = verbs[-1].start() if verbs else -1
    arabic = bool(re.search(r"[\u0621-\u064A]", sentence))     # verb first: the subject follows it
    kept: list[_Mention] = []
    for i, mention in enumerate(out):
        nxt = out[i + 1] if i + 1 < len(out) else None
        if not _stands_for_defectors(sentence, mention, nxt, kept, last_verb, arabic):
            continue
        kept.append(mention)
    return kept


def _rank_phrases(sentence: str) -> list[_Mention]:
    """Every rank phrase on word boundaries, with its count and the name after it; a commander
    with neither is left out ("screened by rebel commanders": the ones who speak or act)."""
    out = []
    for m in _rank_matches(sentence):
        if m.start() > 0 and (sentence[m.start() - 1].isalnum() or sentence[m.start() - 1] == "-"):
            continue
        if m.end() < len(sentence) and sentence[m.end()].isalnum() and not m.group(0)[-1:].isspace():
            continue
        rank, military = _rank_name(m)
        plural = _plural_rank(m.group(0))
        count, approx = _count_before(sentence, m.start())
        name = None if plural else _name_after(sentence, m.end())
        if count is None and not plural:
            count = 1
        if rank == "commander" and name is None and count is None:
            continue
        out.append((m.start(), m.end(), rank, military, count, approx, name))
    return out


def _plural_rank(word: str) -> bool:
    return (word.lower().endswith(("s", "troops", "servicemen", "policemen", "men", "forces", "military", "army"))
            and not word.endswith(".") and not word.lower().endswith("affaires")) or word in (
            "جنود", "الجنود", "عسكريين", "العسكريين", "ضباط")


def _event_verbs(sentence: str) -> list[re.Match]:
    """Defection words that report an event (not "refused to defect", "calls for defections")."""
    return [v for v in DEFECT.finditer(sentence) if not _NOT_EVENT.search(sentence[max(0, v.start() - 50):v.start()])]


def _stands_for_defectors(sentence: str, mention: _Mention, nxt: _Mention | None, kept: list[_Mention],
                          last_verb: int, arabic: bool) -> bool:
    """Whether a rank phrase names defectors, not a part of the next figure, an actor after the
    verb, a description of the defector just named, or a negated group."""
    start, end = mention[0], mention[1]
    before = sentence[max(0, start - 40):start]
    # "dozens of officers including some 40 generals": the more specific figure stands
    if nxt and re.match(r"\s*,?\s*(?:including|among\s+them)\b", sentence[end:nxt[0]], re.IGNORECASE):
        return False
    if start > last_verb and not arabic and not _defector_after_verb(sentence, before, start):
        return False
    # "the most senior diplomat", "a retired air force officer": a description, not another defector
    if re.search(r"\bthe\s+(?:most\s+\w+|\w+est|first|second|third|latest|only)\s+(?:\w+\s+)?$", before, re.IGNORECASE) \
            or (kept and kept[-1][6] and re.search(r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}$", before)):
        return False
    # "no soldiers had defected"
    return not re.search(r"\b(?:no|any|not)\s+(?:\w+\s+)?$", before, re.IGNORECASE)


def _defector_after_verb(sentence: str, before: str, start: int) -> bool:
    """The defectors come before the verb; after it only "defected soldiers", "with 15 of his
    men", "defection of ..."."""
    adjective = re.search(r"\b(?:defected|defecting|deserting|deserted)\s+$", before, re.IGNORECASE)
    return bool(adjective) or bool(
        re.search(r"\bwith\s+(?:\S+\s+){0,4}$|\bdefections?\s+of\s+(?:the\s+)?(?:\S+\s+){0,2}$", before,
                  re.IGNORECASE) and re.search(DEFECT, sentence[max(0, start - 70):start]))


def defections(doc: Doc, entities: list[Entity] | tuple = (), published_year: int | None = None) -> list[Defection]:
    """The defection events the article reports, in reading order."""
    people = [e for e in entities if e.kind == "person"]
    events: list[Defection] = []
    by_person: dict[str, Defection] = {}
    for field_name, text in (("title", doc.title), ("body", doc.body)):
        if not text:
            continue
        for lo, hi in TRIGGER.sentences(text):
            verbs = _event_verbs(text[lo:hi])
            if not verbs:
                continue
            for d in _sentence_defections(people, field_name, text, lo, hi, verbs, published_year):
                _record(events, by_person, d)
    _settle_ranks(events, people)
    return _fold_unnamed(events)


def _sentence_defections(people: list[Entity], field_name: str, text: str, lo: int, hi: int,
                         verbs: list[re.Match], published_year: int | None) -> list[Defection]:
    """The defections of the sentence text[lo:hi]: its rank phrases, then the people near a
    defection word that no rank phrase named."""
    sentence = text[lo:hi]
    named_here = _subjects(people, field_name, text, lo, hi, verbs)
    facts = _sentence_facts(sentence, published_year)
    evidence = Evidence(field_name, lo, hi, sentence, text)
    found: list[Defection] = []
    for start, end, rank, military, count, approx, name in _mentions(sentence):
        entity = _mentioned_person(people, name, count, field_name, text, lo, end)
        person = entity.name if entity else name
        d = Defection(person=person, entity_id=entity.entity_id if entity else None, rank=rank,
                      count=1 if person else count, approximate=False if person else approx,
                      from_side=facts["from_side"] or _side_of_rank(rank, military),
                      to_side=facts["to_side"], destination=facts["destination"],
                      when_text=facts["when_text"],
                      is_background=facts["is_background"] or _stock(sentence, verbs, start),
                      evidence=[evidence])
        found.append(d)
    for e in named_here:
        if not any(d.entity_id == e.entity_id or (d.person and (d.person in e.name or e.name in d.person))
                   for d in found):
            found.append(Defection(person=e.name, entity_id=e.entity_id, rank=normalise_rank(e.title),
                                   count=1, from_side=facts["from_side"], to_side=facts["to_side"],
                                   destination=facts["destination"], when_text=facts["when_text"],
                                   is_background=facts["is_background"], evidence=[evidence]))
    return found


def _mentioned_person(people: list[Entity], name: str | None, count: int | None, field_name: str,
                      text: str, lo: int, end: int) -> Entity | None:
    """The person a rank phrase (ending at sentence offset `end`) names: by the name after it, or
    for a single defector, the person found right after it."""
    if name:
        return next((e for e in people if name in e.name or e.name in name
                     or e.name.split()[-1] == name.split()[-1]), None)
    if count == 1:
        # "General Khalouf" found by the people extractor, or in apposition:
        # "Syria's ambassador to Iraq, Nawaf al-Fares, announced..."
        return next((e for e in people for ev in e.evidence
                     if ev.field == field_name and lo + end <= ev.start <= lo + end + 2
                     or ev.field == field_name and lo + end <= ev.start <= lo + end + 30
                     and re.fullmatch(r"(?:\s+(?:to|in)\s+(?:the\s+)?[\w\s]+?)?,\s+",
                                      text[lo + end:ev.start])), None)
    return None


def _stock(sentence: str, verbs: list[re.Match], start: int) -> bool:
    """"camps shelter several hundred defected officers": only an adjective says defected, so
    this is a tally of earlier defections, not a new one."""
    return all(v.end() <= start and not sentence[v.end():start].strip()
               and v.group(0).lower() in ("defected", "defecting", "deserted", "deserting") for v in verbs)


def _record(events: list[Defection], by_person: dict[str, Defection], d: Defection) -> None:
    """Adds a defection, or merges it into the one of the same person found earlier."""
    key = d.entity_id or (d.person.lower() if d.person else None)
    if key and key in by_person:
        _merge(by_person[key], d)
        return
    events.append(d)
    if key:
        by_person[key] = d


def _subjects(people: list[Entity], field_name: str, text: str, lo: int, hi: int, verbs) -> list[Entity]:
    """People of the sentence near a defection word: up to 80 characters before it, or 40 after
    ("reporting the defection to ensure that Khalouf..."); a possessive ("Assad's regime") is not one."""
    out = []
    for e in people:
        for ev in e.evidence:
            if (ev.field != field_name or not lo <= ev.start < hi or text[ev.end:ev.end + 2] in ("'s", "’s")
                    or text[max(0, ev.start - 5):ev.start].lower().endswith(("anti-", "pro-"))
                    or re.search(r"\b(?:of|to|with|by|against|for|from)\s+$", text[max(0, ev.start - 9):ev.start])):
                continue
            if any(-40 <= (ev.start - lo) - v.end() <= 40 or 0 <= v.start() - (ev.end - lo) <= 80 for v in verbs):
                out.append(e)
                break
    return out


def _merge(into: Defection, other: Defection) -> None:
    for name in ("destination", "to_side", "when_text"):
        if getattr(into, name) is None:
            setattr(into, name, getattr(other, name))
    if other.rank and (into.rank is None or SPECIFIC.get(other.rank, -1) > SPECIFIC.get(into.rank, -1)):
        into.rank = other.rank
    into.is_background = into.is_background and other.is_background
    into.evidence.extend(e for e in other.evidence if e not in into.evidence)


def _settle_ranks(events: list[Defection], people: list[Entity]) -> None:
    """A named defector's rank is the most specific one the article gives them anywhere
    ("General Mohammed Khalouf" in one sentence, "Brigadier General Mohammed Khalouf" in another)."""
    for d in events:
        entity = next((e for e in people if e.entity_id == d.entity_id), None) if d.entity_id else None
        rank = normalise_rank(entity.title) if entity else None
        if rank and (d.rank is None or SPECIFIC.get(rank, -1) >= SPECIFIC.get(d.rank, -1)):
            d.rank = rank
        if d.person and d.rank in SPECIFIC:
            d.from_side = d.from_side or "army"


def _fold_unnamed(events: list[Defection]) -> list[Defection]:
    """An unnamed, single, current military defector ("a high-ranking officer") is the one named
    military defector of the story's news, when there is exactly one."""
    named = [d for d in events if d.person and not d.is_background and d.rank in SPECIFIC]
    if len(named) != 1:
        return events
    target = named[0]
    out = []
    for d in events:
        if (d is not target and d.person is None and d.count == 1 and not d.is_background
                and d.rank in ("officer", "general", "commander") or (d is not target and d.person is None
                and d.count == 1 and not d.is_background and d.rank == target.rank)):
            target.destination = target.destination or d.destination
            target.when_text = target.when_text or d.when_text
            target.evidence = sorted(d.evidence + target.evidence, key=lambda e: (e.field != "title", e.start))
            continue
        out.append(d)
    return out
