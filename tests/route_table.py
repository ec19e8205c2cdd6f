"""Measure every export route on every sample and print a route x field table
(Markdown) of right / null (honest) / WRONG counts, for notes/routes.md.

Use: `.venv/bin/python tests/route_table.py [FOLDER] [--routes a,b,...]`
(derived files are written to FOLDER, a temporary folder by default; every
route of routes.ROUTES and routes.DOCUMENT_ROUTES unless --routes names some). The pipeline measured is
the one importable as `pipeline` (set PYTHONPATH to measure another tree).
SHOW=N prints the first N WRONG fields of each route; with NULLS=1 the honest
nulls are listed too.
"""
from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE / "fixtures")]

import route_compare  # noqa: E402
import routes  # noqa: E402
from conftest import SAMPLES  # noqa: E402

NULLS = bool(__import__("os").environ.get("NULLS"))  # list honest nulls too, not only WRONG
GROUPS = ("overall_rating", "score", "cases_court", "cases_out_of_court", "cases_resettlement",
          "rating", "kq_value", "kq_text", "prompt", "recommendation", "fact")


def measure(folder: Path, names: tuple[str, ...] = ()) -> tuple[dict[str, dict[str, Counter]], dict[str, list[str]]]:
    from render_inspectorate import render_inspectorate_report
    from render_pdf import render_text_report

    from pipeline.core.files import sha256_of
    from pipeline.execution.one_file import Options, extract_file

    def run(path: Path) -> dict:
        return extract_file(str(path), sha256_of(path), Options())

    def pdfs(kind: str, sample: Path) -> Path:
        out = folder / f"{sample.stem}.{kind}.pdf"
        if not out.exists():
            if kind == "rendered":
                render_text_report(sample, out)
            else:
                render_inspectorate_report(sample, out, footnote_rule=kind == "inspectorate")
        return out

    table: dict[str, dict[str, Counter]] = {}
    notes: dict[str, list[str]] = {}
    for name, sample in SAMPLES.items():
        clean = run(sample)
        for route in names or (*routes.ROUTES, *routes.DOCUMENT_ROUTES):
            cells = table.setdefault(route, {g: Counter() for g in GROUPS})
            try:
                got = run(routes.derive(route, sample, folder, pdfs))
            except routes.Unavailable as e:
                notes.setdefault(route, []).append(f"skipped: {e}")
                continue
            except Exception as e:  # a route that fails the whole file: every field lost
                notes.setdefault(route, []).append(f"{name}: {type(e).__name__}: {e}"[:160])
                for (group, _), _v in route_compare.fields(clean).items():
                    cells[group]["WRONG"] += 1
                continue
            for (group, key), (verdict, a, b) in route_compare.compare(clean, got).items():
                cells[group][verdict] += 1
                if verdict == route_compare.WRONG or (verdict == "null" and NULLS):
                    notes.setdefault(route, []).append(f"{name} {group} {key}: clean={a!r} route={b!r}"[:160])
    return table, notes


def markdown(table: dict[str, dict[str, Counter]]) -> str:
    head = "| route | " + " | ".join(GROUPS) + " | all |"
    rule = "| --- |" + " --- |" * (len(GROUPS) + 1)
    lines = [head, rule]
    for route, cells in table.items():
        total = sum(cells.values(), Counter())
        lines.append(f"| {route} | " + " | ".join(_cell(cells[g]) for g in GROUPS) + f" | {_cell(total)} |")
    return "\n".join(lines)


def _cell(c: Counter) -> str:
    text = f"{c['right']}/{c['null']}/{c['WRONG']}"
    return f"**{text}**" if c["WRONG"] else text


def main() -> int:
    args = sys.argv[1:]
    names: tuple[str, ...] = ()
    if "--routes" in args:
        at = args.index("--routes")
        names = tuple(args[at + 1].split(","))
        del args[at:at + 2]
    folder = Path(args[0]) if args else Path(tempfile.mkdtemp(prefix="routes-"))
    folder.mkdir(parents=True, exist_ok=True)
    table, notes = measure(folder, names)
    print("Cells: right / null (honest) / WRONG, summed over the three samples.\n")
    print(markdown(table))
    for route, items in notes.items():
        print(f"\n{route}: {len(items)} WRONG or skipped; first ones:")
        for item in items[:int(__import__("os").environ.get("SHOW", "6"))]:
            print(f"- {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
