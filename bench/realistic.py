"""A benchmark corpus whose words follow real Syria-war wire copy, calibrated to it.

The synthetic corpus (bench/corpus.py) is easy for the extractors: a few place names, one
person and a topic sentence or two in 2–3 KB of filler. Real copy is denser in what the
extractors look for. This module builds, at bench time, a word-bigram model of FA-KES's article
texts (../shared/corpus/fakes/fakes-dev.csv; nothing of it is stored in the repository), draws a
pool of sentences from it, and weights the pool so that the articles it makes have FA-KES's
densities of the four things the product extracts, measured with the product's own extractors:

* places: evidence spans of etl.extract.places.PlaceFinder mentions,
* people: evidence spans of etl.extract.people.EntityFinder entities,
* numbers: etl.extract.numbers.numbers phrases (the casualty and defection figures' input),
* topic terms: evidence spans of etl.extract.topics.Tagger tags,

each per 100 words. The weights are the exponential tilt of the pool (p_i ∝ exp(λ·g_i), with
g_i = counts_i − target·words_i) that makes the pool's expected densities equal FA-KES's: the
least change to the bigram model's own sentence mix that meets them. Articles are 250–700
words of pool sentences in paragraphs of 2–4, from 40 outlets, dated over 2011–2018.

Without ../shared the corpus cannot be built; callers print a skip line instead.
"""
from __future__ import annotations

import json
import math
import os
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAKES = Path("corpus/fakes/fakes-dev.csv")
POOL_SENTENCES = 20_000        # sentences drawn from the bigram model (distinct ones kept)
MIN_WORDS, MAX_WORDS = 250, 700
SENTENCE_WORDS = (5, 60)       # sentences outside this length are redrawn
FEATURES = ("places", "people", "numbers", "topic_terms")
N_OUTLETS = 40
_OUTLET_A = ["Levant", "Euphrates", "Crossroads", "Harbour", "Orontes", "Cedar Coast", "Northern Steppe",
             "Gulf", "Basalt", "Citadel"]
_OUTLET_B = ["Ledger", "Wire", "Monitor", "Gazette"]
OUTLETS = [f"{a} {b}" for a in _OUTLET_A for b in _OUTLET_B]      # 40 invented outlets
_END = "\x00"


def shared_dir() -> Path:
    return Path(os.environ.get("CONFLICT_TRENDS_SHARED", ROOT.parent / "shared"))


def fakes_path() -> Path | None:
    path = shared_dir() / FAKES
    return path if path.is_file() else None


def fakes_docs() -> list:
    """FA-KES dev articles as the extractors' Docs (title, body), read with the evaluation's loader."""
    from etl.evaluation.topics import fakes_doc, load_fakes
    return [fakes_doc(r) for r in load_fakes(fakes_path())]


# --- measuring ---------------------------------------------------------------------------------

class Counter:
    """The product's extractors, built once; `counts(doc)` gives the four feature counts and words."""

    def __init__(self):
        from etl.extract.people import EntityFinder
        from etl.extract.places import PlaceFinder
        from etl.extract.taxonomy import load_taxonomy
        from etl.extract.topics import Tagger
        from etl.paths import TAXONOMY
        self.places = PlaceFinder()
        self.people = EntityFinder()
        self.tagger = Tagger(load_taxonomy(TAXONOMY))

    def counts(self, doc) -> tuple[int, int, int, int, int]:
        from etl.extract.numbers import numbers
        places = sum(max(1, len(m.evidence)) for m in self.places.find(doc))
        people = sum(max(1, len(e.evidence)) for e in self.people.find(doc))
        nums = len(numbers(doc.title)) + len(numbers(doc.body))
        terms = sum(len(t.evidence) for t in self.tagger.tag(doc))
        words = len(doc.title.split()) + len(doc.body.split())
        return places, people, nums, terms, words


def densities(docs, counter: Counter | None = None) -> dict[str, float]:
    """Occurrences per 100 words of each feature over `docs` (totals, not a mean of ratios)."""
    counter = counter or Counter()
    total = [0] * 5
    for doc in docs:
        for k, v in enumerate(counter.counts(doc)):
            total[k] += v
    return {f: 100 * total[k] / max(1, total[4]) for k, f in enumerate(FEATURES)}


# --- the model -----------------------------------------------------------------------------------

_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z0-9])")


def _sentences_of(text: str) -> list[list[str]]:
    text = " ".join(text.split())
    return [s.split() for s in _SENT_END.split(text) if len(s.split()) >= 3]


def bigram_model(docs) -> tuple[list[str], dict[str, tuple[list[str], list[int]]]]:
    """(sentence-initial words, word -> (next words, cumulative counts)); _END ends a sentence."""
    starts: list[str] = []
    follow: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for doc in docs:
        for words in _sentences_of(doc.body):
            starts.append(words[0])
            for a, b in zip(words, words[1:] + [_END]):
                follow[a][b] += 1
    model = {}
    for a, nxt in follow.items():
        items = sorted(nxt.items())
        cum, total = [], 0
        for _, c in items:
            total += c
            cum.append(total)
        model[a] = ([w for w, _ in items], cum)
    return starts, model


def draw_sentences(starts, model, n: int, seed: int) -> list[str]:
    """`n` distinct sentences of SENTENCE_WORDS words, random walks of the bigram model."""
    rng = random.Random(seed)
    out: set[str] = set()
    lo, hi = SENTENCE_WORDS
    attempts = 0
    while len(out) < n and attempts < n * 20:
        attempts += 1
        words = [rng.choice(starts)]
        while len(words) <= hi:
            nxt, cum = model.get(words[-1], ([_END], [1]))
            w = rng.choices(nxt, cum_weights=cum)[0]
            if w == _END:
                break
            words.append(w)
        if lo <= len(words) <= hi and words[-1][-1:] in ".!?\"”":
            out.add(" ".join(words))
    return sorted(out)


def tilt(g, iterations: int = 100):
    """Weights p ∝ exp(g·λ) with Σ p g = 0 (Newton's method on the convex log-partition):
    the least change (in relative entropy) from uniform weights that meets the targets."""
    import numpy as np
    scale = np.abs(g).mean(axis=0) + 1e-9
    x = g / scale
    lam = np.zeros(x.shape[1])
    for _ in range(iterations):
        z = x @ lam
        p = np.exp(z - z.max())
        p /= p.sum()
        mean = p @ x
        if np.abs(mean).max() < 1e-9:
            break
        cov = (x * p[:, None]).T @ x - np.outer(mean, mean)
        step = np.linalg.solve(cov + 1e-9 * np.eye(len(lam)), mean)
        # damped: the log-partition is flat far out, a full step can overshoot
        t = 1.0
        f0 = math.log(np.exp(z - z.max()).sum()) + z.max()
        while t > 1e-4:
            z1 = x @ (lam - t * step)
            if math.log(np.exp(z1 - z1.max()).sum()) + z1.max() <= f0:
                break
            t /= 2
        lam = lam - t * step
    z = x @ lam
    p = np.exp(z - z.max())
    return p / p.sum()


@dataclass
class Model:
    sentences: list[str]
    cum_weights: list[float]
    titles: list[str]
    target: dict[str, float]


def build(seed: int = 1, pool: int = POOL_SENTENCES, counter: Counter | None = None,
          rounds: int = 3, sample: int = 1500) -> Model:
    """The calibrated sentence pool. The per-sentence counts are measured on sentences alone;
    in an article, context (a surname linked to an earlier full name, a dateline) shifts them a
    little, so after each tilt the densities of `sample` generated articles are measured and the
    targets nudged by FA-KES / generated (at most `rounds` times, until within 3 %)."""
    import numpy as np
    from etl.model import Doc

    if fakes_path() is None:
        raise FileNotFoundError(f"FA-KES not found under {shared_dir()}")
    counter = counter or Counter()
    docs = fakes_docs()
    target = densities(docs, counter)
    starts, model = bigram_model(docs)
    sentences = draw_sentences(starts, model, pool, seed)
    counts = np.array([counter.counts(Doc(title="", caption="", body=s)) for s in sentences], dtype=float)
    titles = [s.rstrip(".") for s in sentences if 6 <= s.count(" ") + 1 <= 14][:4096]
    aim = dict(target)
    for _ in range(rounds):
        t = np.array([aim[f] / 100 for f in FEATURES])
        p = tilt(counts[:, :4] - counts[:, 4:5] * t)
        m = Model(sentences, np.cumsum(p).tolist(), titles, target)
        got = densities(_docs(m, sample, seed + 1000), counter)
        if all(abs(got[f] / target[f] - 1) < 0.03 for f in FEATURES):
            break
        aim = {f: aim[f] * target[f] / max(got[f], 1e-9) for f in FEATURES}
    return m


# --- articles --------------------------------------------------------------------------------

def iter_articles(model: Model, n: int, seed: int = 1):
    """`n` article dicts (title, body, published, url, source)."""
    rng = random.Random(seed)
    sentences, cum, titles = model.sentences, model.cum_weights, model.titles
    total = cum[-1]
    for i in range(n):
        want = rng.randint(MIN_WORDS, MAX_WORDS)
        words, paras, para = 0, [], []
        per_para = rng.randint(2, 4)
        while words < want:
            s = rng.choices(sentences, cum_weights=cum, k=1)[0] if total else rng.choice(sentences)
            para.append(s)
            words += s.count(" ") + 1
            if len(para) >= per_para:
                paras.append(" ".join(para))
                para, per_para = [], rng.randint(2, 4)
        if para:
            paras.append(" ".join(para))
        source = OUTLETS[min(int(rng.paretovariate(1.2)) - 1, N_OUTLETS - 1) if rng.random() < 0.5
                         else rng.randrange(N_OUTLETS)]
        y, m, d = rng.randint(2011, 2018), rng.randint(1, 12), rng.randint(1, 28)
        slug = source.lower().replace(" ", "")
        yield {"title": rng.choice(titles), "body": "\n\n".join(paras),
               "published": f"{y:04d}-{m:02d}-{d:02d}T{rng.randint(5, 22):02d}:00:00Z",
               "url": f"https://{slug}.example/{y:04d}/{m:02d}/{d:02d}/{seed}-{i}", "source": source}


def _docs(model: Model, n: int, seed: int) -> list:
    from etl.model import Doc
    return [Doc(title=a["title"], caption="", body=a["body"]) for a in iter_articles(model, n, seed)]


def write_jsonl(path: Path, model: Model, n: int, seed: int = 1) -> int:
    """Write `n` articles as JSON lines; returns bytes written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as f:
        batch = []
        for art in iter_articles(model, n, seed):
            batch.append(json.dumps(art, ensure_ascii=False))
            if len(batch) == 5000:
                f.write("\n".join(batch) + "\n")
                batch.clear()
        if batch:
            f.write("\n".join(batch) + "\n")
    return path.stat().st_size


def density_lines(model: Model, counter: Counter, sample: int = 2000) -> list[tuple[str, float, str]]:
    """Densities of FA-KES, of `sample` realistic articles and of `sample` synthetic ones."""
    from bench import corpus
    from etl.model import Doc
    real = _docs(model, sample, 4242)
    synthetic = [Doc(title=a["title"], caption="", body=a["body"]) for a in corpus.iter_articles(sample, seed=5)]
    got = densities(real, counter)
    syn = densities(synthetic, counter)
    lines = []
    for f in FEATURES:
        lines += [(f"density_fakes_{f}", model.target[f], "per 100 words"),
                  (f"density_realistic_{f}", got[f], "per 100 words"),
                  (f"density_synthetic_{f}", syn[f], "per 100 words"),
                  (f"density_realistic_vs_fakes_{f}", got[f] / model.target[f], "x")]
    words = [len(d.body.split()) for d in real]
    lines.append(("realistic_mean_words", sum(words) / len(words), "words"))
    return lines
