"""Tags for a rendition, written with mutagen: what apps show and skip to.

MP3: ID3v2.3 (the version every app and operating system reads): title,
the two participants, the show, the recording and release dates, the story
page, the artwork, and chapters as ID3 chapter frames (a CTOC table of
contents and one CHAP a chapter, each with its title and a URL to that moment
on the story page), which apps read when a feed's JSON chapters are missing.

M4A: the same in MP4 atoms; mutagen cannot write MP4 chapters, so ffmpeg
copies the audio (no re-encoding) into a file with a chapter list first."""

from __future__ import annotations

import dataclasses
import os
import shutil

from mutagen.id3 import (
    APIC,
    CHAP,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TDRL,
    TIT2,
    TPE1,
    WOAF,
    WXXX,
    CTOCFlags,
)
from mutagen.mp4 import MP4, MP4Cover

from portal.writing import atomic_path

from . import ffmpeg

TOC_ID = "toc"
GENRE = "Podcast"


@dataclasses.dataclass(frozen=True)
class Chapter:
    start: float  # seconds
    end: float
    title: str
    url: str


@dataclasses.dataclass(frozen=True)
class Tags:
    title: str
    participants: tuple[str, ...]
    show: str
    recorded: str  # ISO date
    released: str  # ISO date
    page_url: str
    chapters: tuple[Chapter, ...]

    def to_json(self) -> dict:
        # What dataclasses.asdict gives, made directly: asdict deep-copies
        # field by field, seconds of every build at 10,000 stories.
        return {
            "title": self.title,
            "participants": self.participants,
            "show": self.show,
            "recorded": self.recorded,
            "released": self.released,
            "page_url": self.page_url,
            "chapters": tuple(
                {"start": c.start, "end": c.end, "title": c.title, "url": c.url}
                for c in self.chapters
            ),
        }


def chapter_id(index: int) -> str:
    return f"chp{index}"


def write(source: str, target: str, tags: Tags, artwork: bytes | None,
          fmt: str, duration: float) -> None:  # fmt: skip
    """Copy the encoded ``source`` to ``target`` with ``tags`` in it."""
    with atomic_path(target, os.path.splitext(target)[1]) as temporary:
        if fmt == "mp3":
            shutil.copyfile(source, temporary)
            _write_id3(temporary, tags, artwork, duration)
        else:
            _copy_with_mp4_chapters(source, temporary, tags, duration)
            _write_mp4(temporary, tags, artwork)


def _ms(seconds: float, duration: float) -> int:
    return round(min(max(seconds, 0.0), duration) * 1000)


def _write_id3(path: str, tags: Tags, artwork: bytes | None, duration: float):
    id3 = ID3()
    id3.add(TIT2(encoding=3, text=[tags.title]))
    id3.add(TPE1(encoding=3, text=list(tags.participants)))
    id3.add(TALB(encoding=3, text=[tags.show]))
    id3.add(TDRC(encoding=3, text=[tags.recorded]))
    id3.add(TDRL(encoding=3, text=[tags.released]))
    id3.add(TCON(encoding=3, text=[GENRE]))
    id3.add(WOAF(url=tags.page_url))
    if artwork:
        id3.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="Cover", data=artwork))
    if tags.chapters:
        ids = [chapter_id(i) for i in range(1, len(tags.chapters) + 1)]
        id3.add(
            CTOC(
                element_id=TOC_ID,
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[TIT2(encoding=3, text=["Chapters"])],
            )
        )
        for element_id, chapter in zip(ids, tags.chapters, strict=True):
            id3.add(
                CHAP(
                    element_id=element_id,
                    start_time=_ms(chapter.start, duration),
                    end_time=_ms(chapter.end, duration),
                    # "Offsets not used": times are what apps seek by.
                    start_offset=0xFFFFFFFF,
                    end_offset=0xFFFFFFFF,
                    sub_frames=[
                        TIT2(encoding=3, text=[chapter.title]),
                        WXXX(encoding=3, desc="", url=chapter.url),
                    ],
                )
            )
    id3.save(path, v2_version=3)


def _copy_with_mp4_chapters(source: str, target: str, tags: Tags, duration: float):
    if not tags.chapters:
        shutil.copyfile(source, target)
        return
    metadata = f"{target}.ffmeta"
    lines = [";FFMETADATA1"]
    for chapter in tags.chapters:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={_ms(chapter.start, duration)}",
            f"END={_ms(chapter.end, duration)}",
            "title=" + _ffmeta_escape(chapter.title),
        ]
    # (No -map_metadata -1 here: it would also drop the chapters' titles;
    # the encoded file holds no metadata to copy.)
    try:
        with open(metadata, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        ffmpeg.run(
            [
                "-y", "-i", source, "-f", "ffmetadata", "-i", metadata,
                "-map", "0:a", "-map_chapters", "1",
                "-c", "copy", "-movflags", "+faststart", "-f", "ipod", target,
            ],
            "adding chapters",
        )  # fmt: skip
    finally:
        if os.path.exists(metadata):
            os.remove(metadata)


def _ffmeta_escape(text: str) -> str:
    out = text.replace("\n", " ")
    for special in ("\\", "=", ";", "#"):
        out = out.replace(special, "\\" + special)
    return out


def _write_mp4(path: str, tags: Tags, artwork: bytes | None):
    mp4 = MP4(path)
    if mp4.tags is None:
        mp4.add_tags()
    mp4.tags["\xa9nam"] = [tags.title]
    mp4.tags["\xa9ART"] = [" & ".join(tags.participants)]
    mp4.tags["\xa9alb"] = [tags.show]
    mp4.tags["\xa9day"] = [tags.recorded]
    mp4.tags["\xa9gen"] = [GENRE]
    mp4.tags["purl"] = [tags.page_url]
    if artwork:
        mp4.tags["covr"] = [MP4Cover(artwork, imageformat=MP4Cover.FORMAT_JPEG)]
    mp4.save()
