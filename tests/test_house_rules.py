"""House rules the code keeps: no function in pipeline/ over 60 lines (from
its `def` line to its last line, docstring included), so each fits on a
screen."""
from __future__ import annotations

import ast
from pathlib import Path

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"
MAX_FUNCTION_LINES = 60


def function_lengths(root: Path = PIPELINE) -> list[tuple[str, int]]:
    """(file:line name, lines) of every function and method under `root`."""
    out = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno is not None
                where = f"{path.relative_to(root.parent)}:{node.lineno} {node.name}"
                out.append((where, node.end_lineno - node.lineno + 1))
    return out


def test_the_walk_sees_the_functions() -> None:
    lengths = function_lengths()
    assert len(lengths) > 500
    assert any(where.endswith(" validate") for where, _ in lengths)


def test_no_function_is_over_60_lines() -> None:
    long = [f"{where} ({n} lines)" for where, n in function_lengths() if n > MAX_FUNCTION_LINES]
    assert not long, "functions over 60 lines -- split them by what their parts are about:\n" + "\n".join(long)
