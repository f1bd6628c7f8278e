"""The distribution curve (pola distribusi) of predikat within an organisation.

Guidance only: the report shows counts, percentages and which rule is off; it never
blocks saving (a unit of 3 people cannot meet percentage rules).

Edges are compared exactly with integers: "at most 70 %" passes at exactly 70 %,
"at least 60 %" passes at exactly 60 %.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from kinerja_desktop.domain.predikat import CapaianOrganisasi, Predikat, parse_capaian, parse_predikat
from kinerja_desktop.i18n import _

_SB, _B, _BP, _K, _SK = (
    Predikat.SANGAT_BAIK, Predikat.BAIK, Predikat.BUTUH_PERBAIKAN, Predikat.KURANG, Predikat.SANGAT_KURANG
)


@dataclass(frozen=True)
class _Rule:
    """One line of the table: ``group`` share compared with ``limit``."""

    group: tuple[Predikat, ...]
    op: Literal["at_most", "at_least", "some", "none"]
    percent: int = 0

    def text(self) -> str:
        names = _(" dan/atau ").join(p.label for p in self.group)
        if self.op == "at_most":
            return _("Paling banyak {percent}% {names}").format(percent=self.percent, names=names)
        if self.op == "at_least":
            return _("Paling sedikit {percent}% {names}").format(percent=self.percent, names=names)
        if self.op == "some":
            return _("Harus ada pegawai dengan predikat {names}").format(names=names)
        return _("Tidak boleh ada {names}").format(names=names)

    def holds(self, count: int, total: int) -> bool:
        if self.op == "at_most":
            return count * 100 <= self.percent * total
        if self.op == "at_least":
            return count * 100 >= self.percent * total
        if self.op == "some":
            return count >= 1
        return count == 0


# Exactly the table in the domain reference (PermenPANRB 6/2022, pola distribusi).
RULES: dict[CapaianOrganisasi, tuple[_Rule, ...]] = {
    CapaianOrganisasi.ISTIMEWA: (_Rule((_SB,), "at_most", 70),),
    CapaianOrganisasi.BAIK: (_Rule((_B,), "at_most", 70), _Rule((_BP, _K), "some")),
    CapaianOrganisasi.BUTUH_PERBAIKAN: (_Rule((_BP,), "at_least", 60), _Rule((_SB,), "at_most", 10)),
    CapaianOrganisasi.KURANG: (
        _Rule((_K,), "at_least", 60), _Rule((_BP,), "at_least", 10), _Rule((_SB,), "at_most", 10)
    ),
    CapaianOrganisasi.SANGAT_KURANG: (
        _Rule((_SK,), "at_least", 60), _Rule((_K, _BP), "at_least", 10), _Rule((_SB,), "none")
    ),
}


def _format_percent(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + "%"


@dataclass(frozen=True)
class RuleResult:
    """One rule of the curve checked against a unit's predikat.

    ``actual`` is the percentage (0-100) for percentage rules and the number of
    people for "harus ada" / "tidak boleh ada" rules (``unit`` says which).
    """

    text: str
    ok: bool
    actual: float | int
    unit: Literal["percent", "count"]
    count: int

    def actual_text(self) -> str:
        """The actual value in words: "80,0%" or "0 orang"."""
        if self.unit == "percent":
            return _format_percent(float(self.actual))
        return _("{count} orang").format(count=self.actual)


@dataclass(frozen=True)
class DistributionReport:
    """Counts, percentages and rule results for one organisation and year."""

    capaian: CapaianOrganisasi
    total: int
    counts: dict[Predikat, int]
    percentages: dict[Predikat, float]
    rules: list[RuleResult] = field(default_factory=list)
    note: str | None = None

    @property
    def ok(self) -> bool:
        """True when every rule holds (always True while nobody has a predikat)."""
        return all(rule.ok for rule in self.rules)

    @property
    def violations(self) -> list[RuleResult]:
        return [rule for rule in self.rules if not rule.ok]

    def summary_text(self) -> str:
        """One paragraph in words: which rules are off, with the actual values."""
        if self.total == 0:
            return _("Belum ada predikat.")
        capaian = self.capaian.label
        if self.ok:
            return _("Distribusi predikat sesuai pola distribusi untuk capaian organisasi {capaian}.").format(
                capaian=capaian
            )
        parts = [
            _("{rule} (saat ini {actual})").format(rule=rule.text, actual=rule.actual_text())
            for rule in self.violations
        ]
        return _("Distribusi predikat belum sesuai pola distribusi untuk capaian organisasi {capaian}: {rules}. "
                 "Ini panduan; data tetap dapat disimpan.").format(capaian=capaian, rules="; ".join(parts))


def count_predikat(items: Iterable[Predikat | str | None]) -> dict[Predikat, int]:
    """Count predikat (None entries, i.e. not yet rated, are skipped)."""
    counter = Counter(parse_predikat(item) for item in items if item is not None)
    return {p: counter.get(p, 0) for p in Predikat}


def check_distribution(
    capaian: CapaianOrganisasi | str, counts: Mapping[Predikat | str, int]
) -> DistributionReport:
    """Check a unit's predikat counts against the curve for its capaian organisasi."""
    capaian = parse_capaian(capaian)
    full: dict[Predikat, int] = {p: 0 for p in Predikat}
    for key, value in counts.items():
        number = int(value)
        if number < 0:
            raise ValueError(_("Jumlah pegawai tidak boleh negatif ({value}).").format(value=value))
        full[parse_predikat(key)] += number
    total = sum(full.values())
    percentages = {p: (full[p] * 100 / total if total else 0.0) for p in Predikat}

    results: list[RuleResult] = []
    for rule in RULES[capaian]:
        count = sum(full[p] for p in rule.group)
        is_percent = rule.op in ("at_most", "at_least")
        actual: float | int = (count * 100 / total if total else 0.0) if is_percent else count
        results.append(
            RuleResult(
                text=rule.text(),
                ok=True if total == 0 else rule.holds(count, total),
                actual=actual,
                unit="percent" if is_percent else "count",
                count=count,
            )
        )
    return DistributionReport(
        capaian=capaian,
        total=total,
        counts=full,
        percentages=percentages,
        rules=results,
        note=_("Belum ada predikat") if total == 0 else None,
    )
