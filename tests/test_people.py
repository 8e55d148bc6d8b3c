"""People and organisations: alias normalisation, titled names, junk rejection, the seed page."""
from __future__ import annotations

import pytest

from etl.extract.people import EntityFinder, slug
from etl.model import Doc


@pytest.fixture(scope="module")
def finder():
    return EntityFinder()


def entities(finder, body, title="", caption=""):
    return {e.entity_id: e for e in finder.find(Doc(title=title, caption=caption, body=body))}


@pytest.mark.parametrize("body", [
    "Syrian President Bashar al-Assad said on Sunday that the war would go on.",
    "President Assad met the delegation in Damascus.",
    "Bashar Assad met the delegation in Damascus.",
    "The talks are about whether al-Assad can stay.",
    "Assad's forces retook the town on Sunday.",
    "Assads forces retook the town on Sunday.",
    "Turkish authorities say defectors join the anti-Assad rebels.",
])
def test_every_way_of_naming_bashar_al_assad_is_one_person(finder, body):
    found = entities(finder, body)
    assert list(found) == ["bashar-al-assad"]
    assert found["bashar-al-assad"].name == "Bashar al-Assad"
    assert found["bashar-al-assad"].kind == "person"


def test_hafez_al_assad_is_not_his_son(finder):
    found = entities(finder, "A picture of Bashar al-Assad and his father Hafez al-Assad was burned.")
    assert set(found) == {"bashar-al-assad", "hafez-al-assad"}
    assert [e.text for e in found["hafez-al-assad"].evidence] == ["Hafez al-Assad"]


def test_an_unknown_person_sharing_the_surname_is_not_bashar(finder):
    found = entities(finder, "The shop belonged to a man called Ammar al-Assad, residents said.")
    assert "bashar-al-assad" not in found


def test_mentions_of_one_person_are_counted_together(finder):
    body = ("Syrian President Bashar al-Assad spoke. Assad said the army would win. "
            "Critics of President Assad disagreed.")
    found = entities(finder, body)
    assert len(found["bashar-al-assad"].evidence) == 3
    assert found["bashar-al-assad"].title == "Syrian President"


@pytest.mark.parametrize("body, entity_id, name, title", [
    ("Brigadier General Mohammed Khalouf was shown in uniform.", "mohammed-khalouf", "Mohammed Khalouf",
     "Brigadier General"),
    ("Former Syrian premier Riad Hijab defected to Jordan.", "riad-hijab", "Riad Hijab", "former Syrian premier"),
    ("French Foreign Minister Laurent Fabius said on Monday.", "laurent-fabius", "Laurent Fabius",
     "French Foreign Minister"),
    ("said Russian Defence Ministry spokesman Major General Igor Konashenkov.", "igor-konashenkov",
     "Igor Konashenkov", "spokesman Major General"),
    ("Col. Gen. Sergei Rudskoi said at a news briefing.", "sergei-rudskoi", "Sergei Rudskoi", "Col. Gen."),
    ("the Britain-based Observatory head Rami Abdel Rahman told AFP.", "rami-abdel-rahman",
     "Rami Abdel Rahman", "Observatory head"),
    ("A statement by YPG spokesman Redur Xelil said the town was taken.", "redur-xelil", "Redur Xelil",
     "YPG spokesman"),
    ("Sheikh Khaled al-Sayyed led the prayers.", "khaled-al-sayyed", "Khaled al-Sayyed", "Sheikh"),
    ("Abu Mohammad al-Julani, the leader of the Nusra Front, spoke.", "abu-mohammad-al-julani",
     "Abu Mohammad al-Julani", "leader of the Nusra Front"),
    ("Ahmad Tlass, a spokesman for the rebel group, said the attack failed.", "ahmad-tlass", "Ahmad Tlass",
     "spokesman for the rebel group"),
    ("Ahmed Davutoglu, the Turkish Prime Minister, said.", "ahmet-davutoglu", "Ahmet Davutoglu", None),
    ("US Senator John McCain visited the camp.", "john-mccain", "John McCain", "US Senator"),
])
def test_people_are_found_with_their_rank_or_role(finder, body, entity_id, name, title):
    found = entities(finder, body)
    assert entity_id in found, found
    assert found[entity_id].name == name
    if title is not None:
        assert found[entity_id].title == title


def test_a_person_named_in_full_is_counted_again_by_surname(finder):
    body = ("Brigadier General Mohammed Khalouf defected. Khalouf and his family crossed into Jordan. "
            "Khalouf's escape was planned.")
    found = entities(finder, body)
    assert [e.text for e in found["mohammed-khalouf"].evidence] == ["Mohammed Khalouf", "Khalouf", "Khalouf"]


@pytest.mark.parametrize("body, entity_id", [
    ("Turkish-backed Free Syrian Army fighters advanced.", "free-syrian-army"),
    ("FSA fighters advanced.", "free-syrian-army"),
    ("a study by the International Institute for Strategic Studies", "iiss"),
    ("The IISS said that perhaps 50,000 troops", "iiss"),
    ("the Syrian Observatory for Human Rights said", "syrian-observatory-for-human-rights"),
    ("the Britain-based SOHR said", "syrian-observatory-for-human-rights"),
    ("the United Nations said", "united-nations"),
    ("the UN said", "united-nations"),
    ("the U.N. said", "united-nations"),
    ("the UNHCR said", "unhcr"),
    ("the ICRC said", "icrc"),
    ("the Red Cross said", "icrc"),
    ("the Islamic State group said", "islamic-state"),
    ("ISIS militants", "islamic-state"),
    ("ISIL militants", "islamic-state"),
    ("Daesh militants", "islamic-state"),
    ("IS group militants", "islamic-state"),
    ("Nusra Front fighters", "nusra-front"),
    ("Jabhat al-Nusra fighters", "nusra-front"),
    ("HTS fighters", "nusra-front"),
    ("Hezbollah fighters", "hezbollah"),
    ("the Kurdish YPG militia", "ypg"),
    ("the SDF said", "sdf"),
    ("the PKK said", "pkk"),
    ("NATO members", "nato"),
    ("the White Helmets rescue service", "white-helmets"),
    ("state news agency SANA reported", "sana"),
    ("the OPCW said", "opcw"),
    ("Human Rights Watch said", "human-rights-watch"),
    ("Amnesty International said", "amnesty-international"),
    ("Doctors Without Borders (MSF) said", "msf"),
])
def test_organisation_aliases_resolve_to_one_organisation(finder, body, entity_id):
    found = entities(finder, body)
    assert list(found) == [entity_id]
    assert found[entity_id].kind == "org"
    assert found[entity_id].title is None


@pytest.mark.parametrize("body", [
    "Major Syrian cities were hit on Monday.",
    "Syrian Army Makes Major Gains Which Completely Changed the Map",
    "Regime Offensive Takes Shape as Major Offensive Takes Shape",
    "Rebels shelled Sheikh Maqsoud overnight.",
    "the Russian General Staff said on Tuesday.",
    "General Command of the army said.",
    "President January was not a person.",
    "The Minister Damascus Aleppo visit was cancelled.",
    "THIS IS A DRILL FOR THE CREW",
    "On Monday Syria said that Turkey and Russia agreed.",
    "spokesman said the talks would resume in Geneva.",
])
def test_capitalised_words_that_are_not_people_are_not_reported(finder, body):
    assert [e for e in finder.find(Doc("", "", body)) if e.kind == "person"] == []
    if "IS A" in body:
        assert finder.find(Doc("", "", body)) == []


def test_evidence_offsets_point_into_the_field_they_name(finder):
    doc = Doc(title="Assad forces advance", caption="A picture of Hafez al-Assad",
              body="Syrian President Bashar al-Assad and the Free Syrian Army. Assads forces.")
    for entity in finder.find(doc):
        for ev in entity.evidence:
            assert getattr(doc, ev.field)[ev.start:ev.end] == ev.text
            assert ev.text in ev.snippet
    fields = {ev.field for e in finder.find(doc) for ev in e.evidence}
    assert fields == {"title", "caption", "body"}


def test_entities_come_in_document_order(finder):
    found = finder.find(Doc("Hezbollah fighters", "", "The FSA and President Assad."))
    assert [e.entity_id for e in found] == ["hezbollah", "free-syrian-army", "bashar-al-assad"]


@pytest.mark.parametrize("name, key", [
    ("Bashar al-Assad", "bashar-al-assad"),
    ("Recep Tayyip Erdoğan", "recep-tayyip-erdogan"),
    ("Stephen O'Brien", "stephen-obrien"),
])
def test_entity_keys_are_lower_case_ascii_slugs(name, key):
    assert slug(name) == key


def test_the_seed_page_yields_its_people_and_organisations(finder, shared):
    text = shared("seeds/000_0539852812ec3bbd.txt").read_text(encoding="utf-8")
    start = text.index("Amman, Asharq Al-Awsat")
    caption = text[text.index("Caption:") + len("Caption:"):start].strip().split("\n\n")[0]
    found = {e.entity_id: e for e in finder.find(Doc("High-Ranking Syrian Military Officer Defects",
                                                     caption, text[start:]))}
    people = {k for k, e in found.items() if e.kind == "person"}
    orgs = {k for k, e in found.items() if e.kind == "org"}
    assert {"mohammed-khalouf", "riad-hijab", "bashar-al-assad", "hafez-al-assad"} <= people
    assert {"free-syrian-army", "iiss"} <= orgs
    assert found["mohammed-khalouf"].title == "Brigadier General"
    assert found["riad-hijab"].title == "former Syrian premier"
    assert len(found["mohammed-khalouf"].evidence) >= 3
    junk = people - {"mohammed-khalouf", "riad-hijab", "bashar-al-assad", "hafez-al-assad"}
    assert not junk


@pytest.mark.parametrize("title, body, wanted, unwanted", [
    ("Brigadier General Announces Defection in Online Video",
     "Brigadier General Munir Hijazi appeared in a video declaring that he had switched sides.",
     {"Munir Hijazi"}, {"Announces Defection"}),
    ("Major General Kabbani Joins Rebel Ranks",
     "Major General Walid Kabbani, who served 28 years, said he had switched sides.",
     {"Walid Kabbani"}, {"Kabbani Joins Rebel Ranks", "Kabbani Joins"}),
    ("Colonel Riad Haddad Crosses Into Turkey",
     "Colonel Riad Haddad reached the border on foot, activists said.",
     {"Riad Haddad"}, {"Riad Haddad Crosses", "Riad Haddad Crosses Into Turkey"}),
])
def test_a_title_case_headline_gives_the_name_its_story_writes_not_its_verbs(finder, title, body, wanted, unwanted):
    names = {e.name for e in finder.find(Doc(title=title, caption="", body=body))}
    assert wanted <= names, names
    assert not names & unwanted, names


def test_a_headline_with_no_story_still_gives_its_name(finder):
    names = {e.name for e in finder.find(Doc(title="Colonel Riad Haddad defects", caption="", body=""))}
    assert "Riad Haddad" in names
