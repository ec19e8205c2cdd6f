"""Render the help of every click command into docs/commands.md, between
the markers of its generated block (docs_blocks.py), so the command
reference is the commands' own help and cannot drift:

    python scripts/cli_docs.py          # rewrite the block in docs/commands.md
    python scripts/cli_docs.py --check  # exit 1 if docs/commands.md is out of date

tests/test_cli_docs.py fails when the page is out of date, or when a command
or an option has no help text.
"""
from __future__ import annotations

import sys

import click
import docs_blocks

PAGE = docs_blocks.DOCS / "commands.md"
NAME = "cli-docs"
SCRIPT = "cli_docs.py"
WIDTH = 100
PROG = "python -m pipeline"


def _help(command: click.Command, name: str, parent: click.Context | None) -> tuple[str, click.Context]:
    # make_context applies the command's context_settings (-h as well as --help)
    ctx = command.make_context(name, [], parent=parent, resilient_parsing=True, terminal_width=WIDTH,
                               max_content_width=WIDTH)
    return command.get_help(ctx), ctx


def render() -> str:
    """Markdown: the group's help, then each command's, in a code block each."""
    sys.path.insert(0, str(docs_blocks.ROOT))
    from pipeline.app.cli import main

    root_help, root_ctx = _help(main, PROG, None)
    parts = [f"```text\n$ {PROG} --help\n{root_help}\n```"]
    for name in sorted(main.commands):
        text, _ = _help(main.commands[name], name, root_ctx)
        parts.append(f"### `{name}`\n\n```text\n$ {PROG} {name} --help\n{text}\n```")
    return "\n\n".join(parts)


def undocumented() -> list[str]:
    """Options and commands with no help text, as 'command --option'."""
    from pipeline.app.cli import main

    missing = []
    for name, command in [("", main), *sorted(main.commands.items())]:
        if name and not (command.help or command.short_help):
            missing.append(name)
        for param in command.params:
            if isinstance(param, click.Option) and not param.help and "--help" not in param.opts:
                missing.append(f"{name} {param.opts[-1]}".strip())
    return missing


def updated(page: str, block: str) -> str:
    return docs_blocks.updated(page, NAME, SCRIPT, block)


def main(argv: list[str]) -> int:
    new = updated(PAGE.read_text(encoding="utf-8"), render())
    return docs_blocks.write_or_check(PAGE, new, "--check" in argv, SCRIPT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
