"""Compile TeamHub's translations (.po) into the catalogues Django reads (.mo), in pure
Python: GNU msgfmt is not on every laptop, and these catalogues are small.

    python scripts/compile_messages.py           # write every locale/*/LC_MESSAGES/django.mo
    python scripts/compile_messages.py --check   # fail when a .mo is missing or stale

The .mo files are build output, not committed: ``make install`` (so ``make run`` and
``make test``) and the Docker image compile them; ``--check`` (run by the tests) says
when they are missing or older than their .po files.
Handles what TeamHub's catalogues use: msgid/msgstr with continued lines, comments and
fuzzy entries (skipped, as msgfmt skips them). Plural forms and contexts are refused
rather than compiled wrongly.
"""

import ast
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIRS = [ROOT / "surveys" / "locale"]


def parse(text: str) -> dict[str, str]:
    """msgid -> msgstr of a .po file's translated, non-fuzzy entries (the header too)."""
    messages: dict[str, str] = {}
    entry: dict[str, str] = {}
    field, fuzzy = None, False

    def finish():
        nonlocal entry, field, fuzzy
        if "msgid" in entry and not fuzzy and (entry.get("msgstr") or entry["msgid"] == ""):
            messages[entry["msgid"]] = entry.get("msgstr", "")
        entry, field, fuzzy = {}, None, False

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,") and "fuzzy" in line:
            if "msgid" in entry:
                finish()
            fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgid_plural", "msgctxt", "msgstr[")):
            raise ValueError(f"line {number}: plural forms and contexts are not supported here")
        elif line.startswith("msgid "):
            if "msgstr" in entry:
                finish()
            field = "msgid"
            entry[field] = ast.literal_eval(line[len("msgid ") :])
        elif line.startswith("msgstr "):
            field = "msgstr"
            entry[field] = ast.literal_eval(line[len("msgstr ") :])
        elif line.startswith('"') and field:
            entry[field] += ast.literal_eval(line)
        else:
            raise ValueError(f"line {number}: cannot read {raw!r}")
    finish()
    return messages


def mo_bytes(messages: dict[str, str]) -> bytes:
    """The GNU .mo format (as CPython's Tools/i18n/msgfmt.py writes it), no hash table."""
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for key in keys:
        key_bytes, value_bytes = key.encode(), messages[key].encode()
        offsets.append((len(ids), len(key_bytes), len(strs), len(value_bytes)))
        ids += key_bytes + b"\0"
        strs += value_bytes + b"\0"
    header_size = 7 * 4
    key_start = header_size + len(keys) * 16
    value_start = key_start + len(ids)
    key_table, value_table = [], []
    for id_offset, id_length, str_offset, str_length in offsets:
        key_table += [id_length, key_start + id_offset]
        value_table += [str_length, value_start + str_offset]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), header_size, header_size + len(keys) * 8, 0, 0)
    tables = struct.pack(f"{len(key_table)}i", *key_table) + struct.pack(f"{len(value_table)}i", *value_table)
    return header + tables + ids + strs


def catalogues():
    for locale_dir in LOCALE_DIRS:
        yield from sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for po in catalogues():
        compiled = mo_bytes(parse(po.read_text(encoding="utf-8")))
        mo = po.with_suffix(".mo")
        if check:
            if not mo.exists() or mo.read_bytes() != compiled:
                stale.append(str(mo.relative_to(ROOT)))
        else:
            mo.write_bytes(compiled)
    if stale:
        print("Missing or stale translations; run make install (or scripts/compile_messages.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
