"""Automatic sync with the central server, without ever blocking the window.

- :class:`AutoSync`: a QTimer runs push + pull (``sync.http_client.sync_job``) in a thread
  pool of its own every few minutes when the server answers; after a failure the wait
  doubles (up to an hour), after a success it is back to normal. Closing the window or
  signing out interrupts a sync that is waiting to retry.
- :class:`SyncIndicator`: the status bar's "Daring/Luring · terakhir 14.05 · 3 perubahan
  tertunda".
- :class:`SyncNowBox`: the Sinkronisasi page's "Sinkronkan sekarang" (with the server and
  the state of the last attempt).
- :class:`ServerAddressBox`: the server address in Pengaturan (filled by the enrollment).

The window calls :func:`attach_auto_sync` once a person has signed in.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kinerja_desktop.errors import UserError
from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.progress import Cancelled
from kinerja_desktop.services.settings import set_setting
from kinerja_desktop.sync import peers
from kinerja_desktop.sync.http_client import RetryPolicy, ServerUnavailable, check_server, resolve_server_url, sync_job
from kinerja_desktop.sync.offices import own_unsent_changes
from kinerja_desktop.sync.peers import SERVER_URL_SETTING
from kinerja_desktop.ui.operations import show_error
from kinerja_desktop.ui.tasks import TaskRunner

log = logging.getLogger("kinerja.ui.sync")

INTERVAL_S = 5 * 60
MAX_WAIT_S = 60 * 60
FIRST_DELAY_S = 10
INFO_REFRESH_S = 60


@dataclass(frozen=True)
class SyncState:
    #: An enrolled office with a server address: automatic sync applies.
    applicable: bool = False
    is_central: bool = False
    server_url: str = ""
    #: None until the server has been asked once.
    online: bool | None = None
    running: bool = False
    last_sync: datetime | None = None
    last_message: str = ""
    last_error: str = ""
    pending: int = 0
    next_at: datetime | None = None


def read_state(db) -> dict:
    """Runs in a worker: what decides whether and where to sync, and what is pending."""

    with db.session() as s:
        me = peers.local_site(s)
        central = None if me.is_central else peers.central_peer(s)
        url = peers.server_url(s)
        pending = own_unsent_changes(s, me.id, central.id) if central is not None else 0
        return {
            "is_central": bool(me.is_central),
            "applicable": central is not None and bool(url) and not central.revoked,
            "server_url": url,
            "pending": pending,
        }


class AutoSync(QObject):
    changed = Signal()

    def __init__(
        self,
        db,
        parent: QObject | None = None,
        *,
        interval_s: int = INTERVAL_S,
        first_delay_s: int = FIRST_DELAY_S,
        job_kw: dict | None = None,
    ) -> None:
        super().__init__(parent)

        self.db = db
        self.interval_s = interval_s
        self.first_delay_s = first_delay_s
        self.job_kw = dict(job_kw or {})
        self.runner = TaskRunner(db, self, max_threads=1)
        self.state = SyncState()
        self.failures = 0
        self.cancel = threading.Event()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.run_now)
        self.info_timer = QTimer(self)
        self.info_timer.setInterval(INFO_REFRESH_S * 1000)
        self.info_timer.timeout.connect(self.refresh_info)
        self.stopped = False

    # -- schedule ---------------------------------------------------------------------------
    def start(self) -> None:
        self.refresh_info()
        self.info_timer.start()
        self._schedule(self.first_delay_s)

    def shutdown(self) -> None:
        """Stop the timers and interrupt a sync that is waiting to retry (closing, signing out)."""
        if self.stopped:
            return
        self.stopped = True
        self.timer.stop()
        self.info_timer.stop()
        self.cancel.set()
        self.runner.wait(3000)

    def _schedule(self, seconds: float) -> None:
        if self.stopped:
            return
        self.timer.start(int(seconds * 1000))
        self._set(next_at=datetime.now().replace(microsecond=0) + _delta(seconds))

    def wait_after_failure(self) -> int:
        return min(MAX_WAIT_S, self.interval_s * 2 ** min(self.failures, 10))

    def _set(self, **kw) -> None:
        self.state = replace(self.state, **kw)
        self.changed.emit()

    # -- work -------------------------------------------------------------------------------
    def refresh_info(self) -> None:
        if self.stopped:
            return
        self.runner.submit(read_state, lambda info: self._set(**info), self._info_failed, key="info", pass_db=True)

    def _info_failed(self, exc: BaseException) -> None:
        log.info("sync state not read: %s", exc)

    def _sleep(self, seconds: float) -> None:
        if self.cancel.wait(seconds):
            raise Cancelled()

    def run_now(self) -> bool:
        """Sync now (the timer, or "Sinkronkan sekarang"); False when one is already running."""
        if self.state.running or self.stopped:
            return False
        self.timer.stop()
        self._set(running=True, last_error="")
        kw = dict(self.job_kw)

        def make_job(db):

            info = read_state(db)
            if not info["applicable"]:
                return None
            url = resolve_server_url(db, info["server_url"])
            check_server(url)
            policy = kw.pop("policy", None) or RetryPolicy(sleep=self._sleep, read_timeout=120)
            report = yield from sync_job(db, url, policy=policy, **kw)
            return report, read_state(db)

        self.runner.submit_job(make_job, lambda _p: None, self._done, self._failed, cancel_event=self.cancel)
        return True

    def _done(self, payload) -> None:
        if payload is None:  # not an enrolled office with a server: nothing to do
            self._set(running=False, online=None)
            self.refresh_info()
            self._schedule(self.interval_s)
            return
        report, info = payload
        self.failures = 0
        self._set(running=False, online=True, last_sync=datetime.now(), last_message=report.message, **info)
        self._schedule(self.interval_s)

    def _failed(self, exc: BaseException) -> None:

        if isinstance(exc, Cancelled):
            self._set(running=False)
            return
        self.failures += 1
        if isinstance(exc, ServerUnavailable):
            self._set(running=False, online=False, last_error=exc.message)
        elif isinstance(exc, UserError):
            self._set(running=False, online=True, last_error=exc.message)
        else:
            log.error("automatic sync failed", exc_info=(type(exc), exc, exc.__traceback__))
            self._set(
                running=False, last_error=_("Sinkronisasi gagal karena kesalahan tak terduga; rincian ada di log.")
            )
        self.refresh_info()
        self._schedule(self.wait_after_failure())

    # -- closing with the window ------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Close:
            self.shutdown()
        return False


def _delta(seconds: float):

    return timedelta(seconds=seconds)


def _hhmm(dt: datetime | None) -> str:
    return dt.strftime("%H.%M") if dt else "—"


def describe(state: SyncState) -> str:
    """The one line the status bar shows."""
    if state.running:
        return _("⟳ Menyinkronkan dengan kantor pusat…")
    pending = _("{n} perubahan tertunda").format(n=number_text(state.pending))
    if state.online is True:
        return _("● Daring · terakhir {time} · {pending}").format(time=_hhmm(state.last_sync), pending=pending)
    if state.online is False:
        return _("○ Luring · {pending} · coba lagi {time}").format(pending=pending, time=_hhmm(state.next_at))
    return _("○ Belum tersambung · {pending}").format(pending=pending)


class SyncIndicator(QLabel):
    def __init__(self, auto: AutoSync, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncIndicator")
        self.setContentsMargins(6, 0, 6, 0)
        self.auto = auto
        auto.changed.connect(self.update_text)
        self.update_text()

    def update_text(self) -> None:
        st = self.auto.state
        self.setVisible(st.applicable)
        self.setText(describe(st))
        tip = [_("Server: {url}").format(url=st.server_url or "—")]
        if st.last_message:
            tip.append(st.last_message)
        if st.last_error:
            tip.append(st.last_error)
        self.setToolTip("\n".join(tip))
        self.setAccessibleName(self.text())


class SyncNowBox(QGroupBox):
    """ "Sinkronkan sekarang" for the Sinkronisasi page."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(_("Server kantor pusat"), parent)
        self.setObjectName("syncNowBox")
        self.auto = ensure_auto_sync(ctx)
        layout = QHBoxLayout(self)
        text = QVBoxLayout()
        self.server = QLabel("…")
        self.server.setObjectName("syncServer")
        self.state_label = QLabel("")
        self.state_label.setObjectName("syncNowState")
        self.state_label.setWordWrap(True)
        text.addWidget(self.server)
        text.addWidget(self.state_label)
        layout.addLayout(text, 1)
        self.button = QPushButton(_("Sinkronkan sekarang"))
        self.button.setObjectName("syncNow")
        self.button.clicked.connect(self.sync_now)
        layout.addWidget(self.button)
        self._was_running = False
        self.auto.changed.connect(self.update_view)
        self.update_view()

    def _page(self):
        w = self.parentWidget()
        while w is not None and not hasattr(w, "refresh"):
            w = w.parentWidget()
        return w

    def sync_now(self) -> None:
        self.auto.run_now()

    def update_view(self) -> None:
        st = self.auto.state
        if st.is_central:
            self.server.setText(_("Situs ini kantor pusat: kantor-kantor mengirim ke server 'kinerja central serve'."))
        elif not st.server_url:
            self.server.setText(_("Alamat server belum diatur (diisi oleh bundel pendaftaran atau di Pengaturan)."))
        else:
            self.server.setText(_("Server: {url}").format(url=st.server_url))
        lines = [describe(st)] if st.applicable else []
        if st.last_message and not st.running:
            lines.append(st.last_message)
        if st.last_error and not st.running:
            lines.append(st.last_error)
        self.state_label.setText("\n".join(lines))
        self.state_label.setStyleSheet("color: #b00020;" if st.last_error and not st.running else "")
        self.button.setEnabled(st.applicable and not st.running)
        if self._was_running and not st.running:  # the page's history and pending counts changed
            page = self._page()
            if page is not None:
                page.refresh()
        self._was_running = st.running


class ServerAddressBox(QGroupBox):
    """The server address (from the enrollment; an administrator may change it)."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(_("Server sinkronisasi kantor pusat"), parent)

        self.ctx = ctx
        self.setObjectName("serverAddressBox")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.address = QLineEdit()
        self.address.setObjectName("serverAddress")
        self.address.setPlaceholderText("https://sync.batangharikab.go.id")
        self.check_button = QPushButton(_("Periksa"))
        self.save_button = QPushButton(_("Simpan alamat"))
        row.addWidget(self.address, 1)
        row.addWidget(self.check_button)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.message = QLabel(_("Diisi otomatis oleh bundel pendaftaran dari kantor pusat."))
        self.message.setObjectName("serverAddressMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.check_button.clicked.connect(self.check)
        self.save_button.clicked.connect(self.save)
        ctx.query(peers.server_url, self.address.setText, owner=self)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")
        self.message.setText(text)

    def check(self) -> None:
        url = self.address.text().strip().rstrip("/")

        def work(_session):

            return check_server(url)

        def done(health: dict) -> None:
            if health.get("database") == "ok":
                self._say(
                    _("Server menjawab: {name} ({site}).").format(
                        name=health.get("name") or "—", site=health.get("site_id", "")
                    )
                )
            else:
                self._say(_("Server menjawab, tetapi basis datanya sedang tidak tersedia."), error=True)

        self.check_button.setEnabled(False)

        def finished_error(exc: BaseException) -> None:
            self.check_button.setEnabled(True)
            self._say(exc.message if isinstance(exc, UserError) else str(exc), error=True)

        def finished_ok(health) -> None:
            self.check_button.setEnabled(True)
            done(health)

        self.ctx.runner.submit(work, finished_ok, finished_error, key="check-server", owner=self)

    def save(self) -> None:

        url = self.address.text().strip().rstrip("/")
        if url and not url.startswith(("http://", "https://")):
            self._say(_("Alamat server harus diawali http:// atau https://."), error=True)
            return
        principal = self.ctx.principal
        self.ctx.write(
            lambda s: set_setting(s, principal, SERVER_URL_SETTING, url),
            self._saved,
            on_error=self._refused,
            changes={"settings", "sync"},
            owner=self,
        )

    def _saved(self, _result=None) -> None:
        self._say(_("Alamat server tersimpan."))
        auto = getattr(self.ctx, "auto_sync", None)
        if auto is not None:
            auto.refresh_info()

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self._say(exc.message, error=True)
        else:
            show_error(exc, self)


def ensure_auto_sync(ctx, **kw) -> AutoSync:
    """The session's :class:`AutoSync` (made and started on first use)."""
    auto = getattr(ctx, "auto_sync", None)
    if auto is None or auto.stopped:
        parent = ctx.window if isinstance(ctx.window, QObject) else None
        auto = AutoSync(ctx.db, parent, **kw)
        ctx.auto_sync = auto
        if parent is not None:
            parent.installEventFilter(auto)
            signal = getattr(parent, "sign_out_requested", None)
            if signal is not None:
                signal.connect(auto.shutdown)
        auto.start()
    return auto


def attach_auto_sync(window, ctx, **kw) -> AutoSync:
    """Start the automatic sync for a signed-in session and put its indicator in the status bar."""
    auto = ensure_auto_sync(ctx, **kw)
    indicator = SyncIndicator(auto)
    window.statusBar().addPermanentWidget(indicator)
    auto.destroyed.connect(indicator.deleteLater)
    if hasattr(window, "sign_out_requested"):
        window.sign_out_requested.connect(indicator.deleteLater)
    return auto
