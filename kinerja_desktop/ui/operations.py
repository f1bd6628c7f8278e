"""The window's one way to reach the database: queries and writes off the UI thread.

A page or dialog never opens a database session itself. It asks its context::

    ctx.query(lambda s: roster.count(s, principal), self._show_count, owner=self, key="count")
    ctx.write(lambda s: employees.save(s, principal, form), self._saved,
              changes={"employees"}, owner=self)

``query`` runs ``fn(session)`` in a worker thread and rolls the session back afterwards
(a query never writes). ``write`` runs ``fn(session)`` in a transaction that commits when
``fn`` returns and rolls back on any error. The result comes back on the UI thread to
``on_done``; an error goes to ``on_error`` when given, and otherwise is shown in one place
(:func:`kinerja_desktop.ui.errors.handle_exception`: a sentence for a ``UserError``, the
crash dialog for anything else). After a successful write every subscriber of one of the
changed *kinds* is told (:meth:`DataBus.subscribe`), so open pages refresh themselves.

Kinds are plain words naming what changed, by convention the table or capability a page
shows: ``employees``, ``units``, ``skp``, ``evaluations``, ``training``, ``competency``,
``users``, ``settings``, ``sync``, ``documents``. Tests use :meth:`DataBus.history`.

Writes run one at a time in the task runner's write lane. A write that meets a locked
SQLite database (a synchronisation import holds the write lock longer than the busy
timeout) is tried again, in a fresh transaction, until the lock is released or
:data:`WRITE_WAIT_LIMIT_S` has passed; then it fails with one sentence and nothing of it
is kept. A write that has not finished after :data:`WAIT_NOTICE_MS` makes the bus say so
(:attr:`DataBus.waiting`); the main window shows "Menunggu basis data…" in its status bar
until the writes are done, so the window never looks frozen. :func:`save_dialog` is the one way a
dialog saves: buttons off while the write runs, closed on success, left open with the
sentence on a ``UserError``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.ui.tasks import ErrorCallback, ResultCallback, TaskRunner

log = logging.getLogger("kinerja.ui")

KIND_SEPARATOR = ","
#: A write still running after this long is announced as waiting (milliseconds).
WAIT_NOTICE_MS = 700
#: How long a write keeps trying a locked database before it gives up (seconds).
WRITE_WAIT_LIMIT_S = 120.0
#: The pause between two tries (each try itself waits up to the busy timeout).
RETRY_PAUSE_S = 0.25


class DatabaseStillLocked(UserError):
    """A window write gave up: the database stayed locked for :data:`WRITE_WAIT_LIMIT_S`."""


def _locked(exc: BaseException) -> bool:
    # Imported here: the window's frame paints before the data layer (SQLAlchemy) is loaded.
    from kinerja_desktop.store.database import DatabaseBusy, is_locked_error  # noqa: PLC0415 (the frame paints before SQLAlchemy loads)

    return isinstance(exc, DatabaseBusy) or is_locked_error(exc)


def write_with_retry(db, fn: Callable[[Any], Any], limit_s: float | None = None) -> Any:
    """Runs in the write lane: ``fn(session)`` in a transaction, tried again in a fresh one
    while the database is locked by another connection, for at most ``limit_s`` seconds.

    A locked error means nothing was committed (SQLite refused the write or the commit),
    so trying again cannot save anything twice.
    """
    limit = WRITE_WAIT_LIMIT_S if limit_s is None else limit_s
    deadline = time.monotonic() + limit
    tries = 0
    while True:
        tries += 1
        try:
            with db.transaction() as session:
                return fn(session)
        except Exception as exc:
            if not _locked(exc):
                raise
            if time.monotonic() + RETRY_PAUSE_S >= deadline:
                log.warning("a window write gave up after %d tries: the database stayed locked", tries)
                raise DatabaseStillLocked(
                    _(
                        "Basis data masih dipakai program lain (misalnya impor sinkronisasi) setelah ditunggu "
                        "{minutes} menit, jadi perubahan ini belum disimpan. Tunggu sampai program itu selesai, "
                        "lalu simpan lagi."
                    ).format(minutes=max(1, round(limit / 60)))
                ) from None
            log.info("the database is locked; a window write waits (try %d)", tries)
            time.sleep(RETRY_PAUSE_S)


class DataBus(QObject):
    """Tells subscribers which kinds of data a write changed (on the UI thread)."""

    changed = Signal(str)  # kinds joined by KIND_SEPARATOR (plain str: safe across PySide6 releases)
    #: True when a write has been running longer than WAIT_NOTICE_MS, False when all are done.
    waiting = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._history: list[frozenset[str]] = []
        self._writes: dict[int, float] = {}  # write number -> when it started (monotonic)
        self._write_ids = 0
        self.is_waiting = False
        self._wait_timer = QTimer(self)
        self._wait_timer.setInterval(WAIT_NOTICE_MS // 2)
        self._wait_timer.timeout.connect(self._check_waiting)

    def notify(self, kinds: Iterable[str]) -> None:
        """Announce that data of ``kinds`` changed (call on the UI thread)."""
        kinds = frozenset(k for k in kinds if k)
        if not kinds:
            return
        self._history.append(kinds)
        del self._history[:-100]
        self.changed.emit(KIND_SEPARATOR.join(sorted(kinds)))

    def subscribe(
        self,
        kinds: Iterable[str],
        callback: Callable[[frozenset[str]], Any] | Callable[[], Any],
        owner: QObject | None = None,
        *,
        with_kinds: bool = False,
    ) -> None:
        """Call ``callback()`` (or ``callback(kinds)`` with ``with_kinds``) when any of
        ``kinds`` changes; the subscription ends when ``owner`` is deleted."""
        wanted = frozenset(kinds)

        def relay(joined: str) -> None:
            if owner is not None and not shiboken6.isValid(owner):
                return
            got = frozenset(joined.split(KIND_SEPARATOR)) & wanted
            if got:
                callback(got) if with_kinds else callback()  # type: ignore[call-arg]

        self.changed.connect(relay)
        if owner is not None:
            owner.destroyed.connect(lambda *_: _disconnect(self.changed, relay))

    def history(self) -> list[frozenset[str]]:
        """The kinds announced so far, oldest first (the last 100)."""
        return list(self._history)

    # -- writes in flight -------------------------------------------------------------
    def write_started(self) -> int:
        self._write_ids += 1
        self._writes[self._write_ids] = time.monotonic()
        if not self._wait_timer.isActive():
            self._wait_timer.start()
        return self._write_ids

    def write_finished(self, number: int) -> None:
        self._writes.pop(number, None)
        if not self._writes:
            self._wait_timer.stop()
            self._set_waiting(False)

    def _check_waiting(self) -> None:
        oldest = min(self._writes.values(), default=None)
        self._set_waiting(oldest is not None and (time.monotonic() - oldest) * 1000 >= WAIT_NOTICE_MS)

    def _set_waiting(self, waiting: bool) -> None:
        if waiting != self.is_waiting:
            self.is_waiting = waiting
            self.waiting.emit(waiting)


def _disconnect(signal, slot) -> None:
    try:
        signal.disconnect(slot)
    except (RuntimeError, TypeError):  # already gone with the bus
        pass


class Operations:
    """``query``/``write`` over a :class:`TaskRunner` and a :class:`DataBus`."""

    def __init__(self, runner: TaskRunner, bus: DataBus) -> None:
        self.runner = runner
        self.bus = bus

    def query(
        self,
        fn: Callable[[Any], Any],
        on_done: ResultCallback | None = None,
        *,
        on_error: ErrorCallback | None = None,
        owner: QObject | None = None,
        key: str | None = None,
    ) -> int:
        """Run ``fn(session)`` off the UI thread; nothing it does is committed.

        ``key``: a newer query under the same key supersedes an older one (search as you
        type). ``owner``: a widget whose deletion drops the answer.
        """

        def run(session):
            try:
                return fn(session)
            finally:
                session.expunge_all()  # what it read stays readable (detached, not expired)
                session.rollback()

        return self.runner.submit(run, on_done, on_error, key=key, owner=owner)

    def write(
        self,
        fn: Callable[[Any], Any],
        on_done: ResultCallback | None = None,
        *,
        changes: Iterable[str] = (),
        on_error: ErrorCallback | None = None,
        owner: QObject | None = None,
    ) -> int:
        """Run ``fn(session)`` in a transaction off the UI thread, then announce ``changes``.

        The transaction commits when ``fn`` returns and rolls back on any error, which then
        reaches ``on_error`` (or the one error display). Writes run one at a time in the
        runner's write lane; a locked database is waited out (:func:`write_with_retry`), so
        ``fn`` may run more than once and must only touch the database. ``on_done(result)`` runs before the
        subscribers are told, so a dialog can close first.
        """
        kinds = frozenset(changes)
        bus = self.bus

        def run(db):
            return write_with_retry(db, fn)

        number = bus.write_started()

        def done(result: Any) -> None:
            bus.write_finished(number)
            try:
                if on_done is not None and (owner is None or shiboken6.isValid(owner)):
                    on_done(result)
            finally:
                bus.notify(kinds)

        def failed(exc: BaseException) -> None:
            bus.write_finished(number)
            if owner is not None and not shiboken6.isValid(owner):
                return
            if on_error is not None:
                on_error(exc)
            else:
                show_error(exc, owner)

        # No owner here: the announcement must not depend on the owner surviving (a dialog
        # that closed); ``done``/``failed`` check the owner themselves.
        return self.runner.submit(run, done, failed, pass_db=True, write=True)


def operations_for(db, parent: QObject) -> Operations:
    """The operation layer before anyone is signed in (sign-in, first run): a task runner
    owned by ``parent`` and a bus of its own."""
    return Operations(TaskRunner(db, parent), DataBus(parent))


def show_error(exc: BaseException, owner: QObject | None = None) -> None:
    """The one error display: a sentence for a UserError, the crash dialog otherwise."""
    from kinerja_desktop.ui.errors import handle_exception  # noqa: PLC0415 (the error dialog loads on the first error, not at start)

    parent = owner if owner is not None and shiboken6.isValid(owner) else None
    handle_exception(type(exc), exc, exc.__traceback__, parent=parent)  # type: ignore[arg-type]


def save_dialog(
    ctx,
    dialog: QDialog,
    fn: Callable[[Any], Any],
    *,
    changes: Iterable[str],
    on_saved: Callable[[Any], Any] | None = None,
    on_user_error: Callable[[UserError], bool] | None = None,
    close: bool = True,
) -> int:
    """Save from ``dialog`` through ``ctx.write``: its buttons are off while the write runs;
    on success ``on_saved(result)`` runs and the dialog closes (accepted) unless ``close`` is
    False; on a ``UserError`` the dialog stays open and ``on_user_error(exc)`` may show it in
    the form (returning True), otherwise the sentence is shown over the dialog."""
    boxes = [b for b in dialog.findChildren(QDialogButtonBox) if b.isEnabled()]
    for box in boxes:
        box.setEnabled(False)

    def enable() -> None:
        for box in boxes:
            if shiboken6.isValid(box):
                box.setEnabled(True)

    def done(result: Any) -> None:
        enable()
        if on_saved is not None:
            on_saved(result)
        if close:
            dialog.accept()

    def failed(exc: BaseException) -> None:
        enable()
        if isinstance(exc, UserError) and on_user_error is not None and on_user_error(exc):
            return
        show_error(exc, dialog)

    return ctx.write(fn, done, changes=changes, on_error=failed, owner=dialog)
