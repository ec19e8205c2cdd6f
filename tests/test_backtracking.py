"""No regex the pipeline uses backtracks catastrophically on long hostile
lines (issue 13 item 4): every pattern in patterns/*.json and every regex
literal in pipeline/ runs over 60 KB and 400 KB lines within a generous bound."""
import ast
import json
import re
import signal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOUND_PER_MB = 25.0  # seconds per MB of line for one pattern; linear patterns take milliseconds


def _strings(value, where):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{where}[{i}]")
        if value and all(isinstance(v, str) for v in value):  # lists are also joined into one regex
            yield f"{where}[joined]", "|".join(f"(?:{v})" for v in value)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{where}.{k}")


_META = re.compile(r"[\\\[\](){}.*+?^$]")


def _is_literal(text: str) -> bool:
    """Plain words (or alternatives of plain words) cannot backtrack."""
    return not _META.search(text.replace("(?:", "").replace(")|", "|").rstrip(")"))


def pattern_file_regexes():
    found = []
    for path in sorted((ROOT / "patterns").glob("*.json")):
        for where, text in _strings(json.loads(path.read_text(encoding="utf-8")), path.stem):
            if where.endswith("_comment") or _is_literal(text):
                continue
            try:
                found.append((where, re.compile(text, re.I)))
            except re.error:
                continue  # a vocabulary entry, not a regex
    return found


_RE_FUNCTIONS = {"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"}


def inline_regexes():
    found = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in _RE_FUNCTIONS and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "re" and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, (str, bytes))):
                pattern = node.args[0].value
                flags = re.I if isinstance(pattern, str) else 0
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", re.compile(pattern, flags)))
    return found


def _distinct(regexes):
    seen, out = set(), []
    for where, rx in regexes:
        if (rx.pattern, rx.flags) not in seen:
            seen.add((rx.pattern, rx.flags))
            out.append((where, rx))
    return out


ALL = _distinct(pattern_file_regexes() + inline_regexes())


def hostile_lines(size: int) -> dict[str, str]:
    units = {
        "capitalised words": "Anytown Borough Council Youth Partnership Board And Services ",
        "capitalised, no service word": "North East West Upon Tyne Shire Hills And Vale ",
        "digits and spaces": "12 345 6.7 89% 2.1 3 ",
        "punctuation": "Good, (a) - ‘Yes’: 62%; 1.1. . ",
        "one long word": "A",
        "mixed": "Requires improvement 2.1.3 Of the 8 cases inspected: Relevant Number 'Yes' 7 ",
    }
    return {name: (unit * (size // len(unit) + 1))[:size] for name, unit in units.items()}


@pytest.mark.parametrize("size", [60_000, 400_000], ids=["60KB", "400KB"])
def test_every_regex_is_linear_on_long_hostile_lines(size):
    assert len(ALL) > 80  # the walk found the patterns
    lines = hostile_lines(size)
    budget = BOUND_PER_MB * size / 1e6 + 0.5
    slow = []

    def overran(*_):
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, overran)  # the regex engine checks signals as it runs
    try:
        for where, rx in ALL:
            for name, line in lines.items():
                subject = line.encode() if isinstance(rx.pattern, bytes) else line
                signal.setitimer(signal.ITIMER_REAL, budget)
                try:
                    for _ in rx.finditer(subject):
                        pass
                except TimeoutError:
                    slow.append(f"{where} on {name}: over {budget:.1f} s")
                    break
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert not slow, slow
