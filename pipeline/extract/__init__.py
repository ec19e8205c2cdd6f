"""Extractors: one module per kind of record. Each takes a SegmentedReport
(and, where it needs them, rows another extractor produced) and returns plain
dict rows for one table, each with its page."""
