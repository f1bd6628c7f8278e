"""One running program per data folder: a second launch brings the first one forward.

The first launch takes a lock file and listens on a local socket (a named pipe on Windows)
whose name is derived from the user and the data folder, so two different data folders may
run side by side. A later launch for the same folder finds the lock taken, connects, sends
its command-line arguments and exits; the first one emits :attr:`SingleInstance.activated`
with those arguments, and the main window raises itself.

A crashed program leaves no obstacle: :class:`QLockFile` notices that the process holding
the lock is gone, and a left-over socket file is removed before listening.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QDir, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

log = logging.getLogger("kinerja.ui")

#: How long a second launch tries to reach the first one (it may still be starting up).
CONNECT_TIMEOUT_MS = 3000


def instance_name(data_dir: str | os.PathLike[str]) -> str:
    """The socket name for ``data_dir``: the same folder gives the same name, for this user."""
    try:
        user = getpass.getuser()
    except Exception:  # pragma: no cover - no user name in the environment
        user = ""
    folder = os.path.normcase(str(Path(data_dir).expanduser().resolve()))
    digest = hashlib.sha256(f"{user}\0{folder}".encode()).hexdigest()[:24]
    return f"kinerja-{digest}"


class SingleInstance(QObject):
    """The running program's end: listens for later launches while it lives."""

    #: A later launch asked this program to come forward; carries that launch's arguments.
    activated = Signal(list)

    def __init__(self, name: str, lock: QLockFile, server: QLocalServer) -> None:
        super().__init__()
        self.name = name
        self._lock = lock
        self.server = server
        self._buffers: dict[QLocalSocket, bytearray] = {}
        server.setParent(self)
        server.newConnection.connect(self._accept)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()  # owned by the server
            self._buffers[sock] = bytearray()
            sock.readyRead.connect(lambda sock=sock: self._read(sock))
            sock.disconnected.connect(lambda sock=sock: self._drop(sock))
            self._read(sock)

    def _read(self, sock: QLocalSocket) -> None:
        buffer = self._buffers.get(sock)
        if buffer is None:
            return
        buffer.extend(bytes(sock.readAll().data()))
        if b"\n" in buffer:
            line = bytes(buffer).split(b"\n", 1)[0]
            self._drop(sock)  # one message per connection: done with it
            self._message(line)

    def _drop(self, sock: QLocalSocket) -> None:
        if self._buffers.pop(sock, None) is not None:
            sock.readyRead.disconnect()
            sock.disconnected.disconnect()
            sock.abort()
            sock.deleteLater()

    def _message(self, raw: bytes) -> None:
        try:
            args = json.loads(raw.decode("utf-8"))
            if not isinstance(args, list):
                args = []
        except ValueError:
            log.warning("single instance: unreadable message from a second launch")
            args = []
        self.activated.emit([str(a) for a in args])

    def release(self) -> None:
        """Stop listening and give up the lock (the program is closing)."""
        for sock in list(self._buffers):
            self._drop(sock)
        self.server.close()
        self._lock.unlock()


def _lock_file(name: str) -> QLockFile:
    lock = QLockFile(str(Path(QDir.tempPath()) / f"{name}.lock"))
    lock.setStaleLockTime(0)  # only a dead holder makes the lock stale, never its age
    return lock


def _notify(name: str, args: list[str]) -> bool:
    """Send ``args`` to the running program; False when it could not be reached."""
    if sys.platform == "win32":  # let the running program take the foreground
        try:
            import ctypes  # noqa: PLC0415 (Windows only)

            ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY
        except Exception:  # pragma: no cover
            pass
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    sock.write(json.dumps(args).encode("utf-8") + b"\n")
    sock.flush()
    ok = sock.waitForBytesWritten(CONNECT_TIMEOUT_MS) or sock.bytesToWrite() == 0
    sock.disconnectFromServer()
    return ok


def acquire(name: str, args: list[str] | None = None) -> SingleInstance | None:
    """Become the one running program for ``name``, or ask the running one to come forward.

    Returns the :class:`SingleInstance` to keep for the program's lifetime, or ``None`` when
    another program already runs for this name (it was sent ``args``; the caller exits 0).
    """
    args = list(args or [])
    lock = _lock_file(name)
    if not lock.tryLock(100):
        if lock.error() == QLockFile.LockError.LockFailedError:
            # Another live program holds the lock; it may still be opening its socket.
            if not _notify(name, args):
                log.warning("single instance: the running program did not answer")
            return None
        # The temp folder is unusable (read-only, full): run without the single-instance guard.
        log.warning("single instance: lock file unavailable (%s)", lock.error())
    QLocalServer.removeServer(name)  # a socket file left by a program that crashed
    server = QLocalServer()
    server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
    if not server.listen(name):
        log.warning("single instance: cannot listen on %s: %s", name, server.errorString())
    return SingleInstance(name, lock, server)


def bring_forward(window: QWidget) -> None:
    """Show ``window`` on top: restore it if minimised, raise it and give it the focus."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
