"""Benchmarks for iopbot (not tests): ``python -m bench`` runs them all.

See ``bench/README.md`` for what each one measures and ``bench/RESULTS.md`` for the figures.
"""
