"""The records the stages pass along, at the bottom of the import graph.

extract/ returns these (through `extract.extract_all`), validate reads an
`Extraction` and nothing else. The enums are str-valued, so a member is equal
to its name in the tables ("ok", "rating_conflict") and is written as such.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

Row = dict[str, Any]  # one row of an output table, column -> value


class Rating(StrEnum):
    """The four ratings, the one owner of their words, order and points:
    declared from the lowest (Inadequate, 0 points) to the highest
    (Outstanding, 3). A member equals its word ("Good")."""
    INADEQUATE = "Inadequate"
    REQUIRES_IMPROVEMENT = "Requires improvement"
    GOOD = "Good"
    OUTSTANDING = "Outstanding"

    @property
    def points(self) -> int:
        """Inadequate 0, Requires improvement 1, Good 2, Outstanding 3."""
        return list(Rating).index(self)

    @property
    def abbreviation(self) -> str:
        """I, RI, G, O: the initials of the words."""
        return "".join(word[0].upper() for word in self.value.split())

    @classmethod
    def of(cls, word: object) -> Rating | None:
        """The member for a rating word; None for anything else."""
        if not isinstance(word, str):
            return None
        try:
            return cls(word)
        except ValueError:
            return None

    @classmethod
    def ascending(cls) -> list[str]:
        """The words from the lowest to the highest."""
        return [r.value for r in cls]


# the words, best first (the order the reports print them in their keys)
RATINGS = tuple(r.value for r in reversed(Rating))


def normalise_rating(text: str | None) -> str | None:
    """'Requires Improvement', 'requires\\nimprovement', 'Good22' -> canonical
    label; anything that is not one of the four ratings -> None."""
    if not text:
        return None
    t = re.sub(r"[\s\d]+", " ", text).strip().lower()
    for label in RATINGS:
        if t == label.lower():
            return label
    return None


class SectionKind(StrEnum):
    FRONT = "front"
    FOREWORD = "foreword"
    INTRODUCTION = "introduction"
    RATINGS_SUMMARY = "ratings_summary"
    EXECUTIVE_SUMMARY = "executive_summary"
    RECOMMENDATIONS = "recommendations"
    BACKGROUND = "background"
    CONTEXTUAL_FACTS = "contextual_facts"
    CASELOAD = "caseload"
    DOMAIN = "domain"
    SUMMARY_DOMAIN = "summary_domain"
    STANDARD = "standard"
    ANNEX_METHODOLOGY = "annex_methodology"
    ANNEX_RESULTS = "annex_results"
    ANNEX_OTHER = "annex_other"
    ANNEX_DOMAIN = "annex_domain"
    ANNEX_STANDARD = "annex_standard"


class Level(StrEnum):
    STANDARD = "standard"
    SCORE = "score"
    OVERALL = "overall"
    SOURCE = "source"
    REPORT = "report"


class FindingKind(StrEnum):
    RATING_DIFFERS_FROM_RULE = "rating_differs_from_rule"
    ROUNDING_SENSITIVE = "rounding_sensitive"
    KEY_QUESTION_CONFLICT = "key_question_conflict"
    RATING_CONFLICT = "rating_conflict"
    PRINTED_SCORE_DIFFERS_FROM_PUBLISHED_SUM = "printed_score_differs_from_published_sum"
    OVERALL_OUTSIDE_SCORE_BAND = "overall_outside_score_band"
    OVERALL_DIFFERS_FROM_RULE = "overall_differs_from_rule"
    MISSING_SECTION = "missing_section"
    # what the report prints does not fit its framework's standards
    FRAMEWORK_SHAPE = "framework_shape"
    # the report's framework has no rating rules in the data: nothing is recomputed
    RULES_NOT_MODELLED = "rules_not_modelled"
    # the extractors' own: what a source printed could not be taken as a value
    UNRECOGNISED_RATING = "unrecognised_rating"
    MISSING_RATING = "missing_rating"
    RATINGS_NOT_PAIRED = "ratings_not_paired"
    VALUE_OUT_OF_RANGE = "value_out_of_range"
    UNREADABLE_VALUE = "unreadable_value"
    UNMATCHED_PROMPTS = "unmatched_prompts"  # a prompt table whose heading names none of its standard's key questions
    # a key-question row that its framework's own questions (patterns/questions.json) do not bear out
    UNANCHORED_QUESTION = "unanchored_question"
    # report-level values printed in several places that disagree
    OVERALL_CONFLICT = "overall_conflict"
    SCORE_CONFLICT = "score_conflict"
    CASES_CONFLICT = "cases_conflict"
    DATE_CONFLICT = "date_conflict"
    # the file itself: text no reader sees that says what the visible text does not (never a value
    # source); a reader that stopped before the end of the file
    HIDDEN_TEXT = "hidden_text"
    TRUNCATED_PARSE = "truncated_parse"


class Status(StrEnum):
    OK = "ok"
    PARTIAL = "partial"
    FAILED = "failed"


@dataclass
class Note:
    """Something an extractor saw and could not take as a value: validate
    turns it into a `findings` row (level "source")."""
    kind: FindingKind
    detail: str
    page: int | None
    standard: str | None = None
    printed: str | None = None  # the text as printed, quoted


@dataclass
class PublishedRating:
    standard: str
    rating: str | None
    page: int
    name: str = ""
    marker: int | None = None  # a footnote number glued to the rating ('Good22')
    printed: str | None = None  # the printed word(s) where the rating should be


@dataclass
class Sourced:
    """One place a report states a report-level value (overall rating, score,
    cases inspected): the value, where, and the words it was read from."""
    value: str | int
    source: str  # 'summary', 'overall_findings', 'foreword', 'methodology', ...
    page: int | None
    quote: str = ""
    out_of: int | None = None  # a score's printed maximum (the N after the slash in 'Score 14/N')


@dataclass
class RatingsSummary:
    page: int | None = None
    service_line: str | None = None
    score: int | None = None
    score_max: int | None = None
    score_page: int | None = None
    score_printed: str | None = None
    overall: str | None = None
    overall_page: int | None = None
    standards: dict[str, PublishedRating] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)


def pct_of_counts(yes: int | None, relevant: int | None) -> float | None:
    """The exact % yes where a table prints counts (100 * yes / relevant);
    None where it prints no relevant cases."""
    if relevant:
        return 100.0 * (yes or 0) / relevant
    return None


@dataclass
class KeyQuestion:
    """One key question of a standard: the section's value (preferred) or
    the annex's, with the annex value alongside where both are printed."""
    standard: str
    index: int
    question: str
    page: int
    source: str  # 'section' or 'annex'
    pct_yes: float | None = None
    relevant: int | None = None
    yes: int | None = None
    not_applicable: bool = False
    annex_pct_yes: float | None = None
    annex_page: int | None = None
    printed: str = ""  # the value as printed ('62%', '8 7')
    annex_printed: str = ""
    value_problem: str | None = None  # a printed value that could not be read, quoted (value left null)
    theme: str | None = None  # desistance, child_safety, others_safety or other (extract.themes)

    @property
    def pct_exact(self) -> float | None:
        return pct_of_counts(self.yes, self.relevant)

    @property
    def value(self) -> float | None:
        """What the rule bands: the exact fraction where counts are printed."""
        return self.pct_exact if self.pct_exact is not None else self.pct_yes

    def as_row(self, report_id: str) -> Row:
        return {
            "report_id": report_id, "standard": self.standard, "index": self.index,
            "question": self.question, "theme": self.theme, "pct_yes": self.pct_yes, "relevant": self.relevant,
            "yes": self.yes, "pct_exact": self.pct_exact, "page": self.page, "source": self.source,
            "annex_pct_yes": self.annex_pct_yes, "annex_page": self.annex_page,
            "not_applicable": self.not_applicable, "value_problem": self.value_problem,
        }


@dataclass
class Prompt:
    """One sub-question (prompt a, b, c ...) under a key question, with its
    printed % yes or counts."""
    standard: str | None
    key_question: int | None  # the index of the key question it belongs to; None when none matched
    label: str  # the printed letter, else a, b, c ... in printed order
    prompt: str
    page: int
    source: str  # 'annex' or 'section'
    pct_yes: float | None = None
    relevant: int | None = None
    yes: int | None = None
    value_problem: str | None = None  # a printed value that could not be read (the value is null)

    def as_row(self, report_id: str) -> Row:
        return {
            "report_id": report_id, "standard": self.standard, "key_question": self.key_question,
            "label": self.label, "prompt": self.prompt, "pct_yes": self.pct_yes, "relevant": self.relevant,
            "yes": self.yes, "page": self.page, "source": self.source, "value_problem": self.value_problem,
        }


@dataclass
class Fact:
    """One number printed in a facts box or table."""
    group: str  # population, demographics, caseload, staffing or other
    name: str  # canonical snake_case name
    label: str | None  # as printed
    qualifier: str | None  # whose figure, as printed; None: nothing printed
    value: float
    unit: str
    page: int
    section: str  # contextual_facts, caseload, 'standard 1.2' ...
    scope: str  # whose figure, normalised from qualifier
    rate_basis: str | None = None

    def as_row(self, report_id: str) -> Row:
        return {
            "report_id": report_id, "group": self.group, "name": self.name, "label": self.label,
            "qualifier": self.qualifier, "value": self.value, "unit": self.unit, "page": self.page,
            "section": self.section, "scope": self.scope, "rate_basis": self.rate_basis,
        }


@dataclass
class Recommendation:
    number: int  # as printed
    addressee: str | None  # the 'X should:' line above it, as printed
    text: str  # on one line, de-hyphenated
    page: int  # of its first line

    def as_row(self, report_id: str) -> Row:
        return {"report_id": report_id, "number": self.number, "addressee": self.addressee, "text": self.text,
                "page": self.page}


@dataclass(frozen=True)
class ServiceIdentity:
    """Which service a report is about (extract/identity.py)."""
    service_name: str | None = None  # as printed on the ratings page
    area: str | None = None
    service_type: str | None = None  # YOS, YOT or YJS
    service_key: str | None = None  # the same for the service in every file and year


@dataclass
class Explanation:
    """The report's own words explaining a standard's rating."""
    text: str
    page: int | None
    where: str  # 'footnote 19', 'section', '<domain> introduction'


@dataclass(frozen=True)
class PrintedDate:
    """One inspection date as a phrase of the report prints it."""
    column: str  # the `reports` column it is for
    value: str  # ISO: YYYY-MM-DD or YYYY-MM
    page: int | None
    quote: str  # the matched words, for a finding


@dataclass(frozen=True)
class InspectionDates:
    """The `reports` date columns: one value per column with its page (null
    where nothing is printed, or where printings disagree and none is printed
    more often), the inspection month with the column it came from, and each
    pair of printed dates that disagree (kept or first-printed one first)."""
    published_month: str | None = None
    published_month_page: int | None = None
    fieldwork_start: str | None = None
    fieldwork_start_page: int | None = None
    fieldwork_end: str | None = None
    fieldwork_end_page: int | None = None
    announced_month: str | None = None
    announced_month_page: int | None = None
    sample_start: str | None = None
    sample_start_page: int | None = None
    sample_end: str | None = None
    sample_end_page: int | None = None
    inspection_month: str | None = None  # YYYY-MM
    inspection_month_source: str | None = None
    conflicts: tuple[tuple[PrintedDate, PrintedDate], ...] = ()

    def as_columns(self) -> Row:
        """The date columns of the `reports` row."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "conflicts"}


@dataclass
class Extraction:
    """Everything extract/ read from one report; validate's only input."""
    report_id: str
    source_file: str
    sha256: str
    pages: int
    summary: RatingsSummary | None
    section_ratings: dict[str, PublishedRating]
    annex_ratings: dict[str, PublishedRating]
    section_names: dict[str, str]
    key_questions: list[KeyQuestion]
    identity: ServiceIdentity
    # every place the report states a report-level value, in no set order;
    # validate chooses by the precedence in rules
    overall_sources: list[Sourced] = field(default_factory=list)
    score_sources: list[Sourced] = field(default_factory=list)
    cases: dict[str, list[Sourced]] = field(default_factory=dict)
    explanations: dict[str, Explanation] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    # the `reports` date columns (extract/dates.py), with their conflicts
    dates: InspectionDates = field(default_factory=InspectionDates)
    # records validate turns into rows of their own tables
    facts: list[Fact] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    prompts: list[Prompt] = field(default_factory=list)
    # framework -> the cues of it the report prints ('title', 'rated_areas', 'V1')
    framework_cues: dict[str, list[str]] = field(default_factory=dict)
    # rated area key ('work_with_children') -> its published rating
    area_ratings: dict[str, PublishedRating] = field(default_factory=dict)
