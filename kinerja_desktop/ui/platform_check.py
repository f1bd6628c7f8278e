"""Before the window opens on Linux: are the libraries of Qt's display plugin installed?

Qt's X11 plugin (``libqxcb.so``) needs a dozen system libraries that a fresh Debian or
Ubuntu does not always have (``libxcb-cursor0``, ``libxcb-icccm4``, ``libxcb-keysyms1``,
...). Without them Qt aborts with "Could not load the Qt platform plugin xcb" and a list
of plugin names. :func:`check` asks ``ldd`` which libraries the plugin cannot find and
names the one ``apt-get install`` line that adds them. ``make run`` and the program's
start call it; Windows and macOS need nothing (Qt brings its own).

``python -m kinerja_desktop.ui.platform_check``: print the result, exit 1 when something
is missing. Nothing here imports Qt (the check must run where Qt cannot start).
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from kinerja_desktop.i18n import _

#: Shared library (as ``ldd`` names it) -> the Debian/Ubuntu package that installs it.
DEBIAN_PACKAGES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libexpat.so.1": "libexpat1",
    "libpng16.so.16": "libpng16-16",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
    "libbrotlidec.so.1": "libbrotli1",
    "libbrotlicommon.so.1": "libbrotli1",
}

#: The libraries README lists for a fresh Linux (the X11 plugin's usual gaps).
README_PACKAGES = (
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxcb-randr0",
    "libxcb-shape0",
    "libxcb-xfixes0",
    "libxcb-sync1",
    "libxcb-xkb1",
    "libxkbcommon-x11-0",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libdbus-1-3",
)

#: The system libraries Qt's X11 plugin loads (its ``ldd`` on Debian 12, Qt 6.11): the quick
#: probe at the program's start tries these and runs ``ldd`` only when one is missing.
XCB_LIBRARIES = (
    "libxcb-cursor.so.0",
    "libxcb-icccm.so.4",
    "libxcb-keysyms.so.1",
    "libxcb-image.so.0",
    "libxcb-render-util.so.0",
    "libxcb-util.so.1",
    "libxcb-randr.so.0",
    "libxcb-shm.so.0",
    "libxcb-sync.so.1",
    "libxcb-xfixes.so.0",
    "libxcb-render.so.0",
    "libxcb-shape.so.0",
    "libxcb-xkb.so.1",
    "libxcb.so.1",
    "libX11-xcb.so.1",
    "libX11.so.6",
    "libxkbcommon.so.0",
    "libxkbcommon-x11.so.0",
    "libGL.so.1",
    "libEGL.so.1",
    "libfontconfig.so.1",
    "libfreetype.so.6",
    "libdbus-1.so.3",
    "libglib-2.0.so.0",
)

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$")


@dataclass(frozen=True)
class PlatformCheck:
    platform: str  # "xcb", "wayland", or "" when nothing needed checking
    plugin: Path | None
    missing: tuple[str, ...]  # shared libraries the plugin cannot find

    @property
    def ok(self) -> bool:
        return not self.missing

    @property
    def packages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(DEBIAN_PACKAGES[lib] for lib in self.missing if lib in DEBIAN_PACKAGES))

    @property
    def unknown(self) -> tuple[str, ...]:
        return tuple(lib for lib in self.missing if lib not in DEBIAN_PACKAGES)

    def install_line(self) -> str:
        return "sudo apt-get install -y " + " ".join(self.packages) if self.packages else ""

    def message(self) -> str:
        """What to tell the person (empty when all is well)."""
        if self.ok:
            return ""
        lines = [
            _(
                "Kinerja Desktop belum dapat membuka jendela: pustaka sistem untuk tampilan Qt ({platform}) "
                "belum terpasang: {libs}."
            ).format(platform=self.platform, libs=", ".join(self.missing))
        ]
        if self.packages:
            lines += [_("Pasang dengan perintah ini, lalu jalankan program lagi:"), "    " + self.install_line()]
        if self.unknown:
            lines.append(
                _("Paket untuk {libs} dapat dicari dengan: apt-file search {first}").format(
                    libs=", ".join(self.unknown), first=self.unknown[0]
                )
            )
        return "\n".join(lines)


def parse_ldd(output: str) -> tuple[str, ...]:
    """The libraries ``ldd`` reports as "not found", each once, in its order."""
    found = [m.group(1) for m in map(_NOT_FOUND.match, output.splitlines()) if m]
    return tuple(dict.fromkeys(found))


def plugin_path(platform: str) -> Path | None:
    """Where the installed PySide6 keeps Qt's ``platform`` plugin (None if not found)."""
    bases = []
    frozen = getattr(sys, "_MEIPASS", None)  # the packaged program keeps PySide6 beside it
    if frozen:
        bases.append(Path(frozen) / "PySide6")
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.origin and Path(spec.origin).is_file():
        bases.append(Path(spec.origin).parent)
    folders = [b / sub / "platforms" for b in bases for sub in (Path("Qt") / "plugins", Path("plugins"))]
    for folder in folders:
        candidate = folder / f"libq{platform}.so"
        if candidate.is_file():
            return candidate
    return None


def missing_libraries(library: Path) -> tuple[str, ...]:
    """The shared libraries ``library`` needs that the system does not have (via ``ldd``)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return ()
    result = subprocess.run([ldd, str(library)], capture_output=True, text=True, timeout=30)
    return parse_ldd(result.stdout)


def platform_to_check(environ: dict[str, str] | None = None) -> str:
    """The display plugin Qt will load: what QT_QPA_PLATFORM names, else X11 (xcb) or
    Wayland in a Wayland session; "" when no display plugin needs system libraries."""
    env = os.environ if environ is None else environ
    chosen = env.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip().lower()
    if chosen:
        return chosen if chosen in ("xcb", "wayland") else ""
    if env.get("XDG_SESSION_TYPE") == "wayland" and env.get("WAYLAND_DISPLAY"):
        return "wayland"
    return "xcb"


def _all_load(libraries: tuple[str, ...]) -> bool:
    """Whether every library loads (what Qt's plugin would load a moment later anyway)."""

    for name in libraries:
        try:
            ctypes.CDLL(name)
        except OSError:
            return False
    return True


def check(environ: dict[str, str] | None = None, *, quick: bool = False) -> PlatformCheck:
    """Check the display plugin Qt will load on this Linux (always OK elsewhere).

    ``quick`` (the program's start): when every usual X11 library loads, skip ``ldd``
    (a few milliseconds instead of tens); otherwise ask ``ldd`` for the full list.
    """
    if not sys.platform.startswith("linux"):
        return PlatformCheck("", None, ())
    platform = platform_to_check(environ)
    plugin = plugin_path(platform) if platform else None
    if plugin is None:
        return PlatformCheck(platform, None, ())
    if quick and platform == "xcb" and _all_load(XCB_LIBRARIES):
        return PlatformCheck(platform, plugin, ())
    return PlatformCheck(platform, plugin, missing_libraries(plugin))


def main() -> int:
    result = check()
    if result.ok:
        return 0
    print(result.message(), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
