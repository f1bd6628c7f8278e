"""Bring resources/translations/en.po up to date with the strings in the package.

Every ``_("...")`` and ``N_("...")`` literal of ``kinerja_desktop`` is extracted with
Babel; new ones are added to en.po (existing English texts are kept, strings no longer
used are dropped), and the ones still missing an English text are listed.

    python tools/update_translations.py            # merge and list what is missing
    python tools/update_translations.py --check    # exit 1 if anything is missing (no write)
    python tools/update_translations.py --add new.json   # also take {"msgid": "English"} pairs
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kinerja_desktop"
PO_FILE = ROOT / "resources" / "translations" / "en.po"
KEYWORDS = {"_": None, "N_": None}
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}(?!\})")


def extract(package: Path = PACKAGE) -> dict[str, list[str]]:
    """msgid -> the files (relative) that use it."""
    found: dict[str, list[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(package),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=(),
    ):
        if not isinstance(message, str) or not message:
            continue
        where = f"kinerja_desktop/{filename}"
        files = found.setdefault(message, [])
        if where not in files:
            files.append(where)
    return found


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text or ""))


def read_existing(path: Path = PO_FILE) -> dict[str, str]:
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    return {m.id: m.string for m in catalog if m.id and isinstance(m.id, str)}


def merge(found: dict[str, list[str]], existing: dict[str, str], extra: dict[str, str]) -> Catalog:
    catalog = Catalog(
        locale="en",
        domain="kinerja",
        project="Kinerja Desktop",
        msgid_bugs_address="",
        copyright_holder="Pemerintah Kabupaten Batanghari",
        charset="utf-8",
        fuzzy=False,
    )
    for msgid in sorted(found):
        text = extra.get(msgid) or existing.get(msgid) or ""
        catalog.add(msgid, text, locations=[(f, None) for f in found[msgid]])
    return catalog


def problems(found: dict[str, list[str]], translations: dict[str, str]) -> tuple[list[str], list[str]]:
    missing = [m for m in sorted(found) if not translations.get(m)]
    mismatched = [m for m in sorted(found) if translations.get(m) and placeholders(m) != placeholders(translations[m])]
    return missing, mismatched


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report; exit 1 when something is missing")
    parser.add_argument("--add", type=Path, help="a JSON file of {msgid: English text} to merge in")
    args = parser.parse_args(argv)

    found = extract()
    existing = read_existing()
    extra = json.loads(args.add.read_text(encoding="utf-8")) if args.add else {}
    unknown = sorted(set(extra) - set(found))
    merged = {m: (extra.get(m) or existing.get(m) or "") for m in found}
    missing, mismatched = problems(found, merged)
    if not args.check:
        catalog = merge(found, existing, extra)
        PO_FILE.parent.mkdir(parents=True, exist_ok=True)
        with PO_FILE.open("wb") as fh:
            write_po(fh, catalog, width=0, include_lineno=False, sort_output=True)
        dropped = sorted(set(existing) - set(found))
        print(
            f"{PO_FILE.relative_to(ROOT)}: {len(found)} strings, {len(found) - len(missing)} translated, "
            f"{len(dropped)} no longer used (dropped)"
        )
    for msgid in unknown:
        print(f"not in the package (ignored): {msgid!r}")
    for msgid in mismatched:
        print(f"placeholders differ: {msgid!r} -> {merged[msgid]!r}")
    if missing:
        print(f"{len(missing)} without an English text:")
        for msgid in missing:
            print(f"  {msgid!r}  ({', '.join(found[msgid])})")
    return 1 if (missing or mismatched) and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
