"""The ETL command line: init, ingest, retag, reindex, stats, evaluate. Thin: it parses
arguments, calls the pipeline, prints a summary, and sets the exit status."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl import paths
from etl.cluster import ClusterUnavailable
from etl.paths import DEFAULT_DB, default_db
from etl.store import WriterBusy, as_fault
from etl.workers import Limits

# Each command imports the modules it runs inside its function: the ingest's (readers,
# extractors, the index writer) double the start-up of `--help` and `stats`, which need none.

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_LOCKED, EXIT_FAULT = 0, 1, 2, 3, 4
EXIT_CODES = """Exit status:
  0  everything asked was done.
  1  done, but some inputs were skipped: they are listed above and in `python -m etl stats`;
     fix or remove them and run the same command again.
  2  the command line was wrong: see `python -m etl COMMAND --help`.
  3  another run is writing this database: wait for it to finish (the message names its PID).
  4  the database or the disk failed, and nothing was changed: free disk space, or rebuild the
     search index with `python -m etl reindex`, or restore the previous snapshot
     (`mv DB.previous DB`); the message says which."""


KEY_DATES_HELP = ("CSV of dated events drawn on the dashboard's time charts: date,label[,place,topic] "
                  "(default: etl/key_dates.csv)")


def _parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    p = argparse.ArgumentParser(
        prog="python -m etl", formatter_class=fmt,
        description="Load news archives into the conflict-trends DuckDB database.",
        epilog="Example:\n  python -m etl ingest data/sample\n  python -m etl stats\n\n" + EXIT_CODES)
    sub = p.add_subparsers(dest="command", required=True)

    def add(name, help_, example):
        sp = sub.add_parser(name, help=help_, description=help_, formatter_class=fmt,
                            epilog=f"Example:\n  {example}\n\n{EXIT_CODES}")
        sp.add_argument("--db", default=default_db(),
                        help="database file (default: $CONFLICT_TRENDS_DB or data/conflict.duckdb)")
        return sp

    sp = add("ingest", "Read files, folders, globs or feed URLs and add their articles.",
             "python -m etl ingest ~/archive/*.txt exports/mediacloud.csv --map title=headline")
    sp.add_argument("paths", nargs="+", help="files, folders (recursive), globs, .gz files")
    sp.add_argument("--format", choices=["archive_text", "html", "feed", "csv", "jsonl", "json", "parquet"],
                    help="skip format detection and read every input as this format")
    sp.add_argument("--map", default="", metavar="FIELD=COLUMN,...",
                    help="table column mapping, e.g. title=headline,body=text,date=pubdate")
    sp.add_argument("--dates", metavar="FILE",
                    help="sidecar file mapping input files to publication dates (CSV path,date or JSON)")
    sp.add_argument("--workers", type=int, default=None, help="worker processes (default: 2; 0 = inline)")
    sp.add_argument("--no-progress", action="store_true", help="no progress bar")
    sp.add_argument("--sample", action="store_true", help=argparse.SUPPRESS)
    sp.add_argument("--taxonomy", default=None, help="topic taxonomy file (default: etl/taxonomy.toml)")
    sp.add_argument("--input-timeout", type=float, default=Limits.input_seconds, metavar="SECONDS",
                    help="time one input may take before its worker is replaced and the input "
                         f"skipped as `timeout`, plus a second per 100 KB (default: {Limits.input_seconds:.0f})")
    sp.add_argument("--worker-memory", type=int, default=Limits.worker_memory_mb, metavar="MB",
                    help="memory a worker may add while reading one input; beyond it the input is "
                         f"skipped as `memory` (default: {Limits.worker_memory_mb}; 0 = no limit)")
    sp.add_argument("--cluster", metavar="ADDRESS", default=None,
                    help="run reading and enrichment on the workers of this Dask scheduler "
                         "(tcp://HOST:8786); they must read the inputs at the same paths. "
                         "The database is written here. See docs/scale.md")
    sp.add_argument("--key-dates", default=None, metavar="FILE", help=KEY_DATES_HELP)
    sp.add_argument("--follow-symlinks-anywhere", action="store_true",
                    help="follow symbolic links found in folders even when they lead outside the "
                         "folders and files named (by default such links are skipped and listed)")

    sp = add("init", "Create an empty database with the schema, topics and key dates (or upgrade one in place).",
             "python -m etl init --db /tmp/x.duckdb")
    sp.add_argument("--key-dates", default=None, metavar="FILE", help=KEY_DATES_HELP)
    sp = add("retag", "Recompute topic tags (after editing etl/taxonomy.toml), casualty and defection figures from stored text and stored places (re-ingest to place articles anew).",
             "python -m etl retag")
    sp.add_argument("--no-progress", action="store_true")
    sp.add_argument("--taxonomy", default=None, help="topic taxonomy file (default: etl/taxonomy.toml)")
    sp.add_argument("--workers", type=int, default=None, help="worker processes (default: 2; 0 = inline)")
    sp.add_argument("--key-dates", default=None, metavar="FILE", help=KEY_DATES_HELP)
    add("reindex", "Rebuild the full-text search index from the database.", "python -m etl reindex")
    add("stats", "Print what the database holds.", "python -m etl stats")
    sp = add("evaluate", "Measure extraction accuracy on the labelled corpora in ../shared.",
             "python -m etl evaluate --shared ../shared\n  python -m etl evaluate --only topic_corpora")
    sp.add_argument("--shared", default=str(Path(__file__).resolve().parents[1].parent / "shared"),
                    help="folder holding corpus/ (default: ../shared beside the project)")
    from etl.evaluation.report import EVALUATIONS
    sp.add_argument("--only", action="append", choices=EVALUATIONS, metavar="NAME",
                    help="run only this evaluation (repeatable): " + ", ".join(EVALUATIONS))
    return p


def _column_map(text: str) -> dict[str, str] | None:
    if not text:
        return None
    out = {}
    for part in text.split(","):
        if "=" not in part:
            raise SystemExit(f"--map: expected FIELD=COLUMN, got {part!r}")
        k, v = part.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def cmd_ingest(args) -> int:
    from etl.extract.sidecar import load_sidecar
    from etl.ingest import ingest
    from etl.search.indexing import IngestIndexer

    sidecar = None
    if args.dates:
        try:
            sidecar = load_sidecar(Path(args.dates).read_text(encoding="utf-8", errors="replace"))
        except OSError as exc:
            print(f"error: cannot read --dates file: {exc}", file=sys.stderr)
            return EXIT_USAGE
    limits = Limits(input_seconds=args.input_timeout, worker_memory_mb=args.worker_memory)
    summary = ingest(args.paths, Path(args.db), fmt=args.format, column_map=_column_map(args.map),
                     sidecar=sidecar, workers=args.workers, progress=not args.no_progress,
                     indexer=IngestIndexer(Path(args.db), sample=args.sample),
                     taxonomy=args.taxonomy, limits=limits,
                     follow_symlinks_anywhere=args.follow_symlinks_anywhere,
                     key_dates=args.key_dates, cluster=args.cluster)
    for e in summary.errors[:200]:
        where = f"{e.input_path} [{e.item}]" if e.item else e.input_path
        print(f"  skipped {where}: {e.kind}: {e.reason}", file=sys.stderr)
    if len(summary.errors) > 200:
        print(f"  … and {len(summary.errors) - 200} more (see the Data page or table ingest_errors)",
              file=sys.stderr)
    print(f"{summary.status}: {summary.line()} -> {args.db} (snapshot {summary.snapshot_id})")
    return EXIT_OK if not summary.errors else EXIT_SKIPPED


def cmd_init(args) -> int:
    from etl import store
    from etl.extract.taxonomy import load_taxonomy, taxonomy_rows
    from etl.ingest import load_key_dates

    with store.Snapshot.writing(Path(args.db)) as snap:
        snap.replace_topics(taxonomy_rows(load_taxonomy(paths.TAXONOMY)))
        skipped = load_key_dates(snap, args.key_dates)
    for e in skipped:
        print(f"  skipped {e.input_path}{' [' + e.item + ']' if e.item else ''}: {e.kind}: {e.reason}",
              file=sys.stderr)
    print(f"ok: initialised {args.db}")
    return EXIT_OK if not skipped else EXIT_SKIPPED


def cmd_retag(args) -> int:
    from etl.ingest import retag

    n, seconds = retag(Path(args.db), progress=not args.no_progress, workers=args.workers,
                       taxonomy=args.taxonomy, key_dates=args.key_dates)
    print(f"ok: retagged {n} articles in {seconds:.1f} s ({n / seconds if seconds else 0:,.0f} articles/s)")
    return 0


def cmd_reindex(args) -> int:
    from etl.search.indexing import reindex

    n, seconds = reindex(Path(args.db))
    print(f"ok: indexed {n} articles in {seconds:.1f} s")
    return 0


def cmd_stats(args) -> int:
    from etl import store

    db = Path(args.db)
    if not db.exists():
        print(f"no database at {db}; load data with: python -m etl ingest PATH...", file=sys.stderr)
        return 1
    con = store.open_read_only(db)
    try:
        s = store.read_stats(con)
        sample = con.execute("SELECT value FROM meta WHERE key = 'sample'").fetchone()
    finally:
        con.close()
    print(f"database: {db}" + ("  (synthetic demo data)" if sample and sample[0] == "true" else ""))
    for key in ("articles", "unique_stories", "provenances", "undated", "first_date", "last_date", "sources",
                "topic_tags", "place_mentions", "entities", "runs", "errors"):
        print(f"{key}: {s[key]}")
    print("by format: " + ", ".join(f"{f} {n}" for f, n in s["by_format"]))
    print("by topic: " + ", ".join(f"{t} {n}" for t, n in s["by_topic"]))
    print("top sources: " + ", ".join(f"{t} {n}" for t, n in s["by_source"]))
    if s["last_errors"]:
        print("errors of the last run with errors:")
        for path, item, kind, reason in s["last_errors"]:
            print(f"  {path}{' [' + item + ']' if item else ''}: {kind}: {reason}")
    return 0


def cmd_evaluate(args) -> int:
    from etl.evaluation.report import run_all
    shared = Path(args.shared)
    if not (shared / "corpus").exists():
        print(f"no labelled corpus at {shared}/corpus; pass --shared PATH", file=sys.stderr)
        return 1
    ok = True
    for name, value in run_all(shared, only=args.only):
        print(f"{name}: {value:.4f}" if isinstance(value, float) else f"{name}: {value}")
        ok = ok and not name.endswith("_evaluation_error")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"ingest": cmd_ingest, "init": cmd_init, "retag": cmd_retag, "reindex": cmd_reindex,
            "stats": cmd_stats, "evaluate": cmd_evaluate}[args.command](args)
    except WriterBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except ClusterUnavailable as exc:
        print(f"error: {exc}\nfix: start the scheduler and workers (docs/scale.md) or leave out --cluster; "
              f"nothing was changed", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted: nothing was changed", file=sys.stderr)
        return 130
    except Exception as exc:
        # a database, disk or index fault: one sentence and the fix, never a traceback
        fault = as_fault(exc, Path(getattr(args, "db", DEFAULT_DB)).resolve())
        if fault is None:
            raise
        print(f"error: {fault.message}\nfix: {fault.fix}", file=sys.stderr)
        return EXIT_FAULT


if __name__ == "__main__":
    sys.exit(main())
