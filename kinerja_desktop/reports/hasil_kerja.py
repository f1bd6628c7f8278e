"""The HASIL KERJA table of the SKP and of the evaluation forms, with the columns of the lampiran.

PermenPANRB 6/2022, lampiran (format SKP and evaluasi kinerja):

- non-JPT, kuantitatif: NO | RENCANA HASIL KERJA PIMPINAN YANG DIINTERVENSI | RENCANA HASIL
  KERJA | ASPEK | INDIKATOR KINERJA INDIVIDU | TARGET
- non-JPT, kualitatif: NO | RENCANA HASIL KERJA PIMPINAN YANG DIINTERVENSI | RENCANA HASIL
  KERJA | UKURAN KEBERHASILAN/INDIKATOR KINERJA INDIVIDU, DAN TARGET
- JPT: NO | RENCANA HASIL KERJA | INDIKATOR KINERJA INDIVIDU | TARGET | PERSPEKTIF (kualitatif:
  the indicator and target in one column, as above)

The evaluation forms add REALISASI BERDASARKAN BUKTI DUKUNG and UMPAN BALIK BERKELANJUTAN
BERDASARKAN BUKTI DUKUNG. The RHK columns of a row repeat for each IKI of one RHK; they
are printed once, without a line between the IKI rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Table

from kinerja_desktop.i18n import N_, _
from kinerja_desktop.reports.styles import GROUP_BG, para, row_split, table_style_grid


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # an N_() source string
    width_mm: float | None  # None: takes what the others leave
    per_rhk: bool = False  # the same for every IKI of one RHK (printed once)
    style: str = "cell"


_NO = Column("no", N_("NO"), 8, True, "cell_center")
_LEADER = Column("rhk_pimpinan", N_("RENCANA HASIL KERJA PIMPINAN YANG DIINTERVENSI"), 40, True)
_RHK = Column("rhk", N_("RENCANA HASIL KERJA"), 42, True)
_ASPEK = Column("aspek", N_("ASPEK"), 18)
_IKI = Column("iki", N_("INDIKATOR KINERJA INDIVIDU"), 42)
_TARGET = Column("target", N_("TARGET"), 22, style="cell_center")
_UKURAN = Column("iki_target", N_("UKURAN KEBERHASILAN/ INDIKATOR KINERJA INDIVIDU, DAN TARGET"), 62)
_PERSPEKTIF = Column("perspektif", N_("PERSPEKTIF"), 28, True)
_REALISASI = Column("realisasi", N_("REALISASI BERDASARKAN BUKTI DUKUNG"), 42)
_UMPAN = Column("umpan_balik", N_("UMPAN BALIK BERKELANJUTAN BERDASARKAN BUKTI DUKUNG"), None)


def columns(*, is_jpt: bool, kualitatif: bool, with_realisasi: bool) -> list[Column]:
    """The columns of the lampiran for this kind of SKP (see the module docstring)."""
    if is_jpt:
        cols = [_NO, Column("rhk", _RHK.header, 55, True)]
        cols += (
            [Column("iki_target", _UKURAN.header, 70)]
            if kualitatif
            else [Column("iki", _IKI.header, 55), Column("target", _TARGET.header, 26, style="cell_center")]
        )
        cols.append(_PERSPEKTIF)
    else:
        cols = [_NO, _LEADER, _RHK] + ([_UKURAN] if kualitatif else [_ASPEK, _IKI, _TARGET])
    if with_realisasi:
        cols += [_REALISASI, _UMPAN]
    else:  # the last column of the SKP takes the rest of the width
        last = cols[-1]
        cols[-1] = Column(last.key, last.header, None, last.per_rhk, last.style)
    return cols


def _value(row, key: str, is_jpt: bool) -> str:
    if key == "perspektif":
        return row.rhk_pimpinan if is_jpt else ""
    if key == "iki_target":
        target = (row.target or "").strip()
        return f"{row.iki}\n{_('Target')}: {target}" if target else row.iki
    return getattr(row, key, "")


def hasil_kerja_table(
    groups,
    width: float,
    *,
    is_jpt: bool,
    kualitatif: bool,
    with_realisasi: bool,
    split_rows: bool = False,
    numbered: bool = False,
) -> Table:
    """The table for ``groups`` ((title, rows) pairs: "A. UTAMA", "B. TAMBAHAN")."""
    cols = columns(is_jpt=is_jpt, kualitatif=kualitatif, with_realisasi=with_realisasi)
    fixed = sum(c.width_mm for c in cols if c.width_mm) * mm
    widths = [c.width_mm * mm if c.width_mm else width - fixed for c in cols]
    rows = [[para(_(c.header), "cell_head") for c in cols]]
    header_rows = 1
    if numbered:
        rows.append([para(str(i), "cell_center") for i in range(1, len(cols) + 1)])
        header_rows = 2
    style = table_style_grid(header_rows=header_rows)
    for group in groups:
        start = len(rows)
        rows.append([para(group.title, "cell_bold")] + [""] * (len(cols) - 1))
        style += [("SPAN", (0, start), (-1, start)), ("BACKGROUND", (0, start), (-1, start), GROUP_BG)]
        if not group.rows:
            rows.append([para("-", "cell_center"), para(_("Tidak ada"))] + [""] * (len(cols) - 2))
        previous = None
        for row in group.rows:
            same = previous is not None and (row.no, row.rhk) == (previous.no, previous.rhk)
            rows.append([para("" if (same and c.per_rhk) else _value(row, c.key, is_jpt), c.style) for c in cols])
            if same:
                r = len(rows) - 1
                for i, c in enumerate(cols):
                    if c.per_rhk:  # the IKI of one RHK: no line across the RHK's columns
                        style.append(("LINEABOVE", (i, r), (i, r), 0.6, colors.white))
            previous = row
    table = Table(rows, colWidths=widths, repeatRows=header_rows, **row_split(split_rows))
    table.setStyle(style)
    return table
