"""A second launch for the same data folder reaches the first instead of starting a copy."""

from __future__ import annotations

import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QDir

from kinerja_desktop.ui.single_instance import acquire, bring_forward, instance_name


@pytest.fixture
def name():
    """A socket name no other test (or running program) uses."""
    value = f"kinerja-test-{uuid.uuid4().hex[:12]}"
    yield value
    (Path(QDir.tempPath()) / f"{value}.lock").unlink(missing_ok=True)


def test_name_depends_on_the_data_folder(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert instance_name(a) == instance_name(tmp_path / "b" / ".." / "a")
    assert instance_name(a) != instance_name(b)
    assert len(instance_name(a)) < 60  # fits a Unix socket path in the temp folder


def test_second_launch_brings_the_first_forward(qtbot, name):
    first = acquire(name, ["ignored"])
    assert first is not None
    try:
        with qtbot.waitSignal(first.activated, timeout=5000) as signal:
            assert acquire(name, ["--open", "kiriman.kinerja"]) is None
        assert signal.args == [["--open", "kiriman.kinerja"]]
        # and again: the first keeps listening after answering once
        with qtbot.waitSignal(first.activated, timeout=5000) as signal:
            assert acquire(name) is None
        assert signal.args == [[]]
    finally:
        first.release()


def test_two_data_folders_run_side_by_side(name):
    first = acquire(name + "-a")
    second = acquire(name + "-b")
    try:
        assert first is not None and second is not None
    finally:
        for inst in (first, second):
            if inst is not None:
                inst.release()
        for suffix in ("-a", "-b"):
            (Path(QDir.tempPath()) / f"{name}{suffix}.lock").unlink(missing_ok=True)


def test_after_the_first_closes_the_next_launch_runs(name):
    first = acquire(name)
    assert first is not None
    first.release()
    again = acquire(name)
    assert again is not None
    again.release()


@pytest.mark.skipif(sys.platform == "win32", reason="Unix socket files")
def test_a_crashed_program_leaves_nothing_in_the_way(qtbot, name):
    """A lock held by a dead process and a left-over socket file do not block the next start."""
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    pid = int(dead.stdout)
    lock_path = Path(QDir.tempPath()) / f"{name}.lock"
    # QLockFile's format: pid, application name, host name.
    lock_path.write_text(f"{pid}\n{Path(sys.executable).name}\n{socket.gethostname()}\n")
    sock_path = Path(QDir.tempPath()) / name
    leftover = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    leftover.bind(str(sock_path))
    leftover.close()  # the file stays, as after a crash
    assert sock_path.exists()

    first = acquire(name)
    assert first is not None, "a dead holder's lock must not block"
    try:
        with qtbot.waitSignal(first.activated, timeout=5000):
            assert acquire(name) is None
    finally:
        first.release()
        sock_path.unlink(missing_ok=True)


def test_bring_forward_restores_a_minimised_window(qtbot):
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    window.showMinimized()
    bring_forward(window)
    assert window.isVisible()
    assert not window.isMinimized()
