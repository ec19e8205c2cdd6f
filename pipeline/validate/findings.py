"""The findings rows of one report as validate builds them, and what makes
the report partial."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.core import rules
from pipeline.core.records import FindingKind as K, InspectionDates, Level, Row

# reports.missing's words for a report of a framework whose rules are not modelled
NOT_RECOMPUTED = "not recomputed: rules not modelled"


@dataclass
class Findings:
    """The findings rows of one report, and what makes it partial."""
    report_id: str
    rows: list[Row] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unmodelled: bool = False  # the framework's rules are not modelled: nothing was recomputed
    # what the file itself puts in doubt (hidden text, a reading that stopped early): its own finding says so
    doubts: list[str] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return bool(self.missing) or self.unmodelled or bool(self.doubts)

    def missing_text(self) -> str | None:
        """reports.missing: what the file puts in doubt and what is missing,
        '; '-separated, and that nothing was recomputed."""
        return "; ".join(self.doubts + self.missing + ([NOT_RECOMPUTED] if self.unmodelled else [])) or None

    def not_recomputed(self, framework: str) -> None:
        """The one report-level finding of a report whose framework's rules are
        not modelled: why nothing is recomputed (the report is partial)."""
        self.unmodelled = True
        self.add(Level.REPORT, K.RULES_NOT_MODELLED, page=None,
                 detail=f"framework {framework}: {rules.rules_not_modelled_why(framework)} "
                        "(patterns/standards.json, framework_details)")

    def add(self, level: Level, kind: K, standard: str | None = None, **kw: Any) -> None:
        row = {"report_id": self.report_id, "level": level, "standard": standard, "kind": kind,
               "explained": kw.pop("explained", False)}
        row.update(kw)
        self.rows.append(row)

    def conflict(self, kind: K, standard: str | None, a: tuple[str, str, int | None],
                 b: tuple[str, str, int | None], what: str) -> None:
        """Two sources print different values: (source, value, page) each."""
        self.add(Level.SOURCE, kind, standard, published=a[1], recomputed=None, page=a[2],
                 source_a=a[0], value_a=a[1], page_a=a[2], source_b=b[0], value_b=b[1], page_b=b[2],
                 detail=f"{what}: the {a[0]} prints {a[1]} (page {a[2]}), the {b[0]} prints {b[1]} "
                        f"(page {b[2]})")


    def date_conflicts(self, dates: InspectionDates) -> None:
        """A `date_conflict` for each pair of printed dates that disagree."""
        for a, b in dates.conflicts:
            kept = getattr(dates, a.column)
            self.add(Level.SOURCE, K.DATE_CONFLICT, None, published=kept, recomputed=None, page=a.page,
                     source_a=a.column, value_a=a.value, page_a=a.page,
                     source_b=b.column, value_b=b.value, page_b=b.page,
                     detail=(f"{a.column}: page {a.page} prints '{a.quote}', page {b.page} prints '{b.quote}'; "
                             + (f"kept {kept}, printed more often" if kept else "neither is kept")))


def fmt_pct(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.0f}%" if float(value).is_integer() else f"{value:.1f}%"
