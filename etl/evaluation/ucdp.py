"""Story country, first-level region and date on UCDP GED event rows (../shared/corpus/ucdp).

Each GED row is one event coded from news: the headline that reported it (`source_headline`),
where it happened in words (`where_description`; the Syria extract calls it
`where_coordinates`), its first-level region (`adm_1`, e.g. "Homs Governorate", "Jalisco
state"), its country, its dates and the citation of its sources (`source_article`,
`source_date`). The product sees what a reader would: the headline as the title and the place
description as the body. It is never shown `adm_1` or `country`.

Figures, per file and per split (`ucdp_<file>_<dev|test>_<figure>`):
* country: the story country equals the row's country (rows with no country predicted count
  as misses; `country_none` is their share);
* headline_country: the same from the headline alone (rows with a headline);
* region: the story region equals `adm_1` (over rows with an `adm_1`), compared by a folded
  name (case, diacritics, Arabic article, spaces and the type word "governorate", "state",
  "province"… ignored) against the predicted region's name and its gazetteer aliases;
* region_named: the same over rows whose text names the region (its folded name occurs in
  the folded text), the part a gazetteer alone can get right;
* date: of the rows whose citation carries one source date, the share where the date read from
  the citation (`publication_date` over `source_article`) is that day.

The split is by a hash of the event id: stable across runs and files, about half each. Tune on
dev; test is the figure to report. The CSVs are read with the csv module, independently of
the product's readers.
"""
from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections import defaultdict
from datetime import date
from pathlib import Path

import pycountry

from etl.extract.dates import publication_date
from etl.extract.places import PlaceFinder
from etl.gazetteer import fold
from etl.model import Doc

UCDP = Path("corpus/ucdp")

FILES = {
    "syria": "ucdp_ged_syria_2016_2019.csv",
    "mexico": "ged_mexico_1989_2023.csv",
    "myanmar": "ged_myanmar_1989_2023.csv",
    "car": "ged231_central_african_republic.csv",
    "world": "ged231_global_random_sample_1000.csv",
}

# UCDP country names that are not ISO 3166 names (the part in parentheses is a former name).
COUNTRY_CODES = {
    "DR Congo": "CD", "Congo": "CG", "Russia": "RU", "Ivory Coast": "CI", "Bosnia-Herzegovina": "BA",
    "Kingdom of eSwatini": "SZ", "Macedonia, FYR": "MK", "Yemen": "YE", "Serbia": "RS", "Iran": "IR",
    "Syria": "SY", "Laos": "LA", "Vietnam": "VN", "Tanzania": "TZ", "Bolivia": "BO", "Venezuela": "VE",
    "Moldova": "MD", "South Korea": "KR", "North Korea": "KP", "Cambodia": "KH", "Madagascar": "MG",
    "Zimbabwe": "ZW", "Myanmar": "MM", "United States of America": "US", "Turkey": "TR",
    "Gambia": "GM", "Czech Republic": "CZ", "Palestine": "PS",
}

_TYPE_WORDS = re.compile(
    r"\b(governorate|state|province|region|division|department|prefecture|district|territory|"
    r"municipality|oblast|county|republic|provincia|estado|departement|prefecture|muhafazah|wilayah)\b")
_ARTICLE = re.compile(r"\b(?:al|el|ad|ar|as|az|at|an|ash|ed|en|es|ez|et)[- ](?=\w)")


def _digest(event_id: str) -> bytes:
    return hashlib.sha1(event_id.strip().removesuffix(".0").encode()).digest()


def split_of(event_id: str) -> str:
    """'dev' or 'test' from a hash of the event id ("214797.0" and "214797" are one id)."""
    return "dev" if _digest(event_id)[0] % 2 == 0 else "test"


def in_sample(event_id: str, every: int) -> bool:
    """Whether the event is in a 1-in-`every` sample, drawn from another byte of the same hash
    than the split, so that each half is sampled alike."""
    return every <= 1 or _digest(event_id)[1] % every == 0


def name_key(text: str) -> str:
    """A label-comparison key: 'Deir ez Zor Governorate' and 'Deir ez-Zor' -> 'deirzor'."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    text = _TYPE_WORDS.sub(" ", text.replace("'", "").replace("’", "").replace("ʿ", ""))
    text = _ARTICLE.sub("", text)
    return re.sub(r"[^a-z]", "", text)


def country_code(name: str) -> str | None:
    base = name.split(" (")[0].strip()
    if base in COUNTRY_CODES:
        return COUNTRY_CODES[base]
    try:
        return pycountry.countries.lookup(base).alpha_2
    except LookupError:
        return None


def _cited_date(row: dict[str, str]) -> date | None:
    dates = [d for d in (row.get("source_date") or "").split(";") if d.strip()]
    if len(dates) != 1:
        return None
    try:
        return date.fromisoformat(dates[0].strip()[:10])
    except ValueError:
        return None


def _region_keys(finder: PlaceFinder, cache: dict, country: str, region: str) -> set[str]:
    """Folded names of the predicted region: its name and every alias the gazetteer has for it,
    by `name_key` and by the gazetteer's own folding key (prefixed "~"), which also matches the
    spellings GeoNames lists for it ("Hilmand" for Helmand, "Şırnak" for Sirnak)."""
    found = cache.get((country, region))
    if found is None:
        found = {name_key(region), "~" + fold(region)}
        for place in finder.gazetteer.places:
            if place.kind == "region" and place.country_code == country and place.name == region:
                found.update(name_key(a) for a in place.aliases if a.isascii() or not a.isalpha())
                found.update("~" + k for k in place.keys)
        found.discard("")
        found.discard("~")
        cache[(country, region)] = found
    return found


def _region_ok(keys: set[str], gold: str) -> bool:
    """Whether the gold `adm_1` label names the predicted region (keys from _region_keys)."""
    return name_key(gold) in keys or "~" + fold(gold) in keys


def evaluate_ucdp(shared_dir: Path, finder: PlaceFinder | None = None, every: int = 1) -> dict[str, float]:
    """Figures per file and half; `every` > 1 scores a 1-in-`every` sample of the events (the
    test suite's floor check, at a quarter of the cost)."""
    finder = finder or PlaceFinder()
    figures: dict[str, float] = {}
    region_cache: dict = {}
    for label, filename in FILES.items():
        path = Path(shared_dir) / UCDP / filename
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                gold_country = country_code(row["country"])
                if gold_country is None or not in_sample(row["id"], every):
                    continue
                c = counts[split_of(row["id"])]
                headline = (row.get("source_headline") or "").strip()
                where = (row.get("where_description") or row.get("where_coordinates") or "").strip()
                country, region = finder.primary(finder.find(Doc(title=headline, caption="", body=where)))
                c["n"] += 1
                c["country"] += country == gold_country
                c["country_none"] += country is None
                if headline:
                    c["n_headline"] += 1
                    c["headline_country"] += finder.primary(
                        finder.find(Doc(title=headline, caption="", body="")))[0] == gold_country
                gold_region = name_key(row.get("adm_1") or "")
                if gold_region:
                    ok = (country == gold_country and region is not None
                          and _region_ok(_region_keys(finder, region_cache, country, region), row["adm_1"]))
                    c["n_region"] += 1
                    c["region"] += ok
                    if gold_region in name_key(f"{headline} {where}"):
                        c["n_region_named"] += 1
                        c["region_named"] += ok
                cited = _cited_date(row)
                if cited is not None:
                    c["n_date"] += 1
                    found = publication_date(None, "", row.get("source_article") or "")
                    c["date"] += found.value is not None and found.value.date() == cited
        for split in ("dev", "test"):
            c = counts[split]
            prefix = f"ucdp_{label}_{split}_"
            figures[prefix + "n"] = float(c["n"])
            for figure, total in (("country", "n"), ("country_none", "n"), ("headline_country", "n_headline"),
                                  ("region", "n_region"), ("region_named", "n_region_named"), ("date", "n_date")):
                figures[prefix + figure] = c[figure] / c[total] if c[total] else 0.0
    return figures


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m etl.evaluation.ucdp",
        description="Story country, first-level region and date on the UCDP GED extracts "
                    "(corpus/ucdp under the shared folder), per file and per dev/test half.")
    parser.add_argument("shared", nargs="?", type=Path,
                        default=Path(__file__).resolve().parents[3] / "shared",
                        help="folder holding corpus/ucdp (default: ../shared beside the project)")
    args = parser.parse_args(argv)
    if not (args.shared / UCDP).is_dir():
        parser.error(f"no {UCDP} under {args.shared}")
    for key, value in evaluate_ucdp(args.shared).items():
        print(f"{key:40s} {value:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
