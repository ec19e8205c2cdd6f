"""Issue 22.6: README's command reference is the click commands' own help,
rendered by scripts/cli_docs.py; it fails when README is out of date, when a
command or option has no help text, or when a command is missing."""
import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cli_docs():
    spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "scripts" / "cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_command_reference_is_up_to_date():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "cli_docs.py"), "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + " (run: python scripts/cli_docs.py)"


def test_every_command_and_option_has_help_text():
    assert cli_docs().undocumented() == []


def test_reference_covers_every_command_and_option():
    from pipeline.app.cli import main

    docs = cli_docs()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(docs.START, 1)[1].split(docs.END, 1)[0]
    assert set(main.commands) == {"extract", "list", "reconcile", "show"}
    for name, command in main.commands.items():
        assert f"$ python -m pipeline {name} --help" in block
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("-"):
                    assert opt in block, (name, opt)
    assert "--xlsx" in block and "--json" in block


def test_an_out_of_date_readme_is_caught():
    docs = cli_docs()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stale = readme.replace("Also write OUT/inspections.xlsx", "Also write an old workbook")
    assert stale != readme and docs.updated(stale, docs.render()) == readme
