"""The full-text index: one tantivy index directory per database snapshot, beside the database.

format.py    the index contract: fields, analyzer and normalisation, written as search-format.json
index.py     the index writer (build, incremental update, garbage collection)
indexing.py  keeping the index in step with snapshots (during an ingest, `reindex`)
"""
