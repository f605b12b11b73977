"""The walk of the story folders that finds files no story is read from."""

from __future__ import annotations

import os

from portal import skipped


def _tree(root):
    (root / "story-a" / "words").mkdir(parents=True)
    (root / "story-a" / "story.md").write_text("---\n---\n")
    (root / "story-a" / "words" / "transcript.vtt").write_text("WEBVTT\n")
    (root / ".hidden" / "deep").mkdir(parents=True)
    (root / ".hidden" / "deep" / "story.md").write_text("---\n---\n")
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "story.md").write_text("---\n---\n")
    (root / "linked").symlink_to(root / "elsewhere", target_is_directory=True)
    (root / "dangling").symlink_to(root / "gone", target_is_directory=True)
    (root / "notes.md").write_text("not a story\n")


def _sorted(walk):
    return sorted((top, sorted(dirs), sorted(files)) for top, dirs, files in walk)


def test_the_walk_is_os_walks_without_going_into_linked_folders(tmp_path):
    _tree(tmp_path)
    assert _sorted(skipped._walk(str(tmp_path))) == _sorted(os.walk(tmp_path))
    # A link to a folder is named among the folders, and not walked into.
    tops = [top for top, _, _ in skipped._walk(str(tmp_path))]
    assert str(tmp_path / "linked") not in tops
    assert str(tmp_path / "elsewhere") in tops


def test_folders_taken_out_by_the_caller_are_not_walked(tmp_path):
    _tree(tmp_path)
    seen = []
    for top, dirs, _ in skipped._walk(str(tmp_path)):
        seen.append(top)
        for name in [d for d in dirs if d.startswith(".")]:
            dirs.remove(name)
    assert str(tmp_path / ".hidden") not in seen
    assert str(tmp_path / "story-a" / "words") in seen
    assert list(skipped._walk(str(tmp_path / "no-such-folder"))) == []
