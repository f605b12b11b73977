"""The live preview shows a save first and brings the search up to date after.

A build with ``PAGES_FIRST`` makes every page, keeps the last build's search
index and makes no compressed copies, saying (its clock) that its output is
behind; the build after it indexes and compresses, and makes no story again
(``portal.preview_builds``, ``plugins/site_search``, ``plugins/precompress``).
A build brought up to date in the background is stopped, with every process
it started, when the next save comes."""

from __future__ import annotations

import gzip
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
import time

import pytest

from portal import build_inputs, preview_builds, publishing
from tests.pagefind_index import index_text
from tests.support import build_site, copy_content, free_port

WORD = "zanzibarite"  # in no sample story
STORY = "common-ground"


def _made(caplog) -> list[str]:
    """What the story pipeline said it made, since the last call."""
    said = [
        record.getMessage()
        for record in caplog.records
        if record.getMessage().startswith("[story_pipeline] made the outputs of")
    ]
    caplog.clear()
    return said


def test_a_save_is_shown_at_once_and_indexed_by_the_next_build(
    sample_site, tmp_path, caplog
):
    # The sample build and its cache, copied: a rebuild of the same content.
    content = copy_content(tmp_path / "content", stories=True)
    output, cache = tmp_path / "output", tmp_path / "cache"
    shutil.copytree(sample_site, output)
    shutil.copytree(sample_site.parent / "cache", cache)
    story = content / "stories" / STORY / "story.md"
    story.write_text(story.read_text("utf-8") + f"\nThey spoke of {WORD}.\n", "utf-8")
    bundle = output / "pagefind"
    index_before = {
        path.relative_to(bundle): path.read_bytes()
        for path in bundle.rglob("*")
        if path.is_file()
    }
    clock = tmp_path / "clock.json"
    page_gz = f"stories/{STORY}/index.html.gz"
    page_before = (output / "stories" / STORY / "index.html").read_bytes()

    caplog.set_level(logging.INFO)
    build_site(
        content,
        output,
        cache_dir=cache,
        PAGES_FIRST=True,
        **{build_inputs.CLOCK_SETTING: str(clock)},
    )
    page = output / "stories" / STORY / "index.html"
    assert WORD in page.read_text("utf-8")  # the save, shown
    assert _made(caplog) == [
        "[story_pipeline] made the outputs of 1 story; kept those of 6 (nothing "
        "that shapes them changed); removed 0 files no story has now"
    ]
    # The index is the last build's, file for file, and the output says it
    # is behind from now on.
    index_now = {
        path.relative_to(bundle): path.read_bytes()
        for path in bundle.rglob("*")
        if path.is_file()
    }
    assert index_now == index_before
    assert WORD not in index_text(output)
    said = build_inputs.read_clock(clock)
    assert not build_inputs.still_right(said)
    assert "left to the next build" in said["why"]
    # No copy compressed: the page's are still those of the page before.
    assert gzip.decompress((output / page_gz).read_bytes()) == page_before

    build_site(
        content,
        output,
        cache_dir=cache,
        **{build_inputs.CLOCK_SETTING: str(clock)},
    )
    assert WORD in index_text(output)
    assert gzip.decompress((output / page_gz).read_bytes()) == page.read_bytes()
    assert build_inputs.still_right(build_inputs.read_clock(clock))
    # The setting is no part of a story's key: nothing made again.
    assert _made(caplog) == [
        "[story_pipeline] made the outputs of 0 stories; kept those of 7 (nothing "
        "that shapes them changed); removed 0 files no story has now"
    ]


def test_the_search_setting_must_be_true_or_false(tmp_path):
    content = copy_content(tmp_path / "content")
    with pytest.raises(Exception, match="PAGES_FIRST must be True or False"):
        build_site(content, tmp_path / "output", PAGES_FIRST="yes")


def test_an_output_whose_clock_has_run_out_is_behind(tmp_path):
    output = tmp_path / "output"
    assert not publishing.behind(output)  # no build said anything
    last = tmp_path / publishing.LAST_BUILD_FILE.format(name="output")
    for until, behind in (("2000-01-01T00:00:00+00:00", True), (None, False)):
        record = {"inputs": "k", "built_at": 1, "clock": {"valid_until": until}}
        last.write_text(json.dumps(record), "utf-8")
        assert publishing.behind(output) is behind


class _Builds:
    """Stand-ins for the preview's two builds: what each was asked, and a
    second build that runs until it is stopped."""

    def __init__(self, output):
        self.output = output
        self.calls: list[str] = []
        self.started = threading.Event()

    def __call__(self, later, stop):
        if later:
            self.calls.append("save")
            # As the build with PAGES_FIRST leaves its output.
            last = self.output.with_name(f".{self.output.name}.last-build.json")
            last.write_text(
                '{"clock": {"valid_until": "2000-01-01T00:00:00+00:00"}}', "utf-8"
            )
            return True
        self.calls.append("search")
        self.started.set()
        stopped = stop.wait(timeout=30)
        self.calls.append("search stopped" if stopped else "search done")
        return not stopped


def test_a_save_stops_the_search_build_of_the_save_before(tmp_path):
    output = tmp_path / "output"
    said = []
    builds = _Builds(output)
    preview = preview_builds.PreviewBuilds(
        output, builds, say=lambda *a, **k: said.append(a)
    )
    preview.rebuild()
    assert builds.started.wait(timeout=10)
    preview.rebuild()  # the next save: the first search build ends first
    assert builds.calls[:4] == ["save", "search", "search stopped", "save"]
    preview.close()
    assert builds.calls == [
        "save",
        "search",
        "search stopped",
        "save",
        "search",
        "search stopped",
    ]
    assert said == []  # never said the search is up to date


def test_a_stopped_build_ends_every_process_it_started(tmp_path):
    """``publishing._run`` with ``stop``: the build's whole process group
    ends (here a child that would run a minute, as Pagefind runs)."""
    script = (
        "import subprocess, sys, time\n"
        "sleep = 'import time; time.sleep(60)'\n"
        "child = subprocess.Popen([sys.executable, '-c', sleep])\n"
        f"open({str(tmp_path / 'child')!r}, 'w').write(str(child.pid))\n"
        "time.sleep(60)\n"
    )
    stop = threading.Event()
    result = []
    thread = threading.Thread(
        target=lambda: result.append(
            publishing._run([sys.executable, "-c", script], tmp_path, None, stop)
        )
    )
    thread.start()
    child_file = tmp_path / "child"
    deadline = time.monotonic() + 30
    while not (child_file.is_file() and child_file.read_text()):
        assert time.monotonic() < deadline, "the build never started its child"
        time.sleep(0.05)
    child = int(child_file.read_text())
    stop.set()
    thread.join(timeout=30)
    assert result == [None]
    # The child is gone too (reaped by init once its parent died).
    deadline = time.monotonic() + 10
    while _alive(child):
        assert time.monotonic() < deadline, "the build's child outlived it"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (ended, not yet reaped) counts as gone.
    state = subprocess.run(
        ["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True
    ).stdout.strip()
    return bool(state) and not state.startswith("Z")


@pytest.mark.parametrize("cms", [False, True], ids=["livereload", "cms"])
def test_the_live_preview_builds_each_save_then_its_search(monkeypatch, cms):
    """``./dev livereload`` and ``./dev cms`` (whose first build is the one
    the form waits for): each save's build leaves the search to the next,
    which runs stoppable and ends before the next save's build."""
    import tasks
    from portal import live_reload

    asked = []

    def build_aside(output, settings_file, **given):
        asked.append((given["overrides"].get("PAGES_FIRST", False), given["stop"]))
        return output

    monkeypatch.setattr(publishing, "build_aside", build_aside)
    monkeypatch.setattr(publishing, "behind", lambda output: True)
    monkeypatch.setattr(
        live_reload, "serve", lambda root, host, port, watched, rebuild: rebuild()
    )
    tasks._livereload(free_port(), "127.0.0.1", drafts=cms, say_failed_checks=cms)
    # The first build, its search; a save, its search (stopped or done).
    assert [(later, stop is None) for later, stop in asked] == [
        (True, True),
        (False, False),
        (True, True),
        (False, False),
    ]
    assert all(stop.is_set() for later, stop in asked if stop is not None)


def test_a_background_build_says_only_why_it_failed(tmp_path, capfd):
    """The search's build after the save's: its report repeats the one the
    editor just read, so it is kept back, and shown only when it fails."""
    stop = threading.Event()

    def build(status: int) -> int | None:
        said = f"import sys; print('Build summary: 7 stories'); sys.exit({status})"
        return publishing._run([sys.executable, "-c", said], tmp_path, None, stop)

    assert build(0) == 0
    quiet = capfd.readouterr()
    assert "Build summary" not in quiet.out + quiet.err
    assert build(3) == 3
    assert "Build summary: 7 stories" in capfd.readouterr().err
