"""The limits a run puts on each file, defined once: the CLI's defaults, the
readers' refusals, the workers' caps and README's text all come from here."""
from __future__ import annotations

from dataclasses import dataclass

MAX_MB = 200            # a larger file is refused before it is read (--max-mb)
MAX_PAGES = 1000        # a PDF with more pages is refused (--max-pages)
MEMORY_MB = 2048        # address space per worker process (--max-memory-mb)
# the smallest --max-memory-mb allowed. Measured: a worker holds some 260 MB of
# address space before its first file, and each of the three samples, as text,
# PDF, web page, Word file and Markdown, failed at 512 MB and was extracted at
# 576; some 2x that need, so the smallest cap allowed reads a normal report
MIN_MEMORY_MB = 1024
TIMEOUT_S = 300.0       # seconds per file (--timeout)

# Structured formats (HTML, Word, Markdown). A report has about 2,000 blocks,
# tables of under 100 rows and 3,000 Markdown lines: these caps are far above
# that and keep a pathological file (one endless table, a bomb) to seconds.
MAX_BLOCKS = 100_000        # blocks in one document
MAX_TABLE_ROWS = 10_000     # rows in one table
# Markdown is parsed whole and markdown-it holds every token in memory (a
# 50 MB table took 75 s and 4.7 GB): its text is capped before parsing
MAX_MARKDOWN_LINES = 100_000
MAX_MARKDOWN_CHARS = 4_000_000  # after embedded (data: URI) images are dropped; a report is ~150 KB
# a web page's tags, counted before parsing (lxml's tree costs ~300 bytes an
# element): a report page has some 20,000
MAX_HTML_TAGS = 1_000_000
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
