"""dashboard.terms: the weighted log-odds of headline terms, on headlines written here."""
from __future__ import annotations

from dashboard import terms


def test_a_word_the_focus_uses_far_more_is_distinctive_and_a_word_both_use_is_not():
    focus = ["Gas attack kills dozens in Ghouta", "Doctors treat gas victims in Ghouta",
             "Gas attack: world demands inquiry", "Army shells Homs again", "Gas attack denied by government"] * 4
    reference = ["Army shells Homs again", "Army shells Aleppo suburbs", "Talks resume in Geneva",
                 "Army shells Hama countryside", "Aid convoy reaches Madaya"] * 20
    found = terms.distinctive(focus, reference, n=10)
    assert found["term"].iloc[0] == "gas"
    assert "gas attack" in set(found["term"])
    assert "ghouta" in set(found["term"])
    assert not {"army", "shells", "army shells", "homs"} & set(found["term"])   # used by both sides
    assert (found["z"] >= terms.MIN_Z).all()
    assert (found["z"].diff().dropna() <= 0).all()       # best first


def test_stop_words_numbers_and_the_query_words_are_never_terms():
    focus = ["The 12 soldiers defect to Jordan", "Officer and 30 soldiers defect", "Soldiers defect in the south"] * 5
    reference = ["Talks resume in Geneva", "Aid reaches the town"] * 30
    found = set(terms.distinctive(focus, reference, exclude=["defect"], n=20)["term"])
    assert "soldiers" in found
    assert not {"the", "and", "in", "12", "30", "defect", "soldiers defect"} & found
    assert not any(t.startswith("the ") or t.endswith(" the") for t in found)


def test_a_word_seen_only_inside_a_chosen_phrase_gives_way_to_the_phrase():
    focus = ["Shelling in Rif Dimashq", "Rif Dimashq clinics overwhelmed", "Rif Dimashq toll rises"] * 4
    reference = ["Talks resume in Geneva", "Aid reaches Homs"] * 40
    found = list(terms.distinctive(focus, reference, n=10)["term"])
    assert "rif dimashq" in found
    assert "rif" not in found and "dimashq" not in found


def test_no_headlines_on_either_side_gives_no_terms():
    assert terms.distinctive([], ["a headline"]).empty
    assert terms.distinctive(["a headline"], []).empty


def test_the_representative_headlines_hold_most_of_the_terms_and_each_story_once():
    titles = ["Talks resume in Geneva", "Gas attack in Ghouta", "Gas attack in Ghouta",
              "Gas attack in Ghouta kills dozens", "Army shells Homs"]
    found = terms.distinctive(titles * 3, ["Talks resume in Geneva", "Army shells Homs"] * 30, n=5)
    picked = terms.representative(titles, found, n=3)
    assert picked[0] in (1, 3) and titles[picked[0]].startswith("Gas attack")
    assert len({titles[i] for i in picked}) == len(picked)
    assert 0 not in picked and 4 not in picked
