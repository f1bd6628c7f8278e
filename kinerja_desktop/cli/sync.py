"""``kinerja sync export|import|status|conflicts|resolve``: bundle files by hand (USB, e-mail)."""

from __future__ import annotations

import argparse
import json

from kinerja_desktop.cli import EXIT_OK, database_target
from kinerja_desktop.cli.progress import run_with_progress
from kinerja_desktop.i18n import _
from kinerja_desktop.store.database import open_database
from kinerja_desktop.sync.conflicts import list_conflicts, resolve_conflict
from kinerja_desktop.sync.export import export_bundle_job
from kinerja_desktop.sync.hlc_guard import clock_warning
from kinerja_desktop.sync.importer import import_bundle_file_job
from kinerja_desktop.sync.reasons import reason_label
from kinerja_desktop.sync.status import sync_status


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sync", help=_("sinkronisasi dengan berkas bundel"))
    ssub = p.add_subparsers(dest="sync_command", metavar="SUBCOMMAND", required=True)
    e = ssub.add_parser("export", help=_("tulis bundel perubahan yang belum diterima tujuan"))
    e.add_argument("-o", "--output", required=True, metavar="FILE.kinerja")
    e.add_argument("--to", metavar="SITE", help=_("situs tujuan (untuk kantor pusat)"))
    e.add_argument("--full", action="store_true", help=_("kirim semua data, bukan hanya perubahan"))
    e.set_defaults(handler=export)
    i = ssub.add_parser("import", help=_("terapkan bundel yang diterima"))
    i.add_argument("file", metavar="FILE.kinerja")
    i.add_argument("-o", "--ack", metavar="ACK.kinerja", help=_("tempat tanda terima (bawaan: di samping berkas)"))
    i.add_argument(
        "--fingerprint",
        metavar="XXXX XXXX ...",
        help=_("sidik jari kunci kantor pusat seperti dibacakan BKPSDM (wajib untuk pendaftaran pertama)"),
    )
    i.add_argument(
        "--daftar-ulang",
        dest="reenroll",
        action="store_true",
        help=_("administrator: terima bundel pendaftaran baru dari kantor pusat yang sama"),
    )
    i.set_defaults(handler=import_)
    s = ssub.add_parser("status", help=_("identitas, pendaftaran, perubahan tertunda, riwayat"))
    s.set_defaults(handler=status)
    c = ssub.add_parser("conflicts", help=_("daftar konflik yang belum diselesaikan"))
    c.add_argument("--json", action="store_true", help=_("keluaran JSON"))
    c.set_defaults(handler=conflicts)
    r = ssub.add_parser("resolve", help=_("selesaikan konflik: pertahankan satu versi"))
    r.add_argument("id", type=int)
    r.add_argument("--keep", required=True, choices=("local", "incoming"))
    r.set_defaults(handler=resolve)


def _open(args):

    return open_database(database_target(args), create=False)


def export(args: argparse.Namespace) -> int:

    db = _open(args)
    try:
        warning = clock_warning(db.clock)
        if warning:  # the bundle's stamps come from this clock: say so before writing it
            print(_("Peringatan: {w}").format(w=warning))
        result = run_with_progress(export_bundle_job(db, args.to, full=args.full, path=args.output))
    finally:
        db.close()
    print(
        _("Bundel {id} untuk {site} ditulis ke {path}: {n} perubahan, {size} byte.").format(
            id=result.bundle_id[:8], site=result.target_site, path=result.path, n=result.total, size=result.size
        )
    )
    return EXIT_OK


def import_(args: argparse.Namespace) -> int:

    db = _open(args)
    try:
        result = run_with_progress(
            import_bundle_file_job(
                db, args.file, ack_path=args.ack, fingerprint=args.fingerprint, reenroll=args.reenroll
            )
        )
    finally:
        db.close()
    print(result.message)
    if result.ack_path:
        print(
            _("Tanda terima untuk {site} ditulis ke {path}; kirimkan kepadanya.").format(
                site=result.source_site, path=result.ack_path
            )
        )
    return EXIT_OK


def _when(dt) -> str:
    return dt.strftime("%Y-%m-%d %H:%M") if dt else "-"


def status(args: argparse.Namespace) -> int:

    db = _open(args)
    try:
        st = sync_status(db, history_limit=10)
    finally:
        db.close()
    role = _("kantor pusat") if st.is_central else _("kantor")
    print(_("Situs: {site} ({name}, {role})").format(site=st.site_id, name=st.name or "-", role=role))
    if not st.initialized:
        print(_("Belum diinisialisasi: jalankan 'kinerja site init --code KODE --name NAMA'."))
    else:
        print(_("Sidik jari kunci: {fp}").format(fp=st.fingerprint))
    if not st.is_central:
        print(_("Terdaftar di kantor pusat: {yes}").format(yes=_("ya") if st.enrolled else _("belum")))
    if st.server_url:
        print(_("Server: {url}").format(url=st.server_url))
    if st.clock_warning:
        print(_("Peringatan: {w}").format(w=st.clock_warning))
    for p in st.peers:
        state = _("DICABUT") if p.revoked else (_("kantor pusat") if p.is_central else _("kantor"))
        print(
            _(
                "- {site} ({name}, {state}): {pending} perubahan belum diterima; tanda terima terakhir {acked}; "
                "bundel terakhir diterima {received}"
            ).format(
                site=p.site_id,
                name=p.name,
                state=state,
                pending=p.pending,
                acked=_when(p.acked_at),
                received=_when(p.received_at),
            )
        )
    print(_("Konflik terbuka: {n}").format(n=st.open_conflicts))
    for site, n in sorted(st.refused_by_site.items()):
        print(_("Perubahan dari {site} yang ditolak (di luar wewenang atau dipalsukan): {n}").format(site=site, n=n))
    for h in st.history:
        arrow = "->" if h.direction == "out" else "<-"
        print(f"  {_when(h.at)} {arrow} {h.peer} {h.kind} {h.bundle_id[:8]} {h.total} {h.size} B {h.result}")
    return EXIT_OK


def conflicts(args: argparse.Namespace) -> int:

    db = _open(args)
    try:
        with db.session() as s:
            rows = list_conflicts(s)
    finally:
        db.close()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": c.id,
                        "table": c.table_name,
                        "row_id": c.row_id,
                        "reason": c.reason,
                        "winner": c.winner,
                        "local": c.local,
                        "incoming": c.incoming,
                        "local_site": c.local_site,
                        "incoming_site": c.incoming_site,
                    }
                    for c in rows
                ],
                ensure_ascii=False,
                indent=1,
                default=str,
            )
        )
        return EXIT_OK
    if not rows:
        print(_("Tidak ada konflik."))
        return EXIT_OK
    for c in rows:
        fields = ", ".join(c.differing_fields()) or "-"
        print(
            _(
                "#{id} {table} {row}: {reason}; berlaku: {winner}; situs ini {lsite}, masuk {isite}; beda: {fields}"
            ).format(
                id=c.id,
                table=c.table_name,
                row=c.row_id[:8],
                reason=reason_label(c.reason),
                winner=_("situs ini") if c.winner == "local" else _("versi masuk"),
                lsite=c.local_site or "-",
                isite=c.incoming_site,
                fields=fields,
            )
        )
    return EXIT_OK


def resolve(args: argparse.Namespace) -> int:

    db = _open(args)
    try:
        resolve_conflict(db, args.id, args.keep)
    finally:
        db.close()
    print(_("Konflik #{id} diselesaikan.").format(id=args.id))
    return EXIT_OK
