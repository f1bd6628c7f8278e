"""`kinerja selftest` from the source tree: every built-in step passes, features pass or are absent."""

from __future__ import annotations

import json

import pytest

from kinerja_desktop.cli import main


@pytest.mark.slow
def test_selftest_command_passes(qapp, tmp_path, data_home, capsys):
    out = tmp_path / "selftest.json"
    code = main(["selftest", "--json", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    failed = {s["name"]: s["error"] for s in report["steps"] if s["status"] == "failed"}
    assert code == 0, failed
    assert report["ok"] is True and report["frozen"] is False
    statuses = {s["name"]: s["status"] for s in report["steps"]}
    for builtin in ("migrasi", "demo", "terjemahan", "jendela"):
        assert statuses[builtin] == "ok"
    assert set(statuses) >= {"sinkronisasi", "dokumen"}
    assert not data_home.joinpath("kinerja.sqlite3").exists(), "the user's data folder is untouched"
    printed = capsys.readouterr().out
    assert "Semua pemeriksaan lulus." in printed
