"""Benchmarks run by `make bench`: `python -m bench [import|render|search]`.

Each benchmark runs in its own process against its own throwaway database and
media folder (see `bench.environment`), so timings never depend on, or change,
the developer's `db.sqlite3` and `media/`.
"""
