"""Damaged report texts never raise out of the pipeline: they give rows,
findings, or a PipelineError (an `errors` row), nothing else."""
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLES
from pipeline.core.errors import PipelineError
from pipeline.core.files import sha256_of
from pipeline.execution.one_file import Options, extract_file


@cache
def sample_lines(name: str) -> tuple[str, ...]:
    return tuple(SAMPLES[name].read_text(encoding="utf-8").split("\n"))


@st.composite
def damaged_reports(draw):
    lines = list(sample_lines(draw(st.sampled_from(sorted(SAMPLES)))))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["drop", "shuffle", "duplicate", "replace", "cut", "blank"]))
        n = len(lines)
        if n < 4:
            break
        i = draw(st.integers(0, n - 2))
        j = min(n, i + draw(st.integers(1, 400)))
        if op == "drop":
            del lines[i:j]
        elif op == "shuffle":
            chunk = lines[i:j]
            draw(st.randoms(use_true_random=False)).shuffle(chunk)
            lines[i:j] = chunk
        elif op == "duplicate":
            lines[i:i] = lines[i:j]
        elif op == "replace":
            junk = draw(st.text(alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFF,
                                                       blacklist_characters="\x00"), max_size=8))
            lines[i] = lines[i][: len(lines[i]) // 2] + junk + lines[i][len(lines[i]) // 2:]
        elif op == "cut":
            lines = lines[: max(1, i)]
        elif op == "blank":
            lines[i:j] = ["" for _ in lines[i:j]]
    return "\n".join(lines)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=damaged_reports())
def test_damaged_reports_never_raise(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("damaged") / "damaged.txt"
    path.write_text(text, encoding="utf-8")
    try:
        tables = extract_file(str(path), sha256_of(path), Options())
    except PipelineError as exc:
        assert exc.message and exc.stage
        return
    (report,) = tables["reports"]
    assert report["status"] in ("ok", "partial")
    for row in tables["ratings"]:
        assert row["rating"] in (None, "Outstanding", "Good", "Requires improvement", "Inadequate")
    for row in tables["key_questions"]:
        pct = row["pct_exact"] if row["pct_exact"] is not None else row["pct_yes"]
        assert pct is None or 0 <= pct <= 100
