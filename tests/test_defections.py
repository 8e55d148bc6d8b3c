"""Defection events: example sentences (English and Arabic), the seed page's four events, and
floors on the hand-labelled sentences (tests/labels/defections_written.csv)."""
from __future__ import annotations

import pytest

from conftest import shared_path
from etl.extract.defections import defections, normalise_rank
from etl.extract.people import EntityFinder
from etl.model import Doc

SEED = "seeds/000_0539852812ec3bbd.txt"


@pytest.fixture(scope="module")
def finder():
    return EntityFinder()


def events(finder, text: str, year: int = 2013, title: str = ""):
    doc = Doc(title=title, caption="", body=text)
    return [(d.rank, d.count, d.approximate, d.person, d.destination, d.is_background)
            for d in defections(doc, finder.find(doc), year)]


EXAMPLES = [
    ("A Syrian air force colonel defected to Turkey on Tuesday, crossing the border with his family.",
     [("colonel", 1, False, None, "TR", False)]),
    ("At least 8 officers and 41 conscripts defected from army positions around Homs late on Wednesday.",
     [("officer", 8, True, None, None, False), ("soldier", 41, False, None, None, False)]),
    ("Former Syrian premier Riad Hijab defected to Jordan in August 2012.",
     [("prime minister", 1, False, "Riad Hijab", "JO", True)]),
    ("Syria's ambassador to Iraq, Nawaf al-Fares, announced his defection on Wednesday.",
     [("ambassador", 1, False, "Nawaf al-Fares", None, False)]),
    ("Some 60 officers including six generals defected and crossed into Turkey overnight.",
     [("general", 6, False, None, "TR", False)]),
    ("A brigadier general has defected and reached Amman with his wife and children, sources said on Monday.",
     [("brigadier general", 1, False, None, "JO", False)]),
    ("A police officer in Homs defected with 15 of his men and handed their weapons to rebels.",
     [("police officer", 1, False, None, None, False), ("soldier", 15, False, None, None, False)]),
    ("Camps in Lebanon now shelter several hundred defected officers, according to local officials.",
     [("officer", 200, True, None, None, True)]),      # a tally of earlier defections
    ("The Syrian army said no soldiers had defected and called the reports fabrications.", []),
    ("Prime Minister Wael al-Halqi denied reports that he had defected.", []),
    ("Rebels said they would welcome any officer who wished to defect.", []),
    ("Doctors say pollution has led to a rise in birth defects in northern Syria.", []),
    ("Islamic State fighters retreated into the Syrian desert after losing the city.", []),
    ("Defectors are screened by rebel commanders before they are allowed to join operations.", []),
    ("انشق العميد محمد خلوف عن الجيش السوري ووصل إلى الأردن يوم السبت",
     [("brigadier general", 1, False, "محمد خلوف", "JO", False)]),
    ("انشقاق نحو 20 جنديا عن قوات النظام في درعا", [("soldier", 20, True, None, None, False)]),
    ("منذ بداية الثورة انشق أكثر من 40 ضابطا ولجأوا إلى تركيا", [("officer", 40, True, None, "TR", True)]),
]


@pytest.mark.parametrize("text,expected", EXAMPLES)
def test_defection_events_have_rank_count_person_destination_and_background(finder, text, expected):
    assert events(finder, text) == expected


def test_a_title_case_headline_names_no_one(finder):
    assert events(finder, "", title="High-Ranking Syrian Military Officer Defects To Jordan") == [
        ("officer", 1, False, None, "JO", False)]


@pytest.mark.parametrize("title,rank", [("Brigadier General", "brigadier general"),
                                        ("former Syrian premier", "prime minister"), ("head", None), (None, None)])
def test_people_titles_are_normalised_to_ranks(title, rank):
    assert normalise_rank(title) == rank


def test_the_seed_page_yields_its_four_defection_events_with_evidence(finder):
    text = shared_path(SEED).read_text(encoding="utf-8")
    doc = Doc(title="", caption="", body=text)
    found = defections(doc, finder.find(doc), 2013)
    summary = {(d.person, d.rank, d.count, d.approximate, d.destination, d.is_background) for d in found}
    assert ("Mohammed Khalouf", "brigadier general", 1, False, "JO", False) in summary
    assert (None, "soldier", 20, True, None, False) in summary
    assert (None, "general", 40, True, "TR", True) in summary
    assert ("Riad Hijab", "prime minister", 1, False, "JO", True) in summary
    khalouf = next(d for d in found if d.person == "Mohammed Khalouf")
    assert khalouf.entity_id == "mohammed-khalouf"
    assert any("Jordan" in e.text for e in khalouf.evidence)
    assert all(text[e.start:e.end] == e.text for d in found for e in d.evidence)
    assert len(found) == 4


def test_hand_labelled_sentences_meet_the_floors_on_dev_and_test(shared):
    from etl.evaluation.defections import evaluate_defections
    figures = evaluate_defections(shared_path(SEED).parents[1])
    for split in ("dev", "test"):
        assert figures[f"defections_{split}_recall"] >= 0.85, split
        assert figures[f"defections_{split}_precision"] >= 0.85, split
    assert figures["defections_seed_found"] == figures["defections_seed_events"] == 4
