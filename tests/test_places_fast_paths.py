"""Places: the finder's shortcuts (a run of capitalised words that names nothing skipped unless a
designator follows it, the qualifier before a name looked up by its last two letters) find
exactly what the full tests find."""
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
    monkeypatch.setattr(places, "_QUALIFIER_ENDS_BY_TAIL", _AllEnds())
    full = [finder._doc_hits(doc) for doc in docs]
    assert len(docs) > 500
    for doc, a, b in zip(docs, fast, full):
        assert a == b, doc.body
    # The written sentences do take the designator paths the shortcuts guard.
    assert all(fast[i] for i in range(len(WRITTEN)))
