"""Files extracted in worker processes, each under a memory cap and a time limit.

A worker is a process with an address-space limit (RLIMIT_AS) that extracts
one file at a time; the parent gives it the next file, enforces a wall-clock
limit per file, and watches its peak memory. A worker that overruns is
killed; one that dies (PDFium aborts when an allocation fails under the cap)
is replaced. Either way that file gets one error row (`time_limit`,
`memory_limit` or `worker_crashed`) and every other file is still extracted:
nothing like a broken pool can lose the run.

Workers start from a fork server (a fresh, single-threaded process), never
by forking the caller: a caller that already runs threads (pyarrow's,
duckdb's, a test runner's) can leave a plain fork child deadlocked or
crashing (SIGSEGV seen when run() was called in-process). The server
preloads the extraction stages and spaCy (worker_preload.py) once per run,
so each worker is a fork that starts with them loaded.
"""
from __future__ import annotations

import contextlib
import hashlib
import math
import multiprocessing
import os
import resource
import signal
import time
import traceback
from collections import deque
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkServerContext
from collections.abc import Callable

from pipeline.core.errors import PipelineError
from pipeline.core.files import printable_name
from pipeline.core.limits import Limits, Options
from pipeline.core.records import Row

# a worker killed by one of these while near its memory cap ran out of memory
_FATAL = {signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGKILL, signal.SIGTRAP}
# the kernel's CPU-time backstop (see _serve) ends a worker with this
_CPU_LIMIT = signal.SIGXCPU
_NEAR_CAP = 0.5   # fraction of the cap a worker's peak must have reached
_POLL = 0.05      # seconds between peak-memory samples


def failure_rows(path: str, stage: str, error: str, message: str, sha256: str | None) -> dict[str, list[Row]]:
    """A file that could not be extracted: one `errors` row, and a failed
    `reports` row when its bytes could be read."""
    name = printable_name(os.path.basename(path))
    rows: dict[str, list[Row]] = {"errors": [{"source_file": name, "stage": stage, "error": error, "message": message}]}
    if sha256:
        rows["reports"] = [{"report_id": sha256[:16], "source_file": name,
                            "sha256": sha256, "status": "failed"}]
    return rows


def process_one(path: str, sha256: str | None, options: Options) -> tuple[dict[str, list[Row]], str | None]:
    """Rows for one file (a failure is rows too), and the key they may be
    cached under: the sha256 of the bytes that were parsed (read once, hashed,
    parsed), whatever `sha256` the caller hashed before (the file may have
    been rewritten since), or None. Only results that come from the bytes
    themselves are cached: not a file that vanished or could not be opened,
    a memory error, or a traceback (--debug)."""
    # imported in the worker, not at the top: the main process never runs a
    # file, so it does not load the stages (the fork server preloads them)
    from pipeline.execution.one_file import extract_file
    from pipeline.ingest.read import read_bytes

    parsed: str | None = None  # the sha256 of the bytes read, once they are
    try:
        if sha256 is None:
            raise PipelineError("the file could not be read", error="unreadable", transient=True)
        data = read_bytes(path, options.max_bytes)
        parsed = hashlib.sha256(data).hexdigest()
        rows = extract_file(path, parsed, options, data=data)
    except PipelineError as exc:
        rows = failure_rows(path, exc.stage, exc.error, exc.message, parsed or sha256)
        if exc.transient:
            parsed = None
    except MemoryError:
        rows = failure_rows(path, "extract", "memory_limit", "ran out of memory reading this file "
                            "(raise --max-memory-mb if it really is a report)", parsed or sha256)
        parsed = None
    except Exception as exc:  # a bug or an input we did not foresee: isolate it to this file
        message = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        if options.debug:
            message += "\n" + traceback.format_exc()
        rows = failure_rows(path, "extract", type(exc).__name__, f"unexpected error: {message}", parsed or sha256)
    return rows, None if options.debug else parsed


def _serve(conn: Connection, memory_mb: int | None) -> None:
    """Worker main loop: (path, sha256, options) in, (rows, cache key) out."""
    if memory_mb:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    die_with_parent(os.environ.get(FORK_SERVER_PID))
    _watch_run(os.environ.get(RUN_PID))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        path, sha256, options, timeout = job
        if timeout:  # if the parent is gone and cannot stop us, the kernel will
            used = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
            _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
            soft = int(used + 2 * timeout + 10)
            resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
        conn.send(process_one(path, sha256, options))


# the environment tells the fork server the run's pid, and the workers the
# fork server's, so that each can check its parent is still the one it had
RUN_PID = "YJ_INSPECTIONS_RUN_PID"
FORK_SERVER_PID = "YJ_INSPECTIONS_FORK_SERVER_PID"
_WATCH_EVERY = 0.5  # seconds between a worker's checks that the run is alive


def die_with_parent(expected_parent: str | None) -> None:
    """Linux: the kernel kills this process (SIGKILL) when its parent exits,
    even on kill -9 (PR_SET_PDEATHSIG): the fork server dies with the run,
    and a worker with the fork server, so no extraction outlives a run. A
    parent that died before the request took effect is seen by its pid: this
    process has been handed to another parent, and exits now."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if expected_parent and expected_parent.isdigit() and os.getppid() != int(expected_parent):
        os._exit(1)


def _watch_run(run_pid: str | None) -> None:
    """The fallback, where PR_SET_PDEATHSIG is missing or was missed: a
    thread that ends this worker when the run's process is gone (or only a
    zombie), even in the middle of a file."""
    if not (run_pid and run_pid.isdigit()):
        return
    import threading

    def watch() -> None:
        while _alive(int(run_pid)):
            time.sleep(_WATCH_EVERY)
        os._exit(1)

    threading.Thread(target=watch, name="watch-run", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except FileNotFoundError:
        return False
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            pass
        return True


class _Worker:
    def __init__(self, ctx: ForkServerContext, memory_mb: int | None) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, memory_mb), daemon=True)
        self.process.start()
        child.close()
        self.index: int | None = None
        self.deadline = math.inf
        self.peak_kb = 0

    def give(self, index: int, job: tuple[str, str | None, Options, float | None], timeout: float | None) -> None:
        self.index, self.peak_kb = index, 0
        self.deadline = time.monotonic() + timeout if timeout else math.inf
        self.conn.send(job)

    def sample_peak(self) -> None:
        try:
            with open(f"/proc/{self.process.pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmPeak:"):
                        self.peak_kb = max(self.peak_kb, int(line.split()[1]))
        except (OSError, ValueError):
            pass

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _death(worker: _Worker, limits: Limits) -> tuple[str, str]:
    worker.process.join(5)
    code = worker.process.exitcode
    sig = -code if code is not None and code < 0 else None
    if limits.memory_mb and sig in _FATAL and worker.peak_kb >= _NEAR_CAP * limits.memory_mb * 1024:
        return "memory_limit", (f"stopped at the memory limit of {limits.memory_mb} MB (peak seen "
                                f"{worker.peak_kb // 1024} MB); raise --max-memory-mb if it really is a report")
    if sig == _CPU_LIMIT and limits.timeout:
        return _over_time(limits)
    how = f"signal {signal.Signals(sig).name}" if sig else f"exit status {code}"
    return "worker_crashed", f"the process extracting this file died ({how}); the other files are unaffected"


def _over_time(limits: Limits) -> tuple[str, str]:
    return "time_limit", (f"stopped after the time limit of {limits.timeout:g} s per file; "
                          "raise --timeout if it really is a report")


def start_fork_server() -> ForkServerContext:
    """The fork server the workers come from, started now: it loads the
    extraction stages and spaCy (worker_preload.py) while this process goes
    on; the first worker waits until it is ready."""
    from multiprocessing import forkserver

    ctx = multiprocessing.get_context("forkserver")
    os.environ[RUN_PID] = str(os.getpid())  # for the fork server: die_with_parent
    ctx.set_forkserver_preload(["pipeline.execution.worker_preload"])
    forkserver.ensure_running()
    return ctx


def run_jobs(jobs: list[tuple[str, str | None]], options: Options, limits: Limits, workers: int,
             on_result: Callable[[int, dict[str, list[Row]], str | None], None],
             while_starting: Callable[[], None] | None = None) -> None:
    """Extract every job (path, sha256) in `workers` processes; `on_result(i,
    rows, cache_key)` is called in this process as each file finishes.
    `while_starting()` is run here while the fork server loads, on the
    otherwise idle CPU (the caller's own preparation, e.g. its imports)."""
    ctx = start_fork_server()
    if while_starting:
        while_starting()
    pending = deque(range(len(jobs)))
    pool: list[_Worker] = []

    def feed(worker: _Worker) -> None:
        if worker.index is None and pending:
            i = pending.popleft()
            worker.give(i, (*jobs[i], options, limits.timeout), limits.timeout)

    def fail(worker: _Worker, error: str, message: str) -> None:
        index = worker.index
        assert index is not None  # only a busy worker fails
        pool.remove(worker)
        worker.stop(kill=True)
        path, sha256 = jobs[index]
        on_result(index, failure_rows(path, "extract", error, message, sha256), None)

    try:
        while pending or any(w.index is not None for w in pool):
            while pending and len(pool) < min(workers, len(jobs)):
                pool.append(_Worker(ctx, limits.memory_mb))
            for worker in pool:
                feed(worker)
            busy = [w for w in pool if w.index is not None]
            ready = wait([w.conn for w in busy], timeout=_POLL)
            for worker in busy:
                worker.sample_peak()
                if worker.conn in ready:
                    try:
                        rows, cache_key = worker.conn.recv()
                    except (EOFError, OSError):
                        fail(worker, *_death(worker, limits))
                        continue
                    index, worker.index = worker.index, None
                    assert index is not None
                    feed(worker)  # the next file first, so the worker never waits on us
                    on_result(index, rows, cache_key)
                elif time.monotonic() > worker.deadline:
                    fail(worker, *_over_time(limits))
    finally:
        for worker in pool:
            worker.stop(kill=worker.index is not None)
