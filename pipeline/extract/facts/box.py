"""The state machine that reads the lines of one data box into rows.

Layouts handled (all seen in real reports): value first ("215,052 Total
population ...") and label first ("Total staff headcount (FTE) 4.6"),
wrapped labels, a value on a line of its own pairing with the label above
it (or, when no label is waiting, the one below it), boxes printed in
column order (all values, then all labels), headings, qualifier lines
("For children subject to court disposals:"), demographic tables and
category lists.
"""
from __future__ import annotations

from typing import Any

import re
from dataclasses import dataclass, field, replace

from pipeline.core.document import Cell, Line
from pipeline.core.text import join_wrapped, strip_markers
from pipeline.extract.facts.label_buffer import LabelBuffer, Row, BROKEN_FIGURE, one_label
from pipeline.extract.facts.tables import Table, is_column_words, table_columns, table_header, table_keyword
from pipeline.extract.facts.values import (
    MarkerRule,
    Value,
    parse_value_token,
    prepare,
    split_leading,
    split_note,
    trailing_values,
)
from pipeline.extract.facts.vocabulary import match_heading, slug, vocabulary


@dataclass
class BoxParser:
    """Reads the lines of one box (or section) into Rows."""
    markers: MarkerRule
    rows: list[Row] = field(default_factory=list)
    label: LabelBuffer = field(default_factory=LabelBuffer)
    pending: list[Value] = field(default_factory=list)
    last: Row | None = None
    blank_since_last: bool = False
    table: Table | None = None
    list_heading: dict[str, Any] | None = None
    list_title: str | None = None
    qualifier: str | None = None
    # rows of values that no column header names (page, the line as printed): not stored, reported
    unplaced: list[tuple[int, str]] = field(default_factory=list)
    in_value_run: bool = False  # the last line was a value alone, pending (a column of values is being read)
    run_before: bool = False
    cut_figure: bool = False  # the last line ended in a figure cut short; its rest starts the next
    cut_figures: list[tuple[int, str]] = field(default_factory=list)  # (page, the figure as printed): reported
    column_rows: list[Row] = field(default_factory=list)  # rows paired from the pending column of values
    tables: list[Table] = field(default_factory=list)  # every demographic table opened, in order
    orphans: list[tuple[int, str, str, list[Value | None]]] = field(default_factory=list)  # (page, line, label, values)

    def _emit(self, parts: list[str], value: Value, page: int, **kw: Any) -> Row:
        row = Row([p for p in parts if p], value, page, qualifier=kw.pop("qualifier", self.qualifier), **kw)
        if self.list_heading and row.kind == "plain":
            row.kind = "list"
            row.heading = self.list_title
        self.rows.append(row)
        self.last = row
        self.blank_since_last = False
        return row

    def _emit_closed(self, parts: list[str], value: Value, page: int, **kw: Any) -> None:
        self._emit(parts, value, page, **kw).open = False

    def blank(self) -> None:
        self.blank_since_last = True
        self.label.close()

    def finish(self) -> None:
        # values that never met a label: printed, but nobody can say what they count
        self._flush_pending()
        self._adopt_orphans()
        self.unplaced.extend((page, printed) for page, printed, _label, _values in self.orphans)
        self.orphans = []

    def _adopt_orphans(self) -> None:
        """Rows of figures read before their table's header, or cut off from
        it (a two-column page read box by box), go to the one table whose
        header was read with no row under it, when every such row fits its
        named columns and one fills them all: the shape decides, as when a
        column of values is paired with its questions. Anything else stays
        unplaced."""
        headers_alone = [(t, n) for t in self.tables if t.rows_seen == 0 and (n := t.named_columns_of_header())]
        if len(headers_alone) != 1 or not self.orphans:
            return
        table, width = headers_alone[0]
        counts = [len(values) for _page, _printed, _label, values in self.orphans]
        labels = [label for _page, _printed, label, _values in self.orphans]
        if max(counts) != width or len(set(labels)) != len(labels):
            return
        for page, _printed, label, values in self.orphans:
            self._table_row(table, label, values, page)
        self.orphans = []

    def _flush_pending(self) -> None:
        """Values printed apart (a column of values) whose column of labels
        did not follow with as many lines: whose is which cannot be told.
        The rows already paired from that column are taken back."""
        if self.pending and self.column_rows:
            taken = {id(row) for row in self.column_rows}
            self.rows = [row for row in self.rows if id(row) not in taken]
            self.unplaced.extend((row.value.page, row.value.text) for row in self.column_rows)
            if self.last is not None and id(self.last) in taken:
                self.last = None
        self.unplaced.extend((value.page, value.text) for value in self.pending)
        self.pending, self.column_rows = [], []

    def feed(self, line: Line) -> None:
        # a value alone on its line continues a run only if the line before was one too (blank lines aside)
        self.run_before, self.in_value_run = self.in_value_run, False
        text, page = line.text, line.page
        if line.cells and self._cells_row(line.cells, page):
            return
        tokens = text.split()
        if self.cut_figure:
            self.cut_figure = False
            if tokens and tokens[0].isdigit():
                return  # the rest of a figure cut by its cell's edge, with its note
        first = parse_value_token(tokens[0]) if tokens and not vocabulary()["year"].match(tokens[0]) else None
        if first is not None and self._value_first(text, page, first):
            return
        # a title line: heading, qualifier line or table header
        if not trailing_values(text, self.markers, page, in_table=False) and self._heading(text, page):
            return
        if self._table_ended(text, page):
            return
        values = trailing_values(text, self.markers, page, in_table=self.table is not None)
        if values:
            self._label_first(*values, page)
        elif tokens and BROKEN_FIGURE.match(tokens[-1]):
            # a figure cut by its cell's edge ('£1,935,40' / '8 (...)'): no reading of it is safe
            self.label.clear()
            self.cut_figures.append((page, tokens[-1]))
            self.cut_figure = True
        else:
            self._text(self.markers.strip_trailing(text, page, has_value=False), page)

    def _cells_row(self, cells: tuple[Cell, ...], page: int) -> bool:
        """A table row read from its cells: a label cell, then cells that each
        hold one value (with its note: '5.5% (2)'). The label is the cell's
        whole text, so nothing above or below it joins it."""
        filled = [c.text.strip() for c in cells if c.text.strip()]
        if len(filled) < 2 or parse_value_token(filled[0].split()[0]) is not None:
            return False
        values: list[Value | None] = []
        for text in filled[1:]:
            head, note = split_note(prepare(text))
            tokens = head.split()
            parsed = parse_value_token(tokens[0]) if len(tokens) == 1 else None
            if parsed is None:
                return False
            values.append(Value(parsed[0], parsed[1], tokens[0], page, note))
        if self.table is None and match_heading(strip_markers(filled[0])) is not None:
            return False  # a heading row with a figure beside it: the line reader knows those
        self.label.clear()
        self.pending = []
        self._label_first(prepare(filled[0]), values, page)
        return True

    def _value_first(self, text: str, page: int, first: tuple[float, str | None]) -> bool:
        """'214,109 Total population', '26%', '£1,935,408 (...)'."""
        head, note = split_leading(text)
        rest = text[len(head):].strip()
        if note:
            rest = rest[len(note):].strip()
        value = Value(first[0], first[1], head, page, note)
        tokens = text.split()
        if len(tokens) >= 2 and all(parse_value_token(t) is not None and not vocabulary()["year"].match(t)
                                    for t in tokens):
            self._values_alone(text, tokens, page)
            return True
        if self.table is not None and self.table.named_columns_of_header():
            # the column beside the table, read in between (a text tool that prints a page box by box)
            self.table.interrupted = True
        else:
            self.table = None
        if not rest:
            if self.label.parts and not self.pending:
                # the label waiting above, even across a blank line
                after_label = self.label.after_label
                parts, label_page = self.label.take()
                if one_label(parts) and not after_label:
                    self._emit_closed(parts, value, label_page or page)
                else:  # several labels (a column of them) or a header cell: whose value this is is unknown
                    self.unplaced.append((page, value.text))
            else:
                self.label.clear()
                if not self.run_before:
                    self._flush_pending()  # values left from an earlier run: their labels were not all printed
                self.pending.append(value)
                self.in_value_run = True
                self.last = None
            return True
        if rest[:1].isupper() or rest[:1] in "'\"(":
            self.label.clear()
            self._emit([self.markers.strip_trailing(rest, page, has_value=True)], value, page)
            return True
        return False

    def _values_alone(self, text: str, tokens: list[str], page: int) -> None:
        """A line of values only ('65% 33% 2%'). Under a table's header whose
        last line is no column name ('Anytown YOS10', the row's label a
        text export printed above its cells), that line is the row's label
        when the rest of the header names one column per value. Otherwise
        whose figures these are cannot be told: reported, not stored."""
        table = self.table
        if table is not None and table.rows_seen == 0 and len(table.header_parts) > 1 \
                and not is_column_words(table.header_parts[-1]):
            columns = table_columns(table.key, join_wrapped(table.header_parts[:-1]), len(tokens))
            if len(columns) == len(tokens) and all(not name.startswith("col") for name, _ in columns):
                label = self.markers.strip_trailing(table.header_parts.pop(), page, has_value=True)
                table.columns = columns
                values: list[Value | None] = []
                for token in tokens:
                    parsed = parse_value_token(token)
                    values.append(Value(parsed[0], parsed[1], token, page, "") if parsed else None)
                self.label.clear()
                self._table_row(table, label, values, page)
                return
        self.label.clear()
        self.unplaced.append((page, text.strip()))

    def _label_first(self, label_text: str, found: list[Value | None], page: int) -> None:
        label_text = self.markers.strip_trailing(label_text, page, has_value=True)
        if self.table is not None:
            self._table_row(self.table, label_text, found, page)
            return
        waiting = self.label.take(include_closed=False)[0]
        # a label never runs on from a sentence (a standard's descriptor printed above its data box)
        parts = ([] if waiting and waiting[-1].rstrip().endswith(".") else waiting) + [label_text]
        rows = []
        if len(found) == 1 or self.list_heading:
            rows = [self._emit(parts, v, page) for v in found if v is not None]
        else:
            # several values and no table header: keep them all, numbered
            rows = [self._emit(parts + [f"({index})"], v, page, kind="cell",
                               name=f"{slug(join_wrapped(parts))}_{index}")
                    for index, v in enumerate(found, start=1) if v is not None]
        rows[-1].open = False

    def _note_line(self, clean: str) -> bool:
        """A line wholly in parentheses right under a row whose value has no
        note: that value's note, wrapped in its cell ('52' / '(including TYS
        and Amber unit)')."""
        last = self.last
        if last is None or self.blank_since_last or self.label.parts or last.value.note \
                or not (clean.startswith("(") and clean.endswith(")")) or self.table is not None \
                or len(clean.split()) < 2:  # '(2018)' or '(2011)' carries on the label, as in a text export
            return False
        last.value = replace(last.value, note=clean)
        return True

    def _text(self, clean: str, page: int) -> None:
        if self._note_line(clean):
            return
        if self.table is not None and not self.table.interrupted:
            if self.table.rows_seen == 0 and len(self.table.header_parts) < 8:
                self.table.header_parts.append(clean)
                return
            self.table = None
        if self.pending and (clean[:1].isupper() or clean[:1] in "'\"" or not self.last):
            value = self.pending.pop(0)
            if is_column_words(clean):
                self.pending.insert(0, value)
                self._flush_pending()  # a table's header cells among a column of values: nothing pairs safely
                return
            self.column_rows.append(self._emit([clean], value, value.page))
            return
        if self.last is not None and self.last.open and not self.label.parts and (
                clean[:1].islower() or (not self.blank_since_last and len(clean.split()) <= 3)):
            # a wrapped label: 'out-of-court disposal', '(2011)', 'Children'
            # (a lower-case line continues it even across a blank line)
            self.last.label_parts.append(clean)
            return
        self.label.add(clean, page)

    def _heading(self, text: str, page: int) -> bool:
        found = self._heading_kind(text, page)
        if found:
            self._flush_pending()  # a column of values whose labels stopped before it did
        return found

    def _heading_kind(self, text: str, page: int) -> bool:
        clean = strip_markers(re.sub(r"\s%$", "", text)).strip()
        m = vocabulary()["qualifier_line"].match(clean)
        if m:
            self.qualifier = m.group("q").strip()
            self._reset()
            return True
        info = match_heading(clean)
        if info is not None:
            self._reset()
            self.table = None
            self.list_heading = info if info.get("list") else None
            self.list_title = clean if info.get("list") else None
            return True
        table = table_header(clean)
        if table is not None:
            self._reset()
            self.table = Table(table[0], [table[1]] if table[1] else [], page)
            self.tables.append(self.table)
            return True
        return False

    def _reset(self) -> None:
        self.label.clear()
        self.last = None

    def _table_ended(self, text: str, page: int) -> bool:
        """A row of several values that no open table can take (none open, or
        one whose named columns it does not fit, or whose rows it repeats):
        whose figures they are cannot be told, so the row is reported, not
        stored; the table, if any, is over. False when the line is no such row."""
        several = trailing_values(text, self.markers, page, in_table=True)
        if several is None or len([v for v in several[1] if v is not None]) < 2 or self.list_heading:
            return False
        table = self.table
        if table is not None:
            if table.columns is None and table.named_columns() == 0:
                table.columns = table_columns(table.key, join_wrapped(table.header_parts), len(several[1]))
            named = table.named_columns()
            fits = not named or len(several[1]) == named or (len(several[1]) < named and not table.interrupted)
            if fits and several[0] not in table.row_labels:
                table.row_labels.add(several[0])
                return False
        self.table = None
        self.label.clear()
        self.orphans.append((page, text.strip(), several[0], several[1]))
        return True

    def _table_row(self, table: Table, label: str, values: list[Value | None], page: int) -> None:
        if table.columns is None:
            table.columns = table_columns(table.key, join_wrapped(table.header_parts), len(values))
        while len(table.columns) < len(values):
            n = len(table.columns) + 1
            table.columns.append((f"col{n}", f"column {n}"))
        table.rows_seen += 1
        keyword = table_keyword(table.key)
        prefix = vocabulary()["tables"][table.key]["prefix"]
        rows = [self._emit([f"{keyword} {printed}"], value, page, kind="cell", qualifier=label or None,
                           name=prefix + suffix, group="demographics")
                for value, (suffix, printed) in zip(values, table.columns, strict=False) if value is not None]
        rows[-1].open = False
