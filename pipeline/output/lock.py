"""One run at a time writes into an output folder: OUT/.lock, opened
without following a link and held with flock (the kernel frees it when its
holder dies)."""
from __future__ import annotations

import errno
import fcntl
import os
import re
import stat
import time
from pathlib import Path

from pipeline.core.errors import describe_os_error
from pipeline.output.names import LOCK
from pipeline.output.ownership import OutputError, check_folder, foreign, kind


class OutputLock:
    """An exclusive lock on OUT/.lock, held while a run writes. A second run
    waits up to `wait` seconds, then OutputError. The kernel releases the
    lock when its holder dies, so a killed run never leaves the folder locked."""

    def __init__(self, out_dir: Path, wait: float = 60.0):
        self.out_dir, self.wait = Path(out_dir), wait
        self.fd = -1

    def __enter__(self) -> OutputLock:
        prepare(self.out_dir)
        self.fd = open_lock(self.out_dir)
        deadline = time.monotonic() + max(0.0, self.wait)
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(self.fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    os.close(self.fd)
                    raise OutputError(
                        f"another extraction (pid {holder}) is writing to {self.out_dir}; waited "
                        f"{self.wait:g} s (--lock-wait): try again when it has finished") from None
                time.sleep(0.05)
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, str(os.getpid()).encode(), 0)
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)  # closing releases the flock


def open_lock(out_dir: Path) -> int:
    """OUT/.lock, opened without following a link (O_NOFOLLOW) and refused
    unless it is a plain file of ours: one name for it (not a hard link to
    another file) holding nothing but a pid."""
    path = Path(out_dir) / LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise foreign(path, f"a symbolic link to {os.readlink(path)!r}") from None
        if exc.errno == errno.ENXIO:  # a FIFO with no reader
            raise foreign(path, "a special file") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise foreign(path, kind(st))
        if st.st_nlink != 1:
            raise foreign(path, "a hard link to another file")
        if not re.fullmatch(rb"\s*\d*\s*", os.pread(fd, 64, 0)) or st.st_size > 64:
            raise foreign(path, "a file holding something other than a pid")
    except BaseException:
        os.close(fd)
        raise
    return fd


def prepare(out_dir: Path) -> None:
    """Create the output folder, or say in one line why it cannot be used."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"--out {out_dir} is a file, not a folder: give a folder for the outputs")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder --out {out_dir}: {describe_os_error(exc)}") from None
    check_folder(out_dir)
    try:  # the lock file is the first thing a run writes: try it now
        os.close(open_lock(out_dir))
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder --out {out_dir}: {describe_os_error(exc)}") from None
