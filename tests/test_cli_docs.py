"""The command reference (docs/commands.md) is the click commands' own help,
rendered by scripts/cli_docs.py; it fails when the page is out of date, when
a command or option has no help text, or when a command is missing."""
import subprocess
import sys
from pathlib import Path

import cli_docs
import docs_blocks

ROOT = Path(__file__).resolve().parent.parent


def test_the_command_reference_is_up_to_date():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "cli_docs.py"), "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_command_and_option_has_help_text():
    assert cli_docs.undocumented() == []


def test_an_option_without_help_is_caught(monkeypatch):
    from pipeline.app.cli import main

    option = next(p for p in main.commands["extract"].params if "--xlsx" in p.opts)
    monkeypatch.setattr(option, "help", None)
    assert cli_docs.undocumented() == ["extract --xlsx"]


def test_reference_covers_every_command_and_option():
    from pipeline.app.cli import main

    block = docs_blocks.block_of(cli_docs.PAGE.read_text(encoding="utf-8"), cli_docs.NAME, cli_docs.SCRIPT)
    assert set(main.commands) == {"extract", "list", "reconcile", "show"}
    for name, command in main.commands.items():
        assert f"$ python -m pipeline {name} --help" in block
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("-"):
                    assert opt in block, (name, opt)
    assert "--xlsx" in block and "--json" in block


def test_an_out_of_date_page_is_caught():
    page = cli_docs.PAGE.read_text(encoding="utf-8")
    stale = page.replace("Also write OUT/inspections.xlsx", "Also write an old workbook")
    assert stale != page and cli_docs.updated(stale, cli_docs.render()) == page
