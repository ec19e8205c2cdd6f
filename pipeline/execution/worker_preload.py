"""What the workers' fork server loads before it forks any worker: the
extraction stages and spaCy's blank English with the Matchers of
patterns/*.json. Every worker is a fork of that server, so it starts with
all of it in memory (shared copy-on-write) instead of importing it again:
spaCy alone takes about 0.7 s per process, once per run this way.

multiprocessing's fork server skips a preload module that raises
ImportError, but dies on any other error: a failure here is caught, and the
worker then loads what it needs itself, as it would with no preload.
"""
from __future__ import annotations

import contextlib
import gc
import os

from pipeline.execution.workers import FORK_SERVER_PID, RUN_PID, die_with_parent

# first of all, before the seconds of loading: the fork server dies with the
# run (a kill -9 of the run must not leave it, or its workers, behind), and
# its workers know its pid to check theirs
die_with_parent(os.environ.get(RUN_PID))
os.environ[FORK_SERVER_PID] = str(os.getpid())


def _load() -> None:
    from pipeline.execution import one_file, workers  # noqa: F401
    from pipeline.extract import dates, explanations, facts, key_questions, prompts, ratings  # noqa: F401
    from pipeline.extract import identity, recommendations, report_meta  # noqa: F401
    from pipeline.ingest import text as ingest  # noqa: F401
    from pipeline.segment import sections as segment  # noqa: F401
    from pipeline.validate import report as validate  # noqa: F401
    from pipeline.core.nlp import matcher_for

    matcher_for(explanations.PATTERN_FILE)
    matcher_for(recommendations.PATTERN_FILE)


# no garbage collection while loading (imports make objects, not garbage),
# then everything loaded is frozen out of later collections: a worker's
# collections skip it, and never write to the pages it shares with the server
gc.disable()
with contextlib.suppress(Exception):  # see the module docstring
    _load()
gc.freeze()
gc.enable()
