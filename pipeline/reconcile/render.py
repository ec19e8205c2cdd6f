"""Render the view model through Jinja2 templates shipped in this package.

HTML: autoescaping on, so every value is escaped and template markup is not.
Markdown: every `{{ value }}` passes through `finalize`, which escapes the
characters Markdown would read as markup (a report's text cannot open a
table cell, a link, a code span or raw HTML); only macro output and code
spans, built from already-escaped text, are marked to pass as they are.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import jinja2

TEMPLATES = ("pipeline.reconcile", "templates")

_MD_ALWAYS = re.compile(r"([\\`*\[\]|~])")
_MD_LONE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_BLOCK_START = re.compile(r"^([#+\-=])")
_MD_ORDERED_LIST = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


class MarkdownSafe(str):
    """Markdown that is already escaped (macro output, code spans)."""


def md_escape(value: Any) -> str:
    """Document text as literal Markdown text: one line, with backslashes,
    backticks, emphasis marks, brackets, pipes and tildes backslash-escaped,
    angle brackets and entity-like ampersands as HTML entities (which every
    Markdown renderer shows as the character), and a leading block marker
    (heading, list, rule) escaped."""
    if value is None:
        return ""
    if isinstance(value, MarkdownSafe):
        return value
    s = " ".join(str(value).split())
    s = _MD_ALWAYS.sub(r"\\\1", s)
    s = _MD_LONE_UNDERSCORE.sub(r"\\_", s)
    s = _MD_ENTITY.sub("&amp;", s)
    s = s.replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_BLOCK_START.sub(r"\\\1", s)
    return _MD_ORDERED_LIST.sub(r"\1\\\2", s)


def md_code(value: Any) -> MarkdownSafe:
    """A code span that holds any text: the fence is longer than any run of
    backticks inside it (Markdown shows a code span's content literally)."""
    s = " ".join(str(value if value is not None else "").split())
    longest = max((len(m) for m in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return MarkdownSafe(f"{fence}{pad}{s}{pad}{fence}")


def md_block(value: Any) -> MarkdownSafe:
    """Output of a macro of the Markdown template (its values are escaped)."""
    return MarkdownSafe(str(value))


def _html_finalize(value: Any) -> Any:
    return "" if value is None else value


@lru_cache(maxsize=1)
def html_environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader(*TEMPLATES), autoescape=True,
                              finalize=_html_finalize, trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


@lru_cache(maxsize=1)
def markdown_environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader(*TEMPLATES), autoescape=False,
                             finalize=md_escape, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["code"] = md_code
    env.filters["block"] = md_block
    return env


def compile_templates() -> None:
    """Compile every template now (each environment keeps what it compiled),
    so that writing the report later only renders."""
    for name in html_environment().list_templates():
        if not name.endswith(".md.j2"):
            html_environment().get_template(name)
    for name in markdown_environment().list_templates(filter_func=lambda n: n.endswith(".md.j2")):
        markdown_environment().get_template(name)


def render_html(view: dict[str, Any]) -> str:
    return html_environment().get_template("report.html.j2").render(view)


def render_markdown(view: dict[str, Any]) -> str:
    text = markdown_environment().get_template("report.md.j2").render(view)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
