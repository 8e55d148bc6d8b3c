"""The suite runs on two pytest-xdist workers, and xdist refuses to start unless
both workers collect the very same test ids. Ids built from values that change
between processes (a gzip header's timestamp, a set's hash order) break CI
before a single test runs, so collection is checked here the way xdist sees it:
two separate processes, different hash seeds, started at different seconds."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _collect(seed: str) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    return [line for line in out.stdout.splitlines() if "::" in line]


def test_two_processes_collect_the_same_test_ids():
    first = _collect("1")
    time.sleep(1.2)  # a value that embeds the clock's second must differ between the two
    second = _collect("2")
    assert len(first) > 100
    only_first = sorted(set(first) - set(second))
    only_second = sorted(set(second) - set(first))
    assert not only_first and not only_second, (
        f"test ids differ between processes:\n{only_first[:5]}\n{only_second[:5]}")
    assert first == second, "same ids collected in a different order"
