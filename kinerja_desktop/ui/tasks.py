"""Work off the UI thread, answered on the UI thread.

:class:`TaskRunner` runs a callable in a worker thread with its own database session and
calls back on the main thread with the result or the error. Tasks submitted under the
same ``key`` supersede each other: when a newer one has been submitted, an older one is
skipped if it has not started yet, and its result is dropped if it has (a search typed
further must never be overwritten by the answer to an older query).

:class:`JobTask` drives a long job (a generator yielding ``Progress``) in a worker,
reports progress at most every few tens of milliseconds, and can be cancelled.
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from kinerja_desktop.services.progress import Cancelled, Progress

log = logging.getLogger("kinerja.ui")

ResultCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives in the main thread; signals emitted from workers are queued to it.

    Only task ids travel through the signals; the Python objects (results, errors,
    progress) wait in :attr:`outbox`. Passing arbitrary objects (``None`` above all)
    through queued ``object`` signals has corrupted reference counts in some PySide6
    releases.
    """

    finished = Signal(int)
    progress = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lock = threading.Lock()
        self.outbox: dict[int, tuple[bool, object]] = {}
        self.progress_box: dict[int, Progress] = {}

    def post_finished(self, tid: int, ok: bool, payload: object) -> None:
        with self.lock:
            self.outbox[tid] = (ok, payload)
        self.finished.emit(tid)

    def post_progress(self, tid: int, p: Progress) -> None:
        with self.lock:
            pending = tid in self.progress_box
            self.progress_box[tid] = p  # only the newest matters
        if not pending:
            self.progress.emit(tid)

    def take_finished(self, tid: int) -> tuple[bool, object]:
        with self.lock:
            return self.outbox.pop(tid, (False, None))

    def take_progress(self, tid: int) -> Progress | None:
        with self.lock:
            return self.progress_box.pop(tid, None)


class _Runnable(QRunnable):
    def __init__(self, body: Callable[[], None]) -> None:
        super().__init__()
        self._body = body
        self.setAutoDelete(True)

    def run(self) -> None:  # runs in a worker thread
        self._body()


class TaskRunner(QObject):
    """Runs callables in a thread pool with a fresh Session each (see module doc)."""

    def __init__(self, db, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.db = db
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        # Writes take turns in a lane of their own: SQLite has one writer at a time, and a
        # write waiting for a locked database must not hold up the queries.
        self.write_pool = QThreadPool(self)
        self.write_pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._finished)
        self._relay.progress.connect(self._progress)
        self._ids = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._callbacks: dict[int, tuple] = {}
        self._lock = threading.Lock()
        self.active = 0
        self._progress_handlers: dict[int, Callable[[Progress], None]] = {}

    # -- submitting -------------------------------------------------------------------
    def submit(
        self,
        fn: Callable[..., Any],
        on_result: ResultCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        key: str | None = None,
        owner: QObject | None = None,
        pass_db: bool = False,
        write: bool = False,
    ) -> int:
        """Run ``fn(session)`` (or ``fn(db)`` with ``pass_db``) in a worker.

        ``on_result(result)`` / ``on_error(exc)`` run on the main thread. Without
        ``on_error`` a :class:`~kinerja_desktop.errors.UserError` is shown as a message
        and any other error opens the crash dialog. ``owner``: a widget whose deletion
        cancels the callbacks. ``write``: run in the write lane (one at a time, in order).
        """
        return self._start(next(self._ids), fn, on_result, on_error, key=key, owner=owner, pass_db=pass_db, write=write)

    def _start(self, tid, fn, on_result, on_error, *, key, owner, pass_db, write=False) -> int:
        with self._lock:
            if key is not None:
                self._latest[key] = tid
            self._callbacks[tid] = (key, on_result, on_error, owner)
        db = self.db
        relay = self._relay

        def body() -> None:
            if key is not None and self._is_stale(key, tid):
                relay.post_finished(tid, False, None)  # skipped: a newer task replaced it
                return
            try:
                if pass_db:
                    result = fn(db)
                else:
                    with db.session() as session:
                        result = fn(session)
            except BaseException:  # every error goes back to the UI thread
                relay.post_finished(tid, False, sys.exc_info())
                return
            relay.post_finished(tid, True, result)

        self.active += 1
        (self.write_pool if write else self.pool).start(_Runnable(body))
        return tid

    def _is_stale(self, key: str, tid: int) -> bool:
        with self._lock:
            return self._latest.get(key, tid) != tid

    def cancel(self, key: str) -> None:
        """Forget the pending task under ``key``: its result will be dropped."""
        with self._lock:
            self._latest[key] = -1

    def wait(self, msecs: int = 5000) -> bool:
        """Block until every task has finished (shutdown and tests)."""
        return self.write_pool.waitForDone(msecs) and self.pool.waitForDone(msecs)

    # -- answering on the main thread -------------------------------------------------
    @Slot(int)
    def _finished(self, tid: int) -> None:
        ok, payload = self._relay.take_finished(tid)
        self.active -= 1
        with self._lock:
            key, on_result, on_error, owner = self._callbacks.pop(tid, (None, None, None, None))
            stale = key is not None and self._latest.get(key) != tid
        if owner is not None and not shiboken6.isValid(owner):
            return
        if not ok and payload is None:
            return  # skipped before it ran
        if stale:
            log.debug("dropped a stale result of task %s (%s)", tid, key)
            return
        if ok:
            if on_result is not None:
                on_result(payload)
            return
        exc_type, exc, tb = payload  # type: ignore[misc]
        if on_error is not None:
            on_error(exc)
        else:
            from kinerja_desktop.ui.errors import handle_exception  # noqa: PLC0415 (the frame paints before logging's handlers load)

            handle_exception(exc_type, exc, tb, parent=owner if isinstance(owner, QObject) else None)

    @Slot(int)
    def _progress(self, tid: int) -> None:
        p = self._relay.take_progress(tid)
        handler = self._progress_handlers.get(tid)
        if handler is not None and p is not None:
            handler(p)

    def submit_job(
        self,
        make_job: Callable[[Any], Any],
        on_progress: Callable[[Progress], None],
        on_result: ResultCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        cancel_event: threading.Event | None = None,
        owner: QObject | None = None,
        min_interval: float = 0.05,
    ) -> int:
        """Run a long job: ``make_job(db)`` returns a generator yielding ``Progress``.

        Progress reaches ``on_progress`` on the main thread (throttled); setting
        ``cancel_event`` throws :class:`Cancelled` into the job at its next step, which
        then arrives at ``on_error``.
        """
        relay = self._relay
        tid = next(self._ids)

        def run_job(db) -> Any:
            job = make_job(db)
            last = 0.0
            try:
                p = next(job)
                while True:
                    now = time.monotonic()
                    if now - last >= min_interval or (p.total and p.done >= p.total):
                        last = now
                        relay.post_progress(tid, p)
                    if cancel_event is not None and cancel_event.is_set():
                        p = job.throw(Cancelled())
                    else:
                        p = next(job)
            except StopIteration as stop:
                return stop.value

        def done(result: Any) -> None:
            self._progress_handlers.pop(tid, None)
            if on_result is not None:
                on_result(result)

        def failed(exc: BaseException) -> None:
            self._progress_handlers.pop(tid, None)
            if on_error is not None:
                on_error(exc)
            elif not isinstance(exc, Cancelled):
                from kinerja_desktop.ui.errors import handle_exception  # noqa: PLC0415 (as above)

                handle_exception(type(exc), exc, exc.__traceback__)

        self._progress_handlers[tid] = on_progress
        return self._start(tid, run_job, done, failed, key=None, owner=owner, pass_db=True)
