"""Benchmarks open their databases with a fixed scratch key (their data is synthetic):
they never ask for a passphrase and never touch this user's key store, and a database a
benchmark keeps between runs (bench_ui) opens again. Import it before the program."""

import os

os.environ.setdefault("KINERJA_DB_KEY", "be" * 32)
