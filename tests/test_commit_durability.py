"""The commit's durability: the new database file is on disk before the rename names it, and
the rename itself (the directory's entry) is on disk after it, so a power loss leaves either
the old snapshot or the new one, never a name pointing at unwritten data.

The real CLI runs in a subprocess whose os.fsync is wrapped to note what it synced (the call
goes through to the real fsync), and an audit hook notes every rename; the order of the two
is then read back."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

# Runs `python -m etl ARGS...` after installing the recorders; the log is one JSON line per event.
RECORDER = r"""
import json, os, runpy, stat, sys

log = open(sys.argv[1], "a", buffering=1)
real_fsync = os.fsync


def fsync(fd):
    info = os.fstat(fd)
    real_fsync(fd)
    log.write(json.dumps(["fsync", info.st_dev, info.st_ino, stat.S_ISDIR(info.st_mode)]) + "\n")


def hook(event, args):
    if event == "os.rename":        # os.rename and os.replace; raised before the rename is made
        try:
            info = os.stat(args[0])
        except OSError:
            return
        log.write(json.dumps(["rename", os.fspath(args[0]), os.fspath(args[1]), info.st_dev, info.st_ino]) + "\n")


os.fsync = fsync
sys.addaudithook(hook)
sys.argv = ["etl", *sys.argv[2:]]
runpy.run_module("etl", run_name="__main__", alter_sys=True)
"""


def _run_recording(tmp_path: Path, log: Path, *args: str) -> None:
    script = tmp_path / "record.py"
    script.write_text(RECORDER)
    proc = subprocess.run([sys.executable, str(script), str(log), *args],
                          cwd=ROOT, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _swaps(log: Path, db: Path) -> list[tuple[int, list]]:
    events = [json.loads(line) for line in log.read_text().splitlines()]
    return events, [(i, e) for i, e in enumerate(events)
                    if e[0] == "rename" and Path(e[2]).resolve() == db.resolve()]


def test_the_commit_fsyncs_the_new_file_before_the_swap_and_the_directory_after_it(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "truce.txt").write_text("Truce holds in Homs\n\nThe truce held on its third day, residents said.\n")
    db = tmp_path / "db" / "conflict.duckdb"
    db.parent.mkdir()
    log = tmp_path / "events.jsonl"
    _run_recording(tmp_path, log, "init", "--db", str(db))        # a new database
    _run_recording(tmp_path, log, "ingest", str(folder), "--workers", "0", "--no-progress",
                   "--db", str(db))                                # replacing the live one
    directory = db.parent.stat()
    events, swaps = _swaps(log, db)
    assert len(swaps) == 2, events
    previous = -1
    for at, (_, src, _, dev, ino) in swaps:
        before = [e for e in events[previous + 1:at] if e[0] == "fsync"]
        after = []
        for e in events[at + 1:]:
            if e[0] == "rename":
                break
            after.append(e)
        # the file that takes the live name was synced before it got the name
        assert ["fsync", dev, ino, False] in before, (src, events)
        # and the directory holding the name was synced after the rename
        assert ["fsync", directory.st_dev, directory.st_ino, True] in after, events
        previous = at
    assert db.exists() and not Path(str(db) + ".writing").exists()
