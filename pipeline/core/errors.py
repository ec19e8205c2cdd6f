"""Errors a stage raises for one file. The CLI turns each into one row of the
`errors` table and one line on stderr; other files carry on."""


class PipelineError(Exception):
    """A file could not be processed. `stage` names where; the message is a
    sentence a person can act on."""

    stage = "pipeline"

    def __init__(self, message: str, error: str | None = None, transient: bool = False):
        super().__init__(message)
        self.message = message
        # short machine-readable class of the problem, e.g. "encrypted_pdf"
        self.error = error or type(self).__name__
        # not a property of the file's bytes (it vanished, could not be
        # opened): the result is never cached, so the next run tries again
        self.transient = transient


class IngestError(PipelineError):
    stage = "ingest"


class NotAReportError(PipelineError):
    stage = "segment"


class ExtractError(PipelineError):
    stage = "extract"


def describe_os_error(exc: OSError) -> str:
    """A few words for a person: why a read or write failed."""
    import errno

    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)


def safe_text(text: str, keep_newlines: bool = False) -> str:
    """Text for a terminal: control characters (escape sequences in a file
    name, say) and bidirectional overrides are shown escaped, never sent raw."""
    import re

    controls = r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
    pattern = controls if keep_newlines else controls[:-1] + r"\n]"
    return re.sub(pattern, lambda m: repr(m.group())[1:-1], text)
