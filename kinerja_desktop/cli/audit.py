"""``kinerja audit verify``: check the audit trail's hash chain."""

from __future__ import annotations

import argparse

from kinerja_desktop.cli import EXIT_FAILURE, EXIT_OK, database_target
from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.audit.chain import verify_chain
from kinerja_desktop.store.database import open_database
from kinerja_desktop.sync.audit_anchor import findings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help=_("jejak audit"))
    asub = p.add_subparsers(dest="audit_command", metavar="SUBCOMMAND", required=True)
    v = asub.add_parser("verify", help=_("periksa bahwa jejak audit tidak diubah"))
    v.set_defaults(handler=verify)


def verify(args: argparse.Namespace) -> int:

    db = open_database(database_target(args), create=False)
    try:
        with db.session() as s:
            report = verify_chain(s)
            anchors = findings(s)
    finally:
        db.close()
    for sentence in anchors:  # a cut or rewritten chain links up again: only the anchors held elsewhere show it
        print(sentence)
    if report.ok and not anchors:
        print(_("Jejak audit utuh: {n} entri diperiksa.").format(n=number_text(report.checked)))
        return EXIT_OK
    if report.ok:
        return EXIT_FAILURE
    reasons = {
        "missing": _("entri hilang (dihapus)"),
        "link": _("rantai hash terputus"),
        "content": _("isi entri diubah"),
    }
    print(
        _("Jejak audit rusak pada entri nomor {seq}: {reason}. {n} entri sebelumnya utuh.").format(
            seq=report.first_broken_seq, reason=reasons.get(report.reason, report.reason), n=report.checked
        )
    )
    return EXIT_FAILURE
