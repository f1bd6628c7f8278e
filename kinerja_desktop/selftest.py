"""``kinerja selftest``: prove that this installation works, step by step.

Each step runs in a fresh temporary data folder (nothing touches the user's data), its
failure is caught and reported with one sentence, and the run ends with exit 0 only when
every available step passed. Built-in steps check the migrations (a new database and an
upgrade of every older schema shipped with the program), a small demo district, both
translations and the main window (offscreen). Feature steps are found by import: a later
feature adds ``kinerja_desktop/<feature>/selftest_step.py``; until it exists its step is
reported as unavailable, and once it exists it must pass.

This module stays Qt-free: the window step imports the interface inside its function.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import secrets
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from kinerja_desktop import __version__, files, i18n, paths
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.demo.district import build_demo
from kinerja_desktop.services.progress import run
from kinerja_desktop.store import database, keystore, migrate
from kinerja_desktop.store.backup import list_backups
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.encryption import open_raw
from kinerja_desktop.store.models import Employee, Unit

log = logging.getLogger("kinerja.selftest")

OK = "ok"
FAILED = "failed"
UNAVAILABLE = "unavailable"

#: Employees in the self-test's demo district: enough to exercise every table, quick to make.
DEMO_EMPLOYEES = 60


class StepUnavailable(Exception):
    """The feature a step checks is not part of this build (yet)."""


class StepFailed(Exception):
    """A check inside a step did not hold; the message is the one-sentence reason."""


@dataclass(frozen=True)
class Step:
    name: str
    description: str
    func: Callable[[Path], object]


@dataclass
class StepResult:
    name: str
    status: str
    seconds: float
    error: str | None = None
    detail: str | None = None  # what a passed step checked, for the printed line

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "error": self.error,
            "detail": self.detail,
        }


#: The steps in the order they run.
STEPS: list[Step] = []


def register_step(name: str, description: str = "") -> Callable[[Callable[[Path], object]], Callable[[Path], object]]:
    """Decorator: add ``func(workdir)`` as a self-test step (a later name replaces an earlier one)."""

    def add(func: Callable[[Path], object]) -> Callable[[Path], object]:
        step = Step(name, description or (func.__doc__ or "").strip().splitlines()[0], func)
        for i, existing in enumerate(STEPS):
            if existing.name == name:
                STEPS[i] = step
                break
        else:
            STEPS.append(step)
        return func

    return add


def check(condition: object, message: str) -> None:
    if not condition:
        raise StepFailed(message)


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


# --- built-in steps -----------------------------------------------------------------------


def schema_fixtures_dir() -> Path | None:
    """Databases of every earlier schema, shipped as resources (``tests/fixtures`` in a checkout)."""
    candidates = [paths.resources_dir() / "schemas"]
    if not is_frozen():
        candidates.append(Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "schemas")
    for folder in candidates:
        if folder.is_dir() and any(folder.glob("*.sqlite3")):
            return folder
    return None


def _revision_of(db_file: Path) -> str | None:

    con = open_raw(db_file)
    try:
        rows = con.execute("SELECT version_num FROM alembic_version").fetchall()
    finally:
        con.close()
    return "+".join(sorted(r[0] for r in rows)) or None


@register_step("migrasi", N_("Membuat basis data baru dan meningkatkan basis data skema lama"))
def step_migrations(workdir: Path) -> str:

    head = migrate.head_revision()
    db = open_database(paths.default_database())
    try:
        with db.engine.connect() as conn:
            check(
                migrate.current_revision(conn) == head,
                _("Basis data baru tidak berada pada skema terbaru {rev}.").format(rev=head),
            )
    finally:
        db.close()

    fixtures = schema_fixtures_dir()
    check(fixtures is not None, _("Contoh basis data skema lama tidak ikut terpasang."))
    upgraded = 0
    for fixture in sorted(fixtures.glob("*.sqlite3")):  # type: ignore[union-attr]
        home = workdir / f"upgrade-{fixture.stem}"
        home.mkdir()
        paths.set_data_dir(home)
        target = paths.default_database()
        shutil.copy(fixture, target)
        old = _revision_of(target)
        db = open_database(target)
        db.close()
        check(
            _revision_of(target) == head,
            _("Basis data skema {rev} tidak ditingkatkan ke skema {head}.").format(rev=old, head=head),
        )
        if old != head:
            backups = list_backups(paths.locations().backups, target.stem)
            check(
                len(backups) == 1 and _revision_of(backups[0]) == old,
                _("Tidak ada cadangan sebelum peningkatan basis data skema {rev}.").format(rev=old),
            )
        upgraded += 1
    paths.set_data_dir(workdir)
    return _("skema {head}; {n} basis data lama ditingkatkan").format(head=head, n=upgraded)


@register_step("demo", N_("Membuat kabupaten contoh kecil"))
def step_demo(workdir: Path) -> str:

    db = open_database(paths.default_database())
    try:
        run(build_demo(db, employees=DEMO_EMPLOYEES))
        with db.session() as s:
            employees = s.scalar(select(func.count()).select_from(Employee))
            units = s.scalar(select(func.count()).select_from(Unit))
    finally:
        db.close()
    check(
        employees and employees >= DEMO_EMPLOYEES // 2,
        _("Kabupaten contoh hanya berisi {n} pegawai.").format(n=employees),
    )
    check(units, _("Kabupaten contoh tidak berisi unit kerja."))
    return _("{n} pegawai di {u} unit kerja").format(n=employees, u=units)


#: Indonesian source strings that every build translates (from the core, the command line
#: and this module), the last with a placeholder that the translation must keep.
KNOWN_STRINGS = (
    "Dibatalkan.",
    "Kinerja Desktop: manajemen kinerja ASN Kabupaten Batanghari.",
    "Semua pemeriksaan lulus.",
    "Jejak audit utuh: {n} entri diperiksa.",
)


@register_step("terjemahan", N_("Memuat bahasa Indonesia dan bahasa Inggris"))
def step_translations(workdir: Path) -> str:

    previous = i18n.language()
    try:
        i18n.catalog.cache_clear()
        check(
            i18n.po_path("en").is_file(),
            _("Berkas terjemahan {path} tidak ikut terpasang.").format(path=i18n.po_path("en")),
        )
        english = i18n.catalog("en")  # parsed by Babel: needs its locale data in the build
        check(len(english) > 0, _("Terjemahan bahasa Inggris kosong."))
        for source in KNOWN_STRINGS:
            i18n.set_language("en")
            got = i18n._(source)
            check(
                got and got != source, _("Teks “{source}” tidak diterjemahkan ke bahasa Inggris.").format(source=source)
            )
            check("{n}" in got or "{n}" not in source, _("Terjemahan “{got}” kehilangan tempat isian.").format(got=got))
            i18n.set_language("id")
            check(i18n._(source) == source, _("Teks bahasa Indonesia “{source}” berubah.").format(source=source))
    finally:
        i18n.set_language(previous)
    return _("{n} teks bahasa Inggris").format(n=len(english))


#: Where the window step saves its picture of the main window (``selftest --screenshot``).
screenshot_path: Path | None = None


@register_step("jendela", N_("Membuka jendela utama tanpa layar"))
def step_window(workdir: Path) -> str:
    if "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication, QWidget  # noqa: PLC0415 (only this step needs Qt)

    from kinerja_desktop.ui.launch import open_main_window  # noqa: PLC0415 (launch boundary)

    app = QApplication.instance() or QApplication([sys.argv[0]])
    db = open_database(paths.default_database())
    window = None
    try:
        window = open_main_window(db, SYSTEM)
        check(isinstance(window, QWidget), _("Jendela utama tidak terbentuk."))
        window.resize(1366, 768)
        window.show()
        for _i in range(5):
            app.processEvents()
        check(window.isVisible(), _("Jendela utama tidak tampil."))
        image = window.grab().toImage()
        check(not image.isNull() and image.width() > 0, _("Jendela utama tidak dapat digambar."))
        small = image.scaled(48, 27)
        colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
        check(len(colours) > 4, _("Jendela utama tergambar kosong."))
        if screenshot_path is not None:
            screenshot_path.parent.mkdir(parents=True, exist_ok=True)
            image.save(str(screenshot_path))
        title = window.windowTitle()
        platform = app.platformName()
    finally:
        if window is not None:
            window.close()
            window.deleteLater()
        app.processEvents()
        db.close()
    return _("“{title}” digambar ({platform})").format(title=title, platform=platform)


# --- feature steps, found by import -------------------------------------------------------


def feature_step(module_name: str, function_name: str) -> Callable[[Path], object]:
    """A step that calls ``module_name.function_name(workdir)``; unavailable if the module is not there."""

    def run_feature(workdir: Path) -> object:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            # Only the feature module itself (or its package) missing means "not in this build";
            # a library the feature needs missing from the build is a failure.
            if (
                exc.name
                and (module_name == exc.name or module_name.startswith(exc.name + "."))
                and exc.name.startswith("kinerja_desktop")
            ):
                raise StepUnavailable(module_name) from exc
            raise
        result = getattr(module, function_name)(workdir)
        check(result is not False, _("Pemeriksaan fitur mengembalikan hasil gagal."))
        return result

    return run_feature


register_step("sinkronisasi", N_("Mengekspor dan mengimpor berkas sinkronisasi"))(
    feature_step("kinerja_desktop.sync.selftest_step", "run_sync_selftest")
)
register_step("enkripsi", N_("Membuka, menulis dan membuka lagi basis data terenkripsi (SQLCipher)"))(
    feature_step("kinerja_desktop.store.selftest_step", "run_encryption_selftest")
)
register_step("dokumen", N_("Membuat, menandatangani dan memeriksa dokumen PDF"))(
    feature_step("kinerja_desktop.reports.selftest_step", "run_report_selftest")
)
register_step("bahasa", N_("Tombol, dialog bawaan Qt dan pesan baris perintah dalam bahasa Indonesia"))(
    feature_step("kinerja_desktop.ui.selftest_step", "run_language_selftest")
)
register_step("pengaduan", N_("Mencatat, menindaklanjuti, mencetak dan mengimpor pengaduan"))(
    feature_step("kinerja_desktop.services.pengaduan.selftest", "run_pengaduan_selftest")
)
register_step("regulasi", N_("Capaian per periode, distribusi, angka kredit, penetapan dan PAK"))(
    feature_step("kinerja_desktop.services.performance.regulation_selftest", "run_regulation_selftest")
)
register_step("impor-siasn", N_("Mengimpor unduhan SIASN contoh dan mengekspor daftar pegawai dengan aman"))(
    feature_step("kinerja_desktop.services.roster.selftest", "run_roster_selftest")
)
register_step("bukti", N_("Memeriksa lampiran: nama, isi, cara membuka, kiriman sinkronisasi"))(
    feature_step("kinerja_desktop.services.documents.evidence_selftest", "run_evidence_selftest")
)


# --- runner -------------------------------------------------------------------------------


def _one_sentence(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    message = " ".join(str(message).split())
    if isinstance(exc, StepFailed) or hasattr(exc, "message"):
        return message
    return f"{type(exc).__name__}: {message}"


@contextmanager
def _scratch_key():
    """The steps' databases get a throwaway key: the self-test never asks for a passphrase
    and never touches this user's key store."""

    saved = os.environ.get(keystore.ENV_KEY)
    os.environ[keystore.ENV_KEY] = secrets.token_hex(32)
    keystore.reset()
    announcers = list(database._announcers)  # scratch databases' recovery codes are not news
    database._announcers.clear()
    try:
        yield
    finally:
        database._announcers[:] = announcers
        if saved is None:
            os.environ.pop(keystore.ENV_KEY, None)
        else:
            os.environ[keystore.ENV_KEY] = saved
        keystore.reset()


def run_step(step: Step) -> StepResult:
    """Run one step in a fresh temporary data folder and report how it went."""
    previous_override = paths._override  # restored below: the caller's data folder stays as it was
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"kinerja-selftest-{step.name}-") as tmp, _scratch_key():
        workdir = Path(tmp)
        paths.set_data_dir(workdir)
        try:
            detail = step.func(workdir)
        except StepUnavailable:
            return StepResult(step.name, UNAVAILABLE, time.perf_counter() - started)
        except Exception as exc:  # every failure is reported, none stops the run
            log.error("self-test step %s failed\n%s", step.name, traceback.format_exc())
            return StepResult(step.name, FAILED, time.perf_counter() - started, _one_sentence(exc))
        finally:
            paths._override = previous_override
    return StepResult(step.name, OK, time.perf_counter() - started, detail=detail if isinstance(detail, str) else None)


def _print(line: str) -> None:
    stream = sys.stdout
    if stream is None:  # a windowed build started without a console
        return
    try:
        print(line, file=stream, flush=True)
    except (OSError, UnicodeEncodeError):
        try:
            stream.write(line.encode("ascii", "replace").decode("ascii") + "\n")
        except OSError:
            pass


def run_selftest(
    json_out: str | os.PathLike[str] | None = None,
    steps: list[Step] | None = None,
    screenshot: str | os.PathLike[str] | None = None,
) -> int:
    """Run every step, print one line each, write the JSON report; 0 only if all available passed."""
    global screenshot_path
    screenshot_path = Path(screenshot).resolve() if screenshot else None
    results: list[StepResult] = []
    chosen = STEPS if steps is None else steps
    _print(
        _("Uji mandiri Kinerja Desktop {version}{frozen}").format(
            version=__version__, frozen=_(" (program terpasang)") if is_frozen() else ""
        )
    )
    for step in chosen:
        result = run_step(step)
        results.append(result)
        label = {OK: "OK", FAILED: _("GAGAL"), UNAVAILABLE: _("TIDAK TERSEDIA")}[result.status]
        if result.status == FAILED:
            reason = result.error
        elif result.status == UNAVAILABLE:
            reason = _("fitur belum ada dalam versi ini")
        else:
            reason = result.detail or _(step.description)
        _print(f"{label:<15} {step.name:<13} {result.seconds:6.1f} s  {reason}")
    ok = all(r.status != FAILED for r in results) and any(r.status == OK for r in results)
    report = {
        "version": __version__,
        "frozen": is_frozen(),
        "steps": [r.as_json() for r in results],
        "ok": ok,
    }
    if json_out is not None:
        target = Path(json_out)
        target.parent.mkdir(parents=True, exist_ok=True)
        files.write_atomic(target, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    _print(_("Semua pemeriksaan lulus.") if ok else _("Ada pemeriksaan yang gagal."))
    return 0 if ok else 1
