"""Extractors: one module per kind of record. Each takes a SegmentedReport
(and, where it needs them, records another extractor produced) and returns
records with their pages. `extract_all` runs them all and returns the one
`Extraction` validate reads."""
from __future__ import annotations

import os

from pipeline.core.document import SegmentedReport
from pipeline.core.records import Extraction, Sourced
from pipeline.extract.dates import inspection_dates
from pipeline.extract.explanations import find_explanations
from pipeline.extract.facts import read_facts
from pipeline.extract.framework_marks import area_ratings, framework_cues, unsectioned_key_questions
from pipeline.extract.key_questions import read_key_questions
from pipeline.extract.prompts import read_prompts
from pipeline.extract.ratings import extract_published_ratings
from pipeline.extract.identity import service_identity
from pipeline.extract.recommendations import extract_recommendations
from pipeline.extract.themes import theme_of
from pipeline.extract.report_meta import cases_inspected, overall_in_prose, score_in_prose


def extract_all(report: SegmentedReport, source_file: str | None = None) -> Extraction:
    document = report.document
    published = extract_published_ratings(report)
    summary = published.summary
    key_questions, question_notes = read_key_questions(report)
    key_questions += unsectioned_key_questions(report)
    for kq in key_questions:
        kq.theme = theme_of(kq.question)
    identity = service_identity(summary.service_line if summary else None, report)
    overall_sources, score_sources = [], []
    if summary and summary.overall:
        overall_sources.append(Sourced(summary.overall, "summary", summary.overall_page, summary.overall))
    if summary and summary.score is not None:
        score_sources.append(Sourced(summary.score, "summary", summary.score_page,
                                     summary.score_printed or "", out_of=summary.score_max))
    facts, fact_notes = read_facts(report, identity)
    prompts, prompt_notes = read_prompts(report, key_questions)
    areas, area_notes = area_ratings(report)
    printed_standards = set(published.section) | set(published.annex) | set(summary.standards if summary else {})
    return Extraction(
        report_id=document.report_id,
        source_file=os.path.basename(source_file or document.source_file),
        sha256=document.sha256, pages=len(document.pages), summary=summary,
        section_ratings=published.section, annex_ratings=published.annex,
        section_names={s.standard: s.title.split(" ", 1)[-1] for s in report.of_kind("standard") if s.standard},
        key_questions=key_questions,
        identity=identity,
        overall_sources=overall_sources + overall_in_prose(report),
        score_sources=score_sources + score_in_prose(report),
        cases=cases_inspected(report),
        explanations=find_explanations(report, published),
        notes=list(document.notes) + (list(summary.notes) if summary else []) + fact_notes + area_notes
        + question_notes + prompt_notes,
        dates=inspection_dates(report),
        facts=facts,
        recommendations=extract_recommendations(report),
        prompts=prompts,
        framework_cues=framework_cues(report, areas, printed_standards), area_ratings=areas,
    )
