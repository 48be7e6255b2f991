"""``make bench``: run the benchmark scripts (``bench/b<N>_*.py``) and collect their figures.

    python bench/run.py            # every benchmark (about 10 minutes at most)
    python bench/run.py B2 B5      # just these

Benchmarks print figures, not pass/fail: preferably lines of the form
``B2 ticket creation direct c=16: 1,234 req/s (target ≥ 1,000) met`` (see ``bench/load.py``'s
``figure()``). They are repeated in a summary at the end and kept in ``bench/out/``.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SCRIPT = re.compile(r"^b(\d+)_.*\.py$")
FIGURE = re.compile(r"^B\d+\b.*:.*")
TIMEOUT_SECONDS = float(os.environ.get("BENCH_TIMEOUT", "300"))


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {now}"


def scripts(wanted: list[str]) -> list[tuple[str, Path]]:
    found = sorted((int(m.group(1)), p) for p in BENCH.iterdir() if (m := SCRIPT.match(p.name)))
    chosen = [(f"B{n}", p) for n, p in found]
    if wanted:
        keys = {w.upper() for w in wanted}
        chosen = [(name, p) for name, p in chosen if name in keys]
    return chosen


def run_one(name: str, path: Path) -> tuple[list[str], str]:
    """Run one benchmark, echoing its output; returns its figure lines and a status."""
    print(f"=== {name}: {path.name}", flush=True)
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    # A benchmark that overruns is stopped with everything it started (its process group).
    timer = threading.Timer(TIMEOUT_SECONDS, os.killpg, (proc.pid, signal.SIGKILL))
    timer.start()
    figures: list[str] = []
    tail: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        print(f"  {line.rstrip()}", flush=True)
        if FIGURE.match(line.strip()):
            figures.append(line.strip())
        elif line.strip():
            tail = [*tail[-9:], f"{name} | {line.rstrip()}"]
    code = proc.wait()
    timer.cancel()
    seconds = time.monotonic() - started
    status = "ok" if code == 0 else f"exit {code}"
    # A script not (yet) printing figure lines is summarised by its last lines of output.
    return figures or tail, f"{name} finished ({status}) in {seconds:.0f} s"


def main(wanted: list[str]) -> int:
    chosen = scripts(wanted)
    if not chosen:
        print(f"no benchmark matches {wanted or 'bench/b<N>_*.py'}", file=sys.stderr)
        return 2
    header = f"machine: {machine()}"
    print(header)
    report = [header]
    failed = False
    for name, path in chosen:
        figures, status = run_one(name, path)
        report += [*figures, status]
        failed |= "(ok)" not in status
    print("\n=== figures")
    print("\n".join(report))
    out = BENCH / "out"
    out.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    (out / f"bench-{stamp}.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
