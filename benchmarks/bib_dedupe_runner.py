"""Run bib-dedupe 0.11.0 (fully automatic, 'maybe' pairs not merged) on a benchmark dataset.

bib-dedupe lives in its own venv (``benchmarks/.venv-bib-dedupe``), created on first use, and runs in a
subprocess (``_bib_dedupe_worker.py``). Its process tree's RSS is sampled from ``/proc`` every 0.2 s;
the largest single process comes from ``os.wait4`` (as ``/usr/bin/time`` reports it).

CLI: ``python benchmarks/bib_dedupe_runner.py DATASET_DIR [--cpu N]`` prints the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv-bib-dedupe"
VENV_PYTHON = VENV / "bin" / "python"
WORKER = HERE / "_bib_dedupe_worker.py"
VERSION = "0.11.0"
_PAGE = os.sysconf("SC_PAGE_SIZE")


def ensure_venv() -> Path:
    """Create the bib-dedupe venv and install bib-dedupe if it is not importable yet.

    Returns:
        Path of the venv's python interpreter.
    """
    probe = [
        str(VENV_PYTHON),
        "-c",
        f"import bib_dedupe, importlib.metadata as m; assert m.version('bib-dedupe') == '{VERSION}'",
    ]
    if VENV_PYTHON.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return VENV_PYTHON
    subprocess.run(["python3", "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV_PYTHON), "-m", "pip", "install", "-q", f"bib-dedupe=={VERSION}"], check=True)
    subprocess.run(probe, check=True)
    return VENV_PYTHON


def _tree_rss_bytes(root: int) -> int:
    """Sum the RSS of ``root`` and all its descendants (read from ``/proc``).

    Args:
        root: PID of the tree's root.

    Returns:
        Summed resident set size in bytes (processes that vanish mid-read are skipped).
    """
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
            for task in Path(f"/proc/{pid}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total


def run_bib_dedupe(dataset_dir: Path, cpu: int = -1) -> dict[str, Any]:
    """Deduplicate a dataset with bib-dedupe 0.11.0 in a subprocess and measure it.

    Args:
        dataset_dir: Folder holding ``records_pre_merged*.csv.gz``.
        cpu: Process count for bib-dedupe (-1 = all cores, as in BASELINE.md).

    Returns:
        ``groups`` (predicted duplicate groups of record IDs, size >= 2), ``seconds`` (load + prep + block +
        match + cluster inside the worker), ``wall_seconds`` (whole worker process), ``peak_rss_mb`` (peak
        summed RSS of the worker tree), ``max_single_rss_mb`` (largest single process), plus ``stages``,
        ``records``, ``blocked_pairs`` and ``maybe_pairs``.

    Raises:
        RuntimeError: If the worker fails.
    """
    python = ensure_venv()
    with tempfile.TemporaryDirectory() as tmp:
        out, log = Path(tmp) / "out.json", Path(tmp) / "log.txt"
        with log.open("wb") as log_f:
            start = time.perf_counter()
            proc = subprocess.Popen(
                [str(python), str(WORKER), str(Path(dataset_dir).resolve()), str(out), str(cpu)],
                stdout=log_f,
                stderr=subprocess.STDOUT,
            )
            peak, done = 0, threading.Event()

            def sample() -> None:
                nonlocal peak
                while not done.wait(0.2):
                    peak = max(peak, _tree_rss_bytes(proc.pid))

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            done.set()
            sampler.join()
            proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise RuntimeError(f"bib-dedupe worker failed ({proc.returncode}):\n{log.read_text()[-4000:]}")
        result: dict[str, Any] = json.loads(out.read_text())
    result.update(
        wall_seconds=wall,
        peak_rss_mb=peak / 2**20,
        max_single_rss_mb=usage.ru_maxrss / 1024,  # ru_maxrss is in KiB on Linux
    )
    return result


def main() -> None:
    """CLI entry point: print groups count, removed records, timings and memory as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset_dir", type=Path)
    parser.add_argument("--cpu", type=int, default=-1)
    parser.add_argument("--groups", action="store_true", help="also print the predicted groups")
    args = parser.parse_args()
    res = run_bib_dedupe(args.dataset_dir, cpu=args.cpu)
    summary = {k: v for k, v in res.items() if k != "groups"}
    summary.update(groups=len(res["groups"]), removed_records=sum(len(g) - 1 for g in res["groups"]))
    if args.groups:
        summary["group_ids"] = res["groups"]
    json.dump(summary, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
