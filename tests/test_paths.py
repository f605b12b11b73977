"""portal/paths.py: where a story's files really are."""

from __future__ import annotations

import os

import pytest

from portal.paths import StoryPathError, real_path, story_file


def test_real_path_resolves_links_as_realpath_does(tmp_path):
    real = tmp_path / "real"
    (real / "story").mkdir(parents=True)
    (real / "story" / "story.md").write_text("---\n")
    (tmp_path / "linked").symlink_to(real)  # a linked folder
    (real / "story" / "alias.md").symlink_to(real / "story" / "story.md")
    for path in [
        real / "story" / "story.md",
        tmp_path / "linked" / "story" / "story.md",  # through the folder link
        tmp_path / "linked" / "story" / "alias.md",  # a link itself
        tmp_path / "linked" / "story" / "missing.md",
    ]:
        assert real_path(str(path)) == os.path.realpath(path)
    assert real_path(str(tmp_path / "linked" / "story" / "alias.md")) == str(
        real / "story" / "story.md"
    )


def test_story_files_are_ordinary_files_inside_their_folder(tmp_path):
    """story_file: each kind of file a front matter can name, found with
    one lstat where it is an ordinary file right in the folder, and
    refused where it is not, through linked folders as through real ones."""
    outside = tmp_path / "secret.txt"
    outside.write_text("not the story's")
    stories = tmp_path / "real-stories"
    story = stories / "one"
    story.mkdir(parents=True)
    (story / "audio.mp3").write_bytes(b"ID3")
    (story / "art").mkdir()
    (story / "art" / "cover.jpg").write_bytes(b"\xff\xd8")
    (story / "alias.mp3").symlink_to(story / "audio.mp3")  # a link inside
    (story / "leak.txt").symlink_to(outside)  # a link out
    os.mkfifo(story / "pipe.vtt")
    (tmp_path / "stories").symlink_to(stories)  # the content's folder a link
    (tmp_path / "two").symlink_to(story)  # a story folder a link
    for folder in (story, tmp_path / "stories" / "one", tmp_path / "two"):
        real = os.path.realpath(folder)
        assert story_file(str(folder), "audio.mp3") == os.path.join(real, "audio.mp3")
        assert story_file(str(folder), "alias.mp3") == os.path.join(real, "alias.mp3")
        assert story_file(str(folder), "art/cover.jpg") == os.path.join(
            real, "art", "cover.jpg"
        )
        # Nothing there: the reader says the file is missing, not this.
        assert story_file(str(folder), "missing.vtt") == os.path.join(
            real, "missing.vtt"
        )
        for name, says in [
            ("leak.txt", "is a link to a file outside the story folder"),
            ("pipe.vtt", "is a named pipe (FIFO), not a file"),
            ("art", "is a folder, not a file"),
            ("../one/audio.mp3", "points outside the story folder"),
            ("/etc/passwd", "is an absolute path"),
        ]:
            with pytest.raises(StoryPathError) as refused:
                story_file(str(folder), name)
            assert says in str(refused.value), name
