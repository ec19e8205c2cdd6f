"""The `facts` table: every number printed in the "Contextual facts" and
"Additional caseload data" boxes and in the data boxes at the top of the
standard sections ("Key data", "Key staffing data", "Caseload
characteristics"), one row per printed number.

Layouts handled (all seen in real reports):
- value first ("215,052 Total population ...") and label first ("Total staff
  headcount (FTE) 4.6"), wrapped labels, a value on a line of its own pairing
  with the label above it (or, when no label is waiting, the one below it);
  boxes printed in column order (all values, then all labels);
- a value with a note: "6 (5 custodial orders, 1 secure remand)", "1.92% = 1
  post", "5.5% (2)", "£1,935,408 (YJB Good Practice Grant £341,351)": the
  first number is the value, numbers in the note become rows of their own
  (`<name>_<words>` or `<name>_count`);
- footnote markers: glued to a word they are never values ("YOS4"); a
  trailing number after a space is a marker when it is the number of a
  footnote on that page whose marker is printed nowhere else on the page
  ("Reoffending rate in Anyshire YOS 8");
- demographic tables ("Age 10-14 15-17" / "Anyshire YOS 14% 86%"), one row per
  cell with the row's label as `qualifier` and the column in `name`;
- category lists under a heading ("Offence types %": one row per offence).

A box that is missing or came out as an image gives no rows (never zeros).
`qualifier` is what the label prints ('... in England and Wales', 'National
average'); None means the inspected service itself (nothing printed).
Names come from the vocabulary in patterns/facts.json (rapidfuzz); a label
it does not know still gives a row, named from the label, group "other".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from ..document import Line, Section, SegmentedReport
from ..patterns import load
from ..text import footnote_markers, join_wrapped, strip_markers

VALUE_TOKEN = re.compile(
    r"^(?P<gbp>£)?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<dec>\.\d+)?(?P<mult>m|k|bn)?(?P<pct>%)?[.,;]?$")
MULTIPLIERS = {"m": 1e6, "k": 1e3, "bn": 1e9}
PLACEHOLDERS = {"-", "n/a", "na", "*", "..", "x"}


# ---------------------------------------------------------------- vocabulary

def _norm_token(token: str) -> str:
    return re.sub(r"[^\w+/%£.-]", "", token.lower()).strip(".-")


class Words:
    """A label split into printed tokens, with a normalised string whose
    character offsets map back to the printed tokens."""

    def __init__(self, text: str):
        self.tokens = text.split()
        parts, owners = [], []
        for index, token in enumerate(self.tokens):
            norm = _norm_token(token)
            if not norm:
                continue
            if parts:
                owners.append(index)  # the separating space
            parts.append(norm)
            owners.extend([index] * len(norm))
        self.norm = " ".join(parts)
        self._owners = owners

    def token_at(self, offset: int) -> int:
        if offset >= len(self._owners):
            return len(self.tokens)
        return self._owners[offset]

    def printed(self, start: int, end: int) -> str:
        """Printed text of the normalised span [start, end)."""
        if start >= end or start >= len(self._owners):
            return ""
        return " ".join(self.tokens[self.token_at(start): self.token_at(end - 1) + 1])

    def tail_after(self, end: int) -> str:
        """Printed text after the normalised offset `end` (whole tokens)."""
        if end >= len(self._owners):
            return ""
        index = self.token_at(end)
        # a match that ends inside a token keeps that token out of the tail
        if end > 0 and self.token_at(end - 1) == index:
            index += 1
        return " ".join(self.tokens[index:])


def normalise(text: str) -> str:
    return Words(text).norm


@dataclass(frozen=True)
class Entry:
    name: str
    group: str
    unit: str
    qualified: bool
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    data = load("facts")
    entries = []
    for name, info in data["facts"].items():
        if name.startswith("_"):
            continue
        entries.append(Entry(name, info["group"], info["unit"], bool(info.get("qualified")),
                             tuple(normalise(a) for a in info["aliases"])))
    tables = {}
    for key, info in data["tables"].items():
        columns = [(normalise(alias), column) for column, aliases in info.get("columns", {}).items()
                   for alias in aliases]
        columns.sort(key=lambda c: -len(c[0]))
        tables[key] = {
            "headers": sorted((normalise(h) for h in info["header"]), key=len, reverse=True),
            "prefix": info["prefix"],
            "columns": columns,
            "column_regex": re.compile(info["column_regex"], re.I) if info.get("column_regex") else None,
        }
    headings = {normalise(k): v for k, v in data["headings"].items() if not k.startswith("_")}
    return {
        "entries": entries,
        "threshold": data["match_threshold"],
        "tables": tables,
        "headings": headings,
        "qualifier_line": re.compile(data["qualifier_line"], re.I),
        "box_end": re.compile(data["box_end"], re.I),
        "year": re.compile(data["year"]),
        "number_before": set(data["label_number_before"]),
        "date_tail": re.compile(data["date_tail"], re.I),
        "box_headings": {normalise(h) for h in data["box_headings"]},
        "rating_end": re.compile(data["rating_end"]),
        "unit_words": {k.lower(): v for k, v in data["unit_words"].items()},
    }


@dataclass
class Match:
    entry: Entry | None
    qualifier: str | None = None


def match_label(label: str) -> Match:
    """Canonical entry for a printed label. A whole-label match, or the alias
    at the start of the label followed by a qualifier (for entries that take
    one: '... in England and Wales') or by a date ('... - 2018/2019')."""
    vocab = vocabulary()
    words = Words(label)
    text = words.norm
    if not text:
        return Match(None)
    best: tuple[float, int, Entry, str | None] | None = None
    for entry in vocab["entries"]:
        for alias in entry.aliases:
            score = fuzz.ratio(alias, text)
            qualifier = None
            if len(alias) < len(text):
                aligned = fuzz.partial_ratio_alignment(alias, text)
                if aligned.score >= 95 and aligned.dest_start <= 1:
                    tail = words.tail_after(aligned.dest_end)
                    if entry.qualified:
                        score, qualifier = max(score, aligned.score), _qualifier_from_tail(tail)
                    elif vocab["date_tail"].match(tail):
                        score = max(score, aligned.score)
            if score >= vocab["threshold"]:
                candidate = (score, len(alias), entry, qualifier)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
    if best is None:
        return Match(None)
    return Match(best[2], best[3])


def _qualifier_from_tail(tail: str) -> str | None:
    tail = re.sub(r"^[\s:,\-]*(?:(?:in|for|of|across|within)\s+)?", "", tail, flags=re.I)
    tail = re.sub(r"\s*\((?:19|20)\d\d(?:/\d{2,4})?\)\s*$", "", tail)  # '(2018)'
    tail = tail.strip(" :,-")
    return tail or None


def slug(text: str, limit: int = 60) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", text.lower().replace("%", " pct ").replace("+", " plus ")).strip("_")
    if len(s) > limit:
        s = s[:limit].rsplit("_", 1)[0]
    return s or "value"


# ---------------------------------------------------------------- values

@dataclass
class Value:
    value: float
    unit: str | None          # 'percent' / 'gbp' from the printed sign, else None
    text: str                 # as printed
    page: int
    note: str = ""            # '(5 custodial orders, 1 secure remand)', '= 1 post'


def parse_value_token(token: str) -> tuple[float, str | None] | None:
    m = VALUE_TOKEN.match(token)
    if not m:
        return None
    number = float(m.group("num").replace(",", "") + (m.group("dec") or ""))
    if m.group("mult"):
        if not m.group("gbp"):
            return None
        number *= MULTIPLIERS[m.group("mult")]
    unit = "percent" if m.group("pct") else "gbp" if m.group("gbp") else None
    return number, unit


def _is_bare_int(token: str) -> bool:
    return bool(re.fullmatch(r"\d{1,3}", token))


def _prepare(text: str) -> str:
    # '62 %' -> '62%', but not 'Offence types12 %' (a marker and a column header)
    text = re.sub(r"(?:(?<=\s)|^)(£?\d[\d,]*(?:\.\d+)?)\s+%", r"\1%", text)
    text = re.sub(r"(?:(?<=\s)|^)(\d[\d,]*(?:\.\d+)?)\s*per\s*cent\b", r"\1%", text, flags=re.I)
    text = re.sub(r"£\s+(\d)", r"£\1", text)
    return re.sub(r"\s+", " ", text).strip()


_NOTE = re.compile(r"^(?P<head>.*?\S)\s*(?P<note>\((?:[^()]|\([^()]*\))*\)|=\s*\d[^()=]*)$")


def split_note(text: str) -> tuple[str, str]:
    """'52 (including TYS and Amber unit)' -> ('52', '(including ...)') and
    '14 FTE' -> ('14', 'FTE') when the text before the note ends with a value."""
    m = _NOTE.match(text)
    if m and parse_value_token(m.group("head").split()[-1]):
        return m.group("head"), m.group("note")
    tokens = text.split()
    if len(tokens) >= 3 and tokens[-1].lower() in vocabulary()["unit_words"] and parse_value_token(tokens[-2]):
        return " ".join(tokens[:-1]), tokens[-1]
    return text, ""


# ---------------------------------------------------------------- lines

def _join_parentheses(lines: list[Line]) -> list[Line | None]:
    """Consecutive lines joined while a '(' is open (at most 3 lines), so
    that '6 (5 custodial orders,' + '1 secure remand) Total ...' is one line.
    Blank lines come back as None."""
    out: list[Line | None] = []
    i = 0
    while i < len(lines):
        text = lines[i].text.strip()
        if not text:
            out.append(None)
            i += 1
            continue
        page = lines[i].page
        j = i + 1
        while text.count("(") > text.count(")") and j < len(lines) and j - i < 3 and lines[j].text.strip():
            text = join_wrapped([text, lines[j].text])
            j += 1
        out.append(Line(page, _prepare(text)))
        i = j
    return out


@dataclass
class Row:
    label_parts: list[str]
    value: Value
    page: int
    kind: str = "plain"              # plain / list / cell
    qualifier: str | None = None
    name: str | None = None
    group: str | None = None
    heading: str | None = None
    open: bool = True                # may take continuation lines

    @property
    def label(self) -> str:
        return join_wrapped(self.label_parts)


@dataclass
class Table:
    key: str
    header_parts: list[str]
    header_page: int
    columns: list[tuple[str, str]] | None = None   # (name suffix, printed)
    rows_seen: int = 0


@dataclass
class BoxParser:
    """Reads the lines of one box (or section) into Rows."""
    markers: "MarkerRule"
    rows: list[Row] = field(default_factory=list)
    label_buf: list[str] = field(default_factory=list)
    label_page: int | None = None
    label_closed: bool = False
    pending: list[Value] = field(default_factory=list)
    last: Row | None = None
    blank_since_last: bool = False
    table: Table | None = None
    list_heading: dict | None = None
    list_title: str | None = None
    qualifier: str | None = None

    # ---- helpers
    def _emit(self, parts: list[str], value: Value, page: int, **kw) -> Row:
        row = Row([p for p in parts if p], value, page, qualifier=kw.pop("qualifier", self.qualifier), **kw)
        if self.list_heading and row.kind == "plain":
            row.kind = "list"
            row.heading = self.list_title
        self.rows.append(row)
        self.last = row
        self.blank_since_last = False
        return row

    def _take_label(self) -> list[str]:
        parts = [] if self.label_closed else self.label_buf
        self.label_buf, self.label_page, self.label_closed = [], None, False
        return parts

    def blank(self) -> None:
        self.blank_since_last = True
        if self.label_buf:
            self.label_closed = True

    def finish(self) -> None:
        # values that never met a label are still printed numbers
        for value in self.pending:
            self._emit([], value, value.page)
        self.pending = []

    # ---- a line
    def feed(self, line: Line) -> None:
        text, page = line.text, line.page
        vocab = vocabulary()
        tokens = text.split()
        first = parse_value_token(tokens[0]) if tokens and not vocab["year"].match(tokens[0]) else None

        # value first: '214,109 Total population', '26%', '£1,935,408 (...)'
        if first is not None:
            head, note = _split_leading(text)
            rest = text[len(head):].strip()
            if note:
                rest = rest[len(note):].strip()
            value = Value(first[0], first[1], head, page, note)
            self.table = None
            if not rest:
                if self.label_buf and not self.pending:
                    # the label waiting above, even across a blank line
                    parts, label_page = self.label_buf, self.label_page
                    self.label_buf, self.label_page, self.label_closed = [], None, False
                    self._emit(parts, value, label_page or page)
                    self.last.open = False
                else:
                    self.label_buf, self.label_closed = [], False
                    self.pending.append(value)
                    self.last = None
                return
            if rest[:1].isupper() or rest[:1] in "'\"(":
                self.label_buf, self.label_closed = [], False
                label = self.markers.strip_trailing(rest, page, has_value=True)
                self._emit([label], value, page)
                return

        # a title line: heading, qualifier line or table header
        if not _trailing_values(text, self.markers, page, in_table=False):
            if self._heading(text, page):
                return

        values = _trailing_values(text, self.markers, page, in_table=self.table is not None)
        if values:
            label_text, found = values
            label_text = self.markers.strip_trailing(label_text, page, has_value=True)
            if self.table is not None:
                self._table_row(label_text, found, page)
                return
            parts = self._take_label() + [label_text]
            label_page = self.label_page or page
            if len(found) == 1 or self.list_heading:
                for v in found:
                    self._emit(parts, v, page)
                self.last.open = False
                return
            # several values and no table header: keep them all, numbered
            for index, v in enumerate(found, start=1):
                self._emit(parts + [f"({index})"], v, label_page, kind="cell",
                           name=f"{slug(join_wrapped(parts))}_{index}")
            self.last.open = False
            return

        # a text line
        clean = self.markers.strip_trailing(text, page, has_value=False)
        if self.table is not None:
            if self.table.rows_seen == 0 and len(self.table.header_parts) < 8:
                self.table.header_parts.append(clean)
                return
            self.table = None
        if self.pending and (clean[:1].isupper() or clean[:1] in "'\"" or not self.last):
            value = self.pending.pop(0)
            self._emit([clean], value, value.page)
            return
        lower = clean[:1].islower()
        if self.last is not None and self.last.open and not self.label_buf and (
                lower or (not self.blank_since_last and len(clean.split()) <= 3)):
            # a wrapped label: 'out-of-court disposal', '(2011)', 'Children'
            # (a lower-case line continues it even across a blank line)
            self.last.label_parts.append(clean)
            return
        if self.label_buf and self.label_closed and lower and not self.label_buf[-1].endswith("."):
            self.label_buf.append(clean)  # a label wrapped across a blank line
            self.label_closed = False
        elif self.label_closed or not self.label_buf or self.label_buf[-1].endswith("."):
            self.label_buf, self.label_page, self.label_closed = [clean], page, False
        else:
            self.label_buf.append(clean)

    def _heading(self, text: str, page: int) -> bool:
        vocab = vocabulary()
        clean = strip_markers(re.sub(r"\s%$", "", text)).strip()
        m = vocab["qualifier_line"].match(clean)
        if m:
            self.qualifier = m.group("q").strip()
            self._reset_labels()
            return True
        norm = normalise(clean)
        for key, info in vocab["headings"].items():
            if fuzz.ratio(key, norm) >= 90:
                self._reset_labels()
                self.table = None
                self.list_heading = info if info.get("list") else None
                self.list_title = clean if info.get("list") else None
                return True
        table = _table_header(clean)
        if table is not None:
            self._reset_labels()
            self.table = Table(table[0], [table[1]] if table[1] else [], page)
            return True
        return False

    def _reset_labels(self) -> None:
        self.label_buf, self.label_page, self.label_closed = [], None, False
        self.last = None

    def _table_row(self, label: str, values: list[Value], page: int) -> None:
        table = self.table
        if table.columns is None:
            table.columns = _table_columns(table.key, join_wrapped(table.header_parts), len(values))
        while len(table.columns) < len(values):
            n = len(table.columns) + 1
            table.columns.append((f"col{n}", f"column {n}"))
        table.rows_seen += 1
        keyword = _table_keyword(table.key)
        for value, (suffix, printed) in zip(values, table.columns):
            if value is None:
                continue
            self._emit([f"{keyword} {printed}"], value, page, kind="cell",
                       qualifier=label or None, name=vocabulary()["tables"][table.key]["prefix"] + suffix,
                       group="demographics")
        self.last.open = False


def _split_leading(text: str) -> tuple[str, str]:
    """('6', '(5 custodial orders, 1 secure remand)') from '6 (5 ...) Total ...'."""
    token = text.split()[0]
    rest = text[len(token):].lstrip()
    m = re.match(r"\((?:[^()]|\([^()]*\))*\)|=\s*\d+(?:\.\d+)?%?\s+[a-z]+(?:\s+[a-z]+)?", rest)
    if m and (m.group(0).startswith("(") or not rest[m.end():].strip() or rest[m.end():].strip()[:1].isupper()):
        return token, m.group(0)
    return token, ""


def _trailing_values(text: str, markers: "MarkerRule", page: int, in_table: bool
                     ) -> tuple[str, list[Value]] | None:
    """(label, values) for a line that ends with one value (or, in a table,
    several); None when the line carries no value at its end."""
    vocab = vocabulary()
    head, note = split_note(text)
    tokens = head.split()
    values: list[Value] = []
    while len(tokens) > 1:
        token = tokens[-1]
        if in_table and token.lower() in PLACEHOLDERS:
            values.insert(0, None)  # an empty cell still takes its column
            tokens.pop()
            continue
        parsed = parse_value_token(token)
        if parsed is None or (parsed[1] is None and vocab["year"].match(token)):
            break
        if _norm_token(tokens[-2]) in vocab["number_before"]:
            break  # 'rate per 100,000'
        if not values and parsed[1] is None and _is_bare_int(token) and not note \
                and markers.is_marker(int(token), page):
            return None  # 'Reoffending rate in X YOS 8': a footnote marker
        known = [v for v in values if v is not None]
        if known and parsed[1] != known[0].unit:
            break  # 'Somewhere YOS 10 65% 33%': a spaced marker before a row of %
        values.insert(0, Value(parsed[0], parsed[1], token, page, note if not values else ""))
        tokens.pop()
        if not in_table:
            break
    if not any(values):
        return None
    label = strip_markers(" ".join(tokens))
    if not re.search(r"[A-Za-z]", label):
        return None
    if len(values) > 1 and not in_table and not all(v.unit == values[0].unit for v in values):
        return None
    return label, values




def _table_keyword(key: str) -> str:
    return {"age": "Age", "ethnicity": "Race/ethnicity", "gender": "Gender"}.get(key, key)


def _table_header(text: str) -> tuple[str, str] | None:
    """(table key, column text) when the line opens a demographic table."""
    words = Words(text)
    for key, info in vocabulary()["tables"].items():
        for header in info["headers"]:
            if words.norm == header:
                return key, ""
            if words.norm.startswith(header + " "):
                rest = words.tail_after(len(header))
                columns = _table_columns(key, rest, 0)
                if any(not c[0].startswith("col") for c in columns):
                    return key, rest
    return None


def _table_columns(key: str, text: str, count: int) -> list[tuple[str, str]]:
    """Columns (name suffix, printed) read from a header's text."""
    info = vocabulary()["tables"][key]
    columns: list[tuple[str, str]] = []
    if info["column_regex"] is not None:
        for m in info["column_regex"].finditer(text):
            if m.group("a"):
                columns.append((f"{int(m.group('a'))}_{int(m.group('b'))}", m.group(0).strip()))
            elif m.group("c"):
                columns.append((f"{int(m.group('c'))}_plus", m.group(0).strip()))
            elif m.group("d"):
                columns.append((f"under_{int(m.group('d'))}", m.group(0).strip()))
    else:
        words = Words(text)
        norm, pos, used = words.norm, 0, False
        while pos < len(norm):
            for alias, column in info["columns"]:
                if norm.startswith(alias, pos) and (pos + len(alias) == len(norm) or norm[pos + len(alias)] == " "):
                    columns.append((column, words.printed(pos, pos + len(alias))))
                    pos += len(alias) + 1
                    used = True
                    break
            else:
                nxt = norm.find(" ", pos)
                leftover = norm[pos:] if nxt < 0 else norm[pos:nxt]
                columns.append((f"col{len(columns) + 1}", words.printed(pos, pos + len(leftover))))
                pos = len(norm) if nxt < 0 else nxt + 1
        if not used:
            columns = []
    if count and len(columns) != count and any(c[0].startswith("col") for c in columns):
        # unknown words: fall back to the words themselves when they fit
        words = text.split()
        if len(words) == count:
            columns = [(slug(w), w) for w in words]
    return columns


# ---------------------------------------------------------------- markers

@dataclass
class MarkerRule:
    """Footnote numbers per page, and which of them are printed glued to a
    word somewhere on the page (those have their marker already)."""
    notes_by_page: dict[int, set[int]]
    glued_by_page: dict[int, set[int]]

    def is_marker(self, number: int, page: int) -> bool:
        return number in self.notes_by_page.get(page, set()) and number not in self.glued_by_page.get(page, set())

    def strip_trailing(self, text: str, page: int, has_value: bool) -> str:
        """A label without glued markers and without a spaced trailing
        footnote number."""
        text = strip_markers(text)
        m = re.match(r"^(.*\S)\s+(\d{1,3})$", text)
        if m and self.is_marker(int(m.group(2)), page):
            return m.group(1)
        if m and has_value and int(m.group(2)) in self.notes_by_page.get(page, set()):
            return m.group(1)
        return text


def _marker_rule(report: SegmentedReport) -> MarkerRule:
    notes: dict[int, set[int]] = {}
    for number, note in report.footnotes.items():
        notes.setdefault(note.page, set()).add(number)
    glued: dict[int, set[int]] = {}
    for section in report.sections:
        for line in section.lines:
            for number in footnote_markers(line.text):
                glued.setdefault(line.page, set()).add(number)
    return MarkerRule(notes, glued)


# ---------------------------------------------------------------- sections

def _has_number(text: str) -> bool:
    tokens = _prepare(text).split()
    return bool(tokens) and (parse_value_token(tokens[0]) is not None or parse_value_token(tokens[-1]) is not None)


def _box_lines(section: Section) -> list[Line]:
    """The data-box part of a standard or domain section: from the top to
    'In making a judgement ...' / 'Our rating ...', or, without those, from a
    box heading to the first line of prose."""
    vocab = vocabulary()
    lines = section.lines[1:]
    if section.kind == "standard":
        for i, line in enumerate(lines):
            if vocab["box_end"].search(line.text):
                box = lines[:i]
                # the standard's descriptor and rating come first
                rated = [j for j, l in enumerate(box) if vocab["rating_end"].search(l.text.strip())]
                return box[rated[-1] + 1:] if rated else box
    start = None
    for i, line in enumerate(lines):
        if normalise(strip_markers(line.text)) in vocab["box_headings"]:
            start = i
            break
    if start is None and section.kind == "standard":
        # no 'In making a judgement': what follows the rating, up to prose
        start = next((i + 1 for i, l in enumerate(lines[:12]) if vocab["rating_end"].search(l.text.strip())), None)
        head = [l.text for l in lines[start:] if l.text.strip()][:3] if start is not None else []
        if not any(_has_number(_prepare(t)) for t in head):
            return []  # prose follows the rating: no data box
    if start is None:
        return []
    out = []
    for later in lines[start:start + 30]:
        if _is_prose(later.text) or vocab["box_end"].search(later.text):
            break
        out.append(later)
    return out


def _is_prose(text: str) -> bool:
    words = text.split()
    sentence = text.rstrip().endswith((".", ":")) or re.search(r"[a-z]\. [A-Z]", text)
    return len(words) >= 10 and bool(sentence)


def _section_name(section: Section) -> str:
    if section.kind == "standard":
        return f"standard {section.standard}"
    if section.kind == "domain":
        return f"domain {section.domain}"
    return section.kind


def _rows_for(section: Section, lines: list[Line], markers: MarkerRule) -> list[Row]:
    parser = BoxParser(markers)
    for line in _join_parentheses(lines):
        if line is None:
            parser.blank()
        else:
            parser.feed(line)
    parser.finish()
    return parser.rows


def _to_dicts(rows: list[Row], report_id: str, section_name: str) -> list[dict]:
    out = []
    for row in rows:
        label = row.label
        if row.kind == "cell":
            name, group, qualifier = row.name, row.group or "other", row.qualifier
            unit = row.value.unit or "count"
        elif row.kind == "list":
            heading = _heading_info(row.heading)
            name = heading.get("prefix", "") + slug(label)
            group = heading.get("group", "other")
            unit = row.value.unit or heading.get("unit", "count")
            label = f"{strip_markers(row.heading)}: {label}" if row.heading else label
            qualifier = row.qualifier
        else:
            match = match_label(label) if label else Match(None)
            if match.entry:
                name, group = match.entry.name, match.entry.group
                unit = row.value.unit or match.entry.unit
                qualifier = match.qualifier or row.qualifier
            else:
                name, group = (slug(label) if label else "unlabelled_value"), "other"
                unit = row.value.unit or "count"
                qualifier = row.qualifier
        unit = vocabulary()["unit_words"].get(row.value.note.lower()) or unit
        base = {"report_id": report_id, "group": group, "qualifier": qualifier, "page": row.value.page,
                "section": section_name}
        out.append({**base, "name": name, "label": label or None, "value": row.value.value, "unit": unit})
        out.extend({**base, **extra} for extra in _note_rows(row.value, name, label))
    return out


def _heading_info(title: str | None) -> dict:
    if not title:
        return {}
    norm = normalise(re.sub(r"\s%$", "", title))
    for key, info in vocabulary()["headings"].items():
        if fuzz.ratio(key, norm) >= 90:
            return info
    return {}


def _note_rows(value: Value, name: str, label: str) -> list[dict]:
    """Numbers printed in a value's note: '(5 custodial orders, 1 secure
    remand)' -> name_custodial_orders 5, name_secure_remand 1; '= 1 post' or
    '(2)' -> name_count; '(YJB Good Practice Grant £341,351)' -> name_yjb_...
    """
    note = value.note.strip()
    if not note:
        return []
    inner = note[1:-1] if note.startswith("(") and note.endswith(")") else note.lstrip("= ")
    out = []
    if note.startswith("=") or re.fullmatch(r"\d+(?:\.\d+)?", inner.strip()):
        tokens = inner.split()
        parsed = parse_value_token(tokens[0]) if tokens else None
        if parsed:
            out.append({"name": f"{name}_count", "label": f"{label} {note}".strip(), "value": parsed[0],
                        "unit": parsed[1] or "count"})
        return out
    for item in re.split(r"\s*;\s*|,\s+|\s+and\s+(?=£?\d)", inner):
        tokens = item.split()
        if not tokens:
            continue
        lead = parse_value_token(tokens[0])
        tail = parse_value_token(tokens[-1]) if len(tokens) > 1 else None
        if lead and len(tokens) > 1:
            words, parsed = " ".join(tokens[1:]), lead
        elif tail:
            words, parsed = " ".join(tokens[:-1]), tail
        else:
            continue
        out.append({"name": f"{name}_{slug(words)}", "label": f"{label}: {item}", "value": parsed[0],
                    "unit": parsed[1] or "count"})
    return out


def extract_facts(report: SegmentedReport) -> list[dict]:
    """Rows of the `facts` table for one report, in printed order."""
    report_id = report.document.report_id
    markers = _marker_rule(report)
    out: list[dict] = []
    for section in report.sections:
        if section.kind in ("contextual_facts", "caseload"):
            lines = section.lines[1:]
        elif section.kind in ("standard", "domain"):
            lines = _box_lines(section)
        else:
            continue
        if not lines:
            continue
        rows = _rows_for(section, lines, markers)
        out.extend(_to_dicts(rows, report_id, _section_name(section)))
    return out
