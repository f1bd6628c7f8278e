"""The pegawai role at the service layer: own data only, the employee's part, acknowledgement,
keberatan, and every refusal with a sentence and nothing changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja_desktop.errors import PermissionDenied, UserError
from kinerja_desktop.services.access.principal import (
    ADMIN_KEPEGAWAIAN,
    ATASAN_PEJABAT_PENILAI,
    PEGAWAI,
    PEJABAT_PENILAI,
    SYSTEM,
    Principal,
)
from kinerja_desktop.services.access.role_rules import RULES, allows
from kinerja_desktop.services.pegawai import acknowledge as ack_svc
from kinerja_desktop.services.pegawai import keberatan as kb
from kinerja_desktop.services.pegawai import policy, work
from kinerja_desktop.services.performance import evaluations as ev_svc
from kinerja_desktop.services.performance import feedback as fb_svc
from kinerja_desktop.store.models import AuditEntry, Evaluation
from kinerja_desktop.store.pegawai import Acknowledgement, Keberatan, RealisasiReport, SkpProposal

FINAL_DAY = date(2027, 1, 5)


@dataclass
class Cycle:
    skp1: str
    skp2: str
    ev1: str
    ev2: str
    staf1_p: Principal
    staf2_p: Principal
    kadis_atasan: Principal


def _final(s, perf, office, employee_id, today=FINAL_DAY):
    ev = ev_svc.start_evaluation(s, office.kabid_p, employee_id, perf.period_id(s))
    form = ev_svc.EvaluationForm("Sesuai Ekspektasi", "Sesuai Ekspektasi", perf.fill_realisasi(s, ev.id))
    ev = ev_svc.save_evaluation(s, office.kabid_p, ev.id, form, expected_hlc=ev.updated_hlc)
    return ev_svc.finalize_evaluation(s, office.kabid_p, ev.id, expected_hlc=ev.updated_hlc, today=today).id


@pytest.fixture
def cycle(db, office, perf) -> Cycle:
    with db.transaction() as s:
        skp1 = perf.agreed_skp(s, SYSTEM, office.staf1)
        skp2 = perf.agreed_skp(s, SYSTEM, office.staf2)
        ev1, ev2 = _final(s, perf, office, office.staf1), _final(s, perf, office, office.staf2)
    return Cycle(
        skp1,
        skp2,
        ev1,
        ev2,
        Principal("staf1", PEGAWAI, office.staf1),
        Principal("staf2", PEGAWAI, office.staf2),
        Principal("kadis", ATASAN_PEJABAT_PENILAI, office.kadis),
    )


def _count(s, model) -> int:
    return s.scalar(select(func.count()).select_from(model))


# --- the role rules table ------------------------------------------------------------------


@pytest.mark.parametrize("action", sorted(RULES))
def test_every_rule_allows_exactly_its_roles(action):
    rule = RULES[action]
    for role in (ADMIN_KEPEGAWAIAN, "administrator", PEJABAT_PENILAI, ATASAN_PEJABAT_PENILAI, PEGAWAI):
        assert allows(Principal("x", role, "e1"), action) is (role in rule.roles), (action, role)
    assert allows(SYSTEM, action)
    assert not allows(Principal("x", "tamu", "e1"), action)


def test_ownership_in_the_rules_table():
    me, other = Principal("a", PEGAWAI, "e1"), Principal("b", PEGAWAI, "e2")
    facts = {"owner": "e1", "evaluator": "p1", "atasan": "p2"}
    for action in ("skp.propose", "realisasi.report", "evaluation.acknowledge", "keberatan.lodge"):
        assert allows(me, action, facts) and not allows(other, action, facts)
    assert allows(Principal("p", PEJABAT_PENILAI, "p2"), "keberatan.decide", facts)
    assert not allows(Principal("p", PEJABAT_PENILAI, "p1"), "keberatan.decide", facts)
    # the evaluator who is also listed as atasan still may not decide on their own rating
    assert not allows(Principal("p", PEJABAT_PENILAI, "p1"), "keberatan.decide", {**facts, "atasan": "p1"})


# --- a pegawai sees and changes only their own data, by every service call -----------------


def _reads(o, c):
    """(name, call(session, actor, own)) for each service call that takes an employee/SKP/evaluation id.

    ``own`` True: the call is made on staf1's own data, else on staf2's."""
    from kinerja_desktop.services.documents import evidence
    from kinerja_desktop.services.documents import registry as documents
    from kinerja_desktop.services.performance import angka_kredit, skp
    from kinerja_desktop.services.roster import employees
    from kinerja_desktop.services.training import competency, development_plan, jp_compliance

    def emp(own):
        return o.staf1 if own else o.staf2

    def skp_id(own):
        return c.skp1 if own else c.skp2

    def ev_id(own):
        return c.ev1 if own else c.ev2

    return [
        ("get_employee", lambda s, a, own: employees.get_employee(s, a, emp(own))),
        ("angka_kredit", lambda s, a, own: angka_kredit.angka_kredit(s, a, emp(own))),
        ("list_assessments", lambda s, a, own: competency.list_assessments(s, a, emp(own))),
        ("competency profile", lambda s, a, own: competency.profile(s, a, emp(own))),
        ("development plan", lambda s, a, own: development_plan.list_items(s, a, emp(own))),
        ("jp compliance", lambda s, a, own: jp_compliance.employee_compliance(s, a, emp(own), 2026)),
        ("get_skp", lambda s, a, own: skp.get_skp(s, a, skp_id(own))),
        ("load_skp", lambda s, a, own: skp.load_skp(s, a, skp_id(own))),
        ("list_feedback", lambda s, a, own: fb_svc.list_feedback(s, a, skp_id(own))),
        ("list_dialogs", lambda s, a, own: fb_svc.list_dialogs(s, a, skp_id(own))),
        ("list_evidence", lambda s, a, own: evidence.list_evidence(s, a, skp_id(own))),
        ("get_evaluation", lambda s, a, own: ev_svc.get_evaluation(s, a, ev_id(own))),
        ("evaluation_view", lambda s, a, own: ev_svc.evaluation_view(s, a, ev_id(own))),
        ("history", lambda s, a, own: ev_svc.history(s, a, emp(own), s.get(Evaluation, ev_id(own)).period_id)),
        ("proposals", lambda s, a, own: work.proposals(s, a, skp_id(own))),
        ("realisasi reports", lambda s, a, own: work.reports(s, a, skp_id(own))),
        (
            "document evaluasi",
            lambda s, a, own: documents.prepare(s, a, documents.DocumentRequest("evaluasi", emp(own), 2026)),
        ),
    ]


def test_a_pegawai_reads_their_own_data_and_no_colleagues_by_every_call(db, office, cycle):
    for name, call in _reads(office, cycle):
        with db.session() as s:
            assert call(s, cycle.staf1_p, True) is not None, name
            with pytest.raises(PermissionDenied) as err:
                call(s, cycle.staf1_p, False)
            assert "Staf Dua" in str(err.value) or "Anda" in str(err.value), name


def _writes(o, c, tmp_path):
    pdf = tmp_path / "bukti.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    def iki_of(s, skp_id):
        from kinerja_desktop.services.performance.evaluations import skp_ikis

        return skp_ikis(s, skp_id)[0][2].id

    return [
        (
            "save_evaluation",
            lambda s, a, sk, ev: ev_svc.save_evaluation(
                s,
                a,
                ev,
                ev_svc.EvaluationForm("Di Atas Ekspektasi", "Di Atas Ekspektasi"),
                expected_hlc=s.get(Evaluation, ev).updated_hlc,
            ),
        ),
        ("revise_evaluation", lambda s, a, sk, ev: ev_svc.revise_evaluation(s, a, ev, "naikkan")),
        (
            "add_feedback",
            lambda s, a, sk, ev: fb_svc.add_feedback(s, a, sk, "bagus", date(2026, 3, 1), value_code="AKUNTABEL"),
        ),
        (
            "propose",
            lambda s, a, sk, ev: work.propose(
                s, a, sk, [work.ProposedRhk("RHK baru", "tambahan", None, [work.ProposedIki("IKI", "1")])]
            ),
        ),
        (
            "report_realisasi",
            lambda s, a, sk, ev: work.report_realisasi(
                s, a, sk, s.get(Evaluation, ev).period_id, iki_of(s, sk), "selesai", evidence=pdf
            ),
        ),
        ("acknowledge", lambda s, a, sk, ev: ack_svc.acknowledge(s, a, ev, today=FINAL_DAY)),
        ("lodge keberatan", lambda s, a, sk, ev: kb.lodge(s, a, ev, "tidak adil", today=FINAL_DAY)),
        ("share_evaluation", lambda s, a, sk, ev: work.share_evaluation(s, a, ev)),
    ]


def test_a_pegawai_changing_a_colleagues_data_or_a_final_evaluation_is_refused_and_nothing_changes(
    db, office, cycle, tmp_path
):
    with db.session() as s:
        before = _count(s, AuditEntry)
    for name, call in _writes(office, cycle, tmp_path):
        with db.transaction() as s:
            with pytest.raises((PermissionDenied, UserError)) as err:
                call(s, cycle.staf1_p, cycle.skp2, cycle.ev2)
            assert str(err.value).strip(), name
    for name in ("save_evaluation", "revise_evaluation", "add_feedback", "share_evaluation"):
        call = dict(_writes(office, cycle, tmp_path))[name]
        with db.transaction() as s:
            with pytest.raises(PermissionDenied):
                call(s, cycle.staf1_p, cycle.skp1, cycle.ev1)  # not even on their own record
    with db.session() as s:
        assert _count(s, AuditEntry) == before
        assert s.get(Evaluation, cycle.ev1).predikat == "Baik" and s.get(Evaluation, cycle.ev1).status == "final"
        assert _count(s, Acknowledgement) == _count(s, Keberatan) == _count(s, RealisasiReport) == 0


def test_a_draft_is_hidden_from_the_pegawai_until_shared(db, office, perf, cycle):
    with db.transaction() as s:
        draft = ev_svc.start_evaluation(s, office.kabid_p, office.staf1, perf.period_id(s, "triwulan", 1)).id
    with db.session() as s:
        with pytest.raises(PermissionDenied, match="belum dibagikan"):
            ev_svc.get_evaluation(s, cycle.staf1_p, draft)
    with db.transaction() as s:
        assert [d.evaluation_id for d in work.drafts_to_share(s, office.kabid_p)] == [draft]
        assert work.drafts_to_share(s, cycle.kadis_atasan) == []  # not their direct staff
        work.share_evaluation(s, office.kabid_p, draft)
    with db.session() as s:
        assert ev_svc.get_evaluation(s, cycle.staf1_p, draft).status == "draft"
        assert work.drafts_to_share(s, office.kabid_p) == []


# --- the employee's part ----------------------------------------------------------------------


def test_proposal_agreed_joins_the_skp_and_returned_keeps_the_note(db, office, perf, cycle):
    from kinerja_desktop.services.performance import skp as skp_svc

    with db.transaction() as s:
        skp_svc.reopen_skp(s, office.kabid_p, cycle.skp1, expected_hlc=s.get(skp_svc.Skp, cycle.skp1).updated_hlc)
        p1 = work.propose(
            s,
            cycle.staf1_p,
            cycle.skp1,
            [work.ProposedRhk("Menyusun laporan bulanan", "tambahan", None, [work.ProposedIki("Laporan", "12")])],
        ).id
        p2 = work.propose(s, cycle.staf1_p, cycle.skp1, [work.ProposedRhk("Kurang jelas", "tambahan")]).id
    with db.transaction() as s:
        with pytest.raises(PermissionDenied, match="pejabat penilai"):
            work.decide_proposal(s, cycle.staf2_p, p1, agree=True)
        work.decide_proposal(s, office.kabid_p, p1, agree=True)
        with pytest.raises(UserError, match="Catatan pengembalian"):
            work.decide_proposal(s, office.kabid_p, p2, agree=False)
        work.decide_proposal(s, office.kabid_p, p2, agree=False, note="Tambahkan IKI")
    with db.session() as s:
        texts = [r.text for r, _i in skp_svc.load_skp(s, cycle.staf1_p, cycle.skp1).rhks]
        assert "Menyusun laporan bulanan" in texts and "Kurang jelas" not in texts
        assert s.get(SkpProposal, p2).note == "Tambahkan IKI" and s.get(SkpProposal, p2).status == "dikembalikan"


def test_realisasi_with_evidence_reply_and_dialog(db, office, perf, cycle, tmp_path):
    from kinerja_desktop.services.performance.evaluations import skp_ikis

    good = tmp_path / "laporan.pdf"
    good.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    fake = tmp_path / "virus.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a pdf")
    with db.transaction() as s:
        iki = skp_ikis(s, cycle.skp1)[0][2].id
        tw1 = perf.period_id(s, "triwulan", 1)
        with pytest.raises(UserError, match="PDF"):
            work.report_realisasi(s, cycle.staf1_p, cycle.skp1, tw1, iki, "selesai", evidence=fake)
    with db.transaction() as s:
        row = work.report_realisasi(s, cycle.staf1_p, cycle.skp1, tw1, iki, "3 laporan selesai", evidence=good)
        note = fb_svc.add_feedback(
            s, office.kabid_p, cycle.skp1, "Pertahankan", date(2026, 2, 1), value_code="AKUNTABEL"
        )
        work.reply_feedback(s, cycle.staf1_p, note.id, "Terima kasih, akan saya pertahankan")
        meeting = fb_svc.add_dialog(s, office.kabid_p, cycle.skp1, date(2026, 2, 2), "Pemantauan")
        work.confirm_dialog(s, cycle.staf1_p, meeting.id)
        with pytest.raises(UserError, match="sudah ditandai"):
            work.confirm_dialog(s, cycle.staf1_p, meeting.id)
        with pytest.raises(PermissionDenied):
            work.reply_feedback(s, cycle.staf2_p, note.id, "bukan saya")
    with db.session() as s:
        assert [r.text for r in work.reports(s, office.kabid_p, cycle.skp1)] == ["3 laporan selesai"]
        assert s.get(RealisasiReport, row.id).evidence_id is not None


# --- acknowledgement and keberatan ------------------------------------------------------------


def test_acknowledge_is_audited_and_once(db, office, cycle):
    with db.transaction() as s:
        ack_svc.acknowledge(s, cycle.staf1_p, cycle.ev1, today=date(2027, 1, 6))
        with pytest.raises(UserError, match="06-01-2027"):
            ack_svc.acknowledge(s, cycle.staf1_p, cycle.ev1)
    with db.session() as s:
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == "acknowledge")) is not None
        assert ack_svc.acknowledged_on(s, cycle.ev1) == date(2027, 1, 6)


def test_keberatan_late_twice_or_by_someone_else_is_refused(db, office, cycle):
    with db.transaction() as s:
        with pytest.raises(UserError, match="telah membaca"):
            kb.lodge(s, cycle.staf1_p, cycle.ev1, "alasan", today=date(2027, 1, 6))
        ack_svc.acknowledge(s, cycle.staf1_p, cycle.ev1, today=date(2027, 1, 6))
    with db.transaction() as s:
        with pytest.raises(UserError, match="paling lambat 20-01-2027"):
            kb.lodge(s, cycle.staf1_p, cycle.ev1, "alasan", today=date(2027, 1, 21))
        with pytest.raises(PermissionDenied, match="pegawai yang dinilai"):
            kb.lodge(s, cycle.staf2_p, cycle.ev1, "alasan", today=date(2027, 1, 10))
        with pytest.raises(PermissionDenied):
            kb.lodge(s, office.kabid_p, cycle.ev1, "alasan", today=date(2027, 1, 10))
        with pytest.raises(UserError, match="Alasan keberatan belum diisi"):
            kb.lodge(s, cycle.staf1_p, cycle.ev1, "  ", today=date(2027, 1, 10))
        with pytest.raises(UserError, match="terlalu panjang"):
            kb.lodge(s, cycle.staf1_p, cycle.ev1, "x" * 5000, today=date(2027, 1, 10))
    with db.transaction() as s:
        kb.lodge(s, cycle.staf1_p, cycle.ev1, "Realisasi saya melebihi target", today=date(2027, 1, 20))
    with db.transaction() as s:
        with pytest.raises(UserError, match="satu kali"):
            kb.lodge(s, cycle.staf1_p, cycle.ev1, "lagi", today=date(2027, 1, 20))
    with db.session() as s:
        assert _count(s, Keberatan) == 1


def test_the_period_is_a_setting(db, office, cycle):
    with db.transaction() as s:
        with pytest.raises(UserError, match="1–90 hari"):
            policy.set_keberatan_days(s, SYSTEM, 0)
        policy.set_keberatan_days(s, SYSTEM, 3)
        ack_svc.acknowledge(s, cycle.staf1_p, cycle.ev1, today=date(2027, 1, 6))
        with pytest.raises(UserError, match="09-01-2027"):
            kb.lodge(s, cycle.staf1_p, cycle.ev1, "alasan", today=date(2027, 1, 10))


def _lodged(db, cycle) -> str:
    with db.transaction() as s:
        ack_svc.acknowledge(s, cycle.staf1_p, cycle.ev1, today=date(2027, 1, 6))
        return kb.lodge(s, cycle.staf1_p, cycle.ev1, "Realisasi saya melebihi target", today=date(2027, 1, 8)).id


def test_the_pejabat_cannot_decide_on_their_own_evaluation(db, office, cycle):
    kid = _lodged(db, cycle)
    with db.transaction() as s:
        for who in (office.kabid_p, Principal("kabid", ATASAN_PEJABAT_PENILAI, office.kabid), cycle.staf1_p):
            with pytest.raises(PermissionDenied):
                kb.record_explanations(s, who, kid, pegawai="a", penilai="b")
            with pytest.raises(PermissionDenied):
                kb.decide(s, who, kid, kb.Decision("diubah", "naik", "Di Atas Ekspektasi"))
    with db.session() as s:
        assert s.get(Keberatan, kid).status == "diajukan"


def test_kept_and_changed_decisions(db, office, cycle):
    from kinerja_desktop.services.pegawai.decision_doc import keputusan_pdf

    kid = _lodged(db, cycle)
    with db.transaction() as s:
        with pytest.raises(UserError, match="penjelasan"):
            kb.decide(s, cycle.kadis_atasan, kid, kb.Decision("diubah", "naik", "Di Atas Ekspektasi"))
        kb.record_explanations(
            s, cycle.kadis_atasan, kid, pegawai="Saya menyelesaikan 14 laporan", penilai="Target 12, kualitas sesuai"
        )
        row = kb.decide(
            s,
            cycle.kadis_atasan,
            kid,
            kb.Decision("diubah", "Realisasi melebihi target", "Di Atas Ekspektasi", "Di Atas Ekspektasi"),
            today=date(2027, 1, 15),
        )
        new = s.get(Evaluation, row.new_evaluation_id)
        assert (new.status, new.predikat, new.revision_no, new.revision_of_id) == ("final", "Sangat Baik", 1, cycle.ev1)
        assert "Realisasi melebihi target" in new.revision_reason
        with pytest.raises(UserError, match="sudah diputus"):
            kb.decide(s, cycle.kadis_atasan, kid, kb.Decision("tetap", "ulang"))
    with db.session() as s:
        assert (
            ev_svc.current_evaluation(s, office.staf1, s.get(Evaluation, cycle.ev1).period_id).predikat == "Sangat Baik"
        )
        for who in (cycle.staf1_p, office.kabid_p, cycle.kadis_atasan, office.hr):
            assert [k.id for k in kb.visible(s, who)] == [kid]
            assert keputusan_pdf(s, who, kid).startswith(b"%PDF")
        assert kb.visible(s, cycle.staf2_p) == []
        with pytest.raises(PermissionDenied):
            keputusan_pdf(s, cycle.staf2_p, kid)
    with db.transaction() as s:  # the new revision is final too: no second keberatan on it
        ack_svc.acknowledge(s, cycle.staf1_p, row.new_evaluation_id, today=date(2027, 1, 16))
        with pytest.raises(UserError, match="satu kali"):
            kb.lodge(s, cycle.staf1_p, row.new_evaluation_id, "lagi", today=date(2027, 1, 17))


# --- accounts ---------------------------------------------------------------------------------


def test_accounts_for_a_unit_one_time_passwords_and_no_inactive(db, office, tmp_path):
    import subprocess

    from kinerja_desktop.services.access import users
    from kinerja_desktop.services.pegawai import accounts
    from kinerja_desktop.store.models import Employee, User

    with db.transaction() as s:
        s.get(Employee, office.staf2).active = False
        with pytest.raises(UserError, match="tidak aktif"):
            users.create_user(
                s,
                SYSTEM,
                username="staf2",
                display_name="x",
                password="kata-sandi-99",
                role=PEGAWAI,
                employee_id=office.staf2,
            )
        with pytest.raises(PermissionDenied):
            accounts.create_for_unit(s, office.kabid_p, office.dinas)
        result = accounts.create_for_unit(s, office.hr, office.dinas)
        pdf = accounts.slips_pdf(s, office.hr, result, date(2027, 1, 2))
    assert {sl.name for sl in result.slips} == {"Kepala Dinas", "Kepala Bidang", "Staf Satu"}
    assert [(n, why) for n, _nip, why in result.skipped] == [("Staf Dua", "pegawai tidak aktif tidak diberi akun")]
    (tmp_path / "slip.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "slip.pdf"), "-"], capture_output=True, text=True).stdout
    slip = next(sl for sl in result.slips if sl.name == "Staf Satu")
    assert slip.password in text and slip.nip in text
    with db.transaction() as s:
        assert accounts.create_for_unit(s, office.hr, office.dinas).slips == []  # once
        who = users.authenticate(s, slip.username, slip.password)
        assert who.role == PEGAWAI and who.employee_id == office.staf1
        assert users.must_change_password(s, who)
        assert s.scalar(select(User.password_hash).where(User.username == slip.username)).startswith("$argon2id$")


# --- what is waiting ------------------------------------------------------------------------


def test_waiting_lists_for_each_role_with_dates_and_overdue(db, office, perf, cycle):
    from kinerja_desktop.services.pegawai.waiting import waiting_for

    with db.session() as s:
        mine = waiting_for(s, cycle.staf1_p, date(2027, 1, 6))
        assert [w.kind for w in mine] == ["acknowledge"] and mine[0].record_id == cycle.ev1
        assert "Baik" in mine[0].text
    kid = _lodged(db, cycle)
    with db.session() as s:
        assert [w.kind for w in waiting_for(s, cycle.staf1_p, date(2027, 1, 9))] == []
        late = waiting_for(s, cycle.kadis_atasan, date(2027, 1, 30))
        assert [(w.kind, w.record_id, w.overdue, w.due) for w in late] == [("decide", kid, True, date(2027, 1, 22))]
        assert [w.kind for w in waiting_for(s, office.hr, date(2027, 1, 9))] == ["decide"]
        assert waiting_for(s, office.kabid_p, date(2027, 1, 9)) == []  # never decides their own rating
        assert waiting_for(s, cycle.staf2_p, date(2027, 1, 6))[0].record_id == cycle.ev2


def test_the_form_says_read_by_the_pegawai_with_the_date(db, office, cycle, tmp_path):
    import subprocess

    from kinerja_desktop.services.documents import registry as documents

    def text_of(kind):
        with db.session() as s:
            pdf = documents.render(
                documents.prepare(s, cycle.staf1_p, documents.DocumentRequest(kind, office.staf1, 2026))
            )
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(pdf)
        return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())

    assert "Telah dibaca oleh pegawai" not in text_of("evaluasi")
    with db.transaction() as s:
        ack_svc.acknowledge(s, cycle.staf1_p, cycle.ev1, today=date(2027, 1, 6))
    for kind in ("evaluasi", "evaluasi-rinci"):
        assert "Telah dibaca oleh pegawai pada 6 Januari 2027" in text_of(kind)


def test_the_atasan_sees_the_chain_below_and_evaluates_their_direct_staff(db, office, cycle):
    from kinerja_desktop.services.access.performance_access import require_evaluator
    from kinerja_desktop.services.roster.query import RosterFilter, count_employees

    with db.session() as s:
        assert ev_svc.get_evaluation(s, cycle.kadis_atasan, cycle.ev1).id == cycle.ev1
        assert require_evaluator(s, cycle.kadis_atasan, office.kabid).id == office.kabid
        assert count_employees(s, cycle.kadis_atasan, RosterFilter()) == 3
        assert count_employees(s, cycle.staf1_p, RosterFilter()) == 1
        with pytest.raises(PermissionDenied):
            ev_svc.get_evaluation(s, Principal("luar", ATASAN_PEJABAT_PENILAI, office.outsider), cycle.ev1)


def test_a_pegawai_whose_record_became_inactive_no_longer_signs_in(db, office):
    from kinerja_desktop.services.access import users
    from kinerja_desktop.store.models import Employee

    with db.transaction() as s:
        users.create_user(
            s,
            SYSTEM,
            username="staf1",
            display_name="Staf",
            password="kantor-pagi-77",
            role=PEGAWAI,
            employee_id=office.staf1,
        )
    with db.transaction() as s:
        assert users.authenticate(s, "staf1", "kantor-pagi-77").employee_id == office.staf1
        s.get(Employee, office.staf1).active = False
    with db.transaction() as s:
        with pytest.raises(users.AuthError, match="dinonaktifkan"):
            users.authenticate(s, "staf1", "kantor-pagi-77")
