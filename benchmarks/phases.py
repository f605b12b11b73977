"""Where one build's time goes: a measurement, not a test.

A profiler slows code made of many small calls two or three times more than
the rest (pyinstrument and cProfile both: ``README.md``), so its shares of a
build mislead. This runs our production build as ``run.py`` does (its
command's settings: ``publishconf.py``, the run's overrides, the output kept
in place) in this process, and notes with the clock alone:

- when each of Pelican's signals was sent, and how long each receiver of
  every signal took (a receiver of a story's stage, ``portal.signals``, is
  timed inside the gate's own receiver, which includes it);
- how long each generator's context and output took;
- how long the work started beside the build ran (``portal.background``:
  Pagefind), and how long the build waited for it;
- when the build's own process was at its largest (its resident memory read
  five times a second), and what it was doing then: the last event before.

After the build's own output it prints the timeline, then the receivers and
generators by time, and writes them to ``results-phases-<label>.json``
beside this script::

    .venv/bin/python benchmarks/phases.py benchmarks/work/corpus-10000 \\
        benchmarks/work/out-10000 benchmarks/work/cache-10000 --edit --label edit-10000

``--edit`` adds a sentence to one story first (or takes it out again), as
``run.py``'s one-story edit does; ``-e NAME=JSON`` adds a setting
(``-e PAGES_FIRST=true`` for the live preview's first build). The output and
cache folders are the build's own: an empty cache is a cold build.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import pathlib
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402
import samples  # noqa: E402
from run import RUN_SETTINGS, our_command  # noqa: E402


class Clock:
    """The build's timeline and the time spent in each receiver and step."""

    def __init__(self):
        self.start = time.monotonic()
        self.events: list[tuple[float, str]] = []
        self.spent: dict[str, float] = collections.defaultdict(float)
        self.calls: collections.Counter = collections.Counter()

    def now(self) -> float:
        return time.monotonic() - self.start

    def event(self, what: str) -> None:
        self.events.append((round(self.now(), 3), what))

    def add(self, what: str, seconds: float) -> None:
        self.spent[what] += seconds
        self.calls[what] += 1


class MemoryWatch:
    """The process's resident memory, read five times a second from
    ``/proc/self/statm`` (Linux): its largest, and when."""

    def __init__(self, clock: Clock, every: float = 0.2):
        self.clock = clock
        self.every = every
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.peak = 0
        self.peak_at = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _resident(self) -> int:
        try:
            with open("/proc/self/statm", encoding="ascii") as handle:
                return int(handle.read().split()[1]) * self.page
        except (OSError, ValueError, IndexError):
            return 0

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            resident = self._resident()
            if resident > self.peak:
                self.peak, self.peak_at = resident, self.clock.now()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> dict:
        """The peak, when, and the last event of the timeline before it."""
        self._stop.set()
        self._thread.join()
        during = [what for at, what in self.clock.events if at <= self.peak_at]
        return {
            "mib": round(self.peak / 2**20),
            "at": round(self.peak_at, 2),
            "after": during[-1] if during else "start",
        }


def _name(receiver) -> str:
    module = getattr(receiver, "__module__", "") or ""
    return f"{module}.{getattr(receiver, '__qualname__', repr(receiver))}"


def watch(clock: Clock) -> None:
    """Time every receiver of every blinker signal (Pelican's and the
    portal's), each generator's steps, and the work beside the build."""
    import blinker
    from pelican import signals

    from portal import background

    def send(signal, sender=None, /, **kwargs):
        if signal.is_muted:
            return []
        results = []
        for receiver in signal.receivers_for(sender):
            began = time.monotonic()
            results.append((receiver, receiver(sender, **kwargs)))
            clock.add(f"{signal.name}: {_name(receiver)}", time.monotonic() - began)
        return results

    blinker.base.Signal.send = send

    for name in (
        "initialized",
        "all_generators_finalized",
        "get_writer",
        "article_generator_finalized",
        "finalized",
    ):
        getattr(signals, name).connect(
            lambda _sender, _name=name, **_: clock.event(_name), weak=False
        )

    def timed_step(generator, method: str) -> None:
        step = getattr(generator, method, None)
        if step is None:
            return
        label = f"{type(generator).__name__}.{method}"

        def run(*args, **kwargs):
            clock.event(f"{label} begins")
            began = time.monotonic()
            try:
                return step(*args, **kwargs)
            finally:
                clock.add(label, time.monotonic() - began)

        setattr(generator, method, run)

    def on_generator(generator) -> None:
        timed_step(generator, "generate_context")
        timed_step(generator, "generate_output")

    signals.generator_init.connect(on_generator, weak=False)

    start, wait = background.start, background.wait

    def timed_start(folder, work):
        def timed_work():
            clock.event("work beside the build begins")
            began = time.monotonic()
            try:
                work()
            finally:
                clock.add("beside the build: the work", time.monotonic() - began)
                clock.event("work beside the build ends")

        start(folder, timed_work)

    def timed_wait():
        began = time.monotonic()
        try:
            wait()
        finally:
            clock.add("beside the build: waited for", time.monotonic() - began)

    background.start, background.wait = timed_start, timed_wait


def build_arguments(content, output, cache, settings: dict) -> list[str]:
    """``run.our_command``'s arguments to ``pelican``, the same build."""
    command = our_command(content, output, cache, settings={**RUN_SETTINGS, **settings})
    return command[command.index("pelican") + 1 :]


def report(clock: Clock, seconds: float, cpu: float, peak_mib: float) -> str:
    lines = [
        "",
        "== Where the build's time went ==",
        f"wall {seconds:.1f} s, CPU {cpu:.1f} s, peak {peak_mib:.0f} MiB",
        "",
    ]
    lines += [f"{at:8.2f}  {what}" for at, what in clock.events]
    lines += ["", "Receivers and steps, longest first (seconds, calls):"]
    for what, spent in sorted(clock.spent.items(), key=lambda item: -item[1]):
        if spent >= 0.05:
            lines.append(f"{spent:8.2f}  {clock.calls[what]:6d}  {what}")
    return "\n".join(lines)


def write_profile(args, results: dict, raw_path: str) -> None:
    """``profile-<label>.txt``: what was built, and ``samples.summary``."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    header = [
        f"Profile {args.label}: benchmarks/phases.py --sample"
        + (" --edit" if args.edit else "")
        + "".join(f" -e {item}" for item in args.settings),
        f"{args.corpus.name}, commit {commit}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"The build: {results['seconds']} s wall, {results['cpu_seconds']} s CPU "
        "(Pagefind and ffmpeg included, which py-spy does not sample); "
        f"its timeline: results-phases-{args.label}.json",
        "",
    ]
    body = samples.summary(samples.read_raw(raw_path))
    shutil.rmtree(os.path.dirname(raw_path))
    path = pathlib.Path(__file__).with_name(f"profile-{args.label}.txt")
    path.write_text("\n".join(header) + body, encoding="utf-8")
    print(f"profile: {path}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=pathlib.Path, help="run.py's corpus-<N>")
    parser.add_argument("output", type=pathlib.Path)
    parser.add_argument("cache", type=pathlib.Path)
    parser.add_argument("--edit", action="store_true", help="edit one story first")
    parser.add_argument("--label", default="build", help="names the results file")
    parser.add_argument("-e", dest="settings", action="append", default=[])
    parser.add_argument(
        "--sample",
        action="store_true",
        help="also sample the build with py-spy: profile-<label>.txt (samples.py)",
    )
    args = parser.parse_args(argv)
    settings = {}
    for item in args.settings:
        name, _, value = item.partition("=")
        settings[name] = json.loads(value)
    if args.edit:
        corpus.edit_one_story(args.corpus)
    sampler = None
    if args.sample:
        # py-spy writes the file when it stops.
        raw = os.path.join(tempfile.mkdtemp(prefix="phases-"), "samples.txt")
        sampler = samples.Sampler(raw)
        time.sleep(1)  # py-spy attached before the build starts
    clock = Clock()
    watch(clock)
    memory = MemoryWatch(clock)
    memory.start()
    from pelican import main as pelican_main

    sys.argv = [
        "pelican",
        *build_arguments(args.corpus / "ours", args.output, args.cache, settings),
    ]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    try:
        pelican_main()
    except SystemExit as stop:
        if stop.code:
            raise
    clock.event("end")
    seconds = clock.now()
    if sampler is not None:
        sampler.stop()
    largest = memory.stop()
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (
        own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime - cpu_before
    )
    # The build's own process and its largest child (Pagefind, a worker)
    # apart: the larger is the machine's need, the first the build's heap.
    peak = max(own.ru_maxrss, children.ru_maxrss) / 1024
    print(report(clock, seconds, cpu, peak))
    print(
        f"peak of the build's own process {own.ru_maxrss / 1024:.0f} MiB, "
        f"of its largest child {children.ru_maxrss / 1024:.0f} MiB; "
        f"read five times a second, {largest['mib']} MiB at {largest['at']} s, "
        f"after {largest['after']}"
    )
    results = {
        "label": args.label,
        "edit": args.edit,
        "settings": settings,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_mib": round(peak),
        "own_peak_mib": round(own.ru_maxrss / 1024),
        "children_peak_mib": round(children.ru_maxrss / 1024),
        "own_largest_read": largest,
        "events": clock.events,
        "spent": {
            what: [round(spent, 3), clock.calls[what]]
            for what, spent in sorted(clock.spent.items(), key=lambda item: -item[1])
        },
    }
    path = pathlib.Path(__file__).with_name(f"results-phases-{args.label}.json")
    path.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if sampler is not None:
        write_profile(args, results, sampler.raw_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
