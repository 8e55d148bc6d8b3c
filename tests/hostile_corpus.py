"""A hostile corpus, built at test time: the attacks of the hostile-input and data-integrity
reports (decompression bombs, an entity-expansion feed, a FIFO, links to /dev/zero and
/etc/passwd, a deeply nested first JSON line, Parquet with wrong column types, big tables the
parent splits that hold an impossible timestamp or deep nesting) mixed with good files.

`build(folder, scale)` writes it and returns what a run must show: the titles of the good
articles (every one must load) and the names of the bad inputs (each must be recorded). Sizes
grow with `scale` (the test uses 1, `python -m bench hostile` more); at scale 1 the folder
holds ~35 MB and the bombs inflate to 60-250 MB each.
"""
from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

WORDS = ("government forces shelled the northern districts overnight while opposition fighters "
         "withdrew from positions near the airport according to residents and monitors who spoke "
         "by telephone from the besieged town where aid convoys waited for permission to enter "
         "talks in the capital stalled again as envoys met officials of both sides").split()


@dataclass
class Manifest:
    good_titles: set[str] = field(default_factory=set)
    bad: set[str] = field(default_factory=set)        # file names that must be recorded as errors
    case_names: list[str] = field(default_factory=list)


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_good_pages(folder: Path, n: int, seed: int = 7) -> set[str]:
    """`n` plain-text article pages (a title line, a blank line, paragraphs); returns the titles."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    titles = set()
    for i in range(n):
        title = f"Report {i} {seed}: {_text(rng, 6)}"
        body = "\n\n".join(_text(rng, 40) for _ in range(3))
        (folder / f"page-{i:05d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        titles.add(title)
    return titles


def _gzip_bomb(path: Path, head: bytes, filler: bytes, inflated_mb: int, tail: bytes = b"") -> None:
    """A gzip file of ~1/1000 the size it inflates to: one compressed megabyte repeated as
    gzip members (a valid gzip file, and ~100 times faster to write than one long stream)."""
    import gzip
    block = (filler * ((1 << 20) // len(filler) + 1))[:1 << 20]
    member = gzip.compress(block, compresslevel=9, mtime=0)
    with open(path, "wb") as fh:
        fh.write(gzip.compress(head, mtime=0))
        for _ in range(inflated_mb):
            fh.write(member)
        fh.write(gzip.compress(tail, mtime=0))


def _parquet_bomb(path: Path, inflated_mb: int) -> None:
    """A real Parquet file (one string column of repeated text, stored uncompressed), gzipped
    (at the fastest level: the ratio is still ~250:1)."""
    import gzip
    import pyarrow as pa
    import pyarrow.parquet as pq
    body = pa.array(["x" * (1 << 20)]).take(pa.array([0] * inflated_mb))
    buffer = pa.BufferOutputStream()
    pq.write_table(pa.table({"title": [f"t{i}" for i in range(inflated_mb)], "body": body}), buffer,
                   compression="none", use_dictionary=False)
    path.write_bytes(gzip.compress(buffer.getvalue().to_pybytes(), compresslevel=1, mtime=0))


def _entity_feed(path: Path, entity_kb: int, refs: int) -> None:
    """RSS whose one internal entity (entity_kb KB) is referenced `refs` times: the quadratic
    variant of billion laughs (no nesting, so parsers that refuse nesting still expand it)."""
    entity = "A" * (entity_kb * 1024)
    refs_text = "&e;" * refs
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY e "{entity}">]>\n'
                    f'<rss version="2.0"><channel><title>t</title><item><title>Bomb</title>'
                    f'<description>{refs_text}</description></item></channel></rss>\n', encoding="utf-8")


def _nested_json_line(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


def _jsonl_rows(rng: random.Random, n: int, prefix: str) -> tuple[list[str], set[str]]:
    lines, titles = [], set()
    for i in range(n):
        title = f"{prefix} {i}: {_text(rng, 6)}"
        titles.add(title)
        lines.append(json.dumps({"title": title, "body": _text(rng, 60), "url": f"https://example.org/{prefix}/{i}",
                                 "publish_date": "2016-02-1" + str(i % 10)}))
    return lines, titles


def build(folder: Path, scale: int = 1, seed: int = 11) -> Manifest:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    m = Manifest()

    def bad(name: str) -> Path:
        m.bad.add(name)
        m.case_names.append(name)
        return folder / name

    # good files of every kind
    m.good_titles |= write_good_pages(folder / "pages", 40 * scale, seed=seed)
    lines, titles = _jsonl_rows(rng, 50 * scale, "good-jsonl")
    (folder / "good.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    m.good_titles |= titles
    (folder / "good.html").write_text(
        "<html><head><title>Good page about the ceasefire</title></head><body><article><h1>Good page "
        "about the ceasefire</h1>" + "".join(f"<p>{_text(rng, 50)}</p>" for _ in range(4))
        + "</article></body></html>", encoding="utf-8")
    m.good_titles.add("Good page about the ceasefire")
    # a good page whose body is one run of 20,000 place names (a garbled scrape, a keyword-
    # stuffed page): the place finder must read it in about linear time, not time out and lose it
    (folder / "names.txt").write_text(
        "A run of place names\n\n" + " ".join(["Meikhtila"] * (20_000 * scale)) + "\n", encoding="utf-8")
    m.good_titles.add("A run of place names")

    # issue 14: decompression bombs (HTML, text, Parquet)
    mb = 250 * scale
    _gzip_bomb(bad("bomb.html.gz"), b"<html><head><title>Bomb</title></head><body><p>", b"war ", mb,
               b"</p></body></html>")
    _gzip_bomb(bad("bomb.txt.gz"), b"A title\n\n", b"word ", mb)
    _parquet_bomb(bad("bomb.parquet.gz"), mb // 4)
    # an entity-expansion feed (quadratic blow-up: 100 KB x 2,000 = 200 MB at scale 1)
    _entity_feed(bad("entities.xml"), 100, 2000 * scale)
    # things that are not regular files, and links out of the folder
    os.mkfifo(bad("pipe.txt"))
    os.symlink("/dev/zero", bad("zero.txt"))
    os.symlink("/etc/passwd", bad("passwd.txt"))
    # a JSON Lines file whose first line is nested far deeper than any parser's recursion
    lines, _ = _jsonl_rows(rng, 3, "after-nested")
    bad("nested.jsonl").write_text(_nested_json_line(100_000) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    # Parquet with the wrong column types: numbers for the title, a list for the body
    pq.write_table(pa.table({"title": pa.array([1, 2, 3], pa.int64()),
                             "body": pa.array([[1, 2], [3], []], pa.list_(pa.int64())),
                             "publish_date": pa.array([{"y": 1}, {"y": 2}, {"y": 3}])}), bad("types.parquet"))

    # issue 21: tables over 16 MB, split by the parent: deep nesting on the first line, and a
    # timestamp past what Python's datetime holds
    pad = "x" * 4000
    big = bad("big-nested.jsonl")
    with open(big, "w", encoding="utf-8") as fh:
        fh.write(_nested_json_line(100_000) + "\n")
        i = 0
        while fh.tell() < 17_000_000:
            fh.write(json.dumps({"title": f"padding {i}", "body": pad}) + "\n")
            i += 1
    n = 17_000_000 // 4000 + 1
    ts = pa.array([0] * (n - 1) + [2**62], pa.timestamp("us"))
    pq.write_table(pa.table({"title": [f"row {i}" for i in range(n)],
                             "body": [f"{i:08d}" + os.urandom(2000).hex() for i in range(n)],
                             "publish_date": ts}), bad("big-overflow.parquet"), compression="none")
    return m
