"""The self-test runner: each step isolated, failures reported, exit 0 only when all passed."""

from __future__ import annotations

import json
import sys

from kinerja_desktop import paths
from kinerja_desktop.selftest import (
    FAILED,
    OK,
    UNAVAILABLE,
    Step,
    check,
    feature_step,
    run_selftest,
    run_step,
    step_migrations,
)


def _ok(workdir):
    (workdir / "written.txt").write_text("x")
    return "fine"


def _fails(workdir):
    check(False, "Sesuatu tidak beres.")


def _crashes(workdir):
    raise RuntimeError("boom")


def test_every_step_runs_in_its_own_temporary_data_folder(data_home):
    seen = []

    def where(workdir):
        seen.append((workdir, paths.locations().data, paths.default_database()))

    run_step(Step("a", "", where))
    run_step(Step("b", "", where))
    (w1, d1, db1), (w2, d2, db2) = seen
    assert d1 == w1 and d2 == w2 and w1 != w2
    assert db1.parent == w1
    assert data_home not in w1.parents
    assert not w1.exists(), "the temporary folder is removed afterwards"
    assert paths.locations().data == data_home, "the caller's data folder is restored"


def test_a_failing_step_does_not_stop_the_others_and_the_exit_code_says_so(tmp_path, capsys):
    out = tmp_path / "report" / "selftest.json"
    steps = [Step("satu", "", _ok), Step("dua", "", _fails), Step("tiga", "", _crashes), Step("empat", "", _ok)]
    assert run_selftest(out, steps=steps) == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["ok"] is False
    assert isinstance(report["frozen"], bool) and report["version"]
    assert [(s["name"], s["status"]) for s in report["steps"]] == [
        ("satu", OK),
        ("dua", FAILED),
        ("tiga", FAILED),
        ("empat", OK),
    ]
    assert report["steps"][1]["error"] == "Sesuatu tidak beres."
    assert report["steps"][2]["error"] == "RuntimeError: boom"
    assert all(s["seconds"] >= 0 for s in report["steps"])
    printed = capsys.readouterr().out.splitlines()
    assert any(line.startswith("GAGAL") and "dua" in line and "Sesuatu tidak beres." in line for line in printed)
    assert any(line.startswith("OK") and "satu" in line for line in printed)


def test_unavailable_features_do_not_fail_the_run(tmp_path):
    missing = feature_step("kinerja_desktop.no_such_feature.selftest_step", "run")
    steps = [Step("satu", "", _ok), Step("nanti", "", missing)]
    out = tmp_path / "selftest.json"
    assert run_selftest(out, steps=steps) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [s["status"] for s in report["steps"]] == [OK, UNAVAILABLE]
    assert report["ok"] is True


def test_a_feature_whose_library_is_missing_fails(tmp_path, monkeypatch):
    """Only the feature module itself missing means "not in this build"; a missing library is a failure."""
    (tmp_path / "probe_feature_step.py").write_text(
        "import no_such_library_for_kinerja\n\ndef run(workdir):\n    return True\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    result = run_step(Step("fitur", "", feature_step("probe_feature_step", "run")))
    assert result.status == FAILED
    assert "no_such_library_for_kinerja" in result.error


def test_a_feature_that_returns_false_fails(tmp_path, monkeypatch):
    (tmp_path / "probe_false_step.py").write_text("def run(workdir):\n    return False\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert run_step(Step("fitur", "", feature_step("probe_false_step", "run"))).status == FAILED
    sys.modules.pop("probe_false_step", None)


def test_nothing_passed_is_not_a_pass(tmp_path):
    missing = feature_step("kinerja_desktop.no_such_feature.selftest_step", "run")
    assert run_selftest(tmp_path / "s.json", steps=[Step("nanti", "", missing)]) == 1


def test_migration_step_upgrades_every_shipped_schema():
    result = run_step(Step("migrasi", "", step_migrations))
    assert result.status == OK, result.error
    assert "basis data lama ditingkatkan" in result.detail


def test_migration_step_notices_a_database_that_was_not_upgraded(monkeypatch):
    """Break the upgrade of old databases (it does nothing) and the step must fail."""
    from kinerja_desktop.store import migrate

    real_upgrade = migrate.upgrade
    calls = []

    def upgrade_new_databases_only(engine, revision="heads"):
        calls.append(engine.url)
        if len(calls) == 1:  # the brand-new database
            real_upgrade(engine, revision)

    monkeypatch.setattr(migrate, "upgrade", upgrade_new_databases_only)
    result = run_step(Step("migrasi", "", step_migrations))
    assert len(calls) > 1
    assert result.status == FAILED
    assert "tidak ditingkatkan" in result.error
