"""Datelines: one row per real-looking story opening, with the place, outlet and where the story starts."""
from __future__ import annotations

import pytest

from etl.extract.dateline import dateline
from etl.model import Dateline

FOUND = [
    # body, place, outlet, text that follows the dateline
    ("Amman, Asharq Al-Awsat—A high-ranking Syrian military officer defected", "Amman", "Asharq Al-Awsat", "A high-ranking"),
    ("London, Asharq Al-Awsat – Syrian opposition sources said", "London", "Asharq Al-Awsat", "Syrian opposition"),
    ("Beirut, Asharq Al-Awsat—Lebanese security forces arrested", "Beirut", "Asharq Al-Awsat", "Lebanese security"),
    ("BEIRUT (Reuters) - Syrian government forces pushed into", "Beirut", "Reuters", "Syrian government"),
    ("AMMAN (Reuters) -- Jordan closed its border crossing", "Amman", "Reuters", "Jordan closed"),
    ("DAMASCUS, April 4 (Reuters) — A suspected gas attack killed", "Damascus", "Reuters", "A suspected"),
    ("ANKARA, Oct 9 (Reuters) - Turkey launched air strikes", "Ankara", "Reuters", "Turkey launched"),
    ("WASHINGTON/BEIRUT (Reuters) - The United States said", "Washington", "Reuters", "The United States"),
    ("ISTANBUL (AP) — Turkish police detained dozens", "Istanbul", "AP", "Turkish police"),
    ("Aleppo, Syria — Rebels said on Sunday they had", "Aleppo", None, "Rebels said"),
    ("Idlib, Syria - Residents of the town", "Idlib", None, "Residents"),
    ("BEIRUT: The Lebanese army said on Monday", "Beirut", None, "The Lebanese army"),
    ("CAIRO: Egypt's foreign minister met", "Cairo", None, "Egypt's"),
    ("ISTANBUL — Turkish police detained", "Istanbul", None, "Turkish police"),
    ("MOSCOW — Russia's defence ministry said", "Moscow", None, "Russia's"),
    ("Damascus, SANA-The army units restored security", "Damascus", "SANA", "The army units"),
    ("Homs, SANA – Army units destroyed a hideout", "Homs", "SANA", "Army units"),
    ("Posted on April 4 2017 by Asharq Al-Awsat English Beirut- Syrian regime warplanes", "Beirut", "Asharq Al-Awsat", "Syrian regime"),
    ("Posted on March 2 2016 by Asharq Al-Awsat English Riyadh- Saudi Arabia said", "Riyadh", "Asharq Al-Awsat", "Saudi Arabia"),
    ("Last updated at Aug 012016 BEIRUT A Russian military helicopter was shot down", "Beirut", None, "A Russian"),
    ("Last updated at Apr 232017 AMMAN Jordan said on Sunday", "Amman", None, "Jordan said"),
    ("April 5 2017 by Youssef Diab and Najla Habriri \"Chemical\" Massacre in Idlib Defies the World Beirut London- Warplanes releasing toxic gas", "Beirut", None, "Warplanes"),
    ("  \n\nCAIRO (AFP) - Egypt said", "Cairo", "AFP", "Egypt said"),
]

NONE = [
    "Syrians step on a picture of Bashar al-Assad during a protest",
    "Syria: A timeline of the war",
    "Meanwhile — the talks went on in Geneva",
    "The Syrian army said on Monday - in a statement - that it had",
    "Russia, Turkey - the two powers agreed",
    "Syrian rebels said on Saturday they had captured",
    "Published February 18 2015 The Syrian army backed by allied militia has captured",
    "December 16 2013 Death toll in Syrian bombing raid on Aleppo rises to 76: monitor.",
    "Wed 05 Apr 2017 Syria attack symptoms consistent with nerve agent use WHO.",
    "Posted on April 19 2017 by Asharq Al-Awsat English Six Killed in Aleppo Bombing as Evacuation Resumes",
    "Activists said - without giving details - that",
    "Thu Oct 6 2016 US Coalition Warplanes Kill Civilians",
    "21 Jul 2016 Russian jets drop phosphorus and cluster bombs in Syrias Aleppo - YouTube Russian warplanes",
    "Jordan's King Abdullah said on Tuesday",
    "",
]


@pytest.mark.parametrize("body, place, outlet, follows", FOUND)
def test_a_dateline_gives_place_outlet_and_where_the_story_starts(body, place, outlet, follows):
    found = dateline(body)
    assert found is not None
    assert (found.place, found.outlet) == (place, outlet)
    assert body[found.end:].startswith(follows)


@pytest.mark.parametrize("body", NONE)
def test_an_ordinary_opening_is_not_a_dateline(body):
    assert dateline(body) is None


def test_the_seed_page_story_is_datelined_amman(shared):
    text = shared("seeds/000_0539852812ec3bbd.txt").read_text(encoding="utf-8")
    body = text[text.index("Amman, Asharq"):]
    found = dateline(body)
    assert found == Dateline("Amman", "Asharq Al-Awsat", len("Amman, Asharq Al-Awsat—"))
