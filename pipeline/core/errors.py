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


def is_disk_full(exc: BaseException) -> bool:
    """The error is a full disk (or quota), whichever library raised it:
    an OSError, or DuckDB's own exceptions, which carry only the message."""
    import errno

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc)
    return "No space left on device" in text or "Disk quota exceeded" in text


def disk_of(path: str) -> str:
    """The disk holding `path`, for a person: its device (or file system) and
    where it is mounted, e.g. "/dev/sda1 mounted at /home"."""
    import os

    real = os.path.realpath(path)
    while not os.path.exists(real) and real != os.path.dirname(real):
        real = os.path.dirname(real)
    best = ("", "")
    try:
        with open("/proc/self/mounts", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                fields = line.split()
                if len(fields) < 2:
                    continue
                device, mount = fields[0], fields[1].replace("\\040", " ")
                inside = real == mount or real.startswith(mount.rstrip("/") + "/")
                if inside and len(mount) >= len(best[1]):
                    best = (device, mount)
    except OSError:
        pass
    return f"{best[0]} mounted at {best[1]}" if best[1] else real
