"""First start on a fresh Linux: the missing Qt display libraries are named with one apt-get line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from kinerja_desktop.ui.platform_check import (
    DEBIAN_PACKAGES,
    README_PACKAGES,
    PlatformCheck,
    check,
    parse_ldd,
    platform_to_check,
    plugin_path,
)

# What ldd printed for Qt 6.11's libqxcb.so on a Debian 12 without two xcb utility libraries.
LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd6b5f2000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x00007f0b1c000000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f0b1bf9c000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f0b1bf90000)
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0b1b200000)
"""


def test_ldd_output_names_each_missing_library_once():
    assert parse_ldd(LDD_OUTPUT) == ("libxcb-icccm.so.4", "libxcb-keysyms.so.1")
    assert parse_ldd("\tlibc.so.6 => /lib/libc.so.6 (0x1)\n") == ()


def test_the_message_gives_one_apt_get_line():
    result = PlatformCheck("xcb", None, ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"))
    assert not result.ok
    assert result.install_line() == "sudo apt-get install -y libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"
    message = result.message()
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4, libxcb-keysyms.so.1" in message
    assert message.count("apt-get install") == 1
    assert "apt-file" not in message


def test_an_unknown_library_gets_a_way_to_find_its_package():
    result = PlatformCheck("xcb", None, ("libxcb-icccm.so.4", "libfoo.so.9"))
    assert result.packages == ("libxcb-icccm4",)
    assert "apt-file search libfoo.so.9" in result.message()


def test_which_plugin_is_checked():
    assert platform_to_check({}) == "xcb"
    assert platform_to_check({"QT_QPA_PLATFORM": "offscreen"}) == ""
    assert platform_to_check({"QT_QPA_PLATFORM": "xcb"}) == "xcb"
    assert platform_to_check({"QT_QPA_PLATFORM": "wayland;xcb"}) == "wayland"
    assert platform_to_check({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}) == "wayland"
    assert platform_to_check({"XDG_SESSION_TYPE": "wayland"}) == "xcb"
    assert check({"QT_QPA_PLATFORM": "offscreen"}).ok


def test_readme_packages_are_known_and_listed_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert set(README_PACKAGES) <= set(DEBIAN_PACKAGES.values())
    assert "sudo apt-get install -y " + " ".join(README_PACKAGES) in readme


def test_the_real_xcb_plugin_is_checked_with_ldd():
    plugin = plugin_path("xcb")
    assert plugin is not None and plugin.is_file()
    result = check({"QT_QPA_PLATFORM": "xcb"})
    assert result.plugin == plugin
    output = subprocess.run([shutil.which("ldd"), str(plugin)], capture_output=True, text=True).stdout
    not_found = {line.split()[0] for line in output.splitlines() if "not found" in line}
    assert set(result.missing) == not_found
    assert all(lib in DEBIAN_PACKAGES for lib in result.missing)


def test_the_program_names_the_packages_instead_of_aborting(tmp_path):
    """Started for X11 on this machine: with libraries missing it prints the apt-get line and
    exits 1; with them all present the check passes."""
    result = check({"QT_QPA_PLATFORM": "xcb"})
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", KINERJA_HOME=str(tmp_path), KINERJA_LANG="id")
    env.pop("DISPLAY", None)
    run = subprocess.run(
        [sys.executable, "-m", "kinerja_desktop.ui.platform_check"], env=env, capture_output=True, text=True, timeout=60
    )
    if result.ok:
        assert run.returncode == 0 and run.stderr == ""
        return
    assert run.returncode == 1
    assert result.install_line() in run.stderr
    program = subprocess.run(
        [sys.executable, "-c", "import sys; from kinerja_desktop.cli import main; sys.exit(main([]))"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert program.returncode == 1
    assert result.install_line() in program.stderr
    assert "could not load the qt platform plugin" not in program.stderr.lower()


def test_the_quick_probe_at_start_agrees_with_ldd():
    full = check({"QT_QPA_PLATFORM": "xcb"})
    quick = check({"QT_QPA_PLATFORM": "xcb"}, quick=True)
    assert quick.ok == full.ok
    assert quick.missing == full.missing  # when something is missing, the quick check asks ldd too
