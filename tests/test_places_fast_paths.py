"""Places: the finder's shortcuts (a run of capitalised words that names nothing skipped unless a
designator follows it, the qualifier before a name looked up by its last two letters, the
designator after it by its first four, the acting words after a nation's name, a name of one
namesake) find exactly what the full tests find."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from etl.extract import places
from etl.extract.places import PlaceFinder
from etl.model import Doc

LABELS = Path(__file__).resolve().parent / "labels"

# Designators after a run no span covers (whole or at its end), and qualifiers before a name.
WRITTEN = [
    "Shelling hit Cameroon's South-West region and the Far North region overnight.",
    "Troops moved into Van province and the Mon State border, then Ye-U township and Kale district.",
    "Clashes in the Somali Region, Shan State and Rakhine state; the Hiran region stayed calm.",
    "Rebels held the countryside of Hama, the province of Idlib and Reef Damascus.",
    "Fighting spread in estado de Guerrero, the departamento de Antioquia and the région du Centre.",
    "Rockets fell on the Mambéré-Kadéï préfecture and the Ouham prefecture; Tanintharyi division too.",
    "Muhafazat Halab, Wilayat Nineveh and the Diyala governorate were named in the report.",
    "Obo town and Ye Township lie far apart; Ciudad Victoria town is in Tamaulipas state.",
    "Shelling hit the Hama countryside, the Antioquia department, the Donetsk oblast and the Nineveh wilayah.",
    "Jets struck the Idlib province, the Aleppo governorate, Mexico state and the Sool region.",
    "Idlib Province, Hama Governorate, Daraa Countryside, Lugansk Oblast and the Ninawa Wilayat were hit.",
]


class _Everything:
    """Stands for _DESIGNATOR_HEADS with every run taken through the full tests."""

    def __contains__(self, _item: object) -> bool:
        return True


class _AllEnds(dict):
    """Stands for _QUALIFIER_ENDS_BY_TAIL with every qualifier tested at every name."""

    def get(self, _key, _default=None):
        return places._QUALIFIER_BEFORE_ENDS


def _texts() -> list[str]:
    texts = list(WRITTEN)
    for path in sorted(LABELS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            texts += [row["text"] for row in csv.DictReader(f) if row.get("text")]
    return texts


@pytest.fixture(scope="module")
def finder() -> PlaceFinder:
    return PlaceFinder()


def test_the_shortcuts_find_what_the_full_tests_find(finder, monkeypatch):
    docs = [Doc(title=t, caption="", body=t) for t in _texts()]
    fast = [finder._doc_hits(doc) for doc in docs]
    monkeypatch.setattr(places, "_DESIGNATOR_HEADS", _Everything())
    monkeypatch.setattr(places, "_QUALIFIER_HEADS", _Everything())
    monkeypatch.setattr(places, "_QUALIFIER_ENDS_BY_TAIL", _AllEnds())
    full = [finder._doc_hits(doc) for doc in docs]
    assert len(docs) > 500
    for doc, a, b in zip(docs, fast, full):
        assert a == b, doc.body
    # The written sentences do take the designator paths the shortcuts guard.
    assert all(fast[i] for i in range(len(WRITTEN)))
    # and each designator's head is needed ("Hama countryside" is the governorate).
    written = docs[:len(WRITTEN)]
    monkeypatch.undo()
    for head in ("coun", "depa", "obla", "wila", "prov", "gove", "stat", "regi"):
        monkeypatch.setattr(places, "_QUALIFIER_HEADS", places._QUALIFIER_HEADS - {head})
        assert [finder._doc_hits(doc) for doc in written] != fast[:len(WRITTEN)], head
        monkeypatch.undo()


# A name followed by each of ACTOR's words and by the forms its first-word test must leave to
# the expressions (a possessive, a dash, "or", two spaces, a letter outside ASCII).
ACTOR_WRITTEN = [
    "Russia and Syria warplanes hit it; Iran or Iraq forces, Turkey - Russia patrols, Turkey's border.",
    "Syria  forces; Iran ſoldiers; Iran in Syria; Iran is; Iran at; Iran ab1; Russia orange forces; Iran",
    "US-led, Iran-backed, Turkey-based, Iran made, Qatar brokered, Iran sponsored, Iran supported, Russia"
    " trained, Iran allied, Iran owned, Syria loyal, Iran aligned, Iran affiliated, Qatar funded.",
    "Iran air strikes, Iran armed men, Iran special forces, Iran security, Iran military, Iran government,"
    " Syria regime, Iran army, Iran naval, Iran navy, Iran border, Iran coalition.",
    "Iran forces, troops, Iran soldiers, Iran jets, Iran warplanes, Iran war planes, Iran aircraft, Iran"
    " planes, Iran drones, Iran helicopters, Iran gunships, Iran artillery, Iran tanks, Iran police.",
    "Iran officials, Iran authorities, Iran president, Iran ministry, Iran minister, Iran embassy, Iran"
    " militias, Iran fighters, Iran strikes, Iran airstrikes, Iran raids, Iran missiles, Iran rockets.",
    "Iran shelling, Iran bombardment, Iran gunboats, Iran intelligence, Iran commandos, Iran mercenaries,"
    " Iran advisers, Iran advisors, Iran contractors, Iran diplomats, Iran envoy, Iran delegation.",
    "Iran spokesman, Iran spokeswoman, Iran media, Iran state media, Iran news agency, Iran defence,"
    " Iran defense, Iran peacekeepers, Iran blue helmets, Iran intervention, Iran contingents.",
    "Iran battalions, Iran legionnaires, Iran paratroopers, Iran marines, Iran gendarmes, Iran gendarmerie,"
    " Iran truce, Iran ceasefire, Iran cease-fire, Iran agreement, Iran deal, Iran guarantor, Iran patrols.",
    "Iran operations, Iran offensive, Iran incursion, Iran invasion, Iran factions, Iran proxies, Iran allies,"
    " Iran borders, Iran frontier. IRAN FORCES, Iran Forces, Iran PATROLS said.",
    "Iran, Russia forces; Iran/Russia jets; Iran– Turkey truce; Iran—Turkey deal; IranS forces; Iranſ forces.",
    "Iran's forces, Iran’s forces, Iran\tforces, Iran\u00a0forces, (Iran) forces, Iran: forces, Iran. Forces",
    "Iran forces_x, Iran forcesé, Iran force-led, Iran-ledger, Iran-led_, Iran cease-fire, Syria-year, Iran forces",
]


def _actor_positions() -> list[tuple[str, int]]:
    """(text, end) after every word of the written sentences and the label texts, and before
    every "s" ("Syrias forces": a possessive without its apostrophe)."""
    out = []
    for text in ACTOR_WRITTEN + _texts():
        out += [(text, i) for i in range(1, len(text) + 1) if text[i - 1].isalnum()
                and (i == len(text) or not text[i].isalnum() or text[i] in "sSſ")]
    return out


def test_the_actor_first_word_tests_answer_as_the_expressions_do(monkeypatch):
    positions = _actor_positions()
    fast = [places._actor(text, end) for text, end in positions]
    full = [places._actor_expressions(text, end) for text, end in positions]
    assert len(positions) > 20_000 and sum(full) > 150
    assert fast == full
    # Each shortcut is taken, and would be caught answering otherwise: without a head the
    # first-word test skips an acting word; without an opening character, a name followed by
    # it ("Iran, Russia forces"); a word read alone that ACTOR does not read ("said", "-year")
    # makes a name act.
    heads = frozenset(places._ACTOR_HEADS)
    changed = {}
    for head in ("war", "tru", "bor", "led", "and", "spo", "gen"):
        changed["head " + head] = ("_ACTOR_HEADS", heads - {head})
    for opening in (",", "/", "–", "—", "'", "S", "ſ"):
        changed["opening " + opening] = ("_ACTOR_OPENINGS", places._ACTOR_OPENINGS - {opening})
    changed["word said"] = ("_ACTOR_WORDS", places._ACTOR_WORDS | {"said"})
    changed["dashed year"] = ("_ACTOR_DASHED", places._ACTOR_DASHED | {"year"})
    for what, (name, value) in changed.items():
        monkeypatch.setattr(places, name, value)
        if what == "word said":
            monkeypatch.setattr(places, "_ACTOR_HEADS", heads | {"sai"})
        assert [places._actor(text, end) for text, end in positions] != full, what
        monkeypatch.undo()


def test_a_name_of_one_namesake_resolves_as_the_scores_do(finder):
    docs = [Doc(title="", caption="", body=t) for t in ACTOR_WRITTEN + WRITTEN + _texts()]
    singles = {id(h[3]): h[3] for doc in docs for h in finder._doc_hits(doc) if len(h[3].places) == 1}
    assert len(singles) > 100
    contexts = [{}, {"SY": 1.0}, {"MX": 2.0, "SY": 0.5}, {"MM": 1.0, "CF": 1.0}]
    compared = 0
    for cands in singles.values():
        place = cands.places[0]
        for context in contexts + [{place.country_code: 1.0}]:
            for cued in (False, True):
                for embedded in (False, True):
                    for qualified in (False, True):
                        for country in (None, place.country_code):
                            for exact in ((), (id(place),)):
                                kwargs = dict(cued=cued, embedded=embedded, country=country,
                                              qualified=qualified, key=cands.key, exact=exact)
                                assert (finder._resolve(cands.places, context, **kwargs)
                                        is finder._scored(cands.places, context, **kwargs))
                                compared += 1
    assert compared > 10_000


def test_a_names_region_is_remembered_as_worked_out(finder):
    docs = [Doc(title="", caption="", body=t) for t in WRITTEN + _texts()]
    hits = [h for doc in docs for h in finder._doc_hits(doc) if h[3].country]
    assert len(hits) > 1000
    for h in hits:
        for qualified in (False, True, h[4]):
            worked = finder._region_named(h[3], h[3].country, qualified)
            assert finder._named_region(h[3], h[3].country, qualified) == worked
            assert finder._named_region(h[3], h[3].country, qualified) == worked
