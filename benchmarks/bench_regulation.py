"""The regulation's computations at district size: distribution per organisation, Angka Kredit, documents.

    .venv/bin/python benchmarks/bench_regulation.py [--employees 5000] [--repeat 7]

A site of ``--employees`` (demo district) with a complete year (Akhir + 4 triwulan, every
employee, all final; capaian per period decided by the leader above):

1. ``all_recaps`` for a period as HR: every organisation, the head's subordinates, final
   predikat and drafts apart. Baseline: a raw ``sqlite3`` read of the same rows (active
   employees with their unit, the period's evaluations, the capaian of the period, the
   unit heads). Target <= 300 ms (the page's budget).
2. ``functional_employees`` as HR: the Angka Kredit of every jabatan fungsional (each
   month converted by the predikat that covers it). Baseline: the raw join of those
   employees' final evaluations with their periods and SKP spans. Target <= 300 ms.
3. Documents: the penetapan of the largest organisation and one PAK konversi, rendered
   to PDF (docs/s); baseline: the short form (one page) of the same site.

Median of ``--repeat`` runs after one warm-up run; a fresh session per run. Prints a
Markdown table with the ratio to the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import scratch_key  # noqa: F401,E402 - a fixed scratch key for the synthetic databases
from bench_performance import YEAR, build_site, timed  # noqa: E402

from kinerja_desktop.reports.render import render_view  # noqa: E402
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, Principal  # noqa: E402
from kinerja_desktop.services.documents import views as collect  # noqa: E402
from kinerja_desktop.services.performance.angka_kredit import functional_employees, pak_view  # noqa: E402
from kinerja_desktop.services.performance.distribution_recap import all_recaps  # noqa: E402
from kinerja_desktop.services.performance.penetapan import penetapan_view  # noqa: E402
from kinerja_desktop.services.performance.periods import list_periods  # noqa: E402
from kinerja_desktop.store.encryption import open_raw  # noqa: E402

TARGET_MS = 300.0
HR = Principal("hr", ADMIN_KEPEGAWAIAN)


def raw_recaps(con, period_id: str) -> int:
    n = len(con.execute("SELECT id, unit_id FROM employees WHERE deleted = 0 AND active = 1").fetchall())
    n += len(con.execute("SELECT id, parent_id, kind FROM units WHERE deleted = 0").fetchall())
    n += len(
        con.execute(
            "SELECT e.id, e.unit_id FROM employees e JOIN positions p ON p.id = e.position_id "
            "WHERE p.is_unit_head = 1 AND e.deleted = 0"
        ).fetchall()
    )
    n += len(
        con.execute(
            "SELECT unit_id, capaian FROM capaian_organisasi WHERE period_id = ? AND deleted = 0", (period_id,)
        ).fetchall()
    )
    n += len(
        con.execute(
            "SELECT employee_id, status, predikat, revision_no FROM evaluations WHERE period_id = ? "
            "AND deleted = 0 AND kind != 'penugasan'",
            (period_id,),
        ).fetchall()
    )
    return n


def raw_angka_kredit(con, limit: int | None = None) -> int:
    jf = (
        "SELECT e.id FROM employees e JOIN positions p ON p.id = e.position_id WHERE e.deleted = 0 AND "
        "(p.name LIKE '%Ahli%' OR p.name LIKE '%Terampil%' OR p.name LIKE '%Mahir%' OR p.name LIKE '%Penyelia%' "
        "OR p.name LIKE '%Pemula%') ORDER BY e.name" + (f" LIMIT {limit}" if limit else "")
    )
    n = len(con.execute(jf).fetchall())
    n += len(
        con.execute(
            'SELECT v.employee_id, v.kind, v.predikat, v.identities, pe.start, pe."end", s.start, s."end" '
            "FROM evaluations v JOIN periods pe ON pe.id = v.period_id LEFT JOIN skp s ON s.id = v.skp_id "
            f"WHERE v.status = 'final' AND v.deleted = 0 AND v.employee_id IN ({jf})"
        ).fetchall()
    )
    n += len(con.execute(f"SELECT employee_id, value FROM angka_kredit_awal WHERE employee_id IN ({jf})").fetchall())
    return n


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--employees", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-regulation-"))
    db, summary, built = build_site(folder, args.employees, "triwulan")
    print(
        f"site: {args.employees} employees, {summary.evaluations} evaluations, {summary.capaian} capaian rows, "
        f"built in {built:.1f} s",
        file=sys.stderr,
    )
    con = open_raw(db.path)
    with db.session() as s:
        periods = list_periods(s, YEAR)
        tw1 = next(p.id for p in periods if p.kind == "triwulan" and p.number == 1)
        recaps = all_recaps(s, HR, YEAR, period_id=tw1)
        biggest = max(recaps, key=lambda r: r.headcount)
        jf = functional_employees(s, HR, limit=100000)
        jf_id = max(jf, key=lambda a: len(a.lines)).employee.id
        nip = jf[0].employee.nip
    rows = []

    def session_call(fn):
        def go():
            with db.session() as s:
                return fn(s)

        return go

    cases = [
        (
            f"all_recaps(), Triwulan I ({len(recaps)} organisations)",
            session_call(lambda s: all_recaps(s, HR, YEAR, period_id=tw1)),
            lambda: raw_recaps(con, tw1),
            True,
        ),
        (
            "functional_employees(): the Angka Kredit page (first 500 by name)",
            session_call(lambda s: functional_employees(s, HR)),
            lambda: raw_angka_kredit(con, 500),
            True,
        ),
        (
            f"functional_employees(): all {len(jf)} jabatan fungsional at once",
            session_call(lambda s: functional_employees(s, HR, limit=100000)),
            lambda: raw_angka_kredit(con),
            False,
        ),
    ]
    for what, ours, raw, target in cases:
        base = timed(raw, args.repeat)
        ms = timed(ours, args.repeat)
        rows.append(
            (
                what,
                ms,
                base,
                ms / base if base else float("nan"),
                ("ok" if ms <= TARGET_MS else "OVER") if target else "-",
            )
        )
    short = session_call(lambda s: render_view(collect.short_form_view(s, nip, YEAR, "TW1")))
    base = timed(short, args.repeat)
    for what, fn in (
        (
            f"penetapan ({biggest.unit_name}, {biggest.headcount} pegawai)",
            session_call(lambda s: render_view(penetapan_view(s, HR, biggest.unit_id, tw1))),
        ),
        ("PAK konversi (one employee)", session_call(lambda s: render_view(pak_view(s, HR, jf_id)))),
    ):
        ms = timed(fn, args.repeat)
        rows.append((what + " rendered", ms, base, ms / base if base else float("nan"), "-"))
    con.close()
    db.close()
    print("| call (admin kepegawaian) | ours ms | baseline ms | ratio | target 300 ms |")
    print("|---|---:|---:|---:|---|")
    for what, ms, base, ratio, verdict in rows:
        print(f"| {what} | {ms:.1f} | {base:.1f} | {ratio:.1f}× | {verdict} |")
    print("\nBaselines: raw sqlite3 reads of the same rows; for the documents, the one-page short form.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
