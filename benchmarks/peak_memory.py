"""Peak memory of our cold build, the main process and its workers apart.

``run.py`` records ``ru_maxrss`` of the build, which is the largest single
process (the main one or a forked worker), not what the build holds at once.
This runs the same production build (publishconf.py, empty output and
cache) of an existing corpus (``benchmarks/work/corpus-<N>``, written by
``run.py`` or ``corpus.write_corpus``) and reports:

- ``main_peak_mb``: the Pelican process's own high-water mark (VmHWM);
- ``largest_process_mb``: the largest process of the build (``ru_maxrss``),
  and ``children_peak_mb``: the largest of each kind of child (forked
  workers are ``python``, the search indexer ``pagefind``);
- ``tree_peak_rss_mb`` / ``tree_peak_pss_mb``: the largest sum over the
  process and its workers, sampled every 0.1 s (RSS counts pages the forked
  workers share with the main process once per process; PSS splits them).

    python benchmarks/peak_memory.py 250 1000
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402

# Runs Pelican in this interpreter and prints its own high-water mark at exit
# (forked workers leave through os._exit, so only the main process prints).
RUNNER = (
    "import atexit, runpy, sys\n"
    "def hwm():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM'):\n"
    "            print('MAIN_VMHWM_KB', line.split()[1], file=sys.stderr)\n"
    "atexit.register(hwm)\n"
    "sys.argv[0] = 'pelican'\n"
    "runpy.run_module('pelican', run_name='__main__')\n"
)


def _tree(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as handle:
                todo += [int(child) for child in handle.read().split()]
        except OSError:
            pass
    return pids


def _name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as handle:
            return handle.read().strip()
    except OSError:
        return "?"


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in kB, or zeros once the process is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            fields = dict(line.split()[:2] for line in handle if line[0].isupper())
        return int(fields["Rss:"]), int(fields["Pss:"])
    except (OSError, KeyError, ValueError):
        return 0, 0


def measure(count: int, workdir: pathlib.Path) -> dict:
    content = workdir / f"corpus-{count}" / "ours"
    scratch = pathlib.Path(tempfile.mkdtemp(prefix=f"peak-{count}-", dir=workdir))
    command = run.our_command(
        content, scratch / "out", scratch / "cache", settings=run.RUN_SETTINGS
    )
    command[1:3] = ["-c", RUNNER]  # [python, -m, pelican, ...] -> the runner
    started = time.perf_counter()
    log = scratch / "build.log"
    with open(log, "w") as output:
        process = subprocess.Popen(command, stdout=output, stderr=output)
    tree_rss = tree_pss = 0
    others: dict[str, int] = {}  # the largest RSS of each kind of child
    while True:
        pids = _tree(process.pid)
        sums = [_memory(pid) for pid in pids]
        for pid, (rss, _) in zip(pids[1:], sums[1:], strict=True):
            name = _name(pid)
            others[name] = max(others.get(name, 0), rss)
        tree_rss = max(tree_rss, sum(rss for rss, _ in sums))
        tree_pss = max(tree_pss, sum(pss for _, pss in sums))
        # wait4: the exit status and the largest process of the tree (ru_maxrss)
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.1)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    errors = log.read_text(errors="replace")
    shutil.rmtree(scratch, ignore_errors=True)
    if process.returncode != 0:
        raise SystemExit(f"build failed ({process.returncode}):\n{errors[-3000:]}")
    main = [line for line in errors.splitlines() if line.startswith("MAIN_VMHWM_KB")]
    largest = usage.ru_maxrss  # kB
    return {
        "stories": count,
        "seconds": round(seconds, 1),
        # user + system time of the build and its workers (steadier than wall
        # time on a shared machine)
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "main_peak_mb": round(int(main[-1].split()[1]) / 1024, 1) if main else None,
        "largest_process_mb": round(largest / 1024, 1),
        "tree_peak_rss_mb": round(tree_rss / 1024, 1),
        "tree_peak_pss_mb": round(tree_pss / 1024, 1),
        "children_peak_mb": {
            name: round(rss / 1024, 1) for name, rss in sorted(others.items())
        },
    }


def main(argv: list[str]) -> int:
    workdir = HERE / "work"
    for count in [int(arg) for arg in argv] or [250, 1000]:
        print(json.dumps(measure(count, workdir)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
