"""benchmarks/samples.py makes a build's profile from py-spy's raw samples:
each step's share, the functions under it, and nothing of the threads that
only wait or are not the build's."""

from __future__ import annotations

import sys

from tests.support import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))

import samples

ROOT = str(PROJECT_ROOT)
LIB = "/usr/lib/python3.11"
SITE = f"{LIB}/site-packages"


def frame(name: str, path: str) -> str:
    return f"{name} ({path})"


MAIN = [
    frame("<module>", f"{ROOT}/benchmarks/phases.py"),
    frame("main", f"{ROOT}/benchmarks/phases.py"),
    frame("main", f"{SITE}/pelican/__init__.py"),
    frame("Pelican.run", f"{SITE}/pelican/__init__.py"),
]
SEND = frame("watch.<locals>.send", f"{ROOT}/benchmarks/phases.py")
PRECOMPRESS = frame("precompress", f"{ROOT}/plugins/precompress/plugin.py")
GIVE = frame("_give_copies", f"{ROOT}/plugins/precompress/plugin.py")
LOOK_UP = frame("FileHashes._look_up", f"{ROOT}/portal/file_hashes.py")
WALK = frame("_walk", f"{ROOT}/plugins/precompress/plugin.py")
THREAD = [
    frame("Thread._bootstrap", f"{LIB}/threading.py"),
    frame("Thread.run", f"{LIB}/threading.py"),
]


def raw_file(tmp_path, stacks: list[tuple[list[str], int]]) -> str:
    path = tmp_path / "samples.txt"
    path.write_text(
        "".join(f"{';'.join(frames)} {count}\n" for frames, count in stacks),
        encoding="utf-8",
    )
    return str(path)


def test_a_step_gets_its_samples_and_the_functions_under_it(tmp_path):
    raw = raw_file(
        tmp_path,
        [
            ([*MAIN, SEND, PRECOMPRESS, GIVE, LOOK_UP], 150),
            ([*MAIN, SEND, PRECOMPRESS, WALK], 50),
            (
                [
                    'process 12:"python phases.py"',
                    *MAIN,
                    frame(
                        "ArticlesGenerator.__init__", f"{SITE}/pelican/generators.py"
                    ),
                ],
                100,
            ),
        ],
    )
    report = samples.summary(samples.read_raw(raw))
    lines = report.splitlines()
    assert lines[0].startswith("3.00 s of samples (300 at 100 a second)")
    assert "    2.00  66.7%  precompress" in lines
    assert "    1.00  33.3%  Pelican: ArticlesGenerator.__init__" in lines
    # Under the step, the site's functions, each once a sample.
    under = lines[lines.index("    2.00  66.7%  precompress") + 1 :]
    assert sorted(line.split()[1] for line in under[:2]) == [
        "FileHashes._look_up",
        "_give_copies",
    ]
    assert under[2].split() == ["0.50", "_walk", "(plugins/precompress/plugin.py)"]
    # The innermost functions, whoever called them.
    own = lines[
        lines.index("Where the samples were (the innermost function, its own time):")
        + 1 :
    ]
    assert own[0].split() == [
        "1.50",
        "50.0%",
        "FileHashes._look_up",
        "(portal/file_hashes.py)",
    ]


def test_waiting_threads_and_the_standard_library_alone_are_left_out(tmp_path):
    raw = raw_file(
        tmp_path,
        [
            ([*MAIN, SEND, PRECOMPRESS, WALK], 100),
            # The build waiting for Pagefind, a pool's own thread, phases.py's
            # memory watch: none of it is the build's work.
            (
                [
                    *THREAD,
                    frame("run_pagefind", f"{ROOT}/plugins/site_search/plugin.py"),
                    frame("Popen._try_wait", f"{LIB}/subprocess.py"),
                ],
                400,
            ),
            (
                [
                    *THREAD,
                    frame(
                        "Pool._handle_results",
                        f"{LIB}/multiprocessing/pool.py",
                    ),
                    frame(
                        "Connection._recv",
                        f"{LIB}/multiprocessing/connection.py",
                    ),
                ],
                300,
            ),
            (
                [
                    *THREAD,
                    frame("MemoryWatch._run", f"{ROOT}/benchmarks/phases.py"),
                    frame("MemoryWatch._resident", f"{ROOT}/benchmarks/phases.py"),
                ],
                20,
            ),
            # A thread compressing: work, counted as the threads' own step.
            (
                [
                    *THREAD,
                    frame("_worker", f"{LIB}/concurrent/futures/thread.py"),
                    frame("_Copies.one_file", f"{ROOT}/plugins/precompress/plugin.py"),
                    frame("compress", f"{SITE}/brotli.py"),
                ],
                60,
            ),
        ],
    )
    lines = samples.summary(samples.read_raw(raw)).splitlines()
    assert lines[0].startswith("1.60 s of samples")
    assert "(7.20 s)" in lines[0]
    assert "    1.00  62.5%  precompress" in lines
    assert "    0.60  37.5%  threads: _Copies.one_file" in lines
    assert not any("Pool." in line or "MemoryWatch" in line for line in lines)


def test_no_samples_says_so(tmp_path):
    assert samples.summary(samples.read_raw(raw_file(tmp_path, []))) == "No samples."
