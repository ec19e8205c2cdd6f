"""Matching the page's own style rules (css.py) to its elements.

Simple selectors only: an element name, `*`, `.class`, `#id`, a compound of
them (`td.value`, `div#x.y`), joined by descendant (` `) or child (`>`)
combinators. A selector with anything else (attributes, pseudo-classes,
sibling combinators) is not matched at all: this is a reader of the rules
that hide, not a browser, and a rule it cannot read is left out, never
guessed at.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pipeline.core.errors import IngestError
from pipeline.ingest.css import Rule

Element = Any  # an lxml.html element

_COMPOUND = re.compile(r"^(\*|[a-z][a-z0-9-]*)?((?:[.#][_a-z0-9-]+)*)$", re.I)
_PART = re.compile(r"([.#])([_a-z0-9-]+)", re.I)
_MAX_COMPOUNDS = 8  # a selector of more steps than this is left out
MAX_MATCH_STEPS = 2_000_000  # selector checks and ancestor steps on one page (a report page: some 10,000)


@dataclass(frozen=True)
class Compound:
    tag: str | None
    id: str | None
    classes: frozenset[str]

    def matches(self, el: Element) -> bool:
        if self.tag and el.tag != self.tag:
            return False
        if self.id and el.get("id") != self.id:
            return False
        return not self.classes or self.classes <= set((el.get("class") or "").split())


@dataclass(frozen=True)
class Selector:
    """Compounds right to left, each with the combinator written before it,
    which joins it to the next one leftwards (" " descendant, ">" child)."""
    steps: tuple[tuple[Compound, str], ...]
    specificity: tuple[int, int, int]
    rule: Rule

    def matches(self, el: Element, budget: Budget) -> bool:
        first, combinator = self.steps[0]
        if not first.matches(el):
            return False
        return _ancestors_match(el, self.steps[1:], combinator, budget)


class Budget:
    """The ancestor steps all matching on one page may take: a hostile
    stylesheet (long descendant chains over a deep page) is refused in
    seconds, not matched for hours."""

    def __init__(self, steps: int = MAX_MATCH_STEPS) -> None:
        self.left = steps

    def step(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise IngestError("this web page's own style rules are too many or too deep to match against its "
                              f"elements ({MAX_MATCH_STEPS:,} steps; a report page needs a few thousand); refused",
                              error="too_many_style_rules")


def _ancestors_match(el: Element, steps: tuple[tuple[Compound, str], ...], combinator: str, budget: Budget) -> bool:
    """The rest of a selector, leftwards from `el` (iterative: a descendant
    step tries each ancestor in turn, backtracking over a stack; a (node,
    step) already tried and failed is not tried again, so the work is at
    most the page's depth times the selector's length)."""
    stack = [(el, 0, combinator)]
    failed: set[tuple[Element, int]] = set()  # the nodes themselves: an id could be reused
    while stack:
        node, at, comb = stack.pop()
        if at == len(steps):
            return True
        if (node, at) in failed:
            continue
        failed.add((node, at))
        compound, next_comb = steps[at]
        parent = node.getparent()
        while parent is not None:
            budget.step()
            if compound.matches(parent):
                stack.append((parent, at + 1, next_comb))
            if comb == ">":
                break
            parent = parent.getparent()
    return False


def parse_selector(rule: Rule) -> Selector | None:
    """The rule's selector, or None where it is not a simple one."""
    text = rule.selector.replace(">", " > ")
    tokens = text.split()
    steps: list[tuple[Compound, str]] = []
    combinator = " "
    ids = classes = tags = 0
    for token in tokens:
        if token == ">":
            combinator = ">"
            continue
        m = _COMPOUND.match(token)
        if not m or not token:
            return None
        tag = (m.group(1) or "").lower() or None
        parts = _PART.findall(m.group(2) or "")
        found_ids = [name for kind, name in parts if kind == "#"]
        compound = Compound(None if tag == "*" else tag, found_ids[0] if found_ids else None,
                            frozenset(name for kind, name in parts if kind == "."))
        if len(set(found_ids)) > 1:
            return None  # two different ids: matches nothing
        ids += len(found_ids)
        classes += len(compound.classes)
        tags += 1 if compound.tag else 0
        steps.append((compound, combinator))
        combinator = " "
    if not steps or len(steps) > _MAX_COMPOUNDS or combinator == ">":
        return None
    return Selector(tuple(reversed(steps)), (ids, classes, tags), rule)


class RuleIndex:
    """The page's rules by the key of their rightmost compound (id, a
    class, the element name, or none), so that an element is checked only
    against the rules that could match it."""

    def __init__(self, rules: list[Rule]) -> None:
        self.by_key: dict[str, list[Selector]] = defaultdict(list)
        self.budget = Budget()
        for rule in rules:
            selector = parse_selector(rule)
            if selector is None:
                continue
            last = selector.steps[0][0]
            key = f"#{last.id}" if last.id else f".{min(last.classes)}" if last.classes else last.tag or "*"
            self.by_key[key].append(selector)

    def __bool__(self) -> bool:
        return bool(self.by_key)

    def matching(self, el: Element) -> list[Selector]:
        """The selectors that match `el`."""
        keys = ["*", el.tag if isinstance(el.tag, str) else ""]
        if el.get("id"):
            keys.append(f"#{el.get('id')}")
        keys += [f".{name}" for name in (el.get("class") or "").split()]
        out = []
        for key in keys:
            for selector in self.by_key.get(key, ()):
                self.budget.step()
                if selector.matches(el, self.budget):
                    out.append(selector)
        return out
