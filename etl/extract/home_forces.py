"""A state's own forces at home are no foreign intervention: which country a force phrase names,
and where the story happens according to the places stage.

`foreign_intervention` is tagged from force phrases named by a nationality ("Israeli forces",
"Turkish warplanes", "the Chadian army", "Russian troops"). Such a phrase is foreign only where
the story is elsewhere: "Turkish warplanes struck a village near Afrin" is Turkey in Syria,
"Turkish troops killed PKK militants in Hakkari" is Turkey at home; "the Chadian army fought
rebels in Kanem" is no intervention. `Tagger.tag(doc, home)` drops a foreign_intervention tag
whose every piece of evidence is a force of a nation at home in every place of the story
(`story_countries` reads them from the places stage; unknown places keep the tag). Phrases
foreign by nature (a coalition, NATO, AMISOM, a nation's "-backed" proxies, its allies,
peacekeepers, mercenaries, instructors, contingents) and pairs of a foreign and a host force
("French and Malian forces") always count.

Pure: plain tables, no file. The nations are those of the taxonomy's foreign_intervention force
phrases (tests/test_topics.py checks that every such phrase's nation is known here and that the
gazetteer's demonyms agree with it).
"""
from __future__ import annotations

from collections.abc import Iterable

# The first word of a force phrase (folded as etl.extract.topics.fold folds: lower case) -> the
# country whose forces it names.
NATIONS: dict[str, str] = {
    "russian": "RU", "turkish": "TR", "iranian": "IR", "israeli": "IL", "israel's": "IL",
    "us": "US", "u.s.": "US", "american": "US", "british": "GB", "uk": "GB", "french": "FR",
    "saudi": "SA", "emirati": "AE", "uae": "AE", "chadian": "TD", "rwandan": "RW",
    "ugandan": "UG", "burundian": "BI", "eritrean": "ER", "indian": "IN", "belgian": "BE",
    "kenyan": "KE", "ethiopian": "ET", "egyptian": "EG", "ukrainian": "UA",
    "nigerian": "NG", "guinean": "GN", "tajik": "TJ", "kyrgyz": "KG", "croatian": "HR",
    "zimbabwean": "ZW", "angolan": "AO", "tanzanian": "TZ", "pakistani": "PK",
    # a state named as the actor ("Russia fired missiles")
    "russia": "RU", "iran": "IR", "israel": "IL", "turkey": "TR",
}
# Forces named by their own name (a whole phrase or its first words).
FORCE_NAMES: dict[str, str] = {
    "idf": "IL", "israel defense forces": "IL", "irgc": "IR", "revolutionary guard": "IR",
    "revolutionary guards": "IR", "updf": "UG", "rwanda defence force": "RW",
    "kdf": "KE", "kenya defence forces": "KE", "kenya defense forces": "KE",
    "south african": "ZA", "sandf": "ZA",
}
# Arabic force phrases: "القوات الروسية" (the Russian forces), the nation second.
ARABIC_NATIONS: dict[str, str] = {
    "الروسيه": "RU", "الروسي": "RU", "التركيه": "TR", "التركي": "TR", "الامريكيه": "US",
    "الاميركيه": "US", "الايرانيه": "IR",
}
# Territories a nation's forces act in as the domestic or occupying force, by the labelled
# corpora's convention (tests/labels/README.md): Israeli forces in Gaza and the West Bank are a
# party to that conflict, not a foreign state acting in a country. Russian forces in Ukraine,
# Israeli forces in Lebanon or Syria, Turkish forces in Syria or Iraq are foreign.
TERRITORIES: dict[str, frozenset[str]] = {"IL": frozenset({"PS"})}
# every country some nation's forces are at home in
_HOMES = frozenset((*NATIONS.values(), *FORCE_NAMES.values(), *ARABIC_NATIONS.values(),
                    *(c for codes in TERRITORIES.values() for c in codes)))
# Words after the nation that make a phrase foreign by nature: a proxy or an ally of the nation,
# or a force that only exists abroad ("Russian peacekeepers", "a Burundian contingent").
ABROAD = frozenset((
    "backed", "led", "ally", "allies", "partners", "peacekeepers", "peacekeeping", "mercenaries",
    "instructors", "advisers", "advisors", "contingent", "intervention", "coalition",
))
# the places a story happens in: a town, a district, a first-level region (a country's name
# or demonym alone is often the actor's: "Russian forces captured Kherson" names Russia only)
_PLACE_KINDS = frozenset(("city", "region"))


def nation_of(phrase: str) -> str | None:
    """The country whose own forces a folded foreign_intervention phrase names, or None when the
    phrase is foreign by nature (a coalition, a proxy, an ally, a foreign and a host force)."""
    # the phrases are surface forms of the taxonomy's terms, a bounded set: each is read once
    try:
        return _SEEN[phrase]
    except KeyError:
        code = _SEEN[phrase] = _nation_of(phrase)
        return code


_SEEN: dict[str, str | None] = {}


def _nation_of(phrase: str) -> str | None:
    words = phrase.replace("-", " ").split()
    if words and words[0] == "the":
        words = words[1:]
    if not words or "and" in words:
        return None
    code = NATIONS.get(words[0])
    rest = words[1:]
    if code is None:
        code = ARABIC_NATIONS.get(words[1]) if len(words) > 1 else None
        rest = words[:1] + words[2:]
    if code is None:
        for n in (3, 2, 1):
            code = FORCE_NAMES.get(" ".join(words[:n]))
            if code is not None:
                rest = words[n:]
                break
    if code is None or not ABROAD.isdisjoint(rest):
        return None
    return code


def at_home(phrases: Iterable[str], countries: frozenset[str]) -> bool:
    """Whether every folded phrase names forces of a nation at home in all of `countries` (the
    story's places, `story_countries`): its own country, or a territory it acts in as the
    domestic or occupying force (Israel's forces in Palestine). No country known: no."""
    if not countries:
        return False
    seen = False
    for phrase in phrases:
        code = nation_of(phrase)
        if code is None:
            return False
        for country in countries:
            if country != code and country not in TERRITORIES.get(code, ()):
                return False
        seen = True
    return seen


def story_countries(country: str | None, places: Iterable[tuple[str, str]]) -> frozenset[str] | None:
    """The countries of the story's towns, districts and regions (`places`: (kind, country code)
    of the places stage's mentions), when its primary country (`country`) is one of them; None
    otherwise: the place is unknown.

    A country found only from its own name or demonym is no evidence ("Russian forces captured
    Kherson" is placed in Russia by "Russian" alone where Kherson is not recognised), and a
    story with places in several countries may be a force acting across a border ("Saudi
    artillery shelled Haradh; the Houthis fired back at Jizan"): `at_home` then keeps the tag.
    None too where no nation of the force phrases is at home in them all (a story in Syria):
    the tagger then has nothing to check.

    Countries the story names by name or demonym are added to the places found: one alone does
    not place the story, but a second country named beside a home town is where a force may be
    acting ("Turkish warplanes struck PKK targets in northern Iraq, the ministry in Ankara
    said"), and the nation's own name ("Israeli forces raided a house in Nablus") is at home."""
    if country not in _HOMES:   # no force phrase is at home there (most stories): nothing to read
        return None
    places = list(places)
    found = frozenset(code for kind, code in places if kind in _PLACE_KINDS)
    if country not in found or not found <= _HOMES:
        return None
    return found | frozenset(code for kind, code in places if kind == "country" and code)
