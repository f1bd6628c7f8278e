"""Umpan balik berkelanjutan and the dialog kinerja log of an SKP.

Notes are dated and are about one RHK or one BerAKHLAK value. Both are written by the
pejabat penilai (chain), in an open period; every write is audited.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.berakhlak import BERAKHLAK_CODES
from kinerja_desktop.errors import NotFound, UserError
from kinerja_desktop.formatting import date_words
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.performance_access import require_write
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.audit.chain import record, snapshot
from kinerja_desktop.services.performance.periods import ensure_open, get_period
from kinerja_desktop.services.performance.skp import get_skp
from kinerja_desktop.store.feedback import DialogMeeting, FeedbackNote
from kinerja_desktop.store.skp import Rhk, Skp

DIALOG_STAGES = {"perencanaan": N_("Perencanaan"), "pemantauan": N_("Pemantauan"), "penilaian": N_("Penilaian")}
_NOTE_FIELDS = ("skp_id", "rhk_id", "value_code", "noted_on", "text", "author")
_DIALOG_FIELDS = ("skp_id", "held_on", "stage", "topic", "notes", "recorded_by")


def writable_skp(session: Session, actor: Principal, skp_id: str) -> Skp:
    """The SKP, if ``actor`` may add feedback, evidence or dialogs to it now."""
    skp = session.get(Skp, skp_id)
    if skp is None or skp.deleted:
        raise NotFound(_("SKP yang diminta tidak ada (mungkin sudah dihapus)."))
    require_write(session, actor, skp.employee_id)
    ensure_open(get_period(session, skp.period_id))
    return skp


def _check_day(skp: Skp, day: date) -> None:
    if day.year != skp.year:
        raise UserError(_("Tanggal {day} berada di luar tahun SKP {year}.").format(day=date_words(day), year=skp.year))


def add_feedback(
    session: Session,
    actor: Principal,
    skp_id: str,
    text: str,
    noted_on: date,
    *,
    rhk_id: str | None = None,
    value_code: str | None = None,
) -> FeedbackNote:
    """A dated note about one RHK of the SKP or one BerAKHLAK value."""
    skp = writable_skp(session, actor, skp_id)
    if bool(rhk_id) == bool(value_code):
        raise UserError(_("Umpan balik harus tentang satu RHK atau satu nilai BerAKHLAK."))
    if rhk_id:
        rhk = session.get(Rhk, rhk_id)
        if rhk is None or rhk.deleted or rhk.skp_id != skp.id:
            raise UserError(_("RHK yang dipilih bukan bagian dari SKP ini."))
    if value_code and value_code not in BERAKHLAK_CODES:
        raise UserError(_("Nilai BerAKHLAK '{value}' tidak dikenal.").format(value=value_code))
    if not text.strip():
        raise UserError(_("Isi umpan balik masih kosong."))
    _check_day(skp, noted_on)
    note = FeedbackNote(
        skp_id=skp.id, rhk_id=rhk_id, value_code=value_code, noted_on=noted_on, text=text.strip(), author=actor.username
    )
    session.add(note)
    session.flush()
    record(session, actor, "create", FeedbackNote.__tablename__, note.id, None, snapshot(note, _NOTE_FIELDS))
    return note


def list_feedback(
    session: Session,
    actor: Principal,
    skp_id: str,
    *,
    rhk_id: str | None = None,
    value_code: str | None = None,
    until: date | None = None,
) -> list[FeedbackNote]:
    """Notes of an SKP (optionally of one RHK or value, up to a day), oldest first."""
    get_skp(session, actor, skp_id)
    q = select(FeedbackNote).where(FeedbackNote.skp_id == skp_id, FeedbackNote.deleted.is_(False))
    if rhk_id:
        q = q.where(FeedbackNote.rhk_id == rhk_id)
    if value_code:
        q = q.where(FeedbackNote.value_code == value_code)
    if until:
        q = q.where(FeedbackNote.noted_on <= until)
    return list(session.scalars(q.order_by(FeedbackNote.noted_on, FeedbackNote.updated_hlc)))


def add_dialog(
    session: Session,
    actor: Principal,
    skp_id: str,
    held_on: date,
    topic: str,
    notes: str = "",
    stage: str = "pemantauan",
) -> DialogMeeting:
    """Log a dialog kinerja meeting."""
    skp = writable_skp(session, actor, skp_id)
    if stage not in DIALOG_STAGES:
        raise UserError(_("Tahap dialog kinerja harus perencanaan, pemantauan, atau penilaian."))
    if not topic.strip():
        raise UserError(_("Topik dialog kinerja masih kosong."))
    _check_day(skp, held_on)
    row = DialogMeeting(
        skp_id=skp.id,
        held_on=held_on,
        stage=stage,
        topic=topic.strip(),
        notes=notes.strip(),
        recorded_by=actor.username,
    )
    session.add(row)
    session.flush()
    record(session, actor, "create", DialogMeeting.__tablename__, row.id, None, snapshot(row, _DIALOG_FIELDS))
    return row


def list_dialogs(session: Session, actor: Principal, skp_id: str) -> list[DialogMeeting]:
    get_skp(session, actor, skp_id)
    return list(
        session.scalars(
            select(DialogMeeting)
            .where(DialogMeeting.skp_id == skp_id, DialogMeeting.deleted.is_(False))
            .order_by(DialogMeeting.held_on)
        )
    )
