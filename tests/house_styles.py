"""House styles a rendering cannot flatter: a seeded layout generator.

From a sample's content (report_structure.parse_report: its headings,
paragraphs, tables of cells with their roles, footnotes) `draw(seed)` draws a
house style from a space of choices with `random.Random(seed)`, `restyle`
lays the report out in it, and `render(style, fmt, folder)` writes it in one
of FORMATS. The choices:

- header words for each column role from a vocabulary of synonyms (VOCAB),
  or no header row at all;
- column order (values before or after the question or label), "95%" or a
  bare "95" under a percentage header, count pairs as two columns (either
  order) or one cell ("7 of 8", "7/8");
- a standard's rating as a heading plus a box, as the first row of its key
  question table (the rating and the percentages in one column), or as a
  side cell with the rating under a label ("Rating:" / "Good");
- the chapter key-question tables present or absent (the annex only), where
  the sample's annex prints every key question's value;
- merged cells: the ratings summary's domains as a column whose cells span
  their standards' rows, a qualitative annex row's text spanning the empty
  value cell, a standard's rating spanning two count columns;
- header rows repeated (Word's repeat-header flag, so a PDF repeats them at
  page breaks; in HTML and Markdown the header printed again every few rows,
  as converters of paged documents leave it), the annex in landscape pages;
- footnotes as the format's own (Word footnotes, linked notes, [^n]), as
  superscript numbers with endnotes, or as bracketed "[n]" with the notes at
  the end of each section; recommendations as a numbered list (Word
  numbering, <ol>) or with typed numbers;
- running headers and footers ("Inspection of youth offending services:
  Luton 11"): Word's header and footer parts with the page number; in HTML
  and Markdown lines that count up between blocks, as converters keep them.

FORMATS: docx (python-docx), html (a plain page), govuk_html (a GOV.UK-like
page: govuk-frontend classes, row headers, a contents list, "[footnote n]"
links), md_pipe (GFM pipe tables), md_grid and md_simple (pandoc's grid and
simple tables, written by pandoc from the html rendering; Unavailable without
pypandoc-binary), docx_pdf (LibreOffice) and html_pdf (Chromium).
CONVERTERS: what people run on these renderings (markitdown on the PDF, the
.docx and the web page; mammoth's HTML of the .docx; html2text and
inscriptis on the web page; pandoc's Markdown of the .docx and plain text of
the web page); Unavailable when the package is not installed.

`expected(clean, style)` is the clean text's extraction as this style's
rendering must give it: the same, except that with the chapter tables
removed each key question's value is the annex's (the annex alone prints it).
"""
from __future__ import annotations

import copy
import html as html_lib
import random
import re
import shutil
from dataclasses import dataclass, fields
from pathlib import Path

from conftest import SAMPLES
from report_structure import HEADER_SHADE, Block, Cell, Report, parse_report, parts, plain

FORMATS = ("docx", "html", "govuk_html", "md_pipe", "md_grid", "md_simple", "docx_pdf", "html_pdf")
PDF_FORMATS = ("docx_pdf", "html_pdf")
CONVERTERS = ("markitdown_pdf", "markitdown_docx", "markitdown_html", "mammoth_html", "html2text",
              "inscriptis", "pandoc_docx_md", "pandoc_html_plain")

VOCAB = {
    "question": ["Key question", "Question", "Key questions", "What we looked at", ""],
    "pct": ["% yes", "% ‘yes’", "Percentage", "Proportion rated sufficient", "Score", "% of cases"],
    "rating": ["Rating", "Judgement", "Grade", "Our rating"],
    "rating_pct": ["Rating and % yes", "Rating / % yes", "Judgement or percentage", "Result"],
    "relevant": ["Relevant cases", "Number of relevant cases", "Cases", "Applicable cases"],
    "yes": ["Number ‘Yes’", "Yes", "Sufficient", "Number rated sufficient"],
    "pair": ["Cases rated sufficient", "Yes / relevant", "Number ‘Yes’ of relevant cases"],
    "standard": ["Standard", "Area inspected", ""],
    "annex": ["Standards and key questions", "Standard / key question", "Area inspected"],
    "side": ["Rating:", "Our rating", "Judgement"],
}
PCT_WORDS = ("%", "Percentage", "Proportion")  # a header under which a bare number is a percentage
RUNNING = ("Inspection of youth offending services: {area} {n}", "{n} Inspection of youth offending services: {area}",
           "Inspection of youth offending services: {area} | {n}")
ANNEX_HEADING = re.compile(r"^Annexe? \d+\s*[:.\-]\s*\w")
STANDARD_HEADING = re.compile(r"^(?P<code>[1-4]\.[1-4])\.?\s+(?P<name>\D.*)$")
CODE = re.compile(r"^(?P<code>[1-4]\.\d(?:\.\d)?)\.?$")
TYPED_NUMBER = re.compile(r"^(?P<n>\d{1,2})\.\s+(?P<text>.+)$", re.S)
PCT_VALUE = re.compile(r"^(?P<n>\d{1,3})%$")
KQ_ROLES = ("key_questions", "counts", "prompts", "prompts_counts")


@dataclass(frozen=True)
class Style:
    seed: int
    sample: str  # a key of conftest.SAMPLES
    headers: bool  # value tables have a header row
    question_word: str
    pct_word: str
    rating_word: str
    rating_pct_word: str
    relevant_word: str
    yes_word: str
    pair_word: str
    standard_word: str
    annex_word: str
    side_word: str
    value_first: bool  # value columns before the question or label
    bare_pct: bool  # "95" under a percentage header
    counts: str  # "columns", "swapped", "of", "slash"
    standard: str  # "box", "row", "side"
    annex_only: bool  # chapter key-question tables removed
    annex_code_column: bool  # the annex's codes in a column of their own (else joined to the text)
    annex_merge_blank: bool  # a qualitative annex row's text spans its empty value cell
    summary_value_first: bool
    summary_domain_column: bool  # domains as a column spanning their standards' rows
    repeat_header: int  # 0: no; else the header again after every N body rows (HTML, Markdown); Word's flag
    landscape_annex: bool
    footnotes: str  # "native", "endnotes", "inline"
    numbered_list: bool  # recommendations as a numbered list, not typed numbers
    running: str  # "" or a template of RUNNING
    running_every: int  # blocks between running lines (HTML, Markdown)
    running_in_header: bool  # Word: the running line in the header part (else the footer)
    facts_label_first: bool  # contextual facts' value + label rows as label + value

    def describe(self) -> str:
        return ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))


def _annex_has_values(report: Report) -> bool:
    """The annex prints a value for key questions (so the chapter tables can go)."""
    return any(b.role == "annex" and any(PCT_VALUE.match(plain(r[-1].text)) for r in b.rows) for b in report.blocks)


def draw(seed: int) -> Style:
    """The house style of `seed` (the sample too: the seeds take the samples in turn)."""
    rng = random.Random(seed)
    sample = sorted(SAMPLES)[seed % len(SAMPLES)]
    words = {f"{role}_word": rng.choice(options) for role, options in VOCAB.items()}
    headers = rng.random() < 0.75
    pct_header = headers and any(w in words["pct_word"] for w in PCT_WORDS)
    return Style(
        seed=seed, sample=sample, headers=headers, **words,
        value_first=rng.random() < 0.4,
        bare_pct=pct_header and rng.random() < 0.5,
        counts=rng.choice(("columns", "swapped", "of", "slash")),
        standard=rng.choice(("box", "row", "side")),
        annex_only=_annex_has_values(parse(sample)) and rng.random() < 0.5,
        annex_code_column=rng.random() < 0.6,
        annex_merge_blank=rng.random() < 0.5,
        summary_value_first=rng.random() < 0.3,
        summary_domain_column=rng.random() < 0.4,
        repeat_header=rng.choice((0, 0, 3, 5)),
        landscape_annex=rng.random() < 0.5,
        footnotes=rng.choice(("native", "endnotes", "inline")),
        numbered_list=rng.random() < 0.5,
        running=rng.choice(("", *RUNNING)),
        running_every=rng.choice((6, 11, 17)),
        running_in_header=rng.random() < 0.5,
        facts_label_first=rng.random() < 0.4,
    )


_PARSED: dict[str, Report] = {}


def parse(sample: str) -> Report:
    if sample not in _PARSED:
        _PARSED[sample] = parse_report(SAMPLES[sample])
    return _PARSED[sample]


# ------------------------------------------------------------------ the report in a style

@dataclass
class SCell(Cell):
    rowspan: int = 1  # rows this cell spans (the cells below it are left out of their rows)


def _head(text: str, span: int = 1) -> SCell:
    return SCell(text, header=True, shade=HEADER_SHADE, span=span, bold=True)


def _cell(cell: Cell, **changes) -> SCell:
    out = SCell(cell.text, cell.header, cell.shade, cell.span, cell.bold)
    for k, v in changes.items():
        setattr(out, k, v)
    return out


@dataclass
class _KQTable:
    """A key-question or prompt table read back into its parts."""
    spans: list[list[Cell]]  # rows spanning the table (a prompt group's key question)
    lead: str  # the question column's header text ("Of the 8 cases inspected:")
    rows: list[tuple[Cell, list[Cell]]]  # (label, value cells)
    counts: bool


def _kq_parts(block: Block) -> _KQTable:
    spans, lead, rows = [], "", []
    for row in block.rows:
        if len(row) == 1 and row[0].span > 1:
            spans.append(row)
        elif all(c.header for c in row):
            lead = row[0].text
        else:
            rows.append((row[0], row[1:]))
    return _KQTable(spans, lead, rows, block.role in ("counts", "prompts_counts"))


class _Restyler:
    def __init__(self, report: Report, style: Style):
        self.report, self.style = report, style
        self.out: list[Block] = []
        self.standard: tuple[str, str] | None = None  # (code, name) of the section we are in
        self.pending_rating: Block | None = None  # "row" layout: the rating box waiting for its table
        self.in_recommendations = self.in_annex = False

    def run(self) -> list[Block]:
        for block in self.report.blocks:
            if block.kind == "heading":
                self.heading(block)
            elif block.kind == "table":
                self.table(block)
            elif block.kind == "paragraph" and self.in_recommendations:
                self.recommendation(block)
            else:
                self.out.append(copy.copy(block))
        self.flush_rating()
        return self.out

    def heading(self, block: Block) -> None:
        text = plain(block.text).strip()
        m = STANDARD_HEADING.match(text)
        if m or block.level <= 2:
            self.flush_rating()
        if m and not self.in_annex:
            self.standard = (m.group("code"), m.group("name").strip())
        elif block.level <= 2:
            self.standard = None
        if block.level == 1:
            self.in_recommendations = text.lower() == "recommendations"
            self.in_annex = self.in_annex or bool(ANNEX_HEADING.match(text))
        self.out.append(copy.copy(block))

    def recommendation(self, block: Block) -> None:
        m = TYPED_NUMBER.match(block.text)
        if m and self.style.numbered_list:
            self.out.append(Block("item", m.group("text"), level=int(m.group("n")), role="numbered", page=block.page))
        else:
            self.out.append(copy.copy(block))

    def flush_rating(self) -> None:
        if self.pending_rating is not None:
            self.out.append(self.standard_row_table(self.pending_rating, 1))
            self.pending_rating = None

    def table(self, block: Block) -> None:
        s = self.style
        if block.role == "ratings":
            self.out.append(self.summary(block))
        elif block.role == "rating_box" and self.standard:
            if s.standard == "row":
                self.flush_rating()
                self.pending_rating = block
            else:
                self.out.append(self.rating_box(block))
        elif block.role in KQ_ROLES and not self.in_annex:
            if s.annex_only and block.role in ("key_questions", "counts"):
                return
            self.out.append(self.key_questions(block))
        elif block.role in KQ_ROLES:
            self.out.append(self.key_questions(block))
        elif block.role == "annex":
            self.out.append(self.annex(block))
        elif block.role == "facts" and s.facts_label_first and not block.rows[0][0].header:
            new = copy.copy(block)
            new.rows = [[_cell(r[1]), _cell(r[0])] for r in block.rows]
            self.out.append(new)
        else:
            self.out.append(copy.copy(block))

    # -- the ratings summary
    def summary(self, block: Block) -> Block:
        s = self.style
        rows: list[list[SCell]] = []
        domain: SCell | None = None
        width = 3 if s.summary_domain_column else 2

        def ordered(label: SCell, value: SCell) -> list[SCell]:
            return [value, label] if s.summary_value_first else [label, value]

        for i, row in enumerate(block.rows):
            if len(row) == 1:  # a domain band
                if s.summary_domain_column:
                    domain = _cell(row[0], span=1, header=True, rowspan=0)
                    continue
                rows.append([_cell(row[0], span=width)])
                continue
            label, value = _cell(row[0]), _cell(row[1])
            if domain is not None and not label.text.startswith("Overall") and not label.header:
                cells = ordered(label, value)
                if domain.rowspan == 0:
                    cells.insert(0, domain)
                domain.rowspan = domain.rowspan + 1 if domain.rowspan else 1
                rows.append(cells)
                continue
            if width == 3:
                label.span = 2
            rows.append(ordered(label, value))
            if i == 0 and s.headers:
                rows.append(ordered(_head(s.standard_word, 2 if width == 3 else 1), _head(s.rating_word)))
        return Block("table", role="ratings", page=block.page, rows=rows, columns=width)

    # -- a standard's rating
    def rating_box(self, block: Block) -> Block:
        s = self.style
        descriptor, rating = block.rows[0][0], block.rows[0][-1]
        if s.standard == "side":
            value = _cell(rating, text=f"{s.side_word}\n{rating.text}")
            cells = [value, _cell(descriptor)] if s.value_first else [_cell(descriptor), value]
            return Block("table", role="rating_box", page=block.page, rows=[cells], columns=2)
        rows = []
        if s.headers:
            rows.append(self.ordered([_head(s.standard_word)], [_head(s.rating_word)]))
        rows.append(self.ordered([_cell(descriptor)], [_cell(rating)]))
        return Block("table", role="rating_box", page=block.page, rows=rows, columns=2)

    def ordered(self, label: list[SCell], values: list[SCell]) -> list[SCell]:
        return [*values, *label] if self.style.value_first else [*label, *values]

    def standard_row(self, box: Block, value_columns: int) -> list[SCell]:
        code, name = self.standard or ("", "")
        descriptor, rating = box.rows[0][0], box.rows[0][-1]
        label = _cell(descriptor, text=f"{code} {name}: {descriptor.text}", bold=True)
        return self.ordered([label], [_cell(rating, span=value_columns)])

    def standard_row_table(self, box: Block, value_columns: int) -> Block:
        rows = []
        if self.style.headers:
            rows.append(self.ordered([_head(self.style.standard_word)], [_head(self.style.rating_word)]))
        rows.append(self.standard_row(box, value_columns))
        return Block("table", role="rating_box", page=box.page, rows=rows, columns=1 + value_columns)

    # -- key questions and prompts
    def values(self, cells: list[Cell], counts: bool) -> list[SCell]:
        s = self.style
        if not counts:
            text = cells[0].text
            if s.bare_pct and s.headers and PCT_VALUE.match(text):
                text = text[:-1]
            return [_cell(cells[0], text=text)]
        relevant, yes = cells[0].text, cells[1].text
        if s.counts == "columns":
            return [_cell(cells[0]), _cell(cells[1])]
        if s.counts == "swapped":
            return [_cell(cells[1]), _cell(cells[0])]
        return [SCell(f"{yes} of {relevant}" if s.counts == "of" else f"{yes}/{relevant}")]

    def value_heads(self, counts: bool, with_rating: bool) -> list[SCell]:
        s = self.style
        if not counts:
            return [_head(s.rating_pct_word if with_rating else s.pct_word)]
        if s.counts == "columns":
            return [_head(s.relevant_word), _head(s.yes_word)]
        if s.counts == "swapped":
            return [_head(s.yes_word), _head(s.relevant_word)]
        return [_head(s.pair_word)]

    def key_questions(self, block: Block) -> Block:
        s = self.style
        t = _kq_parts(block)
        n_values = 2 if t.counts and s.counts in ("columns", "swapped") else 1
        width = 1 + n_values
        rows: list[list[SCell]] = [[_cell(r[0], span=width)] for r in t.spans]
        box, self.pending_rating = self.pending_rating, None
        if t.lead and not s.headers:  # the sentence heading the counts goes above the table
            self.out.append(Block("paragraph", plain(t.lead) if t.lead.endswith(":") else t.lead, page=block.page))
        if s.headers:
            rows.append(self.ordered([_head(t.lead or s.question_word)], self.value_heads(t.counts, box is not None)))
        if box is not None:
            rows.append(self.standard_row(box, n_values))
        for label, values in t.rows:
            rows.append(self.ordered([_cell(label)], self.values(values, t.counts)))
        return Block("table", role=block.role, page=block.page, rows=rows, columns=width)

    # -- the annex's results
    def annex(self, block: Block) -> Block:
        s = self.style
        body = [r for r in block.rows if not all(c.header for c in r)]
        has_pct = any(PCT_VALUE.match(plain(r[-1].text)) for r in body)
        width = 3 if s.annex_code_column else 2
        rows: list[list[SCell]] = []
        if s.headers:
            label = _head(s.annex_word, span=width - 1)
            rows.append(self.ordered([label], [_head(s.rating_pct_word if has_pct else s.rating_word)]))
        for row in body:
            code, text, value = row[0], row[1], row[-1]
            label = [_cell(code), _cell(text)] if s.annex_code_column else \
                [_cell(text, text=f"{code.text} {text.text}")]
            if s.annex_merge_blank and not value.text.strip() and not s.value_first:
                label[-1].span = 2
                rows.append(label)
                continue
            rows.append(self.ordered(label, [_cell(value)]))
        return Block("table", role="annex", page=block.page, rows=rows, columns=width)


def restyle(report: Report, style: Style) -> Report:
    """The report laid out in `style` (running lines and footnotes are the renderers')."""
    return Report(report.title, _Restyler(report, style).run(), report.footnotes)


def with_running_lines(report: Report, style: Style) -> list[Block]:
    """The blocks with a running line every `running_every` blocks, counting up
    (a converter's text of a paged document keeps them between blocks)."""
    if not style.running:
        return list(report.blocks)
    area = report.title.split(":", 1)[-1].strip()
    out, page = [], 2
    for i, block in enumerate(report.blocks):
        if i and i % style.running_every == 0:
            out.append(Block("paragraph", style.running.format(area=area, n=page), role="running"))
            page += 1
        out.append(block)
    return out


def expected(clean: dict[str, list[dict]], style: Style) -> dict[str, list[dict]]:
    """The clean text's extraction as `style`'s rendering must give it."""
    if not style.annex_only:
        return clean
    printed = {}  # code -> the annex's wording of the question
    for block in parse(style.sample).blocks:
        for row in block.rows if block.role == "annex" else []:
            m = CODE.match(plain(row[0].text).strip())
            if m and len(row) >= 3:
                printed[m.group("code")] = plain(row[1].text).replace("’", "'").replace("‘", "'")
    out = {k: [dict(r) for r in v] for k, v in clean.items()}
    for row in out["key_questions"]:
        if row.get("annex_pct_yes") is not None:
            row["pct_yes"] = row["annex_pct_yes"]
        row["question"] = printed.get(f"{row['standard']}.{row['index']}", row["question"])
    return out


# ------------------------------------------------------------------ rendering


def render(style: Style, fmt: str, folder: Path) -> Path:
    """The sample in `style` as `fmt` (one of FORMATS or CONVERTERS), written
    (once: an existing file is reused) into `folder`."""
    import style_formats

    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{style.sample}.s{style.seed}"
    if fmt in CONVERTERS:
        return style_formats.convert(fmt, lambda f: render(style, f, folder), folder / f"{stem}.{fmt}")
    report = restyle(parse(style.sample), style)
    return style_formats.write(fmt, report, style, folder / f"{stem}.{fmt}", lambda f: render(style, f, folder))


def which(*names: str) -> str | None:
    return next((p for p in map(shutil.which, names) if p), None)


def escape(text: str) -> str:
    return html_lib.escape(text)


__all__ = ["FORMATS", "PDF_FORMATS", "CONVERTERS", "Style", "draw", "restyle", "render", "expected", "parts",
           "SCell", "with_running_lines", "which", "escape"]
