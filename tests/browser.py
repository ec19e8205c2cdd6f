"""Test helper: find (or, once, install) a headless Chromium, run it on a
local HTML file, and read the PNG screenshots it takes with the standard
library only (zlib + struct; no Pillow).

`ensure_chromium()` returns (path, "") or (None, reason). Installation uses
Debian's `chromium` package (`apt-get update`, `apt-get install -y chromium`)
and is tried at most once per boot of the machine: the outcome is cached in
the temp folder, keyed by the kernel's boot id. Set YJ_NO_BROWSER_INSTALL=1 to
never install.
"""
from __future__ import annotations

import collections
import contextlib
import functools
import json
import os
import shutil
import struct
import subprocess
import tempfile
import time
import zlib
from pathlib import Path

CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome",
              "google-chrome-stable")
TIMEOUT = 60  # seconds, for each browser run
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars")
_STATE = Path(tempfile.gettempdir()) / "yj-inspections-chromium.json"
_LOCK = Path(tempfile.gettempdir()) / "yj-inspections-chromium.lock"


def find_chromium() -> str | None:
    for name in CANDIDATES:
        if os.path.isabs(name):
            if os.path.isfile(name) and os.access(name, os.X_OK):
                return name
        else:
            found = shutil.which(name)
            if found:
                return found
    return None


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return "unknown"


def _read_state() -> dict | None:
    try:
        state = json.loads(_STATE.read_text())
    except (OSError, ValueError):
        return None
    return state if state.get("boot_id") == _boot_id() else None


def _write_state(state: dict) -> None:
    with contextlib.suppress(OSError):
        _STATE.write_text(json.dumps({**state, "boot_id": _boot_id()}))


def _cannot_install() -> str | None:
    """Why an install is not even tried (cheap to check, so never cached)."""
    if os.environ.get("YJ_NO_BROWSER_INSTALL"):
        return "chromium not found and YJ_NO_BROWSER_INSTALL is set"
    if not shutil.which("apt-get"):
        return "chromium not found and apt-get is not available to install it"
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        return "chromium not found and not root, so it cannot be installed with apt-get"
    return None


def _install() -> tuple[str | None, str]:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    start = time.monotonic()
    for cmd, limit in ((["apt-get", "update"], 600),
                       (["apt-get", "install", "-y", "chromium"], 1200)):
        try:
            p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=limit)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, f"`{' '.join(cmd)}` failed: {exc}"
        if p.returncode != 0:
            tail = (p.stderr or p.stdout).strip().splitlines()[-3:]
            return None, f"`{' '.join(cmd)}` exited {p.returncode}: {' / '.join(tail)}"
    found = find_chromium()
    if not found:
        return None, "apt-get installed chromium but no chromium binary was found"
    return found, f"installed in {time.monotonic() - start:.0f} s"


_cached: tuple[str | None, str] | None = None


def ensure_chromium() -> tuple[str | None, str]:
    """(path to chromium, "") or (None, why not). Installs at most once per boot."""
    global _cached
    if _cached is not None:
        return _cached
    found = find_chromium()
    if found:
        _cached = (found, "")
        return _cached
    why_not = _cannot_install()
    if why_not:
        _cached = (None, why_not)
        return _cached
    import fcntl  # POSIX only, like apt-get

    with open(_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another test process may be installing
        found = find_chromium()
        if found:
            _cached = (found, "")
            return _cached
        state = _read_state()
        if state is not None and state.get("error"):
            _cached = (None, f"installing chromium already failed on this boot: {state['error']}")
            return _cached
        path, note = _install()
        _write_state({"path": path, "error": None if path else note, "note": note})
        _cached = (path, "" if path else note)
        return _cached


def run_chromium(binary: str, args: list[str], timeout: int = TIMEOUT) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="yj-chromium-") as profile:
        return subprocess.run([binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)


def dump_dom(binary: str, html_file: Path) -> str:
    p = run_chromium(binary, ["--dump-dom", Path(html_file).resolve().as_uri()])
    if p.returncode != 0:
        raise RuntimeError(f"chromium --dump-dom exited {p.returncode}: {p.stderr.decode(errors='replace')[-800:]}")
    return p.stdout.decode("utf-8", errors="replace")


def screenshot(binary: str, html_file: Path, png: Path, size: tuple[int, int] = (1200, 1600)) -> Path:
    png = Path(png)
    p = run_chromium(binary, [f"--screenshot={png}", f"--window-size={size[0]},{size[1]}",
                              Path(html_file).resolve().as_uri()])
    if p.returncode != 0 or not png.exists():
        raise RuntimeError(f"chromium --screenshot exited {p.returncode}: {p.stderr.decode(errors='replace')[-800:]}")
    return png


# --------------------------------------------------------------------------
# PNG decoding (8-bit greyscale/RGB/RGBA, non-interlaced: what Chromium writes)
# --------------------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def decode_png(data: bytes) -> tuple[int, int, int, tuple[bytes, ...]]:
    """(width, height, bytes per pixel, unfiltered rows); cached, so treat as read-only."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        ctype = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if ctype == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif ctype == b"IDAT":
            idat.append(body)
        elif ctype == b"IEND":
            break
    if header is None:
        raise ValueError("PNG without IHDR")
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}, interlace {interlace}")
    raw = zlib.decompress(b"".join(idat))
    bpp, stride = channels, width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        ftype = raw[start]
        line = bytearray(raw[start + 1:start + 1 + stride])
        if ftype == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif ftype == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev))
        elif ftype == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if (pa <= pb and pa <= pc) else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        elif ftype != 0:
            raise ValueError(f"bad PNG filter {ftype} on row {y}")
        rows.append(bytes(line))
        prev = line
    return width, height, channels, tuple(rows)


def colour_counts(png: Path, box: tuple[int, int, int, int] | None = None) -> collections.Counter:
    """Count of each RGB colour in the PNG (optionally inside box = x0, y0, x1, y1)."""
    width, height, ch, rows = decode_png(Path(png).read_bytes())
    x0, y0, x1, y1 = box or (0, 0, width, height)
    counts: collections.Counter = collections.Counter()
    for row in rows[y0:min(y1, height)]:
        if ch >= 3:
            seg = row[x0 * ch:min(x1, width) * ch]
            counts.update(seg[i:i + 3] for i in range(0, len(seg), ch))
        else:
            seg = row[x0 * ch:min(x1, width) * ch]
            counts.update(bytes((seg[i],) * 3) for i in range(0, len(seg), ch))
    return collections.Counter({tuple(k): v for k, v in counts.items()})
