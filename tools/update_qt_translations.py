"""Keep resources/translations/qt_id.ts (Qt's own texts in Indonesian) complete.

Qt's source texts are not shipped with PySide6, but its catalogues for other languages
are, and each message in a ``.qm`` file carries its context and source text. This tool
reads those of the installed PySide6 (``qtbase_*.qm``) and lists, for the contexts the
``.ts`` covers, the Qt texts it does not translate yet: run it after upgrading PySide6.

    python tools/update_qt_translations.py            # list what is missing
    python tools/update_qt_translations.py --check    # exit 1 if anything is missing
    python tools/update_qt_translations.py --add      # add the missing ones, unfinished,
                                                      # for a translator to fill in
"""

from __future__ import annotations

import argparse
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS_FILE = ROOT / "resources" / "translations" / "qt_id.ts"
QM_MAGIC = bytes.fromhex("3CB86418CAEF9C95CD211CBF60A1BDDD")
#: Contexts whose texts are names, not words (paper sizes), or never shown by the program.
IGNORED_CONTEXTS = {"QPageSize", "QColorDialog", "QFontDialog"}
#: The Qt licence text of "About Qt" (never shown by the program) stays in English.
IGNORED_PREFIXES = ("<p>Qt is a C++ toolkit",)


def qm_messages(path: Path) -> set[tuple[str, str, str]]:
    """``(context, source, comment)`` of every message in a compiled Qt catalogue."""
    data = path.read_bytes()
    if data[:16] != QM_MAGIC:
        return set()
    pos, messages = 16, b""
    while pos + 5 <= len(data):
        tag, length = data[pos], struct.unpack(">I", data[pos + 1 : pos + 5])[0]
        if tag == 0x69:  # the Messages block
            messages = data[pos + 5 : pos + 5 + length]
        pos += 5 + length
    found, current, p = set(), {}, 0
    while p < len(messages):
        tag = messages[p]
        p += 1
        if tag == 1:  # end of a message
            if "source" in current:
                found.add((current.get("context", ""), current["source"], current.get("comment", "")))
            current = {}
            continue
        if tag == 5:  # obsolete, no payload
            continue
        length = struct.unpack(">I", messages[p : p + 4])[0]
        p += 4
        length = 0 if length == 0xFFFFFFFF else length
        payload = messages[p : p + length]
        p += length
        if tag in (6, 7, 8):
            current[{6: "source", 7: "context", 8: "comment"}[tag]] = payload.decode("utf-8", "replace")
    return found


def qt_catalogues() -> list[Path]:
    import PySide6

    folder = Path(PySide6.__file__).parent / "Qt" / "translations"
    return sorted(folder.glob("qtbase_*.qm"))


def ts_messages(path: Path = TS_FILE) -> dict[tuple[str, str, str], str]:
    tree = ET.parse(path)
    out = {}
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            out[key] = message.findtext("translation") or ""
    return out


def missing(ts: dict[tuple[str, str, str], str] | None = None) -> list[tuple[str, str, str]]:
    """Qt texts of the covered contexts that the ``.ts`` does not have."""
    ts = ts_messages() if ts is None else ts
    contexts = {key[0] for key in ts} - IGNORED_CONTEXTS
    qt = set().union(*(qm_messages(p) for p in qt_catalogues()))
    return sorted(key for key in qt if key[0] in contexts and key not in ts and not key[1].startswith(IGNORED_PREFIXES))


def add_unfinished(keys: list[tuple[str, str, str]], path: Path = TS_FILE) -> None:
    tree = ET.parse(path)
    root = tree.getroot()
    contexts = {c.findtext("name"): c for c in root.iter("context")}
    for name, source, comment in keys:
        context = contexts[name]
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = source
        if comment:
            ET.SubElement(message, "comment").text = comment
        ET.SubElement(message, "translation", {"type": "unfinished"})
    ET.indent(tree, space="    ")
    tree.write(path, encoding="utf-8", xml_declaration=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when Qt texts are missing")
    parser.add_argument("--add", action="store_true", help="add the missing texts as unfinished")
    args = parser.parse_args(argv)
    keys = missing()
    for context, source, comment in keys:
        print(f"{context}: {source!r}" + (f" ({comment})" if comment else ""))
    print(f"{len(keys)} Qt texts missing from {TS_FILE.relative_to(ROOT)}")
    if args.add and keys:
        add_unfinished(keys)
    return 1 if args.check and keys else 0


if __name__ == "__main__":
    sys.exit(main())
