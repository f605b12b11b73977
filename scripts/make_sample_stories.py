"""Make the sample stories: real (synthetic) speech, exact transcripts, chapters.

Every sample story is written as a dialogue in ``scripts/sample_dialogues/<slug>.yml``
(speakers with an espeak-ng voice each, the turns, which turns open a chapter, the
front matter and the introduction). For each one this script

1. speaks every sentence with espeak-ng and trims the silence around it,
2. joins the sentences (short gaps inside a turn, ~0.4 s between turns; a turn that
   opens a chapter starts on a whole second so that "M:SS" in the front matter is
   exact),
3. writes ``content/stories/<slug>/transcript.vtt`` with one cue per sentence, timed
   from the sample counts of the joined audio,
4. encodes the audio with sox and ffmpeg into the story's format (mono, low rate,
   every file under 300 KB), and writes tags, chapters and cover art into it where
   the dialogue asks for them (ID3 CHAP/CTOC/APIC with mutagen, MP4 chapters with
   ffmpeg's FFMETADATA),
5. writes ``content/stories/<slug>/story.md`` and checks everything: the front matter
   against ``portal.schema.Story``, durations and sizes with mutagen, cue and
   chapter times against the duration, chapters embedded in the file against the
   front matter, and each story's distinctive word against the other transcripts.

Run it from anywhere with the project's venv:

    .venv/bin/python scripts/make_sample_stories.py            # make all, then check
    .venv/bin/python scripts/make_sample_stories.py common-ground
    .venv/bin/python scripts/make_sample_stories.py --check    # only check

The same dialogue gives the same cue times on every run (espeak-ng is
deterministic; sox runs in repeatable mode and ffmpeg in bit-exact mode).

A dialogue with a ``picture:`` also gets ``picture.jpg``, a drawing of its two people
(``scripts/sample_art.py``, Pillow: nothing fetched, no stock photos), named in the
front matter with its ``image_alt``. ``--pictures`` draws only the pictures and
updates the image lines of the existing story.md files, without speaking or encoding
anything again:

    .venv/bin/python scripts/make_sample_stories.py --pictures"""

from __future__ import annotations

import argparse
import array
import io
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DIALOGUES = ROOT / "scripts" / "sample_dialogues"
STORIES = ROOT / "content" / "stories"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

MAX_BYTES = 300 * 1000  # every sample audio file stays under 300 KB
PICTURE_FILE = "picture.jpg"
MASTER_RATE = 22050  # espeak-ng's own rate; all cue times are counted at it
SENTENCE_GAP = 0.22  # seconds of silence between sentences of one turn
TURN_GAP = 0.42  # seconds of silence between turns
TAIL = 0.6  # silence after the last word, so the last cue ends before the audio
TRIM_THRESHOLD = 200  # |sample| above this counts as sound when trimming
TRIM_MARGIN = 0.012  # seconds kept either side of the sound
ALBUM = "One Small Step (sample stories)"

# Per format: file name, the rate sox converts to, and how ffmpeg encodes it.
FORMATS = {
    "mp3": {
        "file": "conversation.mp3",
        "rate": 22050,
        "ffmpeg": ["-c:a", "libmp3lame", "-b:a", "32k", "-id3v2_version", "0",
                   "-write_id3v1", "0"],
    },
    "m4a": {
        "file": "conversation.m4a",
        "rate": 22050,
        "ffmpeg": ["-c:a", "aac", "-b:a", "32k", "-movflags", "+faststart"],
    },
    "ogg": {
        "file": "conversation.ogg",
        "rate": 16000,
        "ffmpeg": ["-c:a", "libvorbis", "-q:a", "0"],
    },
    "opus": {
        "file": "conversation.opus",
        "rate": 24000,
        "ffmpeg": ["-c:a", "libopus", "-b:a", "24k", "-application", "voip"],
    },
    "flac": {
        "file": "conversation.flac",
        "rate": 8000,
        "ffmpeg": ["-c:a", "flac", "-compression_level", "12", "-sample_fmt", "s16"],
    },
    "wav": {
        "file": "conversation.wav",
        "rate": 8000,
        "ffmpeg": None,  # sox writes it: 8 kHz, 8-bit unsigned PCM
    },
}  # fmt: skip

# A sentence ends at . ! or ? (and any closing quote) before a capital letter.
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[\"'(\[]?[A-Z0-9])")
WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


@dataclass
class Cue:
    start: int  # samples at MASTER_RATE
    end: int
    speaker: str
    text: str


@dataclass
class Built:
    slug: str
    spec: dict
    cues: list[Cue] = field(default_factory=list)
    chapters: list[tuple[int, str, str | None]] = field(default_factory=list)
    length: int = 0  # samples at MASTER_RATE


# --------------------------------------------------------------------------- speech


def run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"command failed: {' '.join(cmd)}\n{result.stderr.strip()}")


def sentences(text: str) -> list[str]:
    text = " ".join(text.split())
    return [part.strip() for part in SENTENCE_END.split(text) if part.strip()]


def speak(text: str, speaker: dict, workdir: Path) -> array.array:
    """One sentence as 16-bit samples at MASTER_RATE, silence trimmed."""
    out = workdir / "sentence.wav"
    cmd = ["espeak-ng", "-v", speaker["voice"], "-s", str(speaker.get("speed", 150))]
    cmd += [
        "-p",
        str(speaker.get("pitch", 50)),
        "-a",
        str(speaker.get("amplitude", 110)),
    ]
    cmd += ["-w", str(out), "--", text]
    run(cmd)
    with wave.open(str(out), "rb") as wav:
        if (wav.getnchannels(), wav.getsampwidth()) != (1, 2):
            raise SystemExit(f"espeak-ng gave an unexpected WAV for {speaker['voice']}")
        if wav.getframerate() != MASTER_RATE:
            raise SystemExit(
                f"voice {speaker['voice']} speaks at {wav.getframerate()} Hz;"
                f" use an espeak-ng voice at {MASTER_RATE} Hz"
            )
        samples = array.array("h", wav.readframes(wav.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    loud = [i for i, value in enumerate(samples) if abs(value) > TRIM_THRESHOLD]
    if not loud:
        raise SystemExit(f"espeak-ng produced silence for {text!r}")
    margin = int(TRIM_MARGIN * MASTER_RATE)
    first = max(0, loud[0] - margin)
    last = min(len(samples), loud[-1] + 1 + margin)
    return samples[first:last]


def build(slug: str, spec: dict, workdir: Path) -> tuple[Built, array.array]:
    """Speak every turn and join them; cue and chapter times in samples."""
    speakers = spec["speakers"]
    built = Built(slug, spec)
    master = array.array("h")
    for index, turn in enumerate(spec["turns"]):
        speaker = speakers[turn["speaker"]]
        if index:
            gap = len(master) + int(TURN_GAP * MASTER_RATE)
            if turn.get("chapter"):
                # A chapter starts on a whole second: "M:SS" is then exact.
                gap = math.ceil(gap / MASTER_RATE) * MASTER_RATE
            master.extend([0] * (gap - len(master)))
        if turn.get("chapter"):
            chapter = turn["chapter"]
            built.chapters.append(
                (len(master), chapter["title"], chapter.get("question"))
            )
        for number, sentence in enumerate(sentences(turn["text"])):
            if number:
                master.extend([0] * int(SENTENCE_GAP * MASTER_RATE))
            audio = speak(sentence, speaker, workdir)
            start = len(master)
            master.extend(audio)
            built.cues.append(Cue(start, len(master), speaker["name"], sentence))
    master.extend([0] * int(TAIL * MASTER_RATE))
    built.length = len(master)
    return built, master


def write_master(samples: array.array, path: Path) -> None:
    data = array.array("h", samples)
    if sys.byteorder == "big":
        data.byteswap()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(MASTER_RATE)
        wav.writeframes(data.tobytes())


# --------------------------------------------------------------------------- files


def ms(samples: int) -> int:
    return round(samples * 1000 / MASTER_RATE)


def vtt_time(samples: int) -> str:
    total = ms(samples)
    hours, rest = divmod(total, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_vtt(built: Built, path: Path) -> None:
    lines = [
        "WEBVTT",
        "",
        f"NOTE Generated by scripts/make_sample_stories.py from"
        f" scripts/sample_dialogues/{built.slug}.yml",
        "",
    ]
    for number, cue in enumerate(built.cues, start=1):
        lines += [
            str(number),
            f"{vtt_time(cue.start)} --> {vtt_time(cue.end)}",
            f"<v {cue.speaker}>{vtt_escape(cue.text)}",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")


def timecode(samples: int) -> str:
    seconds = samples // MASTER_RATE
    assert seconds * MASTER_RATE == samples, "chapters start on whole seconds"
    return f"{seconds // 60}:{seconds % 60:02d}"


def q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def front_matter(built: Built) -> str:
    spec = built.spec
    story = spec["story"]
    audio_name = FORMATS[spec["audio"]["format"]]["file"]
    out = [
        "---",
        f"# Generated by scripts/make_sample_stories.py from"
        f" scripts/sample_dialogues/{built.slug}.yml.",
        "# Edit the dialogue file and run the script again; do not edit this file.",
        f"id: {story['id']}",
        f"title: {q(story['title'])}",
        f"summary: {q(' '.join(story['summary'].split()))}",
        f"date: {story['date'].isoformat()}",
        "participants:",
    ]
    for speaker in spec["speakers"].values():
        out += [f"  - name: {q(speaker['name'])}"]
        out += [f"    description: {q(speaker['description'])}"]
    out += [f"relationship: {story['relationship']}"]
    location = story["location"]
    lat, lon = location["geo"]
    out += [
        "location:",
        f"  name: {q(location['name'])}",
        f"  geo: [{lat}, {lon}]",
        f"  country: {location.get('country', 'US')}",
        f"audio: {audio_name}",
        "transcript: transcript.vtt",
        *picture_lines(spec),
        f"topics: [{', '.join(story['topics'])}]",
        "chapters:",
    ]
    for start, title, question in built.chapters:
        out += [f'  - start: "{timecode(start)}"', f"    title: {q(title)}"]
        if question:
            out += [f"    question: {question}"]
    quote = story.get("quote")
    if quote:
        out += [
            "quote:",
            f'  start: "{quote["start"]}"',
            f'  end: "{quote["end"]}"',
            f"  text: {q(quote['text'])}",
        ]
    out += [
        f"featured: {'true' if story.get('featured') else 'false'}",
        f"status: {story['status']}",
    ]
    approval = story.get("approval")
    if approval:
        out += [
            "approval:",
            f"  approved_by: {q(approval['approved_by'])}",
            f"  approved_on: {approval['approved_on'].isoformat()}",
            f"  releases_signed: {'true' if approval['releases_signed'] else 'false'}",
        ]
    if story.get("staff"):
        out += ["staff:"]
        for key, value in story["staff"].items():
            out += [f"  {key}: {q(str(value))}"]
    out += ["---", ""]
    return "\n".join(out) + spec["body"].strip() + "\n"


def picture_lines(spec: dict) -> list[str]:
    """The front matter's image lines for a dialogue with a picture."""
    picture = spec.get("picture")
    if not picture:
        return []
    return [f"image: {PICTURE_FILE}", f"image_alt: {q(picture['alt'])}"]


def write_picture(slug: str, spec: dict) -> None:
    from sample_art import story_picture

    if spec.get("picture"):
        (STORIES / slug / PICTURE_FILE).write_bytes(story_picture(spec["picture"]))


def update_picture_lines(slug: str, spec: dict) -> None:
    """Put the image lines into an existing story.md (after ``transcript:``)."""
    path = STORIES / slug / "story.md"
    lines = [
        line
        for line in path.read_text(encoding="utf-8").split("\n")
        if not line.startswith(("image: ", "image_alt: "))
    ]
    at = lines.index("transcript: transcript.vtt") + 1
    lines[at:at] = picture_lines(spec)
    path.write_text("\n".join(lines), encoding="utf-8")


def artist(spec: dict) -> str:
    return " and ".join(s["name"] for s in spec["speakers"].values())


def ffmetadata_escape(value: str) -> str:
    return re.sub(r"([=;#\\\n])", r"\\\1", value)


def ffmetadata(built: Built) -> str:
    spec = built.spec
    lines = [";FFMETADATA1"]
    if spec["audio"].get("tags", True):
        lines += [
            f"title={ffmetadata_escape(spec['story']['title'])}",
            f"artist={ffmetadata_escape(artist(spec))}",
            f"album={ffmetadata_escape(ALBUM)}",
        ]
    if spec["audio"].get("chapters") and spec["audio"]["format"] == "m4a":
        for index, (start, title, _question) in enumerate(built.chapters):
            end = (
                built.chapters[index + 1][0]
                if index + 1 < len(built.chapters)
                else built.length
            )
            lines += [
                "[CHAPTER]",
                "TIMEBASE=1/1000",
                f"START={ms(start)}",
                f"END={ms(end)}",
                f"title={ffmetadata_escape(title)}",
            ]
    return "\n".join(lines) + "\n"


def cover_jpeg(spec: dict) -> bytes:
    """A tiny square cover: two overlapping speech bubbles on a warm ground."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (100, 100), (244, 236, 222))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 18, 62, 62), fill=(196, 74, 54))
    draw.polygon([(22, 56), (18, 74), (36, 60)], fill=(196, 74, 54))
    draw.ellipse((40, 34, 90, 78), fill=(38, 84, 124))
    draw.polygon([(78, 72), (84, 90), (66, 76)], fill=(38, 84, 124))
    draw.rectangle((0, 94, 99, 99), fill=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, optimize=True)
    return buffer.getvalue()


def write_id3(built: Built, path: Path) -> None:
    from mutagen.id3 import APIC, CHAP, CTOC, ID3, TALB, TIT2, TPE1, CTOCFlags

    spec = built.spec
    audio = spec["audio"]
    tags = ID3()
    if audio.get("tags", True):
        tags.add(TIT2(encoding=3, text=[spec["story"]["title"]]))
        tags.add(TPE1(encoding=3, text=[artist(spec)]))
        tags.add(TALB(encoding=3, text=[ALBUM]))
    if audio.get("chapters"):
        ids = [f"chp{index}" for index in range(len(built.chapters))]
        tags.add(
            CTOC(
                element_id="toc",
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[TIT2(encoding=3, text=["Chapters"])],
            )
        )
        for index, (start, title, _question) in enumerate(built.chapters):
            end = (
                built.chapters[index + 1][0]
                if index + 1 < len(built.chapters)
                else built.length
            )
            tags.add(
                CHAP(
                    element_id=ids[index],
                    start_time=ms(start),
                    end_time=ms(end),
                    start_offset=0xFFFFFFFF,
                    end_offset=0xFFFFFFFF,
                    sub_frames=[TIT2(encoding=3, text=[title])],
                )
            )
    if audio.get("cover"):
        tags.add(
            APIC(
                encoding=3,
                mime="image/jpeg",
                type=3,
                desc="Cover",
                data=cover_jpeg(spec),
            )
        )
    if tags:
        tags.save(str(path), v2_version=3)


def encode(built: Built, master: Path, folder: Path, workdir: Path) -> Path:
    spec = built.spec
    fmt = FORMATS[spec["audio"]["format"]]
    target = folder / fmt["file"]
    for old in folder.glob("conversation.*"):
        if old != target:
            old.unlink()
    if fmt["ffmpeg"] is None:
        run(["sox", "-R", "-V1", str(master), "-r", str(fmt["rate"]), "-b", "8",
             "-e", "unsigned-integer", str(target), "norm", "-1"])  # fmt: skip
        return target
    resampled = workdir / "resampled.wav"
    # No dither: silence stays digital silence, which FLAC and the codecs like.
    run(["sox", "-R", "-D", "-V1", str(master), "-r", str(fmt["rate"]), "-b", "16",
         str(resampled), "norm", "-1"])  # fmt: skip
    meta = workdir / "meta.txt"
    meta.write_text(ffmetadata(built), encoding="utf-8")
    cmd = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(resampled)]
    cmd += ["-i", str(meta), "-map", "0:a"]
    if spec["audio"]["format"] == "mp3":
        cmd += ["-map_metadata", "-1", "-map_chapters", "-1"]  # mutagen writes ID3
    else:
        cmd += ["-map_metadata", "1", "-map_chapters", "1"]
    cmd += ["-ac", "1", "-ar", str(fmt["rate"]), *fmt["ffmpeg"]]
    cmd += ["-fflags", "+bitexact", "-flags:a", "+bitexact", str(target)]
    run(cmd)
    if spec["audio"]["format"] == "mp3":
        write_id3(built, target)
    return target


# --------------------------------------------------------------------------- checks


def load_spec(path: Path) -> dict:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    if spec["audio"]["format"] not in FORMATS:
        raise SystemExit(f"{path}: audio.format must be one of {', '.join(FORMATS)}")
    return spec


def transcript_words(path: Path) -> set[str]:
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("<v "):
            words.update(WORD.findall(line.split(">", 1)[1].lower()))
    return words


def embedded_chapters(path: Path) -> list[tuple[float, str]] | None:
    """Chapters in the audio file itself, as (start seconds, title)."""
    import mutagen
    from mutagen.mp4 import MP4

    if path.suffix == ".mp3":
        tags = mutagen.File(path).tags
        if not tags or not tags.getall("CHAP"):
            return None
        chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
        return [(c.start_time / 1000, str(c.sub_frames["TIT2"])) for c in chaps]
    if path.suffix == ".m4a":
        chapters = MP4(path).chapters
        if not chapters:
            return None
        return [(c.start, c.title) for c in chapters]
    return None


def check(slug: str, spec: dict, all_words: dict[str, set[str]]) -> dict:
    import mutagen
    import webvtt

    from portal.frontmatter import split
    from portal.schema import Story
    from portal.typography import curly

    folder = STORIES / slug
    problems: list[str] = []
    story = Story.model_validate(split((folder / "story.md").read_text()).data)
    audio_path = folder / story.audio
    size = audio_path.stat().st_size
    info = mutagen.File(audio_path)
    if info is None:
        raise SystemExit(f"{audio_path}: mutagen cannot read it")
    duration = info.info.length
    if size >= MAX_BYTES:
        problems.append(f"audio is {size} bytes, over {MAX_BYTES}")
    captions = webvtt.read(str(folder / story.transcript))
    names = set(story.participant_names)
    voices = {caption.voice for caption in captions}
    if voices != names:
        problems.append(f"voices {sorted(voices)} differ from participants")
    last_end = max(caption.end_in_seconds for caption in captions)
    if last_end >= duration:
        problems.append(f"last cue ends at {last_end:.3f}s, audio is {duration:.3f}s")
    starts = [caption.start_in_seconds for caption in captions]
    if starts != sorted(starts):
        problems.append("cues are not in order")
    chapter_starts = [chapter.start for chapter in story.chapters]
    if chapter_starts != sorted(set(chapter_starts)):
        problems.append("chapter starts do not go up")
    if chapter_starts and chapter_starts[-1] >= duration:
        problems.append("a chapter starts after the end of the audio")
    embedded = embedded_chapters(audio_path)
    if spec["audio"].get("chapters"):
        expected = [(c.start, c.title) for c in story.chapters]
        # Titles as the site prints them (curly quotes and apostrophes); the
        # rendition podcast apps get is tagged with those.
        got = [(round(start, 2), curly(title)) for start, title in embedded or []]
        if got != [(round(start, 2), title) for start, title in expected]:
            problems.append(f"chapters in the file {got} differ from {expected}")
    word = spec["unique_word"].lower()
    if word not in all_words[slug]:
        problems.append(f"the distinctive word {word!r} is not in the transcript")
    others = [
        other for other, words in all_words.items() if other != slug and word in words
    ]
    if others:
        problems.append(f"the distinctive word {word!r} is also in {', '.join(others)}")
    if not 2 <= len(story.topics) <= 4:
        problems.append("topics: want 2 to 4")
    gate = "approved"
    if story.status != "published":
        gate = "draft"
    elif not story.approval or not story.approval.releases_signed:
        gate = "no releases"
    return {
        "slug": slug,
        "title": story.title,
        "format": audio_path.suffix[1:],
        "duration": duration,
        "size": size,
        "cues": len(captions),
        "chapters": len(story.chapters) if embedded is None else f"{len(embedded)}*",
        "gate": gate,
        "featured": story.featured,
        "word": word,
        "problems": problems,
    }


def print_table(rows: list[dict]) -> None:
    header = ("slug", "format", "duration", "size", "cues", "chap", "status", "word")
    lines = [header]
    for row in rows:
        status = row["gate"] + (" *featured" if row["featured"] else "")
        lines.append(
            (
                row["slug"],
                row["format"],
                f"{row['duration']:.2f}s",
                f"{row['size'] / 1000:.1f} KB",
                str(row["cues"]),
                str(row["chapters"]),
                status,
                row["word"],
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for number, line in enumerate(lines):
        print(
            "  ".join(
                cell.ljust(width) for cell, width in zip(line, widths, strict=True)
            ).rstrip()
        )
        if number == 0:
            print("  ".join("-" * width for width in widths))
    print("(chap: a * means the chapters are also embedded in the audio file)")
    for row in rows:
        for problem in row["problems"]:
            print(f"PROBLEM {row['slug']}: {problem}")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("slugs", nargs="*", help="only these stories (default: all)")
    parser.add_argument("--check", action="store_true", help="check, do not generate")
    parser.add_argument(
        "--pictures",
        action="store_true",
        help="draw only the pictures; update the story.md image lines",
    )
    args = parser.parse_args(argv)
    if args.pictures:
        specs = {path.stem: load_spec(path) for path in sorted(DIALOGUES.glob("*.yml"))}
        for slug in args.slugs or list(specs):
            write_picture(slug, specs[slug])
            update_picture_lines(slug, specs[slug])
        print("drew the pictures")
        return 0
    for tool in ("espeak-ng", "sox", "ffmpeg"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is not installed (apt-get install {tool})")
    specs = {path.stem: load_spec(path) for path in sorted(DIALOGUES.glob("*.yml"))}
    unknown = set(args.slugs) - set(specs)
    if unknown:
        raise SystemExit(f"no dialogue for: {', '.join(sorted(unknown))}")
    chosen = args.slugs or list(specs)
    if not args.check:
        for slug in chosen:
            spec = specs[slug]
            folder = STORIES / slug
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory() as tmp:
                workdir = Path(tmp)
                built, samples = build(slug, spec, workdir)
                master = workdir / "master.wav"
                write_master(samples, master)
                encode(built, master, folder, workdir)
            write_vtt(built, folder / "transcript.vtt")
            (folder / "story.md").write_text(front_matter(built), encoding="utf-8")
            write_picture(slug, spec)
            seconds = built.length / MASTER_RATE
            print(f"made {slug}: {len(built.cues)} cues, {seconds:.2f}s")
    all_words = {
        slug: transcript_words(STORIES / slug / "transcript.vtt")
        for slug in specs
        if (STORIES / slug / "transcript.vtt").exists()
    }
    rows = [check(slug, specs[slug], all_words) for slug in specs]
    print()
    print_table(rows)
    ids = [specs[slug]["story"]["id"] for slug in specs]
    if len(set(ids)) != len(ids):
        print("PROBLEM: two stories share an id")
        return 1
    return 1 if any(row["problems"] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
