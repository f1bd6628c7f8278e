"""Importing complaints from other channels: SP4N-LAPOR! exports and spreadsheets (CSV/XLSX).

Two steps, as in the window's wizard: :func:`preview` reads the header, proposes which column
holds which field (:func:`guess_mapping`; columns it does not know are listed and ignored)
and the person corrects the mapping; :func:`import_complaints` then records every valid row
(state *diterima*, deadlines from the service) and reports every rejected one with its row,
column, value and reason, also in ``<file>.galat.csv``. Rejected: a reference already in the
register or twice in the file (duplicates are found by channel + reference), a date in the
future or unreadable, a service or unit not of this office, an empty description.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop import files
from kinerja_desktop.domain import pengaduan as rules
from kinerja_desktop.domain.dates import parse_date_flexible
from kinerja_desktop.errors import PermissionDenied, UnusableInput, UserError
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.pengaduan.access import manages_complaints, office_unit_ids
from kinerja_desktop.services.pengaduan.cases import (
    CLOCK_SLACK,
    ComplaintInput,
    ComplaintRefused,
    create_complaint,
    now_wib,
)
from kinerja_desktop.services.progress import Job, Progress
from kinerja_desktop.services.tabular import open_table
from kinerja_desktop.store.org import Unit
from kinerja_desktop.store.pengaduan import Complaint, ComplaintService

ERROR_SUFFIX = ".galat.csv"
MAX_ROWS = 100_000
PROGRESS_EVERY = 500

#: field -> label (shown in the mapping step)
FIELDS: dict[str, str] = {
    "channel_ref": N_("Nomor rujukan (Tracking ID)"),
    "received_at": N_("Tanggal diterima"),
    "title": N_("Judul"),
    "description": N_("Uraian"),
    "service": N_("Layanan / kategori"),
    "unit": N_("Unit kerja (kode atau nama)"),
    "location": N_("Lokasi"),
    "contact": N_("Kontak (telepon/e-mail)"),
    "contact_name": N_("Nama pelapor"),
    "channel": N_("Saluran"),
}
REQUIRED = ("channel_ref", "received_at", "description")
#: Header words (lower case, single spaces) -> field: the program's own export, SP4N-LAPOR!
#: exports and the usual spreadsheet headings.
ALIASES: dict[str, str] = {
    "nomor rujukan": "channel_ref",
    "no rujukan": "channel_ref",
    "tracking id": "channel_ref",
    "tracking": "channel_ref",
    "no tracking": "channel_ref",
    "no. tracking": "channel_ref",
    "nomor tracking": "channel_ref",
    "id laporan": "channel_ref",
    "nomor laporan": "channel_ref",
    "nomor surat": "channel_ref",
    "rujukan": "channel_ref",
    "tanggal diterima": "received_at",
    "tanggal": "received_at",
    "tanggal laporan": "received_at",
    "waktu": "received_at",
    "waktu laporan": "received_at",
    "tanggal masuk": "received_at",
    "diterima": "received_at",
    "judul": "title",
    "judul laporan": "title",
    "uraian": "description",
    "isi laporan": "description",
    "isi": "description",
    "isi pengaduan": "description",
    "pengaduan": "description",
    "keterangan": "description",
    "layanan": "service",
    "kategori": "service",
    "jenis layanan": "service",
    "kategori laporan": "service",
    "unit": "unit",
    "unit kerja": "unit",
    "instansi tujuan": "unit",
    "disposisi": "unit",
    "opd": "unit",
    "lokasi": "location",
    "alamat kejadian": "location",
    "kontak": "contact",
    "telepon": "contact",
    "no hp": "contact",
    "no. hp": "contact",
    "nomor telepon": "contact",
    "email": "contact",
    "e-mail": "contact",
    "nama pelapor": "contact_name",
    "pelapor": "contact_name",
    "nama": "contact_name",
    "saluran": "channel",
    "sumber": "channel",
    "kanal": "channel",
}
CHANNEL_WORDS = {
    "sp4n-lapor!": "lapor",
    "sp4n lapor": "lapor",
    "lapor!": "lapor",
    "lapor": "lapor",
    "loket": "loket",
    "langsung": "loket",
    "telepon": "telepon",
    "whatsapp": "whatsapp",
    "wa": "whatsapp",
    "surat": "surat",
    "media sosial": "media_sosial",
    "medsos": "media_sosial",
    "web": "web",
}


def _key(text: str) -> str:
    return " ".join(str(text or "").replace("_", " ").split()).lower().rstrip(":")


def guess_mapping(headers: list[str]) -> dict[int, str]:
    """Column index -> field for the headers it recognises (each field once, first column wins)."""
    out: dict[int, str] = {}
    taken: set[str] = set()
    for i, h in enumerate(headers):
        f = ALIASES.get(_key(h))
        if f and f not in taken:
            out[i] = f
            taken.add(f)
    return out


def _is_header(cells: list[str]) -> bool:
    return sum(1 for c in cells if _key(c) in ALIASES) >= 2


@dataclass
class Preview:
    path: Path
    headers: list[str]
    mapping: dict[int, str]
    sample: list[list[str]]
    estimated_rows: int | None
    #: Headers no field was proposed for (they are ignored unless mapped).
    unknown: list[str]


def preview(path: str | Path, sample_rows: int = 8) -> Preview:
    """The header, the proposed mapping and a few rows (nothing is written)."""
    with open_table(path, _is_header) as table:
        sample = []
        for _n, cells in table.rows:
            sample.append(["" if c is None else str(c) for c in cells])
            if len(sample) >= sample_rows:
                break
        mapping = guess_mapping(table.headers)
        unknown = [h for i, h in enumerate(table.headers) if i not in mapping and h]
        return Preview(Path(path), list(table.headers), mapping, sample, table.estimated_rows, unknown)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    rejected: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    error_file: Path | None = None
    dry_run: bool = False
    numbers: list[str] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        return len({e.row for e in self.rejected})


def _as_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0))
    text = " ".join(str(value or "").split())
    if not text:
        raise ValueError(_("Tanggal diterima belum diisi."))
    clock = time(0, 0)
    parts = text.rsplit(" ", 1)
    if len(parts) == 2 and (":" in parts[1] or parts[1].count(".") == 1):
        hm = parts[1].replace(".", ":").split(":")
        try:
            clock = time(int(hm[0]), int(hm[1]), int(hm[2]) if len(hm) > 2 else 0)
            text = parts[0]
        except (ValueError, IndexError):
            raise ValueError(_("Jam '{value}' tidak dikenali.").format(value=parts[1])) from None
    return datetime.combine(parse_date_flexible(text), clock)


class _Resolver:
    """Finds the service and unit a row names, within this office."""

    def __init__(self, session: Session) -> None:
        scope = office_unit_ids(session)
        units = session.execute(select(Unit.id, Unit.code, Unit.name).where(Unit.deleted.is_(False))).all()
        self.units: dict[str, str] = {}
        for uid, code, name in units:
            if scope is None or uid in scope:
                self.units.setdefault(_key(code), uid)
                self.units.setdefault(_key(name), uid)
        self.services: dict[tuple[str, str], str] = {}
        self.services_any: dict[str, list[str]] = {}
        for sid, unit_id, code, name in session.execute(
            select(ComplaintService.id, ComplaintService.unit_id, ComplaintService.code, ComplaintService.name).where(
                ComplaintService.deleted.is_(False)
            )
        ):
            if scope is not None and unit_id not in scope:
                continue
            for k in {_key(code), _key(name)}:
                self.services[(unit_id, k)] = sid
                self.services_any.setdefault(k, []).append(sid)

    def resolve(self, service: str, unit: str, default_unit: str | None) -> tuple[str | None, str | None, str]:
        """(service id, unit id, error column) for a row."""
        unit_id = self.units.get(_key(unit)) if unit else default_unit
        if unit and unit_id is None:
            return None, None, "unit"
        if service:
            if unit_id:
                sid = self.services.get((unit_id, _key(service)))
                if sid:
                    return sid, unit_id, ""
            else:
                found = self.services_any.get(_key(service), [])
                if len(found) == 1:
                    return found[0], None, ""
        if unit_id:
            return None, unit_id, ""
        return None, None, "service" if service else "unit"


def _cells(cells, mapping: dict[int, str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for i, f in mapping.items():
        out[f] = cells[i] if i < len(cells) else None
    return out


def _text(v) -> str:
    return "" if v is None else str(v).strip()


def import_complaints(
    session: Session,
    actor: Principal,
    path: str | Path,
    *,
    mapping: dict[int, str] | None = None,
    channel: str = "lapor",
    default_unit_id: str | None = None,
    dry_run: bool = False,
) -> Job[ImportReport]:
    """Record the valid rows of ``path`` (in the caller's transaction); a job yielding progress."""
    if not manages_complaints(actor):
        raise PermissionDenied(_("Hanya admin kepegawaian atau administrator yang mengimpor pengaduan."))
    if channel not in rules.CHANNELS:
        raise UnusableInput(_("Saluran '{channel}' tidak dikenal.").format(channel=channel))
    path = Path(path)
    report = ImportReport(dry_run=dry_run)
    now = now_wib()
    resolver = _Resolver(session)
    with open_table(path, _is_header) as table:
        mapping = dict(mapping) if mapping is not None else guess_mapping(table.headers)
        unknown_fields = sorted(set(mapping.values()) - set(FIELDS))
        if unknown_fields:
            raise UnusableInput(
                _("Pemetaan kolom memakai isian yang tidak dikenal: {f}.").format(f=", ".join(unknown_fields))
            )
        missing = [f for f in REQUIRED if f not in mapping.values()]
        if missing:
            raise UnusableInput(
                _(
                    "Kolom untuk {fields} belum ditentukan; tentukan di langkah pemetaan kolom. Tidak ada yang diimpor."
                ).format(fields=", ".join(_(FIELDS[f]) for f in missing))
            )
        report.ignored_columns = [h for i, h in enumerate(table.headers) if i not in mapping and h]
        header_of = {f: table.headers[i] if i < len(table.headers) else f for i, f in mapping.items()}
        seen: set[tuple[str, str]] = set()
        existing = _existing_refs(session)
        done = 0
        for row_no, cells in table.rows:
            done += 1
            if done > MAX_ROWS:
                raise UnusableInput(
                    _(
                        "Berkas ini berisi lebih dari {n} baris; pisahkan menjadi beberapa berkas. "
                        "Tidak ada yang diimpor."
                    ).format(n=MAX_ROWS)
                )
            values = _cells(cells, mapping)
            if not any(_text(v) for v in values.values()):
                continue
            err = _import_row(
                session,
                actor,
                report,
                row_no,
                values,
                header_of,
                channel,
                default_unit_id,
                resolver,
                seen,
                existing,
                now,
            )
            if err:
                report.rejected.append(err)
            if done % PROGRESS_EVERY == 0:
                yield Progress(done, table.estimated_rows, _("Mengimpor pengaduan…"))
    report.error_file = _write_errors(path, report.rejected)
    return report


def _existing_refs(session: Session) -> set[tuple[str, str]]:
    return {
        (c, _key(r or ""))
        for c, r in session.execute(
            select(Complaint.channel, Complaint.channel_ref).where(
                Complaint.channel_ref.is_not(None), Complaint.deleted.is_(False)
            )
        )
    }


def _import_row(
    session, actor, report, row_no, values, header_of, channel, default_unit_id, resolver, seen, existing, now
) -> RowError | None:
    def bad(f: str, reason: str) -> RowError:
        return RowError(row_no, header_of.get(f, f), _text(values.get(f))[:200], reason)

    row_channel = channel
    if "channel" in values and _text(values["channel"]):
        row_channel = CHANNEL_WORDS.get(_key(values["channel"]), "")
        if not row_channel:
            return bad("channel", _("saluran tidak dikenal"))
    ref = _text(values.get("channel_ref"))
    if not ref:
        return bad("channel_ref", _("nomor rujukan kosong: duplikat tidak dapat diperiksa"))
    key = (row_channel, _key(ref))
    if key in existing:
        return bad("channel_ref", _("sudah ada di register (nomor rujukan yang sama dari saluran ini)"))
    if key in seen:
        return bad("channel_ref", _("nomor rujukan ini muncul lebih dari sekali dalam berkas"))
    try:
        received = _as_datetime(values.get("received_at"))
    except ValueError as exc:
        return bad("received_at", str(exc))
    if received > now + CLOCK_SLACK:
        return bad("received_at", _("tanggal di masa depan"))
    if received.year < 2000:
        return bad("received_at", _("tanggal sebelum tahun 2000"))
    service_id, unit_id, where = resolver.resolve(
        _text(values.get("service")), _text(values.get("unit")), default_unit_id
    )
    if where:
        return bad(
            where,
            _("layanan atau unit ini tidak ada di kantor ini; tambahkan di katalog layanan atau pilih unit bawaan"),
        )
    title = _text(values.get("title"))
    description = _text(values.get("description"))
    if title and description and not description.startswith(title):
        description = f"{title}\n{description}"
    data = ComplaintInput(
        channel=row_channel,
        description=description or title,
        unit_id=unit_id,
        service_id=service_id,
        received_at=received,
        location=_text(values.get("location")),
        contact=_text(values.get("contact")),
        contact_name=_text(values.get("contact_name")),
        channel_ref=ref,
    )
    try:  # every check runs before anything is written, so a refused row leaves nothing behind
        row = create_complaint(session, actor, data, now=now)
    except (ComplaintRefused, UserError) as exc:
        return bad(getattr(exc, "field", "") or "description", exc.message)
    seen.add(key)
    report.created += 1
    report.numbers.append(row.number)
    return None


def error_file_for(path: Path) -> Path:
    return path.with_name(path.stem + ERROR_SUFFIX)


def _write_errors(path: Path, errors: list[RowError]) -> Path | None:
    target = error_file_for(path)
    if not errors:
        if target.exists():
            target.unlink()
        return None
    with files.atomic_writer(target, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow((_("Baris"), _("Kolom"), _("Nilai"), _("Alasan")))
        for e in sorted(errors, key=lambda e: e.row):
            w.writerow((e.row, e.column, e.value, e.reason))
    return target
