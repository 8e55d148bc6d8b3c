"""Benchmarks and the synthetic benchmark corpus generator (see bench/corpus.py)."""
