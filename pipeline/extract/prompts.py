"""The `prompts` table: the sub-questions (prompts) printed under a key
question, with their % yes or counts.

Two places print them:
- the annex ("Annexe 2: Inspection data"), kind annex_standard: a key
  question as a group heading ("Does assessment sufficiently analyse how to
  support the child's desistance? % yes"), then lettered rows
  ("a) Is there sufficient analysis ... 50%");
- the standard sections of small inspections: after a key question's
  sub-heading, a count table ("Of the 8 cases inspected: Relevant cases /
  Number 'Yes'") of unlettered rows with two counts ("... 8 7").

Both are tables by the time they reach here (a text export's, from
ingest). A group is a key question as its heading, then its rows
(extract.groups). The group is mapped to a key question of the same
standard by fuzzy-matching its heading against the key questions' texts
(rapidfuzz), never by position alone; when nothing matches well enough,
`key_question` is None (the row is still kept, with a finding). `label` is
the printed letter, or a, b, c ... in printed order when none is printed; a
letter printed twice (a real misprint) is kept twice.
"""
from __future__ import annotations

from functools import lru_cache

from pipeline.core import questions
from pipeline.core.document import Section, SegmentedReport
from pipeline.core.labels import question_similarity
from pipeline.core.patterns import load
from pipeline.core.records import KeyQuestion, Note, Prompt
from pipeline.extract.groups import table_prompts
from pipeline.extract.key_questions import report_framework

PATTERN_FILE = "prompts"


@lru_cache(maxsize=1)
def _threshold() -> float:
    return float(load(PATTERN_FILE)["match_threshold"])


def match_key_question(heading: str, code: str | None, standard: str,
                       key_questions: list[KeyQuestion], framework: str | None = None) -> int | None:
    """Index of the key question of `standard` whose text is closest to the
    group heading; else the framework's key question the heading anchors to
    (core.questions: a heading naming a key question no table of the report
    printed); a printed code ('2.1.3') decides when the texts do not."""
    candidates = [kq for kq in key_questions if kq.standard == standard and kq.question]
    scored = sorted(((question_similarity(heading, kq.question), kq.index) for kq in candidates),
                    reverse=True)
    if scored and scored[0][0] >= _threshold():
        return int(scored[0][1])
    placed = questions.anchor_key_question(framework, standard, code, heading) if framework and heading else None
    if isinstance(placed, questions.Anchor):
        return placed.index
    if code and code.startswith(f"{standard}."):
        return int(code.rsplit(".", 1)[1])
    return None


def _is_key_question(text: str, standard: str | None, key_questions: list[KeyQuestion]) -> bool:
    threshold = _threshold()
    return any(kq.standard == standard and question_similarity(text, kq.question) >= threshold
               for kq in key_questions)


def prompts_in(section: Section, key_questions: list[KeyQuestion], framework: str | None = None
               ) -> tuple[list[Prompt], list[Note]]:
    source = "annex" if section.kind.startswith("annex") else "section"
    standard = section.standard or ""

    def letter_of(key_question: int | None, text: str) -> tuple[bool, str | None]:
        """(the framework lists the key question's prompts, the letter of the one `text` is)."""
        if framework is None or key_question is None or not questions.prompts(framework, standard, key_question):
            return False, None
        placed = questions.anchor_prompt(framework, standard, key_question, None, text)
        return True, placed.code if isinstance(placed, questions.Anchor) else None

    return table_prompts(section, key_questions, source,
                         lambda heading, code, standard, kqs: match_key_question(heading, code, standard, kqs,
                                                                                 framework),
                         lambda text: _is_key_question(text, section.standard, key_questions), letter_of)


def read_prompts(report: SegmentedReport, key_questions: list[KeyQuestion]) -> tuple[list[Prompt], list[Note]]:
    """The prompts of one report, section tables first, then the annex, each
    in printed order; and a note for each row not stored."""
    framework = report_framework(report)
    out: list[Prompt] = []
    notes: list[Note] = []
    for kind in ("standard", "annex_standard"):
        for section in report.of_kind(kind):
            if section.standard:
                prompts, section_notes = prompts_in(section, key_questions, framework)
                out.extend(prompts)
                notes.extend(section_notes)
    return out, notes


def extract_prompts(report: SegmentedReport, key_questions: list[KeyQuestion]) -> list[Prompt]:
    """read_prompts without the notes."""
    return read_prompts(report, key_questions)[0]
