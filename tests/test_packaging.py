"""The package installs as a normal (non-editable) package and runs from any
folder: patterns ship as package data, every imported package is declared."""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent


def test_non_editable_install_extracts_the_samples_from_another_folder(tmp_path):
    target = tmp_path / "site"
    built = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
                            "--target", str(target), str(ROOT)], check=True, capture_output=True, text=True)
    # issue 21.11: no packaging banner (an importable folder left out of `packages`)
    output = built.stdout + built.stderr
    assert "absent from the `packages` configuration" not in output and "Package would be ignored" not in output
    assert (target / "pipeline" / "reconcile" / "templates" / "report.html.j2").is_file()
    assert (target / "pipeline" / "_patterns" / "standards.json").is_file()
    assert not (target / "patterns").exists()
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(ROOT / "tests" / "fixtures"),
                           "--out", str(work / "out"), "--workers", "1"],
                          cwd=work, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    probe = subprocess.run([sys.executable, "-c", "import pipeline.core.patterns as p; "
                            "print(p.__file__); print(p.PATTERNS_DIR)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True)
    module_file, patterns_dir = probe.stdout.split()
    assert module_file.startswith(str(target)) and patterns_dir.startswith(str(target))
    reports = pq.read_table(work / "out" / "reports.parquet").to_pylist()
    assert sorted(r["overall_rating"] for r in reports) == ["Good", "Requires improvement", "Requires improvement"]
    assert [r["status"] for r in reports] == ["ok", "ok", "ok"]


def _top_level_imports() -> set[str]:
    import ast

    names: set[str] = set()
    for path in (ROOT / "pipeline").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def test_every_imported_third_party_package_is_declared():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    declared_names = {d.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower()
                      for d in declared}
    import_to_dist = {"yaml": "pyyaml", "pdfminer": "pdfminer.six", "docx": "python-docx", "markdown_it": "markdown-it-py",
                      "pypandoc": "pypandoc-binary"}
    third_party = {n for n in _top_level_imports()
                   if n not in sys.stdlib_module_names and n != "pipeline"}
    missing = {n for n in third_party if import_to_dist.get(n, n).lower() not in declared_names}
    assert not missing, f"imported but not declared in pyproject dependencies: {sorted(missing)}"


def test_raw_data_is_ignored_except_the_samples_and_gitkeep():
    """Issue 21.11: reports put in data/raw are not committed by accident; the
    three samples `make extract` runs on, and .gitkeep, stay tracked."""
    tracked = subprocess.run(["git", "ls-files", "data/raw"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    assert sorted(tracked) == ["data/raw/.gitkeep", "data/raw/bedfordshire-yos.txt", "data/raw/luton-yos.txt",
                               "data/raw/north-somerset-yos.txt"]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", "data/raw/new-report.pdf", "data/raw/sub/x.txt",
                              "data/raw/.gitkeep"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert ignored == ["data/raw/new-report.pdf", "data/raw/sub/x.txt"]
