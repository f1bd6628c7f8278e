"""The distribution curve (pola distribusi) of predikat within an organisation.

PermenPANRB 6/2022, lampiran (pola distribusi predikat kinerja pegawai): the capaian
kinerja organisasi shapes how the predikat of the employees *below the head* of that
organisation may be spread. Every condition of the five patterns is a rule here, the
"sebagian besar" (a majority: more than half) ones included:

- Istimewa: sebagian besar (maksimal 70 %) Sangat Baik;
- Baik: sebagian besar (maksimal 70 %) Baik, and some Butuh Perbaikan and/or
  Kurang/Misconduct (the rest may be Sangat Baik or Sangat Kurang);
- Butuh Perbaikan: at least 60 % Butuh Perbaikan, at most 10 % Sangat Baik;
- Kurang: at least 60 % Kurang/Misconduct, at least 10 % Butuh Perbaikan, at most
  10 % Sangat Baik;
- Sangat Kurang: at least 60 % Sangat Kurang, at least 10 % Kurang/Misconduct and/or
  Butuh Perbaikan, no Sangat Baik.

Guidance only: the report shows counts, percentages and which rule is off; it never
blocks saving (a unit of 3 people cannot meet percentage rules).

Edges are compared exactly with integers: "at most 70 %" passes at exactly 70 %,
"at least 60 %" passes at exactly 60 %, "sebagian besar" needs strictly more than half
(exactly 50 % is not a majority).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from kinerja_desktop.domain.predikat import CapaianOrganisasi, Predikat, parse_capaian, parse_predikat
from kinerja_desktop.i18n import _

_SB, _B, _BP, _K, _SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)


@dataclass(frozen=True)
class _Rule:
    """One line of the table: ``group`` share compared with ``limit``."""

    group: tuple[Predikat, ...]
    op: Literal["majority", "at_most", "at_least", "some", "none"]
    percent: int = 0

    def text(self) -> str:
        names = _(" dan/atau ").join(p.label for p in self.group)
        if self.op == "majority":
            return _("Sebagian besar (lebih dari 50%) {names}").format(names=names)
        if self.op == "at_most":
            return _("Paling banyak {percent}% {names}").format(percent=self.percent, names=names)
        if self.op == "at_least":
            return _("Paling sedikit {percent}% {names}").format(percent=self.percent, names=names)
        if self.op == "some":
            return _("Harus ada pegawai dengan predikat {names}").format(names=names)
        return _("Tidak boleh ada {names}").format(names=names)

    def holds(self, count: int, total: int) -> bool:
        if self.op == "majority":
            return count * 2 > total
        if self.op == "at_most":
            return count * 100 <= self.percent * total
        if self.op == "at_least":
            return count * 100 >= self.percent * total
        if self.op == "some":
            return count >= 1
        return count == 0

    @property
    def is_percent(self) -> bool:
        return self.op in ("majority", "at_most", "at_least")


# Exactly the table of PermenPANRB 6/2022 (lampiran, pola distribusi), every condition.
RULES: dict[CapaianOrganisasi, tuple[_Rule, ...]] = {
    CapaianOrganisasi.ISTIMEWA: (_Rule((_SB,), "majority", 50), _Rule((_SB,), "at_most", 70)),
    CapaianOrganisasi.BAIK: (_Rule((_B,), "majority", 50), _Rule((_B,), "at_most", 70), _Rule((_BP, _K), "some")),
    CapaianOrganisasi.BUTUH_PERBAIKAN: (_Rule((_BP,), "at_least", 60), _Rule((_SB,), "at_most", 10)),
    CapaianOrganisasi.KURANG: (
        _Rule((_K,), "at_least", 60),
        _Rule((_BP,), "at_least", 10),
        _Rule((_SB,), "at_most", 10),
    ),
    CapaianOrganisasi.SANGAT_KURANG: (
        _Rule((_SK,), "at_least", 60),
        _Rule((_K, _BP), "at_least", 10),
        _Rule((_SB,), "none"),
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
        return _(
            "Distribusi predikat belum sesuai pola distribusi untuk capaian organisasi {capaian}: {rules}. "
            "Ini panduan; data tetap dapat disimpan."
        ).format(capaian=capaian, rules="; ".join(parts))


def count_predikat(items: Iterable[Predikat | str | None]) -> dict[Predikat, int]:
    """Count predikat (None entries, i.e. not yet rated, are skipped)."""
    counter = Counter(parse_predikat(item) for item in items if item is not None)
    return {p: counter.get(p, 0) for p in Predikat}


def check_distribution(
    capaian: CapaianOrganisasi | str, counts: Mapping[Predikat, int] | Mapping[str, int] | Mapping[Predikat | str, int]
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
        is_percent = rule.is_percent
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


@dataclass(frozen=True)
class ReferenceBand:
    """The share of one predikat the curve allows: from ``low`` to ``high`` percent.

    ``low_exclusive`` marks "more than" (a majority: more than 50 %). ``high`` is 0 for
    a predikat the curve excludes. The bands come from the rules alone, never from
    anyone's actual result: the detailed form prints them instead of colleagues' counts.
    """

    predikat: Predikat
    low: int
    high: int
    low_exclusive: bool = False
    high_exclusive: bool = False

    def text(self) -> str:
        if self.high == 0:
            return _("tidak ada")
        low = f"> {self.low}%" if self.low_exclusive else f"{self.low}%"
        if self.low == 0 and not self.low_exclusive:
            if self.high_exclusive:
                return _("kurang dari {high}%").format(high=self.high)
            return _("paling banyak {high}%").format(high=self.high)
        if self.high == 100:
            return _("paling sedikit {low}").format(low=low)
        return f"{low} – {self.high}%"


def reference_rules(capaian: CapaianOrganisasi | str) -> list[str]:
    """The rules of the curve for ``capaian``, in words (what the penetapan and forms cite)."""
    return [rule.text() for rule in RULES[parse_capaian(capaian)]]


def reference_bands(capaian: CapaianOrganisasi | str) -> list[ReferenceBand]:
    """For each predikat, the share the curve for ``capaian`` allows (the reference curve).

    Lower bounds are the single-predikat "sebagian besar"/"paling sedikit" rules; upper
    bounds the "paling banyak"/"tidak boleh ada" rules, and otherwise what the other
    predikat's lower bounds leave (a group rule "Kurang dan/atau Butuh Perbaikan paling
    sedikit 10 %" leaves at most 90 % to the others).
    """
    rules = RULES[parse_capaian(capaian)]
    low = {p: 0 for p in Predikat}
    strict = {p: False for p in Predikat}
    high = {p: 100 for p in Predikat}
    for rule in rules:
        if len(rule.group) == 1:
            p = rule.group[0]
            if rule.op in ("majority", "at_least"):
                low[p], strict[p] = rule.percent, rule.op == "majority"
            elif rule.op == "at_most":
                high[p] = min(high[p], rule.percent)
            elif rule.op == "none":
                high[p] = 0
    open_high = {p: False for p in Predikat}
    for p in Predikat:
        reserved = sum(low[q] for q in Predikat if q != p)
        reserved += sum(
            rule.percent for rule in rules if len(rule.group) > 1 and rule.op == "at_least" and p not in rule.group
        )
        if 100 - reserved < high[p]:
            high[p] = 100 - reserved
            open_high[p] = any(strict[q] for q in Predikat if q != p)
    return [ReferenceBand(p, low[p], max(high[p], low[p]), strict[p], open_high[p]) for p in Predikat]
