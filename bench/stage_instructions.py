"""Instructions per article of each ingest stage, by valgrind's callgrind:
`python -m bench.stage_instructions JSONL [--articles 300]`.

CPU time on a shared machine moves with the load; instruction counts do not (they move by ~1 %
between runs of the same code, with memory layout). The first N lines of a JSON Lines corpus are
read, prepared and enriched stage by stage as `Enricher.enrich_many` does (the garbage
collector set as in a worker, `tasks.calm_gc`), then packed, once unmeasured (extractors built, caches warm, as in a worker after its first batches) and once
measured: each stage runs inside its own `sys.call_tracing` call, and callgrind collects only
inside those calls (`--collect-atstart=no --toggle-collect=sys_call_tracing`), dumping after
each. The writer (deduplication, inserts, the index) is not measured here: `bench.profile` has
its CPU time.

Stages: read (JSON Lines to RawArticle), prepare (clean text, dateline, publication date),
dates (the publication date alone, again: a part of prepare), places, topics, people,
article (the article's own fields, shingles), casualties, defections (and the entity rows),
pack (records to Arrow, fingerprints).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from itertools import islice
from pathlib import Path


def _inner(jsonl: Path, n: int, names_out: Path) -> None:
    from etl.enrich import Enricher
    from etl.extract.dates import publication_date
    from etl.ingest.packing import pack
    from etl.model import RawArticle
    from etl.readers.table import read

    with open(jsonl, "rb") as f:
        data = b"".join(islice(f, n))
    from etl.ingest.tasks import calm_gc
    enr = Enricher()
    calm_gc()       # as a worker does once its extractors are built
    names: list[str] = []
    holder: dict = {}

    def stage(name, fn, measured):
        if measured:
            names.append(name)
            sys.call_tracing(fn, ())
        else:
            fn()

    def one_pass(measured: bool) -> None:
        def do_read():
            holder["raws"] = [r for r in read(str(jsonl), data, "jsonl") if isinstance(r, RawArticle)]

        def do_prepare():
            holder["states"] = [enr._prepare(raw, False) for raw in holder["raws"]]

        def do_dates():
            for st in holder["states"]:
                publication_date(st.raw.published_raw, st.title, st.body, None)

        def each(step):
            def run():
                for st in holder["states"]:
                    step(st)
            return run

        def do_pack():
            records = [enr._record(st) for st in holder["states"]]
            for r in records:
                r.pop("problems")
            pack(records)

        stage("read", do_read, measured)
        stage("prepare", do_prepare, measured)
        stage("dates", do_dates, measured)
        for name, step in (("places", enr._find_places), ("topics", enr._find_topics),
                           ("people", enr._find_people), ("article", enr._fill_article),
                           ("casualties", enr._find_casualties), ("defections", enr._find_defections)):
            stage(name, each(step), measured)
        stage("pack", do_pack, measured)

    one_pass(False)
    one_pass(True)

    names_out.write_text(json.dumps(names))


def _totals(path: Path) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(("totals:", "summary:")):
            return int(line.split()[1])
    raise ValueError(f"no totals in {path}")


def run(jsonl: Path, n: int) -> dict[str, float]:
    """Instructions per article of each stage."""
    with tempfile.TemporaryDirectory() as tmp:
        out, names_out = Path(tmp) / "cg.out", Path(tmp) / "names.json"
        cmd = ["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=sys_call_tracing",
               "--dump-after=sys_call_tracing", f"--callgrind-out-file={out}",
               sys.executable, "-m", "bench.stage_instructions", str(jsonl), "--articles", str(n),
               "--inner", str(names_out)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=dict(os.environ, PYTHONHASHSEED=os.environ.get("PYTHONHASHSEED", "0")))
        names = json.loads(names_out.read_text())
        dumps = sorted((p for p in Path(tmp).glob("cg.out.*") if re.fullmatch(r"cg\.out\.\d+", p.name)),
                       key=lambda p: int(p.name.rsplit(".", 1)[1]))
        counts = [_totals(p) for p in dumps]
    if len(counts) != len(names):
        raise RuntimeError(f"{len(counts)} dumps for {len(names)} stages")
    return {name: c / n for name, c in zip(names, counts)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.stage_instructions", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("jsonl", type=Path)
    p.add_argument("--articles", type=int, default=300)
    p.add_argument("--inner", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.inner:
        _inner(args.jsonl, args.articles, args.inner)
        return 0
    result = run(args.jsonl, args.articles)
    for name, value in result.items():
        print(f"instructions_{name}_per_article: {value:,.0f}", flush=True)
    enrich = sum(v for k, v in result.items() if k != "dates")     # dates is a part of prepare
    print(f"instructions_all_stages_per_article: {enrich:,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
