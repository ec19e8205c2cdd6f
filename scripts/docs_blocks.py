"""Generated blocks in the documentation, in the manner of cog: the text
between a start and an end marker in a docs page is written by a script,
which rewrites it, or with `--check` only says whether it is out of date
(tests run the check, so a page cannot drift from what it documents).

    <!-- [[[generated NAME by scripts/SCRIPT; do not edit]]] -->
    ...
    <!-- [[[end NAME]]] -->
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def start_marker(name: str, script: str) -> str:
    return f"<!-- [[[generated {name} by scripts/{script}; do not edit]]] -->"


def end_marker(name: str) -> str:
    return f"<!-- [[[end {name}]]] -->"


def names_in(text: str) -> list[str]:
    """The names of the generated blocks in `text`, in order."""
    return re.findall(r"<!-- \[\[\[generated (\S+) by ", text)


def updated(text: str, name: str, script: str, block: str) -> str:
    """`text` with block `name` replaced by `block`."""
    start, end = start_marker(name, script), end_marker(name)
    if start not in text or end not in text:
        raise SystemExit(f"no {start!r} ... {end!r} block")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n\n{block}\n\n{end}{tail}"


def block_of(text: str, name: str, script: str) -> str:
    """What block `name` holds now."""
    return text.split(start_marker(name, script), 1)[1].split(end_marker(name), 1)[0].strip("\n")


def write_or_check(page: Path, new: str, check: bool, script: str) -> int:
    """Rewrite `page` with `new` (exit status 0), or with `check` say
    whether it already holds it (1 when it does not)."""
    old = page.read_text(encoding="utf-8")
    if check:
        if new != old:
            print(f"{page.relative_to(ROOT)} is out of date: run python scripts/{script}", file=sys.stderr)
            return 1
        return 0
    if new != old:
        page.write_text(new, encoding="utf-8")
        print(f"{page.relative_to(ROOT)}: updated")
    return 0
