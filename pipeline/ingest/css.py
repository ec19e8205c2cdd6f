"""A small, bounded reader of a web page's own <style> blocks: the rules
that decide whether an element is shown at all.

Only what hides text is read: `display` (none, or anything else, which
shows) and `visibility` (hidden or collapse, or visible) in rules whose
selectors are simple (css_match.py says which). Rules inside at-rules
(@media print, @supports, ...) are left out: they hold for some screens or
printers only, and a reader of the page on a screen does not see their
effect. Nothing is fetched: a stylesheet the page links to is not read.

The reading is bounded: a page whose style text or rule count passes the
caps below is refused, so a hostile stylesheet costs milliseconds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.core.errors import IngestError

MAX_STYLE_CHARS = 2_000_000  # a report page's own style is a few KB (the site's stylesheet is linked)
MAX_STYLE_RULES = 20_000

_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.S)
_DECLARATION = re.compile(r"^\s*([a-z-]+)\s*:\s*(.*?)\s*(!\s*important)?\s*$", re.I | re.S)


@dataclass(frozen=True)
class Rule:
    """One selector's say on one property: `hides` is True for display:none
    or visibility:hidden/collapse, False for a value that shows."""
    selector: str
    prop: str  # "display" or "visibility"
    hides: bool
    important: bool
    order: int  # the rule's place in the page's styles: a later rule wins a tie


def declarations(style: str) -> dict[str, tuple[bool, bool]]:
    """property -> (hides, important) of the display and visibility
    declarations in a declaration block (an inline style attribute, or a
    rule's body); the last declaration of a property wins, unless an
    earlier one is !important."""
    out: dict[str, tuple[bool, bool]] = {}
    for part in _COMMENT.sub("", style).split(";"):
        m = _DECLARATION.match(part)
        if not m:
            continue
        prop, value, important = m.group(1).lower(), m.group(2).lower().strip(), bool(m.group(3))
        if prop == "display":
            hides = value == "none"
        elif prop == "visibility":
            hides = value in ("hidden", "collapse")
        else:
            continue
        if prop in out and out[prop][1] and not important:
            continue
        out[prop] = (hides, important)
    return out


def rules_of(styles: list[str]) -> list[Rule]:
    """The display and visibility rules of a page's <style> texts, in order."""
    total = sum(len(s) for s in styles)
    if total > MAX_STYLE_CHARS:
        raise IngestError(f"this web page's own style rules are {total:,} characters, over the "
                          f"{MAX_STYLE_CHARS:,} limit (a report page's are a few thousand); refused",
                          error="too_many_style_rules")
    rules: list[Rule] = []
    count = 0
    for text in styles:
        for selectors, body in _top_level_rules(_COMMENT.sub("", text)):
            count += 1
            if count > MAX_STYLE_RULES:
                raise IngestError(f"this web page has over {MAX_STYLE_RULES:,} style rules (a report page has "
                                  "a few dozen); refused", error="too_many_style_rules")
            found = declarations(body)
            if not found:
                continue
            for selector in selectors.split(","):
                selector = " ".join(selector.split())
                for prop, (hides, important) in found.items():
                    if selector:
                        rules.append(Rule(selector, prop, hides, important, len(rules)))
    return rules


def _top_level_rules(text: str) -> list[tuple[str, str]]:
    """(selectors, body) of each rule outside any at-rule block; an at-rule's
    block is skipped whole, nested braces counted (a statement at-rule before
    a rule, "@import x; .a {...}", is dropped from its prelude)."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        open_at = text.find("{", i)
        if open_at < 0:
            break
        prelude = text[i:open_at].rpartition(";")[2].strip()
        if prelude.startswith("@"):
            i = _block_end(text, open_at) + 1
            continue
        close_at = text.find("}", open_at)
        close_at = n if close_at < 0 else close_at
        out.append((prelude, text[open_at + 1:close_at]))
        i = close_at + 1
    return out


def _block_end(text: str, open_at: int) -> int:
    """The index of the brace that closes the block opened at `open_at`."""
    depth = 0
    for i in range(open_at, len(text)):
        ch = text[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
    return len(text)
