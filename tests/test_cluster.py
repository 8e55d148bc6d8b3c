"""`ingest --cluster`: a real Dask scheduler and two workers, started as separate processes on
127.0.0.1 (dashboards off), ingest the same folder as the local worker pool; the databases must
hold the same rows. One run loses a worker mid-run (SIGKILL while it works on its second task):
its task runs again on the other worker, and nothing is lost or doubled."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
N_PAGES = 600
DEADLINE = 60.0         # seconds any one wait below may take on a loaded machine
# every table the writer fills; ingest_runs and ingest_errors hold times and are left out
TABLES = ("articles", "provenance", "article_topics", "article_places", "article_entities",
          "casualties", "defections")


def _dask(*args: str, log: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_" + args[0], *args[1:]], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=open(log, "wb"))


def _until(condition, what: str, step: float = 0.02):
    """Wait (bounded) for something another process does; there is no event to block on."""
    end = time.monotonic() + DEADLINE
    while not (value := condition()):
        if time.monotonic() > end:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(step)
    return value


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """(address, client, {name: worker process}): a scheduler and workers "a" and "b", one
    thread each, no nanny (a killed worker stays dead)."""
    from distributed import Client

    tmp = tmp_path_factory.mktemp("cluster")
    info = tmp / "scheduler.json"
    procs = [_dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                   "--scheduler-file", str(info), log=tmp / "scheduler.log")]
    workers = {}
    try:
        _until(lambda: info.exists() and info.stat().st_size > 0, "the scheduler to start")
        address = json.loads(info.read_text())["address"]
        for name in ("a", "b"):
            workers[name] = _dask("worker", address, "--name", name, "--nthreads", "1", "--no-nanny",
                                  "--no-dashboard", "--host", "127.0.0.1",
                                  "--local-directory", str(tmp / name), log=tmp / f"worker-{name}.log")
            procs.append(workers[name])
        client = Client(address, timeout=DEADLINE, set_as_default=False)
        client.wait_for_workers(2, timeout=DEADLINE)
        yield address, client, workers
        client.close()
    finally:
        for p in procs:
            p.kill()
            p.wait(timeout=10)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    from bench import corpus
    folder = tmp_path_factory.mktemp("pages")
    corpus.write_text_pages(folder, N_PAGES, seed=5)
    return folder


def _ingest(folder: Path, db: Path, *extra: str) -> int:
    from etl.__main__ import main
    return main(["ingest", str(folder), "--db", str(db), "--no-progress", *extra])


def _rows(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def local_rows(pages, tmp_path_factory) -> dict[str, list[tuple]]:
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    assert _ingest(pages, db, "--workers", "2") == 0
    return _rows(db)


def test_a_cluster_ingest_builds_the_same_database_as_the_local_pool(cluster, pages, local_rows, tmp_path):
    address, client, _ = cluster
    db = tmp_path / "cluster.duckdb"
    assert _ingest(pages, db, "--cluster", address) == 0
    rows = _rows(db)
    assert len(rows["articles"]) > N_PAGES * 0.9 and rows["article_topics"] and rows["article_places"]
    for table in TABLES:
        assert rows[table] == local_rows[table], table
    # both workers took part
    assert all(n > 0 for n in client.run(lambda: __import__("etl.cluster").cluster._state_key is not None
                                         and 1 or 0).values())


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(cluster, pages, local_rows, tmp_path):
    address, client, workers = cluster
    db = tmp_path / "killed.duckdb"
    codes = []
    run = threading.Thread(target=lambda: codes.append(_ingest(pages, db, "--cluster", address)))
    addr_b = next(a for a, w in client.scheduler_info()["workers"].items() if w["name"] == "b")

    def running_on_b() -> set:
        return set(client.processing().get(addr_b, ()))

    run.start()
    first = _until(running_on_b, "worker b to start a task")
    # b finished a task and is running another: kill it there
    _until(lambda: running_on_b() - first, "worker b to start its second task", step=0.005)
    os.kill(workers["b"].pid, signal.SIGKILL)
    assert run.is_alive(), "the ingest finished before the worker was killed"
    run.join(timeout=DEADLINE)
    assert codes == [0]
    assert workers["b"].wait(timeout=10) == -signal.SIGKILL
    rows = _rows(db)
    for table in TABLES:
        assert rows[table] == local_rows[table], table
