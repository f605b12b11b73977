"""The audio plugin reads real files of every format podcast apps take."""

from __future__ import annotations

import logging
import os
import shutil

import pytest
from story_audio.audio import AudioError, read_audio
from story_audio.plugin import AudioCache

from portal.pelican_private import forget_logged_warnings
from tests.stories import AUDIO
from tests.support import CONTENT

# name: (size in bytes, duration in seconds, MIME type, container)
EXPECTED = {
    "speech.mp3": (15980, 3.944, "audio/mpeg", "MP3"),
    "speech.m4a": (26005, 3.927, "audio/x-m4a", "MP4"),
    "speech.ogg": (15504, 3.880, "audio/ogg", "OggVorbis"),
    "speech.opus": (11214, 3.880, "audio/ogg; codecs=opus", "OggOpus"),
    "speech.flac": (41478, 3.881, "audio/flac", "FLAC"),
    "speech.wav": (62132, 3.881, "audio/wav", "WAVE"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_reads_every_format(name):
    size, duration, mime, container = EXPECTED[name]
    info = read_audio(str(AUDIO / name))
    assert info.size == size
    assert info.duration == pytest.approx(duration, abs=0.01)
    assert info.whole_seconds == 3  # 3.88-3.93 s: down, as every page counts
    assert info.mime_type == mime
    assert info.container == container
    assert info.bitrate > 0
    assert info.sample_rate in (8000, 22050, 48000)
    assert info.channels in (1, 2)


def test_m4a_is_apples_mime_type_not_pythons():
    assert read_audio(str(AUDIO / "speech.m4a")).mime_type == "audio/x-m4a"


def test_id3_chapters_tags_and_cover(tmp_path):
    info = read_audio(str(AUDIO / "chapters.mp3"), cover_dir=str(tmp_path))
    assert [(c.start, c.end, c.title) for c in info.chapters] == [
        (0.0, 1.5, "Where you grew up"),
        (1.5, 3.0, "What shaped your views"),
    ]
    assert info.tags == {"title": "Fixture conversation", "artist": "One Small Step"}
    assert info.cover_mime == "image/jpeg"
    cover = tmp_path / info.cover_sha1
    assert cover.read_bytes()[:3] == b"\xff\xd8\xff"


def test_mp4_chapters():
    info = read_audio(str(AUDIO / "chapters.m4a"))
    assert [c.title for c in info.chapters] == [
        "Where you grew up",
        "What shaped your views",
    ]
    assert info.chapters[1].start == pytest.approx(1.5, abs=0.05)
    # The last chapter runs to the end of the audio.
    assert info.chapters[1].end == pytest.approx(info.duration)
    assert info.tags["title"] == "Fixture conversation"


def _truncate(source, target, fraction=0.6):
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])
    return target


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_truncated_file_is_an_error(tmp_path, name):
    broken = _truncate(AUDIO / name, tmp_path / name)
    with pytest.raises(AudioError) as caught:
        read_audio(str(broken))
    assert name in caught.value.problem
    assert "cut short" in caught.value.problem


@pytest.mark.parametrize(
    ("name", "make", "problem", "fix"),
    [
        ("empty.mp3", lambda p: p.write_bytes(b""), "is empty (0 bytes)", "copy"),
        (
            "noise.mp3",
            lambda p: p.write_bytes(bytes(range(256)) * 20),
            "cannot be read as audio",
            "export the audio again",
        ),
        (
            "mislabeled.m4a",
            lambda p: shutil.copy(AUDIO / "speech.mp3", p),
            "holds MP3 audio but is named .m4a",
            "rename it to end in .mp3",
        ),
        (
            "pointer.mp3",
            lambda p: p.write_text(
                "version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 9\n"
            ),
            "is a Git LFS pointer",
            "git lfs pull",
        ),
        (
            "notes.mp3",
            lambda p: p.write_text("Interview notes: ask about the farm.\n" * 40),
            "is a text file, not audio",
            "put the conversation's audio file in the story folder",
        ),
        (
            "photo.mp3",
            lambda p: shutil.copy(CONTENT / "stories/common-ground/picture.jpg", p),
            "is a picture, not audio",
            "write its name in 'audio:'",
        ),
        ("missing.mp3", lambda p: None, "does not exist", "add the file"),
        ("talk.aiff", lambda p: p.write_bytes(b"FORM"), "not a format", "use MP3"),
    ],
)
def test_broken_audio_names_the_file_and_the_fix(tmp_path, name, make, problem, fix):
    path = tmp_path / name
    make(path)
    with pytest.raises(AudioError) as caught:
        read_audio(str(path))
    assert f"'{name}'" in caught.value.problem
    assert problem in caught.value.problem
    assert fix in caught.value.fix


def _examined(caplog) -> list[str]:
    """The files the audio plugin opened with mutagen, from its debug log
    (read since the last call: Pelican's log filter, which drops a message
    it has seen before in this process, forgets them too)."""
    found = [
        r.getMessage() for r in caplog.records if "(not in the cache)" in r.getMessage()
    ]
    caplog.clear()
    forget_logged_warnings()
    return found


def test_cache_reads_each_content_once_wherever_it_is(tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="story_audio")
    forget_logged_warnings()
    audio = tmp_path / "a.mp3"
    shutil.copy(AUDIO / "speech.mp3", audio)
    cache_dir = tmp_path / "cache"
    first = AudioCache(str(cache_dir))
    info = first.info(str(audio))
    first.save()
    assert _examined(caplog) == [f"[story_audio] reading {audio} (not in the cache)"]

    # A fresh checkout: the same bytes, a new file with a new mtime.
    audio.unlink()
    shutil.copyfile(AUDIO / "speech.mp3", audio)
    os.utime(audio, ns=(2_000_000_000, 2_000_000_000))
    again = AudioCache(str(cache_dir))
    assert again.info(str(audio)) == info
    again.save()
    assert _examined(caplog) == []

    # Same path, new content, even with the old size and mtime: read again.
    stat = audio.stat()
    data = (AUDIO / "speech.ogg").read_bytes()[: stat.st_size]
    audio.write_bytes(data.ljust(stat.st_size, b"\0"))
    os.utime(audio, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    changed = AudioCache(str(cache_dir))
    with pytest.raises(AudioError, match="holds OggVorbis audio"):
        changed.info(str(audio))
    assert len(_examined(caplog)) == 1


def test_the_same_bytes_under_another_name_are_read_for_that_name(tmp_path):
    """The name is part of the key: a file's extension is checked against
    what it holds, and the facts name the file."""
    cache = AudioCache(str(tmp_path / "cache"))
    right = tmp_path / "a.mp3"
    wrong = tmp_path / "a.m4a"
    shutil.copy(AUDIO / "speech.mp3", right)
    shutil.copy(AUDIO / "speech.mp3", wrong)
    assert cache.info(str(right)).filename == "a.mp3"
    with pytest.raises(AudioError, match=r"holds MP3 audio but is named \.m4a"):
        cache.info(str(wrong))


@pytest.mark.parametrize(
    "path",
    sorted((CONTENT / "stories").glob("*/conversation.*")),
    ids=lambda path: path.name,
)
def test_every_sample_master_reads_without_a_false_padding_error(path):
    """Ogg and Opus masters larger than the tail mutagen searches: their last
    page's place in the file is counted from the file's start (it was once
    counted from the tail, and every such file looked padded)."""
    info = read_audio(str(path))
    assert info.duration > 1 and info.size == path.stat().st_size
