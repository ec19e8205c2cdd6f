"""The facts vocabulary (patterns/facts.json): canonical names, groups and
units, box headings and demographic tables, and matching a printed label to
a canonical name with rapidfuzz."""
from __future__ import annotations

from typing import Any

import re
from dataclasses import dataclass
from functools import lru_cache, cache

from rapidfuzz import fuzz, process

from pipeline.core.patterns import load


_NOT_TOKEN = re.compile(r"[^\w+/%£.-]")


def norm_token(token: str) -> str:
    return _NOT_TOKEN.sub("", token.lower()).strip(".-")


class Words:
    """A label split into printed tokens, with a normalised string whose
    character offsets map back to the printed tokens."""

    def __init__(self, text: str):
        self.tokens = text.split()
        parts: list[str] = []
        owners: list[int] = []
        for index, token in enumerate(self.tokens):
            norm = norm_token(token)
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

@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Words(text).norm without the offsets (labels and lines recur: cached)."""
    return " ".join(norm for norm in map(norm_token, text.split()) if norm)


@dataclass(frozen=True)
class Entry:
    name: str
    group: str
    unit: str
    qualified: bool
    aliases: tuple[str, ...]

@cache
def pattern(key: str, flags: int = 0) -> re.Pattern[str]:
    """A regex from the "regex" block of patterns/facts.json."""
    return re.compile(load("facts")["regex"][key], flags)


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
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

@dataclass(frozen=True)
class Match:
    entry: Entry | None
    qualifier: str | None = None


ALIGNED_MIN = 95  # the least partial_ratio of an alias aligned at the start of a label


@lru_cache(maxsize=1)
def _aliases() -> tuple[list[tuple[Entry, str]], list[str], list[tuple[int, str, float]]]:
    """Every (entry, alias) in vocabulary order, the aliases alone, and each
    alias's (index, alias, least ratio against the label's first len+1
    characters that an alignment at the start can come from).

    Why that least ratio: an alignment scoring s >= ALIGNED_MIN that starts
    at 0 or 1 is a window W of at most L = len(alias) characters inside
    P = label[:L + 1]. s = 200 LCS / (L + |W|) and LCS <= |W| give
    |W| >= k L with k = s / (200 - s), so LCS(alias, P) >= LCS(alias, W) >=
    k L, and ratio(alias, P) = 200 LCS(alias, P) / (2L + 1) >= 200 k L / (2L + 1).
    """
    pairs = [(entry, alias) for entry in vocabulary()["entries"] for alias in entry.aliases]
    k = ALIGNED_MIN / (200 - ALIGNED_MIN)
    bounds = [(i, alias, 200 * k * len(alias) / (2 * len(alias) + 1) - 0.01) for i, (_, alias) in enumerate(pairs)]
    return pairs, [alias for _, alias in pairs], bounds


@lru_cache(maxsize=4096)
def match_label(label: str) -> Match:
    """Canonical entry for a printed label. A whole-label match, or the alias
    at the start of the label followed by a qualifier (for entries that take
    one: '... in England and Wales') or by a date ('... - 2018/2019')."""
    vocab = vocabulary()
    text = normalise(label)
    if not text:
        return Match(None)
    pairs, aliases, bounds = _aliases()
    # only the aliases that can score are scored below: a whole-label ratio
    # over the threshold (one pass of rapidfuzz's process.extract), or a
    # shorter alias close enough to the label's start to align there
    near = {index for _, _, index in process.extract(text, aliases, scorer=fuzz.ratio,
                                                      score_cutoff=vocab["threshold"], limit=None)}
    near.update(i for i, alias, least in bounds
                if len(alias) < len(text) and fuzz.ratio(alias, text[:len(alias) + 1], score_cutoff=least))
    words = Words(label) if near else None
    best: tuple[float, int, Entry, str | None] | None = None
    for index in sorted(near):  # vocabulary order: the first of equal candidates wins
        entry, alias = pairs[index]
        score = fuzz.ratio(alias, text)
        qualifier = None
        if len(alias) < len(text) and words is not None:
            aligned = fuzz.partial_ratio_alignment(alias, text)
            if aligned is not None and aligned.score >= ALIGNED_MIN and aligned.dest_start <= 1:
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
    tail = pattern("qualifier_lead", re.I).sub("", tail)
    tail = pattern("qualifier_year").sub("", tail)  # '(2018)'
    tail = tail.strip(" :,-")
    return tail or None

def slug(text: str, limit: int = 60) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", text.lower().replace("%", " pct ").replace("+", " plus ")).strip("_")
    if len(s) > limit:
        s = s[:limit].rsplit("_", 1)[0]
    return s or "value"

def match_heading(title: str) -> dict[str, Any] | None:
    """The vocabulary entry of a box or list heading; None when the line is
    not one."""
    norm = normalise(re.sub(r"\s%$", "", title))
    for key, info in vocabulary()["headings"].items():
        if fuzz.ratio(key, norm) >= 90:
            return dict(info)
    return None

def heading_info(title: str | None) -> dict[str, Any]:
    return (match_heading(title) if title else None) or {}
