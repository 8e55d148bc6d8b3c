"""Deduplication, in one place: fingerprints of an article's text (fingerprint.py, computed in
the workers), the in-memory index of what a database holds (seen.py), and the decision for
each batch the writer stores (decide.py: new, updated, unchanged, a copy; near-copy clusters).
"""
