"""Every example in README.md and on every docs page runs as written: the
Python and SQL ones against an extraction of the samples, from a folder
where `data/parsed` is that extraction, each saying what the sample reports
say; each command line of a shell block is run too (a `make` line is checked
against the Makefile's targets, not run: the suite itself runs under `make
test`). A page with an example no test here knows about fails."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))]
# the examples each page holds, by language; a `text` block is output (the
# generated --help), not an example
EXAMPLES = {
    "README.md": {"python": 2, "sql": 1, "sh": 1},
    "docs/getting-started.md": {"python": 1, "sh": 2},
    "docs/commands.md": {"sh": 1},
    "docs/outputs.md": {"python": 3, "sql": 4},
}
PIPELINE = ".venv/bin/python -m pipeline "


def text_of(page: str) -> str:
    return (ROOT / page).read_text(encoding="utf-8")


def blocks(page: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text_of(page), re.S | re.M)


def run_python(code, workdir, monkeypatch, capsys) -> str:
    monkeypatch.chdir(workdir)
    exec(code, {})
    return capsys.readouterr().out


def test_every_example_is_checked():
    for page in PAGES:
        languages = re.findall(r"^```(\S*)\n.*?^```", text_of(page), re.S | re.M)
        assert set(languages) <= {"python", "sql", "sh", "text"}, (page, languages)
        found = {lang: len(blocks(page, lang)) for lang in ("python", "sql", "sh")}
        assert {k: v for k, v in found.items() if v} == EXAMPLES.get(page, {}), page


# ------------------------------------------------------------------ README

def test_readme_pandas_example(samples_run, monkeypatch, capsys):
    printed = run_python(blocks("README.md", "python")[0], samples_run, monkeypatch, capsys)
    assert "Luton Youth Offending Service" in printed and "North Somerset Youth Offending Service" in printed
    assert printed.count("Requires improvement") == 3


def test_readme_polars_example(samples_run, monkeypatch, capsys):
    pytest.importorskip("polars")
    printed = run_python(blocks("README.md", "python")[1], samples_run, monkeypatch, capsys)
    # the three divergences of the samples: Luton 2.1, North Somerset 3.2 and 3.3, each Good for Requires improvement
    assert printed.count("Requires improvement") == 3 and printed.count("Good") == 3
    assert "Luton Youth Offending Service" in printed and "North Somerset Youth Offending Service" in printed


def test_readme_duckdb_example(samples_run, monkeypatch):
    duckdb = pytest.importorskip("duckdb")
    monkeypatch.chdir(samples_run)
    # 2018: Luton 8 and North Somerset 8 quantitative standards, 3 diverging; 2021: Bedfordshire 7, none
    assert duckdb.sql(blocks("README.md", "sql")[0]).fetchall() == [("2018", 16, 3), ("2021", 7, 0)]


# --------------------------------------------------------- getting started

def test_getting_started_loader_example(samples_run, monkeypatch, capsys):
    printed = run_python(blocks("docs/getting-started.md", "python")[0], samples_run, monkeypatch, capsys)
    rows = printed.splitlines()[1:]
    # Bedfordshire: announced August 2021, RI, 14/36; Luton prints no date, RI, 16/36; North Somerset's
    # fieldwork from 14 September 2020, Good, 26/36
    row = re.compile(r"\s*(.+? Service)\s+(\S+)\s+(Requires improvement|Good)\s+(\d+)")
    assert [row.fullmatch(r).groups() for r in rows] == [
        ("Bedfordshire Youth Offending Service", "2021-08-01", "Requires improvement", "14"),
        ("Luton Youth Offending Service", "NaT", "Requires improvement", "16"),
        ("North Somerset Youth Offending Service", "2020-09-01", "Good", "26")]


# ----------------------------------------------------------------- outputs

def test_outputs_sql_examples(samples_run, monkeypatch):
    duckdb = pytest.importorskip("duckdb")
    monkeypatch.chdir(samples_run)
    unexplained, lowest = blocks("docs/outputs.md", "sql")[:2]
    assert duckdb.sql(unexplained).fetchall() == []  # every divergence in the samples is explained
    rows = duckdb.sql(lowest).fetchall()
    luton_21 = next(r for r in rows if r[0] == "Luton Youth Offending Service" and r[1] == "2.1")
    assert luton_21[2:] == (3, "Does assessment sufficiently analyse how to keep other people safe?", 62.0, 21)


def test_outputs_inspection_examples(tmp_path):
    """The examples over inspections, on the samples plus a synthetic
    re-inspection of North Somerset and a second download of Luton."""
    duckdb = pytest.importorskip("duckdb")
    from test_inspections import synthetic_reinspection

    raw = tmp_path / "raw"
    raw.mkdir()
    for path in SAMPLES.values():
        shutil.copy(path, raw / path.name)
    (raw / "luton-yos-download-2.txt").write_text(SAMPLES["luton"].read_text(encoding="utf-8") + "\n",
                                                  encoding="utf-8")
    synthetic_reinspection(raw)
    out = tmp_path / "parsed"
    subprocess.run([sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out), "--no-progress"],
                   cwd=ROOT, check=True, capture_output=True)
    history, changes = [q.replace("data/parsed", str(out)) for q in blocks("docs/outputs.md", "sql")[2:]]
    rows = duckdb.sql(history).fetchall()
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [
        ("bedfordshire", "2021-08", "Requires improvement", 14),
        ("luton", None, "Requires improvement", 16),  # two files, one inspection, no date printed
        ("north-somerset", "2020-09", "Good", 26),
        ("north-somerset", "2023-10", "Good", 26),  # 1.1 up a point, 2.1 down one
    ]
    assert rows[3][-1] == "north-somerset-2020-09" and rows[2][-1] is None
    assert duckdb.sql(changes).fetchall() == [
        ("north-somerset", "2020-09", "2023-10", "1.1", "Requires improvement", "Good", "improved"),
        ("north-somerset", "2020-09", "2023-10", "2.1", "Outstanding", "Good", "declined"),
    ]


def test_outputs_loader_example(samples_run, monkeypatch, capsys):
    printed = run_python(blocks("docs/outputs.md", "python")[0], samples_run, monkeypatch, capsys)
    rating = r"(Inadequate|Requires improvement|Good|Outstanding)"
    luton = [re.search(rf"Service\s+(\d\.\d)\s+{rating}\s+(\d)", line).groups()
             for line in printed.splitlines() if line.strip().startswith("Luton")]
    # sorted by merit, not alphabet: Luton's Inadequate standards (2.2, 3.1, 3.2) first, 1.4 Outstanding last
    assert [r[0] for r in luton[:3]] == ["2.2", "3.1", "3.2"] and luton[-1] == ("1.4", "Outstanding", "3")
    assert len(luton) == 12
    assert re.search(r"Luton Youth Offending Service\s+2\.1\s+Good\s+2\s+Requires improvement\s+1\n", printed)


def test_outputs_database_example(samples_run, monkeypatch, capsys):
    printed = run_python(blocks("docs/outputs.md", "python")[1], samples_run, monkeypatch, capsys)
    lines = printed.splitlines()
    assert len(lines) == 4  # header and the three divergences
    assert re.fullmatch(r"\s*Luton Youth Offending Service\s+2\.1\s+Good\s+Requires improvement\s+62\.0\s+True\s+21",
                        lines[1])
    assert [line.split()[5:7] for line in lines[2:]] == [["3.2", "Good"], ["3.3", "Good"]]


def test_outputs_facts_scope_example(samples_run, monkeypatch, capsys):
    printed = run_python(blocks("docs/outputs.md", "python")[2], samples_run, monkeypatch, capsys)
    rows = [line.split() for line in printed.splitlines()[1:]]
    # first-time entrant rates of the service itself, printed 'in Luton YOS' and 'in Bedfordshire YOS';
    # the England and Wales figures beside them are another scope
    assert sorted((r[1], r[2], r[4], r[5], r[6]) for r in rows) == [
        ("Bedfordshire", "YOS", "rate", "per_100000", "12"), ("Luton", "YOS", "rate", "per_100000", "9")]
    assert sorted(float(r[3]) for r in rows) == [117.0, 184.0]


# ------------------------------------------------------- shell command lines

def command_lines() -> list[tuple[str, str]]:
    """(page, line) of every command in a shell block, comments dropped."""
    out = []
    for page in PAGES:
        for block in blocks(page, "sh"):
            for line in block.splitlines():
                command = re.sub(r"\s+#.*", "", line).strip()
                if command:
                    out.append((page, command))
    return out


def make_targets() -> set[str]:
    return set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))


def test_every_command_line_is_one_the_tests_run():
    lines = command_lines()
    assert len(lines) == 14  # README 2, getting started 5, commands 7
    assert [c for _, c in lines if not (c.startswith(PIPELINE) or c.startswith("make "))] == []


def test_make_lines_name_real_targets():
    named = {c.split()[1] for _, c in command_lines() if c.startswith("make ")}
    assert named == {"extract", "test"} and named <= make_targets()


@pytest.fixture(scope="module")
def command_folder(samples_run, tmp_path_factory):
    """A copy of the samples' run: the commands below rewrite data/parsed."""
    folder = tmp_path_factory.mktemp("commands") / "work"
    shutil.copytree(samples_run, folder, symlinks=True)
    return folder


@pytest.mark.parametrize("command", sorted({c for _, c in command_lines() if c.startswith(PIPELINE)}))
def test_pipeline_command_lines_run(command, command_folder):
    args = command.removeprefix(PIPELINE).split()
    result = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=command_folder, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    if args[0] == "list":
        assert result.stdout.count("Youth Offending Service") == 3
    elif args[0] == "show":
        assert "Luton Youth Offending Service" in result.stdout
    elif "--json" in args:
        summary = json.loads(result.stdout)
        assert summary["exit_code"] == 0 and summary["rows"]["ratings"] == 37
    elif args[0] == "extract" and "--help" not in args:
        assert "3 files: 3 ok" in result.stderr + result.stdout
