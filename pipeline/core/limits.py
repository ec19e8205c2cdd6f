"""The limits a run puts on each file, defined once: the CLI's defaults, the
readers' refusals, the workers' caps and README's text all come from here."""
from __future__ import annotations

from dataclasses import dataclass

MAX_MB = 200            # a larger file is refused before it is read (--max-mb)
MAX_PAGES = 1000        # a PDF with more pages is refused (--max-pages)
MEMORY_MB = 2048        # address space per worker process (--max-memory-mb)
TIMEOUT_S = 300.0       # seconds per file (--timeout)

# Structured formats (HTML, Word, Markdown). A report has about 2,000 blocks,
# tables of under 100 rows and 3,000 Markdown lines: these caps are far above
# that and keep a pathological file (one endless table, a bomb) to seconds.
MAX_BLOCKS = 100_000        # blocks in one document
MAX_TABLE_ROWS = 10_000     # rows in one table
MAX_MARKDOWN_LINES = 200_000  # lines of Markdown parsed (markdown-it holds every token in memory)
MAX_HTML_DEPTH = 200        # element nesting; the HTML parser stops at 256 and drops the rest
# a .docx is a zip: refused before parsing when it would inflate past this
MAX_UNZIPPED_MB = 200       # total uncompressed size of a .docx's members
MAX_ZIP_RATIO = 100         # ... and past this many times its compressed size


@dataclass(frozen=True)
class Options:
    """What the stages need to know of a run: the size limits, and whether a
    traceback is wanted for an unexpected error."""
    max_bytes: int = MAX_MB * 1024 * 1024
    max_pages: int = MAX_PAGES
    debug: bool = False


@dataclass(frozen=True)
class Limits:
    """What the workers enforce on each file."""
    memory_mb: int | None = MEMORY_MB    # None: no cap
    timeout: float | None = TIMEOUT_S    # None: no limit
