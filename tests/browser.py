"""Test helper: find a headless Chromium, drive it over the DevTools
protocol (through a pipe: no port, no network), take screenshots, and read
PNGs with the standard library only (zlib + struct; no Pillow).

`ensure_chromium()` returns (path, "") or (None, reason): a missing browser
is a skip with that reason, never an install (`make test` installs what the
suite needs).
"""
from __future__ import annotations

import base64
import collections
import fcntl
import functools
import json
import os
import select
import shutil
import struct
import subprocess
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any, Self

CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome",
              "google-chrome-stable")
TIMEOUT = 60  # seconds, for each browser run
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars")


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


def ensure_chromium() -> tuple[str | None, str]:
    """(path to chromium, "") or (None, why not)."""
    found = find_chromium()
    if found:
        return found, ""
    return None, f"no Chromium found (looked for {', '.join(CANDIDATES)}); install the chromium package"


class DevTools:
    """One headless Chromium driven over --remote-debugging-pipe: the browser
    reads JSON messages from fd 3 and writes them to fd 4, each ending in NUL."""

    def __init__(self, binary: str, size: tuple[int, int] = (1200, 900),
                 javascript: bool = True) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # above the fds the child will use, so dup2 onto 3 and 4 cannot clobber them
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser_r, from_browser_w)]
        os.close(to_browser_r)
        os.close(from_browser_w)

        def child_fds() -> None:
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self._profile = tempfile.TemporaryDirectory(prefix="yj-chromium-")
        args = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={self._profile.name}",
                "--remote-debugging-pipe", f"--window-size={size[0]},{size[1]}", "about:blank"]
        # chromium reads the pipe on fds 3 and 4 only; tests run no threads around this
        self._proc = subprocess.Popen(args, preexec_fn=child_fds, close_fds=False,  # noqa: PLW1509
                                      stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
        for fd in high:
            os.close(fd)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict] = []
        target = next(t for t in self.call("Target.getTargets")["targetInfos"] if t["type"] == "page")
        self._session = self.call("Target.attachToTarget", targetId=target["targetId"],
                                  flatten=True)["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=size[0],
                  height=size[1], deviceScaleFactor=1, mobile=False)
        if not javascript:
            self.call("Emulation.setScriptExecutionDisabled", session=True, value=True)

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, session: bool = False, timeout: float = TIMEOUT, **params: Any) -> dict:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self._events.append(answer)

    def wait_for(self, event: str, timeout: float = TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for i, e in enumerate(self._events):
                if e.get("method") == event:
                    return self._events.pop(i)
            self._events.append(self._read_message(deadline))

    def open(self, path: Path) -> None:
        """Navigate to a local file and wait for its load event."""
        self._events.clear()
        self.call("Page.navigate", session=True, url=Path(path).resolve().as_uri())
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", session=True, expression=expression,
                           returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, png: Path) -> Path:
        data = self.call("Page.captureScreenshot", session=True, format="png",
                         captureBeyondViewport=True)["data"]
        Path(png).write_bytes(base64.b64decode(data))
        return Path(png)

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        self._profile.cleanup()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
