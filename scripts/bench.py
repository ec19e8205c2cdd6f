"""Measure extraction speed and memory on a replicated corpus (`make bench`).

One run, figures printed, no assertions on time:

1. Builds a corpus in a temporary folder (or --workdir): each sample text
   report in data/raw/*.txt rendered to PDF in every kind users hold (lines
   of text by render_pdf.py, the inspectorate's ruled and shaded layout by
   render_inspectorate.py, a Word document converted by LibreOffice and a web
   page printed by Chromium, the last two when installed), --copies PDFs per
   sample taking the kinds in turn, each with distinct bytes (the PDF's
   document /ID is rewritten in place, same length, so the cross-reference
   table stays valid and the text is untouched); and --text-copies text
   copies per sample (copy i ends with i extra newlines: a different sha256,
   the same parse), 300 files by default: the text target is at corpus scale.
2. Measures
   (a) baseline: pypdfium2 reading every page's text of every PDF, in this
       process (`PdfDocument`, then `get_textpage().get_text_range()` per
       page; import time excluded); with --pdfplumber, also pdfplumber's
       `page.extract_text()` (about 80 s for 30 PDFs, so off by default);
   (b) cold `python -m pipeline extract PDFS --out NEW --no-progress` as a
       subprocess with the default workers, wall time including interpreter
       start, and the peak memory of its process tree: the sum of VmRSS (and
       of Pss) over the main process and all its descendants, polled every
       50 ms, plus the largest single process's ru_maxrss from wait4;
   (c) the same command again into the same folder (cache hits; the CLI
       writes a new output generation, OUT/.generations/<id> behind the
       OUT/current link, each time);
   then (b) and (c) for the text corpus, in reports/s; and (d) a cold run of
   --parent-files text files (1,000 by default) with --xlsx, for the main
   process's own peak (VmHWM): it merges every file's rows and writes the
   outputs, and the workers' memory cap does not bound it.
3. Prints the targets (issues 14 and 22) next to the figures with PASS/MISS:
   PDF cold b/a <= 2.5 (a = the pypdfium2 baseline, measured in the same
   run), text cold >= 35 reports/s over 300 files, PDF warm c/b <= 0.1; and
   peak RSS <= 1 GB.

With --profile, also runs every file of each corpus in this process under
cProfile (no cache, one worker) and prints where the time goes: the stages
extract_file calls, and our hottest functions by own time (ms per file, with
the profiler's overhead, so read them as shares).

Usage: .venv/bin/python scripts/bench.py [--copies N] [--text-copies N] [--workdir DIR] [--keep] [--workers N]
                                          [--profile] [--pdfplumber] [--parent-files N]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

GB = 1024 ** 3
TARGET_B_OVER_A = 2.5  # cold PDF extraction / pypdfium2 reading the text
TARGET_C_OVER_B = 0.1  # warm re-run / cold
TARGET_RSS = 1 * GB
TARGET_TEXT_RPS = 35.0  # text exports, cold, at corpus scale (300 files: --text-copies 100)
_ID = re.compile(rb"/ID \[<([0-9A-Fa-f]+)><([0-9A-Fa-f]+)>\]")
_DATE = re.compile(rb"/CreationDate \(D:(\d{14})")


# --- corpus ------------------------------------------------------------------


def _distinct_pdf(data: bytes, tag: str) -> bytes:
    """The same PDF with a different document ID (or creation date), written
    in place with the same length so every xref offset stays right."""
    m = _ID.search(data)
    if m:
        n = len(m.group(1))
        new = hashlib.md5(tag.encode()).hexdigest().upper()[:n].encode().ljust(n, b"0")
        return data[:m.start()] + b"/ID [<" + new + b"><" + new + b">]" + data[m.end():]
    m = _DATE.search(data)
    if not m:
        return data + b"\n%" + tag.encode() + b"\n"  # a comment after %%EOF: read as the same PDF
    digits = str(int(hashlib.md5(tag.encode()).hexdigest(), 16) % 10 ** 6).zfill(6).encode()
    stamp = m.group(1)[:8] + digits  # a different time of day
    return data[:m.start(1)] + stamp + data[m.end(1):]


def _pdf_renderings(sample: Path, rendered: Path) -> dict[str, Path]:
    """The sample as PDFs of each kind users hold: lines of text (render_pdf),
    the inspectorate's ruled and shaded layout, a Word document converted by
    LibreOffice and a web page printed by Chromium (the last two when those
    tools are installed: `make test` installs them)."""
    from render_inspectorate import render_inspectorate_report
    from render_pdf import render_text_report

    out = {"lines": rendered / f"{sample.stem}.lines.pdf", "inspectorate": rendered / f"{sample.stem}.inspectorate.pdf"}
    render_text_report(sample, out["lines"])
    render_inspectorate_report(sample, out["inspectorate"])
    try:
        from render_docx import docx_to_pdf, render_docx_report
        from render_html import html_to_pdf, render_html_report

        docx = render_docx_report(sample, rendered / f"{sample.stem}.docx")
        out["word"] = docx_to_pdf(docx, rendered / "word")
        html = render_html_report(sample, rendered / f"{sample.stem}.html")
        out["browser"] = html_to_pdf(html, rendered / f"{sample.stem}.browser.pdf")
    except Exception as e:  # a missing tool: the corpus is the two reportlab kinds, said aloud
        print(f"NOTE: no Word-made or browser-made PDFs in the corpus ({type(e).__name__}: {e})")
    return out


def build_corpus(work: Path, copies: int, text_copies: int) -> tuple[Path, Path, list[Path]]:
    samples = sorted(RAW.glob("*.txt"))
    if not samples:
        raise SystemExit(f"no sample reports in {RAW}")
    pdf_dir, txt_dir, rendered = work / "pdf", work / "txt", work / "rendered"
    for d in (pdf_dir, txt_dir, rendered):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    t0 = time.perf_counter()
    kinds: list[str] = []
    for sample in samples:
        by_kind = _pdf_renderings(sample, rendered)
        kinds, pdfs = list(by_kind), list(by_kind.values())
        for i in range(copies):
            name = f"{sample.stem}-{i:03d}"
            data = pdfs[i % len(pdfs)].read_bytes()  # the kinds in turn
            (pdf_dir / f"{name}.pdf").write_bytes(data if i < len(pdfs) else _distinct_pdf(data, name))
        text = sample.read_bytes()
        for i in range(text_copies):
            (txt_dir / f"{sample.stem}-{i:03d}.txt").write_bytes(text + b"\n" * i)
    for d in (pdf_dir, txt_dir):
        digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in d.iterdir()}
        if len(digests) != len(list(d.iterdir())):
            raise SystemExit(f"corpus copies in {d} are not all distinct")
    print(f"corpus: {len(samples)} samples; PDFs {copies} each, in turn of {', '.join(kinds)}; "
          f"text {text_copies} each ({time.perf_counter() - t0:.1f} s to build)")
    return pdf_dir, txt_dir, samples


def count_pages(pdf_dir: Path) -> int:
    import pypdfium2 as pdfium

    total = 0
    for p in sorted(pdf_dir.glob("*.pdf")):
        doc = pdfium.PdfDocument(str(p))
        total += len(doc)
        doc.close()
    return total


def count_text_pages(txt_dir: Path) -> int:
    from pipeline.ingest.decode import decode_text
    from pipeline.ingest.text import split_text_pages

    return sum(len(split_text_pages(decode_text(p.read_bytes()))) for p in sorted(txt_dir.glob("*.txt")))


# --- measurements ------------------------------------------------------------


def baseline_pypdfium2(pdf_dir: Path) -> tuple[float, float, int]:
    """The floor: PDFium reading every page's text, nothing else."""
    import pypdfium2 as pdfium  # imported before the clock starts

    pages = 0
    c0, t0 = time.process_time(), time.perf_counter()
    for p in sorted(pdf_dir.glob("*.pdf")):
        doc = pdfium.PdfDocument(str(p))
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        doc.close()
    return time.perf_counter() - t0, time.process_time() - c0, pages


def baseline_pdfplumber(pdf_dir: Path) -> tuple[float, float, int]:
    import pdfplumber  # imported before the clock starts

    pages = 0
    c0, t0 = time.process_time(), time.perf_counter()
    for p in sorted(pdf_dir.glob("*.pdf")):
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
                page.close()
    return time.perf_counter() - t0, time.process_time() - c0, pages


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out.extend(int(x) for x in fh.read().split())
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return out


def _tree(pid: int) -> list[int]:
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(_children(p))
    return seen


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """utime + stime of one live process, from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except (FileNotFoundError, ProcessLookupError, PermissionError, IndexError, ValueError):
        return 0.0


def _kb(path: str, key: str) -> int:
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


@dataclass
class Run:
    seconds: float
    returncode: int
    peak_rss_sum: int  # bytes: max over samples of the sum of VmRSS over the tree
    peak_pss_sum: int  # bytes: the same with Pss (shared pages divided among sharers)
    peak_procs: int  # most processes seen at once
    max_single_rss: int  # bytes: ru_maxrss of the largest single process (wait4)
    parent_peak: int  # bytes: the main (parent) process's own peak RSS (VmHWM), which no worker cap bounds
    cpu: float  # user + sys seconds of the whole tree (see run_extract)
    summary: str
    stderr: str = field(repr=False, default="")


def run_extract(in_dir: Path, out_dir: Path, extra: list[str] | None = None) -> Run:
    cmd = [sys.executable, "-m", "pipeline", "extract", str(in_dir), "--out", str(out_dir),
           "--no-progress", *(extra or [])]
    peak = {"rss": 0, "pss": 0, "procs": 0, "parent": 0}
    cpu_seen: dict[int, float] = {}  # last CPU seconds polled per process
    done = threading.Event()
    err_path = out_dir.parent / f".{out_dir.name}.stderr"
    with open(err_path, "w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)

        def poll() -> None:
            while not done.is_set():
                pids = _tree(proc.pid)
                rss = sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in pids)
                pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
                peak["rss"] = max(peak["rss"], rss)
                peak["pss"] = max(peak["pss"], pss)
                peak["procs"] = max(peak["procs"], len(pids))
                peak["parent"] = max(peak["parent"], _kb(f"/proc/{proc.pid}/status", "VmHWM:"))
                for p in pids:
                    cpu_seen[p] = max(cpu_seen.get(p, 0.0), _cpu_seconds(p))
                done.wait(0.05)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        # wait4 gives this child's own rusage: ru_maxrss is the largest of the
        # main process and its (waited-for) workers, not their sum
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        poller.join()
        err.seek(0)
        stderr = err.read()
    err_path.unlink()
    summary = next((l for l in reversed(stderr.splitlines()) if " files: " in l), stderr.strip()[-300:])
    # wait4 counts only the children the CLI waited for, and the workers are
    # children of multiprocessing's fork server, which it does not wait for:
    # so also sum each process's last polled CPU (short by at most one 50 ms
    # poll per process) and take the larger
    cpu = max(usage.ru_utime + usage.ru_stime, sum(cpu_seen.values()))
    return Run(seconds, proc.returncode, peak["rss"], peak["pss"], peak["procs"],
               usage.ru_maxrss * 1024, peak["parent"], cpu, summary, stderr)


def profile_corpus(label: str, folder: Path) -> None:
    """cProfile over process_one for every file, in this process, no cache."""
    import cProfile
    import pstats

    from pipeline.core.files import sha256_of
    from pipeline.core.limits import Options
    from pipeline.execution.workers import process_one

    files = sorted(p for p in folder.iterdir() if p.is_file())
    c0 = time.process_time()
    process_one(str(files[0]), sha256_of(files[0]), Options())  # imports, spaCy, patterns
    first = time.process_time() - c0
    prof = cProfile.Profile()
    c0 = time.process_time()
    prof.enable()
    for f in files:
        process_one(str(f), sha256_of(f), Options())
    prof.disable()
    total = time.process_time() - c0
    stats = pstats.Stats(prof).stats  # {(file, line, name): (cc, nc, tt, ct, callers)}
    n = len(files)
    print(f"\nprofile, {label}: {n} files in one process, no cache: {total / n * 1000:.0f} CPU ms/file under "
          f"cProfile; before that, one untimed-by-the-profiler file took {first:.2f} s (with this process's one-off "
          "imports, e.g. spaCy, if not yet loaded)")

    def callees_of(name: str, file_part: str) -> list[tuple[float, str]]:
        keys = [k for k in stats if k[2] == name and file_part in k[0]]
        rows = []
        for key, (_cc, _nc, _tt, _ct, callers) in stats.items():
            for k in keys:
                if k in callers:
                    ct = callers[k][3]
                    rows.append((ct, f"{Path(key[0]).parent.name}/{Path(key[0]).name}:{key[2]}"))
        return sorted(rows, reverse=True)

    for name in ("extract_file", "extract_all"):
        rows = callees_of(name, "pipeline")
        if rows:
            print(f"  called from {name} (cumulative):")
            for ct, where in rows[:10]:
                print(f"    {ct / n * 1000:7.1f} ms/file  {100 * ct / total:5.1f}%  {where}")
    own = sorted(((v[2], k) for k, v in stats.items()), reverse=True)[:15]
    print("  hottest functions by own time (any library):")
    for tt, k in own:
        print(f"    {tt / n * 1000:7.1f} ms/file  {100 * tt / total:5.1f}%  {Path(k[0]).name}:{k[1]}({k[2]})")


# --- report ------------------------------------------------------------------


def machine() -> list[str]:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    total = _kb("/proc/meminfo", "MemTotal:")
    return [
        f"nproc: {os.cpu_count()} (usable: {len(os.sched_getaffinity(0))})",
        f"CPU: {model}",
        f"memory: {total / GB:.1f} GiB",
        f"Python: {platform.python_version()} ({sys.executable})",
        f"platform: {platform.platform()}",
    ]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def mib(n: int) -> str:
    return f"{n / 1024 ** 2:.0f} MiB"


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def check_run(label: str, r: Run, files: int) -> None:
    print(f"    [{label}] CPU {r.cpu:.2f} s (user+sys, all processes); exit {r.returncode}; {r.summary}")
    failed = [l for l in r.stderr.splitlines() if l.startswith("error:")]
    if failed:
        print(f"    WARNING: {len(failed)} of {files} files failed, so these figures are not "
              f"representative (failures are not cached); first: {failed[0][:200]}")


def parent_run(work: Path, samples: list[Path], files: int, extra: list[str]) -> Run:
    """(d) a cold run of `files` distinct text copies with --xlsx: the main
    process's own peak memory (it merges every file's rows and writes the
    tables; the workers' --max-memory-mb cap does not bound it)."""
    folder = work / "txt-parent"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    texts = [s.read_bytes() for s in samples]
    for i in range(files):
        (folder / f"copy-{i:05d}.txt").write_bytes(texts[i % len(texts)] + b"\n" * (i // len(texts)))
    out = work / "out-parent"
    shutil.rmtree(out, ignore_errors=True)
    r = run_extract(folder, out, [*extra, "--xlsx"])
    print(f"(d) pipeline cold, {files} text files with --xlsx: {r.seconds:7.2f} s; parent process peak "
          f"(VmHWM) {mib(r.parent_peak)}; whole tree peak {mib(r.peak_rss_sum)}")
    check_run("d", r, files)
    return r


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=10,
                    help="PDF copies of each sample, the kinds of PDF in turn (default 10: 30 files)")
    ap.add_argument("--text-copies", type=int, default=100,
                    help="text copies of each sample (default 100: 300 files, the corpus scale of the target)")
    ap.add_argument("--workdir", type=Path, help="build the corpus here (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--workers", type=int, help="pass --workers to the pipeline (default: its own default)")
    ap.add_argument("--profile", action="store_true", help="also profile both corpora in this process")
    ap.add_argument("--parent-files", type=int, default=1000,
                    help="text files of the run that measures the parent process's peak memory, with --xlsx "
                         "(default 1000; 0: skip it)")
    ap.add_argument("--pdfplumber", action="store_true",
                    help="also time pdfplumber extract_text over every page (slow: about 80 s; no target)")
    args = ap.parse_args(argv)
    if args.copies < 1 or args.text_copies < 1:
        ap.error("--copies and --text-copies must be at least 1")

    sys.path.insert(0, str(ROOT))
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-"))
    work.mkdir(parents=True, exist_ok=True)
    extra = ["--workers", str(args.workers)] if args.workers else []
    try:
        print("machine:")
        for line in machine():
            print("  " + line)
        pdf_dir, txt_dir, samples = build_corpus(work, args.copies, args.text_copies)
        n_pdf = len(list(pdf_dir.glob("*.pdf")))
        n_txt = len(list(txt_dir.glob("*.txt")))
        pdf_pages = count_pages(pdf_dir)
        txt_pages = count_text_pages(txt_dir)
        print(f"PDF corpus: {n_pdf} files, {pdf_pages} pages; text corpus: {n_txt} files, {txt_pages} pages")
        print(f"pipeline workers: {args.workers or 'default (os.cpu_count() = %d)' % os.cpu_count()}")
        print()

        print(f"load average before measuring: {loadavg()} (on {os.cpu_count()} CPUs; other work on the "
              "machine slows the wall-clock figures: compare the CPU seconds too)")
        a_s, a_cpu, a_pages = baseline_pypdfium2(pdf_dir)
        print(f"(a) baseline pypdfium2 page text, 1 process:   {a_s:7.2f} s  "
              f"{a_pages / a_s:7.1f} pages/s  ({n_pdf / a_s:.2f} reports/s)")
        print(f"    [a] CPU {a_cpu:.2f} s (import time excluded)")
        if args.pdfplumber:
            p_s, p_cpu, p_pages = baseline_pdfplumber(pdf_dir)
            print(f"    pdfplumber extract_text, 1 process:        {p_s:7.2f} s  "
                  f"{p_pages / p_s:7.1f} pages/s  (CPU {p_cpu:.2f} s; no target)")

        pdf_out = work / "out-pdf"
        shutil.rmtree(pdf_out, ignore_errors=True)
        b = run_extract(pdf_dir, pdf_out, extra)
        print(f"(b) pipeline cold, PDF:                         {b.seconds:7.2f} s  "
              f"{pdf_pages / b.seconds:7.1f} pages/s  ({n_pdf / b.seconds:.2f} reports/s)")
        check_run("b", b, n_pdf)
        cached = len(list((pdf_out / ".cache").glob("*.json"))) if (pdf_out / ".cache").is_dir() else 0
        c = run_extract(pdf_dir, pdf_out, extra)
        print(f"(c) pipeline warm (cache, {cached} entries), PDF:   {c.seconds:7.2f} s  "
              f"{pdf_pages / c.seconds:7.1f} pages/s  ({n_pdf / c.seconds:.2f} reports/s)")
        check_run("c", c, n_pdf)
        print(f"    peak memory of the process tree during (b): sum of VmRSS {mib(b.peak_rss_sum)} "
              f"(Pss {mib(b.peak_pss_sum)}), up to {b.peak_procs} processes at once; "
              f"largest single process ru_maxrss {mib(b.max_single_rss)}; parent process peak "
              f"(VmHWM) {mib(b.parent_peak)}")
        print()

        t_out = work / "out-txt"
        shutil.rmtree(t_out, ignore_errors=True)
        tb = run_extract(txt_dir, t_out, extra)
        print(f"(b) pipeline cold, text:  {tb.seconds:7.2f} s  {n_txt / tb.seconds:7.1f} reports/s  "
              f"({txt_pages / tb.seconds:.0f} pages/s)")
        check_run("b", tb, n_txt)
        tc = run_extract(txt_dir, t_out, extra)
        print(f"(c) pipeline warm, text:  {tc.seconds:7.2f} s  {n_txt / tc.seconds:7.1f} reports/s  "
              f"({txt_pages / tc.seconds:.0f} pages/s)")
        check_run("c", tc, n_txt)
        print(f"    peak memory during text (b): sum of VmRSS {mib(tb.peak_rss_sum)} "
              f"(Pss {mib(tb.peak_pss_sum)}); largest single process {mib(tb.max_single_rss)}; parent process "
              f"peak (VmHWM) {mib(tb.parent_peak)}")
        print()

        if args.parent_files > 0:
            parent_run(work, samples, args.parent_files, extra)
            print()

        ba, cb, tcb = b.seconds / a_s, c.seconds / b.seconds, tc.seconds / tb.seconds
        text_rps = n_txt / tb.seconds
        print(f"load average after measuring: {loadavg()}")
        print("targets:")
        print(f"  PDF  cold / pypdfium2 b/a = {ba:.2f}   (target <= {TARGET_B_OVER_A})   "
              f"{verdict(ba <= TARGET_B_OVER_A)}")
        print(f"  text cold = {text_rps:.1f} reports/s   (target >= {TARGET_TEXT_RPS:g})   "
              f"{verdict(text_rps >= TARGET_TEXT_RPS)}")
        print(f"  PDF  warm / cold c/b = {cb:.3f}   (target <= {TARGET_C_OVER_B})   {verdict(cb <= TARGET_C_OVER_B)}")
        print(f"  PDF  peak RSS (sum over process tree) = {mib(b.peak_rss_sum)}   (target <= 1 GiB)   "
              f"{verdict(b.peak_rss_sum <= TARGET_RSS)}")
        print(f"  text warm / cold c/b = {tcb:.3f}   (no target; for comparison with PDF)")
        print(f"  CPU-time view (insensitive to other load): PDF b/a = {b.cpu / a_cpu:.2f}, "
              f"c/b = {c.cpu / b.cpu:.3f}; text cold {tb.cpu / n_txt * 1000:.0f} CPU ms/report "
              f"({TARGET_TEXT_RPS:g} reports/s on {os.cpu_count()} CPUs allows at most "
              f"{os.cpu_count() / TARGET_TEXT_RPS * 1000:.0f}, fixed costs included)")
        failed = any(r.returncode != 0 for r in (b, c, tb, tc))
        if failed:
            print("NOTE: some runs exited non-zero (see the warnings above).")
        if args.profile:
            profile_corpus("PDF", pdf_dir)
            profile_corpus("text", txt_dir)
    finally:
        if args.keep or args.workdir:
            print(f"corpus and outputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
