"""Publishing swaps in a new site only when the production build succeeds.

The builds here run the real ``python -m pelican`` with publishconf.py on a
copy of the project's content (pages, data) with stories the tests write, so
they do not depend on the sample stories of the moment."""

from __future__ import annotations

import hashlib
import logging
import pathlib

import pytest

from portal import publishing
from tests.stories import write_story
from tests.support import (
    LEAN,
    PROJECT_ROOT,
    build_site,
    copy_content,
    images_shared,
    renditions_cache,
)


def snapshot(folder: pathlib.Path) -> dict[str, str]:
    """Every file under ``folder`` (and every empty folder) with its hash."""
    state = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file():
            state[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir() and not any(path.iterdir()):
            state[name + "/"] = "empty folder"
    return state


def leftovers(parent: pathlib.Path, output: pathlib.Path) -> list[str]:
    """Anything publish left beside the output (staging or old copies)."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(output.name))


@pytest.fixture
def content(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "good-story", title="A good story")
    return content


def publish(content, output, tmp_path):
    """``./dev publish``'s build and swap. Without the pre-compressed copies
    and the search index, which these tests do not look at, with the podcast
    audio from the run's shared rendition cache and a new cache's pictures
    and funder logos from the run's (tests.support): each build drew,
    encoded and compressed them all again."""
    cache = tmp_path / "cache"
    with images_shared(cache):
        return publishing.publish(
            output,
            "publishconf.py",
            content_path=content,
            project_root=PROJECT_ROOT,
            overrides={
                "CACHE_PATH": str(cache),
                "AUDIO_RENDITION_CACHE_PATH": renditions_cache(),
                "AUDIO_RENDITION_PRUNE": False,
                **LEAN,
            },
        )


def test_a_successful_build_replaces_the_output(content, tmp_path):
    site = tmp_path / "site"
    output = site / "output"
    output.mkdir(parents=True)
    (output / "stale.html").write_text("from an older build")

    assert publish(content, output, tmp_path) == output.resolve()

    assert not (output / "stale.html").exists()
    assert (output / "index.html").is_file()
    assert (output / "stories/good-story/index.html").is_file()
    assert len(list((output / "stories/good-story").glob("good-story-*.mp3"))) == 1
    assert leftovers(site, output) == ["output"]


def test_publishing_creates_a_missing_output(content, tmp_path):
    output = tmp_path / "new" / "public"
    publish(content, output, tmp_path)
    assert (output / "stories/good-story/index.html").is_file()
    assert leftovers(output.parent, output) == ["public"]


def test_a_failed_build_leaves_the_previous_output_untouched(content, tmp_path):
    site = tmp_path / "site"
    output = site / "output"
    publish(content, output, tmp_path)
    (output / "empty-folder").mkdir()
    before = snapshot(output)
    assert "stories/good-story/index.html" in before

    # Published and approved, but its audio file is missing: strict builds stop.
    write_story(content, "broken-story", audio_fixture=None, audio="gone.mp3")
    with pytest.raises(publishing.PublishError, match="left as it was"):
        publish(content, output, tmp_path)

    assert snapshot(output) == before
    assert leftovers(site, output) == ["output"]


def test_the_swap_works_without_an_atomic_exchange(tmp_path, monkeypatch):
    monkeypatch.setattr(publishing, "_exchange", lambda first, second: False)
    old, new = tmp_path / "output", tmp_path / "output-new"
    old.mkdir()
    (old / "old.txt").write_text("old")
    new.mkdir()
    (new / "new.txt").write_text("new")

    publishing.swap_into_place(new, old)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]
    assert [p.name for p in old.iterdir()] == ["new.txt"]


def test_the_atomic_exchange_swaps_folders(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text("a")
    (second / "b.txt").write_text("b")
    if not publishing._exchange(first, second):
        pytest.skip("this system has no atomic folder exchange")
    assert [p.name for p in first.iterdir()] == ["b.txt"]
    assert [p.name for p in second.iterdir()] == ["a.txt"]


def test_the_manifest_lists_the_build_and_catches_any_change(tmp_path):
    """What a finished build lists (``write_manifest``) and what deploying
    checks (``read_manifest``): every file at its site path with its size, as
    ``os.walk`` finds them: a link to a folder is neither followed nor
    listed, a link to nothing is a file."""
    site = tmp_path / "output"
    (site / "stories" / "one" / "embed").mkdir(parents=True)
    (site / "index.html").write_text("<p>home</p>")
    (site / "stories" / "one" / "index.html").write_text("<p>one</p>")
    (site / "stories" / "one" / "embed" / "index.html").write_text("<p>e</p>")
    (site / "elsewhere").symlink_to(site / "stories")
    (site / "gone.mp3").symlink_to(site / "missing.mp3")
    publishing.write_manifest(site, production=True)
    listed = publishing.read_manifest(site)["files"]
    assert listed == {
        "index.html": 11,
        "stories/one/index.html": 10,
        "stories/one/embed/index.html": 8,
        "gone.mp3": len(str(site / "missing.mp3")),
    }
    (site / "stories" / "one" / "embed" / "extra.js").write_text("x")
    with pytest.raises(publishing.ManifestError, match=r"not made by its build"):
        publishing.read_manifest(site)
    (site / "stories" / "one" / "embed" / "extra.js").unlink()
    (site / "stories" / "one" / "embed" / "index.html").write_text("<p>e2</p>")
    with pytest.raises(publishing.ManifestError, match=r"changed since its build"):
        publishing.read_manifest(site)


def test_the_pelican_command_line():
    command = publishing.pelican_command(
        "publishconf.py",
        "/tmp/out",
        "/tmp/content",
        overrides={"CACHE_PATH": "/tmp/c", "X": True},
        python="python",
    )
    assert command == [
        "python",
        "-m",
        "pelican",
        "/tmp/content",
        "-s",
        "publishconf.py",
        "-o",
        "/tmp/out",
        "-e",
        'CACHE_PATH="/tmp/c"',
        "X=true",
    ]


def test_build_site_runs_again_in_the_same_process(tmp_path, caplog):
    """In-process builds share Pelican's plugin and logging state; two in a
    row each build their own content and each report their own problems."""
    caplog.set_level(logging.WARNING)
    outputs = []
    for name in ("first", "second"):
        # Same folder name both times: messages name "content/stories/...".
        content = copy_content(tmp_path / name / "content")
        write_story(content, f"{name}-story")
        write_story(content, "held", status="draft")
        caplog.clear()
        outputs.append(build_site(content, tmp_path / name / "output", **LEAN))
        held = [r for r in caplog.records if "held back" in r.getMessage()]
        assert len(held) == 1, f"build {name}: {[r.getMessage() for r in held]}"

    first, second = outputs
    assert (first / "stories/first-story/index.html").is_file()
    assert not (first / "stories/second-story").exists()
    assert (second / "stories/second-story/index.html").is_file()
    assert not (second / "stories/first-story").exists()
    assert not (second / "stories/held").exists()
