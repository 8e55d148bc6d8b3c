"""Places in an article: every gazetteer place named, its role, and what the story is about.

Latin-script names are found by their folding key (etl.gazetteer.fold): each run of capitalised
words is split into the longest spans the gazetteer knows, so "Dayr az Zawr", "Deir Ezzor" and
"DEIR EZ-ZOR" are one place without a list of spellings; runs repeat across articles and their
result is remembered. Arabic-script names are found by one Aho-Corasick pass (ahocorasick_rs)
over the exact names, with or without a one-letter proclitic (و ب ل ف ك). Names are matched
with their capitalisation ("Turkey", not "turkey"). A town's name too short or too common a word
to match anywhere (its DESIGNATED key: "Obo", "Ye") is read only where the text calls it a place
("Obo town", "Ye Township") and nothing else places the story in its country.

Then, in Python on the few hits: context vetoes ("Jordan River", "Baghdad Street", "the US
dollar", "President Assad"), namesake resolution by the other places in the story and its
dateline (Tripoli in Lebanon or Libya, Al Bayda in Yemen or Libya), small places abroad only
when the text calls them places or names their country, and the story's country and region,
where an actor's nationality ("Turkish warplanes", "Saudi-led coalition") counts little.

Over 500 lines because the steps above share one finder's state (the automaton, the gazetteer,
the story's places so far) and each is short; split across modules they would pass that state
around or reach into each other's internals.
"""
from __future__ import annotations

import functools
import math
import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

import ahocorasick_rs

from etl.gazetteer import (DESIGNATED, DESIGNATORS, FOCUS_COUNTRIES, LOOSE_MIN, SHORT_KEY, STRICT, Gazetteer, Place,
                            fold, load, strict)
from etl.model import Doc, Evidence, PlaceMention

PEOPLE_FILE = Path(__file__).resolve().parents[1] / "data" / "people.toml"
FIELDS = ("title", "caption", "body")
FIELD_WEIGHT = {"title": 3.0, "caption": 1.0, "body": 1.0}
DEMONYM_WEIGHT = 0.5
ACTOR_WEIGHT = 0.1         # "Turkish warplanes", "Saudi-led coalition", "US forces": who acted, not where
QUALIFIED_WEIGHT = 1.5     # "Mambéré-Kadéï prefecture", "Idlib province": the region named as one
LOCATED_WEIGHT = 1.5       # "in Yemen", "near Afrin": where it happened
DATELINE_WEIGHT = 0.3
LEAD_WEIGHT = 2.0          # an occurrence in the first LEAD_CHARS of the body
LEAD_CHARS = 400
PLACE_WEIGHT = 2.0         # a city or region, towards its country
CAPITAL_WEIGHT = 0.5       # a national capital towards its country: often it stands for the government
MAX_NAME_WORDS = 6
LOOSE_VILLAGE = 7          # letters of a key below which a village is not found by its loose key
TITLE_REGION_CUT = 2 / 3   # of a headline's whole region against a town the body places elsewhere
EXACT_BONUS = 0.5          # a namesake spelt as the text is, over those only its folding key finds
REGION_EXACT_BONUS = 1.5   # and more for a first-level region so spelt: "Borno" is Nigeria's state, not
                           # Germany's Borna, which only its folding key finds
SMALL_PLACE = 100_000      # a town smaller than this needs its country not contradicted by the story
MID_PLACE = 300_000        # one smaller than this abroad needs its country named by more than itself
CHUNK_CACHE_SIZE = 200_000
ARABIC_PROCLITICS = "وبلفك"

# Following / preceding words that mean the name is not the place (by folded key).
VETO_NEXT = {fold(k): v for k, v in {
    "Jordan": {"River", "river", "Valley", "valley"},
    "Georgia": {"Tech"},
    "Aleppo": {"soap", "pepper"},
}.items()}
VETO_PREV = {fold(k): v for k, v in {"Jordan": {"River", "river", "Michael"}}.items()}
# A name followed by one of these is a street, an institution or an outlet named after the place
# ("Baghdad Street in Damascus", "Damascus University", "Al Mayadeen TV", "the US dollar").
NOT_THE_PLACE_NEXT = frozenset({
    "Street", "street", "St", "Road", "road", "Avenue", "avenue", "Boulevard", "boulevard", "Hotel", "hotel",
    "University", "university", "Club", "club", "FC", "Stadium", "stadium", "TV", "channel", "Channel",
    "television", "Television", "Times", "Post", "Herald", "Tribune", "Gazette", "Today", "dollar", "dollars",
    "Dollar", "Dollars", "pound", "pounds", "lira", "dinar", "dinars", "riyal", "rial", "Airways", "Airlines",
    "Bank", "Bank's", "Mall", "mall", "Agreement", "Accords", "Accord", "Process", "process", "talks", "Talks",
    "Convention", "Declaration", "Pepper", "pepper", "soap",
})
# A name followed by one of these is a river's ("Barada valley", "Yarmouk Basin", "Sajur River").
RIVER_NEXT = frozenset({"River", "river", "Valley", "valley", "Basin", "basin"})
# A small town's name that speaks is a person's surname ("Kurdi said", "al-Omari said"), unless
# a place cue stands before it ("activists in Zamalka said").
SPEAKING = frozenset({"said", "says", "told", "added", "stated", "explained", "recalled", "asked"})
# Plural articles: "Los Zetas" is a plural, never "Zeta's".
PLURAL_ARTICLES = frozenset({"Los", "Las", "los", "las", "Les", "les", "the", "The"})
# A title before a name makes it a person's ("President Assad", "General Hama").
NOT_THE_PLACE_PREV = frozenset({"Mr", "Mrs", "Ms", "Dr", "President", "General", "Gen", "Colonel", "Col",
                                "King", "Queen", "Prince", "Minister", "Brigadier", "Major", "Captain",
                                "Lieutenant", "Imam", "Saint", "St", "Ayatollah"})
# Words after or before a name that call it a settlement ("Obo town", "the village of Ye").
SETTLEMENT_NEXT = frozenset({"town", "village", "township", "city", "district", "Town", "Village", "Township",
                             "City", "District", "sub-prefecture", "Sub-Prefecture", "locality", "area"})
SETTLEMENT_BEFORE = ("town of ", "village of ", "city of ", "township of ", "locality of ")
# And for a name keyed only where the text calls it a place, words that say where something is.
DESIGNATED_BEFORE = SETTLEMENT_BEFORE + ("near ", "outskirts of ")
# ... and words after it that call it a place, though not a town of its own ("Los Ramírez
# community", "Pinos municipality", a place the text means; "Rancho Nuevo community" under a
# headline's town is as often a hamlet of that town).
DESIGNATED_NEXT = SETTLEMENT_NEXT | {"community", "Community", "municipality", "Municipality", "commune", "Commune"}
# Armed groups and missions that fight or serve mostly in one country, as reporting writes them:
# the story's country where it names no place the gazetteer knows (its village is unknown).
# Only names no other thing goes by in news ("SDF" is also Japan's Self-Defense Forces, but
# never where a story names no place at all is it likelier); groups active across borders
# (Hezbollah, the PKK, JNIM, Islamic State, Boko Haram and ISWAP around Lake Chad) are left out.
ARMED_GROUPS = {
    "SY": ("Syrian Democratic Forces", "SDF", "YPG", "Hayat Tahrir al-Sham", "Hayyaat Tahrir al-Sham",
           "Hay'at Tahrir al-Sham", "Tahrir al-Sham", "HTS", "Jabhat al-Nusra", "Jabhat Fateh al-Sham",
           "Nusra Front", "al-Nusra", "Nusra", "Ahrar al-Sham", "Jaysh al-Islam", "Jaish al-Islam", "Faylaq al-Rahman",
           "Rahman Corps", "Free Syrian Army", "Syrian Arab Army", "Jaysh Khalid Ibn al-Walid",
           "Jaysh Khaled Ibn Al-Waleed", "Jaish al-Fatah", "Jaysh al-Fateh"),
    "MM": ("Tatmadaw", "Arakan Army", "Kachin Independence Army", "Karen National Union", "KNU", "KNLA",
           "Ta'ang National Liberation Army", "TNLA", "DKBA", "People's Defence Force"),
    "CF": ("Seleka", "Séléka", "anti-Balaka", "Anti-Balaka", "anti-balaka", "FPRC", "MINUSCA"),
    "MX": ("CJNG", "Jalisco New Generation Cartel", "Cártel Jalisco Nueva Generación", "Los Zetas",
           "Gulf Cartel", "Cártel del Golfo", "Beltrán Leyva"),
    "SO": ("al-Shabaab", "Al-Shabaab", "Al Shabaab", "al-Shabab", "AMISOM"),
    "YE": ("Houthi", "Houthis", "Ansar Allah"), "AF": ("Taliban",), "PS": ("Hamas",), "ET": ("TPLF",),
    "SD": ("Rapid Support Forces",), "CD": ("M23", "MONUSCO"), "ML": ("MINUSMA",), "CO": ("FARC",),
}
# The same names for one Aho-Corasick pass (with the Arabic article capitalised too).
_GROUP_PATTERNS = sorted({variant for code, names in ARMED_GROUPS.items() for name in names
                          for variant in (name, name.replace("al-", "Al-"))})
_GROUP_PATTERN_COUNTRY = [next(code for code, names in ARMED_GROUPS.items()
                               if any(p in (n, n.replace("al-", "Al-")) for n in names)) for p in _GROUP_PATTERNS]
_GROUP_AUTOMATON = ahocorasick_rs.AhoCorasick(_GROUP_PATTERNS, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
GROUP_LEAD_CHARS = 2 * LEAD_CHARS
GROUP_CONTEXT = 0.5        # an armed group's country, for its namesakes, as half a country named
_GROUP_COUNTRY = {name.lower(): code for code, names in ARMED_GROUPS.items() for name in names}
# As written, but for the Arabic article's case ("Jaysh Al-Islam"); after a prefix too
# ("ex-Seleka", "Al-Rahman Corps"), and before a hyphen ("SDF-held areas").
_ARMED_GROUP = re.compile(r"(?<!\w)(?:" + "|".join(
    re.escape(n).replace("al\\-", "[Aa]l\\-") for n in sorted({n for ns in ARMED_GROUPS.values() for n in ns},
                                                            key=len, reverse=True)) + r")(?!\w)")
# Countries named by an acronym, matched as written (upper case) and never in text written all
# in capitals: "fighting in northern CAR", not "CAR BOMB KILLS FIVE" or "Car bomb".
ACRONYMS = {"CAR": "CF", "RCA": "CF", "DRC": "CD", "RDC": "CD", "KSA": "SA"}
ACRONYM_KEY = "\0acronym"
ACRONYM_LETTERS = 3        # a word of this many capitals or fewer is an acronym unless a place is so spelt
# Words that, next to a small place's name, say the text means a place.
PLACE_CUE_PREV = frozenset({"in", "near", "at", "outside", "from", "into", "towards", "toward", "around",
                            "village", "town", "city", "villages", "towns", "en", "de", "à", "a", "del",
                            "of", "to", "between", "and"})
PLACE_CUE_NEXT = frozenset({"village", "town", "city", "district", "municipality", "area", "neighborhood",
                            "neighbourhood", "camp", "governorate", "province", "state", "region", "sub-district",
                            "locality", "commune", "prefecture", "department", "township", "county", "countryside",
                            "Village", "Town", "City", "District", "Municipality", "Township", "Camp", "division",
                            "Division", "State", "Region", "Province", "Prefecture", "Governorate", "Department",
                            "sub-prefecture", "Sub-Prefecture", "tract", "Tract"})
# Capitalised words that may stand next to a place's name without making it part of another
# name (a person's, an organisation's).
GENERIC = frozenset({
    "The", "In", "On", "At", "From", "Near", "And", "But", "Of", "To", "For", "By", "With", "As", "After",
    "Before", "During", "Since", "While", "When", "Village", "Town", "City", "District", "Province",
    "Governorate", "State", "Region", "Camp", "Airport", "Countryside", "Rural", "Northern", "Southern",
    "Eastern", "Western", "North", "South", "East", "West", "Central", "Upper", "Lower", "Greater", "Old",
    "Reef", "Rif",             # "Reef Hama", the countryside of Hama
    "New", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
    "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    "Municipality", "Neighborhood", "Neighbourhood", "Quartier", "Arrondissement", "Area", "Road", "Highway",
    "Mount", "Mountain", "River",
    "Valley", "Plain", "Border", "Crossing", "Base", "Sub-district", "Subdistrict", "Township", "Prefecture",
    # Features named after a place, which are still there ("Palmyra Desert", "Homs Gap").
    "Desert", "Badia", "Steppe", "Plains", "Hills", "Hill", "Heights", "Lake", "Island", "Islands", "Coast",
    "Beach", "Bay", "Gap", "Front", "Fronts", "Axis", "Sector", "Pocket", "Enclave", "Corridor", "Outskirts",
    "Suburbs", "Bridge", "Square", "Highway", "Junction", "Division", "Department", "County", "Oblast",
})
# Words after a place's name that make an institution of that place, which is still there
# ("Damascus International Airport", "Aleppo Media Center"), not a person's name.
INSTITUTION = frozenset({"International", "Airport", "Military", "Media", "Council", "Center", "Centre",
                         "Police", "Security", "Municipality", "Governor", "Prison", "Hospital", "Museum",
                         "Citadel", "Port", "Refinery", "Dam", "Air", "Airbase", "Base", "Province",
                         "Governorate", "Countryside", "City", "Local", "Provincial", "Revolutionary"})
# Acting nouns after a country's name or demonym: the country acted; the place is elsewhere.
_ACTOR_MODIFIERS = r"(?:(?:air|armed|special|security|military|government|regime|army|naval|navy|border|coalition)\s+)?"
_ACTOR_NOUNS = (
    r"forces?|troops|army|soldiers?|jets?|warplanes?|war\s?planes|aircraft|planes|drones?|helicopters?|"
    r"gunships?|artillery|tanks?|navy|military|police|officials?|government|authorities|president|ministry|"
    r"minister|embassy|militias?|fighters|coalition|strikes?|air\s?strikes?|raids?|missiles?|rockets?|"
    r"shelling|bombardment|gunboats?|intelligence|commandos|mercenaries|advisers|advisors|contractors|"
    r"diplomats?|envoy|delegation|spokes(?:man|woman|person)|media|state\s+media|news\s+agency|defen[cs]e|"
    r"peacekeep(?:ers?|ing)|blue\s+helmets|intervention|contingents?|battalions?|legionnaires?|paratroopers?|"
    r"marines|gendarmes?|gendarmerie")
_ACTOR_PARTICIPLES = r"led|backed|based|made|brokered|sponsored|supported|trained|allied|owned"
_ACTOR_LINKED = r"loyal|aligned|affiliated|funded"
_ACTOR_AGREED = (
    # What two powers agree on or run in a third country ("the Russian – Turkish truce",
    # "the Turkish guarantor", "Turkish patrols", "the Turkish military operation").
    r"truces?|cease-?fires?|agreements?|deals?|guarantors?|patrols?|operations?|offensives?|incursions?|"
    r"invasion|factions|proxies|allies|"
    # And its border, which the event lies across ("Thai Border East", "near the Syrian border").
    r"borders?|frontier")
ACTOR = re.compile(
    # "Russian and Syrian warplanes", "the Russian – Turkish truce", "Turkish-Russian patrols"
    r"(?:(?:,|\s+and|\s+or|/|\s?[-–—]\s?)\s*[A-Z][\w-]*\s*)?"
    rf"(?:(?:-|\s)(?:{_ACTOR_PARTICIPLES}|{_ACTOR_LINKED})\b"
    rf"|'?s?\s+{_ACTOR_MODIFIERS}(?:{_ACTOR_NOUNS}|{_ACTOR_AGREED})\b)",
    re.IGNORECASE)
# The acting nouns before this pass's additions, tried first: ACTOR itself costs more a mention
# (docs/figures.md, "Places, eleventh pass"), so it runs only where a dash follows the name or
# one of its added words does ("the Turkish guarantor", "Turkey's border"; not "Russian and
# Turkish patrols", which it would match).
_ACTOR_CORE = re.compile(
    r"(?:(?:,|\s+and|\s+or|/)\s*[A-Z][\w-]*\s*)?"          # "Russian and Syrian warplanes"
    rf"(?:(?:-|\s)(?:{_ACTOR_PARTICIPLES})\b"
    rf"|'?s?\s+{_ACTOR_MODIFIERS}(?:{_ACTOR_NOUNS})\b)",
    re.IGNORECASE)
_ACTOR_HINTS = ("truce", "cease", "agreement", "deal", "guarantor", "patrol", "operation", "offensive", "incursion",
                "invasion", "faction", "prox", "allies", "border", "frontier", "loyal", "aligned", "affiliated",
                "funded")


# The first three letters of every word ACTOR may read first after a space (each alternative
# starts with three letters; a few more heads, from inner alternatives, are harmless).
_ACTOR_HEADS = frozenset(re.findall(r"(?:^|\||\(\?:)([a-z]{3})", "|".join(
    ("and", _ACTOR_PARTICIPLES, _ACTOR_LINKED, _ACTOR_MODIFIERS, _ACTOR_NOUNS, _ACTOR_AGREED))))


# A country named as the agent of a passive ("a massacre carried out by Russia", "shelled by
# the regime, Russia and Turkey"): it acted; the place is elsewhere. Items of the list are
# joined by a comma or "and" ("killed by gunmen in northern Syria" names no agent Syria).
_AGENT = re.compile(r"by (?:the )?(?:[A-Za-z'’-]+(?: [A-Za-z'’-]+)?(?:, | and |, and )(?:the )?){0,4}")
AGENT_CHARS = 60           # how far before the name "by" is looked for


def _agent(text: str, start: int) -> bool:
    """Whether the country named at `start` is the agent of a passive (_AGENT): from the last
    "by " within AGENT_CHARS before it (one C-level search; most names have none), the list
    of agents reaches the name."""
    at = text.rfind("by ", start - AGENT_CHARS if start > AGENT_CHARS else 0, start)
    return (at >= 0 and not (at and text[at - 1].isalnum())
            and _AGENT.fullmatch(text, at, start) is not None)


def _actor(text: str, end: int) -> bool:
    """Whether the country or people named before `end` acts (ACTOR)."""
    sep = text[end:end + 1]
    if sep == " " or sep == "-":
        word = text[end + 1:end + 4]
        if (sep == " " and word[:2].isalpha() and word.isascii() and word[:2].lower() != "or"
                and word.lower() not in _ACTOR_HEADS):
            # The name, a space and a word of ASCII letters ("Syria said", "Iran has", not
            # "Turkey's forces" or "Russia - Turkey"): only a word one of ACTOR's alternatives
            # starts with can match ("Russia or X" aside), and each starts with three letters
            # (so "in ", "is," match none). Most names are followed by no such word, and the
            # expressions cost more.
            return False
        # "Syrian government", "Russian warplanes", "US-led": one word ACTOR reads alone (see
        # _ACTOR_WORDS) settles it, without the expressions' alternatives.
        found = _ASCII_WORD.match(text, end + 1)
        if found is not None:
            after = text[found.end():found.end() + 1]
            if not (after.isalnum() or after == "_") and found.group().lower() in (
                    _ACTOR_WORDS if sep == " " else _ACTOR_DASHED):
                return True
    elif sep not in _ACTOR_OPENINGS and not sep.isspace():
        # "Syria.", "(Iran)", the text's end: no alternative of ACTOR starts so.
        return False
    return _actor_expressions(text, end)


def _actor_expressions(text: str, end: int) -> bool:
    """_actor by the expressions: _ACTOR_CORE, then ACTOR where a dash or one of the words
    added to it follows the name."""
    if _ACTOR_CORE.match(text, end):
        return True
    head = text[end:end + 2]
    if not ("-" in head or "–" in head or "—" in head):
        at = end + 3 if text.startswith(("'s ", "’s "), end) else end + 1
        if not text[at:at + 12].lower().startswith(_ACTOR_HINTS):
            return False
    return ACTOR.match(text, end) is not None


_ASCII_WORD = re.compile(r"[A-Za-z]+")
# The characters other than spaces ACTOR can start with (its "s" matches "S" and "ſ" too).
_ACTOR_OPENINGS = frozenset(",/-–—'sSſ")


def _words_read_alone(sep: str) -> frozenset[str]:
    """The words of ACTOR's alternatives (and their singulars, plurals and closed-up forms)
    that make the name act where they follow it after `sep` and end before a character that
    is not a word's: each kept only where the expressions say so of `sep` + word + ".", which
    then holds of the word before any such character (with no space after `sep`, no
    alternative but the word's own can match)."""
    source = "|".join((_ACTOR_PARTICIPLES, _ACTOR_LINKED, _ACTOR_NOUNS, _ACTOR_AGREED)).replace(r"\s?", "")
    runs = set(re.findall(r"[a-z]+", source.replace("-?", "")))
    runs |= {w + "s" for w in runs} | {w[:-1] for w in runs if w.endswith("s")}
    runs |= {"spokesman", "spokeswoman", "spokesperson", "peacekeeper", "peacekeepers", "peacekeeping",
             "defence", "defense"}
    return frozenset(w for w in runs if _actor_expressions(f"{sep}{w}.", 0))


_ACTOR_WORDS = _words_read_alone(" ")
_ACTOR_DASHED = _words_read_alone("-")
# A neighbourhood or street named after a place ("Los Reyes neighborhood", "Casa Blanca colony"):
# the place it is named after hints at the country, and at the region only where other places
# name it too.
NAMED_AFTER = re.compile(r" (?:neighbou?rhood|colony|colonia|subdivision|fraccionamiento|street|avenue|"
                         r"boulevard|road)\b", re.IGNORECASE)
# Their first two letters, to test the word after a name cheaply before the expression.
_NAMED_AFTER_HEADS = frozenset(case(w) for w in ("ne", "co", "su", "fr", "st", "av", "bo", "ro")
                               for case in (str.lower, str.capitalize, str.upper))
NAMED_AFTER_WEIGHT = 0.5
# A long distance from a place ("200 kilometres from Ndele", "500 kilometres (300 miles) north
# of the capital Bangui"): the place measured from lies in another region, most often. A short
# one ("30 kilometers from Bouar", "à 25km de Bouar") stays in the same region, most often.
REFERENCE = re.compile(r"(?<![\d,.])(?:[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d{2,})\s*(?:km|kms|kilomet(?:er|re)s?|miles?)\b"
                       r"[^.;:\d]{0,30}?\b(?:of|from|de|du)\s+"
                       r"(?:the\s+|la\s+)?(?:(?:capital|city|town|village|ville)(?:\s+of)?,?\s+)?$",
                       re.IGNORECASE)
REFERENCE_WEIGHT = 0.25
_REFERENCE_ENDS = ("of ", "from ", "de ", "du ", "capital ", "capital, ", "city ", "town ", "village ", "ville ",
                   "the ", "la ")
# Countries where Arabic names places (Arab League members and Chad), for names written with
# the Arabic article; elsewhere only a place whose Arabic name has it ("الأهواز") is meant.
ARABIC_SPEAKING = frozenset({"SY", "IQ", "LB", "JO", "PS", "EG", "SA", "YE", "LY", "TN", "DZ", "MA", "SD", "KW",
                             "QA", "AE", "BH", "OM", "MR", "SO", "DJ", "KM", "IL", "TD", "EH"})
_ARTICLE_ENDS = tuple(f"{a}-" for a in ("al", "Al", "el", "El", "ad", "ar", "as", "az", "at", "an", "ash", "ed",
                                        "en", "es", "et", "ez"))
_THE = frozenset({"the ", "The "})
# A place across a border from the event ("the border opposite Mae Hong Son", "across the border
# from Tak Province", "the border with Thailand", "near the Thai border"): the story is on the
# other side. (Not "opposite Deir Ezzor city", a river's other bank, nor "the borders of Raqqa
# province", within them.)
ACROSS = re.compile(r"(?:border,? opposite|across the border from|borders? with|bordering)"
                    r"(?: the)?(?: (?:province|state|city|town|district) of)? $", re.IGNORECASE)
_ACROSS_ENDS = ("site ", "from ", "with ", "ring ", "the ", " of ")    # (cheap test before ACROSS)
ACROSS_WEIGHT = 0.1
LOCATED_BEFORE = (" in ", " near ", " at ", " outside ", " inside ", " across ", " into ", "In ", "Near ")
# "Xs" is read as the possessive "X's" (scraped text often drops apostrophes), except where
# "Xs" is another word: "Hamas".
NO_POSSESSIVE = frozenset({fold("Hama")})

# "Idlib province", "countryside of Hama", "rural Damascus": the governorate, not the city.
QUALIFIER_AFTER = re.compile(r"'?s? (?:[Pp]rovinces?|[Gg]overnorate|[Cc]ountryside|[Ss]tate|[Rr]egion|"
                             r"[Pp]refecture|[Dd]epartment|[Dd]ivision|[Oo]blast|[Ww]ilaya[ht]?)\b")
QUALIFIER_BEFORE = tuple(f"{w} of " for w in ("province", "Province", "governorate", "Governorate", "countryside",
                                                "Countryside", "suburbs", "outskirts", "state", "State",
                                                "region", "Region", "department", "Department", "prefecture",
                                                "Prefecture", "division", "Division")) + tuple(
    f"{w} {link} " for w in ("estado", "Estado", "departamento", "Departamento", "provincia", "Provincia",
                             "province", "Province", "préfecture", "Préfecture", "région", "Région")
    for link in ("de", "del", "de la", "du", "de l'")) + (" rural ", " Rural ", "Reef ", "Rif ", "Muhafazat ",
                                                          "muhafazat ", "Wilayat ", "wilayat ")
_QUALIFIER_BEFORE_ENDS = tuple(q.rstrip() for q in QUALIFIER_BEFORE)
# The first four letters of each designator QUALIFIER_AFTER reads after a space: a name
# followed by a space and no such letters needs no look at the expression ("Aleppo said",
# "Idlib city", "Homs countryside" does).
_QUALIFIER_HEADS = frozenset(case(w) for w in ("prov", "gove", "coun", "stat", "regi", "pref", "depa", "divi",
                                               "obla", "wila") for case in (str.lower, str.capitalize))
# Designators of a first-level region: a name that ends or starts with one means the region
# ("Rakhine State", "Estado de Guerrero"); "Maungdaw District" or "Bouca Sub-Prefecture" do not.
FIRST_LEVEL = frozenset({"province", "provincia", "governorate", "gouvernorat", "muhafazah", "muhafazat",
                         "muhafaza", "mohafazat", "wilayah", "wilayat", "vilayet", "state", "estado", "region",
                         "regione", "regiao", "région", "región", "division", "department", "departement",
                         "département", "departamento", "prefecture", "préfecture", "prefectura", "oblast",
                         "ostan"})
_DESIGNATOR_TOKENS = DESIGNATORS | FIRST_LEVEL | {"sub", "sous"}
NEXT_WORD = re.compile(r"[ ,]*(\S+)")
_HAS_DIGIT = re.compile(r"\d")
# Between a town and the region the text places it in: "Guadalupe, Zacatecas", "Magdalena town,
# Sonora".
APPOSITION = re.compile(r"(?: (?:town|city|village|municipality|municipio|township|community|locality))?, ")
_SURROGATE = re.compile("[\ud800-\udfff]")

def _ranges(codes: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted code points as (first, last + 1) runs."""
    out: list[tuple[int, int]] = []
    for c in codes:
        if out and out[-1][1] == c:
            out[-1] = (out[-1][0], c + 1)
        else:
            out.append((c, c + 1))
    return out


# A run of capitalised words, with the articles and particles names are written with
# ("Deir ez-Zor", "Jisr al-Shughour", "Ciudad de México", "Gulf of Aden"); a leading "al-" is
# left out (the folding key drops it anyway). No \b: it doubles the scan's cost, and a run that
# starts inside a word ("McDonald") is skipped in Python instead. ASCII text, most of it, is
# scanned with ASCII capitals.
_JOIN = r"(?:al|el|ad|ar|as|az|at|an|ash|ed|en|es|et|ez|de|del|la|las|los|le|du|des|di|da|do|dos|of|bin|ibn|y)"
_CHUNK_ASCII = re.compile(rf"[A-Z][\w']*(?:[ -](?:{_JOIN}[ -])?[A-Z][\w']*)*")
# The capital letters of the Latin script, pre-composed ones with diacritics included ("Ḩamāh",
# "Ḑayr az Zawr", "Şırnak", "Ǧ"): its blocks' upper- and title-case letters, as ranges. (Letters
# of other scripts start no run: the folding key keys Latin-script names only.)
_LATIN_BLOCKS = ((0xC0, 0x250), (0x1E00, 0x1F00), (0x2C60, 0x2C80), (0xA720, 0xA800), (0xFF21, 0xFF3B))
_CAP = "A-Z" + "".join(f"{chr(a)}-{chr(b - 1)}" if b - a > 1 else chr(a) for a, b in _ranges(
    c for lo, hi in _LATIN_BLOCKS for c in range(lo, hi) if unicodedata.category(chr(c)) in ("Lu", "Lt")))
_CHUNK = re.compile(rf"[{_CAP}][\w'’]*(?:[ \-‐](?:{_JOIN}[ \-‐])?[{_CAP}][\w'’]*)*")
_TOKEN = re.compile(r"[\w'’]+")
_JOIN_WORDS = frozenset(_JOIN[3:-1].split("|"))
# The rest of a name the text calls a settlement after one of its words (group 1: more
# capitalised words, with the particles names are written with), and a capitalised word just
# before a name. The words after are bounded (a settlement's name has a few): unbounded, a body
# that is one long run of capitalised names made each of its names scan to the run's end.
_SETTLEMENT_KINDS = frozenset({"city", "region"})
_SPACE_OR_HYPHEN = frozenset(" -‐")
_SETTLEMENT_AFTER = re.compile(rf"((?:[ \-‐](?:{_JOIN}[ \-‐])?[{_CAP}][\w'’]*){{0,6}}) (?:town|village|Town|Village)\b")
_CAPITALISED_BEFORE = re.compile(rf"[{_CAP}][\w'’]*[ \-‐](?:{_JOIN}[ \-‐])?$")
# A road or a highway named after the places at its ends in two countries ("the Tehran – Beirut
# road", a Syrian stretch of it; "the Baghdad – Amman highway"): the event lies along it, in
# neither end, so each end counts ROAD_ABROAD_WEIGHT. (A road between two places of one country
# lies near them, most often in their region: "the Celaya-Salvatierra highway", which the ends
# locate, so its ends keep their whole weight.)
_ROAD_WORD = (r"(?: (?:federal|main|old|new|international|national|coastal|local|dirt|ring))?"
              r" (?:[Rr]oad|[Hh]ighway|[Aa]xis|[Rr]oute|[Mm]otorway|[Ff]reeway|[Cc]arretera|[Aa]utopista)\b")
_ROAD_NAME = rf"[{_CAP}][\w'’.]*(?:[ \-‐](?:{_JOIN}[ \-‐])?[{_CAP}][\w'’.]*){{0,4}}"
_ROAD_FIRST_END = re.compile(rf" ?[-–—/] ?({_ROAD_NAME})" + _ROAD_WORD)
_ROAD_LAST_END = re.compile(_ROAD_WORD)
_ROAD_BEFORE = re.compile(rf"({_ROAD_NAME}) ?[-–—/] ?$")
_DASHES = frozenset("-–—/")
_DASH_AFTER = tuple(f"{space}{dash}" for dash in _DASHES for space in ("", " "))
_DASH_BEFORE = tuple(f"{dash}{space}" for dash in _DASHES for space in ("", " "))
ROAD_ABROAD_WEIGHT = 0.1
# Particles that never open a name: "Survivors of Ein Tarma" holds "Ein Tarma", not "of Ein"
# (a Belgian Ophain). The Arabic article may ("al-Sham" of "Tahrir al-Sham", see _glued).
_NOT_OPENING = _JOIN_WORDS - {"al", "el", "ad", "ar", "as", "az", "at", "an", "ash", "ed", "en", "es", "et", "ez"}
# Particles that join one name ("Lomas de Zumpimito"): a capitalised word after one of them
# makes the place before it part of a longer name. "of" does not ("Siege of Aleppo").
_NAME_JOINS = frozenset({"de", "del", "la", "las", "los", "le", "du", "des", "di", "da", "do", "dos", "y"})
# A name written with the Arabic article after another capitalised word ("Tahrir al-Sham",
# "Liwa al-Quds", "Fateh al-Sham") is part of that longer name, a group's or a place's the
# gazetteer does not know, even in a headline; a hyphen before the article links two places
# instead ("the Aleppo-al-Bab road"). Not "El", which is Spanish ("Jalisco El Salto").
_GLUE_ARTICLES = frozenset({"al", "Al", "el"})
_HYPHENS = ("-", "‐")
# Prefixes a hyphen joins to a name to make another one, a group's ("Anti-Balaka", a militia,
# not Malawi's Balaka; "Pro-Assad", "Ex-Seleka").
_PREFIXES = frozenset({"Anti", "ANTI", "Pro", "PRO", "Ex", "EX", "Non", "Post", "Pre", "Neo", "Pan", "Counter",
                       "Pseudo", "Semi", "Ultra", "Trans"})
# (A lower-case prefix is not in the run of capitalised words: "anti-Balaka" is read in _add.)
GLUED = 2                  # `embedded` when the name is glued by the article, not merely next to a word
DESIGNATED_SPAN = 2        # `qualified` of a span found only by its DESIGNATED key


# The first five characters after a run of capitalised words when a designator follows it (a
# first-level one, or "township", "district": see _hits): all are five letters or longer.
_DESIGNATOR_HEADS = frozenset(" " + w[:4] for w in FIRST_LEVEL | {"township", "district"})
# A name's second-level designators as written after it: the subdivision, not a town of the name.
_SECOND_LEVEL_ENDS = (" Township", " township", " District", " district")
_TOWNSHIP_ENDS = (" Township", " township")
# the look at five characters holds only while every designator is five letters or longer
assert all(len(w) >= 5 for w in FIRST_LEVEL | {"township", "district"})
_NOTHING = ((), None)      # _hits' entry of a run that names nothing


# _QUALIFIER_BEFORE_ENDS by their last two characters (_add): a text ends with one of them only
# if it ends with those two, so one dictionary look-up leaves a few to test instead of all.
_QUALIFIER_ENDS_BY_TAIL: dict[str, tuple[str, ...]] = {}
for _end in _QUALIFIER_BEFORE_ENDS:
    _QUALIFIER_ENDS_BY_TAIL[_end[-2:]] = (*_QUALIFIER_ENDS_BY_TAIL.get(_end[-2:], ()), _end)


def _glued(chunk: str, tokens: list, i: int, j: int, starts: set[int]) -> bool:
    """Whether span i..j of a run's tokens is glued into a longer name by the Arabic article:
    it starts with the article after a capitalised word that is no generic one ("Tahrir
    al-Sham"), or is a place followed by such a span ("Fateh al-Sham")."""
    def opens_glued(a: int) -> bool:
        return (0 < a < len(tokens) and tokens[a][2] in _GLUE_ARTICLES
                and chunk[tokens[a - 1][1]:tokens[a][0]] == " "
                and tokens[a - 1][2] not in GENERIC and tokens[a - 1][2][0].isupper())
    # The span may also start just after the article, which a short name's key leaves out
    # ("Ahmad al-Asmar", "Hasan Al Samar": a family name, not Asmara or Samara).
    return opens_glued(i) or opens_glued(i - 1) or j in starts and opens_glued(j)


# Names of places and regions folded while resolving, remembered: few and often repeated.
_fold = functools.lru_cache(maxsize=1 << 16)(fold)


# Per story: how often each name named its own country (by id of its Candidates), and the
# countries named as such.
Named = tuple[dict[int, float], set[str], Callable[[], set[str]]]


class Candidates(NamedTuple):
    """The places one surface form may mean, the country they all share (if they do), and
    whether the first is a city (which a qualifier such as "province" turns into its region)."""

    places: tuple[Place, ...]
    country: str | None
    city: bool
    key: str = ""
    weak: bool = False         # some namesake is a small place that needs a cue or its country
    names_country: bool = False  # a country, a demonym, or a town that names its region
    exact: tuple[int, ...] = ()  # ids of the namesakes spelt as the text is, when not all are
    town_region: str | None = None  # the region the name's towns, all in it, give their name to


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06FF"


class PlaceFinder:
    """Built once from the gazetteer; `find` and `primary` are then pure and cheap.

    Latin-script text: each run of capitalised words (one regular-expression pass) is split into
    the longest spans whose folded key (etl.gazetteer.fold) the gazetteer knows; runs repeat
    across articles, so their result is remembered. Arabic-script names are found by one
    Aho-Corasick pass over the exact names. Word boundaries, vetoes, cues and namesake
    resolution are then decided in Python on the few hits.
    """

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or load()
        arabic = [alias for alias in self.gazetteer.by_alias if _is_arabic(alias[0])]
        self._arabic = arabic
        self._automaton = ahocorasick_rs.AhoCorasick(arabic, store_patterns=False)
        self._by_key: dict[str, Candidates | None] = {}
        self._chunks: dict[str, tuple] = {}
        self._spans: dict[str, Candidates | None] = {}
        self._people = self._people_keys()
        places = self.gazetteer.places
        self._regions = {(p.country_code, p.name): p for p in places if p.kind == "region"}
        self._country_names = {p.country_code: p.name for p in places if p.kind == "country"}
        self._capitals = frozenset(p.place_id for p in places if p.capital)
        self._demonyms = {p.country_code: frozenset(p.aliases) for p in places
                          if p.place_id == f"demonym:{p.country_code}"}
        self._datelines: dict[str, tuple[Place, ...]] = {}
        self._articled: dict[int, tuple[Candidates, Candidates | None]] = {}
        self._named_regions: dict[tuple, tuple[Candidates, str | None]] = {}

    def _people_keys(self) -> frozenset[str]:
        """Folded names of the people and organisations etl/data/people.toml knows ("Putin",
        "Assad"): a town of that name is not what the text means. Names of countries and
        regions stay places."""
        data = tomllib.loads(PEOPLE_FILE.read_text(encoding="utf-8"))
        keys = set()
        for kind in ("person", "org"):
            for entry in data.get(kind, []):
                for alias in {entry["name"], *entry.get("aliases", [])}:
                    key = fold(alias)
                    found = self.gazetteer.by_fold(key) if key else None
                    if found and not any(p.kind in ("country", "region", "demonym") for p in found):
                        keys.add(key)
        return frozenset(keys)

    @staticmethod
    def _prune(places: list[Place], key: str = "") -> Candidates:
        """Namesakes for one surface form, less a region when a city of the same name lies in it
        ("Homs" is the city, which implies the region) and is believed on its own (a small
        town of the name, as Uruzgan's, would leave its province unbelieved)."""
        cities = {(p.country_code, p.region) for p in places if p.kind == "city" and p.strong}
        kept = tuple(p for p in places if not (p.kind == "region" and (p.country_code, p.name) in cities))
        codes = {p.country_code for p in kept if p.strong}
        if len(codes) > 1:
            # A country's name names that country, whatever villages share it ("Burma" in
            # Jordan, "El Borma" in Tunisia): the country wins their resolution anyway.
            nations = {p.country_code for p in kept if p.kind == "country"}
            if len(nations) == 1:
                codes = nations
        return Candidates(kept, next(iter(codes)) if len(codes) == 1 else None,
                          bool(kept) and kept[0].kind == "city", key, any(not p.strong for p in kept),
                          bool(kept) and _names_country(kept[0]), town_region=_town_region(kept, key))

    # -- matching -------------------------------------------------------------------------

    def _candidates(self, key: str) -> Candidates | None:
        found = self._by_key.get(key, False)
        if found is False:
            places = self.gazetteer.by_fold(key)
            found = self._by_key[key] = self._prune(places, key) if places else None
        return found

    def _named(self, text: str, key: str) -> Candidates | None:
        """The places `text` names by its folding key `key` and, when that key is short, by its
        STRICT key too: a short name abroad is keyed as written (etl.gazetteer.SHORT_KEY)."""
        if len(key) > SHORT_KEY:
            return self._candidates(key)
        exact = STRICT + strict(text)
        both = key + "\t" + exact
        if both in self._by_key:
            return self._by_key[both]
        places = list(self.gazetteer.by_fold(key) or ())
        seen = {id(p) for p in places}
        places += [p for p in self.gazetteer.by_fold(exact) or () if id(p) not in seen]
        found = self._by_key[both] = self._prune(places, key) if places else None
        return found

    def _span(self, text: str) -> Candidates | None:
        spans = self._spans
        found = spans.get(text, False)
        if found is False:
            if len(spans) >= CHUNK_CACHE_SIZE:
                spans.clear()
            found = spans[text] = self._span_uncached(text)
        return found

    def _span_uncached(self, text: str) -> Candidates | None:
        if text.endswith(("'s", "’s")):
            text = text[:-2]
        acronym = ACRONYMS.get(text)
        if acronym is not None:
            country = self.gazetteer.country(acronym)
            if country is not None:
                return Candidates((country,), acronym, False, ACRONYM_KEY, names_country=True)
        key = fold(text)
        if key in self._people:
            return None
        found = self._named(text, key) if key else None
        if found is None and key and " " in text and _designated(text, 0, len(text)):
            # "Ye Township", "Obo Sub-Prefecture": a name keyed only where it is called a place.
            found = self._candidates(DESIGNATED + key)
        if " " in text or "-" in text:
            # "Mon State", "Central District": a subdivision whose bare name is a common word is
            # keyed with its designator, and that more specific key wins.
            full = fold(text, keep_designators=True)
            if full != key:
                found = self._candidates(full) or found
            if full != key and len(key) >= 4 and (found is None or not any(p.place_id.startswith("district:")
                                                                        for p in found.places)):
                # "Kale Township": a subdivision the gazetteer keys as "Kale District" (its bare
                # name is too common a word), not a town of the bare name abroad (Turkey's Kale).
                district = self._candidates(key + ("istrict" if key[-1] == "d" else "district"))
                if district is not None and all(p.place_id.startswith("district:") for p in district.places):
                    found = district
            if found is not None and text.endswith(_SECOND_LEVEL_ENDS):
                # "Taze Township", "Banke district": a name written with a second-level
                # designator is the subdivision so called, not a town of the name abroad
                # (Morocco's Taza, Azerbaijan's Banka). A town of the subdivision's country is
                # kept (it may stand for a township of its region: the builder keys no township
                # twice); a district only over small towns (believed in context alone): a town
                # believed anywhere may be the namesake meant ("Ath Thawrah district" is the
                # Syrian town's area, not Baghdad's Thawra district).
                districts = [p for p in found.places if p.place_id.startswith("district:")]
                if districts and len(districts) < len(found.places):
                    codes = {p.country_code for p in districts}
                    others = [p for p in found.places if not p.place_id.startswith("district:")]
                    if all(p.country_code not in codes for p in others) and (
                            text.endswith(_TOWNSHIP_ENDS) or not any(p.strong for p in others)):
                        found = self._prune(districts, found.key)
        if found is None and text[-1:] == "s" and len(text) >= 5:
            # Scraped text often drops apostrophes: "Aleppos" is "Aleppo's".
            key = fold(text[:-1])
            if key and key not in NO_POSSESSIVE:
                found = self._named(text[:-1], key)
                # Only a well-known place is written so often that its "'s" gets lost ("Reyes"
                # is no Reyeh, "Lagos" no Lago), and only under its own name as written: the
                # folding key of "Nahha" (of the surname "Nahhas") is Naha's, "Over A" Uvira's.
                if found is not None and not (_stands_out(found) and _spelt_as(found, text[:-1])):
                    found = None
        if len(key) > LOOSE_MIN and ("h" in key or "rng" in key) and (found is None or not any(p.strong or p.region
                                                                          for p in found.places)):
            # "Meikhtila town", "Kyaikhto Township": a Burmese name romanised with its "h"
            # elsewhere than the gazetteer's (see etl.gazetteer.loose), where the key itself
            # finds nothing or only villages of no known region (Kyaikhto's "Kyaik Htaw").
            # A village only by a long name: a short one so found is as often an everyday
            # word ("Housing" folds like Ho Hseng).
            long_name = len(key) >= LOOSE_VILLAGE
            # A name written with its designator ("Lai-Kha Township") is the subdivision so
            # called, however short.
            district = " " in text and _designated(text, 0, len(text))
            places = [p for p in self.gazetteer.by_loose(key) or () if p.strong or long_name and p.region
                      or district and p.place_id.startswith("district:")]
            if found is not None:
                places = [p for p in places if p.strong and p.region]
            if places:
                found = self._prune(places, key)
        if len(key) >= LOOSE_MIN and (found is None or not any(p.strong or p.region for p in found.places)) \
                and " " in text and _designated(text, 0, len(text)):
            # "Kongyan township", "Yedarshe Township", "Dawai District": a Burmese town or
            # township romanised with other voicing, a final "r" or "ay" for "e" (see
            # etl.gazetteer.looser), over villages of no known region ("Kyaukgyi Township" is
            # Kyaukkyi's, not a hamlet's); only where the text calls it a subdivision (so merged,
            # other words find towns: "Eid al-Adha" is no Hinthada), and never a village.
            places = self.gazetteer.by_looser(key)
            if places:
                found = self._prune(places, key)
        if found is not None and len(text) <= ACRONYM_LETTERS and text.isupper() and text.isalpha():
            # A word of three capitals is an acronym ("IED", "TAF", "MIPS … Dataset"), not a
            # town its folding key merges it with (Algeria's El Attaf): only a place so called
            # as written ("GAO", "Obo" in capitals) or a country keeps it.
            form = strict(text)
            kept = [p for p in found.places if p.kind == "country" or p.kind == "demonym"
                    or any(strict(name) == form for name in (p.name, *p.aliases))]
            if len(kept) < len(found.places):
                found = self._prune(kept, found.key) if kept else None
        return _with_exact(found, text)

    def _chunk(self, chunk: str) -> tuple:
        """The place spans of one run of capitalised words, longest first, as
        (start, end, candidates, embedded, qualified): embedded when a capitalised word that is
        no place and no generic word stands next to it (or after a particle: "Lomas de
        Zumpimito"), as in a person's or an organisation's name; qualified when the span starts or
        ends with a first-level designator ("Rakhine State", "Estado de Guerrero")."""
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(chunk)]
        n = len(tokens)
        spans = []
        i = 0
        while i < n:
            if tokens[i][2] in _NOT_OPENING:
                i += 1
                continue
            for j in range(min(n, i + MAX_NAME_WORDS), i, -1):
                last = tokens[j - 1][2]
                if last in _JOIN_WORDS or (j - i == 1 and tokens[i][2] in _JOIN_WORDS):
                    continue
                found = self._span(chunk[tokens[i][0]:tokens[j - 1][1]])
                if found is not None:
                    spans.append((i, j, found))
                    i = j
                    break
            else:
                i += 1
        out = []
        # The tokens inside a span and where spans start, as sets: a run of thousands of names
        # ("Meikhtila Meikhtila …" in a hostile or garbled page) would otherwise make each
        # span scan all the others, quadratic in the run's length.
        covered = {t for a, b, _ in spans for t in range(a, b)}
        starts = {a for a, _, _ in spans}
        for i, j, found in spans:
            embedded = False
            for k in (i - 1, j):
                joined = False
                if k == j and k < n and tokens[k][2] in _NAME_JOINS:
                    # "Lomas de Zumpimito": the name goes on past its particle, in a headline
                    # too; but "Playas de Tijuana" is in Tijuana, and "Tijuana y Rosarito" are two.
                    joined = tokens[k][2] != "y"
                    k += 1
                if 0 <= k < n:
                    word = tokens[k][2]
                    # A word with a digit is a kilometre point or a sector ("PK5 Bangui",
                    # "Bangui KM5"), no part of a person's or an organisation's name; a name
                    # joined by a hyphen to one the gazetteer does not know is one end of a road
                    # or a front ("the Bossangoa-Boguila road", "Blogué-Boguila axis"), unless
                    # that one is a prefix, which makes a group's name of it, in a headline too
                    # ("Anti-Balaka").
                    hyphen = (chunk[tokens[k][1]:tokens[i][0]] if k < i
                              else chunk[tokens[j - 1][1]:tokens[k][0]]) in _HYPHENS
                    prefixed = hyphen and k < i and word in _PREFIXES
                    if (word[0].isupper() and word not in GENERIC and word.rstrip("s'’") not in GENERIC
                            and not _HAS_DIGIT.search(word)
                            and (not hyphen or prefixed)
                            and word.lower() not in _DESIGNATOR_TOKENS
                            and (k < i or word not in INSTITUTION)
                            and (joined or k not in covered)):
                        embedded = GLUED if joined or prefixed else True
            if _glued(chunk, tokens, i, j, starts):
                embedded = GLUED
            elif not embedded and len(spans) == 2 and j - i == 1 and _minor(found) and any(
                    b - a == 1 and _minor(other) and (b == i and chunk[tokens[b - 1][1]:tokens[i][0]] == " "
                                                      or a == j and chunk[tokens[j - 1][1]:tokens[a][0]] == " ")
                    for a, b, other in spans):
                # Two one-word names of small towns side by side, and nothing else ("said Nabil
                # Kurdi", "Salma Jabban"), are a person's first name and surname, as often in
                # Arabic: villages are named after people. A list that lost its commas
                # ("in Saraqeb Khan Sheikhoun Maarat al-Numan") has more; a headline, all
                # capitalised, is not read so (see _doc_hits).
                embedded = True
            qualified = False
            if j - i > 1:
                first, last = tokens[i][2].lower(), tokens[j - 1][2].lower()
                qualified = (last in FIRST_LEVEL and tokens[j - 2][2].lower() not in ("sub", "sous")
                             or first in FIRST_LEVEL)
            out.append((tokens[i][0], tokens[j - 1][1], found, embedded, qualified))
        if not out and n == 1:
            # A word no place is keyed by may be a town's name too short or too common to match
            # anywhere else, read where the text calls it a place (see _add).
            found = _with_exact(self._candidates(DESIGNATED + fold(chunk)), chunk)
            if found is not None:
                return ((0, len(chunk), found, False, DESIGNATED_SPAN),)
        return tuple(out)

    def _chunk_entry(self, chunk: str) -> tuple:
        """What _hits needs of a run of capitalised words, remembered with it: its spans (see
        _chunk) and, for a run of several words no span covers whole, the town its whole
        DESIGNATED key names (see _hits); _NOTHING for a run with neither."""
        spans = self._chunk(chunk)
        whole = None
        if " " in chunk and (not spans or spans[0][0] or spans[0][1] < len(chunk)):
            whole = self._candidates(DESIGNATED + _fold(chunk))
        if not spans and whole is None:
            return _NOTHING
        return spans, whole

    def _hits(self, field: str, text: str, out: list[tuple]) -> None:
        """Append the place names of `text` to `out`, as
        (field, start, end, candidates, region_qualified, embedded, cued)."""
        chunks = self._chunks
        shouting = text.isupper()
        for m in (_CHUNK_ASCII if text.isascii() else _CHUNK).finditer(text):
            chunk = m.group()
            entry = chunks.get(chunk)
            if entry is _NOTHING:
                # Most runs ("The", "Monday", "Syrian Observatory") name nothing; such a run
                # matters only before a designator (see _subdivision, _designated_region), which
                # its next five characters rule out.
                end = m.end()
                if text[end:end + 5] not in _DESIGNATOR_HEADS:
                    continue
            base = m.start()
            if base and text[base - 1].isalnum():
                continue
            if entry is None:
                if len(chunks) >= CHUNK_CACHE_SIZE:
                    chunks.clear()
                entry = chunks[chunk] = self._chunk_entry(chunk)
            spans, whole = entry
            if whole is not None and _called_a_place(text, base, m.end()):
                # "Ciudad Victoria town", "the town of Nuevo Casas Grandes": a town of several
                # words too common to be keyed alone, named as a whole where the text calls
                # it a place (and no name covers the whole run: "Ar Raqqah town" is
                # Raqqa); the run's shorter names ("Victoria") are then not read.
                out.append((field, base, m.end(), _with_exact(whole, chunk), False, False, True))
                continue
            if not spans:
                end = m.end()
                if text[end:end + 5] not in _DESIGNATOR_HEADS:
                    continue
                after = text[end:end + 9]
                if after == " township" or after == " district":
                    # "Ye-U township": a subdivision keyed only with its designator.
                    found = self._subdivision(chunk, after[1:])
                    if found is not None:
                        self._add(field, text, base, end, found, False, out)
                else:
                    self._designated_region(field, text, chunk, base, end, 0, out)
                continue
            for s, e, cands, embedded, qualified in spans:
                shouted = False
                if shouting and not _stands_out(cands):
                    if not _shouted_town(cands, chunk[s:e]):
                        continue
                    shouted = True
                self._add(field, text, base + s, base + e, cands, embedded, out, qualified, shouted)
            tail = spans[-1][1]
            if tail < len(chunk):
                end = m.end()
                if text[end:end + 5] in _DESIGNATOR_HEADS:
                    self._designated_region(field, text, chunk, base, end, tail, out)
        if not text.isascii():
            self._arabic_hits(field, text, out)

    def _add(self, field: str, text: str, start: int, end: int, cands: Candidates, embedded: bool,
             out: list[tuple], qualified: bool | int = False, shouted: bool = False) -> None:
        """`shouted`: a small town's name in text all in capitals (_shouted_town), where the
        words around it are read as they would be written otherwise ("SAYS" as "says",
        "PRESIDENT" as "President"): the name is then no more a place than it would be there."""
        following = NEXT_WORD.match(text, end)
        next_word = following.group(1).strip(".,;:()\"'") if following else ""
        if next_word == "township" or next_word == "district":
            # "Kale township", "Pale township": a subdivision keyed with its designator (its bare
            # name is a common word or another place's), as "Kale Township" is.
            full = self._subdivision(text[start:end], next_word)
            if full is not None:
                cands, qualified = full, False
        if qualified == DESIGNATED_SPAN:
            # "Obo town", "the town of Ye": only there is such a name read as the town's; a
            # region's too short a name to be keyed alone, with its designator ("Bie province").
            if next_word in DESIGNATED_NEXT or text[max(0, start - 12):start].endswith(DESIGNATED_BEFORE) or (
                    next_word.lower() in FIRST_LEVEL and all(p.kind == "region" for p in cands.places)) or (
                    field == "body" and _names_alone(text, start, end)):
                out.append((field, start, end, cands, False, False, True))
            return
        if _among(next_word, NOT_THE_PLACE_NEXT, shouted):
            return
        if _among(next_word, RIVER_NEXT, shouted) and all(p.kind == "city" and p.population < SMALL_PLACE for p in cands.places):
            # "Barada valley", "Yarmouk Basin", "Sajur River": a river's name, and the valley or
            # basin it names; a small town of the name (Azerbaijan's Barda, Damascus's Yarmouk
            # camp) lies elsewhere, most often. A city gives its name to the river or the
            # valley it stands in ("Tijuana River", "Juárez Valley").
            return
        before = text[max(0, start - 24):start]
        if before[-1:] == "-":   # (every _ARTICLE_ENDS ends so)
            if before[:-1].rpartition(" ")[2].rpartition("-")[2].capitalize() in _PREFIXES:
                # "anti-Balaka", "pro-Assad": a group or a stance named after the name, not its place.
                return
            if before.endswith(_ARTICLE_ENDS) and cands.key:
                # "al-Mashhad" (an Aleppo quarter), "el-Mansoura": a name written with the Arabic
                # article is an Arabic place's, not Iran's Mashhad.
                cands = self._with_article(cands)
                if cands is None:
                    return
        cut = before.rfind(" ", 0, len(before) - 1)
        prev_word = before[cut + 1:].rstrip(" .")
        if _among(prev_word, NOT_THE_PLACE_PREV, shouted):
            return
        if (prev_word in PLURAL_ARTICLES and text[end - 1:end] == "s" and cands.key
                and cands.key != _fold(text[start:end]) and cands.key == _fold(text[start:end - 1])):
            # "Los Zetas", "the Zetas": a plural after its article (a cartel, a people), not
            # the possessive of a place (Montenegro's Zeta) with its apostrophe lost.
            return
        if (_among(next_word, SPEAKING, shouted) and text[end:end + 1] == " " and prev_word.lower() not in PLACE_CUE_PREV
                and _minor(cands)):
            return
        key = cands.key
        if key in VETO_NEXT and next_word in VETO_NEXT[key] or key in VETO_PREV and prev_word in VETO_PREV[key]:
            return
        nxt = text[end:end + 1]
        if qualified:
            pass
        elif nxt == "'" or nxt == "s" or nxt == " " and text[end + 1:end + 5] in _QUALIFIER_HEADS:
            after = QUALIFIER_AFTER.match(text, end)
            if after:
                end, qualified = after.end(), True
                if embedded is True:
                    # A person's or a group's name takes no designator: "Jinbileey Hiran
                    # region" is the region after a village's name.
                    embedded = False
        if not qualified and (ends := _QUALIFIER_ENDS_BY_TAIL.get(before.rstrip()[-2:])) is not None \
                and before.rstrip().endswith(ends):
            qualifier = next(q for q in QUALIFIER_BEFORE if (before.rstrip() + " ").endswith(q))
            start, qualified = start - len(qualifier.lstrip()), True
        if (not qualified and _closes(field, text, start, end) and _region_named(cands, text[start:end])
                and not (out and out[-1][0] == field and out[-1][2] == start - 2
                         and _names_region(out[-1][3], cands) and not _town_before(text, out[-1][1]))):
            # "Ahuatepec town, Morelos", "… in the East Champaran district, Bihar": the name that
            # closes an event's description after a comma states its first-level region, not a
            # town of that name elsewhere (the towns called Morelos, Bihar Sharif); after
            # another region's name it closes a list ("Homs, Hama").
            qualified = True
        cued = qualified or cands.weak and (prev_word.lower() in PLACE_CUE_PREV or next_word in PLACE_CUE_NEXT
                                            or _designated(text, start, end)
                                            or field == "body" and _names_alone(text, start, end))
        out.append((field, start, end, cands, qualified, embedded, cued))

    def _designated_region(self, field: str, text: str, chunk: str, base: int, end: int, tail: int,
                           out: list[tuple]) -> None:
        """Add the region that the end of a run of capitalised words no span covers (from
        `tail`) names with a first-level designator in lower case after it ("Cameroon's
        South-West region", "Van province"): a region whose bare name is too common a word to
        be keyed alone."""
        if text[end:end + 1] != " " or not text[end + 1:end + 2].islower():
            return
        designator = text[end + 1:end + 16].partition(" ")[0].rstrip(".,;:)")
        if designator not in FIRST_LEVEL:
            return
        name = chunk[tail:].lstrip(" -")
        if not name or " " in name:
            return
        found = self._span(f"{name} {designator.capitalize()}")
        if found is not None and all(p.kind == "region" for p in found.places):
            self._add(field, text, end - len(name), end + 1 + len(designator), found, False, out, True)

    def _subdivision(self, name: str, designator: str) -> Candidates | None:
        """The subdivisions (districts, townships) alone that `name` with its designator
        written after it in lower case names ("Ye-U township"), if any."""
        full = self._span(f"{name} {designator.capitalize()}")
        if full is not None and all(p.place_id.startswith("district:") for p in full.places):
            return full
        return None

    def _with_article(self, cands: Candidates) -> Candidates | None:
        """The namesakes a name written with the Arabic article may mean: places of the
        Arabic-speaking countries and those whose Arabic name has the article ("الأهواز")."""
        entry = self._articled.get(id(cands))
        if entry is not None and entry[0] is cands:
            return entry[1]
        kept = [p for p in cands.places if p.country_code in ARABIC_SPEAKING or p.kind == "demonym"
                or any(a.startswith("ال") for a in p.aliases)]
        found = cands if len(kept) == len(cands.places) else self._prune(kept, cands.key) if kept else None
        if len(self._articled) >= 10_000:
            self._articled.clear()
        # The entry holds `cands` itself, so its id is not reused while the entry lasts.
        self._articled[id(cands)] = (cands, found)
        return found

    def _arabic_hits(self, field: str, text: str, out: list[tuple]) -> None:
        n = len(text)
        raw = []
        try:
            matches = self._automaton.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:   # lone surrogates (a JSON "\\ud800" escape): UTF-8 has none
            matches = self._automaton.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text), overlapping=True)
        for pattern, start, end in matches:
            if start > 0:
                ch = text[start - 1]
                if ch.isalnum() and not (ch in ARABIC_PROCLITICS and (start == 1 or not text[start - 2].isalnum())):
                    continue
            if end < n and text[end].isalnum():
                continue
            raw.append((start, end, pattern))
        if len(raw) > 1:
            raw.sort(key=_hit_order)
            chosen = []
            last_end = -1
            for hit in raw:
                if hit[0] >= last_end:
                    chosen.append(hit)
                    last_end = hit[1]
            raw = chosen
        for start, end, pattern in raw:
            alias = self._arabic[pattern]
            cands = self._by_key.get(alias)
            if cands is None:
                cands = self._by_key[alias] = self._prune(self.gazetteer.by_surface(alias) or [], alias)
            if cands.places:
                out.append((field, start, end, cands, False, False, True))

    def _resolve(self, candidates: tuple[Place, ...], context: dict[str, float], *, cued: bool = False,
                 embedded: bool = False, country: str | None = None, qualified: bool = False,
                 regions: set[tuple[str, str]] | frozenset = frozenset(), key: str = "",
                 exact: tuple[int, ...] = ()) -> Place | None:
        """Pick one namesake: its country named elsewhere in the story wins, then size and kind.

        A small place far from the region of interest counts only when its country is in the
        story or the text calls it a place ("the village of X", "in X") and no namesake abroad
        shares the name. Inside a run of other capitalised words ("Hassan Ali", "Hama Trading")
        only countries, regions and big cities count."""
        if len(candidates) == 1:
            # Most names have one namesake: what the loop below decides for it, without the
            # scores (any score beats none).
            place = candidates[0]
            kind = place.kind
            if embedded and (kind == "city" or kind == "region"):
                return None
            if not place.strong and place.country_code not in context and not (qualified and kind == "region"):
                return place if cued and (country is None or id(place) in exact) else None
            return place
        return self._scored(candidates, context, cued=cued, embedded=embedded, country=country,
                            qualified=qualified, regions=regions, key=key, exact=exact)

    def _scored(self, candidates: tuple[Place, ...], context: dict[str, float], *, cued: bool = False,
                embedded: bool = False, country: str | None = None, qualified: bool = False,
                regions: set[tuple[str, str]] | frozenset = frozenset(), key: str = "",
                exact: tuple[int, ...] = ()) -> Place | None:
        """_resolve by the namesakes' scores."""
        best, best_score = None, -math.inf
        # A place the text calls one ("Birao town", "near Birao") may be the namesake that
        # outnumbers all others by far (a town of 8,000, not a hamlet of the same name abroad).
        lone: Place | bool | None = False     # worked out at the first weak namesake
        for place in candidates:
            kind = place.kind
            if embedded and (kind == "city" or kind == "region"):
                continue
            if not place.strong and place.country_code not in context and not (qualified and kind == "region"):
                # (A region named by a common word is believed with its designator: "Mon State".)
                if lone is False:
                    lone = None
                    if cued and country is None:
                        lone = True if _one_country(candidates) else _dominant(candidates)
                    if cued and lone is None and exact:
                        # The namesake spelt as the text is (the one, or the one that outnumbers
                        # the others so spelt), where the text calls it a place ("Pensilvania
                        # municipality" is no Pennsylvania, "Boda town" no Bodø).
                        spelt = tuple(p for p in candidates if id(p) in exact)
                        lone = spelt[0] if len(spelt) == 1 else _dominant(spelt)
                if not (lone is True or place is lone):
                    continue
            if kind == "country" or kind == "demonym":
                score = 4.0 if kind == "country" else 3.5
                if qualified:
                    # "Somali Region", "Mexico State": the designator makes the name a region's,
                    # named after the people or the country (Ethiopia's Somali, Estado de México).
                    score -= 3.0
            elif kind == "region":
                score = 2.5 if place.country_code in FOCUS_COUNTRIES else 1.0
                if qualified:        # "Al Bayda governorate": the region, not the Libyan city
                    score += 2.0
                    if key and _fold(place.name) == key:
                        score += 0.25    # "Shan State" is Shan's own name, an alias of Schaan's
            else:
                score = math.log10(place.population + 10) / 2
                if qualified:
                    if place.region and _fold(place.region) == _fold(place.name) and (
                            not key or _fold(place.region) == key):
                        # the town that gives the qualified region its name, as written: "Mexico
                        # state" is Estado de México, not Mexico City (whose alias "Mexico" is)
                        score += 2.0
                    else:
                        score -= 2.0     # "Shan State" is no town's province (Anshan's)
            if place.country_code in FOCUS_COUNTRIES:
                score += 0.5
            named = context.get(place.country_code)
            if named:                # the story names this country some other way
                score += 2.0 + min(named, 3.0)
            if kind == "city" and regions and (place.country_code, place.region) in regions:
                score += 2.5         # and this town's region
            if exact and id(place) in exact:
                score += EXACT_BONUS
                if kind == "region":
                    score += REGION_EXACT_BONUS
            if score > best_score:
                best, best_score = place, score
        return best

    def find(self, doc: Doc, dateline_place: str | None = None) -> list[PlaceMention]:
        """Every place the document names, one mention per (place, role).

        `dateline_place` is the place string of the article's dateline (etl.extract.dateline);
        its first occurrence near the start of the body becomes the "dateline" mention and is
        not counted again as "mentioned".
        """
        body = doc.body
        hits = self._doc_hits(doc)
        dateline_candidates, dateline_span = self._dateline(dateline_place, body)
        context, own_context, regions, named = self._context(hits, dateline_candidates, doc)
        grouped = self._group(doc, hits, context, own_context, regions, dateline_span, named)

        mentions = []
        if dateline_candidates:
            place = self._resolve(dateline_candidates, context) or dateline_candidates[0]
            evidence = [_evidence("body", body, *dateline_span)] if dateline_span else []
            mentions.append(self._mention(place, "dateline", evidence))
        for place, evidence in grouped.values():
            mentions.append(self._mention(place, "mentioned", evidence))
        if not mentions:
            mentions = self._armed_group_country(doc)
        return mentions

    def _armed_group_country(self, doc: Doc) -> list[PlaceMention]:
        """Where a story names no place the gazetteer knows (a village: "SDF arrest 5 in Teir
        Maaleh"), the country of the armed group it names that fights in one country only
        (ARMED_GROUPS), as a mention whose evidence is the group's name: at most one country,
        and none when the groups named belong to several."""
        found: dict[str, list[Evidence]] = {}
        for field, text in (("title", doc.title), ("caption", doc.caption), ("body", doc.body)):
            if text:
                for m in _ARMED_GROUP.finditer(text):
                    found.setdefault(_GROUP_COUNTRY[m.group().lower()], []).append(
                        _evidence(field, text, m.start(), m.end()))
        if len(found) != 1:
            return []
        code, evidence = next(iter(found.items()))
        country = self.gazetteer.country(code)
        return [self._mention(country, "mentioned", evidence)] if country is not None else []

    def _doc_hits(self, doc: Doc) -> list[tuple]:
        """The place names of the title, caption and body, in that order (see _hits)."""
        title, caption, body = doc.title, doc.caption, doc.body
        hits: list[tuple] = []
        if title:
            self._hits("title", title, hits)
            # Headlines capitalise freely ("Myanmar Junta Soldiers Killed", "Asesinan en Hacienda
            # Las Flores"): a capitalised neighbour there makes no name a person's or an
            # organisation's, for context as for resolution (a name glued by the Arabic article
            # still is one).
            hits = [h if not h[5] or h[5] == GLUED else (*h[:5], False, h[6]) for h in hits]
        if caption:
            self._hits("caption", caption, hits)
        if body:
            self._hits("body", body, hits)
        if body and len(body) <= LISTING_CHARS and _listing(body):
            # A short text of names alone ("Chihuahua Nuevo Casas Grandes", "Sinaloa Choix"),
            # a place column rather than prose, names a region before a town, not a person
            # ("Nyaung Kaing Village", a Burmese name of several capitalised syllables, still
            # holds no Nyaung).
            hits = [(*h[:5], False, h[6]) if h[0] == "body" and h[5] is True and (
                h[3].town_region is not None or any(p.kind == "region" and p.strong for p in h[3].places))
                else h for h in hits]
        return hits

    def _dateline(self, dateline_place: str | None, body: str
                  ) -> tuple[tuple[Place, ...], tuple[int, int] | None]:
        """The dateline's candidate places and where its place string stands near the start of
        the body (None if it does not)."""
        if not dateline_place:
            return (), None
        candidates = self._dateline_candidates(dateline_place)
        at = body[:600].casefold().find(dateline_place.casefold())
        return candidates, ((at, at + len(dateline_place)) if at >= 0 else None)

    def _context(self, hits: list[tuple], dateline_candidates: tuple[Place, ...], doc: Doc
                 ) -> tuple[dict[str, float], dict[int, float], set[tuple[str, str]], Named]:
        """What the story names, for resolving namesakes: the countries named unambiguously
        (and the dateline's country, at half weight) with how often; for each name with weak
        namesakes, how much of that it contributed itself; and the first-level regions named
        unambiguously ("Idlib province", "Nuevo León"), which give their towns the edge over
        namesakes elsewhere."""
        context: dict[str, float] = {}
        own_context: dict[int, float] = {}
        # For telling a town abroad from the place the story is about: how often each name
        # named its own country, and the countries named as such (a country, a demonym, a
        # region with its designator, a regional capital), not merely through a town.
        self_named: dict[int, float] = {}
        named_countries: set[str] = set()
        naming_hits = []
        regions: set[tuple[str, str]] = set()
        qualified_namesakes = []
        ambiguous = False
        for hit in hits:
            cands = hit[3]
            country = cands.country
            if country is None and not hit[5]:
                ambiguous = True
            if hit[4] and not hit[5] and (country is None or cands.names_country and any(
                    p.country_code != country for p in cands.places)):
                # A name with its designator that is also a country's or a people's ("Somali
                # Region") is decided with the others, below.
                qualified_namesakes.append(hit)
                continue
            if country and not hit[5]:
                context[country] = context.get(country, 0.0) + 1.0
                if cands.weak:
                    own_context[id(cands)] = own_context.get(id(cands), 0.0) + 1.0
                if hit[4] or cands.names_country:
                    if not (cands.names_country and _actor(_field_text(doc, hit[0]), hit[2])):
                        # A nationality that acts ("Moroccan peacekeeper killed", "Russian
                        # warplanes") says who, not where: it does not make the story's towns
                        # of other countries namesakes abroad (see _foreign_town).
                        named_countries.add(country)
                        naming_hits.append(hit)
                else:
                    self_named[id(cands)] = self_named.get(id(cands), 0.0) + 1.0
                region = self._named_region(cands, country, hit[4])
                if region is not None:
                    regions.add((country, region))
        for hit in qualified_namesakes:
            # "Hamah Governorate", "Shan State": the namesake that is a region, chosen in the
            # light of the countries named so far, names its country too.
            place = self._resolve(hit[3].places, context, cued=True, qualified=True, key=hit[3].key)
            if place is not None and place.strong:
                code = place.country_code
                context[code] = context.get(code, 0.0) + 1.0
                named_countries.add(code)
                naming_hits.append(hit)
                regions.add((code, self._region_of(place).region if place.kind == "city" else place.region))
        if dateline_candidates:
            strong = [p for p in dateline_candidates if p.strong]
            if len({p.country_code for p in strong}) == 1:
                code = strong[0].country_code
                context[code] = context.get(code, 0.0) + 0.5
        if ambiguous:
            # A name with namesakes in several countries ("Al-Jawf", "Leego", "Sada") is
            # decided by the armed group or mission the story names too, when that group
            # fights in one country only (the Houthis in Yemen, AMISOM in Somalia); the group
            # says nothing of the story's country by itself (see _armed_group_country).
            groups = _group_countries(doc)
            if len(groups) == 1:
                code = next(iter(groups))
                context[code] = context.get(code, 0.0) + GROUP_CONTEXT
        return context, own_context, regions, (self_named, named_countries,
                                               functools.cache(lambda: _placed_countries(doc, naming_hits)))

    def _named_region(self, cands: Candidates, country: str, qualified: bool) -> str | None:
        """The one first-level region a name of one country names, if it names one: a strong
        region, a town with a designator ("Hama province"), or a town that gives its region its
        name ("Zacatecas", "Aleppo")."""
        # Remembered per name (a story names its places again and again, and a corpus its
        # names): the answer depends on the name alone.
        key = (id(cands), country, bool(qualified))
        entry = self._named_regions.get(key)
        if entry is not None and entry[0] is cands:
            return entry[1]
        region = self._region_named(cands, country, qualified)
        if len(self._named_regions) >= 10_000:
            self._named_regions.clear()
        # The entry holds `cands` itself, so its id is not reused while the entry lasts.
        self._named_regions[key] = (cands, region)
        return region

    def _region_named(self, cands: Candidates, country: str, qualified: bool) -> str | None:
        """_named_region, worked out."""
        named = [p for p in cands.places if p.kind == "region" and p.strong
                 or qualified and p.kind == "city" and p.country_code == country]
        if qualified:
            # "Mexico state": the region so named, not the region of a town with the name as an
            # alias (Mexico City).
            named = [p for p in cands.places if p.kind == "region" and p.country_code == country
                     and _fold(p.name) == cands.key] or named
        if not named:
            return cands.town_region
        if not named or len({p.region for p in named}) != 1:
            return None
        return self._region_of(named[0]).region if qualified else named[0].region

    def _group(self, doc: Doc, hits: list[tuple], context: dict[str, float], own_context: dict[int, float],
               regions: set[tuple[str, str]], dateline_span: tuple[int, int] | None, named: Named
               ) -> dict[str, tuple[Place, list[Evidence]]]:
        """Each hit resolved to one place (or none), grouped by place with its evidence; the
        dateline's own occurrence is left to the dateline mention."""
        grouped: dict[str, tuple[Place, list[Evidence]]] = {}
        resolved: dict[tuple, Place | None] = {}
        placed: set[str] | None = None
        stated = self._stated_regions(doc, hits) if len(hits) > 1 else None
        if stated:
            # A region the text places a town in ("Gomez Palacio town, Durango") names its
            # country as such: a town abroad that only its own name places ("7 die in La
            # Laguna", Tenerife's) is then a namesake of one the gazetteer does not know.
            named[1].update(code for code, _region in stated.values())
        for i, (field, start, end, cands, qualified, embedded, cued) in enumerate(hits):
            if dateline_span and field == "body" and start < dateline_span[1] and end > dateline_span[0]:
                continue
            text = doc.body if field == "body" else doc.title if field == "title" else doc.caption
            after = text[end:end + 2]
            if (len(after) == 2 and after[0] in _SPACE_OR_HYPHEN and (after[1].isupper() or after[1] in "tv")
                    and not qualified and not cands.names_country and cands.places[0].kind in _SETTLEMENT_KINDS
                    and " " not in cands.places[0].name
                    and _part_of_settlement(text, start, end, cands.places[0].kind == "city")):
                # "Teir Maalah town": the text calls the whole run the place, which the gazetteer
                # does not know; its words are no towns of their own (Lebanon's Tyre, Aleppo's
                # Mallah). A name of several words it knows is specific enough to stay.
                continue
            if stated and i in stated:
                # "Guadalupe, Zacatecas", "Escobedo, Nuevo León": the text says which region
                # the town is in; a town of the name there, or else one the gazetteer does not
                # know (General Escobedo is no Empalme Escobedo of Guanajuato).
                code, region = stated[i]
                there = [p for p in cands.places if p.country_code == code and p.region == region
                         and (p.kind == "city" or p.kind == "region")]
                if not there:
                    continue
                place = max(there, key=lambda p: (p.strong, p.population))
                self._add_evidence(grouped, doc, place, field, start, end)
                continue
            if cands.key[:1] == DESIGNATED:
                # A name keyed only where it is called a place fills in where nothing else
                # places the story within its country ("Ye Township"), and yields to the towns
                # and regions the story names there ("Palomas town, Chihuahua").
                if placed is None:
                    # A country's name is no town of it ("in Mexico" names no Mexico City).
                    placed = {p.country_code for h in hits if h[3].key[:1] != DESIGNATED and not h[5]
                              and h[3].places[0].kind != "country"
                              for p in h[3].places if p.strong and (p.kind == "city" or p.kind == "region")}
                if any(p.country_code in placed for p in cands.places):
                    continue
            key = (id(cands), qualified, embedded, cued)
            if key in resolved:
                # The same name read the same way again: the same place, or the same refusal
                # (nothing below depends on where the name stands).
                place = resolved[key]
            else:
                # A name's namesakes are weighed by the countries named elsewhere in the story:
                # "Gangaw" (a Chinese town and a Myanmar district) does not name China for itself.
                own = own_context.get(id(cands))
                weighed = _less(context, cands.country, own) if own else context
                place = self._resolve(cands.places, weighed, cued=cued, embedded=embedded,
                                      country=cands.country, qualified=qualified,
                                      regions=regions, key=cands.key, exact=cands.exact)
                if place is not None and (not (qualified and place.kind == "region") and _contradicted(
                        place, weighed if place.country_code != cands.country else context) or (place.kind == "city" and place.population < MID_PLACE
                                          and _foreign_town(place, cands, context, named))):
                    place = None
                resolved[key] = place
            if place is None:
                continue
            if place.kind == "region" and (after == " v" or after == " V" or after == " h") and not qualified and (
                    _called_village(text, end) and any(code != place.country_code for code in context)):
                # "Yobé village" in a Central African report: a village, the namesake of a region
                # abroad (Nigeria's Yobe), where the story names another country.
                continue
            if qualified and place.kind == "city" and place.region:
                place = self._region_of(place)
            self._add_evidence(grouped, doc, place, field, start, end)
        return grouped

    @staticmethod
    def _add_evidence(grouped: dict[str, tuple[Place, list[Evidence]]], doc: Doc, place: Place, field: str,
                      start: int, end: int) -> None:
        key = f"country:{place.country_code}" if place.kind == "demonym" else place.place_id
        entry = grouped.get(key)
        if entry is None:
            entry = grouped[key] = (place, [])
        text = doc.body if field == "body" else doc.title if field == "title" else doc.caption
        entry[1].append(Evidence(field, start, end, text[start:end], text))

    def _stated_regions(self, doc: Doc, hits: list[tuple]) -> dict[int, tuple[str, str]]:
        """The hits of towns whose first-level region the text states right after them, by
        index: "Guadalupe, Zacatecas", "Magdalena town, Sonora." (not in a list of places: "Manbij,
        Raqqa and Deir ez-Zor", "Homs, Hama, Idlib")."""
        stated = {}
        for i in range(len(hits) - 1):
            a, b = hits[i], hits[i + 1]
            if not 2 <= b[1] - a[2] <= 16:
                continue
            field = a[0]
            if b[0] != field or a[5] or b[5]:
                continue
            text = doc.body if field == "body" else doc.title if field == "title" else doc.caption
            between = APPOSITION.fullmatch(text, a[2], b[1])
            if between is None or text[max(0, a[1] - 2):a[1]] == ", ":
                continue
            after = text[b[2]:b[2] + 5]
            if after[:1] == "," or after[:1] == "/" or after.startswith((" and ", " y ", " et ", " or ", " & ")):
                continue
            country = b[3].country
            region = self._named_region(b[3], country, b[4]) if country else None
            places = a[3].places
            if region is None and country is None:
                # "Kwall (Bassa, Plateau)": a region's namesakes abroad (Benin's Plateau,
                # Nigeria's) are told apart by the name before it, which has a namesake in one
                # of them (Nigeria's Bassa, of Plateau state).
                pairs = ({(p.country_code, p.name) for p in b[3].places if p.kind == "region"}
                         & {(p.country_code, p.region) for p in places if p.kind == "city"})
                if len(pairs) == 1:
                    country, region = pairs.pop()
            if region is None:
                continue
            if any(p.kind == "country" or p.kind == "demonym" for p in places):
                continue
            if between.end() - between.start() == 2 and (
                    all(p.country_code != country for p in places)
                    or any(p.kind == "region" or p.region is not None and _fold(p.region) == _fold(p.name)
                           for p in places)):
                # Without "town" or the like between them, two names of regions are a list
                # ("Homs, Hama"), and a town of no namesake in the region's country a misread
                # abbreviation ("Tehuacán, Pue").
                continue
            stated[i] = (country, region)
        return stated

    def _dateline_candidates(self, name: str) -> tuple[Place, ...]:
        """The places a dateline's place string may mean (demonyms only when nothing else),
        remembered per string: a corpus has few distinct datelines."""
        found = self._datelines.get(name)
        if found is None:
            found = self._prune(self.gazetteer.lookup(name)).places
            if found:
                found = tuple(p for p in found if p.kind != "demonym") or found
                # The best-known namesake first: it is the answer when nothing else decides.
                found = tuple(sorted(found, key=lambda p: (not p.strong, p.kind != "city", -p.population)))
            if len(self._datelines) < 10_000:
                self._datelines[name] = found
        return found

    def _region_of(self, city: Place) -> Place:
        """The governorate a qualified city name means; around the capital that is Rif Dimashq."""
        if (city.country_code, city.region) == ("SY", "Damascus"):
            return self._regions.get(("SY", "Rif Dimashq"), city)
        return self._regions.get((city.country_code, city.region), city)

    def _road_abroad(self, text: str, start: int, end: int, country: str) -> bool:
        """Whether the place named at start..end is one end of a road whose other end lies in
        another country ("Tehran" of "the Tehran – Beirut road")."""
        other = _road_other_end(text, start, end)
        if other is None:
            return False
        found = self._span(other)
        return found is not None and found.country is not None and found.country != country

    def _mention(self, place: Place, role: str, evidence: list[Evidence]) -> PlaceMention:
        kind = place.kind
        if kind == "demonym" or kind == "country":
            code = place.country_code
            return PlaceMention(f"country:{code}", self._country_names.get(code, code), "country", code,
                                None, None, None, role, evidence)
        return PlaceMention(place.place_id, place.name, kind, place.country_code, place.region,
                            place.lat, place.lon, role, evidence)

    # -- aboutness ------------------------------------------------------------------------

    def primary(self, mentions: list[PlaceMention], *, dateline_weight: float = DATELINE_WEIGHT
                ) -> tuple[str | None, str | None]:
        """The one country and one ADM1 region the story is about.

        Each occurrence counts for its country and (cities and regions) its region: the title
        three times, the lead paragraph twice (for the region, a headline that names several
        regions shares its weight among them). A city or region says more about where
        a story happens than a country name; a demonym ("Syrian") or a capital standing for
        its government ("Ankara said") says less about the country, and the dateline counts only a little,
        because a story filed from Amman is usually about somewhere else.
        """
        # Dicts keep insertion order, so max() over them breaks ties by first mention.
        country_score: dict[str, float] = {}
        capitals = self._capitals
        demonyms = self._demonyms
        later: list[tuple[str, str, float, str]] = []
        # The countries of names the text calls only neighbourhoods or streets ("Progreso
        # neighborhood in Acapulco"), counted once every other place has been.
        hinted: list[tuple[str, float]] = []
        region_score: dict[str, dict[str, float]] = {}
        # A headline that names several regions ("Bombardment targets Aleppo, Daraa and Idlib")
        # is about each of them in part: its weight is shared among them, once their number
        # is known.
        title_parts: dict[tuple[str, str], float] = {}
        # The regions of the places the headline names, as a whole ("shelling on the
        # countryside of Hama") and by a town, for the rule at the end.
        title_regions: dict[tuple[str, str], float] = {}
        title_towns: dict[tuple[str, str], float] = {}
        for m in mentions:
            code = m.country_code
            kind = m.kind
            evidence = m.evidence
            named_after = False
            # every occurrence a neighbourhood's or a street's name
            only_named_after = True
            reference = 0.0
            is_place = kind == "city" or kind == "region"
            if evidence:
                weight = 0.0
                title_weight = 0.0
                forms = demonyms.get(code) if kind == "country" else None
                for ev in evidence:
                    field = ev.field
                    if field == "body":
                        w = LEAD_WEIGHT if ev.start < LEAD_CHARS else 1.0
                    else:
                        w = FIELD_WEIGHT[field]
                        if field == "title" and ";" in ev.source:
                            # A digest of several headlines ("Two killed in Yangon; Army
                            # shells Monywa"): each is one of them, not the story's headline.
                            w /= ev.source.count(";") + 1
                    source = ev.source
                    if kind == "country" and source and (_actor(source, ev.end) or _agent(source, ev.start)):
                        w *= ACTOR_WEIGHT
                    elif forms is not None:
                        text = ev.text
                        if text in forms:
                            w *= DEMONYM_WEIGHT
                        elif text.endswith("s") and text[:-1] in forms:
                            # "the Russians", "the Iranians": a nation's forces, who acted
                            # (a people in a place is named without the article: "Syrians fled").
                            w *= ACTOR_WEIGHT if source[max(0, ev.start - 4):ev.start] in _THE else DEMONYM_WEIGHT
                    near = source[max(0, ev.start - 8):ev.start] if source else ""
                    if near.endswith(LOCATED_BEFORE):
                        w *= LOCATED_WEIGHT
                    elif near.endswith(_ACROSS_ENDS) and _across(source, ev.start):
                        w *= ACROSS_WEIGHT
                    if is_place and source and (source.startswith(_DASH_AFTER, ev.end) or near.endswith(_DASH_BEFORE)) \
                            and self._road_abroad(source, ev.start, ev.end, code):
                        # (a dash next to the name tested first, by two C-level calls)
                        w *= ROAD_ABROAD_WEIGHT
                    if is_place and source:
                        at = ev.end + 1      # inline: this loop runs for every occurrence
                        if source[at:at + 2] in _NAMED_AFTER_HEADS and NAMED_AFTER.match(source, ev.end):
                            w *= NAMED_AFTER_WEIGHT
                            named_after = True
                        else:
                            only_named_after = False
                    else:
                        only_named_after = False
                    if kind == "region":
                        text = ev.text
                        if " " in text and (text.rpartition(" ")[2].lower() in FIRST_LEVEL
                                            or text.partition(" ")[0].lower() in FIRST_LEVEL) or (
                                near[-2:] == ", " and _closing(ev) and strict(text) == strict(m.name)
                                and not _after_a_region(mentions, ev, code)):
                            w *= QUALIFIED_WEIGHT
                    weight += w
                    if field == "title":
                        title_weight += w
                    if is_place and near.endswith(_REFERENCE_ENDS) and _reference(source, ev.start):
                        reference += w
            else:
                weight, title_weight = 1.0, 0.0
                only_named_after = False
            if m.role == "dateline":
                weight *= dateline_weight
                title_weight *= dateline_weight
            capital = m.place_id in capitals and not _capital_as_city(evidence)
            if capital:
                kind_weight = CAPITAL_WEIGHT
            elif kind == "city" or kind == "region":
                kind_weight = PLACE_WEIGHT
            else:
                kind_weight = 1.0
            if only_named_after:
                # "Progreso neighborhood in Acapulco", "the Paraíso neighborhood … Celaya": a
                # neighbourhood named after a place abroad lies in the place the text names.
                hinted.append((code, weight * kind_weight))
            else:
                country_score[code] = country_score.get(code, 0.0) + weight * kind_weight
            region = m.region
            if region and (kind == "city" or kind == "region"):
                if title_weight:
                    title_parts[(code, region)] = title_parts.get((code, region), 0.0) + title_weight
                    if kind == "region":
                        title_regions[(code, region)] = title_regions.get((code, region), 0.0) + title_weight
                    elif kind == "city":
                        title_towns[(code, region)] = title_towns.get((code, region), 0.0) + title_weight
                if reference:
                    # "a locality 30 kilometers from Bouar", "500 km north of the capital
                    # Bangui": the place measured from lies in the country, often in another
                    # region.
                    weight -= (1.0 - REFERENCE_WEIGHT) * reference
                if capital:
                    # A national capital often stands for the government or the office that
                    # reports ("Safety and Security Section Bangui", "Damascus said"): it says
                    # as little about the region as about the country.
                    weight *= CAPITAL_WEIGHT
                if named_after:
                    later.append((code, region, weight, kind))
                else:
                    regions = region_score.get(code)
                    if regions is None:
                        regions = region_score[code] = {}
                    regions[region] = regions.get(region, 0.0) + weight
        if hinted:
            # The country of a neighbourhood's namesake counts where nothing else names one, or
            # to confirm one that something else names.
            alone = not country_score
            for code, weight in hinted:
                if alone or code in country_score:
                    country_score[code] = country_score.get(code, 0.0) + weight
        for code, region, weight, _kind in later:
            # A neighbourhood confirms a region other places name ("al-Ramouseh neighborhood"
            # of Aleppo) and names none of its own.
            regions = region_score.get(code)
            if regions and region in regions:
                regions[region] += weight
            else:
                title_parts.pop((code, region), None)
        if not country_score:
            return None, None
        country = max(country_score, key=country_score.__getitem__)
        regions = region_score.get(country)
        if not regions:
            # A story that places itself only by a neighbourhood or a street ("Jobar
            # neighbourhood", "Progreso neighborhood") is in the region of the place of the
            # story's country it is named after: a neighbourhood of that place more often
            # than not, and no other name says otherwise. Not one named after a region (a state,
            # a province): that one honours it from elsewhere, most often the capital (Mexico
            # City's Guerrero and Hidalgo colonias).
            regions = {}
            for code, region, weight, kind in later:
                if code == country and kind != "region":
                    regions[region] = regions.get(region, 0.0) + weight
            return country, max(regions, key=regions.__getitem__) if regions else None
        if len(title_parts) > 1:
            cut = 1.0 - 1.0 / len(title_parts)
            regions = {name: score - cut * title_parts.get((country, name), 0.0) for name, score in regions.items()}
        if title_regions or title_towns:
            regions = self._body_over_title(mentions, country, regions, title_regions, title_towns)
        return country, max(regions, key=regions.__getitem__)

    def _body_over_title(self, mentions: list[PlaceMention], country: str, regions: dict[str, float],
                         title_regions: dict[tuple[str, str], float], title_towns: dict[tuple[str, str], float]
                         ) -> dict[str, float]:
        """The region scores less TITLE_REGION_CUT of the headline's weight for the regions the
        body places no town in, where it places one elsewhere in the country.

        A headline that names a region as a whole ("Airstrikes target the countryside of
        Hama") over a body that names a town of the country elsewhere ("An Nuaymah town",
        Daraa): the town says where it happened; the headline, often a digest of the day, what
        the outlet led with. So does a headline's town against a place a short body (an
        event's description, not an article, whose headline names the story's place) calls a
        village or a town ("Kafr Nabl town" under "Casualties north of Hama"); a street or a
        neighbourhood named after a person or a town does not ("Benito Juárez street")."""
        capitals = self._capitals
        body_towns = set()
        called_towns = set()
        for m in mentions:
            if m.country_code != country:
                continue
            evidence = m.evidence
            if evidence and all(ev.field == "title" for ev in evidence):
                continue
            short = [ev for ev in evidence if ev.field == "body" and len(ev.source) <= LEAD_CHARS]
            if short and any(_stated_region(ev, m.region) for ev in short):
                # "Altamirano town, Guerrero", "Ocampo, Durango": a short body states the
                # event's region after its place (a place the gazetteer may not know).
                body_towns.add(m.region)
                called_towns.add(m.region)
                continue
            if m.place_id in capitals:
                # A capital stands for its government, but not where a short body calls it a
                # city ("Damascus city" under a digest headline naming Daraa).
                if any(_called_settlement(ev) or _alone(ev) for ev in short):
                    body_towns.add(m.region)
                    called_towns.add(m.region)
                continue
            if m.kind == "region":
                # A region the body names with its designator ("Hamah Governorate", "Durango
                # state") or as its countryside ("countryside of Ḩamāh") in a short body: the
                # event's place, as a town so called would be.
                if any(_region_as_a_whole(ev.text) or _alone(ev) for ev in short):
                    body_towns.add(m.region)
                    called_towns.add(m.region)
                continue
            if m.kind != "city":
                continue
            body_towns.add(m.region)
            if title_towns and any(ev.field == "body" and len(ev.source) <= LEAD_CHARS
                                   and (_called_settlement(ev) or _alone(ev))
                                   for ev in evidence):
                called_towns.add(m.region)
        if body_towns and title_regions:
            regions = {name: score - TITLE_REGION_CUT * title_regions.get((country, name), 0.0)
                       if name not in body_towns else score for name, score in regions.items()}
        if called_towns:
            regions = {name: score - TITLE_REGION_CUT * title_towns.get((country, name), 0.0)
                       if name not in called_towns else score for name, score in regions.items()}
        return regions

    def _is_demonym(self, text: str, country_code: str) -> bool:
        forms = self._demonyms.get(country_code)
        if forms is None:
            return False
        return text in forms or (text.endswith("s") and text[:-1] in forms)


LISTING_CHARS = 60
_LISTING_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def _listing(text: str) -> bool:
    """Whether a short text is names alone: every word capitalised but the particles names
    are written with."""
    words = _LISTING_WORD.findall(text)
    return len(words) >= 2 and all(w[0].isupper() or w in _JOIN_WORDS for w in words)


def _stated_region(ev: Evidence, region: str | None) -> bool:
    """Whether the name is a region's written after a comma ("Altamirano town, Guerrero"):
    the text states where the place before it lies."""
    return (region is not None and ev.start >= 2 and ev.source[ev.start - 2:ev.start] == ", "
            and _fold(ev.text) == _fold(region))


def _qualified_text(text: str) -> bool:
    """Whether a region's name as written carries its first-level designator ("Idlib
    Governorate", "Estado de Guerrero")."""
    return " " in text and (text.rpartition(" ")[2].lower() in FIRST_LEVEL
                            or text.partition(" ")[0].lower() in FIRST_LEVEL)


def _alone(ev: Evidence) -> bool:
    """Whether the name is the whole of its text ("Durango", "Mandalay."): an event's
    description that is its place's name alone, as a town so called is."""
    return ev.start == 0 and not ev.source[ev.end:].strip(" .,;\n")


def _among(word: str, words: frozenset[str], shouted: bool) -> bool:
    """`word` in `words`, or, `shouted` (text all in capitals), as it would be written otherwise:
    in lower case or capitalised."""
    return word in words or shouted and (word.lower() in words or word.capitalize() in words)


def _names_alone(text: str, start: int, end: int) -> bool:
    """Whether a body is the name at start..end alone, or with a remark in parentheses after
    it ("Rogatica", "Bakouma (south east)"): an event's description that is its place's name,
    which says the name means a place as "Rogatica town" would."""
    if start:
        return False
    rest = text[end:].strip(" .,;\n")
    return not rest or rest[0] == "(" and rest[-1] == ")" and rest.count("(") == 1


def _region_as_a_whole(text: str) -> bool:
    """Whether a region's name as written names it as the event's place: with its designator,
    or as its countryside ("countryside of Ḩamāh", "Idlib countryside", "rural Damascus")."""
    return _qualified_text(text) or " " in text and (
        text.partition(" ")[0].lower() in _COUNTRYSIDE or text.rpartition(" ")[2].lower() in _COUNTRYSIDE)


_COUNTRYSIDE = frozenset({"countryside", "rural", "reef", "rif"})


def _called_settlement(ev: Evidence) -> bool:
    """Whether the text calls the name a settlement: "Kafr Nabl town", "the village of Ibbin"."""
    source = ev.source
    following = NEXT_WORD.match(source, ev.end)
    return bool(following and following.group(1).strip(".,;:()\"'") in SETTLEMENT_NEXT
                or source[max(0, ev.start - 12):ev.start].endswith(SETTLEMENT_BEFORE))


def _group_countries(doc: Doc) -> set[str]:
    """The countries of the armed groups the story names (ARMED_GROUPS) in its headline,
    caption and lead, found by one Aho-Corasick pass per field (a regular expression of their
    names costs several times more), as whole words."""
    found = set()
    # The headline, caption and lead: where a story names its actors (an event note is all
    # lead); the whole of a long article costs more of the stage for no more.
    for text in (doc.title, doc.caption, doc.body[:GROUP_LEAD_CHARS]):
        if text:
            for index, start, end in _GROUP_AUTOMATON.find_matches_as_indexes(text):
                if not (start and (text[start - 1].isalnum() or text[start - 1] == "_")
                        or end < len(text) and (text[end].isalnum() or text[end] == "_")):
                    found.add(_GROUP_PATTERN_COUNTRY[index])
    return found


def _called_village(text: str, end: int) -> bool:
    """Whether the word after the name at ..end calls it a village ("Yobé village")."""
    following = NEXT_WORD.match(text, end)
    return bool(following and following.group(1).strip(".,;:()\"'") in _VILLAGE)


_VILLAGE = frozenset({"village", "Village", "hamlet"})


def _across(text: str, start: int) -> bool:
    """Whether the name at `start` is named as lying across a border from the event (ACROSS)."""
    at = max(0, start - 40)
    return "order" in text[at:start] and ACROSS.search(text, at, start) is not None


def _part_of_settlement(text: str, start: int, end: int, opening: bool = True) -> bool:
    """Whether the name at start..end is one word of a longer name the text calls a settlement
    ("Teir Maalah town", "the Maalah of Teir Maalah village"): capitalised words before or after
    it, then "town" or "village". A region's name only after another word (`opening` False:
    "Idlib Saraqeb town" names the region, then its town)."""
    after = _SETTLEMENT_AFTER.match(text, end)
    if after is None or text.endswith(("'s", "’s"), start, end):
        # ("Pinlebu's Sar Taungbon village": the village lies in the place before it.)
        return False
    rest = after.group(1)
    if rest:
        return opening and all(_name_word(w) for w in _TOKEN.findall(rest))
    before = _CAPITALISED_BEFORE.search(text, max(0, start - 40), start)
    return before is not None and _name_word(before.group().rstrip(" -‐").split()[0])


def _name_word(word: str) -> bool:
    """Whether a capitalised word next to a name may be part of it: not a designator or another
    generic word ("Bungkhua Village town"), nor a possessive ("Dawei District's Tha Ye Taung
    village")."""
    return word not in GENERIC and not word.endswith(("'s", "’s")) and word.lower() not in _JOIN_WORDS


def _reference(text: str, start: int) -> bool:
    """Whether the name at `start` is the place a distance is measured from ("300 kilometers
    from Bouar", "200 km north of the capital, Bangui")."""
    before = text[max(0, start - 48):start]
    if not ("km" in before or "ilom" in before or "mile" in before or "KM" in before or "Km" in before):
        return False
    return REFERENCE.search(before) is not None


def _closes(field: str, text: str, start: int, end: int) -> bool:
    """Whether the name at start..end closes a short body after a comma ("Ahuatepec town,
    Morelos"): the region an event's description states, as a designator would ("Morelos
    state")."""
    return (field == "body" and start >= 2 and text[start - 2:start] == ", " and len(text) <= LEAD_CHARS
            and not text[end:].strip(" .;\n"))


def _closing(ev: Evidence) -> bool:
    """_closes for a mention's evidence."""
    return _closes(ev.field, ev.source, ev.start, ev.end)


def _names_region(cands: Candidates, closing: Candidates) -> bool:
    """Whether a name may be a town's that gives its region its name ("Homs"), or a region's of
    the country of the region named after it (`closing`): the two are then a list ("Homs, Hama",
    "Sonora, Sinaloa"), not a place and its region ("Loreto, Zacatecas": Peru's Loreto is no
    Mexican state)."""
    countries = {p.country_code for p in closing.places}
    if cands.town_region is not None and cands.country in countries:
        return True
    return any(p.kind == "region" and p.country_code in countries for p in cands.places)


_TOWN_BEFORE = SETTLEMENT_BEFORE + ("municipality of ", "municipio de ", "municipality of the ")


def _town_before(text: str, start: int) -> bool:
    """Whether the text calls the name at `start` a town before it ("municipality of Guerrero")."""
    return text[max(0, start - 20):start].endswith(_TOWN_BEFORE)


def _after_a_region(mentions: list[PlaceMention], ev: Evidence, country: str) -> bool:
    """Whether a region's name of `country` or a town's that names its region stands just
    before the comma before `ev`: the two close a list ("Homs, Hama"), and the last states no
    region."""
    at = ev.start - 2
    return any(e.end == at and e.field == ev.field and not _town_before(e.source, e.start) for m in mentions
               if m.country_code == country and (m.kind == "region" or m.kind == "city" and m.region is not None
                                                 and _fold(m.region) == _fold(m.name))
               for e in m.evidence)


def _region_named(cands: Candidates, text: str) -> bool:
    """Whether a name as written (`text`) is a first-level region's, believed wherever it is
    named, and no country's or people's ("Mexico" closing "Tetepantla town, Mexico" may be
    either; "Pue" and "Chih", abbreviations, fold like regions abroad), nor the name of a city
    of another region ("Lazaro Cardenas Colonia, La Paz" is the city of Baja California Sur, not
    Bolivia's department; Ecatepec de Morelos, whose alias "Morelos" is, does not count)."""
    places = cands.places
    form = strict(text)
    # (A town that gives the region its name stands for it: "Bihar" is Bihar Sharif's alias.)
    return (any(p.strong and (p.kind == "region" and _spelt_as(cands, text)
                              or p.kind == "city" and p.region is not None and strict(p.region) == form)
                for p in places)
            and not any(p.kind == "country" or p.kind == "demonym" or p.kind == "city" and p.strong
                        and p.population >= SMALL_PLACE and strict(p.name) == form
                        and (p.region is None or strict(p.region) != form) for p in places))


def _capital_as_city(evidence: list[Evidence]) -> bool:
    """Whether a short body (an event's description) calls a national capital a city or a town
    ("Damascus city", "the town of Bangui"): there the name is the place, not the government it
    often stands for ("Damascus said")."""
    return any(ev.field == "body" and len(ev.source) <= LEAD_CHARS and _called_city(ev) for ev in evidence)


_CITY_NEXT = frozenset({"city", "City", "town", "Town"})


def _called_city(ev: Evidence) -> bool:
    """Whether the text calls the name a city or a town ("Damascus city", "the city of Bangui"),
    not a village (a capital's name in a village's: "Lokoti-Bangui village")."""
    following = NEXT_WORD.match(ev.source, ev.end)
    return bool(following and following.group(1).strip(".,;:()\"'") in _CITY_NEXT
                or ev.source[max(0, ev.start - 12):ev.start].endswith(("city of ", "town of ")))


def _road_other_end(text: str, start: int, end: int) -> str | None:
    """The name at the other end of a road named after its ends, when the name at start..end is
    one: "Salamiyah" for "Homs" of "the Homs – Salamiyah road", "El Seco" for "Azumbilla" of "El
    Seco-Azumbilla federal highway" (a dash before or after the name tried first: most names
    have neither)."""
    after = text[end:end + 2]
    if after[:1] in _DASHES or after[:1] == " " and after[1:] in _DASHES:
        m = _ROAD_FIRST_END.match(text, end)
        return m.group(1) if m else None
    before = text[start - 2:start] if start >= 2 else text[:start]
    if (before[-1:] in _DASHES or before[:1] in _DASHES and before[1:] == " ") and _ROAD_LAST_END.match(text, end):
        m = _ROAD_BEFORE.search(text, max(0, start - 60), start)
        return m.group(1) if m else None
    return None


def _called_a_place(text: str, start: int, end: int) -> bool:
    """Whether the text calls the name at start..end a place: "Ciudad Victoria town", "the town
    of Nuevo Casas Grandes", "near Obo"."""
    following = NEXT_WORD.match(text, end)
    next_word = following.group(1).strip(".,;:()\"'") if following else ""
    return next_word in DESIGNATED_NEXT or text[max(0, start - 12):start].endswith(DESIGNATED_BEFORE)


def _designated(text: str, start: int, end: int) -> bool:
    """Whether a name is written with the designator of its kind ("Htantabin Township",
    "Maungdaw District", "District of Rajouri"), which says the text means a place."""
    span = text[start:end]
    if " " not in span:
        return False
    first, _, rest = span.partition(" ")
    return first.lower() in DESIGNATORS or rest.rpartition(" ")[2].lower() in DESIGNATORS


def _contradicted(place: Place, context: dict[str, float]) -> bool:
    """A small town abroad (or a region called by a common word) that the story's named
    countries contradict is a namesake of a place the gazetteer does not know ("Maan village"
    in a Syria report, "León town, Guanajuato")."""
    return bool((place.kind == "city" and place.population < SMALL_PLACE or not place.strong) and context
                and place.country_code not in context)


def _field_text(doc: Doc, field: str) -> str:
    return doc.body if field == "body" else doc.title if field == "title" else doc.caption


def _placed_countries(doc: Doc, hits: list[tuple]) -> set[str]:
    """The countries the story names as places (a country's or a region's name), not as an
    actor's nationality ("Russian warplanes", "US-led coalition"), of the hits that name one."""
    placed = set()
    for field, _start, end, cands, *_ in hits:
        if any(p.kind == "country" or p.kind == "region" for p in cands.places):
            if not _actor(_field_text(doc, field), end):
                placed.add(cands.country)
    return placed


def _foreign_town(place: Place, cands: Candidates, context: dict[str, float], named: Named) -> bool:
    """A town of up to MID_PLACE people whose country only its own name names, in a story that
    names another country as such (and, for a town of the region of interest, places itself
    only outside that region): a namesake of a
    place the gazetteer does not know ("Obo" in a Central African report is no Japanese
    Obu, "Taze Township" in a Myanmar one no Moroccan Taza)."""
    self_named, named_countries, placed = named
    code = place.country_code
    if (place.kind != "city" or place.population >= MID_PLACE or not named_countries or code in named_countries
            or code in FOCUS_COUNTRIES and (not placed() or not placed().isdisjoint(FOCUS_COUNTRIES))):
        # A town of the region of interest stays unless the story places itself, by a
        # country's or a region's name, only outside that region: a Turkish Kulu is no
        # Central African Kolo, but "Russian warplanes struck Kafr Nabl" is about Syria.
        return False
    return _less(context, cands.country, self_named.get(id(cands), 0.0)).get(code, 0.0) <= 0.0


def _less(context: dict[str, float], country: str | None, weight: float) -> dict[str, float]:
    """The story's countries without `weight` of `country`'s mentions."""
    out = dict(context)
    left = out.get(country, 0.0) - weight
    if left > 0:
        out[country] = left
    else:
        out.pop(country, None)
    return out


def _stands_out(cands: Candidates) -> bool:
    """Whether a name read in text written all in capitals (where any run of words may fold
    like a village: "DEAD IN" as Diyadin) can be believed: a country, a region or a big town,
    never an acronym ("CAR BOMB")."""
    if cands.key == ACRONYM_KEY:
        return False
    return any(p.kind != "city" or p.population >= SMALL_PLACE for p in cands.places)


# Letters of a one-word name in capitals that may be a town believed on its own, spelt so.
SHOUTED_LETTERS = 6


def _shouted_town(cands: Candidates, text: str) -> bool:
    """Whether a one-word name in text written all in capitals is a town believed on its own
    spelt exactly so ("HUMAN RIGHTS REPORT ON THE BATANGAFO INCIDENTS"): a word of that length
    spelt as a town's name is the town (common words key no town of its size, see the
    gazetteer's build), where a run of words only folding like one is not ("DEAD IN")."""
    if len(text) < SHOUTED_LETTERS or not text.isalpha():
        return False
    form = strict(text)
    return any(p.kind == "city" and p.strong and strict(p.name) == form for p in cands.places)


DOMINANT_RATIO = 5
# What a district counts for against towns of the same name (a low guess: most hold 50,000+)
DISTRICT_PEOPLE = 20_000


def _town_region(places: tuple[Place, ...], key: str = "") -> str | None:
    """The region a name's towns give their name to ("Zacatecas", "Aleppo", "Durango" of
    Victoria de Durango, as the name is written), when every strong namesake is a town in it:
    not where a namesake elsewhere shares the name ("Adra" may be Daraa's folding key too), nor
    a country's name ("Mexico" names no Mexico City)."""
    strong = [p for p in places if p.strong]
    if not strong or strong[0].region is None:
        return None
    region = strong[0].region
    if all(p.kind == "city" and p.region == region for p in strong) and (
            key == _fold(region) or any(_fold(p.name) == _fold(region) for p in strong)):
        return region
    return None


def _minor(cands: Candidates) -> bool:
    """Whether every place a name may mean is a town of fewer than SMALL_PLACE people."""
    return all(p.kind == "city" and p.population < SMALL_PLACE for p in cands.places)


def _spelt_as(cands: Candidates, text: str) -> bool:
    """Whether one of the places is called `text` as written (case, accents, spaces and hyphens
    aside): its name or a kept alias."""
    form = strict(text)
    return any(strict(name) == form for p in cands.places for name in (p.name, *p.aliases))


def _names_country(first: Place) -> bool:
    """Whether a name whose first namesake is `first` names its country as such: a country, a
    demonym, or a town that gives its first-level region its name ("Zacatecas", "Aleppo")."""
    return (first.kind == "country" or first.kind == "demonym"
            or first.kind == "city" and first.region is not None and _fold(first.region) == _fold(first.name))


def _dominant(places: tuple[Place, ...]) -> Place | None:
    """The namesake with DOMINANT_RATIO times the people of every other, if one has. A district
    (a second-level division: the gazetteer has no head count for it) counts as DISTRICT_PEOPLE:
    "in Sulu" is the Philippine province, not a hamlet of that name in Qinghai."""
    if not places:
        return None
    districts = [p for p in places if p.place_id.startswith("district:")]
    if len(districts) == 1 and all(p is districts[0] or p.kind == "city" and DOMINANT_RATIO * p.population
                                   <= DISTRICT_PEOPLE for p in places):
        return districts[0]
    top = max(places, key=lambda p: p.population)
    if top.population <= 0 or any(p is not top and top.population < DOMINANT_RATIO * p.population for p in places):
        return None
    return top


def _with_exact(found: Candidates | None, text: str) -> Candidates | None:
    """`found` with the ids of its namesakes spelt as `text` is, when not all are: of namesakes
    found by a lossy key, those are the likelier ("Chuschi", a Peruvian village, not Japan's
    Choshi)."""
    if found is None or len(found.places) < 2:
        return found
    form = strict(text)
    exact = tuple(id(p) for p in found.places if strict(p.name) == form)
    if exact and len(exact) < len(found.places):
        return found._replace(exact=exact)
    return found


def _one_country(places: tuple[Place, ...]) -> bool:
    first = places[0].country_code if places else None
    return all(p.country_code == first for p in places)


def _hit_order(hit: tuple) -> tuple[int, int]:
    """Sort key for hits: by start, longest first."""
    return hit[0], hit[0] - hit[1]


def _evidence(field: str, text: str, start: int, end: int) -> Evidence:
    return Evidence(field, start, end, text[start:end], text)
