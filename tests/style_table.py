"""Measure the generated house styles (tests/house_styles.py), and the
converters people run on their renderings, field by field against the clean
text (tests/route_compare.py, the scoring tests/route_table.py prints), and
print the route x field table (Markdown: right / null (honest) / WRONG per
record kind, summed over the seeds) and a summary per route: fields right %,
WRONG, published ratings wrong (with the seeds), for notes/routes.md.

Use: `.venv/bin/python tests/style_table.py [FOLDER] [--seeds 8 | 0-7 | 1,4,6]
[--formats styles | converters | all | docx,md_pipe,...] [--per-seed] [--blame]`
(renderings are written to FOLDER, a temporary folder by default, and reused
when they are there: a second run re-measures without re-rendering).
--blame prints each WRONG value (want vs got) with its seed and format;
--per-seed gives a row per (format, seed). A file the pipeline rejects with
its reason (a PipelineError: "not an inspection report") stores nothing, so
its fields count as null; any other exception counts them WRONG. The
pipeline measured is the one importable as `pipeline` (set PYTHONPATH to
measure another tree).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE / "fixtures")]

import house_styles  # noqa: E402
import route_compare  # noqa: E402
import route_table  # noqa: E402
from conftest import SAMPLES  # noqa: E402
from routes import Unavailable  # noqa: E402

RATING_GROUPS = ("overall_rating", "rating")


def extract(path: Path) -> dict:
    from pipeline.core.files import sha256_of
    from pipeline.execution.one_file import Options, extract_file
    return extract_file(str(path), sha256_of(path), Options())


def seeds_of(text: str) -> list[int]:
    if "-" in text:
        a, b = text.split("-")
        return list(range(int(a), int(b) + 1))
    if "," in text:
        return [int(s) for s in text.split(",")]
    return list(range(int(text)))


def formats_of(text: str) -> tuple[str, ...]:
    named = {"styles": house_styles.FORMATS, "converters": house_styles.CONVERTERS,
             "all": (*house_styles.FORMATS, *house_styles.CONVERTERS)}
    return named.get(text) or tuple(text.split(","))


class Measure:
    def __init__(self, folder: Path, per_seed: bool):
        self.folder, self.per_seed = folder, per_seed
        self.table: dict[str, dict[str, Counter]] = {}
        self.ratings_wrong: dict[str, list[int]] = {}
        self.blame: list[str] = []
        self.notes: dict[str, list[str]] = {}
        self.clean: dict[str, dict] = {}

    def one(self, seed: int, fmt: str) -> None:
        style = house_styles.draw(seed)
        if style.sample not in self.clean:
            self.clean[style.sample] = extract(SAMPLES[style.sample])
        want = house_styles.expected(self.clean[style.sample], style)
        route = f"{fmt} s{seed}" if self.per_seed else fmt
        cells = self.table.setdefault(route, {g: Counter() for g in route_table.GROUPS})
        try:
            got = extract(house_styles.render(style, fmt, self.folder))
        except Unavailable as e:
            self.notes.setdefault(route, []).append(f"skipped: {e}")
            return
        except Exception as e:  # a file the pipeline rejects with its reason stores nothing: null; a crash: WRONG
            from pipeline.core.errors import PipelineError
            verdict = route_compare.NULL if isinstance(e, PipelineError) else route_compare.WRONG
            self.notes.setdefault(route, []).append(f"s{seed} {style.sample}: {type(e).__name__}: {e}"[:200])
            for (group, _), _v in route_compare.fields(want).items():
                cells[group][verdict] += 1
            return
        for (group, key), (verdict, a, b) in route_compare.compare(want, got).items():
            cells[group][verdict] += 1
            if verdict == route_compare.WRONG:
                self.blame.append(f"{fmt} s{seed} {style.sample} {group} {key}: want={a!r} got={b!r}")
                if group in RATING_GROUPS and seed not in self.ratings_wrong.setdefault(route, []):
                    self.ratings_wrong[route].append(seed)

    def summary(self) -> str:
        lines = ["| route | fields | right | null | WRONG | right % | published ratings wrong (seeds) |",
                 "| --- | --- | --- | --- | --- | --- | --- |"]
        for route, cells in self.table.items():
            total = sum(cells.values(), Counter())
            n = sum(total.values())
            rated = sum(cells[g]["WRONG"] for g in RATING_GROUPS)
            seeds = ",".join(map(str, self.ratings_wrong.get(route, [])))
            pct = f"{100 * total['right'] / n:.1f}%" if n else "-"
            lines.append(f"| {route} | {n} | {total['right']} | {total['null']} | {total['WRONG']} | {pct} | "
                         f"{rated}{f' (s{seeds})' if seeds else ''} |")
        return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?")
    parser.add_argument("--seeds", default="6")
    parser.add_argument("--formats", default="styles")
    parser.add_argument("--per-seed", action="store_true")
    parser.add_argument("--blame", action="store_true")
    args = parser.parse_args(argv)
    folder = Path(args.folder) if args.folder else Path(tempfile.mkdtemp(prefix="styles-"))
    measure = Measure(folder, args.per_seed)
    seeds, formats = seeds_of(args.seeds), formats_of(args.formats)
    for fmt in formats:
        for seed in seeds:
            measure.one(seed, fmt)
    print(f"Seeds {args.seeds} ({len(seeds)}); cells: right / null (honest) / WRONG, summed over the seeds.\n")
    print(route_table.markdown(measure.table))
    print()
    print(measure.summary())
    for route, items in measure.notes.items():
        print(f"\n{route}: " + "; ".join(sorted(set(items)))[:600])
    if args.blame:
        print("\nWRONG values:")
        for line in measure.blame:
            print(f"- {line}"[:400])
    return 0


if __name__ == "__main__":
    sys.exit(main())
