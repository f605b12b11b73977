"""A build's profile from py-spy's samples: where its Python time went, by step.

``phases.py --sample`` runs py-spy beside the build (``Sampler``): it reads
the stacks of the build's process and its workers a hundred times a second
from outside, without slowing each call the way a tracing profiler does
(pyinstrument and cProfile make code of many small calls look two or three
times dearer than the rest: ``README.md``). ``summary`` turns py-spy's raw
output (one line a distinct stack: its frames, outermost first, joined by
``;``, then how many samples had it) into a report:

- each step of the build (a receiver of a signal, a generator's context or
  output, as ``phases.py`` times them; the forked workers; the start, before
  Pelican runs) with its share of the samples, and under it the functions of
  the site's code and Pelican's that took most of it (counted once a sample
  however often they are on its stack);
- the functions the samples were in themselves, whoever called them.

Pagefind and ffmpeg are programs of their own, not Python: their time is in
the build's CPU time (``phases.py``'s report), not in the samples.
"""

from __future__ import annotations

import collections
import os
import shutil
import signal
import subprocess
import sys

RATE = 100  # samples a second

# phases.py's own frames around each step it times.
_STEP_WRAPPERS = ("watch.<locals>.send (", "watch.<locals>.timed_step.<locals>.run (")
# The frames of the code a reader of the profile can act on (paths as
# ``_short`` gives them).
_OURS = ("(plugins/", "(portal/", "(pelican/")
# Frames that only pass the call on: not worth a line of their own.
_PLUMBING = ("main (pelican/__init__.py)", "Pelican.run (", "get_instance (")
# The innermost functions of a thread that waits (phases.py's memory watch,
# a pool's idle workers and its own threads, the build waiting for Pagefind
# or ffmpeg, whose CPU time is their own): left out. py-spy is asked for
# every thread's samples (``--idle``), as one waiting on a stat or a read
# counts as idle to it: a rebuild's stats are much of its time.
_WAITING = {
    "wait", "_wait", "_try_wait", "join", "_wait_for_tstate_lock", "sleep",
    "select", "poll", "_poll", "_recv", "_recv_bytes", "recv_bytes",
    "communicate", "_communicate", "_handle_tasks", "_handle_results",
    "_handle_workers", "SimpleQueue.get", "Queue.get",
}  # fmt: skip
# Threads that are not the build's: phases.py's memory watch, the console's
# refresh; and phases.py waiting for py-spy to attach.
_NOT_THE_BUILD = ("MemoryWatch.", "_RefreshThread.")
_SETTING_OUT = "main (benchmarks/phases.py)"
# A stack outside every step, started by one of these: a forked worker's
# or a thread's.
_POOLS = (("workers", "(multiprocessing/"), ("threads", "(threading.py)"))
# A worker's frames that only run the task it was given.
_OURS_IN_WORKERS = ("_run (portal/parallel.py)", "map_in_processes (")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class Sampler:
    """py-spy recording this process and its children until ``stop``."""

    def __init__(self, raw_path: str):
        self.raw_path = raw_path
        program = shutil.which(
            "py-spy", path=os.path.dirname(sys.executable)
        ) or shutil.which("py-spy")
        if program is None:
            raise SystemExit(
                "--sample needs py-spy: pip install -r requirements-dev.txt"
            )
        self.process = subprocess.Popen(
            [
                program, "record", "--pid", str(os.getpid()), "--subprocesses",
                "--nonblocking", "--idle", "--nolineno", "--full-filenames",
                "--rate", str(RATE), "--format", "raw", "--output", raw_path,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip

    def stop(self) -> None:
        """Stop recording; py-spy writes its file as it ends."""
        self.process.send_signal(signal.SIGINT)
        _, errors = self.process.communicate(timeout=120)
        if not os.path.exists(self.raw_path):
            raise RuntimeError(f"py-spy wrote no samples: {errors.decode()[-500:]}")


def _short(frame: str) -> str:
    """``name (path)`` with the path from the package on."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    if where.startswith(ROOT):
        where = where[len(ROOT) :]
    for marker in ("/site-packages/", "/lib/python3.11/"):
        if marker in where:
            where = where.split(marker, 1)[1]
            break
    return f"{name} ({where})"


def _waits(frame: str) -> bool:
    name = frame.split(" (")[0]
    return name in _WAITING or name.rpartition(".")[2] in _WAITING


def _step(frames: list[str]) -> tuple[str, int]:
    """The step a stack was in, and where its own frames start."""
    for index, frame in enumerate(frames):
        if frame.startswith(_STEP_WRAPPERS) and index + 1 < len(frames):
            return frames[index + 1].split(" (")[0], index + 1
    for kind, marker in _POOLS:
        for index, frame in enumerate(frames):
            if marker not in frame:
                continue
            for inner in range(index, len(frames)):
                if frames[inner].startswith(_OURS_IN_WORKERS):
                    continue
                if any(part in frames[inner] for part in _OURS):
                    return f"{kind}: " + frames[inner].split(" (")[0], inner
            return f"{kind}: starting", len(frames)
    for index, frame in enumerate(frames):
        if frame.startswith("Pelican.run (") and index + 1 < len(frames):
            # A generator phases.py does not time (not a Pelican generator),
            # or Pelican's own work.
            for inner in range(index + 1, len(frames)):
                if "(plugins/" in frames[inner]:
                    return frames[inner].split(" (")[0], inner
            named = [
                inner
                for inner in range(index + 1, len(frames))
                if "<listcomp>" not in frames[inner]
            ]
            first = named[0] if named else index + 1
            return "Pelican: " + frames[first].split(" (")[0], first
    return "start: imports, plugins, settings", 0


def read_raw(path: str) -> list[tuple[list[str], int]]:
    """py-spy's raw file: each distinct stack (outermost frame first, each
    as ``_short`` gives it) and its number of samples."""
    stacks = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if stack and count.isdigit():
                # With --subprocesses each stack starts with its process.
                frames = [
                    _short(frame)
                    for frame in stack.split(";")
                    if not frame.startswith("process ")
                ]
                stacks.append((frames, int(count)))
    return stacks


def summary(stacks: list[tuple[list[str], int]], rate: int = RATE, top: int = 8) -> str:
    """The report described in the module's doc, in seconds of samples."""
    working = [
        (frames, count)
        for frames, count in stacks
        if frames
        and not _waits(frames[-1])
        and frames[-1] != _SETTING_OUT
        and not any(frame.startswith(_NOT_THE_BUILD) for frame in frames)
        # A stack of the standard library alone: a pool's own threads.
        and any(part in frame for frame in frames for part in _OURS)
    ]
    waiting = sum(n for _, n in stacks) - sum(n for _, n in working)
    total = sum(count for _, count in working)
    if not total:
        return "No samples."
    steps: collections.Counter = collections.Counter()
    within: dict[str, collections.Counter] = collections.defaultdict(
        collections.Counter
    )
    own: collections.Counter = collections.Counter()
    for frames, count in working:
        step, start = _step(frames)
        steps[step] += count
        inner = {
            frame
            for frame in frames[start + 1 :]
            if any(part in frame for part in _OURS) and not frame.startswith(_PLUMBING)
        }
        for name in inner:
            within[step][name] += count
        own[frames[-1]] += count

    def seconds(count: int) -> str:
        return f"{count / rate:8.2f}"

    lines = [
        f"{total / rate:.2f} s of samples ({total} at {rate} a second) in the "
        "build's process and its workers; left out, threads that waited or "
        f"were not the build's ({waiting / rate:.2f} s)",
        "",
        "By step (seconds, share), and under each the functions that took most",
        "of it (a function once a sample, however often it is on the stack):",
    ]
    for step, count in steps.most_common():
        if count / rate < 0.05:
            continue
        lines.append(f"{seconds(count)} {100 * count / total:5.1f}%  {step}")
        for name, inner_count in within[step].most_common(top):
            if inner_count / rate >= 0.05:
                lines.append(f"{'':16}{seconds(inner_count)}  {name}")
    lines += ["", "Where the samples were (the innermost function, its own time):"]
    for name, count in own.most_common(3 * top):
        lines.append(f"{seconds(count)} {100 * count / total:5.1f}%  {name}")
    return "\n".join(lines) + "\n"
