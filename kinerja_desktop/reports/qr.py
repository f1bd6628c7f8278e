"""The verification QR code printed on every document (segno), drawn as vectors.

The code carries the document id, the SHA-256 of the document's content and the
signer's NIP (empty when the document is not signed electronically):
``KINERJA:1|<document id>|<sha256 hex>|<signer NIP>``.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno

PREFIX = "KINERJA:1"
MASK = 2


@dataclass(frozen=True)
class VerificationCode:
    document_id: str
    content_sha256: str
    signer_nip: str = ""

    def payload(self) -> str:
        return "|".join((PREFIX, self.document_id, self.content_sha256, self.signer_nip))

    def short(self) -> str:
        """What is printed beside the QR code for typing by hand."""
        return f"{self.document_id} · {self.content_sha256[:16]}"

    @classmethod
    def parse(cls, payload: str) -> "VerificationCode":
        parts = payload.strip().split("|")
        if len(parts) != 4 or parts[0] != PREFIX:
            raise ValueError("not a Kinerja Desktop verification code")
        return cls(parts[1], parts[2], parts[3])


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
