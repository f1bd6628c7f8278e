"""Batch export: one PDF per employee, optionally signed, optionally one combined PDF.

A long job (a generator yielding :class:`Progress`, see ``services/progress.py``), so
the command line shows a progress bar and the window a progress dialog with Cancel.

Work is spread over worker processes (both cores of an office PC). Each worker
registers the fonts and loads the signing key once, then renders, signs and writes
its documents straight to disk; the main process only hands out views and collects
small results, with a bounded number in flight, so memory stays flat however large
the batch. Cancelling stops the workers and removes the files this batch wrote.
"""

from __future__ import annotations

import hashlib
import importlib
import multiprocessing
import os
import re
import sys
import threading
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfWriter

from kinerja_desktop.errors import UserError
from kinerja_desktop.errors import UserError as _UserError
from kinerja_desktop.files import atomic_writer, write_atomic
from kinerja_desktop.i18n import _
from kinerja_desktop.progress import Cancelled, Job, Progress
from kinerja_desktop.reports.fonts import register_fonts
from kinerja_desktop.reports.render import produce
from kinerja_desktop.reports.signing import load_signing_key

#: Below this many documents the work stays in this process (no start-up cost).
IN_PROCESS_BELOW = 4


@dataclass(frozen=True)
class BatchItem:
    view: object
    filename: str
    #: The evaluation this document prints (to record the signed file's hash), if any.
    record_id: str | None = None
    #: role -> (title, person) of the document's signature fields (``render.default_fields``).
    fields: dict | None = None


@dataclass
class BatchResult:
    folder: Path
    files: list[Path] = field(default_factory=list)
    sha256: dict[str, str] = field(default_factory=dict)
    combined: Path | None = None
    signed: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    peak_rss_kb: dict[int, int] = field(default_factory=dict)  # pid -> peak RSS (where known)
    cpu_seconds: dict[int, float] = field(default_factory=dict)  # pid -> CPU time used so far


def batch_filename(nip: str, form: str, period: str) -> str:
    """``<NIP>_<form>_<period>.pdf`` with only safe characters."""

    def clean(value: str) -> str:
        return re.sub(r"[^A-Za-z0-9.-]+", "-", str(value)).strip("-") or "x"

    return f"{clean(nip)}_{clean(form)}_{clean(period)}.pdf"


# --- the worker side -------------------------------------------------------------------------

_worker_state: dict = {}


def _init_worker(p12: bytes | None, passphrase: str | None, confirm_name_mismatch: bool, setup=None) -> None:
    """Once per worker process: fonts, and the signing key (passphrase used, then dropped)."""

    register_fonts()
    _worker_state.clear()
    _worker_state["confirm"] = confirm_name_mismatch
    if p12 is not None:
        key = load_signing_key(p12, passphrase)
        key.apply(setup)
        _worker_state["key"] = key


def _peak_rss_kb() -> int:
    try:
        import resource  # noqa: PLC0415 (Windows has no resource module)

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    except Exception:  # Windows has no resource module
        return 0


def _write_atomic(path: Path, data: bytes) -> None:
    write_atomic(path, data)


def _work(index: int, view, filename: str, folder: str, fields: dict | None = None) -> tuple:
    """Render (and sign) one document and write it; returns a small result tuple."""

    key = _worker_state.get("key")
    try:
        produced = produce(view, key, confirm_name_mismatch=_worker_state.get("confirm", False), fields=fields)
    except _UserError as exc:
        return index, filename, None, False, exc.message, os.getpid(), _peak_rss_kb(), _cpu()
    path = Path(folder) / filename
    _write_atomic(path, produced.pdf)
    digest = hashlib.sha256(produced.pdf).hexdigest()
    return index, filename, digest, produced.signed, None, os.getpid(), _peak_rss_kb(), _cpu()


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


# --- the main side ---------------------------------------------------------------------------


def _default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def export_batch(  # long: one loop over the batch with its worker pool and progress
    items: Iterable[BatchItem],
    folder: str | os.PathLike,
    *,
    total: int | None = None,
    p12: bytes | None = None,
    passphrase: str | None = None,
    combined_name: str | None = None,
    workers: int | None = None,
    confirm_name_mismatch: bool = False,
    start_method: str | None = None,
    setup=None,
) -> Job[BatchResult]:
    """Write one PDF per item into ``folder`` (a generator job; see module doc).

    ``p12``: the signer's PKCS#12 bytes (with ``passphrase``) to sign every document
    in the Pejabat Penilai block; documents whose pejabat penilai is someone else than
    the certificate's holder are rejected unless ``confirm_name_mismatch``.
    ``combined_name``: also write all documents into one PDF of that name (for printing).
    ``start_method``: "fork" or "spawn" to choose how workers start (default: see
    :func:`_mp_context`). ``setup``: the key's trust verdict and B-LT material
    (:meth:`~kinerja_desktop.reports.signing.SigningKey.setup`), made once by the caller.
    """
    out = Path(folder).expanduser()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            _("Folder {path} tidak dapat dibuat ({reason}). Pilih folder lain.").format(
                path=out, reason=exc.strerror or exc
            )
        ) from None
    if not os.access(out, os.W_OK):
        raise UserError(
            _("Tidak dapat menulis ke folder {path}: tidak ada izin menulis. Pilih folder lain.").format(path=out)
        )
    if p12 is not None:
        # Fail fast in this process: wrong passphrase, expired certificate, no key usage.

        load_signing_key(p12, passphrase)
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    count = _default_workers() if workers is None else workers
    if total is not None and total < IN_PROCESS_BELOW:
        count = 0
    result = BatchResult(folder=out)
    order: list[str] = []
    written: list[Path] = []
    try:
        if count == 0:
            yield from _run_here(
                items, out, (p12, passphrase, confirm_name_mismatch, setup), total, result, order, written
            )
        else:
            yield from _run_pool(
                items,
                out,
                (p12, passphrase, confirm_name_mismatch, setup),
                total,
                count,
                result,
                order,
                written,
                start_method,
            )
        position = {name: i for i, name in enumerate(order)}
        result.files.sort(key=lambda p: position.get(p.name, 0))
        if combined_name:
            yield Progress(len(order), total, _("Menggabungkan {n} dokumen…").format(n=len(result.files)))
            result.combined = combine_pdfs(result.files, out / combined_name)
            written.append(result.combined)
    except (Cancelled, GeneratorExit):
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return result


def _record(result: BatchResult, out: Path, written: list[Path], res: tuple) -> str:
    _index, filename, digest, signed, error, pid, rss, cpu = res
    if rss:
        result.peak_rss_kb[pid] = max(result.peak_rss_kb.get(pid, 0), rss)
    result.cpu_seconds[pid] = max(result.cpu_seconds.get(pid, 0.0), cpu)
    if error:
        result.rejected.append((filename, error))
        return filename
    path = out / filename
    written.append(path)
    result.files.append(path)
    result.sha256[filename] = digest
    result.signed += int(bool(signed))
    return filename


def _run_here(items, out, init, total, result, order, written):
    _init_worker(*init)
    for i, item in enumerate(items):
        order.append(item.filename)
        name = _record(result, out, written, _work(i, item.view, item.filename, str(out), item.fields))
        yield Progress(i + 1, total, name)


def _mp_context(start_method: str | None = None):
    """How to start the workers.

    "fork" where it is safe (POSIX, no Qt loaded, no other thread): the workers inherit
    the fonts and modules already loaded and start at once. Otherwise "spawn" (Windows,
    and the window, whose Qt threads must not be forked): each worker imports afresh.
    """
    if start_method == "spawn":
        return multiprocessing.get_context("spawn")
    if start_method == "fork" or (
        "fork" in multiprocessing.get_all_start_methods()
        and "PySide6.QtCore" not in sys.modules
        and threading.active_count() == 1
    ):
        for name in ("render", "short_form", "detailed_form", "skp_form", "signing", "ltv"):  # the workers inherit them
            importlib.import_module(f"kinerja_desktop.reports.{name}")

        register_fonts()
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _run_pool(items, out, init, total, count, result, order, written, start_method=None):
    context = _mp_context(start_method)
    pool = ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=_init_worker, initargs=init)
    in_flight: deque[Future] = deque()
    limit = count * 4
    done = 0
    try:
        iterator = iter(enumerate(items))
        exhausted = False
        while True:
            while not exhausted and len(in_flight) < limit:
                try:
                    i, item = next(iterator)
                except StopIteration:
                    exhausted = True
                    break
                order.append(item.filename)
                in_flight.append(pool.submit(_work, i, item.view, item.filename, str(out), item.fields))
            if not in_flight:
                break
            future = in_flight.popleft()
            name = _record(result, out, written, future.result())
            done += 1
            yield Progress(done, total, name)
    except BaseException:
        for future in in_flight:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        # Files finished by workers after the last result was read are this batch's too.
        for future in in_flight:
            if future.done() and not future.cancelled() and future.exception() is None:
                written.append(out / future.result()[1])
        raise
    pool.shutdown(wait=True)


def combine_pdfs(files: list[Path], target: Path) -> Path:
    """All ``files`` in one PDF for printing (signatures are shown, not verifiable there)."""

    writer = PdfWriter()
    for path in files:
        writer.append(str(path))
    try:
        with atomic_writer(target, "wb") as fh:
            writer.write(fh)
    finally:
        writer.close()
    return target
