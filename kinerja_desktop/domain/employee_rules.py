"""The rules an employee record must satisfy, in one place for the form and the importer.

Pure: values in, normalized values and problems out. What needs the database (a NIP used
by someone else, a unit or supervisor that exists, a supervisor chain without loops) is
checked by the services; everything a single record can get wrong on its own is here, with
the sentences people read and the limits of the database columns.

Each check returns ``(value, problem)``: the normalized value (or ``None``) and a
:class:`Problem` (``None`` when the value is fine). A problem carries the field it belongs
to (the names of ``services.employees.EmployeeInput``), a machine-readable code
(``"nip:tmt"``, ``"status:mismatch"``, ...) and the sentence.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

from kinerja_desktop.domain.dates import parse_date_flexible
from kinerja_desktop.domain.golongan import GolonganError, normalize_golongan
from kinerja_desktop.domain.nip import Nip, NipError, parse_nip
from kinerja_desktop.i18n import N_, _

#: Longest text each field holds (the database columns' lengths).
MAX_LENGTH: dict[str, int] = {
    "name": 200,
    "front_title": 60,
    "back_title": 80,
    "position_name": 200,
    "unit_name": 200,
    "unit_code": 40,
}
#: How a field is named in a "too long" sentence.
_LENGTH_LABELS = {
    "name": N_("Nama pegawai"),
    "front_title": N_("Gelar depan"),
    "back_title": N_("Gelar belakang"),
    "position_name": N_("Nama jabatan"),
    "unit_name": N_("Nama unit kerja"),
    "unit_code": N_("Kode unit kerja"),
}
STATUSES = ("PNS", "PPPK")
GENDERS = ("L", "P")

#: Words people (and SIASN) write for a gender or a status, normalized (lower case, letters only).
_GENDER_WORDS = {
    "l": "L",
    "lk": "L",
    "laki": "L",
    "lakilaki": "L",
    "pria": "L",
    "male": "L",
    "m": "L",
    "p": "P",
    "pr": "P",
    "perempuan": "P",
    "wanita": "P",
    "female": "P",
    "f": "P",
    "w": "P",
}
_STATUS_WORDS = {"pns": "PNS", "cpns": "PNS", "pppk": "PPPK", "p3k": "PPPK"}
#: SIASN's "STATUS CPNS PNS" column writes one letter: P (PNS) or C (CPNS).
_SIASN_STATUS_LETTERS = {"p": "PNS", "c": "PNS"}


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: str


def clean_text(value: object) -> str:
    """Spaces collapsed and trimmed; ``None`` is the empty text."""
    return " ".join(str(value).split()) if value is not None else ""


def _word(text: object) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


def gender_label(gender: str) -> str:
    return _("laki-laki") if gender == "L" else _("perempuan")


def too_long(field_name: str) -> Problem:
    return Problem(
        field_name,
        "too_long",
        _("{label} terlalu panjang (paling banyak {n} karakter).").format(
            label=_(_LENGTH_LABELS[field_name]), n=MAX_LENGTH[field_name]
        ),
    )


def check_length(field_name: str, text: str) -> Problem | None:
    return too_long(field_name) if len(text) > MAX_LENGTH[field_name] else None


# --- the single fields ----------------------------------------------------------------------


def check_nip(text: str, today: date | None = None) -> tuple[Nip | None, Problem | None]:
    """The NIP / NI PPPK; the problem names its wrong part (``nip:<part>``)."""
    try:
        return parse_nip(text, today=today), None
    except NipError as exc:
        problem = Problem("nip", f"nip:{exc.part}", exc.message)
        exc.__traceback__ = None  # nothing keeps the frames alive (imports pause the garbage collector)
    return None, problem


def check_name(text: object) -> tuple[str, Problem | None]:
    name = clean_text(text)
    if not name:
        return name, Problem("name", "name:empty", _("Nama pegawai belum diisi."))
    return name, check_length("name", name)


def check_title(field_name: str, text: object) -> tuple[str, Problem | None]:
    """A front or back title (``front_title`` / ``back_title``)."""
    title = clean_text(text)
    return title, check_length(field_name, title)


def check_position_name(text: object) -> tuple[str, Problem | None]:
    name = clean_text(text)
    return name, check_length("position_name", name)


def parse_gender(text: object) -> str | None:
    """``"Laki-laki"``, ``"L"``, ``"M"`` -> ``"L"``; ``"Perempuan"``, ``"F"`` -> ``"P"``; else None."""
    return _GENDER_WORDS.get(_word(text))


def parse_status(text: object, *, siasn_letters: bool = False) -> str | None:
    """``"pns"``, ``"CPNS"`` -> ``"PNS"``; ``"P3K"`` -> ``"PPPK"``; else None.

    ``siasn_letters``: also SIASN's one-letter P (PNS) and C (CPNS).
    """
    word = _word(text)
    found = _STATUS_WORDS.get(word)
    if found is None and siasn_letters:
        found = _SIASN_STATUS_LETTERS.get(word)
    return found


def check_status(given: object, nip: Nip | None, *, siasn_letters: bool = False) -> tuple[str | None, Problem | None]:
    """The status (PNS or PPPK): taken from the NIP when not given, and must agree with it."""
    raw = clean_text(given)
    if not raw:
        return (nip.kind if nip is not None else None), None
    status = parse_status(raw, siasn_letters=siasn_letters)
    if status is None:
        return None, Problem(
            "status",
            "status:unknown",
            _("Status kepegawaian '{value}' tidak dikenal; gunakan PNS atau PPPK.").format(value=raw),
        )
    if nip is not None and status != nip.kind:
        if nip.kind == "PNS":
            message = _(
                "Status {status} tidak sesuai dengan nomornya: {nip} adalah NIP PNS "
                "(NI PPPK memuat 21 pada digit ke-13 dan ke-14)."
            )
        else:
            message = _(
                "Status {status} tidak sesuai dengan nomornya: {nip} adalah NI PPPK "
                "(ada 21 pada digit ke-13 dan ke-14)."
            )
        return None, Problem("status", "status:mismatch", message.format(status=status, nip=nip.raw))
    return status, None


def check_gender(given: object, nip: Nip | None) -> tuple[str | None, Problem | None]:
    """The gender (L/P): taken from the NIP when not given, and must agree with it."""
    raw = clean_text(given)
    if not raw:
        return (nip.gender if nip is not None else None), None
    gender = parse_gender(raw)
    if gender is None:
        return None, Problem(
            "gender",
            "gender:unknown",
            _("Jenis kelamin '{value}' tidak dikenal; gunakan L (laki-laki) atau P (perempuan).").format(value=raw),
        )
    if nip is not None and gender != nip.gender:
        return None, Problem(
            "gender",
            "gender:mismatch",
            _(
                "Jenis kelamin {value} tidak sesuai dengan NIP {nip}, yang menyatakan {nip_gender} (digit ke-15)."
            ).format(value=raw, nip=nip.raw, nip_gender=gender_label(nip.gender)),
        )
    return gender, None


def _dmy(d: date) -> str:
    return d.strftime("%d-%m-%Y")


def check_birth_date(given: date | str | None, nip: Nip | None) -> tuple[date | None, Problem | None]:
    """The birth date: taken from the NIP when not given, and must agree with it.

    ``given`` is a date or text as people write it (``26-09-1986``, ``1986-09-26``, ...).
    """
    if isinstance(given, str):
        text = clean_text(given)
        if not text:
            given = None
        else:
            try:
                given = parse_date_flexible(text)
            except ValueError as exc:
                exc.__traceback__ = None  # see check_nip
                return None, Problem("birth_date", "birth_date:invalid", str(exc))
    if given is None:
        return (nip.birth_date if nip is not None else None), None
    if nip is not None and given != nip.birth_date:
        return None, Problem(
            "birth_date",
            "birth_date:mismatch",
            _(
                "Tanggal lahir {value} tidak sesuai dengan NIP {nip}, yang menyatakan {nip_date} "
                "(digit ke-1 sampai ke-8)."
            ).format(value=_dmy(given), nip=nip.raw, nip_date=_dmy(nip.birth_date)),
        )
    return given, None


def check_golongan(text: object, status: str | None) -> tuple[str, Problem | None]:
    """The golongan in its canonical spelling, valid for ``status`` (PNS I/a-IV/e, PPPK I-XVII)."""
    raw = clean_text(text)
    if not raw or status is None:
        return raw, None
    try:
        return normalize_golongan(raw, status), None
    except GolonganError as exc:
        exc.__traceback__ = None  # see check_nip
        return raw, Problem("golongan", "golongan:invalid", str(exc))


# --- a whole record -------------------------------------------------------------------------


@dataclass
class EmployeeFields:
    """What a person typed or a file held, before the rules."""

    nip: str
    name: str
    front_title: str = ""
    back_title: str = ""
    gender: str | None = None
    birth_date: date | str | None = None
    status: str | None = None
    golongan: str = ""
    position_name: str = ""


@dataclass
class CheckedEmployee:
    nip: Nip | None
    values: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> dict[str, str]:
        """Field -> the first sentence about it."""
        out: dict[str, str] = {}
        for p in self.problems:
            out.setdefault(p.field, p.message)
        return out


def check_employee(data: EmployeeFields, today: date | None = None) -> CheckedEmployee:
    """Every rule of one record. ``values`` holds each field normalized (status, gender and
    birth date from the NIP when not given; status PNS when nothing says otherwise)."""
    nip, problem = check_nip(data.nip, today)
    result = CheckedEmployee(nip)
    values, problems = result.values, result.problems
    if problem is not None:
        problems.append(problem)
    if nip is not None:
        values["nip"] = nip.raw
    checks: list[tuple[str, tuple[object, Problem | None]]] = [
        ("name", check_name(data.name)),
        ("front_title", check_title("front_title", data.front_title)),
        ("back_title", check_title("back_title", data.back_title)),
    ]
    status, status_problem = check_status(data.status, nip)
    checks += [
        ("status", (status or "PNS", status_problem)),
        ("gender", check_gender(data.gender, nip)),
        ("birth_date", check_birth_date(data.birth_date, nip)),
        # Golongan is checked against the NIP's kind when the status given contradicts it.
        ("golongan", check_golongan(data.golongan, nip.kind if nip is not None else (status or "PNS"))),
        ("position_name", check_position_name(data.position_name)),
    ]
    for key, (value, found) in checks:
        values[key] = value
        if found is not None:
            problems.append(found)
    return result
