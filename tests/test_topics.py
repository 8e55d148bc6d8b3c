"""Topic tagging: example tables, evidence offsets, the taxonomy file, and accuracy floors."""
from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import shared_path
from etl.evaluation.topics import evaluate_topics
from etl.extract.taxonomy import DEFAULT_TAXONOMY, TaxonomyError, load_taxonomy, taxonomy_rows
from etl.extract.topics import Tagger, expand_term, snippet
from etl.model import Doc

SEED = "seeds/000_0539852812ec3bbd.txt"
FAKES = "corpus/fakes/fakes-dev.csv"


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(DEFAULT_TAXONOMY)


@pytest.fixture(scope="module")
def tagger(taxonomy):
    return Tagger(taxonomy)


def topics_of(tagger: Tagger, body: str, title: str = "") -> set[str]:
    return {t.topic_id for t in tagger.tag(Doc(title=title, caption="", body=body))}


EXAMPLES = [
    # (body, topics that must be tagged, topics that must not be)
    ("A high-ranking Syrian officer defected to Jordan with his family on Saturday.", {"defection"}, set()),
    ("Turkish authorities would not say how many deserters had crossed the border.", {"defection"}, set()),
    ("Hundreds of conscripts desert the army every month, activists say.", {"defection"}, set()),
    ("Two brigades switched sides and joined the Free Syrian Army.", {"defection"}, set()),
    ("The study links pesticide use to birth defects in newborns.", set(), {"defection"}),
    ("ISIS fighters crossed the Syrian desert towards Palmyra at night.", set(), {"defection"}),
    ("Troops advanced through the desert east of Homs.", set(), {"defection"}),
    ("انشق ضابط برتبة عقيد عن الجيش السوري", {"defection"}, set()),
    ("وأعلن المنشقون عن تشكيل كتيبة جديدة", {"defection"}, set()),
    ("Regime warplanes dropped barrel bombs on Daraya, killing 12 people.",
     {"airstrike", "casualties"}, {"bombing"}),
    ("A car bomb exploded near a checkpoint in Homs, killing eight people.", {"bombing", "casualties"}, set()),
    ("Rebels fired mortar rounds and rocket shells at the old city.", {"shelling"}, set()),
    ("Activists accused the army of a chlorine gas attack on Kafr Zita.", {"chemical_weapons"}, set()),
    ("Thousands of protesters took to the streets of Hama on Friday.", {"protest"}, set()),
    ("Detainees began a hunger strike in the central prison.", {"protest"}, {"airstrike"}),
    ("The conflict began in March 2011 with anti-government protests and has killed more than 300000 people.",
     set(), {"protest", "casualties"}),
    ("Heavy clashes broke out between rebels and government troops near the airport.", {"armed_clashes"}, set()),
    ("Government forces recaptured the town of Qusair from rebels.", {"territorial_control"}, set()),
    ("The EU extended sanctions on 120 officials and froze their assets.", {"sanctions"}, set()),
    ("A UN aid convoy reached the besieged town of Madaya, where residents are under siege.",
     {"humanitarian_aid", "siege"}, set()),
    ("Russian jets struck the town with the aid of drones.", {"airstrike", "foreign_intervention"},
     {"humanitarian_aid"}),
    ("ISIS executed 19 men at an oil field near Deir Ezzor.", {"execution"}, set()),
    ("The minister said the government would execute the plan next year.", set(), {"execution"}),
    ("Gunmen kidnapped two nuns and held them hostage for three months.", {"kidnapping_hostages"}, set()),
    ("More than 40000 people fled their homes and now live in displacement camps.",
     {"displacement_refugees"}, set()),
    ("The ceasefire brokered in Astana largely held overnight.", {"ceasefire_negotiations"}, set()),
    ("A former detainee described torture in a military prison.", {"detention_torture"}, set()),
    ("شنت الطائرات الحربية غارات على ريف حلب", {"airstrike"}, set()),
    ("انفجرت سيارة مفخخة في حي الزهراء", {"bombing"}, set()),
    ("دارت اشتباكات عنيفة بين الفصائل وقوات النظام", {"armed_clashes"}, set()),
    ("قالت هيئة تحرير الشام إنها أرسلت تعزيزات", set(), {"territorial_control"}),
]


@pytest.mark.parametrize("body,expected,forbidden", EXAMPLES)
def test_example_snippets_get_the_expected_topics(tagger, body, expected, forbidden):
    found = topics_of(tagger, body)
    assert expected <= found, f"missing {expected - found} in {found}"
    assert not (forbidden & found), f"unexpected {forbidden & found}"


def test_evidence_offsets_point_at_the_matched_text_in_each_field(tagger):
    doc = Doc(title="Army officer defects",
              caption="Protesters in Amman (R)",
              body="Amman - A general defected on Saturday.\n\nActivists said 20 soldiers were killed.")
    tags = tagger.tag(doc)
    fields = set()
    for tag in tags:
        for ev in tag.evidence:
            assert getattr(doc, ev.field)[ev.start:ev.end] == ev.text
            assert ev.text in ev.snippet
            fields.add(ev.field)
    assert fields == {"title", "caption", "body"}


def test_title_matches_score_higher_than_the_same_match_in_the_body(tagger):
    in_title = tagger.tag(Doc(title="Syrian general defects", caption="", body="No details."))
    in_body = tagger.tag(Doc(title="No details", caption="", body="Syrian general defects."))
    assert in_title[0].score > in_body[0].score


def test_scores_saturate_below_one(tagger):
    once = tagger.tag(Doc("", "", "A car bomb went off."))[0]
    body = " ".join(["A car bomb went off."] * 50)
    (bombing,) = [t for t in tagger.tag(Doc("", "", body)) if t.topic_id == "bombing"]
    assert once.score < 0.5 < 0.99 < bombing.score < 1.0
    assert len(bombing.evidence) == 50


def test_the_longer_match_wins_so_barrel_bombs_are_not_counted_as_bombing(tagger):
    (air,) = [t for t in tagger.tag(Doc("", "", "Barrel bombs fell.")) if t.topic_id == "airstrike"]
    assert [e.text for e in air.evidence] == ["Barrel bombs"]


def test_the_seed_page_is_tagged_defection(tagger, shared):
    text = shared(SEED).read_text(encoding="utf-8")
    tags = {t.topic_id: t for t in tagger.tag(Doc(title="", caption="", body=text))}
    assert "defection" in tags
    assert {e.text.lower() for e in tags["defection"].evidence} >= {"defected", "defection", "deserters"}


def test_snippets_keep_the_match_and_stay_near_120_characters():
    text = "word " * 100 + "DEFECTED" + " word" * 100
    start = text.index("DEFECTED")
    piece = snippet(text, start, start + 8)
    assert "DEFECTED" in piece and 100 <= len(piece) <= 130


def test_term_expansion_covers_inflections_hyphens_and_arabic_prefixes():
    assert expand_term("defect{,s,ed}") == ["defect", "defected", "defects"]
    assert set(expand_term("air strike")) == {"air strike", "air-strike"}
    # one hyphen between content words, or a short phrase hyphenated throughout; never a hyphen
    # glued to "the" or "of" alone
    assert set(expand_term("heavy machine gun")) == {
        "heavy machine gun", "heavy-machine gun", "heavy machine-gun", "heavy-machine-gun"}
    assert set(expand_term("cessation of hostilities")) == {
        "cessation of hostilities", "cessation-of-hostilities"}
    assert "attacked-the village" not in expand_term("attacked the village")
    # a verb form or a plural ends a hyphenated compound, it does not start one
    assert "booby-trapped" in expand_term("booby trapped")
    assert not any("-" in f for f in expand_term("rebels killed"))
    assert set(expand_term("attacked checkpoint")) == {"attacked checkpoint"}
    forms = expand_term("انشقاق")
    assert {"انشقاق", "الانشقاق", "والانشقاق", "بالانشقاق"} <= set(forms)
    assert "اعدام" in expand_term("إعدام")


def test_taxonomy_rows_fill_the_topics_table(taxonomy):
    rows = taxonomy_rows(taxonomy)
    ids = [r["topic_id"] for r in rows]
    assert len(ids) == len(set(ids)) == len(taxonomy.topics) >= 20
    assert {"defection", "airstrike", "chemical_weapons", "territorial_control",
            "sexual_violence", "looting_destruction"} <= set(ids)
    assert [r["sort_order"] for r in rows] == list(range(1, len(rows) + 1))
    assert len({r["color"] for r in rows}) == len(rows)
    assert all(r["label"] and r["definition"] and r["color"].startswith("#") for r in rows)


def test_a_malformed_taxonomy_is_refused_with_the_topic_named(tmp_path):
    path = tmp_path / "taxonomy.toml"
    path.write_text('[[topic]]\nid = "siege"\nlabel = "Siege"\ndefinition = "x"\ncolor = "red"\n'
                    'terms = ["siege"]\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match="siege.*color"):
        load_taxonomy(path)


def test_a_nested_brace_group_is_refused_rather_than_matched_literally(tmp_path):
    path = tmp_path / "taxonomy.toml"
    path.write_text('[[topic]]\nid = "armed_clashes"\nlabel = "Clashes"\ndefinition = "x"\n'
                    'color = "#CC6677"\nstrong = ["battles {rage,intensif{y,ied}}"]\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match="armed_clashes.*braces"):
        load_taxonomy(path)


WORDS = ["defected", "desert", "the", "army", "car bomb", "birth defects", "killed", "انشق",
         "والمنشقين", "Syrian", "-", ".", "\n", "air-strike", "protesters", "2011", "in"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40), st.lists(st.sampled_from(WORDS), max_size=8))
def test_evidence_always_matches_its_field_on_arbitrary_text(tagger, body_words, title_words):
    doc = Doc(title=" ".join(title_words), caption="", body=" ".join(body_words))
    for tag in tagger.tag(doc):
        assert 0 < tag.score < 1
        for ev in tag.evidence:
            text = getattr(doc, ev.field)
            assert text[ev.start:ev.end] == ev.text
            assert ev.start == 0 or not text[ev.start - 1].isalnum()
            assert ev.end == len(text) or not text[ev.end].isalnum()


# ---------------------------------------------------------------- accuracy floors (real data)
# Floors sit a little under the figures measured when the taxonomy was last tuned
# (see README in tests/labels), so a regression fails.

@pytest.fixture(scope="module")
def figures():
    return evaluate_topics(shared_path(FAKES).parents[2])


def test_gold_set_micro_precision_and_recall_stay_above_their_floors(figures):
    assert figures["topic_micro_precision"] >= 0.80
    assert figures["topic_micro_recall"] >= 0.89


@pytest.mark.parametrize("topic,precision,recall", [
    # defection: "The government denied reports of mass desertion" is negated by design (8 of 9)
    ("defection", 0.70, 0.85), ("protest", 0.80, 0.95), ("airstrike", 0.85, 0.90),
    ("shelling", 0.75, 0.90), ("bombing", 0.80, 0.95), ("armed_clashes", 0.65, 0.85),
    ("chemical_weapons", 0.85, 0.80), ("casualties", 0.95, 0.95), ("execution", 0.85, 0.95),
])
def test_gold_set_per_topic_figures_stay_above_their_floors(figures, topic, precision, recall):
    assert figures[f"topic_precision.{topic}"] >= precision
    assert figures[f"topic_recall.{topic}"] >= recall


def test_cause_of_death_recall_on_all_of_fakes_dev_stays_above_its_floor(figures):
    assert figures["topic_cause_recall"] >= 0.95


def test_few_non_chemical_articles_are_tagged_chemical_weapons(figures):
    assert figures["topic_chemical_false_positive_share"] <= 0.03




# ---------------------------------------------------------------- issue 16, error classes 1-3
# Snippets written in the pattern of real event descriptions (ACLED-style notes, UCDP
# headlines). A new failure is one new row.

NEGATED = [
    # (text, topic that must NOT be tagged because its phrase is negated or hedged)
    ("Regime forces shelled the village; no injuries or fatalities were reported.", "casualties"),
    ("On 3 May 2019, an IED exploded near a SDF patrol in Shaddadi. No casualties reported.", "casualties"),
    ("Turkish artillery shelled YPG positions near Afrin without casualties.", "casualties"),
    ("A rocket landed near the embassy; no one was hurt.", "casualties"),
    ("A mortar shell fell on the market. Nobody was injured.", "casualties"),
    ("There were no reports of casualties after the shelling of Latamina.", "casualties"),
    ("The explosion did not cause any casualties, the police said.", "casualties"),
    ("The army denied that any civilians were killed in the raid.", "casualties"),
    ("Coalition airstrikes hit the port of Hudaydah. Casualties unknown.", "casualties"),
    ("Militants attacked a police outpost in Rathedaung. Fatalities not reported.", "casualties"),
    # the taxonomy's negation scopes cover the newer topics as they cover casualties
    ("The army denied that its soldiers had raped women in the village.", "sexual_violence"),
    ("Troops searched the houses; no looting was reported.", "looting_destruction"),
    ("Militiamen entered the market without looting the shops.", "looting_destruction"),
    ("Residents said there were no reports of rape during the raid.", "sexual_violence"),
    ("Police denied that officers had set fire to the huts.", "looting_destruction"),
    ("Drones attacked oil facilities, causing fires but no casualties.", "casualties"),
    ("The strike did not result in any deaths.", "casualties"),
    ("The regime denied that its warplanes had bombed the market in Maarat al-Numan.", "airstrike"),
    ("The SDF said its forces had not withdrawn from Manbij.", "territorial_control"),
    ("The interior ministry denied reports that a bomb had exploded in the capital.", "bombing"),
    ("قصفت قوات النظام البلدة دون وقوع إصابات", "casualties"),
    ("Militants stormed a checkpoint near Arish. It is unknown whether there were casualties.", "casualties"),
    ("Unidentified assailants threw a grenade at a bar in Kampala. Casualties: none.", "casualties"),
    ("Security forces clashed with bandits in Zamfara; fatalities: 0.", "casualties"),
    ("Enfrentamiento entre policías y civiles armados en Tepalcatepec, sin heridos ni muertos.", "casualties"),
    ("Affrontements entre les FACA et des hommes armés à Bambari, sans faire de victimes.", "casualties"),
    ("Al-Shabaab claimed the ambush near Afgooye. Reports of casualties could not be confirmed.", "casualties"),
    ("Militants shelled an army post in Lahij; casualties, if any, were not reported.", "casualties"),
    # a cue that ends in "in" or "from", which would otherwise end its own scope
    ("The two factions traded accusations but did not engage in clashes.", "armed_clashes"),
    ("Government troops refrained from shelling the town during the talks.", "shelling"),
    ("The brigade said it took no part in the clashes near Hama.", "armed_clashes"),
    # the negation after the verb, or a missing figure
    ("Houthi forces shelled Haradh. Information on casualties was not available.", "casualties"),
    ("Regime forces shelled Kafr Zita; the shelling killed no one.", "casualties"),
    ("A mortar round hit a house in Jobar. Casualties have not been reported.", "casualties"),
    # the subject of a predicate cue, however far its modifiers take it from the predicate
    ("Military forces clashed with the KIA near Hpakant; casualties on both sides were not reported.", "casualties"),
    ("IS cells attacked an SDF checkpoint in Shuhayl. Fatalities among the attackers were not reported.", "casualties"),
    ("Turkish forces shelled Tal Tamr. Casualties among the residents are unknown.", "casualties"),
    ("Regime forces shelled Kafr Nabudah. There was no word on casualties.", "casualties"),
    ("The regime forces shelled Latamneh; fatalities were unreported.", "casualties"),
    # the cue followed by punctuation alone (an ellipsis, a bracket closed after a space)
    ("Regime forces shelled the village. Casualties were not reported ...", "casualties"),
    ("Shelling hit Douma (casualties unknown )", "casualties"),
    ("Clashes erupted near Tafas; casualties unknown ?!", "casualties"),
]

NOT_NEGATED = [
    # (text, topic that must still be tagged: the cue's scope ends before it, or it is no cue)
    ("No one was hurt in the shelling of the village by regime forces.", "shelling"),
    ("No group claimed the car bomb attack that killed 5 people.", "casualties"),
    ("No one was killed, but two soldiers were wounded in the ambush.", "casualties"),
    # who caused it is unknown, not whether it happened
    ("An explosion of unknown origin hit the vicinity of the police headquarters in Daraa.", "bombing"),
    # "no one" after the verb negates its object only, not a later clause's subject
    ("A car bomb killed civilians in Azaz and no one claimed responsibility.", "casualties"),
    ("The bombardment killed no fewer than 20 civilians.", "casualties"),
    ("Officials would not say how many soldiers were killed.", "casualties"),
    ("The army said that no soldiers were killed in the ambush near Kachin.", "armed_clashes"),
    ("Unknown gunmen shot and killed a council member in Tafas.", "casualties"),
    ("The shelling has not stopped since Friday, activists said.", "shelling"),
    ("Shells hit several districts. The exact number of casualties was not known.", "casualties"),
    ("Sin heridos tras el enfrentamiento entre sicarios y militares en Culiacán.", "armed_clashes"),
    ("Police found a body without life in a vacant lot in Celaya.", "casualties"),
    ("The army took part in the clashes near Hama.", "armed_clashes"),
    # a predicate cue negates its clause's subject, not the event the subject is about
    ("HTS and regime forces fought on the Kabani axis. Fatalities in the clashes were not reported.", "armed_clashes"),
    ("Casualties from the shelling of Kafr Zita are unknown.", "shelling"),
    ("Casualties from the air strikes on Ariha were not immediately known.", "airstrike"),
    # "unknown" before its noun is no predicate
    ("A man was shot dead by unknown people in the eastern countryside of Daraa.", "armed_clashes"),
    ("Air strikes on a bandit enclave in Zamfara killed an unknown number of bandits.", "casualties"),
    ("Clashes erupted for unknown reasons between two clans in Thiban.", "armed_clashes"),
    # who did it is open or denied, not whether it happened
    ("Israel denied responsibility for the airstrike on a military base near Masyaf.", "airstrike"),
    ("An IED went off in Azaz. No group claimed responsibility for the IED attack.", "bombing"),
    ("It is not clear who planted the IED that exploded near the bakery.", "bombing"),
    # a repelled attack was fought
    ("HTS foiled an infiltration attempt by regime forces on the Ftireh front.", "armed_clashes"),
]


@pytest.mark.parametrize("text,topic", NEGATED)
def test_a_negated_or_hedged_phrase_does_not_tag_its_topic(tagger, text, topic):
    assert topic not in topics_of(tagger, text)


@pytest.mark.parametrize("text,topic", NOT_NEGATED)
def test_a_phrase_outside_a_negation_scope_still_tags(tagger, text, topic):
    assert topic in topics_of(tagger, text)


NEGATED_TAILS = [
    "No fatalities were reported.", "Casualties unknown.", "The number of fatalities is unknown.",
    "Fatalities on both sides were not reported.", "There were no reports of casualties.",
    "No one was hurt.", "No group claimed responsibility for the attack.",
    "It is not clear who was behind the attack.", "Sources did not report any casualties.",
    "It is unknown whether there were casualties.",
]


def test_a_negated_casualty_report_after_any_event_note_changes_none_of_its_topics(tagger):
    # every written event note, with each way such notes say no one was hurt appended: the
    # report neither adds casualties nor takes an event away
    import csv
    from etl.evaluation.topics import LABELS
    for name in ("topics_events_written.csv", "topics_events_codebook.csv"):
        with (LABELS / name).open(encoding="utf-8", newline="") as f:
            notes = [r["text"] for r in csv.DictReader(f)]
        for note in notes:
            alone = topics_of(tagger, note)
            for tail in NEGATED_TAILS:
                assert topics_of(tagger, note.rstrip(".") + ". " + tail) == alone, (note, tail)


def test_negated_matches_are_not_shown_as_evidence(tagger):
    doc = Doc("", "", "Two people were killed in the first raid; no one was killed in the second.")
    (cas,) = [t for t in tagger.tag(doc) if t.topic_id == "casualties"]
    assert [e.text for e in cas.evidence] == ["killed"]
    assert cas.evidence[0].start == doc.body.index("killed")


EVERY_TOPIC_COUNTS = [
    # (text, topics that must all be tagged although one phrase contains another's)
    ("Coalition airstrikes hit the port of Hudaydah.", {"airstrike", "foreign_intervention"}),
    ("Russian air strikes killed 12 people in Idlib.", {"airstrike", "foreign_intervention", "casualties"}),
    ("Turkish artillery shelled villages near Tal Rifaat.", {"shelling", "foreign_intervention"}),
    ("US-led coalition air strikes on Raqqa killed 20 civilians.", {"airstrike", "foreign_intervention", "casualties"}),
    ("Gunmen shot dead a police officer in Monterrey.", {"armed_clashes", "casualties"}),
    ("Israeli jets struck Iranian positions near Albu Kamal.", {"airstrike", "foreign_intervention"}),
]


@pytest.mark.parametrize("text,expected", EVERY_TOPIC_COUNTS)
def test_every_topic_whose_phrase_matches_is_tagged(tagger, text, expected):
    found = topics_of(tagger, text)
    assert expected <= found, f"missing {expected - found} in {found}"


def test_longest_match_still_applies_within_one_topic(tagger):
    (bombing,) = [t for t in tagger.tag(Doc("", "", "A car bomb exploded.")) if t.topic_id == "bombing"]
    assert [e.text for e in bombing.evidence] == ["car bomb", "exploded"]


EVENT_VOCABULARY = [
    # (text, topics that must be tagged, topics that must not be)
    ("IS militants fired ground-to-ground missiles at regime positions in Tlul al-Safa.", {"shelling"}, set()),
    ("The SDF and IS cells clashed with heavy machine guns and grenade launchers near Hajin.",
     {"armed_clashes"}, {"bombing", "shelling"}),
    ("Explosions were heard near the military airport of Hama.", {"bombing"}, set()),
    ("A grenade was thrown at a shop in Tal Abyad, injuring the owner.", {"bombing", "casualties"}, set()),
    ("Militants hurled a hand grenade into a police compound in Peshawar.", {"bombing"}, set()),
    ("Opposition fighters withdrew from the town of Busra al-Harir.", {"territorial_control"}, set()),
    ("Regime forces took control of the village of Tell Sultan.", {"territorial_control"}, set()),
    ("Turkish forces and allied factions took over the town of Ras al-Ain.",
     {"territorial_control", "foreign_intervention"}, set()),
    ("Police seized weapons and drugs during a raid on a house in Tripoli.", set(), {"territorial_control"}),
    ("Members of the rapid intervention battalion clashed with gunmen in Aden.",
     {"armed_clashes"}, {"foreign_intervention"}),
    ("A roadside bomb targeted a military patrol near Mogadishu.", {"bombing"}, set()),
    ("An IED exploded near a SDF vehicle on the road to Tabqa.", {"bombing"}, set()),
    ("A suicide bomber blew himself up at a checkpoint in Azaz.", {"bombing"}, set()),
    ("Suicide car targets al-Zahraa neighborhood in Homs", {"bombing"}, set()),
    ("A drone strike targeted a vehicle in Marib.", {"airstrike"}, {"bombing"}),
    ("An unmanned aerial vehicle struck a Houthi position in Saada.", {"airstrike"}, set()),
    ("Clashes erupted between HTS and regime forces on the Kabani front.", {"armed_clashes"}, set()),
    ("Demonstrators gathered in front of the governorate building in Basra.", {"protest"}, set()),
    ("Protesters staged a sit-in outside the parliament in Beirut.", {"protest"}, set()),
    ("Rioters burned tyres and threw stones at police in Nasiriyah.", {"protest"}, set()),
    ("A mob attacked and lynched a man accused of theft.", {"protest", "casualties"}, set()),
    ("Landmine explosion in Al-Raqqah leaves more casualties", {"bombing", "casualties"}, set()),
    ("Several shells have been fired on al-Foua town", {"shelling"}, set()),
    ("Regime forces shell Al-Houla and the northern countryside of Homs", {"shelling"}, set()),
    ("Rockets fired at Myanmar junta Monywa Township camp", {"shelling"}, set()),
    ("Militants attacked a checkpoint with rocket-propelled grenades.", {"armed_clashes"}, {"shelling"}),
    ("Casualties and injuries in the fall of shells at the capital", {"shelling", "casualties"},
     {"territorial_control"}),
    ("HTS and the National Liberation Front traded accusations.", set(), {"territorial_control"}),
    ("Regime helicopters dropped barrel bombs on Kafr Zita.", {"airstrike"}, {"bombing"}),
    ("Two men are murdered during the afternoon of this Saturday", {"casualties"}, set()),
    # class 3 beyond the Middle East: attackers named by what they do, ground raids, Spanish
    # and French reports, strikes and shutdowns, ground given up without a fight
    ("Suspected Fulani herdsmen attacked the village of Dogo Nahawa, killing 12.",
     {"armed_clashes", "casualties"}, set()),
    ("Armed men on motorcycles stormed a market in Tillaberi.", {"armed_clashes"}, set()),
    ("Unidentified gunmen ambushed a police patrol on the Maiduguri-Damboa road.", {"armed_clashes"}, set()),
    ("Junta troops raided a village in Sagaing and torched 40 houses.", {"armed_clashes"}, {"airstrike"}),
    ("They shot a taxi driver dead in the Centro neighbourhood.", {"armed_clashes"}, set()),
    ("Regime warplanes carried out raids on the outskirts of Kafr Nabl.", {"airstrike"}, set()),
    ("Balacera en Reynosa deja tres muertos.", {"armed_clashes", "casualties"}, set()),
    ("Hallan cadáver con huellas de tortura en Zitácuaro.", {"casualties"}, set()),
    ("Ataque armado contra un bar en Irapuato; hay cinco lesionados.", {"armed_clashes", "casualties"}, set()),
    ("Centrafrique : des combats entre la Séléka et les anti-balaka à Bossangoa.", {"armed_clashes"}, set()),
    ("Des hommes armés ont tué trois civils près de Kaga-Bandoro.", {"armed_clashes", "casualties"}, set()),
    ("Frappes aériennes de l'armée sur des positions rebelles à Kidal.", {"airstrike"}, set()),
    ("Des tirs d'obus ont visé le camp de déplacés.", {"shelling"}, set()),
    ("Un engin explosif improvisé a explosé au passage d'un convoi.", {"bombing"}, set()),
    ("Manifestation des commerçants devant la mairie de Bangui.", {"protest"}, set()),
    ("Los manifestantes bloquearon la carretera federal.", {"protest"}, set()),
    ("Opposition parties called a dawn-to-dusk hartal across Bangladesh.", {"protest"}, set()),
    ("Traders observed a bandh in Imphal against the killing of a student.", {"protest"}, set()),
    ("Teachers went on strike in Harare over unpaid salaries.", {"protest"}, {"airstrike"}),
    ("Rebels abandoned their positions in Ndele ahead of the army's arrival.", {"territorial_control"}, set()),
    ("Les rebelles se sont emparés de la ville de Bria.", {"territorial_control"}, set()),
    ("The army handed over the base to the UN mission in Kidal.", {"territorial_control"}, set()),
    ("ADF rebels killed 14 villagers with machetes near Oicha.", {"armed_clashes", "casualties"}, set()),
    ("Inter-communal violence between Tiv and Jukun youths left 6 dead.", {"armed_clashes", "casualties"}, set()),
    ("Cattle raiders from a neighbouring county attacked herders in Baringo.", {"armed_clashes"}, set()),
    ("Youths pelted stones at police vehicles in Srinagar.", {"protest"}, set()),
    ("Residents marched to the district office to demand clean water.", {"protest"}, set()),
    ("M23 rebels occupied the town of Bunagana.", {"territorial_control"}, set()),
    ("Woman dies after two subjects shot her at her shop in Celaya.", {"armed_clashes", "casualties"}, set()),
    ("Two men are shot in Uruapan; one dies on the spot.", {"armed_clashes", "casualties"}, set()),
    ("A farmer was beaten to death by a mob in Kaduna.", {"casualties", "protest"}, set()),
    ("Government troops pushed the rebels out of the town of Kaga-Bandoro.", {"territorial_control"}, set()),
    ("Two farmers were burned alive in their hut near Beni.", {"casualties"}, set()),
    ("Insurgents launched an attack on the airbase at Kandahar overnight.", {"armed_clashes"}, set()),
    ("Unknown armed men took away three traders at gunpoint near Batangafo.", {"kidnapping_hostages"}, set()),
    ("Secuestran a un empresario en Culiacán.", {"kidnapping_hostages"}, set()),
    ("Des hommes armés ont enlevé deux humanitaires près de Kaga-Bandoro.", {"kidnapping_hostages"}, set()),
    ("Community leaders signed a non-aggression pact in Bankass.", {"ceasefire_negotiations"}, set()),
    ("The army recovered the town of Mubi from Boko Haram.", {"territorial_control"}, set()),
    ("Pirates attacked a tanker off the coast of Bayelsa.", {"armed_clashes"}, set()),
    ("Myanmar junta convoy attacked in Mohnyin township.", {"armed_clashes"}, set()),
    ("Soldiers kill two men on a motorbike in Kalay.", {"armed_clashes", "casualties"}, set()),
    ("Four policemen killed in an air strike on their post.", {"airstrike", "casualties"}, {"armed_clashes"}),
    ("Alindao : un gendarme tue un civil au marché.", {"casualties"}, set()),
    ("Residents meted out jungle justice to a suspected thief in Onitsha.", {"protest"}, set()),
    ("The army cleared the town of Gudumbali of insurgents.", {"territorial_control"}, set()),
    ("The military engaged in a gun battle with bandits near Birnin Gwari.", {"armed_clashes"}, set()),
    # the armed side named as an institution, fighting named by its verb, firing without a weapon
    ("The military kills four villagers after raiding Tabayin township.", {"armed_clashes", "casualties"}, set()),
    ("Resistance forces kill at least 12 junta soldiers in two days.", {"armed_clashes", "casualties"}, set()),
    ("KNU brigade fights junta troops near Myawaddy.", {"armed_clashes"}, set()),
    ("Fighting forced 3,000 residents of Hpakant to flee overnight.", {"armed_clashes"}, set()),
    ("Pakistani troops resort to unprovoked firing along the Line of Control in Poonch.", {"armed_clashes"}, set()),
    ("Three killed in an attack on a police station in Buthidaung.", {"armed_clashes", "casualties"}, set()),
    ("Two army officers killed in a car bomb blast in Kabul.", {"bombing", "casualties"}, {"armed_clashes"}),
    # false friends
    ("Officers executed a search warrant at a house in the suburbs.", set(), {"casualties"}),
    ("The court sentenced him to death in absentia.", set(), {"casualties"}),
    ("The upsell is executed based on rules the shop defines.", set(), {"casualties"}),
    ("Eventually the scale cell dies, revealing the finished scale.", set(), {"casualties"}),
    ("Hackers claimed an attack on the website of the electoral commission.", set(), {"armed_clashes"}),
    ("Fans ended up shelling out money for tickets to the final.", set(), {"shelling"}),
    ("The study found that the body stores excess sugar as fat.", set(), {"casualties"}),
    ("Tickets go on sale Tue 14 May at the theatre box office.", set(), {"casualties"}),
    ("The governing body of the league suspended the coach.", set(), {"casualties"}),
    ("The minister attacked the government's policy on fuel prices.", set(), {"armed_clashes"}),
]


# Event notes in the pattern of ACLED's sub-event types (armed clash, attack, shelling/artillery/
# missile attack, remote explosive, mob violence, protest with intervention, territory changing
# hands without a fight), written for the verb forms and word orders real notes use.
CODEBOOK_VOCABULARY = [
    # armed clash: the other side engaged, sniping, fighting that breaks out or escalates
    ("Fighters from the FSA engaged regime forces in the Hama countryside.", {"armed_clashes"}, set()),
    ("Opposition fighters sniped a regime soldier on the Jobar front.", {"armed_clashes"}, set()),
    ("Fighting breaks out in Kalay as junta forces come under attack.", {"armed_clashes"}, set()),
    ("Clashes escalated overnight between tribesmen and AQAP militants in Shabwah.", {"armed_clashes"}, set()),
    # a headline's "fighting", "battle" or "offensive" is the event; an article's passing one is not
    ("Houthi fighters and pro-government troops fought in Sirwah.", {"armed_clashes"}, set()),
    ("Mother and daughter killed in Kyaukme fighting.", {"armed_clashes", "casualties"}, set()),
    ("Burma Army launches offensives in Karenni State.", {"armed_clashes"}, set()),
    # attack: the armed side as an institution or a cell, attacks on posts and bases
    ("An IS cell attacked an SDF checkpoint in Shaddadi.", {"armed_clashes"}, set()),
    ("Burma Army attacks KIA outpost in Waingmaw.", {"armed_clashes"}, set()),
    ("Four police killed in attacks on border guard posts in Maungdaw.", {"armed_clashes", "casualties"}, set()),
    ("Two civilians shot in junta crackdown in Myingyan.", {"armed_clashes"}, set()),
    ("IS launched a violent attack on the airbase east of Deir ez-Zor.", {"armed_clashes"}, set()),
    ("An attack by the regime forces on the outskirts of Maghar al-Meer left two fighters dead.",
     {"armed_clashes", "casualties"}, set()),
    ("Matan a tiros a un comerciante en Culiacán.", {"armed_clashes", "casualties"}, set()),
    ("Acribillan a dos hombres en una calle de Uruapan.", {"armed_clashes"}, set()),
    # shelling: forces bombarding, launchers in use; a projectile fired at a place is no gunfire
    ("Regime forces bombarded Kafr Zita with rocket launchers.", {"shelling"}, {"armed_clashes"}),
    ("Rockets fired at a junta camp in Monywa Township.", {"shelling"}, {"armed_clashes"}),
    ("Police seized two rocket launchers and ammunition in Hasakah.", set(), {"shelling"}),
    ("HTS targeted a regime tank with an ATGM on the Kabani front.", {"shelling"}, set()),
    # the campaign a note places its event in is not a second event
    ("Regime forces shelled Kafr Zita as part of the ongoing offensive on Idlib.", {"shelling"},
     {"armed_clashes"}),
    # remote explosive: barrels of explosives are dropped from the air
    ("Regime helicopters dropped barrels of explosives on Kafr Zita.", {"airstrike"}, {"bombing"}),
    # mob violence and protest with intervention
    ("A crowd attacked a police station in Aden and set it on fire.", {"protest"}, {"armed_clashes"}),
    ("Police dispersed a gathering of residents in front of the municipality.", {"protest"}, set()),
    ("Youths burned tyres and blocked roads in Mukalla.", {"protest"}, set()),
    ("Fishermen blocked the road to denounce the fuel shortage.", {"protest"}, set()),
    # territory: the hands it falls into, control taken in full, extended or handed over
    ("The town fell into the hands of the Houthis after two days.", {"territorial_control"}, set()),
    ("Regime forces took full control of the town.", {"territorial_control"}, set()),
    ("The SDF expanded its control in the Deir ez-Zor countryside.", {"territorial_control"}, set()),
    ("Regime forces regained the village after a counter-attack.", {"territorial_control"}, set()),
    ("HTS handed over its positions to the NLF.", {"territorial_control"}, set()),
    ("The Houthis withdrew their forces from the port of Hudaydah.", {"territorial_control"}, set()),
    ("Pro-government forces secured the road between Aden and Lahij.", {"territorial_control"}, set()),
    # false friends: a raid that seizes weapons is no air strike
    ("Police seized weapons and drugs in a raid in Hasakah.", set(), {"airstrike", "territorial_control"}),
]


# Fourth pass: codebook sub-event types in the forms event notes write them (ACLED's armed
# clash, attack, air/drone strike, remote explosive, grenade, protest with intervention, violent
# demonstration, the territory types) and the false friends of each new phrase.
CODEBOOK_VOCABULARY_4 = [
    ("Opposition fighters repelled an attempt by regime forces to advance on the Hobait axis.",
     {"armed_clashes"}, {"territorial_control"}),
    ("HTS regained the village of Tal Malah after a counter-attack.", {"armed_clashes"}, set()),
    ("PDF fighters assassinated a ward administrator in Mandalay.", {"armed_clashes"}, set()),
    ("Unidentified perpetrators killed a civilian in Jasim.", {"armed_clashes", "casualties"}, set()),
    ("Al-Shabaab militants attacked Bal'ad town at dawn.", {"armed_clashes"}, set()),
    ("Boko Haram insurgents invaded Dapchi and fired sporadically.", {"armed_clashes"}, set()),
    ("The army and the KIA battled near Hpakant for three days.", {"armed_clashes"}, set()),
    ("Police dispersed protesters in Dawei with tear gas and stun grenades.", {"protest"}, {"bombing"}),
    ("Angry residents stormed the municipal building in Jaramana.", {"protest"}, {"territorial_control"}),
    ("Residents of Monywa held a silent strike against the military regime.", {"protest"}, set()),
    ("Russian aviation struck Vovchansk with guided aerial bombs.", {"airstrike"}, set()),
    ("A quadcopter dropped grenades on a military outpost in Sagaing.", {"airstrike"}, set()),
    ("Unidentified warplanes (likely Russian) struck the outskirts of Kafr Nabel.",
     {"airstrike", "foreign_intervention"}, set()),
    ("A military vehicle hit a mine near Tal Abyad.", {"bombing"}, set()),
    ("A remote-controlled bomb went off near a police car in Daraa.", {"bombing"}, set()),
    ("A homemade bomb exploded near a police station in Yangon.", {"bombing"}, set()),
    ("The SDF handed over three villages to regime forces.", {"territorial_control"}, set()),
    ("Regime forces re-entered the town of Sheikh Meskin.", {"territorial_control"}, set()),
    ("Regime forces regained Kafr Nabudah.", {"territorial_control"}, set()),
    ("Russian troops pulled out of Kherson city.", {"territorial_control"}, set()),
    ("Regime forces restored control over the M5 highway.", {"territorial_control"}, set()),
    # the same words in everyday news
    ("Candidates attacked each other's plans in the debate.", set(), {"armed_clashes"}),
    ("Michigan regained 34,185 automotive manufacturing jobs.", set(), {"territorial_control"}),
    ("Pension funds are pulling out of hedge funds.", set(), {"territorial_control"}),
    ("The company pulled out of the deal on Friday.", set(), {"territorial_control"}),
    ("Regime forces keep trying to advance north of Hama.", set(), {"territorial_control"}),
]


@pytest.mark.parametrize("text,expected,forbidden", CODEBOOK_VOCABULARY + CODEBOOK_VOCABULARY_4)
def test_codebook_event_vocabulary_tags_its_topics(tagger, text, expected, forbidden):
    found = topics_of(tagger, text)
    assert expected <= found, f"missing {expected - found} in {found}"
    assert not (forbidden & found), f"unexpected {forbidden & found}"


# ACLED's sexual violence and looting/property destruction sub-events, in the codebook's terms
# and in Arabic, Spanish and French; then the same words in everyday news.
CODEBOOK_VOCABULARY_5 = [
    ("Soldiers raped two women at a checkpoint near Kalehe.", {"sexual_violence"}, set()),
    ("Militiamen gang-raped a girl in a village outside Geneina.", {"sexual_violence"}, set()),
    ("A detainee was sexually abused in the security branch.", {"sexual_violence"}, set()),
    ("IS held hundreds of Yazidi women as sex slaves.", {"sexual_violence"}, set()),
    ("Soldiers forced women to undress in public at the market.", {"sexual_violence"}, set()),
    ("اغتصب مسلحون فتاة في ريف المدينة", {"sexual_violence"}, set()),
    ("Denuncian violencia sexual de un grupo armado contra mujeres indígenas.", {"sexual_violence"}, set()),
    ("Des hommes armés ont violé deux femmes près de Kaya.", {"sexual_violence"}, {"armed_clashes"}),
    ("Junta troops torched dozens of houses in Sagaing.", {"looting_destruction"}, set()),
    ("RSF fighters looted the central market.", {"looting_destruction"}, set()),
    ("Israeli forces demolished two Palestinian homes in Silwan.", {"looting_destruction"}, set()),
    ("Armed men looted shops and set fire to the clinic.", {"looting_destruction"}, {"armed_clashes"}),
    ("Several houses were torched in the village overnight.", {"looting_destruction"}, set()),
    ("Cattle rustlers stole 200 cows from herders near Zurmi.", {"looting_destruction"}, set()),
    ("نهب عناصر الميليشيا منازل المدنيين", {"looting_destruction"}, set()),
    ("Hombres armados saquearon comercios en el centro.", {"looting_destruction"}, {"armed_clashes"}),
    ("Des rebelles ont pillé et incendié des maisons à Tillia.", {"looting_destruction"}, set()),
    # rioters who burn a building: both a protest and property destruction
    ("Rioters ransacked and set fire to the party offices.", {"protest", "looting_destruction"}, set()),
    # a person set on fire is a casualty, not property
    ("Militiamen set fire to a man in the square.", {"casualties"}, {"looting_destruction"}),
    # the same words in everyday news
    ("Farmers sowed oilseed rape early this year.", set(), {"sexual_violence"}),
    ("A rally against sexual violence filled the square.", {"protest"}, {"sexual_violence"}),
    ("Hackers looted customer accounts at the exchange.", set(), {"looting_destruction"}),
    ("Nazi-looted paintings were shown in Vienna.", set(), {"looting_destruction"}),
    ("Bronzes looted by British troops in 1897 were returned this week.", set(), {"looting_destruction"}),
    ("The band torched the charts with its new single.", set(), {"looting_destruction"}),
    ("The wholesale plundering of local news has left towns uncovered.", set(), {"looting_destruction"}),
    ("The house burned down after an electrical fault.", set(), {"looting_destruction"}),
    ("The striker said the team would destroy their opponents.", set(), {"looting_destruction"}),
]


@pytest.mark.parametrize("text,expected,forbidden", CODEBOOK_VOCABULARY_5)
def test_sexual_violence_and_looting_vocabulary_tags_its_topics(tagger, text, expected, forbidden):
    found = topics_of(tagger, text)
    assert expected <= found, f"missing {expected - found} in {found}"
    assert not (forbidden & found), f"unexpected {forbidden & found}"


# Ordinary news headlines and sentences in the pattern of general-news feeds and pages: the
# codebook vocabulary's headline forms ("civilians shot", "engaged the army", "to denounce") and
# the weak clash words a short text now takes alone have everyday senses. Each must stay untagged
# as a headline (title) and as a short text (body).
ORDINARY_NEWS = [
    ("Arab League ministers meet to condemn the annexation plan", "protest"),
    ("President to demand answers from Beijing over trade", "protest"),
    ("Teenager shot to fame after viral video", "armed_clashes"),
    ("Students shot a short film about their town", "armed_clashes"),
    ("The US has engaged the military junta in talks on aid access.", "armed_clashes"),
    ("Army attack helicopter crashes during training flight", "armed_clashes"),
    ("Star battling breast cancer shares her story", "armed_clashes"),
    ("Singer fought back tears during the speech", "armed_clashes"),
    ("Rap battle draws thousands to the city park", "armed_clashes"),
    ("The ad was deeply offensive to many viewers", "armed_clashes"),
    ("The striker was simply on fire on Saturday", "armed_clashes"),
    ("Immune cells attack healthy tissue in lupus patients", "armed_clashes"),
]


@pytest.mark.parametrize("text,forbidden", ORDINARY_NEWS)
def test_ordinary_news_senses_of_event_vocabulary_tag_nothing(tagger, text, forbidden):
    assert forbidden not in topics_of(tagger, text)
    assert forbidden not in {t.topic_id for t in tagger.tag(Doc(title=text, caption="", body=""))}


def test_angry_residents_are_a_protest_only_when_they_act(tagger):
    # a weak term: a reaction quoted in any story, a protest beside what the crowd did
    assert "protest" not in topics_of(tagger, "Angry residents demand answers after the flood.")
    assert "protest" in topics_of(tagger, "Angry villagers blocked the main road in Taiz.")


def test_a_topic_can_lower_its_own_threshold_for_short_texts(tagger):
    # armed_clashes sets short_min_raw 0.5: its weak "fighting" tags a headline, not an article
    headline = "Fresh fighting in Hpakant sends 100 villagers fleeing."
    assert "armed_clashes" in topics_of(tagger, headline)
    article = headline + " " + "The council met on Monday to discuss the budget for schools. " * 12
    assert "armed_clashes" not in topics_of(tagger, article)
    # the other topics keep the shared short threshold: a weak "talks" alone tags nothing
    assert "ceasefire_negotiations" not in topics_of(tagger, "Talks resume in the capital.")


@pytest.mark.parametrize("text,expected,forbidden", EVENT_VOCABULARY)
def test_event_report_vocabulary_tags_its_topics(tagger, text, expected, forbidden):
    found = topics_of(tagger, text)
    assert expected <= found, f"missing {expected - found} in {found}"
    assert not (forbidden & found), f"unexpected {forbidden & found}"


def test_a_single_term_tags_a_short_event_note_but_not_a_long_article(tagger):
    note = "Shells target the countryside of Jableh."
    assert "shelling" in topics_of(tagger, note)
    article = note + " " + "The council met on Monday to discuss the budget for schools. " * 12
    assert "shelling" not in topics_of(tagger, article)



def test_a_truce_named_in_passing_does_not_make_a_long_war_report_about_the_ceasefire(tagger):
    report = ("Regime helicopters dropped barrel bombs on the eastern districts of Aleppo on Sunday, "
              "killing at least 14 people, despite the ceasefire announced last month. ") + (
        "Rescue workers pulled survivors from the rubble of a market and a bakery. " * 8)
    assert "ceasefire_negotiations" not in topics_of(tagger, report)
    assert "airstrike" in topics_of(tagger, report)
    talks = report + " Envoys resumed ceasefire talks in Geneva, and both sides agreed a truce for the city."
    assert "ceasefire_negotiations" in topics_of(tagger, talks)
    assert "ceasefire_negotiations" in topics_of(tagger, "A ceasefire took hold in Daraa at midnight.")

# ---------------------------------------------------------------- per-corpus split floors
# Floors a little under the test-split figures measured when the taxonomy was last tuned on
# the dev splits (docs/figures.md); the test halves were never looked at while tuning.

@pytest.fixture(scope="module")
def corpus_figures():
    from etl.evaluation.topic_corpora import evaluate_topic_corpora
    return evaluate_topic_corpora(shared_path(FAKES).parents[2], topics_only=True)


@pytest.mark.parametrize("corpus,precision,recall", [
    # events: one weak clash word now tags a note alone (armed_clashes short_min_raw), which
    # moved its test half to precision 0.912, recall 0.981 (docs/figures.md)
    ("events", 0.90, 0.95), ("ucdp", 0.93, 0.88), ("fakes_gold", 0.78, 0.93),
    ("events_codebook", 0.93, 0.93),
    # notes for regions and years the others lack, test half scored once: 0.923 / 0.935
    ("events_regions", 0.90, 0.92),
])
def test_event_type_figures_on_each_test_split_stay_above_their_floors(corpus_figures, corpus, precision, recall):
    assert corpus_figures[f"topics.{corpus}.test.event_precision"] >= precision
    assert corpus_figures[f"topics.{corpus}.test.event_recall"] >= recall


def test_the_codebook_notes_test_half_keeps_its_figures_over_every_topic(corpus_figures):
    # all topics, the sexual violence and looting notes among them (docs/figures.md, fifth pass)
    assert corpus_figures["topics.events_codebook.test.micro_precision"] >= 0.88
    assert corpus_figures["topics.events_codebook.test.micro_recall"] >= 0.88


def test_the_regions_notes_test_half_keeps_its_figures_over_every_topic(corpus_figures):
    # measured 0.947 / 0.941 (docs/figures.md, topics sixth pass)
    assert corpus_figures["topics.events_regions.test.micro_precision"] >= 0.92
    assert corpus_figures["topics.events_regions.test.micro_recall"] >= 0.92


def test_no_story_is_tagged_casualties_because_of_a_negation(corpus_figures):
    for corpus in ("events", "events_codebook", "events_regions", "ucdp", "fakes_gold", "written"):
        for split in ("dev", "test"):
            assert corpus_figures[f"topics.{corpus}.{split}.casualties_negation_fp"] == 0


def test_ucdp_coded_headlines_name_their_violence_and_deaths_above_the_floors(corpus_figures):
    # every distinct headline of four UCDP regions against UCDP's own coding (no hand labels);
    # many headlines are only a report's title, so the ceiling is far below 1
    assert corpus_figures["topics.ucdp_coded.all.test.violence_recall"] >= 0.38
    assert corpus_figures["topics.ucdp_coded.all.test.casualties_recall"] >= 0.66
    assert corpus_figures["topics.ucdp_coded.all.test.casualties_negation_fp"] <= 3


def test_the_split_is_a_stable_half_by_row_id():
    from etl.evaluation.topic_corpora import split_of
    assert split_of("events", "e001") == split_of("events", "e001")
    halves = [split_of("ucdp", str(i)) for i in range(2000)]
    assert 900 < halves.count("dev") < 1100


# ---------------------------------------------------------------- gapped terms
# " * " in a term skips up to three words: a number or a quantity no pattern can spell

def _gap_tagger(terms, exclude=()):
    from etl.extract.taxonomy import parse_taxonomy
    return Tagger(parse_taxonomy({
        "negation": {"cues": ["no", "nobody"], "stops": ["in", "and"]},
        "topic": [{"id": "looting_destruction", "label": "L", "definition": "d", "color": "#000000",
                   "strong": list(terms), "exclude": list(exclude)},
                  {"id": "territorial_control", "label": "T", "definition": "d", "color": "#111111",
                   "strong": ["seized"], "exclude": ["seiz{e,ed} * {kg,pills,weapons}"]}]}))


@pytest.mark.parametrize("text,expected", [
    ("Junta troops torched houses in Sagaing.", "torched houses"),
    ("Junta troops torched six villages in Sagaing.", "torched six villages"),
    ("Militants torched more than 200 houses.", "torched more than 200 houses"),
    ("Kuki militants torched 30 houses, police said.", "torched 30 houses"),
    # more than three words, punctuation or a coordination between: no join
    ("They torched a very big old house and villages.", None),
    ("They torched the car, houses nearby were spared.", None),
    ("They torched cars and houses.", None),
    # a negation cue before the left half negates the joined term
    ("Nobody torched six villages.", None),
])
def test_a_gapped_term_skips_up_to_three_words_within_a_clause(text, expected):
    tags = _gap_tagger(["torch{ed,ing} * {houses,villages}"]).tag(Doc(title="", caption="", body=text))
    found = [e.text for t in tags if t.topic_id == "looting_destruction" for e in t.evidence]
    assert found == ([expected] if expected else [])


def test_a_gapped_exclusion_vetoes_what_it_overlaps():
    tagger = _gap_tagger(["looted"])
    assert topics_of(tagger, "Police seized 20 kg of captagon pills.") == set()
    assert topics_of(tagger, "Police seized weapons.") == set()
    assert topics_of(tagger, "Rebels seized the town.") == {"territorial_control"}


@pytest.mark.parametrize("term", ["* houses", "torched *", "torched * six * houses",
                                  "torch{ed, * ,ing} houses", "torched*houses"])
def test_a_malformed_gap_is_refused(tmp_path, term):
    path = tmp_path / "taxonomy.toml"
    path.write_text('[[topic]]\nid = "looting"\nlabel = "L"\ndefinition = "x"\ncolor = "#000000"\n'
                    f'strong = ["{term}"]\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match="looting"):
        load_taxonomy(path)


# ---------------------------------------------------------------- sixth pass vocabulary
# Event notes in the pattern of ACLED's, for the codebook's sub-events the other tables
# have least of, from regions the labelled corpora lacked (the Horn, the Great Lakes,
# Mozambique, South Asia, Haiti, Lebanon), and their near misses in the same notes
REGIONS_VOCABULARY = [
    # disrupted weapons use is no explosion; a drone's dropped explosives are an air strike
    ("Disrupted weapons use: ISF engineers dismantled 3 IEDs planted near Tuz Khurmatu.", set(), {"bombing"}),
    ("Army sappers defused two roadside bombs on the Bannu road.", set(), {"bombing"}),
    ("PDF fighters dropped two grenades from a drone on a junta outpost.", {"airstrike"}, {"bombing"}),
    ("A US drone fired a Hellfire missile at a vehicle near Jilib.", {"airstrike"}, {"shelling"}),
    ("Military forces fired heavy weapons into Kani village.", {"shelling"}, set()),
    ("GNU forces clashed with rival militias using heavy weapons in Tripoli.", {"armed_clashes"}, {"shelling"}),
    ("F-16s bombed TTP hideouts in North Waziristan.", {"airstrike"}, set()),
    ("The possible delivery of Su-24s to Argentina worries London.", set(), {"airstrike"}),
    ("Gunmen fired at the presidential helicopter as it landed.", {"armed_clashes"}, {"airstrike"}),
    ("US service members killed in helicopter crash.", set(), {"airstrike"}),
    # attacks, encounters and the armed actors that act
    ("Al Shabaab carried out a hit-and-run attack on an SNA base in Afgoye.", {"armed_clashes"}, set()),
    ("An encounter broke out between security forces and militants in Shopian.", {"armed_clashes"}, set()),
    ("Suspected Maoists killed a villager in Bijapur.", {"armed_clashes"}, set()),
    ("Gang members killed at least 12 residents in Cite Soleil.", {"armed_clashes"}, set()),
    ("Three terrorists killed in an encounter in Kupwara.", set(), set()),
    ("Unknown gunmen abducted a council member in Janzour.", {"kidnapping_hostages"}, {"armed_clashes"}),
    ("A 2nd suspect was arrested in the hit-and-run death of a pregnant woman.", set(), {"armed_clashes"}),
    # protest forms of South Asia, and crowds that act
    ("Youth Congress members staged a dharna in front of the collectorate.", {"protest"}, set()),
    ("Party workers burnt effigies of the chief minister.", {"protest"}, set()),
    ("Students formed a human chain demanding justice for the victim.", {"protest"}, set()),
    ("A crowd of youths set a police post on fire.", {"protest", "looting_destruction"}, set()),
    ("Residents beat a suspected thief to death in Kinshasa.", {"protest", "casualties"}, set()),
    # looting by armed men is no riot; property torched with a number between
    ("Looting: armed militias looted food aid from a warehouse in Baidoa.", {"looting_destruction"}, {"protest"}),
    ("Wazalendo fighters burned down about 30 houses in Kilolirwe.", {"looting_destruction"}, set()),
    ("Gunmen set a man on fire in Guerrero.", set(), {"looting_destruction"}),
    ("Her new photos set the internet on fire.", set(), {"looting_destruction"}),
    # territory: goods seized, an attack, and who already holds the ground
    ("The Lebanese army seized 20 kg of captagon pills in Hermel.", set(), {"territorial_control"}),
    ("Gunmen stormed a school in Kumba and opened fire on pupils.", {"armed_clashes"}, {"territorial_control"}),
    ("Al Shabaab banned smartphones in areas under its control.", set(), {"territorial_control"}),
    ("FARDC soldiers took back the town of Kiwanja from M23.", {"territorial_control"}, set()),
    # casualties: a zero count, and places named after martyrs
    ("Military forces shelled Kyauk Ta village. 0 fatalities.", {"shelling"}, {"casualties"}),
    ("Military forces shelled Kyauk Ta village. Fatalities coded as 0.", {"shelling"}, {"casualties"}),
    ("Hundreds of protesters gathered in Martyrs' Square in Tripoli.", {"protest"}, {"casualties"}),
    # foreign forces where they fight
    ("Eritrean troops shot dead civilians in Axum.", {"foreign_intervention", "armed_clashes"}, set()),
    ("SAMIM forces clashed with insurgents near Chitama.", {"foreign_intervention", "armed_clashes"}, set()),
    ("IDF shelling hit the outskirts of Alma ash Shaab.", {"foreign_intervention", "shelling"}, set()),
    ("Decisions of the AG Education IDF of Tuesday 10 September.", set(), {"foreign_intervention"}),
    ("Thousands of civilians fled the fighting around Kitshanga.", {"displacement_refugees"}, set()),
]


@pytest.mark.parametrize("text,expected,forbidden", REGIONS_VOCABULARY)
def test_event_notes_from_other_regions_tag_their_topics(tagger, text, expected, forbidden):
    found = topics_of(tagger, text)
    assert expected <= found, f"missing {expected - found} in {found}"
    assert not (forbidden & found), f"unexpected {forbidden & found}"


# ---------------------------------------------------------------- seventh pass
# Notes for regions and periods none of the labelled corpora covered (the Sahel 2012-2015,
# Yemen 2015-2018, Ukraine 2022-2023, Sudan 2023, Nigeria, Kashmir, Myanmar 2021, Iraq 2014) and
# real UCDP headline phrasing, each with a near miss from the same kind of reporting
PERIODS_VOCABULARY = [
    # remote violence named by its verb or its carrier, and the actor who fires it
    ("Al Shabaab mortared the AMISOM base in Baledogle.", {"shelling"}, set()),
    ("Unidentified assailants fired 5 rockets at the MINUSMA camp. No casualties.", {"shelling"}, {"armed_clashes"}),
    ("Myanmar Junta Bombs Villages Across Rakhine", {"airstrike"}, set()),
    ("US aircraft dropped laser-guided bombs on IS positions near Erbil.", {"airstrike", "foreign_intervention"}, set()),
    ("Iraqi forces, with US air support, broke the siege of Amerli.", {"airstrike", "territorial_control"}, set()),
    ("Two drones loaded with explosives detonated near a military parade.", {"airstrike"}, {"bombing"}),
    ("Indonesian Air Force spokesman Hadi said the search would resume on Monday.", set(), {"airstrike"}),
    ("Militants attacked the airfield, destroying several aircraft.", {"armed_clashes"}, {"airstrike"}),
    # ground fighting in the wording of Myanmar's reporting; a plural target
    ("Tatmadaw has engagement with RCSS in Namtu", {"armed_clashes"}, set()),
    ("The minister praised the bank's engagement with donors.", set(), {"armed_clashes"}),
    ("PDFs attack police stations in Sagaing and Magway regions", {"armed_clashes"}, set()),
    ("Local Resistance Force Kills Eight Junta Troops in Yaw Region", {"armed_clashes", "casualties"}, set()),
    ("A security force killed in a roadside blast in Kunar.", {"bombing", "casualties"}, {"armed_clashes"}),
    # territory: a line crossed back, a siege broken (an attempt is none), French reporting
    ("Ukrainian troops entered Kherson after Russian forces withdrew across the Dnipro River.", {"territorial_control"}, set()),
    ("Rebels launched an offensive to break the siege of the town.", set(), {"territorial_control"}),
    ("Centrafrique : la ville de Mbrès reprise par les forces gouvernementales", {"territorial_control"}, set()),
    ("Centrafrique : la reprise des combats inquiète les habitants de Bria", set(), {"territorial_control"}),
    # who gathers, who deserts, who is stoned or bound
    ("Activists gathered at Luneta Park to denounce the war on drugs.", {"protest"}, set()),
    ("People gathered at the market when the bomb exploded.", {"bombing"}, {"protest"}),
    ("More than 60 soldiers deserted and crossed into Colombia.", {"defection"}, set()),
    ("The village was deserted when the army arrived.", set(), {"defection"}),
    ("Militants stoned to death an unmarried couple in Aguelhok.", {"execution", "casualties"}, set()),
    # property burned on purpose; bodies are no property
    ("A mob attacked and burned a pharmacy in Aden.", {"looting_destruction", "protest"}, set()),
    ("Soldiers killed 35 people and burned their bodies in vehicles.", {"casualties"}, {"looting_destruction"}),
    # foreign forces of the Sahel, Yemen and CAR
    ("French troops recaptured Gao airport from the militants.", {"foreign_intervention", "territorial_control"}, set()),
    ("Three killed in shootout with Chadian soldiers in the capital.", {"foreign_intervention", "armed_clashes"}, set()),
    ("Pro-government fighters supported by Emirati troops retook the airport.", {"foreign_intervention", "territorial_control"}, set()),
]


@pytest.mark.parametrize("text", [
    "Regime forces shelled Kafr Nabudah. Fatalities and injuries were not reported.",
    "Regime forces shelled Kafr Nabudah. Deaths or injuries are unknown.",
    "Regime forces shelled Kafr Nabudah. Fatalities, injuries unknown.",
    "Regime forces shelled Kafr Nabudah. The number of dead and wounded is not yet known.",
    "Regime forces shelled Kafr Nabudah. No immediate word on casualties.",
    "Regime forces shelled Kafr Nabudah. The attack failed to cause casualties.",
    "Regime forces shelled Kafr Nabudah. The number of casualties could not be determined.",
    "Regime forces shelled Kafr Nabudah. Reports of 3 deaths were denied by local officials.",
])
def test_a_coordinated_or_undetermined_casualty_report_is_negated(tagger, text):
    found = topics_of(tagger, text)
    assert "shelling" in found and "casualties" not in found, found


def test_a_coordination_joins_one_subject_not_two_clauses(tagger):
    # the clause before "and" keeps its event; a toll given in its own clause stands
    assert topics_of(tagger, "Regime forces shelled Kafr Nabudah and casualties were not reported.") == {"shelling"}
    assert "casualties" in topics_of(tagger, "Regime forces shelled Kafr Nabudah, killing 3. Injuries were not reported.")
    assert topics_of(tagger, "Clashes and shelling were not reported in the area.") == set()


def test_a_short_note_dated_2011_is_no_war_recap_but_a_long_article_recap_still_is(tagger):
    # "March 2011" dates an event note; in a long article it marks the recap of the war
    note = "On 15 March 2011, protesters gathered in Daraa to demand the release of children."
    assert "protest" in topics_of(tagger, note)
    filler = "The council met on Tuesday to discuss the budget for schools and roads. " * 12
    article = filler + "The war began in March 2011 with anti-government protests."
    assert "protest" not in topics_of(tagger, article)



@pytest.mark.parametrize("text,expected,forbidden", [
    # the codebook's riots in their own words, and the war tactic that looks like one
    ("Youths clashed with police in Kinshasa.", {"protest"}, set()),
    ("Farmers blocked the highway with tractors.", {"protest"}, set()),
    ("Motorcycle taxi drivers went on a strike in Bukavu.", {"protest"}, set()),
    ("Youths burned the house of a suspected witch in Kasai.", {"protest", "looting_destruction"}, set()),
    ("Residents burned tyres to blind the warplanes over Idlib.", set(), {"protest"}),
    ("Armed villagers attacked a neighbouring village, killing 5.", {"armed_clashes"}, {"protest"}),
    # remote explosives named by their use; a suicide attacker is no gunman
    ("An attack with a bomb targeted a liquor store in Baghdad.", {"bombing"}, set()),
    ("Unknown persons threw a sound bomb at a house in Basra.", {"bombing"}, set()),
    ("A suicide attacker detonated his vest at a checkpoint.", {"bombing"}, {"armed_clashes"}),
])
def test_riots_and_remote_explosives_in_codebook_wording(tagger, text, expected, forbidden):
    found = topics_of(tagger, text)
    assert expected <= found, f"missing {expected - found} in {found}"
    assert not (forbidden & found), f"unexpected {forbidden & found}"


def test_the_periods_notes_test_half_keeps_its_figures(corpus_figures):
    # notes for regions and periods no other set covers, labelled before the tagger ran on them;
    # the test half was scored once, after tuning on the dev half: event 0.844 / 0.939, all
    # topics 0.882 / 0.878, 2 negated casualty lines tagged (docs/figures.md, topics seventh pass)
    assert corpus_figures["topics.events_periods.test.event_precision"] >= 0.82
    assert corpus_figures["topics.events_periods.test.event_recall"] >= 0.92
    assert corpus_figures["topics.events_periods.test.micro_precision"] >= 0.86
    assert corpus_figures["topics.events_periods.test.micro_recall"] >= 0.86
    assert corpus_figures["topics.events_periods.dev.casualties_negation_fp"] == 0
    assert corpus_figures["topics.events_periods.test.casualties_negation_fp"] <= 2


# Foreign forces named by their nationality and a means of attack, coordinated with the host
# army, and the codebook's near misses of this pass's vocabulary (water cannon, unexploded shells,
# a building's siege, an exploding depot, civil disobedience, stolen livestock).
FRESH_VOCABULARY = [
    ("A Russian missile hit a children's hospital in Kyiv, killing 2.", {"foreign_intervention", "shelling"}, set()),
    ("Saudi artillery shelled the outskirts of Razih.", {"foreign_intervention", "shelling"}, set()),
    ("A coalition air raid hit a bus in Dahyan.", {"foreign_intervention", "airstrike"}, set()),
    ("A French airstrike hit a gathering near Bounti.", {"foreign_intervention", "airstrike"}, set()),
    ("Indian Air Force jets struck a camp near Balakot.", {"foreign_intervention", "airstrike"}, set()),
    ("French and Malian forces recaptured the airport.", {"foreign_intervention", "territorial_control"}, set()),
    ("Rwandan and Mozambican forces retook the port town.", {"foreign_intervention", "territorial_control"}, set()),
    ("US and British warships shot down 18 drones over the Red Sea.", {"foreign_intervention", "airstrike"}, set()),
    ("Russian peacekeepers deployed along the Lachin corridor.", {"foreign_intervention"}, set()),
    ("The French strike closed schools in Lyon.", set(), {"foreign_intervention"}),
    ("Foreign fighters joined the group in Raqqa.", set(), {"foreign_intervention"}),
    ("Police used water cannon to disperse the sit-in.", {"protest"}, {"shelling"}),
    ("Police fired rubber bullets at the demonstrators.", {"protest"}, {"armed_clashes"}),
    ("An unexploded shell detonated as children played with it, killing 2.", {"bombing", "casualties"}, {"shelling"}),
    ("Gunmen stormed the hotel, killing 30; the siege ended the next morning.", {"armed_clashes", "casualties"}, {"siege"}),
    ("The siege of the town entered its third month.", {"siege"}, set()),
    ("A fuel depot exploded near Stepanakert, killing 170.", {"casualties"}, {"bombing"}),
    ("Medical staff joined the Civil Disobedience Movement and stayed away from work.", {"protest"}, set()),
    ("Crowds broke into the presidential palace and took furniture.", {"protest"}, set()),
    ("Armed raiders stole about 300 head of cattle near Kapedo.", {"looting_destruction"}, set()),
    ("The ranch stole the show at the cattle fair.", set(), {"looting_destruction"}),
    ("Riot police beat protesters; dozens required treatment.", {"protest", "casualties"}, set()),
    ("Three soldiers were treated for poisoning after grenades filled with CS gas were dropped.", {"chemical_weapons", "casualties"}, set()),
    ("Chloropicrin is a fumigant used to grow strawberries.", set(), {"chemical_weapons"}),
    ("RSF fighters and allied militias killed hundreds of civilians.", {"armed_clashes", "casualties"}, set()),
    ("French forces handed over the Timbuktu base to the Malian army.", {"foreign_intervention", "territorial_control"}, set()),
    ("The Malian army and its Russian allies entered Kidal city.", {"foreign_intervention", "territorial_control"}, set()),
]


@pytest.mark.parametrize("text,expected,forbidden", PERIODS_VOCABULARY + FRESH_VOCABULARY)
def test_event_notes_from_other_periods_and_places_tag_their_topics(tagger, text, expected, forbidden):
    found = topics_of(tagger, text)
    assert expected <= found, f"missing {expected - found} in {found}"
    assert not (forbidden & found), f"unexpected {forbidden & found}"


@pytest.mark.parametrize("text", [
    "US drones struck AQAP positions in Shabwa. Casualty figures were not released.",
    "US drones struck AQAP positions in Shabwa. The death toll was not disclosed.",
    "Gunmen abducted pupils in Tegina. Claims that a pupil was killed were later denied.",
])
def test_a_withheld_or_denied_casualty_report_is_negated(tagger, text):
    assert "casualties" not in topics_of(tagger, text)


def test_hostages_not_released_stay_hostages(tagger):
    # only figures, tolls and details withheld negate: the hostages themselves are still held
    assert "kidnapping_hostages" in topics_of(tagger, "The 25 hostages were not released.")


def test_the_fresh_notes_test_half_keeps_its_figures(corpus_figures):
    # notes for Gaza, Papua, Mali 2020-23, Niger, the Red Sea, Iran, Armenia and others, labelled
    # before the tagger ran on them; the test half was scored once, after tuning on the dev halves:
    # event 0.754 / 0.891, all topics 0.824 / 0.880, no negated casualty line tagged
    # (docs/figures.md, topics eighth pass)
    assert corpus_figures["topics.events_fresh.test.event_precision"] >= 0.73
    assert corpus_figures["topics.events_fresh.test.event_recall"] >= 0.87
    assert corpus_figures["topics.events_fresh.test.micro_precision"] >= 0.80
    assert corpus_figures["topics.events_fresh.test.micro_recall"] >= 0.86
    assert corpus_figures["topics.events_fresh.dev.casualties_negation_fp"] <= 1
    assert corpus_figures["topics.events_fresh.test.casualties_negation_fp"] <= 1


# ---------------------------------------------------------------- ninth pass vocabulary
# Event notes in the pattern of ACLED's for the Horn, the Great Lakes, Cabo Delgado, the Sahel,
# Libya 2014-16, Afghanistan, Pakistan, Mexico and the Iraqi protests of 2019, one row per rule
# class of this pass, with the near misses of the same classes
FRESH3_VOCABULARY = [
    # aircraft that fire on a place are an air strike, not a ground clash
    ("Government helicopters fired on insurgent positions near Quissanga. Casualties are not known.",
     {"airstrike"}, {"armed_clashes"}),
    ("A US AC-130 gunship fired on the compound, killing 12.", {"airstrike", "foreign_intervention", "casualties"},
     {"armed_clashes"}),
    ("A military helicopter opened fire on a crowd at the market.", {"airstrike"}, {"armed_clashes"}),
    # NATO's and the US Marines' missions abroad
    ("A NATO jet bombed two hijacked fuel tankers near Kunduz.", {"airstrike", "foreign_intervention"}, set()),
    ("US Marines and Afghan soldiers came under heavy fire from Taliban fighters in Marjah.",
     {"armed_clashes", "foreign_intervention"}, set()),
    ("ISAF troops cleared the district of Taliban fighters.", {"foreign_intervention"}, set()),
    # the exchange of fire in the plural; fighters that engaged each other
    ("M23 rebels entered the town after brief exchanges of fire with FARDC troops.", {"armed_clashes"}, set()),
    ("HTS fighters and regime forces engaged each other near Kafr Nabuda.", {"armed_clashes"}, set()),
    # the codebook's attack in its other verb, and the same verb with a means named
    ("Taliban fighters targeted a police checkpoint in Helmand, killing 3 policemen.",
     {"armed_clashes", "casualties"}, set()),
    ("Militants targeted the base with mortars; no casualties were reported.", {"shelling"},
     {"armed_clashes", "casualties"}),
    ("The army carried out a military operation against Ansaroul Islam in Soum, killing 10 militants.",
     {"armed_clashes", "casualties"}, set()),
    ("Reinforcements arrived to begin a military operation against IS south of Damascus.", set(),
     {"armed_clashes"}),
    # property burned, in the passive and with the building named
    ("21 civilians were killed and houses were burned in Ngarbuh.", {"looting_destruction", "casualties"}, set()),
    ("Protesters stormed and burned the compound after the shooting.", {"protest", "looting_destruction"}, set()),
    ("Houses in the village were burned overnight.", {"looting_destruction"}, set()),
    # the other side's departure is a change of hands; the past tense of the whole province
    ("Al Shabaab set up a new base near Qansax Dheere after SNA forces left the area.",
     {"territorial_control"}, set()),
    ("Taliban fighters claimed to have taken the whole of Panjshir province.", {"territorial_control"}, set()),
    ("IS has been trying to take the entire province.", set(), {"territorial_control"}),
    # who fled, named otherwise, and people in flight
    ("Survivors fled to Barsalogho.", {"displacement_refugees"}, set()),
    ("More than 450,000 people had fled North Waziristan since the start of the operation.",
     {"displacement_refugees"}, set()),
    ("Drones dropped bombs on Rohingya civilians fleeing Maungdaw.", {"displacement_refugees", "airstrike"}, set()),
    # a gathering with its demand after the place (in brackets, as notes write it); walkouts;
    # a campaign rally is no protest
    ("Tens of thousands gathered at Shahbag (Dhaka) demanding the death penalty.", {"protest"}, set()),
    ("Students staged a walkout from Khartoum University.", {"protest"}, set()),
    ("Hundreds of people took part in a march in Algiers against the fifth term.", {"protest"}, set()),
    ("A bomb blast hit an election rally in Mastung, killing 120.", {"bombing", "casualties"}, {"protest"}),
    # the bomb as the subject; explosives seized or stopped, accidental blasts, are no bombing
    ("A bomb targeted a police vehicle in Peshawar.", {"bombing"}, set()),
    ("NDS forces detained 4 suspected Taliban members in a night raid and seized explosives.",
     {"detention_torture"}, {"bombing"}),
    ("Soldiers intercepted a car packed with explosives at a checkpoint and arrested its driver.",
     {"detention_torture"}, {"bombing"}),
    ("A gas cylinder explosion in a restaurant killed 3 people.", {"casualties"}, {"bombing"}),
    # munitions found in a cache are no shelling
    ("Troops found and destroyed an arms cache containing rockets and mortar shells.", set(), {"shelling"}),
    # roads into a town blocked are a siege; an oil terminal's blockade is not
    ("Fano fighters blocked all roads into Debre Markos; no trucks had entered for a week.", {"siege"}, set()),
    ("Exports stayed halted because of the blockade of the oil terminals by the guards.", set(), {"siege"}),
    ("The siege of the hotel ended when special forces killed the attackers.",
     {"armed_clashes", "casualties"}, {"siege"}),
    # prisoners freed from a jail, inmates who escaped: no detention reported
    ("Taliban fighters overran the city and freed hundreds of prisoners from the provincial jail.",
     {"territorial_control"}, {"detention_torture"}),
    ("20 inmates escaped from Kangbayi prison after an attack.", set(), {"detention_torture"}),
    # goods and people taken are no ground: a truck, an emir
    ("The army seized a truck loaded with fuel at a checkpoint near Manbij.", set(), {"territorial_control"}),
    ("SDF forces captured an IS emir in a raid in Shheil.", set(), {"territorial_control"}),
    ("An air raid alert sounded in Kyiv; no strikes were reported.", set(), {"airstrike"}),
    ("HTS members seized a media activist from his home in Idlib.", set(), {"territorial_control"}),
    # arrests in other words; property that armed men destroy on the ground; trees uprooted
    ("Security forces took 3 men into custody in Anbar.", {"detention_torture"}, set()),
    ("Police rounded up 40 protesters in Khartoum.", {"detention_torture", "protest"}, set()),
    ("Al Shabaab militants destroyed a telecom mast in Mandera.", {"looting_destruction"}, set()),
    ("Settlers uprooted 300 olive trees in Burin.", {"looting_destruction"}, {"displacement_refugees"}),
    # homes and towns left; a side that pulled out; an encirclement tightened
    ("Villagers abandoned their homes in Soum after threats by JNIM.", {"displacement_refugees"}, set()),
    ("Regime forces entered Khan Sheikhoun after opposition fighters pulled out.", {"territorial_control"}, set()),
    ("Regime forces tightened the encirclement of Eastern Ghouta.", {"siege"}, set()),
    ("An armed clan dispute in Al-Ghuwayran left 3 dead.", {"armed_clashes", "casualties"}, set()),
    ("A sea mine struck a fishing boat off Hodeidah.", {"bombing"}, set()),
]


@pytest.mark.parametrize("text,expected,forbidden", FRESH3_VOCABULARY)
def test_event_notes_of_the_ninth_pass_tag_their_topics(tagger, text, expected, forbidden):
    found = topics_of(tagger, text)
    assert expected <= found, f"missing {expected - found} in {found}"
    assert not (forbidden & found), f"unexpected {forbidden & found}"


@pytest.mark.parametrize("text", [
    "Regime forces shelled Kafr Nabl. No reports on casualties.",
    "Shelling hit Kansafra; casualties are yet to be confirmed.",
    "A drone struck a house in Idlib; no details regarding the victims.",
])
def test_a_casualty_line_with_no_reports_on_or_yet_to_be_confirmed_is_negated(tagger, text):
    assert "casualties" not in topics_of(tagger, text)


def test_a_gap_counts_a_place_in_brackets_as_one_word():
    tagger = _gap_tagger(["torch{ed,ing} * {houses,villages}"])
    assert topics_of(tagger, "Militants torched (Djugu, Ituri) houses.") == {"looting_destruction"}
    # clause punctuation inside the brackets still ends the gap
    assert topics_of(tagger, "Militants torched (Djugu; Ituri) houses.") == set()


def test_the_third_fresh_notes_test_half_keeps_its_figures(corpus_figures):
    # notes for Somalia 2010-14, Amhara and Oromia, the DRC 2012-20, Cabo Delgado, Libya 2014-16,
    # Afghanistan, Pakistan, Mexico, Haiti, Lebanon and Iraq 2019 and others, labelled before the
    # tagger ran on them; the test half was scored once before tuning and again after
    # (docs/figures.md, topics ninth pass); the floor sits a little under those figures
    assert corpus_figures["topics.events_fresh3.test.event_precision"] >= 0.79
    assert corpus_figures["topics.events_fresh3.test.event_recall"] >= 0.87
    assert corpus_figures["topics.events_fresh3.test.micro_precision"] >= 0.83
    assert corpus_figures["topics.events_fresh3.test.micro_recall"] >= 0.86
    assert corpus_figures["topics.events_fresh3.dev.casualties_negation_fp"] == 0
    assert corpus_figures["topics.events_fresh3.test.casualties_negation_fp"] <= 1


# ---------------------------------------------------------------- a nation's forces at home
# "Israeli forces raided a village near Hebron" is no foreign intervention: by the labelled sets'
# rule a state's own forces at home, and Israel's in Gaza and the West Bank, are not foreign
# (tests/labels/README.md). The ingest tells the tagger where the story happens (the places
# stage's towns and regions); rows in the pattern of ACLED and UCDP notes.
AT_HOME = [
    "On 12 May 2022, Israeli forces raided a house in Nablus and arrested two men.",
    "On 5 January 2024, an Israeli airstrike hit a house in Rafah, killing 7 people.",
    "On 3 March 2021, the Chadian army clashed with rebels near Mao (Kanem); 12 rebels were killed.",
    "Turkish troops killed 5 PKK militants in clashes in Hakkari province, the army said.",
    "Eight Russian soldiers were killed when militants ambushed their convoy in Dagestan.",
    "Russian forces killed four gunmen in a counter-terrorism operation in Nalchik (Kabardino-Balkaria).",
    "Iranian forces fired on protesters in Zahedan, killing dozens.",
    "Ugandan soldiers fought ADF rebels in Kasese district.",
    "Saudi artillery intercepted a drone over Najran.",
]
# the same forces abroad, a place the places stage does not know, places in two countries (a
# force may act across the border), and phrases foreign by nature: still foreign intervention
ABROAD_OR_UNKNOWN = [
    "Turkish warplanes struck a village near Afrin, killing 4 civilians.",
    "Israeli jets struck Hezbollah positions near Nabatieh on Tuesday.",
    "Israeli forces fired artillery at the outskirts of Kfar Kila in south Lebanon.",
    "Rwandan troops clashed with FDLR fighters near Rutshuru (North Kivu).",
    "Ugandan troops clashed with ADF rebels near Beni (North Kivu).",
    "French forces killed a jihadist leader near Menaka.",
    "On 2 March 2022, Russian forces captured the city of Kherson.",
    "Turkish troops say kill 33 rebel Kurds",
    "Turkish artillery shelled YPG positions around Tal Rifaat after rockets fell on Kilis.",
    "Turkish-backed factions shelled villages near Tal Tamr.",
    "Israeli forces and US-led coalition aircraft struck targets near Eilat.",
    # a home town (a ministry's city, a dateline) beside a foreign country the story names
    "Turkish warplanes struck PKK targets in northern Iraq, the defence ministry in Ankara said.",
    "Israeli jets struck Hezbollah targets in Lebanon, the army said in Tel Aviv.",
    "MOSCOW - Russian forces pounded Ukrainian positions overnight, the defence ministry in Moscow said.",
]


@pytest.fixture(scope="module")
def enricher():
    from etl.enrich import Enricher
    return Enricher()


def _ingested_topics(enricher, body: str) -> set[str]:
    from etl.model import RawArticle
    record = enricher.enrich(RawArticle(input_path="notes.jsonl", item="row 1", input_format="jsonl", body=body))
    return {t["topic_id"] for t in record["topics"]}


@pytest.mark.parametrize("text", AT_HOME)
def test_a_nations_own_forces_at_home_are_no_foreign_intervention(enricher, text):
    topics = _ingested_topics(enricher, text)
    assert "foreign_intervention" not in topics
    # only the foreign-intervention tag depends on the place
    assert topics == topics_of(enricher.tagger, text) - {"foreign_intervention"}


@pytest.mark.parametrize("text", ABROAD_OR_UNKNOWN)
def test_forces_abroad_or_of_an_unknown_place_stay_foreign_intervention(enricher, text):
    assert "foreign_intervention" in _ingested_topics(enricher, text)


def test_the_evaluation_tags_as_the_ingest_does(enricher):
    from etl.enrich import PlacedTagger
    placed = PlacedTagger(enricher.tagger, enricher.places)
    for text in AT_HOME + ABROAD_OR_UNKNOWN:
        doc = Doc(title="", caption="", body=text)
        assert {t.topic_id for t in placed.tag(doc)} == _ingested_topics(enricher, text)


@pytest.mark.parametrize("phrase, nation", [
    ("israeli forces", "IL"), ("the israeli air force", "IL"), ("israel's army", "IL"), ("the idf", "IL"),
    ("idf troops", "IL"), ("chadian army", "TD"), ("us drone", "US"), ("u.s. forces", "US"),
    ("revolutionary guards", "IR"), ("rwanda defence force", "RW"), ("turkish army", "TR"),
    ("القوات الروسيه", "RU"), ("الجيش التركي", "TR"),
    # foreign by nature: proxies, allies, coalitions, missions abroad, a foreign and a host force
    ("turkish-backed", None), ("saudi-led", None), ("us-led coalition", None), ("russian peacekeepers", None),
    ("russian ally", None), ("french and malian forces", None), ("wagner mercenaries", None),
    ("believed to be russian", None), ("nato jets", None), ("burundian contingent", None),
])
def test_a_force_phrase_names_its_nation_unless_it_is_foreign_by_nature(phrase, nation):
    from etl.extract.home_forces import nation_of
    assert nation_of(phrase) == nation


def test_a_story_is_placed_by_its_towns_and_regions_not_by_a_demonym():
    from etl.extract.home_forces import at_home, story_countries
    assert story_countries("RU", [("country", "RU")]) is None          # "Russian forces" alone
    assert story_countries(None, [("city", "TD")]) is None
    assert story_countries("TD", [("country", "TD"), ("region", "TD")]) == {"TD"}
    assert story_countries("PS", [("city", "PS"), ("city", "IL")]) == {"PS", "IL"}
    # no force phrase's nation is at home in Syria: nothing for the tagger to check
    assert story_countries("SY", [("city", "SY")]) is None
    assert story_countries("PS", [("city", "PS"), ("city", "SY")]) is None
    assert at_home(["israeli forces"], frozenset({"PS", "IL"}))
    assert not at_home(["israeli forces"], frozenset({"LB"}))
    assert not at_home(["saudi artillery"], frozenset({"SA", "YE"}))
    assert not at_home(["israeli forces", "iranian drones"], frozenset({"IL"}))
    assert not at_home([], frozenset({"IL"}))
    assert not at_home(["israeli forces"], frozenset())                 # no country known
    # a country named beside the home town is where the force may act; its own name is home
    assert story_countries("TR", [("city", "TR"), ("country", "IQ")]) == {"TR", "IQ"}
    assert story_countries("PS", [("city", "PS"), ("country", "IL")]) == {"PS", "IL"}


def test_every_nationality_of_the_foreign_force_phrases_is_known(taxonomy):
    # a force phrase whose first word the gazetteer reads as a nation's demonym or name must be
    # known here with the same nation, or be foreign by nature; else its forces at home would
    # stay foreign intervention
    from etl.extract.home_forces import ABROAD, NATIONS, nation_of
    from etl.gazetteer import load
    gazetteer = load()
    topic = next(t for t in taxonomy.topics if t.topic_id == "foreign_intervention")
    checked = 0
    for term in topic.strong + topic.terms:
        for form in expand_term(term):
            words = form.replace("-", " ").split()
            if words[0] == "the":
                words = words[1:]
            codes = {p.country_code for p in gazetteer.lookup(words[0]) if p.kind in ("demonym", "country")}
            if not codes or "and" in words or not ABROAD.isdisjoint(words):
                continue
            checked += 1
            assert nation_of(form) in codes, form
    assert checked > 100
    for word, code in NATIONS.items():
        known = {p.country_code for p in gazetteer.lookup(word) if p.kind in ("demonym", "country")}
        assert not known or code in known, word


# ---------------------------------------------------------------- the eleventh pass
# Event-note wording the fourth fresh set's dev half and the earlier sets' dev halves showed
# missed or mis-tagged, in the pattern of ACLED and UCDP notes (other places and words than the
# labelled rows): a town entered or handed over, demands for foreign troops to leave, more
# states' forces abroad and armies crossing a border, guided bombs, livestock taken, statues
# pulled down, places occupied, a legislature stormed, a hanging, a person taken from home.
ELEVENTH_VOCABULARY = [
    ("On 28 June 2022, FARDC troops entered Bunagana after M23 fighters withdrew.", {"territorial_control"}, set()),
    ("Regime forces enter Maarat al-Numan", {"territorial_control"}, set()),
    ("Security forces entered the mosque and arrested the imam.", {"detention_torture"}, {"territorial_control"}),
    ("Turkish troops entered Syria near Jarablus.", {"foreign_intervention"}, {"territorial_control"}),
    ("Non-violent transfer of territory: Twirwaneho fighters handed over Minembwe (Fizi) to the FARDC.",
     {"territorial_control"}, set()),
    ("Rebels handed over Kamanyola district to government forces under a local deal.", {"territorial_control"}, set()),
    ("Villagers handed over two suspected bandits to the army in Zurmi.", set(), {"territorial_control"}),
    ("The rebels withdrew from the 2019 peace agreement on Monday.", set(), {"territorial_control"}),
    ("Thousands marched in Bamako demanding the withdrawal of French troops.", {"protest"}, {"foreign_intervention"}),
    ("The two sides agreed on the withdrawal of all foreign forces within 14 months.", set(), {"foreign_intervention"}),
    ("Kenyan troops shelled al-Shabaab positions near Afmadow.", {"shelling", "foreign_intervention"}, set()),
    ("Egyptian jets bombed militant camps in eastern Libya.", {"airstrike", "foreign_intervention"}, set()),
    ("KDF soldiers pursued the attackers across the border into Somalia.", {"foreign_intervention"}, set()),
    ("Troops crossed the border into Kursk region and seized several villages.",
     {"foreign_intervention", "territorial_control"}, set()),
    ("Al-Shabaab fighters raided a police post in Mandera, killing 2 officers.", {"armed_clashes"},
     {"foreign_intervention"}),
    ("A coalition air strike hit a school in Raqqa, killing 7 civilians.", {"airstrike", "foreign_intervention"}, set()),
    ("Russian guided bombs struck a residential block in Zaporizhzhia, injuring 12.",
     {"airstrike", "foreign_intervention", "casualties"}, set()),
    ("Raiders attacked a cattle camp in Tonj, taking hundreds of cattle.", {"looting_destruction"}, set()),
    ("A herder who took care of his cattle near Gumsa was shot dead.", {"casualties"}, {"looting_destruction"}),
    ("Rioters toppled a statue of the former president in Kinshasa.", {"protest", "looting_destruction"}, set()),
    ("JNIM fighters briefly occupied several villages in Douentza.", {"territorial_control"}, set()),
    ("Protesters occupied the town hall in Gafsa.", {"protest"}, {"territorial_control"}),
    ("Supporters of the cleric broke into the parliament building in Baghdad.", {"protest"}, set()),
    ("The authorities hanged two men convicted over the protests.", {"execution", "casualties"}, set()),
    ("Students hanged an effigy of the governor outside the university.", {"protest"}, {"casualties"}),
    ("Armed men dragged a village chief from his home in Kidal.", {"kidnapping_hostages"}, set()),
    # aircraft that fire are the air strike's, also with an adverb or named by model; aircraft
    # that watch strike nothing; people captured are no ground
    ("A military helicopter then fired on villagers near Kiwirok.", {"airstrike"}, {"armed_clashes"}),
    ("A Su-25 fired rockets at rebel positions near Horlivka.", {"airstrike"}, {"shelling"}),
    ("A surveillance aircraft flew over Marawi on Tuesday.", set(), {"airstrike"}),
    ("Militants killed 30 recruits captured near Tikrit.", {"casualties"}, {"territorial_control"}),
]


@pytest.mark.parametrize("text,expected,forbidden", ELEVENTH_VOCABULARY)
def test_event_notes_of_the_eleventh_pass_tag_their_topics(tagger, text, expected, forbidden):
    found = topics_of(tagger, text)
    assert expected <= found, f"missing {expected - found} in {found}"
    assert not (forbidden & found), f"unexpected {forbidden & found}"


@pytest.mark.parametrize("text,foreign", [
    ("On 4 November 2020, Ethiopian troops clashed with TPLF fighters near Mekelle (Tigray).", False),
    ("Kenyan soldiers killed 3 al-Shabaab militants in Garissa county.", False),
    ("Kenyan troops shelled al-Shabaab positions near Kismayo (Lower Juba).", True),
    ("Ukrainian troops shelled separatist positions near Horlivka (Donetsk).", False),
    # Ethiopia's and Ukraine's forces at home where the place is unknown or the adversary's
    # country is named: not taken for an intervention by their nationality alone
    ("Ethiopian troops clashed with Fano militiamen near Gondar.", False),
    ("Ukrainian forces said they destroyed two Russian tanks near Avdiivka.", False),
    ("Ukrainian troops advanced near Robotyne.", False),
])
def test_the_armies_added_to_the_foreign_force_phrases_are_at_home_at_home(enricher, text, foreign):
    assert ("foreign_intervention" in _ingested_topics(enricher, text)) is foreign


def test_the_fourth_fresh_notes_test_half_keeps_its_figures(corpus_figures):
    # notes for Donbas 2014-21, Sri Lanka 2004-09, Chechnya and Dagestan, Iraq 2014-17, Yemen
    # 2019-22, South Sudan, Myanmar 2022-24, Nigeria, Mindanao, Nagorno-Karabakh, Venezuela,
    # Kenya, Niger and Chad, Darfur, Kashmir 2020-25 and Mozambique 2024, labelled before the
    # tagger ran on them; the test half was scored once before tuning (micro recall 0.786) and
    # again after (docs/figures.md, topics eleventh pass); the floor sits a little under
    assert corpus_figures["topics.events_fresh4.test.event_precision"] >= 0.82
    assert corpus_figures["topics.events_fresh4.test.event_recall"] >= 0.80
    assert corpus_figures["topics.events_fresh4.test.micro_precision"] >= 0.83
    assert corpus_figures["topics.events_fresh4.test.micro_recall"] >= 0.80
    assert corpus_figures["topics.events_fresh4.dev.casualties_negation_fp"] == 0
    assert corpus_figures["topics.events_fresh4.test.casualties_negation_fp"] <= 1


# The twelfth pass: forms of the codebooks' event types (ACLED's sub-event types, CAMEO's and
# PLOVER's verbs) written out as event notes say them, checked one form at a time, with the near
# misses in the everyday senses of the same words
CODEBOOK_FORMS = [
    # protest with intervention, peaceful protest, strikes
    ("Police dispersed hundreds of students outside the university.", {"protest"}, set()),
    ("Police broke up a rally by opposition supporters in Harare.", {"protest"}, set()),
    ("A rally was held in Freedom Square on Friday.", {"protest"}, set()),
    ("Transporters observed a strike in Jammu on Monday.", {"protest"}, set()),
    ("Teachers downed tools over unpaid salaries.", {"protest"}, set()),
    ("Shops remained closed in response to a strike call.", {"protest"}, set()),
    ("Around 200 people gathered in front of the parliament to demand reforms.", {"protest"}, set()),
    ("Crowd burns police station in Kano.", {"protest"}, set()),
    # air/drone strike
    ("Planes bombed rebel positions near Kutum.", {"airstrike"}, set()),
    ("The village was strafed overnight, residents said.", {"airstrike"}, set()),
    ("The coalition carried out strikes on Houthi positions near Hodeidah.", {"airstrike"}, set()),
    # shelling/artillery
    ("Tanks fired on the town of Kupiansk.", {"shelling"}, set()),
    # remote explosive/landmine/IED
    ("A patrol vehicle struck a roadside mine near Djibo.", {"bombing"}, set()),
    ("Militants set off a bomb at the bus station.", {"bombing"}, set()),
    ("A bomb ripped through a bus in Quetta.", {"bombing"}, set()),
    ("A mine killed two children near Kunduz.", {"bombing"}, set()),
    ("A soldier was killed by a mine near Tal Afar.", {"bombing"}, set()),
    ("Bomb kills 5 at market in Maiduguri", {"bombing"}, set()),
    ("Militants planted a bomb in a bus in Peshawar.", {"bombing"}, set()),
    ("A bomb planted by militants killed 2 soldiers.", {"bombing"}, set()),
    # armed clash
    ("The two militias traded fire in the Abu Salim district.", {"armed_clashes"}, set()),
    ("A military patrol came under fire near Menaka.", {"armed_clashes"}, set()),
    ("Army troops came under a heavy attack near Djibo.", {"armed_clashes"}, set()),
    ("Hundreds of fighters assaulted the army base at Inates.", {"armed_clashes"}, set()),
    ("Troops neutralised 12 terrorists in Borno.", {"armed_clashes"}, set()),
    ("The insurgents overran an army post in Borno.", {"armed_clashes", "territorial_control"}, set()),
    # abduction
    ("Bandits whisked away 10 passengers near Kaduna.", {"kidnapping_hostages"}, set()),
    ("Armed men carried off two women from the village.", {"kidnapping_hostages"}, set()),
    ("A trader was taken away by armed men.", {"kidnapping_hostages"}, set()),
    ("Gunmen snatched a priest from his parish.", {"kidnapping_hostages"}, set()),
    ("Gunmen seized 20 passengers from a bus.", set(), {"territorial_control"}),
    # government regains / non-state actor overtakes territory
    ("Government forces pushed the rebels out of the town.", {"territorial_control"}, set()),
    ("The army dislodged militants from the village.", {"territorial_control"}, set()),
    ("Troops flushed out insurgents from the forest.", {"territorial_control"}, set()),
    ("The army moved into the town after al-Shabaab left.", {"territorial_control"}, set()),
    ("The town changed hands twice in a week.", {"territorial_control"}, set()),
    ("Town falls to rebels", {"territorial_control"}, set()),
    # chemical weapon, grenade, mob violence, violent demonstration, excessive force
    ("IS fighters fired rockets loaded with mustard agent.", {"chemical_weapons"}, set()),
    ("Shells containing toxic chemicals hit the town.", {"chemical_weapons"}, set()),
    ("Unknown persons threw an explosive at the house.", {"bombing"}, set()),
    ("Residents took the law into their own hands and killed a suspected thief.", {"protest"}, set()),
    ("Supporters stormed the electoral office in Kisumu.", {"protest"}, set()),
    ("Police fired rubber bullets at the crowd.", {"protest"}, {"armed_clashes"}),
    # armed clash, shelling, non-violent transfer of territory
    ("The soldiers returned fire.", {"armed_clashes"}, set()),
    ("Men on motorbikes fired shots at the crowd.", {"armed_clashes"}, set()),
    ("Forces fired a Grad salvo at the village.", {"shelling"}, set()),
    ("Indirect fire hit the base.", {"shelling"}, set()),
    ("An Iskander struck the city centre.", {"shelling"}, set()),
    ("The rebels relinquished control of the town.", {"territorial_control"}, set()),
    ("The army surrendered the town to the rebels.", {"territorial_control"}, set()),
    ("The garrison surrendered to the rebels.", {"territorial_control"}, set()),
    # near misses: the same words in their everyday senses
    ("The president returned fire at his critics in a speech.", set(), {"armed_clashes"}),
    ("The striker fired several shots at goal in the first half.", set(), {"armed_clashes"}),
    ("The CEO surrendered control of the company to investors.", set(), {"territorial_control"}),
    ("Athletes used batons in the relay final.", set(), {"protest"}),
    ("Mustard seeds are grown in the region.", set(), {"chemical_weapons"}),
    ("The minister came under fire for his remarks on the budget.", set(), {"armed_clashes"}),
    ("The patrol came under scrutiny after the report.", set(), {"armed_clashes"}),
    ("The two leaders traded barbs at the summit.", set(), {"armed_clashes"}),
    ("Doctors neutralised the toxin with an antidote.", set(), {"armed_clashes"}),
    ("Workers carried out a strike against the pension reform.", set(), {"airstrike"}),
    ("The company changed hands in 2019.", set(), {"territorial_control"}),
    ("Money changed hands during the negotiations.", set(), {"territorial_control"}),
    ("Fire crews dislodged debris from the drain.", set(), {"territorial_control"}),
    ("The responsibility falls to the army to protect civilians.", set(), {"territorial_control"}),
    ("Displaced families moved into the camp.", set(), {"territorial_control"}),
    ("Engineers laid mines along the border.", set(), {"bombing"}),
    ("Police defused a bomb planted near the church.", set(), {"bombing"}),
    ("The band broke up after the tour.", set(), {"protest"}),
    ("The fans observed a minute's silence.", set(), {"protest"}),
]


@pytest.mark.parametrize("text,expected,forbidden", CODEBOOK_FORMS)
def test_codebook_forms_of_the_event_types_tag_their_topics(tagger, text, expected, forbidden):
    found = topics_of(tagger, text)
    assert expected <= found, f"missing {expected - found} in {found}"
    assert not (forbidden & found), f"unexpected {forbidden & found}"


# Everyday senses of the twelfth pass's terms: accidents, weather, sport, elections, trade and
# municipal work in the same words. Each stays out of the topic, through the tagger and through
# the ingest, while the conflict sense below it still tags.
EVERYDAY_SENSES = [
    ("A hiker has been missing since Sunday in the mountains.", "kidnapping_hostages"),
    ("Three children were carried away by floodwaters.", "kidnapping_hostages"),
    ("The flood carried away three children.", "kidnapping_hostages"),
    ("Troops crossed the river into the town of Bor to deliver aid.", "foreign_intervention"),
    ("Soldiers crossing the border into Chad were fleeing the fighting.", "foreign_intervention"),
    ("A small plane hit a power line near the airport.", "airstrike"),
    ("The plane struck a flock of birds after take-off.", "airstrike"),
    ("Oil tank fires raged at the refinery for two days.", "shelling"),
    ("Temperatures in the region fall to minus 20.", "territorial_control"),
    ("Power changed hands peacefully after the election.", "territorial_control"),
    ("The title changed hands twice this season.", "territorial_control"),
    ("Engineers flushed out the city's water pipes.", "territorial_control"),
    ("The army moved into its new barracks.", "territorial_control"),
    ("Troops entered the polling station in Kano.", "territorial_control"),
    ("Residents observed a strike on the hospital's behalf.", "protest"),
    ("A rally was held to celebrate the team's victory.", "protest"),
    ("Police placed the bomb in a containment vessel and defused it.", "bombing"),
    ("Local youths took cattle to the market.", "looting_destruction"),
    ("The herders seized their livestock back.", "looting_destruction"),
    ("Officials pulled down a statue of Lenin under the decommunisation law.", "looting_destruction"),
]

CONFLICT_SENSES = [
    ("Gunmen carried away three children from the school.", "kidnapping_hostages"),
    ("Two traders were taken away by unknown gunmen.", "kidnapping_hostages"),
    ("Ugandan troops crossed into Congo to pursue the rebels.", "foreign_intervention"),
    ("Turkish soldiers crossed the border near Afrin.", "foreign_intervention"),
    ("Bombers struck the town's market at dawn.", "airstrike"),
    ("Drones hit an army convoy near Marib.", "airstrike"),
    ("Tanks fired on residential areas overnight.", "shelling"),
    ("The district changed hands three times in March.", "territorial_control"),
    ("The army flushed out militants from the valley.", "territorial_control"),
    ("Soldiers flushed out the insurgents hiding in the forest.", "territorial_control"),
    ("Rebels moved into the town after the army withdrew.", "territorial_control"),
    ("Protesters stormed the presidential palace in Colombo.", "protest"),
    ("Militants placed a bomb under a bus in Quetta.", "bombing"),
    ("Raiders seized cattle and burned huts in Pibor.", "looting_destruction"),
    ("Fighters toppled a statue of the former president.", "looting_destruction"),
]


@pytest.mark.parametrize("text,topic", EVERYDAY_SENSES)
def test_everyday_senses_of_the_new_terms_tag_nothing_in_tagging_or_ingest(tagger, enricher, text, topic):
    assert topic not in topics_of(tagger, text)
    assert topic not in _ingested_topics(enricher, text)


@pytest.mark.parametrize("text,topic", CONFLICT_SENSES)
def test_conflict_senses_of_the_narrowed_terms_still_tag(tagger, enricher, text, topic):
    assert topic in topics_of(tagger, text)
    assert topic in _ingested_topics(enricher, text)


# ---------------------------------------------------------------- the thirteenth pass
# Classes the fifth fresh set's dev half showed (notes from the Balkans, West Africa, Central
# and South Asia and Latin America of the 1980s-2000s), in the codebooks' words and in other
# places and sentences than the labelled rows: killings of captives taken somewhere and shot,
# hands tied; peace accords that end the fighting; bombs set off and named by their kind;
# mortar bombs and mine clearance; injuries named by their kind; people evacuated, moved into
# camps or fleeing the violence; airlifts; roads into a town cut; sexual slavery as "bush
# wives"; police batons and fire on a march; troops on parade; persons captured; missions
# foreign wherever they act; everyday senses of the same words.
THIRTEENTH_VOCABULARY = [
    # execution and the killing of captives (the codebook's attack on captives)
    ("On 3 May 1993, the prisoners were taken to a nearby quarry and shot.",
     {"execution", "armed_clashes"}, set()),
    ("Militiamen tied their hands and killed 12 farmers near the river.", {"execution"}, set()),
    ("The men were lined up and shot in front of the mosque.", {"execution"}, set()),
    # peace accords that end the fighting are no fighting
    ("The two factions signed an accord in Addis Ababa to end the fighting.",
     {"ceasefire_negotiations"}, {"armed_clashes"}),
    ("The rebels announced a cessation of military operations in the north.", {"ceasefire_negotiations"}, set()),
    ("The parties signed the General Agreement on Peace and National Accord.", {"ceasefire_negotiations"}, set()),
    # bombs set off, and named by their kind
    ("Insurgents set off three bombs at the railway station.", {"bombing"}, set()),
    ("A pressure-cooker bomb exploded near the temple gate.", {"bombing"}, set()),
    ("Youths threw a blast bomb at a police car in Lurgan.", {"bombing"}, set()),
    # projectiles and clearance: no bombing
    ("The rebels fired mortar bombs at the garrison overnight.", {"shelling"}, {"bombing"}),
    ("A demining team cleared 150 landmines from the school grounds.", set(), {"bombing"}),
    ("Suicide bombers struck a crowded market in the capital.", {"bombing"}, {"airstrike"}),
    # injuries named by their kind
    ("A teenager was blinded by a rubber bullet during the march.", {"casualties"}, set()),
    ("Rebels hacked off the hands of villagers in Koinadugu.", {"casualties"}, set()),
    # people evacuated, moved into camps, fleeing the violence
    ("About 20,000 residents were evacuated from frontline villages in the valley.",
     {"displacement_refugees"}, set()),
    ("Villagers were moved into camps along the highway by the army.", {"displacement_refugees"}, set()),
    ("Thousands of farmers fled the violence for the provincial capital.", {"displacement_refugees"}, set()),
    ("Militias burned the settlement, forcing families into the forest.", {"displacement_refugees"}, set()),
    # relief and siege in the codebooks' words
    ("The agency began an airlift of food and medicine to the enclave.", {"humanitarian_aid"}, set()),
    ("Rebels cut all roads into the town, leaving it without food.", {"siege"}, set()),
    # sexual slavery
    ("Commanders kept abducted girls as bush wives in their camps.", {"sexual_violence"}, set()),
    # protest: batons, fire on a march, stones and petrol bombs
    ("Police baton-charged students outside the university.", {"protest"}, set()),
    ("Soldiers opened fire on a funeral procession in the town, killing 4.", {"protest"}, set()),
    ("Youths hurled stones and petrol bombs at the army post.", {"protest"}, set()),
    # persons captured are no ground; missions foreign wherever they act
    ("Police captured the rebel leader in a farmhouse outside the capital.",
     {"detention_torture"}, {"territorial_control"}),
    ("KFOR soldiers arrested two men at a checkpoint near Mitrovica.", {"foreign_intervention"}, set()),
    ("ECOMOG troops shelled rebel positions east of the city.", {"foreign_intervention", "shelling"}, set()),
    ("NATO launched air strikes on radar sites near the capital.", {"foreign_intervention", "airstrike"}, set()),
    # everyday senses of the same words
    ("The novel captured the imagination of a whole generation.", set(), {"territorial_control"}),
    ("The party chairman attacked the budget in a television interview.", set(), {"armed_clashes"}),
    ("Cadets and tanks marched through the capital on Independence Day.", set(), {"protest"}),
    ("Helicopter gunships attacked rebel bases in the hills.", {"airstrike"}, {"armed_clashes"}),
    ("The mayor said the new bypass would end the fighting over parking.", set(), {"armed_clashes"}),
    ("Patients were evacuated from the hospital after a fire alarm.", set(), {"displacement_refugees"}),
    # (a dev class of the periods set read after the first landing) an accord named between the
    # article and its noun; residents evacuated without a place after the verb
    ("The two sides signed the Comprehensive Agreement on Human Rights in Mexico City.",
     {"ceasefire_negotiations"}, set()),
    ("About 3,000 villagers were evacuated as the fighting moved towards the river.",
     {"displacement_refugees"}, set()),
    ("Residents had been evacuated before the dam was breached.", {"displacement_refugees"}, set()),
    ("The wounded were evacuated by helicopter to the capital.", set(), {"displacement_refugees"}),
    # aid workers as the victims of an attack are no relief; with relief named they are
    ("Gunmen ambushed a car near Bentiu and killed three aid workers.", set(), {"humanitarian_aid"}),
    ("Aid workers handed out food rations to 5,000 displaced families.", {"humanitarian_aid"}, set()),
]


@pytest.mark.parametrize("text,expected,forbidden", THIRTEENTH_VOCABULARY)
def test_event_notes_of_the_thirteenth_pass_tag_their_topics(tagger, text, expected, forbidden):
    found = topics_of(tagger, text)
    assert expected <= found, f"missing {expected - found} in {found}"
    assert not (forbidden & found), f"unexpected {forbidden & found}"


def test_the_fifth_fresh_notes_test_half_keeps_its_figures(corpus_figures):
    # notes for the Balkans, Northern Ireland, Algeria, Sierra Leone, Liberia, Cote d'Ivoire,
    # Burundi, Uganda, Nepal, Aceh, Maluku, Timor-Leste, Tajikistan, Kyrgyzstan, Georgia, Peru,
    # El Salvador, Guatemala, Chile, Bolivia, Hong Kong, Belarus, Zimbabwe, Kenya 2008,
    # Casamance, Western Sahara, Sri Lanka and Colombia of the 1980s-90s, labelled before the
    # tagger ran on them; the test half was scored once before tuning and again after
    # (docs/figures.md, topics thirteenth pass); the floor sits a little under
    assert corpus_figures["topics.events_fresh5.test.event_precision"] >= 0.89
    assert corpus_figures["topics.events_fresh5.test.event_recall"] >= 0.76
    assert corpus_figures["topics.events_fresh5.test.micro_precision"] >= 0.90
    assert corpus_figures["topics.events_fresh5.test.micro_recall"] >= 0.78
    assert corpus_figures["topics.events_fresh5.dev.casualties_negation_fp"] <= 1
    assert corpus_figures["topics.events_fresh5.test.casualties_negation_fp"] <= 1

# Armies of West and Southern Africa and Central Asia added to the foreign-force phrases: foreign
# across a border, dropped at home like the others (the places stage finds the town)
@pytest.mark.parametrize("text,foreign", [
    ("Nigerian troops of ECOMOG shelled rebel positions near Makeni.", True),
    ("Guinean helicopter gunships attacked rebel bases near Foya in Lofa county.", True),
    ("Tajik border guards fired mortars at the village of Kok-Tash in Batken.", True),
    ("Zimbabwean troops fought alongside the FAC near Pweto in Katanga.", True),
    ("Nigerian troops clashed with Boko Haram fighters near Maiduguri.", False),
    ("Kyrgyz border guards exchanged fire with smugglers near Osh.", False),
])
def test_the_thirteenth_pass_armies_are_foreign_abroad_and_at_home_at_home(enricher, text, foreign):
    assert ("foreign_intervention" in _ingested_topics(enricher, text)) is foreign


# Everyday senses of conflict phrases: sport, business, politics, weather and housing news
# that must not be tagged, beside the conflict sense the same phrase must keep.
EVERYDAY = [
    ("Fans set off pyrotechnic devices during the match, delaying the second half.", set(), {"bombing"}),
    ("Supporters set off smoke bombs in the stands before kick-off.", set(), {"bombing"}),
    ("Maoists set off a pressure-cooker bomb outside a bank.", {"bombing"}, set()),
    ("The candidate spoke at rallies across Ohio on Saturday, promising tax cuts.", set(), {"protest"}),
    ("Police arrested about 370 people at rallies across the city.", {"protest"}, set()),
    ("Tax relief will reach 20 million households next year, the chancellor said.", set(),
     {"humanitarian_aid"}),
    ("Debt relief could reach $1bn under the plan.", set(), {"humanitarian_aid"}),
    ("The two companies signed the merger agreement on Tuesday.", set(), {"ceasefire_negotiations"}),
    ("The striker signed the transfer agreement with the club on Friday.", set(), {"ceasefire_negotiations"}),
    ("The parties signed the Ohrid Framework Agreement in August.", {"ceasefire_negotiations"}, set()),
    ("The president vowed to keep ending the war on drugs.", set(), {"ceasefire_negotiations"}),
    ("The two leaders signed the Paris climate agreement.", set(), {"ceasefire_negotiations"}),
    ("Ration card holders will get their monthly rations of rice and wheat at the shops.", set(),
     {"humanitarian_aid"}),
    ("Soldiers on the exercise carried emergency rations for three days.", set(), {"humanitarian_aid"}),
    ("Refugees in the camp said their WFP rations had been cut again.", {"humanitarian_aid"}, set()),
    ("Hundreds of families were evicted from their homes for unpaid rent.", set(), {"displacement_refugees"}),
    ("Rising prices have forced families into poverty, the charity said.", set(), {"displacement_refugees"}),
    ("The squad moved into camp in Doha ahead of the tournament.", set(), {"displacement_refugees"}),
    ("The startup burned three quarters of its cash in a year.", set(), {"looting_destruction"}),
    ("Snow cut all the roads to the valley on Tuesday.", set(), {"siege"}),
    ("Rebels attacked the government garrison in the north overnight.", {"armed_clashes"}, set()),
    ("Insurgents attacked the government headquarters in the town.", {"armed_clashes"}, set()),
    ("The opposition attacked the government over rising prices.", set(), {"armed_clashes"}),
    ("The drug was tested in a randomised, double-blinded trial of 400 patients.", set(), {"casualties"}),
    ("Researchers ran a blinded study of the vaccine in 2,000 volunteers.", set(), {"casualties"}),
    ("The assessors were blinded to which group each patient was in.", set(), {"casualties"}),
    ("A protester was blinded in one eye by a rubber bullet.", {"casualties"}, set()),
]


@pytest.mark.parametrize("body,expected,forbidden", EVERYDAY)
def test_everyday_senses_of_conflict_phrases_are_not_tagged(tagger, body, expected, forbidden):
    found = topics_of(tagger, body)
    assert expected <= found, f"missing {expected - found} in {found}"
    assert not (forbidden & found), f"unexpected {forbidden & found}"


def test_the_sixth_fresh_notes_test_half_keeps_its_figures(corpus_figures):
    # notes for Sudan, Chad, Cameroon, the Sahel with Wagner and the Africa Corps, Israel, Gaza and
    # Lebanon, Ukraine 2024, Armenia and Azerbaijan, Amhara, Myanmar, Pakistan, southern Thailand,
    # Mindanao, Brazil, Ecuador, Kenya, Bangladesh, Georgia, Syria after Assad and the Red Sea
    # (2022-25), labelled before the tagger ran on them; the test half was scored once before
    # tuning and again after (docs/figures.md, topics fourteenth pass); the floor sits a little under
    assert corpus_figures["topics.events_fresh6.test.event_precision"] >= 0.83
    assert corpus_figures["topics.events_fresh6.test.event_recall"] >= 0.85
    assert corpus_figures["topics.events_fresh6.test.micro_precision"] >= 0.88
    assert corpus_figures["topics.events_fresh6.test.micro_recall"] >= 0.85
    assert corpus_figures["topics.events_fresh6.dev.casualties_negation_fp"] <= 1
    assert corpus_figures["topics.events_fresh6.test.casualties_negation_fp"] <= 1


# ---------------------------------------------------------------- the fourteenth pass
# Event-note wording the sixth fresh set's dev half showed missed or mis-tagged, in the pattern
# of ACLED and UCDP notes (other places and words than the labelled rows): captives rounded up,
# checked for their papers or shot after surrendering; attacks by crowds or with drones and
# calls to end the fighting that are no ground clash; a carnival's marchers and a drill's
# announced explosions; relief agencies' aircraft and trucks; people taken away with a count
# between, held at gunpoint, picked up by plain-clothes men or held incommunicado; a base
# handed over in the passive; a besieger named; homes lost; a camp that is only the place
# struck (the labelled sets' rule)
FOURTEENTH_VOCABULARY = [
    ("Militants rounded up and shot 14 villagers in Tillaberi.", {"execution", "armed_clashes", "casualties"}, set()),
    ("Gunmen stopped a bus near Mandera, checked identity papers and shot 28 non-local passengers.",
     {"execution", "armed_clashes", "casualties"}, set()),
    ("A video showed soldiers shooting two prisoners who had surrendered near Kherson.",
     {"execution", "casualties"}, set()),
    ("Demonstrators attacked the electoral commission's office in Kinshasa.", {"protest"}, {"armed_clashes"}),
    ("Russian forces attacked Kharkiv with guided bombs and drones overnight.", {"airstrike"}, {"armed_clashes"}),
    ("Students marched in Khartoum calling for an end to the fighting.", {"protest"}, {"armed_clashes"}),
    ("Teachers' unions clashed with the education ministry over pay arrears.", set(), {"armed_clashes"}),
    ("Carnival revellers marched through the old town of Salvador.", set(), {"protest"}),
    ("The navy warned that a training exercise would cause loud explosions off the coast.", set(), {"bombing"}),
    ("WFP helicopters delivered food to villages cut off by the floods.", {"humanitarian_aid"}, {"airstrike"}),
    ("Trucks carrying flour and medicine crossed into Tawila from Chad.", {"humanitarian_aid"}, set()),
    ("Unidentified men took away about 30 students from a school in Kuriga.", {"kidnapping_hostages"}, set()),
    ("Gunmen held the passengers at gunpoint for three hours before police arrived.", {"kidnapping_hostages"}, set()),
    ("Activists said he was picked up by men in plain clothes in Lahore and his whereabouts are unknown.",
     {"detention_torture"}, set()),
    ("The journalist has been held incommunicado since March.", {"detention_torture"}, set()),
    ("The air base was handed over to the national army on Friday.", {"territorial_control"}, set()),
    ("Fighters besieged the town of Kadugli for months.", {"siege"}, set()),
    ("The cyclone destroyed 5,000 houses, leaving thousands homeless.", {"displacement_refugees"}, set()),
    ("An air strike hit the Zamzam camp for displaced people, killing 9.", {"airstrike", "casualties"},
     {"displacement_refugees"}),
    # controls: people who fled to a camp, an attack with guns, the besieged town as an aside
    ("Thousands fled to the refugee camp after the attack on their village.", {"displacement_refugees"}, set()),
    ("Rebels attacked the army post with machine guns.", {"armed_clashes"}, set()),
    ("The regime-besieged town of Madaya ran out of food.", set(), {"siege"}),
]


@pytest.mark.parametrize("text,expected,forbidden", FOURTEENTH_VOCABULARY)
def test_event_notes_of_the_fourteenth_pass_tag_their_topics(tagger, text, expected, forbidden):
    found = topics_of(tagger, text)
    assert expected <= found, f"missing {expected - found} in {found}"
    assert not (forbidden & found), f"unexpected {forbidden & found}"


# Russia's weapons named by type and its border guards, the state named as the actor, Pakistan's
# jets, a multinational force and a Russian and Syrian pair: foreign abroad, dropped at home
@pytest.mark.parametrize("text,foreign", [
    ("Russian Iskander missiles hit a railway station in Kramatorsk (Donetsk), killing 3.", True),
    ("Russian border guards moved the fence 200 metres deeper near Tsitelubani (Gori).", True),
    ("Russia launched 45 drones and four missiles at Odesa overnight, the regional governor said.", True),
    ("Pakistani jets bombed suspected militant hideouts in Khost province, Afghanistan, killing 8.", True),
    ("Soldiers of the multinational force patrolled Cite Soleil after gang attacks.", True),
    ("Russian and Syrian warplanes pounded villages in southern Idlib.", True),
    ("Pakistani jets bombed militant hideouts in the Tirah valley of Khyber district.", False),
    ("Russia launched 40 drones at Belgorod, the governor said.", False),
])
def test_the_fourteenth_pass_forces_are_foreign_abroad_and_at_home_at_home(enricher, text, foreign):
    assert ("foreign_intervention" in _ingested_topics(enricher, text)) is foreign


# Everyday senses of the fourteenth pass's phrases (animal culls, space launches and drone
# services, robberies, housing, civilian handovers), beside the conflict sense each must keep
FOURTEENTH_EVERYDAY = [
    ("Hundreds of stray dogs were rounded up and killed before the tournament, animal rights groups said.",
     set(), {"execution", "armed_clashes", "casualties"}),
    ("Feral camels were rounded up and shot from helicopters during the drought.",
     set(), {"execution", "armed_clashes", "casualties"}),
    ("Villagers were rounded up and shot outside the mosque.", {"execution", "casualties"}, set()),
    ("Russia launched two rockets carrying 38 satellites from Baikonur on Monday.", set(),
     {"foreign_intervention"}),
    ("Israel launched its first drone delivery service in Tel Aviv this week.", set(),
     {"foreign_intervention"}),
    ("Armed robbers held staff at gunpoint and emptied the safe at a jewellery store in Leeds.", set(),
     {"kidnapping_hostages"}),
    ("Two robbers held the passengers at gunpoint and stole their phones on the night bus.", set(),
     {"kidnapping_hostages"}),
    ("Gunmen held the passengers at gunpoint for six hours before soldiers stormed the bus.",
     {"kidnapping_hostages"}, set()),
    ("Soaring rents and evictions have left thousands homeless in the capital, charities say.", set(),
     {"displacement_refugees"}),
    ("The number of people homeless in England rose by 14 percent last year.", set(),
     {"displacement_refugees"}),
    ("Tenants were left homeless after eviction by the landlord.", set(), {"displacement_refugees"}),
    ("The shelling destroyed 300 houses, leaving thousands homeless.", {"displacement_refugees"}, set()),
    ("The former army base was handed over to the city council for housing.", set(),
     {"territorial_control"}),
    ("The keys to the city were handed over to the champions at the town hall.", set(),
     {"territorial_control"}),
    ("The base was handed over to the Afghan army on Tuesday.", {"territorial_control"}, set()),
    # a call for the fighting to end is no clash, the fighting someone moves to end is one
    ("The army moved to put an end to the fighting between the two militias in Tripoli.",
     {"armed_clashes"}, set()),
    ("Mediators brought a halt to the clashes between rival militias in Zawiya.", {"armed_clashes"}, set()),
    ("Hundreds marched in Omdurman demanding an immediate end to the fighting.", {"protest"},
     {"armed_clashes"}),
    # a privatised airport, a job moved, a district's or a council's change of hands
    ("The airport was handed over to a private operator under a 30-year concession.", set(),
     {"territorial_control"}),
    ("The position was transferred to the Geneva office last year.", set(), {"territorial_control"}),
    ("The town was returned to the county after the boundary review.", set(), {"territorial_control"}),
    ("The city was returned to Labour control in the local elections.", set(), {"territorial_control"}),
    ("The town was returned to government forces under the Astana deal.", {"territorial_control"}, set()),
    # children taken into care, a star who went quiet, freight to shops
    ("Social services took away her three children after the court hearing.", set(),
     {"kidnapping_hostages"}),
    ("The singer went incommunicado for a week before the album's release.", set(), {"detention_torture"}),
    ("The striker kept himself incommunicado before the final.", set(), {"detention_torture"}),
    ("Trucks carrying food to supermarkets were stuck at the port during the strike.", set(),
     {"humanitarian_aid"}),
    # what was taken away was the people's (a possessive), the taker water, or an arrest
    ("The new law took away teachers' right to strike.", set(), {"kidnapping_hostages"}),
    ("The company took away workers' bonuses after the merger.", set(), {"kidnapping_hostages"}),
    ("The river took away two women who were washing clothes.", set(), {"kidnapping_hostages"}),
    ("Officers held him at gunpoint until backup arrived.", set(), {"kidnapping_hostages"}),
    ("Gunmen took away the teachers' children from their homes in Kagara.", {"kidnapping_hostages"}, set()),
    # "homeless" before the people it describes is homelessness, not homes just lost
    ("Many homeless people sleep in the subway stations in winter.", set(), {"displacement_refugees"}),
    ("Volunteers handed out blankets to hundreds homeless men in the park.", set(), {"displacement_refugees"}),
    ("The earthquake left many homeless in the mountain villages.", {"displacement_refugees"}, set()),
    # schoolchildren and pilgrims march in protests as often as in parades
    ("Thousands of schoolchildren marched through Berlin, demanding climate action.", {"protest"}, set()),
    ("Hundreds of pilgrims marched on the governor's office to protest the closure of the shrine.",
     {"protest"}, set()),
]


@pytest.mark.parametrize("text,expected,forbidden", FOURTEENTH_EVERYDAY)
def test_everyday_senses_of_the_fourteenth_pass_phrases_are_not_tagged(tagger, text, expected, forbidden):
    found = topics_of(tagger, text)
    assert expected <= found, f"missing {expected - found} in {found}"
    assert not (forbidden & found), f"unexpected {forbidden & found}"


def test_the_seventh_fresh_notes_test_half_keeps_its_figures(corpus_figures):
    # notes for Iraq 2003-08, Afghanistan 2001-08, the 2011 uprisings, Albania 1997, Transnistria,
    # Turkey 2013-16, Central Asia, China, Bangkok, India 1984-2023, the Horn, southern and West
    # Africa, Latin American unrest, European riots, Lebanon 2006 and Gaza 2008-09, labelled
    # before the tagger ran on them; the test half was scored once before tuning and again after
    # (docs/figures.md, topics fifteenth pass); the floor sits a little under
    assert corpus_figures["topics.events_fresh7.test.event_precision"] >= 0.87
    assert corpus_figures["topics.events_fresh7.test.event_recall"] >= 0.82
    assert corpus_figures["topics.events_fresh7.test.micro_precision"] >= 0.90
    assert corpus_figures["topics.events_fresh7.test.micro_recall"] >= 0.85
    assert corpus_figures["topics.events_fresh7.dev.casualties_negation_fp"] <= 1
    assert corpus_figures["topics.events_fresh7.test.casualties_negation_fp"] <= 1


# ---------------------------------------------------------------- the fifteenth pass
# Event-note wording the seventh fresh set's dev half showed missed or mis-tagged (other places
# and words than the labelled rows): forces that captured a place (persons captured only in the
# passive), people seized by armed men and a head of state seized in a coup (no ground), a
# crowd's size (no recap in a note), fire into a crowd, a crowd's weapons, self-immolation,
# deaths by drowning or electrocution, an armoury broken into, a police station burning,
# flight named by its direction
FIFTEENTH_VOCABULARY = [
    ("Kurdish troops captured the village of Bashiqa after a two-day push.", {"territorial_control"}, set()),
    ("Government soldiers captured the airport at dawn.", {"territorial_control"}, set()),
    ("Pirates seized 17 Filipino crew from a tanker off Eyl.", {"kidnapping_hostages"}, {"territorial_control"}),
    ("Militants seized four Chinese road workers near Gilgit.", {"kidnapping_hostages"}, {"territorial_control"}),
    ("Mutinous soldiers seized President Ibrahim Keita at his residence in Bamako.", {"detention_torture"},
     {"territorial_control"}),
    ("Hundreds of thousands of people marched in Santiago against the pension law. [size=hundreds of thousands]",
     {"protest"}, set()),
    ("Thousands of miners gathered at the mine gate in Rustenburg. [size=thousands]", {"protest"}, set()),
    ("Soldiers fired into the crowd outside the radio station and at least 12 people were killed.",
     {"protest", "armed_clashes", "casualties"}, set()),
    ("Youths armed with sticks and iron rods chased traders out of the market in Jos.", {"protest"}, set()),
    ("A farmer set himself on fire outside the district office in Sialkot.", {"protest", "casualties"}, set()),
    ("Twelve migrants drowned when their boat capsized off Lampedusa.", {"casualties"}, set()),
    ("A worker was electrocuted while repairing a power line in Gulu.", {"casualties"}, set()),
    ("Villagers broke into the police armoury in Kalaw and carried off 40 rifles.", {"looting_destruction"}, set()),
    ("Rebels entered the town, freeing inmates and burning the courthouse.", {"looting_destruction"}, set()),
    ("Thousands of Eritreans fled west towards Sudan.", {"displacement_refugees"}, set()),
    # controls: persons captured in the passive, tear gas fired into a crowd, a car that burned
    ("Thirty soldiers captured in the ambush were later freed.", set(), {"territorial_control"}),
    ("Police fired tear gas into the crowd outside the stadium.", {"protest"}, {"armed_clashes"}),
    ("Firefighters found a body inside a burning car on the highway.", set(), {"looting_destruction"}),
]


@pytest.mark.parametrize("text,expected,forbidden", FIFTEENTH_VOCABULARY)
def test_event_notes_of_the_fifteenth_pass_tag_their_topics(tagger, text, expected, forbidden):
    found = topics_of(tagger, text)
    assert expected <= found, f"missing {expected - found} in {found}"
    assert not (forbidden & found), f"unexpected {forbidden & found}"


# Everyday senses the seventh set's dev half showed, beside the conflict sense each must keep
FIFTEENTH_EVERYDAY = [
    ("Shell's offshore platform resumed production after maintenance.", set(), {"shelling"}),
    ("Insurgents shelled the army base near Shell's pipeline at Bodo.", {"shelling"}, set()),
    ("Police defused a bomb packed with mortar shells outside the bank.", set(), {"shelling"}),
    ("A judge issued an arrest warrant for the former governor.", set(), {"detention_torture"}),
    ("Police arrested the former governor at his home.", {"detention_torture"}, set()),
    ("The army displayed captured weapons and ammunition to reporters.", set(), {"territorial_control"}),
    ("The health minister clashed with unions over the hospital closures.", set(), {"armed_clashes"}),
    ("Rebels clashed with the army near the border.", {"armed_clashes"}, set()),
    ("The ousted president left the country on a US plane bound for Jamaica.", set(), {"airstrike"}),
    ("US planes bombed militant positions near the border.", {"airstrike"}, set()),
    ("Tens of thousands had fled the fighting in the north by the end of the month.",
     {"displacement_refugees"}, {"armed_clashes"}),
    ("Heavy fighting broke out in the north and tens of thousands fled.", {"armed_clashes"}, set()),
    ("Troops detained 30 men in a cordon-and-search operation; no shots were fired.",
     {"detention_torture"}, {"armed_clashes"}),
]


@pytest.mark.parametrize("text,expected,forbidden", FIFTEENTH_EVERYDAY)
def test_everyday_senses_of_the_fifteenth_pass_phrases_are_not_tagged(tagger, text, expected, forbidden):
    found = topics_of(tagger, text)
    assert expected <= found, f"missing {expected - found} in {found}"
    assert not (forbidden & found), f"unexpected {forbidden & found}"


# Regional organisations' forces, Saudi ground forces, British patrols, US cruise missiles and
# South Africa's army: foreign abroad, South Africa's dropped at home
@pytest.mark.parametrize("text,foreign", [
    ("ECOWAS troops deployed to Banjul to secure the airport.", True),
    ("A CSTO contingent guarded the airport in Almaty.", True),
    ("Peninsula Shield units took up positions around Manama.", True),
    ("Saudi troops crossed the causeway into Bahrain.", True),
    ("A roadside bomb struck a British patrol near Basra.", True),
    ("US cruise missiles hit an airbase near Homs.", True),
    ("South African troops fought M23 rebels near Sake (North Kivu).", True),
    ("South African troops were deployed in Durban and Pietermaritzburg to stop the looting.", False),
])
def test_the_fifteenth_pass_forces_are_foreign_abroad_and_at_home_at_home(enricher, text, foreign):
    assert ("foreign_intervention" in _ingested_topics(enricher, text)) is foreign


# ---------------------------------------------------------------- the fifteenth pass, reviewed
# Everyday and narrower senses of the fifteenth pass's phrases, each beside the sense kept:
# persons captured in a headline's clause (a comma or a stop after them, not a place), a head
# of state's belongings seized, election and mediation missions of a regional organisation, a
# sports shot into the stands, people who left for work, a museum of arms
FIFTEENTH_REVIEWED = [
    ("Twelve soldiers captured, four killed in ambush near Kidal", {"casualties"},
     {"territorial_control"}),
    ("Nine border guards captured.", set(), {"territorial_control"}),
    ("Militants captured the border post at Tinzaouaten after a day of fighting.", {"territorial_control"}, set()),
    ("Investigators seized the president's mobile phone and diaries.", set(),
     {"detention_torture", "territorial_control"}),
    ("Officers seized the prime minister's laptop in a corruption probe.", set(),
     {"detention_torture", "territorial_control"}),
    ("Putschists seized the president before dawn and dissolved the government.", {"detention_torture"}, set()),
    ("An ECOWAS mission to observe the vote arrived in Freetown.", set(), {"foreign_intervention"}),
    ("An ECOWAS mission led by a former Nigerian president met the junta in Niamey.", set(),
     {"foreign_intervention"}),
    ("A CSTO mission of election monitors praised the count in Bishkek.", set(), {"foreign_intervention"}),
    ("ECOWAS troops secured the presidential palace in Banjul.", {"foreign_intervention"}, set()),
    ("The striker fired into the crowd from twelve yards and the visitors held on.", set(),
     {"armed_clashes", "protest"}),
    ("Riot police fired into the crowd outside the parliament, killing two.", {"armed_clashes", "protest"}, set()),
    ("Residents left for work before dawn as the ferry service resumed.", set(), {"displacement_refugees"}),
    ("Families left for the coast at the start of the school holidays.", set(), {"displacement_refugees"}),
    ("Residents left for Goma as the rebels closed in on the town.", {"displacement_refugees"}, set()),
    ("Thieves broke into the armouries museum and took a ceremonial sword.", set(), {"looting_destruction"}),
    # a party's or a union's members who clash with others or the police fight; a minister who
    # clashes with the unions argues
    ("Activists of two rival parties clashed with sticks and bricks in Sylhet.", {"armed_clashes"}, set()),
    ("Members of the ruling party clashed with the opposition supporters in Bulawayo.", {"armed_clashes"}, set()),
    ("Members of the miners' union clashed with police outside the smelter.", {"armed_clashes"}, set()),
    ("The finance minister clashed with the unions over the pension reform.", set(), {"armed_clashes"}),
    # an armoury raided by the state's forces is a search, one raided by a crowd is looted
    ("Police raided a clandestine arms depot in Quetta and recovered 40 rifles.", set(), {"looting_destruction"}),
    ("Soldiers raided the rebels' weapons depot outside Beni.", set(), {"looting_destruction"}),
    ("Crowds raided the army depot in Gjirokaster and carried off rifles.", {"looting_destruction"}, set()),
    # a title, a lead or a scene captured or seized (sport, photography), beside ground taken
    ("Boca Juniors captured the title with a late goal at La Bombonera.", set(), {"territorial_control"}),
    ("The visitors seized the lead early in the second half.", set(), {"territorial_control"}),
    ("A drone camera captured the eruption over the crater.", set(), {"territorial_control"}),
    ("Rebels captured the town of Bunia after a night of fighting.", {"territorial_control"}, set()),
    # forces abroad for an exercise act for no state in a conflict
    ("Saudi troops took part in a joint exercise with Egyptian units near Alexandria.", set(),
     {"foreign_intervention"}),
    ("British troops held winter exercises with Norwegian forces near Bardufoss.", set(), {"foreign_intervention"}),
    ("Saudi troops crossed into Yemen after weeks of exercises on the border.", {"foreign_intervention"}, set()),
]


@pytest.mark.parametrize("text,expected,forbidden", FIFTEENTH_REVIEWED)
def test_the_fifteenth_pass_phrases_keep_to_their_conflict_sense(tagger, text, expected, forbidden):
    found = topics_of(tagger, text)
    assert expected <= found, f"missing {expected - found} in {found}"
    assert not (forbidden & found), f"unexpected {forbidden & found}"
