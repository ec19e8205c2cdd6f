"""Every output table's columns, defined once: name, type, description, and
the table's primary and foreign keys.

The Parquet schemas (`store.SCHEMAS`), the field descriptions stored in the
Parquet metadata, datapackage.json, the DuckDB database, the CSV files and
the typed loader are all generated from these definitions, so none of them
can drift. The column names are the output contract (docs/data-dictionary.md
marks the contract's columns): add columns, never rename or drop one.

Types: `string`, `int8`, `int32`, `float64`, `bool`, `date` (ISO text, stored
as a string: "2020-09-14", or "2018-09" where the report prints only a month)
and `date32` (a typed date).

Columns derived from others are defined here too and filled by
`derived.derived_values` when a table is built: beside each rating column its points
(`rating_points`: Inadequate 0 ... Outstanding 3, from records.Rating), and
beside each `date` column a typed `<column>_date` (a month as its first day)
and `<column>_precision` ("day" or "month"), for Arrow and Polars readers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING

from pipeline.core import rules
from pipeline.core.parquet_schema import arrow_schema

if TYPE_CHECKING:
    import pyarrow as pa

# the inspection's dates on `reports`; treated as `date`
# wherever a definition does not say otherwise
KNOWN_DATE_COLUMNS = {"published_month", "fieldwork_start", "fieldwork_end", "announced_month",
                      "sample_start", "sample_end", "inspection_month"}
# a rated area's published rating (2025: work with children, work with victims)
AREA_RATING_COLUMNS = tuple(f"{key}_rating" for key in rules.rated_areas())
RATING_COLUMNS = {"overall_rating", "overall_recomputed", "resettlement_rating", "rating",
                  "rating_recomputed", "annex_rating", "previous_rating", *AREA_RATING_COLUMNS}
WIDE_RATING = re.compile(r"rating_\d+_\d+(_recomputed)?")


def is_rating_column(name: str) -> bool:
    """A column holding one of the four rating words (RATING_COLUMNS, and the
    inspections table's rating_2_1, rating_2_1_recomputed ...)."""
    return name in RATING_COLUMNS or WIDE_RATING.fullmatch(name) is not None


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class TableDef:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    # (columns here, table, columns there)
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = field(default=())

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _cols(*specs: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


REPORT_ID = ("report_id", "string", "First 16 hex digits of the file's sha256.")
OF_REPORT = ((("report_id",), "reports", ("report_id",)),)


def _area_columns(with_pages: bool) -> list[tuple[str, str, str]]:
    """Each rated area's rating column (and its page column): patterns/standards.json's rated_areas."""
    return [c for key, label in rules.rated_areas().items() for c in [
        (f"{key}_rating", "string", f"Published rating of the area '{label}' (2025), beside its label in the "
                                    "ratings summary; null where none is printed (2018 and 2021 have no areas)."),
        *([(f"{key}_rating_page", "int32", f"Page where the '{label}' rating is printed.")] if with_pages else [])]]


def _page(what: str) -> tuple[str, str, str]:
    return ("page", "int32", f"1-based page in the PDF ({what}); for a .txt export, pages split at form feeds; "
                             "null for formats without pages (HTML, Word, Markdown): see locator.")


# every table with a page has a locator for the formats that have no pages
LOCATOR = Column("locator", "string", "For formats without pages (HTML, Word, Markdown), the heading path of "
                                      "the row's value (e.g. 'Domain two > 2.1 Assessment'); null for PDF and text.")


_TABLE_DEFS: dict[str, TableDef] = {t.name: t for t in (
    TableDef("reports", "One row per input file: identity, published and recomputed overall rating and score.", _cols(
        REPORT_ID,
        ("source_file", "string", "The file's path relative to the input folder."),
        ("service_name", "string", "Service name as printed on the ratings page."),
        ("area", "string", "Service name without the service words; for a name printed in full with no area in "
                          "it, the area of the report's title ('An inspection of ... in <area>'), else of the "
                          "first service name in the text that has one."),
        ("service_type", "string", "YOS, YOT, YJS, YJT or YJP (Youth Offending Service/Team, Youth Justice "
                                  "Service/Team/Partnership), from the ratings page's name (patterns/identity.json)."),
        ("framework", "string", "2018 or 2021 from the standards present; 2025 from what only its reports print "
                                "(framework_cues): read as printed, nothing recomputed (rules not modelled)."),
        ("overall_rating", "string", "Published overall rating: the ratings summary, else Overall findings, the "
                                    "introduction, foreword or cover (precedence: docs/rules.md)."),
        ("score", "int32", "Printed score (out of the rules' score maximum); null when none is printed."),
        ("score_recomputed", "int32", "Score from the recomputed ratings (qualitative standards keep their "
                                      "published rating); null: rules not modelled (2025)."),
        ("overall_recomputed", "string", "Band of score_recomputed, with the resettlement limit; null: rules not "
                                         "modelled (2025)."),
        ("cases_court", "int32", "Court-disposal cases inspected, from every statement of it by the precedence "
                                 "(methodology annex first); null if not stated."),
        ("cases_out_of_court", "int32", "Out-of-court cases inspected, chosen as cases_court; null if not stated."),
        ("cases_resettlement", "int32", "Resettlement cases inspected, chosen as cases_court; null if not stated."),
        ("pages", "int32", "Pages in the document; null for formats without pages (HTML, Word, Markdown)."),
        ("format", "string", "The format the file was read as, from its content: pdf, text, markdown, html or docx."),
        ("status", "string", "ok, partial (something missing or not recomputed; see missing) or failed (see errors)."),
        ("score_published_sum", "int32", "Sum of the published ratings' points over the 12 core standards."),
        ("resettlement_rating", "string", "Published 4.1 rating (2021 framework)."),
        ("overall_page", "int32", "Page where the overall rating is printed."),
        ("score_page", "int32", "Page where the score is printed."),
        ("sha256", "string", "The file's full sha256."),
        ("missing", "string", "What a partial report lacks, '; '-separated ('not recomputed: rules not modelled')."),
        ("overall_source", "string", "Where the overall rating used was printed: summary, overall_findings, "
                                     "foreword ... (precedence: docs/rules.md)."),
        ("cases_court_page", "int32", "Page of the court case count used."),
        ("cases_out_of_court_page", "int32", "Page of the out-of-court case count used."),
        ("cases_resettlement_page", "int32", "Page of the resettlement case count used."),
        ("service_key", "string", "Lower-case ASCII slug of area ('&' read as 'and', apostrophes dropped): the "
                                 "same for a service in every file and year, whatever its name."),
        ("published_month", "date", "Month of the cover ('DECEMBER 2018' on a line of its own in the front "
                                    "matter) or 'Published: ...' (YYYY-MM)."),
        ("published_month_page", "int32", "Page where published_month is printed."),
        ("fieldwork_start", "date", "First day (or month) of fieldwork, as printed: YYYY-MM-DD, or YYYY-MM where "
                                    "only a month is printed."),
        ("fieldwork_start_page", "int32", "Page where fieldwork_start is printed."),
        ("fieldwork_end", "date", "Last day (or month) of fieldwork, as printed."),
        ("fieldwork_end_page", "int32", "Page where fieldwork_end is printed."),
        ("announced_month", "date", "Month the inspection was announced ('at the time of the inspection "
                                    "announcement in August 2021'), YYYY-MM."),
        ("announced_month_page", "int32", "Page where announced_month is printed."),
        ("sample_start", "date", "Start of the court case-sample window ('cases sentenced or released from "
                                 "custody between ... and ...')."),
        ("sample_start_page", "int32", "Page where sample_start is printed."),
        ("sample_end", "date", "End of the court case-sample window."),
        ("sample_end_page", "int32", "Page where sample_end is printed."),
        ("inspection_month", "date", "Fieldwork start, else announcement, else publication month; null if none "
                                     "is printed."),
        ("inspection_month_source", "string", "The column inspection_month came from: fieldwork_start, "
                                              "announced_month or published_month."),
        ("inspection_id", "string", "service_key-inspection_month, shared by every file of one inspection; "
                                    "service_key-undated-<8 hex of the values its files print> when no month "
                                    "is printed; the report_id when no service is named; null for a failed "
                                    "file."),
        ("duplicate_of", "string", "Null for the primary file of an inspection; the primary's report_id on every "
                                   "other file holding it: count rows where it is null."),
        *_area_columns(with_pages=True),
        ("framework_cues", "string", "What marked the framework: title (its title form), rated_areas (their labels "
                                     "in the ratings summary), a standard only it has (V1); null for 2018, 2021."),
    # report_id alone is unique except for empty files, which all share the
    # sha256 of nothing and are each listed as failed
    ), primary_key=("report_id", "source_file")),
    TableDef("ratings", "One row per standard per report: published and recomputed rating.", _cols(
        REPORT_ID,
        ("domain", "string", "Domain 1 to 4; V for the 2025 victims' standard."),
        ("standard", "string", "Code as printed, e.g. 2.1 or V1; one standard only within one framework (2025's 2.1 "
                               "is not Assessment)."),
        ("standard_name", "string", "Canonical name in the report's framework; as printed where it has none (2025)."),
        ("rating", "string", "Published rating: the one most of summary, section and annex print (a tie goes "
                            "to summary, then section, then annex); null when uncertain."),
        ("quantitative", "bool", "Rated from key-question % under the banding rule; null: rules not modelled."),
        ("lowest_pct", "float64", "Lowest key-question value (the exact fraction where counts are printed)."),
        ("rating_recomputed", "string", "Band of lowest_pct; null for qualitative standards."),
        _page("the published rating used: the summary page when there is one"),
        ("rating_source", "string", "Where the published rating was read: summary, section or annex."),
        ("counts_in_score", "bool", "Part of the 0-36 score (false for 4.1); null: rules not modelled (2025)."),
        ("rounding_sensitive", "bool", "A rounding step could change the band (see findings)."),
        ("section_page", "int32", "Page of the standard's own section heading rating."),
        ("annex_rating", "string", "The rating printed in the annex."),
        ("annex_page", "int32", "Page of the annex rating."),
        ("area", "string", "Its rated area (2025: work_with_children, work_with_victims); null where none is known."),
    ), primary_key=("report_id", "standard"), foreign_keys=OF_REPORT),
    TableDef("key_questions", "One row per key question of each quantitative standard.", _cols(
        REPORT_ID,
        ("standard", "string", "Standard code, e.g. 2.1 (V1: the 2025 victims' standard)."),
        ("index", "int32", "1..n in printed order (a code's last part: V1.2 is V1's 2)."),
        ("question", "string", "The key question as printed, on one line."),
        ("theme", "string", "What the question asks about, from its text (patterns/themes.json): desistance, "
                            "child_safety (keeping the child safe), others_safety (keeping other people safe) "
                            "or other."),
        ("pct_yes", "float64", "Printed % yes; null when the report prints counts."),
        ("relevant", "int32", "Printed number of relevant cases (small samples); null when a % is printed."),
        ("yes", "int32", "Printed number of cases answered yes (small samples); null when a % is printed."),
        ("pct_exact", "float64", "100 * yes / relevant when counts are printed."),
        _page("the value used"),
        ("source", "string", "section (the standard's table, preferred) or annex (only the annex prints it)."),
        ("annex_pct_yes", "float64", "The annex's value for the same question, where printed."),
        ("annex_page", "int32", "Page of the annex value."),
        ("not_applicable", "bool", "Printed 'Not applicable'."),
        ("value_problem", "string", "A value printed but not readable (e.g. a count pair run together with no "
                                    "single plausible split), quoted; the value is then null, with an "
                                    "unreadable_value finding."),
    ), primary_key=("report_id", "standard", "index"), foreign_keys=OF_REPORT),
    TableDef("prompts", "The sub-questions (prompts a, b, c ...) under a key question.", _cols(
        REPORT_ID,
        ("standard", "string", "Standard code, e.g. 2.1."),
        ("key_question", "int32", "Index of the key question it belongs to."),
        ("label", "string", "Printed letter; else the letter of the framework's prompt that its text matches (a row "
                            "that matches none is not stored: an unanchored_question finding); a, b, c in printed "
                            "order where the framework lists no prompts for its key question."),
        ("prompt", "string", "The prompt as printed, on one line."),
        ("pct_yes", "float64", "Printed % yes."),
        ("relevant", "int32", "Printed number of relevant cases."),
        ("yes", "int32", "Printed number of cases answered yes."),
        _page("the value"),
        ("source", "string", "annex or section."),
        ("value_problem", "string", "Why a printed value was not read (the value is null), e.g. values printed "
                                    "apart from their rows."),
    ), foreign_keys=OF_REPORT),
    TableDef("facts", "Contextual, caseload and staffing figures: one row per printed number.", _cols(
        REPORT_ID,
        ("group", "string", "population, demographics, caseload, staffing or other."),
        ("name", "string", "Canonical snake_case name (vocabulary in patterns/facts.json)."),
        ("label", "string", "The label as printed."),
        ("qualifier", "string", "Whose figure, as printed: the service, 'National average', "
                                "'England and Wales', ...; null when nothing is printed."),
        ("value", "float64", "The number (footnote markers are never values)."),
        ("unit", "string", "count, percent, fte (full-time equivalent), rate (see rate_basis), gbp or days."),
        _page("the value"),
        ("section", "string", "Where it was printed, e.g. contextual_facts, caseload, standard 1.2."),
        ("scope", "string", "Whose figure, normalised from qualifier (patterns/facts.json): service (the "
                            "inspected service: nothing printed, or its area or name), service_subgroup (part of "
                            "its caseload), local_population, national, regional, comparator (a group of similar "
                            "services), england_and_wales, england, wales or other."),
        ("rate_basis", "string", "What a rate is per, as printed in its label: per_100000, per_1000 or "
                                 "per_case_manager; null when the label prints none or the unit is not a rate."),
    ), foreign_keys=OF_REPORT),
    TableDef("recommendations", "The report's recommendations.", _cols(
        REPORT_ID,
        ("number", "int32", "Number as printed."),
        ("addressee", "string", "The body addressed, as printed on the 'X should:' line above it, without the "
                                 "verb or the colon ('The YOS Management Board'; a name wrapped over two lines "
                                 "is joined)."),
        ("text", "string", "The recommendation on one line, de-hyphenated."),
        _page("the recommendation's first line"),
    ), foreign_keys=OF_REPORT),
    TableDef("findings", "Where the report and the rules, or two sources in the report, disagree.", _cols(
        REPORT_ID,
        ("level", "string", "standard, score, overall, source or report."),
        ("standard", "string", "Standard code, where the finding is about one."),
        ("kind", "string", "Kind of finding, e.g. rating_differs_from_rule (every kind: docs/data-dictionary.md)."),
        ("published", "string", "The published value compared."),
        ("recomputed", "string", "The value under the rules."),
        ("explained", "bool", "The report explains the departure in its own words."),
        ("explanation", "string", "The report's words, quoted."),
        _page("the finding's value"),
        ("detail", "string", "One sentence saying what was found."),
        ("lowest_pct", "float64", "The lowest key question's value."),
        ("points_to_band_edge", "float64", "How far lowest_pct is from the band the published rating needs."),
        ("explanation_page", "int32", "Page of the quoted explanation."),
        ("source_a", "string", "First side of a source conflict: where it is printed."),
        ("value_a", "string", "First side of a source conflict: the value."),
        ("page_a", "int32", "First side of a source conflict: its page."),
        ("source_b", "string", "Second side of a source conflict: where it is printed."),
        ("value_b", "string", "Second side of a source conflict: the value."),
        ("page_b", "int32", "Second side of a source conflict: its page."),
    ), foreign_keys=OF_REPORT),
    TableDef("errors", "Files that could not be extracted, and copies of files extracted once.", _cols(
        ("source_file", "string", "The file's path relative to the input folder."),
        ("stage", "string", "ingest, segment or extract."),
        ("error", "string", "Short class of the problem, e.g. no_text_layer, not_a_report, "
                            "not_a_youth_justice_report, decompression_bomb, memory_limit, time_limit, "
                            "worker_crashed, skipped, duplicate_file."),
        ("message", "string", "A sentence a person can act on."),
    )),
    TableDef("inspections", "One row per inspection: the primary file's identity, dates, ratings and score.", _cols(
        ("inspection_id", "string", "As in reports."),
        ("service_key", "string", "The primary file's service_key."),
        ("service_name", "string", "The primary file's service name."),
        ("area", "string", "The primary file's area."),
        ("service_type", "string", "The primary file's service type."),
        ("framework", "string", "Inspection framework, 2018, 2021 or 2025 (as in reports)."),
        ("inspection_month", "date", "The best-dated file's inspection month."),
        ("inspection_month_source", "string", "The column inspection_month came from."),
        ("published_month", "date", "As its files print it, the most precise printing."),
        ("fieldwork_start", "date", "As its files print it, the most precise printing."),
        ("fieldwork_end", "date", "As its files print it, the most precise printing."),
        ("announced_month", "date", "As its files print it, the most precise printing."),
        ("sample_start", "date", "As its files print it, the most precise printing."),
        ("sample_end", "date", "As its files print it, the most precise printing."),
        ("overall_rating", "string", "Published overall rating (primary file)."),
        ("overall_recomputed", "string", "Overall rating recomputed under the rules (primary file)."),
        ("score", "int32", "Printed score (primary file)."),
        ("score_recomputed", "int32", "Score from the recomputed ratings (primary file)."),
        ("score_published_sum", "int32", "Sum of the published ratings' points (primary file)."),
        *[(rules.rating_column(code), "string", f"Published rating of standard {code} (2018, 2021).")
          for code in rules.standard_codes()],
        *[(rules.rating_column(code, recomputed=True), "string",
           f"Rating of standard {code} under the rules; null for a qualitative standard.")
          for code in rules.standard_codes()],
        *_area_columns(with_pages=False),
        ("cases_court", "int32", "As in reports (primary file)."),
        ("cases_out_of_court", "int32", "As in reports (primary file)."),
        ("cases_resettlement", "int32", "As in reports (primary file)."),
        ("status", "string", "The primary file's status."),
        ("primary_report_id", "string", "The primary file's report_id."),
        ("report_ids", "string", "Every file holding it, primary first, '; '-separated."),
        ("source_files", "string", "Every file holding it, primary first, '; '-separated."),
        ("files", "int32", "How many files hold it."),
        ("files_disagree_on", "string", "Values the files print differently, '; '-separated; null when they agree."),
        ("previous_inspection_id", "string", "The same service's latest earlier inspection (by inspection_month; "
                                             "an undated inspection has none and is nobody's previous)."),
    ), primary_key=("inspection_id",)),
    TableDef("rating_changes", "One row per standard (and overall) rated at two successive inspections of a "
                               "service.", _cols(
        ("service_key", "string", "The service."),
        ("inspection_id", "string", "The later inspection."),
        ("previous_inspection_id", "string", "The earlier inspection."),
        ("inspection_month", "date", "Month of the later inspection."),
        ("previous_inspection_month", "date", "Month of the earlier inspection."),
        ("standard", "string", "overall (across frameworks), or a rated area or standard (within one framework)."),
        ("previous_rating", "string", "Published rating at the earlier inspection."),
        ("rating", "string", "Published rating at the later inspection."),
        ("change", "int32", "Points (Inadequate 0 ... Outstanding 3) now minus before."),
        ("direction", "string", "improved, declined or unchanged."),
        ("framework", "string", "The later inspection's framework."),
        ("previous_framework", "string", "The earlier inspection's framework."),
    ), primary_key=("inspection_id", "standard"),
       foreign_keys=((("inspection_id",), "inspections", ("inspection_id",)),)),
)}
TABLE_DEFS: dict[str, TableDef] = {
    name: replace(t, columns=(*t.columns, LOCATOR)) if any(c.name == "page" for c in t.columns) else t
    for name, t in _TABLE_DEFS.items()}


# tables with one row per value of one file: each also carries the file's
# inspection and service (so a CSV stands alone), and keeps the rows of a
# file that copies another's inspection apart, in `<table>_copies`
PER_REPORT_TABLES = ("ratings", "key_questions", "prompts", "facts", "recommendations", "findings")
COPIES_SUFFIX = "_copies"
IDENTITY_COLUMNS = _cols(
    ("inspection_id", "string", "The inspection this file holds (as in reports)."),
    ("service_name", "string", "Service name as printed on the ratings page (as in reports)."),
    ("service_key", "string", "Lower-case slug of the service's area (as in reports)."),
)


def _with_identity(table: TableDef) -> TableDef:
    columns = (table.columns[0], *IDENTITY_COLUMNS, *table.columns[1:])
    return TableDef(table.name, table.description, columns, table.primary_key, table.foreign_keys)


def _copies(table: TableDef) -> TableDef:
    return TableDef(table.name + COPIES_SUFFIX,
                    f"{table.description} Rows of the files whose reports.duplicate_of is set (another file "
                    f"holds the same inspection): kept for checking, never counted; the base table "
                    f"{table.name} holds the primary file's rows only.",
                    table.columns, table.primary_key, table.foreign_keys)


for _name in PER_REPORT_TABLES:
    TABLE_DEFS[_name] = _with_identity(TABLE_DEFS[_name])
TABLE_DEFS.update({t.name: t for t in (_copies(TABLE_DEFS[n]) for n in PER_REPORT_TABLES)})


def _with_derived(table: TableDef) -> TableDef:
    columns: list[Column] = []
    for column in table.columns:
        columns.append(column)
        if column.name in RATING_COLUMNS:
            columns.append(Column(f"{column.name}_points", "int8",
                                  f"Points of {column.name}: Inadequate 0, Requires improvement 1, Good 2, "
                                  "Outstanding 3 (sorts and compares by merit)."))
        elif column.type == "date":
            columns.append(Column(f"{column.name}_date", "date32",
                                  f"{column.name} as a typed date; a month printed alone is its first day "
                                  f"(see {column.name}_precision)."))
            columns.append(Column(f"{column.name}_precision", "string",
                                  f"How precisely {column.name} is printed: day or month."))
    return TableDef(table.name, table.description, tuple(columns), table.primary_key, table.foreign_keys)


TABLE_DEFS.update({name: _with_derived(table) for name, table in TABLE_DEFS.items()})
@cache
def table_schema(name: str) -> pa.Schema:
    """The Parquet schema of contract table `name` (built once)."""
    return arrow_schema(TABLE_DEFS[name])


def columns_of_type(name: str, kind: str) -> list[str]:
    return [c.name for c in TABLE_DEFS[name].columns if c.type == kind]
