"""The verification QR code printed on every document (segno), drawn as vectors.

The code carries the document id, the SHA-256 of the document's content, the signer's
NIP and the SHA-256 fingerprint of the signing certificate (both empty when the document
is not signed electronically)::

    KINERJA:2/<document id>/<SHA-256 of the content>/<signer NIP>/<certificate fingerprint>

Upper-case hex and ``/`` keep the code in the QR alphanumeric set (document ids are upper case
too), so the longer code still fits a small symbol. Version 1 (``KINERJA:1|id|sha|nip``) is still read.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno

PREFIX_V1 = "KINERJA:1"
PREFIX = "KINERJA:2"
MASK = 2


@dataclass(frozen=True)
class VerificationCode:
    document_id: str
    content_sha256: str
    signer_nip: str = ""
    #: SHA-256 of the signing certificate (hex), empty for an unsigned print.
    cert_fingerprint: str = ""

    def payload(self) -> str:
        return "/".join(
            (PREFIX, self.document_id, self.content_sha256.upper(), self.signer_nip, self.cert_fingerprint.upper())
        )

    def short(self) -> str:
        """What is printed beside the QR code for typing by hand."""
        return f"{self.document_id} · {self.content_sha256[:16]}"

    @classmethod
    def parse(cls, payload: str) -> VerificationCode:
        text = payload.strip()
        if text.startswith(PREFIX + "/"):
            parts = text.split("/")
            if len(parts) == 5:
                return cls(parts[1], parts[2].lower(), parts[3], parts[4].lower())
        parts = text.split("|")
        if len(parts) == 4 and parts[0] == PREFIX_V1:
            return cls(parts[1], parts[2], parts[3])
        raise ValueError("not a Kinerja Desktop verification code")


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR modules (True = dark), without the quiet zone."""
    # A fixed mask pattern: choosing the "best" of eight costs more than the rest of the
    # page in pure Python, and every mask gives a valid, readable code.
    code = segno.make_qr(payload, error="m", mask=MASK)
    return [[bool(v) for v in row] for row in code.matrix]


def draw_qr(canvas, matrix: list[list[bool]], x: float, y: float, size: float) -> None:
    """Draw ``matrix`` with its lower-left corner at (x, y), ``size`` points wide.

    Dark modules of a row are merged into runs and written as one path in module
    units (integers), which keeps the page small and the drawing cheap.
    """
    n = len(matrix)
    ops = []
    for r, row in enumerate(matrix):
        c = 0
        top = n - 1 - r
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                ops.append(f"{start} {top} {c - start} 1 re")
            else:
                c += 1
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.transform(size / n, 0, 0, size / n, x, y)
    canvas.addLiteral("\n".join(ops) + "\nf")
    canvas.restoreState()
