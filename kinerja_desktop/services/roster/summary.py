"""An import's report in sentences: the same words on the command line and in the window."""

from __future__ import annotations

from pathlib import Path

from kinerja_desktop.i18n import _
from kinerja_desktop.services.roster import columns as rc
from kinerja_desktop.services.roster.plan import GROUP_LABELS, GROUPS


def counts_lines(report) -> list[str]:
    """What was (or would be) added, updated, kept, rejected."""
    name, rows = Path(report.path).name, report.rows_read
    if report.dry_run:
        lines = [
            _("Hasil pemeriksaan {name} ({rows} baris dibaca):").format(name=name, rows=rows),
            _("• akan ditambahkan: {n} pegawai").format(n=report.created),
            _("• akan diperbarui: {n} pegawai").format(n=report.updated),
        ]
    else:
        lines = [
            _("Impor {name} selesai ({rows} baris dibaca):").format(name=name, rows=rows),
            _("• ditambahkan: {n} pegawai").format(n=report.created),
            _("• diperbarui: {n} pegawai").format(n=report.updated),
        ]
    lines.append(_("• tidak berubah: {n} pegawai").format(n=report.unchanged))
    if report.units_created or report.units_updated:
        lines.append(
            _("• unit kerja baru: {n}; diperbarui: {m}").format(n=report.units_created, m=report.units_updated)
        )
    if report.positions_created:
        lines.append(_("• jabatan baru: {n}").format(n=report.positions_created))
    lines.append(_("• ditolak: {n} baris").format(n=report.rejected_rows))
    if report.warnings:
        lines.append(_("• diimpor dengan catatan: {n} baris").format(n=len({w.row for w in report.warnings})))
    return lines


def group_lines(report) -> list[str]:
    """The changes by group (baru / pindah / naik pangkat / nonaktif / ...)."""
    counts = report.changes.counts
    parts = [f"{_(GROUP_LABELS[g])}: {counts[g]}" for g in GROUPS if counts[g]]
    return [_("Perubahan: {groups}.").format(groups=", ".join(parts) if parts else _("tidak ada"))]


def column_lines(report) -> list[str]:
    """Every column: the used ones with what they fill, the ignored ones grouped by reason."""
    used = [c for c in report.columns if c.kind == rc.USED]
    lines = [_("Kolom dipakai ({n}):").format(n=len(used))]
    lines += [f"  {c.header}: {c.note}" for c in used]
    ignored = report.ignored_columns
    if ignored:
        lines.append(_("Kolom diabaikan ({n}):").format(n=len(ignored)))
        by_note: dict[str, list[str]] = {}
        for c in ignored:
            by_note.setdefault(c.note, []).append(c.header)
        lines += [f"  {', '.join(headers)}: {note}" for note, headers in by_note.items()]
    return lines


def chain_lines(report, limit: int = 20) -> list[str]:
    """The derived supervisor chain: how many got a pejabat penilai, who is left without, kept links."""
    chain = report.chain
    lines: list[str] = []
    if chain.derived:
        lines.append(
            _(
                "Rantai atasan diturunkan dari unit dan jabatan (berkas tanpa NIP Atasan): {n} pegawai "
                "mendapat pejabat penilai, {m} tanpa pejabat penilai."
            ).format(n=chain.assigned, m=len(chain.without))
        )
        problems = [u for u in chain.units if u.problem]
        for view in problems[:limit]:
            lines.append(f"  {view.unit}: {view.rule}")
        if len(problems) > limit:
            lines.append(_("  … dan {n} unit lain").format(n=len(problems) - limit))
        for nip, name, unit, reason in chain.without[:limit]:
            lines.append(
                _("  tanpa pejabat penilai: {name} ({nip}), {unit}: {reason}").format(
                    name=name, nip=nip, unit=unit or "-", reason=reason
                )
            )
        if len(chain.without) > limit:
            lines.append(_("  … dan {n} pegawai lain tanpa pejabat penilai").format(n=len(chain.without) - limit))
    if chain.kept_manual:
        lines.append(
            _(
                "{n} atasan yang ditetapkan manual oleh bagian kepegawaian dipertahankan (impor tidak mengubahnya):"
            ).format(n=len(chain.kept_manual))
        )
        for nip, name, kept, proposed in chain.kept_manual[:limit]:
            lines.append(
                _("  {name} ({nip}): tetap {kept}; impor mengusulkan {proposed}").format(
                    name=name, nip=nip, kept=kept, proposed=proposed
                )
            )
    return lines
