"""Documents of the pegawai cycle: sign-in slips and the Keputusan atas Keberatan.

Slips are rendered only from the result of creating accounts (the one-time passwords are
never stored), so the kind's ``collect`` refuses; the Keputusan is printed by whoever may
see the keberatan (the three people and HR).
"""

from __future__ import annotations

from typing import NoReturn

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.documents.registry import DocumentKind, DocumentRequest, Prepared, Subject, register
from kinerja_desktop.services.pegawai.decision_doc import keputusan_view
from kinerja_desktop.services.pegawai.keberatan import get


def _no_slips(session, actor, _id: str) -> NoReturn:
    raise UserError(_("Slip masuk hanya dicetak saat akun pegawai dibuat; atur ulang kata sandi untuk slip baru."))


def _slips(session, actor, request, _members) -> Prepared:
    _no_slips(session, actor, request.subject_id)


def _authorize_keberatan(session, actor, keberatan_id: str) -> None:
    get(session, actor, keberatan_id)


def _keputusan(session, actor, request: DocumentRequest, _members) -> Prepared:
    view, row = keputusan_view(session, actor, request.subject_id)
    return Prepared(
        kind=KEPUTUSAN,
        request=request,
        view=view,
        record_id=row.id,
        employee_id=row.employee_id,
        not_signable=_("Keputusan atas Keberatan ditandatangani basah oleh atasan pejabat penilai."),
    )


SLIPS = register(
    DocumentKind("slip-masuk", N_("Slip masuk pegawai"), Subject("accounts", _no_slips), _slips, file_code="slip-masuk")
)
KEPUTUSAN = register(
    DocumentKind(
        "keputusan-keberatan",
        N_("Keputusan atas Keberatan"),
        Subject("keberatan", _authorize_keberatan),
        _keputusan,
        file_code="keputusan",
    )
)
