"""``make test``: run the suites in order, print the time of each against its budget.

    python scripts/test_suites.py [SUITE ...]      # e.g. unit, unit-pg, e2e, faults+security

Budgets are guidance: a suite over budget prints a loud warning, it does not fail. A suite that
collects no test fails (pytest exit code 5), so an empty run can never pass as green.
Extra pytest arguments: ``PYTEST_ARGS="-k hotline -x"``; parallel workers: ``WORKERS=2``
(``WORKERS=0``: none, also for a suite that has its own);
per-package processes at once in the unit suites: ``SUITE_PARALLEL=1`` (default 2).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
PACKAGES = ["shared", "gateway", "svc-approvals", "svc-hotline", "svc-complaints", "svc-visits"]
PACKAGES.append("svc-ratings")
UNIT = [f"{p}/tests" for p in PACKAGES]


@dataclass(frozen=True)
class Suite:
    """``paths`` run in one pytest process, or one process per path when ``per_path``: each
    package's ``tests`` folder may be a package named ``tests``, and two of those cannot share
    one pytest process."""

    name: str
    paths: list[str]
    budget: float  # seconds
    env: dict[str, str] = field(default_factory=dict)
    args: list[str] = field(default_factory=list)
    needs_postgres: bool = False
    per_path: bool = False
    parallel: int = 1  # per-path runs at once (their output is printed as each finishes)
    workers: int = 0  # pytest-xdist workers of each run (0: the tests run in pytest's process)

    def runs(self) -> list[list[str]]:
        present = [p for p in self.paths if (ROOT / p).exists()]
        return [[p] for p in present] if self.per_path else [present]


SUITES = [
    # Per-package pytest processes two at a time: much of a test's time is waiting (for a
    # subprocess, NATS, PostgreSQL), so two processes share this 2-core machine well.
    Suite("unit", UNIT, 180, per_path=True, parallel=2),
    # The same unit tests on PostgreSQL: those that build databases through the kit (marker
    # `db`, set automatically) or say they need PostgreSQL. Three packages at once: these wait
    # on PostgreSQL even more than the unit run does (215 s with two, 166 s with three).
    Suite(
        "unit-pg",
        UNIT,
        180,
        env={"YS_TEST_BACKEND": "postgres"},
        args=["-m", "db or postgres"],
        needs_postgres=True,
        per_path=True,
        parallel=3,
    ),
    Suite("e2e", ["tests/e2e"], 180),
    Suite("faults+security", ["tests/faults", "tests/security"], 180),
    # Two workers, each with its own stack and Chromium (tests/browser/conftest.py): one test's
    # chain (pytest, Playwright, Chromium, the gateway, a service) keeps a little over one core
    # busy, so one worker leaves half the machine idle; a second stack's start costs less.
    Suite("browser", ["tests/browser"], 90, workers=2),
    Suite("cluster", ["tests/cluster"], 90),
]


@dataclass
class Outcome:
    suite: str
    status: str  # passed | FAILED | skipped
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def junit_counts(paths: list[Path]) -> dict[str, int]:
    suites = []
    for path in paths:
        if path.exists():
            root = ET.parse(path).getroot()  # noqa: S314 - our own file
            suites += [root] if root.tag == "testsuite" else list(root)
    keys = ("tests", "failures", "errors", "skipped")
    total = {k: sum(int(s.get(k, 0)) for s in suites) for k in keys}
    total["passed"] = total["tests"] - total["failures"] - total["errors"] - total["skipped"]
    return total


def suite_env(suite: Suite) -> dict[str, str]:
    env = {**os.environ, **suite.env}
    # pytest keeps assertion-rewritten modules as bytecode; without it, every one of the
    # suite's pytest processes would recompile hundreds of modules.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def pytest_command(suite: Suite, paths: list[str], junit: Path) -> list[str]:
    command = [sys.executable, "-m", "pytest", *paths, *suite.args, f"--junitxml={junit}", "-q"]
    workers = os.environ.get("WORKERS") or str(suite.workers)
    if workers != "0":
        # worksteal: a worker that ran out of tests takes some of the other's queue, so a run
        # of long tests on one worker does not leave the other idle at the end
        command += ["-n", workers, "--dist", "worksteal"]
    return command + shlex.split(os.environ.get("PYTEST_ARGS", ""))


@dataclass
class Run:
    """One pytest process of a suite; with ``parallel`` > 1 its output goes to a file first."""

    paths: list[str]
    junit: Path
    proc: subprocess.Popen[bytes] | None = None
    output: Path | None = None
    code: int = 0


def _start(suite: Suite, run: Run, captured: bool) -> None:
    run.junit.unlink(missing_ok=True)
    command = pytest_command(suite, run.paths, run.junit)
    if not captured:
        if suite.per_path:
            print(f"--- {suite.name}: {' '.join(run.paths)}", flush=True)
        run.proc = subprocess.Popen(command, cwd=ROOT, env=suite_env(suite))  # noqa: S603
        return
    run.output = run.junit.with_suffix(".out")
    with run.output.open("wb") as out:
        run.proc = subprocess.Popen(  # noqa: S603 - our own pytest command
            command, cwd=ROOT, env=suite_env(suite), stdout=out, stderr=subprocess.STDOUT
        )


def _execute(suite: Suite, runs: list[Run], parallel: int) -> list[Run]:
    """Run at most ``parallel`` at once; returns the runs in the order they finished."""
    waiting, running, finished = list(runs), list[Run](), list[Run]()
    while waiting or running:
        while waiting and len(running) < parallel:
            run = waiting.pop(0)
            _start(suite, run, captured=parallel > 1)
            running.append(run)
        for run in list(running):
            assert run.proc is not None
            code = run.proc.poll() if parallel > 1 else run.proc.wait()
            if code is None:
                continue
            run.code = code
            running.remove(run)
            finished.append(run)
            if run.output is not None:
                print(f"--- {suite.name}: {' '.join(run.paths)}", flush=True)
                sys.stdout.write(run.output.read_text(errors="replace"))
                sys.stdout.flush()
        if running:
            time.sleep(0.2)
    return finished


def _finish(suite: Suite, run: Run) -> int:
    if run.code == 5 and "-m" not in suite.args:
        print(f"!!! {' '.join(run.paths)}: no test was collected; that counts as a failure")
    return 0 if run.code == 5 and "-m" in suite.args else run.code


def run_suite(suite: Suite) -> Outcome:
    minutes = f"{suite.budget / 60:g} min"
    if suite.needs_postgres and not os.environ.get("YS_TEST_POSTGRES_URL"):
        print(f"--- suite {suite.name}: SKIPPED (YS_TEST_POSTGRES_URL is not set)", flush=True)
        return Outcome(suite.name, "skipped")
    print(f"=== suite {suite.name} (budget {minutes}) ===", flush=True)
    ARTIFACTS.mkdir(exist_ok=True)
    started = time.monotonic()
    runs = [
        Run(paths, ARTIFACTS / f"{suite.name.replace('+', '-')}-{index}.xml")
        for index, paths in enumerate(suite.runs())
    ]
    parallel = int(os.environ.get("SUITE_PARALLEL", suite.parallel))
    codes = [_finish(suite, run) for run in _execute(suite, runs, max(parallel, 1))]
    junits = [run.junit for run in runs]
    seconds = time.monotonic() - started
    status = "passed" if codes and all(c == 0 for c in codes) else "FAILED"
    print(f"--- suite {suite.name}: {status} in {seconds:.1f} s (budget {minutes})", flush=True)
    if seconds > suite.budget:
        print(
            f"!!! WARNING: suite {suite.name} took {seconds:.0f} s, over its budget of "
            f"{suite.budget:.0f} s: make it faster or move slow checks to bench/",
            flush=True,
        )
    return Outcome(suite.name, status, seconds, junit_counts(junits))


def summary(outcomes: list[Outcome]) -> None:
    print("\n=== summary ===")
    for o in outcomes:
        counts = ", ".join(f"{k} {v}" for k, v in o.counts.items() if k != "tests")
        print(f"  {o.suite:<16} {o.status:<8} {o.seconds:7.1f} s  {counts}")
    total = {k: sum(o.counts.get(k, 0) for o in outcomes) for k in ("passed", "skipped")}
    failed = sum(o.counts.get("failures", 0) + o.counts.get("errors", 0) for o in outcomes)
    print(f"total: {total['passed']} passed, {failed} failed, {total['skipped']} skipped")


def main(names: list[str]) -> int:
    known = {s.name: s for s in SUITES}
    unknown = [n for n in names if n not in known]
    if unknown:
        print(f"unknown suite(s) {unknown}; known: {', '.join(known)}", file=sys.stderr)
        return 2
    chosen = [known[n] for n in names] if names else SUITES
    outcomes = [run_suite(s) for s in chosen]
    summary(outcomes)
    return 0 if all(o.status != "FAILED" for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main([a for arg in sys.argv[1:] for a in arg.split(",") if a]))
