"""Errors a stage raises for one file. The CLI turns each into one row of the
`errors` table and one line on stderr; other files carry on."""


class PipelineError(Exception):
    """A file could not be processed. `stage` names where; the message is a
    sentence a person can act on."""

    stage = "pipeline"

    def __init__(self, message: str, error: str | None = None):
        super().__init__(message)
        self.message = message
        # short machine-readable class of the problem, e.g. "encrypted_pdf"
        self.error = error or type(self).__name__


class IngestError(PipelineError):
    stage = "ingest"


class NotAReportError(PipelineError):
    stage = "segment"


class ExtractError(PipelineError):
    stage = "extract"
