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


# what made a file (a format, or a tool that exported its text) is ingest's
# business: below it, the Document's blocks are all there is
FORMAT_WORDS = ("pdftotext", "pdfminer", "pypdf", "pdfium", "libreoffice", "soffice", "chromium", "markitdown",
                "pandoc", "mammoth", "html2text", "inscriptis", "python-docx", "markdown-it")
FORMAT_TEST = ("format ==", "format !=", "format in", ".format is", "document.format")
BELOW_INGEST = ("segment", "extract")
MAX_MODULE_LINES = 400


def below_ingest_naming_formats(root: Path = PIPELINE) -> list[str]:
    found = []
    for stage in BELOW_INGEST:
        for path in sorted((root / stage).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                low = line.lower()
                if any(word in low for word in FORMAT_WORDS) or any(test in low for test in FORMAT_TEST):
                    found.append(f"{path.relative_to(root.parent)}:{number}: {line.strip()}")
    return found


def test_the_format_check_finds_a_format_name(tmp_path: Path) -> None:
    (tmp_path / "extract").mkdir()
    (tmp_path / "segment").mkdir()
    (tmp_path / "extract" / "x.py").write_text("if document.format == 'text':  # pdfminer quirk\n    pass\n")
    assert len(below_ingest_naming_formats(tmp_path)) == 1


def test_no_format_or_tool_is_named_below_ingest() -> None:
    found = below_ingest_naming_formats()
    assert not found, "segment and extract read the Document's blocks, whatever made them:\n" + "\n".join(found)


def test_no_module_is_over_400_lines() -> None:
    long = [f"{p.relative_to(PIPELINE.parent)} ({n} lines)" for p in sorted(PIPELINE.rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES]
    assert not long, "modules over 400 lines -- split them by concern:\n" + "\n".join(long)


def test_no_docstring_or_comment_cites_an_issue_or_a_document_outside_the_repository() -> None:
    import re

    cited = re.compile(r"\bissue\s*#?\d+|DESIGN\.md|DEVELOPERS\.md", re.I)
    found = [f"{p.relative_to(PIPELINE.parent)}:{i}" for p in sorted(PIPELINE.rglob("*.py"))
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1) if cited.search(line)]
    assert not found, "\n".join(found)
