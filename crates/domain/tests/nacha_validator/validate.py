#!/usr/bin/env python3
"""Validate NACHA (ACH) files with an independent implementation.

Usage: validate.py FILE...   (exit 0 when every file is valid, 1 otherwise)

The verdict is that of `achkit` (PyPI, pinned in requirements.txt), a NACHA
library written independently of Portico: its reconciliation validator checks
record lengths, blocking, the ABA checksum of every receiving DFI, every batch's
and the file's entry/addenda counts, entry hashes, debit and credit totals,
batch count and block count.

A few structural checks achkit does not make are added below, written from the
NACHA spec (Appendix Three) and not from Portico's code: file header constants
(priority code, record size, blocking factor, format code), record order,
batch header/control agreement (service class, company id, ODFI, batch number),
transaction codes and service classes, trace numbers (batch ODFI + ascending
sequence), and amounts/dates being digits.
"""
from __future__ import annotations

import re
import sys

from achkit import parse, validate

LIVE_CODES = {22: "credit", 32: "credit", 27: "debit", 37: "debit"}


def extra_checks(text: str) -> list[str]:
    errors: list[str] = []
    rows = [r for r in text.splitlines() if r]
    records = [r for r in rows if not re.fullmatch(r"9{94}", r)]
    types = "".join(r[:1] for r in records)
    if not re.fullmatch(r"1(56+8)+9", types):
        errors.append(f"record order {types!r} is not 1 (5 6… 8)… 9")
        return errors
    fh = records[0]
    for (a, b, want, what) in [(1, 3, "01", "priority code"), (34, 37, "094", "record size"),
                               (37, 39, "10", "blocking factor"), (39, 40, "1", "format code")]:
        if fh[a:b] != want:
            errors.append(f"file header {what} is {fh[a:b]!r}, expected {want!r}")
    if not re.fullmatch(r" \d{9}", fh[3:13]):
        errors.append(f"immediate destination {fh[3:13]!r} is not a space and 9 digits")
    if not re.fullmatch(r"\d{6}", fh[23:29]) or not re.fullmatch(r"\d{4}", fh[29:33]):
        errors.append("file creation date/time are not digits")
    if not re.fullmatch(r"[A-Z0-9]", fh[33]):
        errors.append(f"file id modifier {fh[33]!r} is not A-Z or 0-9")
    # Fillers only after the file control, and only as whole blocks' tail.
    control_at = max(i for i, r in enumerate(rows) if r.startswith("9") and not re.fullmatch(r"9{94}", r))
    if control_at != len(records) - 1 or any(not re.fullmatch(r"9{94}", r) for r in rows[control_at + 1:]):
        errors.append("filler records must come after the file control")

    header = None
    kinds: set[str] = set()
    last_seq = -1
    batch_no = 0
    for r in records[1:-1]:
        t = r[0]
        if t == "5":
            header = r
            batch_no += 1
            kinds = set()
            last_seq = -1
            if r[1:4] not in ("200", "220", "225"):
                errors.append(f"batch {batch_no}: service class {r[1:4]!r}")
            if r[50:53] not in ("PPD", "WEB", "CCD"):
                errors.append(f"batch {batch_no}: SEC code {r[50:53]!r}")
            if not re.fullmatch(r"\d{6}", r[69:75]):
                errors.append(f"batch {batch_no}: effective entry date {r[69:75]!r}")
            if r[78] != "1" or not re.fullmatch(r"\d{8}", r[79:87]):
                errors.append(f"batch {batch_no}: originator status / ODFI")
            if int(r[87:94]) != batch_no:
                errors.append(f"batch {batch_no}: batch number {r[87:94]!r}")
        elif t == "6":
            code = int(r[1:3]) if r[1:3].isdigit() else -1
            if code not in LIVE_CODES:
                errors.append(f"batch {batch_no}: transaction code {r[1:3]!r} is not 22/27/32/37")
            else:
                kinds.add(LIVE_CODES[code])
            if not r[29:39].isdigit() or int(r[29:39]) == 0:
                errors.append(f"batch {batch_no}: amount {r[29:39]!r}")
            if r[79:87] != header[79:87]:
                errors.append(f"batch {batch_no}: trace {r[79:94]!r} does not start with the ODFI {header[79:87]}")
            seq = int(r[87:94]) if r[87:94].isdigit() else -1
            if seq <= last_seq:
                errors.append(f"batch {batch_no}: trace sequence {r[87:94]!r} not ascending")
            last_seq = seq
            if header[50:53] == "WEB" and r[76:78] not in ("R ", "S "):
                errors.append(f"batch {batch_no}: WEB payment type code {r[76:78]!r}")
            if r[78] != "0":
                errors.append(f"batch {batch_no}: addenda indicator {r[78]!r} without addenda")
        elif t == "8":
            expected_class = {frozenset({"debit"}): "225", frozenset({"credit"}): "220"}.get(frozenset(kinds), "200")
            if r[1:4] != header[1:4]:
                errors.append(f"batch {batch_no}: control service class differs from header")
            if header[1:4] != expected_class and header[1:4] != "200":
                errors.append(f"batch {batch_no}: service class {header[1:4]} but entries are {sorted(kinds)}")
            if r[44:54] != header[40:50]:
                errors.append(f"batch {batch_no}: control company id differs from header")
            if r[79:87] != header[79:87] or r[87:94] != header[87:94]:
                errors.append(f"batch {batch_no}: control ODFI/batch number differ from header")
    return errors


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    failed = False
    for path in paths:
        with open(path, encoding="ascii", newline="") as fh:
            text = fh.read()
        result = validate(text)
        errors = [f"[achkit {e['code']}] {e['field']}: {e['message']}" for e in result["errors"]]
        if result["ok"]:
            errors += [f"[extra] {e}" for e in extra_checks(text)]
        if errors:
            failed = True
            print(f"INVALID {path}")
            for e in errors:
                print(f"  {e}")
        else:
            parsed = parse(text)
            entries = sum(len(b["entries"]) for b in parsed["batches"])
            print(f"valid   {path}: {len(parsed['batches'])} batches, {entries} entries, "
                  f"debits {parsed['control']['total_debit']} cents, credits {parsed['control']['total_credit']} cents")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
