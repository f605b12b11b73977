"""`./dev check` says what the build says about a story's master (silent,
clipped, one channel, far from the target) without making its rendition.

The check takes each master's measurement from the rendition cache and runs
ffmpeg's measurement only for a master the cache has none of; what it
measured is stored for the build. ffmpeg is observed through a stand-in on
PATH that writes down each run and then runs the real one."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import stat

from audio_rendition import loudness

from tests.stories import write_story
from tests.support import LEAN, build_site, copy_content, invoke
from tests.test_audio_rendition import _sox
from tests.test_check import _settings_for, run_check

S = "content/stories"
SILENT_WARNING = (
    f"{S}/quiet/story.md:17: audio: 'room.wav' is silent: it holds no sound"
    " loud enough to measure - check that the right file is committed, and"
    " export it again"
)
# Only the measurement of a master asks ffmpeg for each channel's levels.
MEASURING_FILTER = "astats="


def _silent_and_normal_stories(tmp_path):
    content = copy_content(tmp_path / "content")
    folder = write_story(content, "quiet", audio_fixture=None, audio="room.wav")
    _sox(folder / "room.wav", "sine", "300", "vol", "0")
    write_story(content, "normal", audio_fixture="speech.wav", audio="speech.wav")
    return content


def _ffmpeg_that_logs(folder, log):
    """A folder to put first on PATH: its ffmpeg writes its arguments to
    ``log`` and runs the real ffmpeg (the same version, so the same keys)."""
    real = shutil.which("ffmpeg")
    folder.mkdir()
    script = folder / "ffmpeg"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> {shlex.quote(str(log))}\n'
        f'exec {shlex.quote(real)} "$@"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return folder


def _runs(log) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def test_the_check_warns_like_the_build_and_measures_a_master_once(tmp_path):
    content = _silent_and_normal_stories(tmp_path)
    log = tmp_path / "ffmpeg-runs.log"
    wrapper = _ffmpeg_that_logs(tmp_path / "bin", log)

    def check():
        run = invoke(
            "check",
            "--content",
            str(content),
            "--settings",
            str(_settings_for(tmp_path)),
            env={
                "PATH": f"{wrapper}{os.pathsep}{os.environ['PATH']}",
                "AUDIO_RENDITION_CACHE_PATH": str(tmp_path / "renditions"),
                "GITHUB_ACTIONS": "true",
            },
        )
        assert run.returncode == 0, run.stdout + run.stderr  # warnings only
        return run.stdout

    first = check()
    assert f"  {SILENT_WARNING}" in first.splitlines()
    assert (
        f"::warning file={S}/quiet/story.md,line=17::audio: 'room.wav' is silent:"
        in first
    )
    assert f"{S}/normal/story.md" not in first
    measured = [run for run in _runs(log) if MEASURING_FILTER in run]
    assert len(measured) == 2, measured  # each master, once
    assert any("room.wav" in run for run in measured)
    assert any("speech.wav" in run for run in measured)

    runs_before = len(_runs(log))
    second = check()
    assert second == first
    again = _runs(log)[runs_before:]
    assert again, "the second check did not use the ffmpeg on PATH"
    assert not [run for run in again if MEASURING_FILTER in run]


def test_a_build_after_the_check_takes_the_measurement_it_stored(tmp_path, caplog):
    content = _silent_and_normal_stories(tmp_path)
    result = run_check(content, tmp_path)
    assert SILENT_WARNING in [str(problem) for problem in result.warnings]
    assert not [p for p in result.problems if p.path == f"{S}/normal/story.md"]

    # The normal master's stored measurement made to say it is clipped: a
    # build that measured the master itself would not say so.
    renditions = tmp_path / "cache" / "audio_rendition"
    stored = {
        path: loudness.MasterMeasurement.from_json(json.loads(path.read_text()))
        for path in renditions.glob("measured/*.json")
    }
    assert len(stored) == 2  # the silent master's and the normal one's
    [normal] = [path for path, measured in stored.items() if not measured.silent]
    data = json.loads(normal.read_text())
    data["channels"][0].update(peak_db=0.0, peak_count=99)
    normal.write_text(json.dumps(data))

    caplog.set_level("WARNING")
    build_site(
        content,
        tmp_path / "out",
        cache_dir=tmp_path / "build-cache",
        AUDIO_RENDITION_CACHE_PATH=str(renditions),
        **LEAN,
    )
    logged = [record.getMessage() for record in caplog.records]
    assert any(message.endswith(SILENT_WARNING) for message in logged)
    assert (
        f"{S}/normal/story.md:17: audio: 'speech.wav' is clipped: it reaches full"
        " scale 99 times - record again with a lower input level, or export the"
        " master again from a recording that is not clipped"
    ) in logged
