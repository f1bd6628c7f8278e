"""One entry point for every document: render a view, optionally sign it, write it.

``produce`` is what the command line, the window and the batch use: it renders the
footer's "signed electronically" notice only together with an actual signature, and
returns the bytes only after signing succeeded, so no half-signed file is ever written.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from kinerja_desktop import files
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.detailed_form import render_detailed_form
from kinerja_desktop.reports.document import RenderedDocument, SignatureMark
from kinerja_desktop.reports.jp_recap import render_jp_recap
from kinerja_desktop.reports.pak import render_pak
from kinerja_desktop.reports.pegawai_docs import KeputusanView, SlipsView, render_keputusan, render_slips
from kinerja_desktop.reports.penetapan import render_penetapan
from kinerja_desktop.reports.pengaduan import ReceiptView, render_receipt
from kinerja_desktop.reports.recap import render_recap
from kinerja_desktop.reports.short_form import render_short_form
from kinerja_desktop.reports.signing import check_signer, field_label, sign_rendered
from kinerja_desktop.reports.skp_form import render_skp
from kinerja_desktop.reports.views import (
    ROLE_PEGAWAI,
    ROLE_PEJABAT,
    DetailedFormView,
    JpRecapView,
    PakView,
    PenetapanView,
    PersonIdentity,
    RecapView,
    ShortFormView,
    SkpView,
)


def render_view(view, mark: SignatureMark | None = None) -> RenderedDocument:
    """Render any document view to PDF (unsigned)."""
    if isinstance(view, ShortFormView):
        return render_short_form(view, mark)
    if isinstance(view, DetailedFormView):
        return render_detailed_form(view, mark)
    if isinstance(view, SkpView):
        return render_skp(view, mark)
    if isinstance(view, RecapView):
        return render_recap(view, mark)
    if isinstance(view, JpRecapView):
        return render_jp_recap(view, mark)
    if isinstance(view, PenetapanView):
        return render_penetapan(view, mark)
    if isinstance(view, PakView):
        return render_pak(view, mark)

    if isinstance(view, SlipsView):  # unsigned: handed out on paper
        return render_slips(view)
    if isinstance(view, KeputusanView):  # unsigned: the atasan signs the paper
        return render_keputusan(view)

    if isinstance(view, ReceiptView):  # unsigned: no signature blocks
        pdf = render_receipt(view)
        return RenderedDocument(
            pdf=pdf,
            document_id=view.document_id,
            content_sha256=hashlib.sha256(pdf).hexdigest(),
            page_count=1,
            title=_("Tanda terima pengaduan {number}").format(number=view.number),
        )
    raise TypeError(f"no renderer for {type(view).__name__}")


def signer_of(view, role: str = ROLE_PEJABAT):
    """The person whose record the signature in ``role``'s block belongs to."""
    if role == ROLE_PEJABAT:
        return getattr(view, "pejabat", None) or getattr(view, "signer", None)
    return getattr(view, "pegawai", None)


def default_fields(view) -> dict[str, tuple[str, PersonIdentity | None]]:
    """role -> (field title, person) for a view whose kind does not say (see services.documents)."""
    if hasattr(view, "pejabat"):
        return {
            ROLE_PEJABAT: (_("Pejabat Penilai Kinerja"), view.pejabat),
            ROLE_PEGAWAI: (_("Pegawai yang Dinilai"), view.pegawai),
        }
    return {ROLE_PEJABAT: (_("Kepala Unit Kerja"), getattr(view, "signer", None))}


@dataclass
class Produced:
    pdf: bytes
    rendered: RenderedDocument
    signed: bool

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def produce(
    view,
    key=None,
    *,
    role: str = ROLE_PEJABAT,
    confirm_name_mismatch: bool = False,
    location: str | None = None,
    fields: dict | None = None,
) -> Produced:
    """Render ``view``; with a signing ``key``, sign it in ``role``'s block.

    ``fields``: role -> (title, person) of every signature field (default:
    :func:`default_fields`). Raises :class:`~kinerja_desktop.reports.signing.SignerMismatch`
    when the certificate carries another person's NIP, and
    :class:`~kinerja_desktop.reports.signing.NameMismatch` when a certificate without NIP
    names someone else and the caller has not confirmed.
    """
    if key is None:
        rendered = render_view(view)
        return Produced(rendered.pdf, rendered, False)

    fields = fields or default_fields(view)
    title, person = fields.get(role, (role, signer_of(view, role)))
    check_signer(key, person, title, confirm_name_mismatch=confirm_name_mismatch)
    nip = key.nip or (person.nip_raw if person is not None else "")
    rendered = render_view(view, key.mark(nip))
    labels = {r: field_label(t, p) for r, (t, p) in fields.items()}
    pdf = sign_rendered(
        rendered,
        key,
        role,
        location=location or getattr(view, "place", None),
        labels=labels,
        signer_nip=nip,
        nip_label=person.nip_label if person is not None else "NIP",
    )
    return Produced(pdf, rendered, True)


def check_output_path(path: str | os.PathLike) -> Path:
    """Refuse an output path that cannot be written, before any work is done."""
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise UserError(
            _("{path} adalah folder; berikan nama berkas PDF, misalnya {path}/dokumen.pdf.").format(path=target)
        )
    if not folder.is_dir():
        raise UserError(
            _("Folder {folder} tidak ada. Buat foldernya dulu atau pilih tempat lain.").format(folder=folder)
        )
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise UserError(
            _("Tidak dapat menulis ke {path}: tidak ada izin menulis. Pilih folder lain.").format(path=target)
        )
    return target


def write_pdf(path: str | os.PathLike, data: bytes) -> Path:
    """Write atomically (a temporary file renamed into place): never a half-written PDF."""
    target = check_output_path(path)
    try:
        files.write_atomic(target, data)
    except OSError as exc:
        raise UserError(
            _("Tidak dapat menulis ke {path} ({reason}). Pilih folder lain.").format(
                path=target, reason=exc.strerror or exc
            )
        ) from None
    return target
