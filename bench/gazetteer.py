"""Gazetteer benchmark: what the place finder costs each ingest worker, and per article.

In a fresh process (as an ingest worker starts): CPU seconds and resident memory added by
loading etl/data/gazetteer.tsv.gz and building the PlaceFinder; then CPU microseconds of
dateline + find + primary per FA-KES article (../shared/corpus/fakes, ~1.9 KB each) on the first
pass (every run of capitalised words new) and the best of three later passes (runs cached, as
in a long ingest). Skipped, with a message, when the FA-KES file is absent.

    python -m bench.gazetteer
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FAKES = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "fakes" / "fakes-dev.csv"

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path

def rss_mib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0

from etl.model import Doc
before = rss_mib()
t = time.process_time()
from etl.extract.dateline import dateline
from etl.extract.places import PlaceFinder
finder = PlaceFinder()
dateline("BEIRUT: A")
load_cpu = time.process_time() - t
after = rss_mib()
out = {"load_cpu": load_cpu, "rss_added": after - before, "rss": after}
fakes = Path(sys.argv[1])
if fakes.exists():
    from etl.evaluation.places import load_fakes
    docs = [Doc(title=r["article_title"], caption="", body=r["article_content"]) for r in load_fakes(fakes)]

    def one_pass():
        t = time.process_time()
        for doc in docs:
            found = dateline(doc.body)
            finder.primary(finder.find(doc, found.place if found else None))
        return (time.process_time() - t) / len(docs) * 1e6

    out["first_us"] = one_pass()
    out["cached_us"] = min(one_pass() for _ in range(3))
    out["articles"] = len(docs)
    out["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def run() -> list[tuple[str, float, str]]:
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", _CHILD, str(FAKES)], cwd=root, capture_output=True,
                          text=True, check=True)
    m = json.loads(done.stdout.strip().splitlines()[-1])
    lines = [
        ("gazetteer_finder_build_cpu", m["load_cpu"], "s"),
        ("gazetteer_finder_rss_added", m["rss_added"], "MiB"),
        ("gazetteer_process_rss", m["rss"], "MiB"),
    ]
    if "first_us" in m:
        lines += [
            ("gazetteer_fakes_articles", float(m["articles"]), "articles"),
            ("gazetteer_places_us_per_fakes_article_first_pass", m["first_us"], "us"),
            ("gazetteer_places_us_per_fakes_article_cached", m["cached_us"], "us"),
            ("gazetteer_process_peak_rss", m["peak_rss"], "MiB"),
        ]
    else:
        print(f"gazetteer: FA-KES not found at {FAKES}; per-article figures skipped")
    return lines


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name}: {value:,.2f} {unit}")
