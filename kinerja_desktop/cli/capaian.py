"""``kinerja capaian ...`` and ``kinerja angka-kredit ...``: capaian per period, and AK of one employee.

    kinerja capaian set --unit CODE --year YYYY [--period P] --value VALUE --decider NIP|kepala-daerah
                        --reference TEXT [--basis-note TEXT] [--recommendation SOURCE=VALUE]
    kinerja capaian list --year YYYY [--period P]
    kinerja angka-kredit show --nip NIP

The command line acts for HR recording the leader's decision: the deciding leader and the
reference of the decision are required, and the rules of the window apply (never the
unit's own head; the kepala daerah only for a perangkat daerah).
"""

from __future__ import annotations

import argparse
from datetime import date

from sqlalchemy import select

from kinerja_desktop.cli import EXIT_OK, database_target
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, SYSTEM, Principal
from kinerja_desktop.services.documents import views as collect
from kinerja_desktop.services.performance.angka_kredit import angka_kredit
from kinerja_desktop.services.performance.capaian import (
    CapaianDecision,
    authority,
    capaian_text,
    own_capaian,
    set_capaian,
)
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.org import Unit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("capaian", help=_("capaian kinerja organisasi per periode"))
    csub = p.add_subparsers(dest="capaian_command", metavar="SUBCOMMAND", required=True)
    s = csub.add_parser("set", help=_("catat keputusan pimpinan tentang capaian suatu unit"))
    s.add_argument("--unit", required=True, metavar="CODE")
    s.add_argument("--year", type=int, required=True, metavar="YYYY")
    s.add_argument("--period", metavar="P", help=_("AKHIR (bawaan), TW1..TW4, S1, S2, B01..B12"))
    s.add_argument("--value", required=True, help=_("Istimewa, Baik, Butuh Perbaikan, Kurang, Sangat Kurang"))
    s.add_argument(
        "--decider",
        required=True,
        metavar="NIP|kepala-daerah",
        help=_("NIP pimpinan yang menetapkan, atau kepala-daerah"),
    )
    s.add_argument("--reference", required=True, help=_("nomor dan tanggal surat/keputusan"))
    s.add_argument("--basis-note", default="", help=_("keterangan dasar penetapan"))
    s.add_argument(
        "--recommendation", metavar="SUMBER=NILAI", help=_("rekomendasi yang dipertimbangkan, misalnya pengawasan=Baik")
    )
    s.set_defaults(handler=set_value)
    ls = csub.add_parser("list", help=_("daftar capaian per unit untuk satu periode"))
    ls.add_argument("--year", type=int, required=True, metavar="YYYY")
    ls.add_argument("--period", metavar="P")
    ls.set_defaults(handler=list_values)

    a = sub.add_parser("angka-kredit", help=_("angka kredit jabatan fungsional"))
    asub = a.add_subparsers(dest="ak_command", metavar="SUBCOMMAND", required=True)
    show = asub.add_parser("show", help=_("konversi predikat dan jumlah angka kredit seorang pegawai"))
    show.add_argument("--nip", required=True)
    show.set_defaults(handler=ak_show)


def _database(args):

    return open_database(database_target(args), create=False)


def set_value(args: argparse.Namespace) -> int:

    source, recommended = "", None
    if args.recommendation:
        source, _sep, recommended = args.recommendation.partition("=")
        if not recommended:
            raise UserError(_("Tulis rekomendasi sebagai SUMBER=NILAI, misalnya pengawasan=Baik."))
    db = _database(args)
    try:
        with db.transaction() as s:
            unit = collect.unit_by_code(s, args.unit)
            period = collect.resolve_period(s, args.year, args.period)
            decision = CapaianDecision(
                args.value,
                basis_note=args.basis_note,
                recommendation_source=source.strip(),
                recommended_capaian=recommended,
                decision_reference=args.reference,
            )
            if args.decider.strip().lower() in ("kepala-daerah", "bupati"):
                kdh = authority(s, unit.id, date.today()).kepala_daerah
                if kdh is None:
                    raise UserError(
                        _("Tidak ada kepala daerah yang berwenang untuk {unit} (tercatat dan menjabat).").format(
                            unit=unit.name
                        )
                    )
                decision.decider_kepala_daerah_id = kdh.id
            else:
                decision.decider_employee_id = collect.employee_by_nip(s, args.decider).id
            actor = Principal("cli", ADMIN_KEPEGAWAIAN)  # recording the leader's decision, as HR does
            row = set_capaian(s, actor, unit.id, period.id, decision)
            print(_("Tercatat untuk {unit}: {text}").format(unit=unit.name, text=capaian_text(s, row)))
    finally:
        db.close()
    return EXIT_OK


def list_values(args: argparse.Namespace) -> int:

    db = _database(args)
    try:
        with db.session() as s:
            period = collect.resolve_period(s, args.year, args.period)
            for unit in s.scalars(select(Unit).where(Unit.deleted.is_(False)).order_by(Unit.name)):
                row = own_capaian(s, unit.id, period)
                if row is not None:
                    print(f"{unit.code}\t{unit.name}\t{capaian_text(s, row)}")
    finally:
        db.close()
    return EXIT_OK


def ak_show(args: argparse.Namespace) -> int:

    db = _database(args)
    try:
        with db.session() as s:
            ak = angka_kredit(s, SYSTEM, collect.employee_by_nip(s, args.nip).id)
            print(
                _("{name}: jenjang {jenjang}").format(
                    name=ak.employee.full_name, jenjang=ak.jenjang.label if ak.jenjang else "-"
                )
            )
            if ak.baseline is not None:
                print(
                    _("  AK awal {value} per {day} ({ref})").format(
                        value=ak.baseline.value, day=ak.baseline.as_of, ref=ak.baseline.reference or "-"
                    )
                )
            for line in ak.lines:
                print(f"  {line.label}\t{line.months} {_('bulan')}\t{line.predikat.label}\t{line.ak}")
            print(_("  Jumlah: {total}").format(total=ak.total))
            step = ak.step
            if step is not None and step.pangkat_needs is not None:
                met = _("terpenuhi") if step.meets_pangkat(ak.total) else _("belum terpenuhi")
                print(
                    _("  Kenaikan pangkat ke {g}: kebutuhan {need}, {met}").format(
                        g=step.next_golongan, need=step.pangkat_needs.value, met=met
                    )
                )
            for note in ak.notes:
                print(f"  - {note}")
    finally:
        db.close()
    return EXIT_OK
