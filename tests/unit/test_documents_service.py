"""The documents service decides who gets which document: per role and per document kind.

Office: Dinas Contoh (kadis) > Bidang Satu (kabid) > staf1, staf2; an outsider heads
Kecamatan Lain. kabid's chain is staf1 and staf2 only, so Dinas Contoh is a unit that is
partly inside his chain and Kecamatan Lain one wholly outside it.
"""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_desktop.errors import PermissionDenied
from kinerja_desktop.services.access.principal import ADMINISTRATOR, SYSTEM, Principal
from kinerja_desktop.services.documents import batch as document_batch
from kinerja_desktop.services.documents import registry as documents
from kinerja_desktop.services.performance import evaluations as svc
from kinerja_desktop.services.performance.capaian import set_capaian
from kinerja_desktop.store.models import Employee

EMPLOYEE_KINDS = ("evaluasi", "evaluasi-rinci", "skp")
UNIT_KINDS = ("rekap-predikat", "rekap-jp")


@pytest.fixture
def data(db, office, perf):
    """staf1: agreed SKP and a final TW1 evaluation by kabid; staf2: nothing; kadis: agreed SKP."""
    with db.transaction() as s:
        set_capaian(s, SYSTEM, office.dinas, perf.YEAR, "Baik")
        perf.agreed_skp(s, SYSTEM, office.staf1)
        ev = svc.start_evaluation(s, office.kabid_p, office.staf1, perf.period_id(s, "triwulan", 1))
        form = svc.EvaluationForm("Sesuai Ekspektasi", "Sesuai Ekspektasi", perf.fill_realisasi(s, ev.id))
        ev = svc.save_evaluation(s, office.kabid_p, ev.id, form, expected_hlc=ev.updated_hlc)
        svc.finalize_evaluation(s, office.kabid_p, ev.id, expected_hlc=ev.updated_hlc, today=date(2026, 4, 6))
        perf.agreed_skp(s, SYSTEM, office.kadis, perspektif="Penerima Layanan")
    return office


def actors(office):
    return {
        "system": SYSTEM,
        "administrator": Principal("admin", ADMINISTRATOR),
        "hr": office.hr,
        "kabid": office.kabid_p,
        "kadis": office.kadis_p,
        "outsider": office.outsider_p,
    }


def request(kind, subject, period="TW1"):
    return documents.DocumentRequest(kind, subject, 2026, None if kind == "skp" else period)


@pytest.mark.parametrize("kind", EMPLOYEE_KINDS)
@pytest.mark.parametrize(
    "who,allowed",
    [("system", True), ("administrator", True), ("hr", True), ("kabid", True), ("kadis", True), ("outsider", False)],
)
def test_an_employee_document_only_for_those_who_may_see_the_employee(db, data, kind, who, allowed):
    actor = actors(data)[who]
    with db.session() as s:
        if allowed:
            prepared = documents.prepare(s, actor, request(kind, data.staf1))
            assert prepared.view.pegawai.name == "Staf Satu"
            assert prepared.fields["pejabat"].person.name == "Kepala Bidang"
        else:
            with pytest.raises(PermissionDenied, match="Staf Satu"):
                documents.prepare(s, actor, request(kind, data.staf1))


@pytest.mark.parametrize("kind", EMPLOYEE_KINDS)
def test_a_pejabat_gets_no_document_of_someone_above_or_beside_him(db, data, kind):
    with db.session() as s:
        for other in (data.kadis, data.outsider):
            with pytest.raises(PermissionDenied):
                documents.prepare(s, data.kabid_p, request(kind, other))


@pytest.mark.parametrize("kind", UNIT_KINDS)
@pytest.mark.parametrize(
    "who,unit,names",
    [
        ("hr", "dinas", {"Kepala Dinas", "Kepala Bidang", "Staf Satu", "Staf Dua"}),
        ("administrator", "dinas", {"Kepala Dinas", "Kepala Bidang", "Staf Satu", "Staf Dua"}),
        ("kabid", "dinas", {"Staf Satu", "Staf Dua"}),  # partly inside the chain: only the chain
        ("kabid", "bidang", {"Staf Satu", "Staf Dua"}),
        ("kadis", "dinas", {"Kepala Bidang", "Staf Satu", "Staf Dua"}),
    ],
)
def test_a_unit_document_lists_only_the_actors_people(db, data, kind, who, unit, names):
    if kind == "rekap-predikat":
        names = names - {"Kepala Dinas"}  # the head of the organisation is not counted in its curve
    unit_id = {"dinas": data.dinas, "bidang": data.bidang}[unit]
    with db.session() as s:
        prepared = documents.prepare(s, actors(data)[who], request(kind, unit_id))
    assert {row.name for row in prepared.view.rows} == names


@pytest.mark.parametrize("kind", UNIT_KINDS)
def test_a_unit_outside_the_chain_is_refused(db, data, kind):
    with db.session() as s:
        with pytest.raises(PermissionDenied, match="Kecamatan Lain"):
            documents.prepare(s, data.kabid_p, request(kind, data.other_unit))
        with pytest.raises(PermissionDenied):  # no one below him at all
            documents.prepare(s, data.outsider_p, request(kind, data.other_unit))


def test_the_unit_pickers_offer_only_the_actors_units(db, data):
    def names(nodes):
        out = set()
        for n in nodes:
            out.add(n.name)
            out |= names(n.children)
        return out

    with db.session() as s:
        assert names(documents.units_for(s, data.hr)) == {"Dinas Contoh", "Bidang Satu", "Kecamatan Lain"}
        assert names(documents.units_for(s, data.kabid_p)) == {"Dinas Contoh", "Bidang Satu"}
        assert names(documents.units_for(s, data.outsider_p)) == set()


@pytest.mark.parametrize("kind", ("evaluasi", "evaluasi-rinci"))
def test_a_batch_for_a_unit_holds_only_the_chain_and_names_only_it(db, data, kind):
    with db.session() as s:
        with pytest.raises(PermissionDenied):
            document_batch.plan(s, data.kabid_p, kind, data.other_unit, 2026, "TW1")
        plan = document_batch.plan(s, data.kabid_p, kind, data.dinas, 2026, "TW1")
        staf1_nip = s.get(Employee, data.staf1).nip
    assert [item.view.pegawai.name for item in plan.items] == ["Staf Satu"]
    assert plan.items[0].filename.startswith(staf1_nip)
    assert plan.missing == ["Staf Dua"]  # Kepala Dinas and Kepala Bidang are not his to list
    with db.session() as s:
        everyone = document_batch.plan(s, data.hr, kind, data.dinas, 2026, "TW1")
    assert {item.view.pegawai.name for item in everyone.items} == {"Staf Satu"}
    assert set(everyone.missing) == {"Kepala Dinas", "Kepala Bidang", "Staf Dua"}


def test_a_signing_batch_leaves_out_what_may_not_be_signed(db, data, perf):
    with db.transaction() as s:
        perf.agreed_skp(s, SYSTEM, data.staf2)
        svc.start_evaluation(s, data.kabid_p, data.staf2, _period(s, "triwulan", 1))
    with db.session() as s:
        unsigned = document_batch.plan(s, data.hr, "evaluasi", data.bidang, 2026, "TW1")
        signable = document_batch.plan(s, data.hr, "evaluasi", data.bidang, 2026, "TW1", signable_only=True)
    assert {i.view.pegawai.name for i in unsigned.items} == {"Staf Satu", "Staf Dua"}
    assert [i.view.pegawai.name for i in signable.items] == ["Staf Satu"]
    assert signable.missing == ["Kepala Bidang", "Staf Dua"]


def _period(s, kind, number):
    from sqlalchemy import select

    from kinerja_desktop.store.models import Period

    return s.scalar(select(Period.id).where(Period.year == 2026, Period.kind == kind, Period.number == number))


def test_a_recap_kind_is_not_a_batch(db, data):
    from kinerja_desktop.errors import UserError

    with db.session() as s, pytest.raises(UserError, match="tidak dapat diekspor massal"):
        document_batch.plan(s, data.hr, "rekap-predikat", data.dinas, 2026, "TW1")


def test_drafts_and_unagreed_skp_are_prepared_but_not_signable(db, data, perf):
    from kinerja_desktop.services.performance.skp import create_skp

    with db.transaction() as s:
        create_skp(s, data.kabid_p, data.staf2, 2026)
    with db.session() as s:
        skp = documents.prepare(s, data.hr, request("skp", data.staf2))
    with db.transaction() as s:
        from kinerja_desktop.services.performance.periods import create_year

        create_year(s, SYSTEM, 2027, "triwulan")
    with db.transaction() as s:
        perf.agreed_skp(s, SYSTEM, data.staf2, year=2027)
    with db.transaction() as s:
        svc.start_evaluation(s, data.kabid_p, data.staf2, perf.period_id(s, "akhir", 0, year=2027))
    with db.session() as s:
        draft = documents.prepare(s, data.hr, documents.DocumentRequest("evaluasi", data.staf2, 2027, None))
        final = documents.prepare(s, data.hr, request("evaluasi", data.staf1))
    assert "masih draf" in draft.not_signable and "belum disepakati" in skp.not_signable
    assert final.not_signable is None and final.document_id.startswith("EV-2026-TW1-")


def test_a_new_kind_is_one_registration(db, data):
    """What another document (a receipt, a decision) needs: a subject, a collector, a registration."""
    from kinerja_desktop.reports.views import ROLE_PEJABAT

    def collect(session, actor, req, members):
        view = documents.prepare(session, actor, request("evaluasi", req.subject_id)).view
        return documents.Prepared(
            kind=kind,
            request=req,
            view=view,
            employee_id=req.subject_id,
            fields={ROLE_PEJABAT: documents.FieldOwner("Penerima", view.pejabat)},
        )

    kind = documents.register(documents.DocumentKind("uji-contoh", "Dokumen uji", documents.EMPLOYEE, collect))
    try:
        assert "uji-contoh" in [k.code for k in documents.kinds("employee")]
        with db.session() as s:
            assert (
                documents.prepare(
                    s, data.kabid_p, documents.DocumentRequest("uji-contoh", data.staf1, 2026, "TW1")
                ).kind
                is kind
            )
            with pytest.raises(PermissionDenied):
                documents.prepare(s, data.outsider_p, documents.DocumentRequest("uji-contoh", data.staf1, 2026))
    finally:
        documents._KINDS.pop("uji-contoh")


@pytest.mark.parametrize("kind", UNIT_KINDS)
def test_a_recap_is_signed_by_the_head_of_the_unit_whoever_prints_it(db, data, kind):
    with db.session() as s:
        dinas = documents.prepare(s, data.kabid_p, request(kind, data.dinas))
        bidang = documents.prepare(s, data.hr, request(kind, data.bidang))
    assert dinas.not_signable is None
    assert dinas.fields["pejabat"].person.name == "Kepala Dinas" and dinas.view.signer.name == "Kepala Dinas"
    assert dinas.fields["pejabat"].employee_id == data.kadis
    if kind == "rekap-predikat":  # a Bidang without a capaian of its own is counted in its Dinas's curve
        assert bidang.view.unit_name == "Dinas Contoh" and bidang.fields["pejabat"].person.name == "Kepala Dinas"
    else:
        assert "belum tercatat" in bidang.not_signable and bidang.fields["pejabat"].person is None
