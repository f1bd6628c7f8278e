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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from kinerja_desktop.ui.tasks import ErrorCallback, ResultCallback, TaskRunner

KIND_SEPARATOR = ","


class DataBus(QObject):
    """Tells subscribers which kinds of data a write changed (on the UI thread)."""

    changed = Signal(str)  # kinds joined by KIND_SEPARATOR (plain str: safe across PySide6 releases)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._history: list[frozenset[str]] = []

    def notify(self, kinds: Iterable[str]) -> None:
        """Announce that data of ``kinds`` changed (call on the UI thread)."""
        kinds = frozenset(k for k in kinds if k)
        if not kinds:
            return
        self._history.append(kinds)
        del self._history[:-100]
        self.changed.emit(KIND_SEPARATOR.join(sorted(kinds)))

    def subscribe(self, kinds: Iterable[str], callback: Callable[[frozenset[str]], Any] | Callable[[], Any],
                  owner: QObject | None = None, *, with_kinds: bool = False) -> None:
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

    def query(self, fn: Callable[[Any], Any], on_done: ResultCallback | None = None, *,
              on_error: ErrorCallback | None = None, owner: QObject | None = None,
              key: str | None = None) -> int:
        """Run ``fn(session)`` off the UI thread; nothing it does is committed.

        ``key``: a newer query under the same key supersedes an older one (search as you
        type). ``owner``: a widget whose deletion drops the answer.
        """
        def run(session):
            try:
                return fn(session)
            finally:
                session.rollback()

        return self.runner.submit(run, on_done, on_error, key=key, owner=owner)

    def write(self, fn: Callable[[Any], Any], on_done: ResultCallback | None = None, *,
              changes: Iterable[str] = (), on_error: ErrorCallback | None = None,
              owner: QObject | None = None) -> int:
        """Run ``fn(session)`` in a transaction off the UI thread, then announce ``changes``.

        The transaction commits when ``fn`` returns and rolls back on any error, which then
        reaches ``on_error`` (or the one error display). ``on_done(result)`` runs before the
        subscribers are told, so a dialog can close first.
        """
        kinds = frozenset(changes)
        bus = self.bus

        def run(session):
            with session.begin():
                return fn(session)

        def done(result: Any) -> None:
            try:
                if on_done is not None and (owner is None or shiboken6.isValid(owner)):
                    on_done(result)
            finally:
                bus.notify(kinds)

        failed = None
        if on_error is not None:
            def failed(exc: BaseException) -> None:
                if owner is None or shiboken6.isValid(owner):
                    on_error(exc)

        # No owner here: the announcement must not depend on the owner surviving (a dialog
        # that closed); ``done``/``failed`` check the owner themselves.
        return self.runner.submit(run, done, failed)
