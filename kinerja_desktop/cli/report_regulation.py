"""``kinerja report penetapan`` and ``kinerja report pak``: the documents of the regulation's own.

    kinerja report penetapan --unit CODE --year YYYY [--period P] -o OUT.pdf [--sign P12]
    kinerja report pak --nip NIP -o OUT.pdf [--sign P12]

The penetapan is signed by the leader who decided the capaian; the PAK konversi by the
employee's pejabat penilai kinerja. Collection is in the services
(``services.penetapan.penetapan_view``, ``services.angka_kredit.pak_view``).
"""

from __future__ import annotations

import argparse

from kinerja_desktop.cli.report_documents import employee_subject, make_document, unit_subject
from kinerja_desktop.i18n import _


def register_documents(rsub, sign_args) -> None:
    """Add the two subcommands to ``kinerja report`` (``sign_args`` adds --sign and its options)."""
    p = rsub.add_parser("penetapan", help=_("penetapan capaian kinerja organisasi dan distribusi predikat"))
    p.add_argument("--unit", required=True, metavar="CODE")
    p.add_argument("--year", type=int, required=True, metavar="YYYY")
    p.add_argument("--period", metavar="P", help=_("AKHIR (bawaan), TW1..TW4, S1, S2, B01..B12"))
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    sign_args(p)
    p.set_defaults(handler=penetapan)

    k = rsub.add_parser("pak", help=_("penetapan angka kredit (konversi predikat kinerja) seorang pejabat fungsional"))
    k.add_argument("--nip", required=True)
    k.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    sign_args(k)
    k.set_defaults(handler=pak)


def penetapan(args: argparse.Namespace) -> int:

    return make_document(args, "penetapan-capaian", unit_subject(args))


def pak(args: argparse.Namespace) -> int:

    return make_document(args, "pak-konversi", employee_subject(args))
