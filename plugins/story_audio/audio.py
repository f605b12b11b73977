"""What an audio file holds, read with mutagen from its headers only.

Mutagen reads the headers, tags and index of a file; it never decodes the
audio, so a 100 MB conversation costs a few kilobytes of reading."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os

import mutagen
import puremagic
from mutagen.flac import FLAC
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, MPEGFrame
from mutagen.mp3._util import XingHeader, XingHeaderError
from mutagen.mp4 import MP4
from mutagen.ogg import OggFileType, OggPage
from mutagen.ogg import error as OggError

from portal import timecode
from portal.mime import AUDIO_CONTAINERS, AUDIO_MIME_TYPES
from portal.problems import FixableError
from portal.sizes import human_size
from portal.writing import write_atomically

LFS_POINTER_PREFIX = b"version https://git-lfs.github.com/spec/v1"

# What a file mutagen cannot read is said to be, by its MIME type's start.
_NOT_AUDIO = {
    "image/": "a picture",
    "text/": "a text file",
    "application/pdf": "a PDF document",
    "application/vnd.": "an office document",
    "application/zip": "a ZIP archive",
}


def _refuse_what_is_not_audio(path: str, filename: str) -> None:
    """AudioError naming what the file is when it is plainly something else
    (a picture or a text saved under the audio's name): "damaged" would send
    the editor to export the audio again."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    try:
        found = puremagic.magic_string(head)
    except puremagic.PureError:
        found = []
    types = [match.mime_type for match in found]
    if any(t.startswith(("audio/", "video/")) for t in types):
        return  # audio after all: damaged or cut short, as said after this
    what = next(
        (
            name
            for t in types[:1]
            for start, name in _NOT_AUDIO.items()
            if t.startswith(start)
        ),
        None,
    )
    if what is None and not found and b"\0" not in head:
        try:
            head.decode("utf-8")
            what = "a text file"
        except UnicodeDecodeError:
            pass  # cut in the middle of a character, or not text
    if what:
        raise AudioError(
            f"'{filename}' is {what}, not audio",
            "put the conversation's audio file in the story folder (MP3, M4A, "
            "WAV, FLAC, Ogg or Opus) and write its name in 'audio:'",
        )


FORMAT_LABELS = {
    "MP3": "MP3",
    "MP4": "M4A",
    "OggVorbis": "Ogg",
    "OggOpus": "Opus",
    "FLAC": "FLAC",
    "WAVE": "WAV",
}


class AudioError(FixableError):
    """An audio file we cannot publish: ``problem`` and ``fix`` for editors."""


@dataclasses.dataclass
class AudioChapter:
    start: float
    end: float | None
    title: str


@dataclasses.dataclass
class AudioInfo:
    filename: str
    size: int  # bytes on disk, the enclosure length
    mime_type: str
    container: str  # MP3, MP4, OggVorbis, OggOpus, FLAC, WAVE
    duration: float  # seconds
    bitrate: int  # bits per second (estimated for VBR)
    sample_rate: int
    channels: int
    tags: dict[str, str]
    chapters: list[AudioChapter]
    cover_mime: str | None = None
    cover_sha1: str | None = None  # the cover's bytes live in the cache folder

    @property
    def format_label(self) -> str:
        """The name listeners know the format by."""
        return FORMAT_LABELS.get(self.container, self.container)

    @property
    def whole_seconds(self) -> int:
        """The length as every page and the feed print it (at least 1)."""
        return max(1, timecode.whole_seconds(self.duration))

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> AudioInfo:
        data = dict(data)
        data["chapters"] = [AudioChapter(**c) for c in data["chapters"]]
        return cls(**data)


def read_audio(path: str, cover_dir: str | None = None) -> AudioInfo:
    """Read an audio file's facts or raise AudioError saying what is wrong."""
    filename = os.path.basename(path)
    extension = os.path.splitext(filename)[1].lower()
    if extension not in AUDIO_MIME_TYPES:
        raise AudioError(
            f"'{filename}' is not a format podcast apps play",
            "use MP3, M4A, Ogg Vorbis, Opus, FLAC or WAV",
        )
    if not os.path.isfile(path):
        raise AudioError(
            f"'{filename}' does not exist in the story folder",
            "add the file or correct the name in the front matter",
        )
    size = os.path.getsize(path)
    if size == 0:
        raise AudioError(
            f"'{filename}' is empty (0 bytes)", "copy the audio file again"
        )
    with open(path, "rb") as handle:
        head = handle.read(len(LFS_POINTER_PREFIX))
    if head == LFS_POINTER_PREFIX:
        raise AudioError(
            f"'{filename}' is a Git LFS pointer, not the audio itself",
            "install Git LFS and run 'git lfs pull' to fetch the audio",
        )
    try:
        audio = mutagen.File(path)
    except mutagen.MutagenError as error:
        _refuse_what_is_not_audio(path, filename)
        raise AudioError(
            f"'{filename}' cannot be read as audio, it is damaged or cut short "
            f"({error})",
            "export the audio again from your editor; the file is damaged",
        ) from error
    if audio is None or audio.info is None:
        _refuse_what_is_not_audio(path, filename)
        raise AudioError(
            f"'{filename}' is not audio in any format we know",
            "export the audio again as MP3 or M4A",
        )
    container = _container(audio)
    expected = AUDIO_CONTAINERS[extension]
    if container != expected:
        right = _extension_for(container)
        raise AudioError(
            f"'{filename}' holds {container} audio but is named {extension}",
            f"rename it to end in {right}" if right else "export it again",
        )
    _check_complete(audio, path, size, filename)
    duration = float(getattr(audio.info, "length", 0) or 0)
    if duration <= 0:
        raise AudioError(
            f"'{filename}' has no length (0 seconds of audio)",
            "export the audio again; the file holds no sound",
        )
    cover_mime, cover_data = _cover(audio)
    cover_sha1 = None
    if cover_data:
        cover_sha1 = hashlib.sha1(cover_data).hexdigest()
        if cover_dir:
            target = os.path.join(cover_dir, cover_sha1)
            if not os.path.exists(target):
                write_atomically(target, cover_data)
    bitrate = int(getattr(audio.info, "bitrate", 0) or 0)
    if not bitrate:
        bitrate = int(size * 8 / duration)
    return AudioInfo(
        filename=filename,
        size=size,
        mime_type=AUDIO_MIME_TYPES[extension],
        container=container,
        duration=duration,
        bitrate=bitrate,
        # Opus always decodes at 48 kHz; mutagen leaves the field out.
        sample_rate=int(getattr(audio.info, "sample_rate", 0) or 0)
        or (48000 if container == "OggOpus" else 0),
        channels=int(getattr(audio.info, "channels", 0) or 0),
        tags=_tags(audio),
        chapters=_chapters(audio, duration),
        cover_mime=cover_mime,
        cover_sha1=cover_sha1,
    )


def _container(audio) -> str:
    name = type(audio).__name__
    return {"WAVE": "WAVE", "MP4": "MP4", "MP3": "MP3", "FLAC": "FLAC"}.get(name, name)


def _extension_for(container: str) -> str | None:
    for extension, name in AUDIO_CONTAINERS.items():
        if name == container:
            return extension
    return None


def _check_complete(audio, path: str, size: int, filename: str) -> None:
    """Catch files cut short in copying, from the sizes their headers promise."""
    truncated = AudioError(
        f"'{filename}' is cut short: its header promises more audio "
        "than the file holds",
        "copy or export the file again in full",
    )
    with open(path, "rb") as handle:
        if isinstance(audio, MP3):
            offset = audio.info.frame_offset + XingHeader.get_offset(audio.info)
            handle.seek(offset)
            try:
                xing = XingHeader(handle)
            except XingHeaderError:
                xing = None
            if (
                xing is not None
                and xing.bytes > 0
                and size - audio.info.frame_offset < xing.bytes * 0.99
            ):
                raise truncated
        elif isinstance(audio, MP4):
            if not _mp4_atoms_fit(handle, size):
                raise truncated
        elif isinstance(audio, OggFileType):
            last = OggPage.find_last(handle, audio.info.serial, finishing=True)
            if last is None or not last.last:
                raise truncated
        elif isinstance(audio, FLAC):
            if not _flac_frames_complete(handle, size, audio.info):
                raise truncated
        elif _container(audio) == "WAVE" and not _riff_chunks_fit(handle, size):
            raise truncated
        end = _audio_end(audio, handle, size)
    # Anything after the end of the audio (junk appended, another file glued
    # on) would be sent to every listener and announced as the episode's
    # size: a little room for end tags (ID3v1, APE), nothing more.
    if end is not None and size - end > PADDING_ALLOWED:
        at_least = "" if end > size - MP3_TAIL else "at least "
        raise AudioError(
            f"'{filename}' has {at_least}{human_size(size - end)} of data after "
            "the end of its audio",
            "export the audio again from your editor (something was appended "
            "to the file)",
        )


# Bytes a file may hold after its audio ends: end tags (ID3v1 is 128 bytes,
# an APEv2 tag a few kilobytes) and a CBR MP3's estimate.
PADDING_ALLOWED = 64 * 1024


def _audio_end(audio, handle, size: int) -> int | None:
    """Where the audio data ends in the file, when its headers say; None
    when they do not (the file is then taken as it is)."""
    if isinstance(audio, MP3):
        offset = audio.info.frame_offset
        handle.seek(offset + XingHeader.get_offset(audio.info))
        try:
            xing = XingHeader(handle)
        except XingHeaderError:
            xing = None
        if xing is not None and xing.bytes > 0:
            return offset + xing.bytes
        # No Xing header (constant bitrate): mutagen takes the length from
        # the file's size, so follow the frames at the end of the file.
        return _mp3_frames_end(handle, size, offset)
    if _container(audio) == "WAVE":
        handle.seek(4)
        riff = int.from_bytes(handle.read(4), "little")
        return 8 + riff + (riff & 1)
    if isinstance(audio, OggFileType):
        return _ogg_end(handle, size, audio.info.serial)
    return None


# How much of an Ogg file's end is searched for its last page (mutagen's own
# figure: a page is at most 65,307 bytes).
OGG_TAIL = 256 * 256


def _ogg_end(handle, size: int, serial: int) -> int | None:
    """Where the stream's last page ends in the file.

    ``OggPage.find_last`` reads that page from a copy of the file's tail, so
    its ``offset`` counts from the tail, not the file: the page is found
    here the same way, with the tail's place in the file kept."""
    start = max(0, size - OGG_TAIL)
    handle.seek(start)
    tail = handle.read()
    index = tail.rfind(b"OggS")
    if index >= 0:
        try:
            page = OggPage(io.BytesIO(tail[index:]))
        except (OggError, EOFError):
            page = None
        if page is not None and page.serial == serial:
            return start + index + len(page.write())
    # Not the stream's page (several streams in one file): mutagen walks
    # the whole file, and its pages then carry their real offsets.
    last = OggPage.find_last(handle, serial, finishing=True)
    return None if last is None else last.offset + len(last.write())


# How much of an MP3's end is read to find where its frames stop.
MP3_TAIL = 256 * 1024


def _mp3_frames_end(handle, size: int, first_frame: int) -> int:
    """Where the last run of MPEG frames in the file's tail ends (a run of
    three frames or more, each header where the one before it ends); the
    tail's start if there is none (the tail is all something else)."""
    start = max(first_frame, size - MP3_TAIL)
    handle.seek(start)
    tail = handle.read(size - start)
    stream = io.BytesIO(tail)
    end = None
    position = tail.find(b"\xff")
    while 0 <= position <= len(tail) - 4:
        frames, at = 0, position
        while at + 4 <= len(tail):
            stream.seek(at)
            try:
                MPEGFrame(stream)
            except Exception:
                break
            at = stream.tell()
            frames += 1
        if frames >= 3:
            end = min(at, len(tail))
            position = tail.find(b"\xff", end)
        else:
            position = tail.find(b"\xff", position + 1)
    return start + (end if end is not None else 0)


def _mp4_atoms_fit(handle, size: int) -> bool:
    position = 0
    while position + 8 <= size:
        handle.seek(position)
        header = handle.read(16)
        length = int.from_bytes(header[:4], "big")
        if length == 1:
            length = int.from_bytes(header[8:16], "big")
        elif length == 0:
            # "To the end of the file", for a box with a real type only:
            # zeros appended to the file read as a box of size 0 too.
            return header[4:8].isascii() and header[4:8].isalnum()
        if length < 8:
            return False
        position += length
    return position == size


def _flac_frames_complete(handle, size: int, info) -> bool:
    """Does the last frame in the file reach the sample count STREAMINFO gives?

    Reads only the file's tail: finds the last frame header (sync code and a
    matching CRC-8) and decodes where that frame starts."""
    total = info.total_samples
    if not total:
        return True
    tail_size = min(size, 4 * max(info.max_framesize or 0, 16384))
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    position = len(tail)
    while True:
        position = max(
            tail.rfind(b"\xff\xf8", 0, position), tail.rfind(b"\xff\xf9", 0, position)
        )
        if position < 0:
            return False
        start = _flac_frame_start(tail, position, info.max_blocksize)
        if start is not None:
            return start + info.max_blocksize >= total - info.max_blocksize // 2
        # a false sync inside audio data; keep looking further back


def _flac_frame_start(data: bytes, at: int, blocksize: int) -> int | None:
    """The first sample of the frame whose header starts at ``at``, or None."""
    header = data[at : at + 16]
    if len(header) < 6:
        return None
    variable = header[1] & 1
    first = header[4]
    extra = 0
    if first < 0x80:
        number = first
    else:
        extra = 1
        while first & (0x80 >> (extra + 1)) and extra < 6:
            extra += 1
        number = first & (0x7F >> (extra + 1))
        for byte in header[5 : 5 + extra]:
            if byte & 0xC0 != 0x80:
                return None
            number = (number << 6) | (byte & 0x3F)
    end = 5 + extra
    size_code, rate_code = header[2] >> 4, header[2] & 0x0F
    end += {6: 1, 7: 2}.get(size_code, 0) + {12: 1, 13: 2, 14: 2}.get(rate_code, 0)
    if end >= len(header) or _crc8(header[:end]) != header[end]:
        return None
    return number if variable else number * blocksize


def _crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def _riff_chunks_fit(handle, size: int) -> bool:
    handle.seek(12)
    position = 12
    while position + 8 <= size:
        handle.seek(position)
        header = handle.read(8)
        length = int.from_bytes(header[4:8], "little")
        position += 8 + length + (length & 1)
        if position > size + 1:  # some writers omit the final pad byte
            return False
    return True


def _tags(audio) -> dict[str, str]:
    tags = audio.tags
    if tags is None:
        return {}
    if isinstance(tags, ID3):
        names = {"TIT2": "title", "TPE1": "artist", "TALB": "album", "TDRC": "date",
                 "TCON": "genre", "COMM": "comment"}  # fmt: skip
        out = {}
        for frame_id, name in names.items():
            frames = tags.getall(frame_id)
            if frames and frames[0].text:
                out[name] = str(frames[0].text[0])
        return out
    if isinstance(audio, MP4):
        names = {"\xa9nam": "title", "\xa9ART": "artist", "\xa9alb": "album",
                 "\xa9day": "date", "\xa9gen": "genre",
                 "\xa9cmt": "comment"}  # fmt: skip
        return {name: str(tags[key][0]) for key, name in names.items() if tags.get(key)}
    # Vorbis comments (Ogg, Opus, FLAC) and RIFF INFO: lists of strings.
    out = {}
    for name in ("title", "artist", "album", "date", "genre", "comment"):
        try:
            values = tags.get(name) if hasattr(tags, "get") else None
        except (KeyError, ValueError):
            values = None
        if values:
            out[name] = str(values[0])
    return out


def _chapters(audio, duration: float) -> list[AudioChapter]:
    chapters = []
    if isinstance(audio.tags, ID3):
        for frame in sorted(audio.tags.getall("CHAP"), key=lambda f: f.start_time):
            title_frames = frame.sub_frames.getall("TIT2")
            title = str(title_frames[0].text[0]) if title_frames else frame.element_id
            end = frame.end_time / 1000 if frame.end_time else None
            chapters.append(AudioChapter(frame.start_time / 1000, end, title))
    elif isinstance(audio, MP4) and audio.chapters:
        for chapter in audio.chapters:
            chapters.append(
                AudioChapter(float(chapter.start), None, str(chapter.title))
            )
    # Fill in ends from the next chapter's start, the last from the duration.
    for index, chapter in enumerate(chapters):
        if chapter.end is None:
            following = chapters[index + 1].start if index + 1 < len(chapters) else None
            chapter.end = following if following is not None else duration
    return chapters


def _cover(audio) -> tuple[str | None, bytes | None]:
    tags = audio.tags
    if isinstance(tags, ID3):
        pictures = tags.getall("APIC")
        if pictures:
            return pictures[0].mime or "image/jpeg", bytes(pictures[0].data)
    elif isinstance(audio, MP4) and tags and tags.get("covr"):
        cover = tags["covr"][0]
        mime = "image/png" if cover.imageformat == cover.FORMAT_PNG else "image/jpeg"
        return mime, bytes(cover)
    elif hasattr(audio, "pictures") and audio.pictures:
        return audio.pictures[0].mime, bytes(audio.pictures[0].data)
    return None, None
