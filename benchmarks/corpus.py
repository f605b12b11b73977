"""A corpus of N realistic stories, written three ways from one seed.

- ``ours/``: the portal's own content folder: ``stories/<slug>/story.md`` with
  YAML front matter (participants, place, topics, chapters, approval), a
  WebVTT transcript of a 45-minute conversation's words (about 7,000 words
  in 300 turns, its cues squeezed into the audio's 4 minutes) and the
  audio, hard-linked from four real recordings; plus the project's campaign
  pages and data files.
- ``plain/``: the same Markdown bodies with Pelican's own metadata header,
  for bare Pelican with no plugins.
- ``hugo/``: the same Markdown bodies with YAML front matter, for Hugo.

The audio files are real: espeak-ng speech looped with pauses, made by
ffmpeg. Every story hard-links one of four recordings, so 10,000 stories
cost no extra disk for their masters, and every cue of every transcript
lies inside the audio's real duration: the corpus passes every check a
real story must pass.

The recordings last 4 minutes (``AUDIO_SECONDS``), not 45: every
published story gets a tagged delivery rendition of its own (kept in the
cache and hard-linked into the output), and 10,000 renditions of 45
minutes would not fit this machine's disk (10.8 MB each at the lowest
allowed bit rate, 108 GB). The transcripts keep their 300 turns and 7,000
words, so the text work is that of a 45-minute conversation. A quarter of
the stories have a WAV master, a quarter FLAC, half MP3 (``MASTERS``), as
editors' recorders and apps produce them. ``make_audio(..., long=True)``
makes the 45-minute MP3s that ``renditions.py`` uses.
"""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import random
import shutil
import subprocess

import yaml

PROJECT_ROOT = pathlib.Path(__file__).resolve().parent.parent
CONTENT = PROJECT_ROOT / "content"

AUDIO_SECONDS = 4 * 60  # seconds of audio, and the span of every transcript
LONG_AUDIO_SECONDS = 45 * 60  # the recordings renditions.py measures
TURNS = 300
WORDS = 7000
CHAPTERS = 7
# Stories are recorded on a day of these eight years (2017 to 2024).
FIRST_RECORDED = datetime.date(2017, 1, 1)
RECORDING_DAYS = 2900

# Four distinct recordings: (name, espeak voice, what is said).
AUDIO_SOURCES = [
    (
        "kitchen",
        "en-us+f3",
        "I grew up in a small town where everybody knew who voted which way, "
        "and we still showed up for each other when the river flooded.",
    ),
    (
        "porch",
        "en-us+m3",
        "My father worked the night shift for thirty years. He never told me "
        "how to vote, but he told me to listen before I argue.",
    ),
    (
        "diner",
        "en-us+f4",
        "I was nervous about this conversation. I thought you would be angry "
        "with me, and instead you asked about my daughter.",
    ),
    (
        "workshop",
        "en-us+m4",
        "We disagree about almost everything on the news, and we agree about "
        "almost everything that happens on our street.",
    ),
]

# The format each recording is committed in (a story's master is
# ``conversation.<format>``) and how ffmpeg makes it from the speech:
# lossless masters at 16 kHz (a speech recorder's setting), MP3 as a phone
# app or a podcast host would hand it over.
MASTERS = {
    "kitchen": ("wav", ["-ar", "16000", "-c:a", "pcm_s16le"]),
    "porch": ("flac", ["-ar", "16000", "-sample_fmt", "s16", "-c:a", "flac"]),
    "diner": ("mp3", ["-ar", "22050", "-c:a", "libmp3lame", "-b:a", "64k"]),
    "workshop": ("mp3", ["-ar", "22050", "-c:a", "libmp3lame", "-b:a", "64k"]),
}
# A produced podcast master's usual processing: gain, then a limiter (peaks
# about 12 dB above the loudness instead of 17).
MASTERING = "volume=12dB,alimiter=limit=0.4:attack=1:release=50:level=false"
# renditions.py's 45-minute recordings: 8 kbit/s mono MP3 (2.7 MB each).
LONG_MASTER = ("mp3", ["-ar", "8000", "-c:a", "libmp3lame", "-b:a", "8k"])

FIRST_NAMES = [
    "Ada",
    "Ben",
    "Carla",
    "Dev",
    "Elena",
    "Frank",
    "Grace",
    "Hector",
    "Imani",
    "James",
    "Keisha",
    "Luis",
    "Maria",
    "Nathan",
    "Olivia",
    "Paul",
    "Quinn",
    "Rosa",
    "Samuel",
    "Tara",
    "Umar",
    "Vera",
    "Walter",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Andre",
    "Bonnie",
    "Curtis",
    "Dolores",
    "Earl",
    "Fatima",
    "Gus",
    "Helen",
    "Isaac",
    "June",
    "Kurt",
    "Lena",
    "Marcus",
    "Nora",
]
LAST_NAMES = [
    "Lopez",
    "Carter",
    "Nguyen",
    "Brooks",
    "Okafor",
    "Schmidt",
    "Patel",
    "Romero",
    "Walsh",
    "Kim",
    "Jensen",
    "Haddad",
    "Morales",
    "Fischer",
    "Dubois",
    "Tanaka",
    "Reyes",
    "Lindqvist",
    "Moreno",
    "Abbott",
    "Whitaker",
    "Benning",
    "Quintana",
    "Brannigan",
    "Ostrowski",
    "Delgado",
    "Mercer",
    "Yazzie",
]
JOBS = [
    "retired teacher",
    "union electrician",
    "nurse",
    "dairy farmer",
    "pastor",
    "software developer",
    "truck driver",
    "city council member",
    "veteran",
    "small business owner",
    "librarian",
    "high school student",
    "welder",
    "social worker",
    "police officer",
    "graduate student",
    "rancher",
    "bus driver",
    "pharmacist",
    "stay-at-home parent",
]
PLACES = [
    ("Tulsa, Oklahoma", 36.154, -95.993),
    ("Austin, Texas", 30.267, -97.743),
    ("Birmingham, Alabama", 33.519, -86.810),
    ("Flagstaff, Arizona", 35.198, -111.651),
    ("Des Moines, Iowa", 41.587, -93.625),
    ("Boise, Idaho", 43.615, -116.202),
    ("Dayton, Ohio", 39.759, -84.192),
    ("Fresno, California", 36.738, -119.787),
    ("Lancaster, Pennsylvania", 40.038, -76.306),
    ("Missoula, Montana", 46.872, -113.994),
    ("Savannah, Georgia", 32.081, -81.091),
    ("Duluth, Minnesota", 46.787, -92.100),
    ("Wichita, Kansas", 37.687, -97.330),
    ("Bangor, Maine", 44.801, -68.778),
    ("El Paso, Texas", 31.762, -106.485),
    ("Spokane, Washington", 47.659, -117.426),
    ("Knoxville, Tennessee", 35.961, -83.921),
    ("Green Bay, Wisconsin", 44.519, -88.020),
    ("Reno, Nevada", 39.530, -119.814),
    ("Charleston, West Virginia", 38.350, -81.633),
]
TOPICS = [
    "family",
    "faith",
    "work",
    "immigration",
    "guns",
    "healthcare",
    "race",
    "community",
    "education",
    "military",
    "economy",
    "environment",
    "rural-life",
    "policing",
    "grief",
]
RELATIONSHIPS = [
    "strangers",
    "family",
    "friends",
    "colleagues",
    "neighbors",
    "acquaintances",
]
CHAPTER_TITLES = [
    "Why we said yes",
    "Where we grew up",
    "The first election I remember",
    "What changed my mind",
    "The kindest person I know",
    "What I admire about you",
    "What keeps me up at night",
    "A meal we shared",
    "Our kids",
    "The news we watch",
    "Church on Sunday",
    "What we would tell our younger selves",
]
TITLE_WORDS = [
    "Common",
    "Ground",
    "Fence",
    "Kitchen",
    "Table",
    "Second",
    "Chance",
    "Same",
    "Route",
    "Porch",
    "Light",
    "River",
    "Town",
    "Father",
    "Mother",
    "Letter",
    "Road",
    "Home",
    "Bridge",
    "Winter",
    "Harvest",
    "Night",
    "Shift",
    "Sunday",
    "Supper",
    "Quiet",
    "Promise",
    "Neighbor",
    "Field",
    "Story",
]
SENTENCES = [
    "I grew up in a house where we talked about politics at every meal",
    "my father never told me how to vote but he told me to listen first",
    "I think what scared me most was that I would not recognize my own town",
    "we had the same argument every Thanksgiving and nobody ever won it",
    "when I came home from the service I did not know who I was anymore",
    "the plant closed the year I turned sixteen and everything changed",
    "I still believe people are mostly good when you meet them one at a time",
    "she brought a casserole over the week my mother died",
    "I voted differently from my parents for the first time in college",
    "you hear a word on the news and you think you know a whole person",
    "my church taught me to feed whoever knocks on the door",
    "honestly I expected you to be angry with me",
    "I was the first one in my family to finish high school",
    "we lost the farm in the nineties and my dad never talked about it",
    "the hardest part is that I love people who think I am wrong",
    "I do not watch the news anymore because it makes me feel hopeless",
    "my daughter asked me why I was afraid of people I had never met",
    "the nurses in that hospital did not care who anybody voted for",
    "I think we want the same things for our kids",
    "it took me twenty years to forgive my brother for what he said",
    "I moved here with two suitcases and a phone number",
    "the union hall was where I learned to argue and then shake hands",
    "I remember the flood and everyone showing up with sandbags",
    "what would it take for you to trust someone like me",
    "I have been on both sides of that question in my life",
    "nobody ever asked me what happened next",
    "we argued about it for an hour and then went fishing",
    "my grandmother kept a garden and fed half the street",
    "I worry that my grandchildren will not know how to disagree",
    "you are not who I thought you would be and I mean that kindly",
    "that is a fair point and I have not thought about it that way",
    "I still do not agree with you but I understand why you feel that way",
    "the bus route goes right past both of our houses",
    "when the mill shut down the whole town went quiet",
    "I teach my students to ask one more question before they decide",
    "the first time I voted I stood in line for three hours",
    "I think about the people who came before me and what they gave up",
    "we should do this again and bring our families",
]
BODY_SENTENCES = [
    "They met through One Small Step, knowing only that they vote differently.",
    "For forty minutes they talked about where they grew up and who raised them.",
    "Neither changed the other's mind about the election.",
    "Both left with a phone number and a plan to meet for coffee.",
    "The conversation turns on a question neither had been asked before.",
    "What they found was more common ground than either expected.",
    "They talk about work, about faith, and about the people they miss.",
    "One of them had never met anyone from the other side of the divide.",
]


def make_audio(folder: pathlib.Path, long: bool = False) -> list[pathlib.Path]:
    """The real audio files every story hard-links (made once, then reused):
    the corpus's 4-minute masters, or with ``long`` the 45-minute MP3s."""
    folder.mkdir(parents=True, exist_ok=True)
    seconds = LONG_AUDIO_SECONDS if long else AUDIO_SECONDS
    paths = []
    for name, voice, text in AUDIO_SOURCES:
        extension, codec = LONG_MASTER if long else MASTERS[name]
        stem = f"{name}-45min" if long else name
        target = folder / f"{stem}.{extension}"
        paths.append(target)
        if target.exists():
            continue
        speech = folder / (stem + ".speech.wav")
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", "155", "-w", str(speech), text],
            check=True,
        )
        # Loop the sentence with a two-second pause for the whole length,
        # limited as a produced podcast master is: raw synthetic speech
        # peaks 17 dB above its loudness, and its 32 kbit/s rendition then
        # still passes the true-peak ceiling (the build stops: "still peaks
        # at -1.0 dBTP after 3 tries").
        temporary = folder / f"{stem}.tmp.{extension}"
        subprocess.run(
            ["ffmpeg", "-loglevel", "error", "-y", "-stream_loop", "-1",
             "-i", str(speech), "-af", f"apad=pad_dur=2,{MASTERING}",
             "-t", str(seconds),
             "-ac", "1", *codec, "-metadata", f"title={name}", str(temporary)],
            check=True,
        )  # fmt: skip
        speech.unlink()
        temporary.rename(target)
    return paths


def _timestamp(seconds: float) -> str:
    whole = int(seconds)
    millis = round((seconds - whole) * 1000)
    if millis == 1000:
        whole, millis = whole + 1, 0
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _turns(rng: random.Random, names: tuple[str, str]) -> list[tuple[str, str]]:
    """300 turns of about 7,000 words, alternating speakers (mostly)."""
    turns = []
    speaker = 0
    words = 0
    for index in range(TURNS):
        remaining_turns = TURNS - index
        target = max(
            4, round((WORDS - words) / remaining_turns * rng.uniform(0.4, 1.6))
        )
        sentences: list[str] = []
        count = 0
        while count < target:
            sentence = rng.choice(SENTENCES)
            count += len(sentence.split())
            mark = "?" if sentence.startswith(("what", "why", "how")) else "."
            sentences.append(sentence[0].upper() + sentence[1:] + mark)
        text = " ".join(sentences)
        words += count
        turns.append((names[speaker], text))
        if rng.random() < 0.9:
            speaker = 1 - speaker
    return turns


def _timeline(turns) -> list[tuple[float, float]]:
    """Cue times in proportion to each turn's words, filling the audio (a
    45-minute conversation's turns, squeezed into its 4 minutes)."""
    total = sum(len(text.split()) for _, text in turns)
    usable = AUDIO_SECONDS - 1.0  # end a little before the audio does
    gap = 0.3 * AUDIO_SECONDS / LONG_AUDIO_SECONDS  # between turns
    speaking = usable - gap * len(turns)
    times, clock = [], 0.0
    for _, text in turns:
        length = speaking * len(text.split()) / total
        times.append((round(clock, 3), round(clock + length, 3)))
        clock += length + gap
    return times


def _vtt(turns, times) -> str:
    lines = ["WEBVTT", ""]
    for number, ((name, text), (start, end)) in enumerate(
        zip(turns, times, strict=True), 1
    ):
        lines += [
            str(number),
            f"{_timestamp(start)} --> {_timestamp(end)}",
            f"<v {name}>{text}",
            "",
        ]
    return "\n".join(lines)


def _story(
    index: int,
    rng: random.Random,
    question_keys: list[str],
    audio_name: str,
    people: tuple[str, str] | None = None,
) -> dict:
    first = rng.sample(FIRST_NAMES, 2)
    names = people or (
        f"{first[0]} {rng.choice(LAST_NAMES)}",
        f"{first[1]} {rng.choice(LAST_NAMES)}",
    )
    place = rng.choice(PLACES)
    recorded = FIRST_RECORDED + datetime.timedelta(days=rng.randrange(RECORDING_DAYS))
    title = " ".join(rng.sample(TITLE_WORDS, rng.choice([2, 3])))
    turns = _turns(rng, names)
    times = _timeline(turns)
    boundaries = sorted(rng.sample(range(1, TURNS), CHAPTERS - 1))
    chapter_turns = [0, *boundaries]
    chapters = [
        {
            "start": _timestamp(times[turn][0]).split(".")[0],
            "title": title_text,
            "question": rng.choice(question_keys),
        }
        for turn, title_text in zip(
            chapter_turns, rng.sample(CHAPTER_TITLES, CHAPTERS), strict=True
        )
    ]
    # Whole-second chapter starts must still go up.
    seen = set()
    chapters = [c for c in chapters if not (c["start"] in seen or seen.add(c["start"]))]
    front = {
        "id": f"bench-{index:05d}",
        "title": title,
        "summary": (
            f"{names[0].split()[0]} and {names[1].split()[0]} talk about "
            f"{rng.choice(CHAPTER_TITLES).lower()} and what they have learned "
            "from people who vote differently."
        ),
        "date": recorded,
        "participants": [
            {"name": names[0], "description": f"{rng.choice(JOBS)}, {place[0]}"},
            {
                "name": names[1],
                "description": f"{rng.choice(JOBS)}, {rng.choice(PLACES)[0]}",
            },
        ],
        "relationship": rng.choice(RELATIONSHIPS),
        "location": {"name": place[0], "geo": [place[1], place[2]], "country": "US"},
        "audio": audio_name,
        "transcript": "transcript.vtt",
        "topics": rng.sample(TOPICS, rng.choice([2, 3, 3, 4])),
        "chapters": chapters,
        "featured": index % 1000 == 1,
        "status": "published",
        "approval": {
            "approved_by": "Benchmark Editor",
            "approved_on": recorded + datetime.timedelta(days=30),
            "releases_signed": True,
        },
    }
    paragraphs = []
    for _ in range(rng.choice([2, 3])):
        paragraphs.append(" ".join(rng.sample(BODY_SENTENCES, 4)))
    body = "\n\n".join(paragraphs)
    return {"front": front, "body": body, "turns": turns, "times": times}


def slug_of(index: int) -> str:
    return f"conversation-{index:05d}"


def _write_if_changed(path: pathlib.Path, text: str) -> None:
    """Leave files that already hold this text alone (keeps their mtime)."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except FileNotFoundError:
        pass
    path.write_text(text, encoding="utf-8")


def _link(source: pathlib.Path, target: pathlib.Path) -> None:
    if target.exists():
        if os.path.samefile(source, target):
            return
        target.unlink()
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _sync_site_content(ours: pathlib.Path) -> None:
    """The project's own content except its stories: pages, data, images.

    Copied as it is now (other plugins read data files that appear over
    time); files already identical are left alone, keeping their mtime."""
    for source in CONTENT.rglob("*"):
        relative = source.relative_to(CONTENT)
        if relative.parts[0] == "stories" or not source.is_file():
            continue
        target = ours / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copy2(source, target)


def write_corpus(root: pathlib.Path, count: int, audio: list[pathlib.Path]) -> dict:
    """Write the three copies of ``count`` stories under ``root``.

    Deterministic (seeded), and idempotent: running it again rewrites only
    files whose text differs, so an existing corpus is reused as is."""
    ours = root / "ours"
    plain = root / "plain"
    hugo = root / "hugo" / "content" / "stories"
    for folder in (ours / "stories", plain / "stories", hugo):
        folder.mkdir(parents=True, exist_ok=True)
    _sync_site_content(ours)
    questions = yaml.safe_load((CONTENT / "data" / "questions.yml").read_text())
    question_keys = [item["key"] for item in questions]
    words = 0
    for index in range(1, count + 1):
        rng = random.Random(index)
        master = audio[index % len(audio)]
        audio_name = "conversation" + master.suffix
        story = _story(index, rng, question_keys, audio_name)
        slug = slug_of(index)
        folder = ours / "stories" / slug
        folder.mkdir(exist_ok=True)
        for old in folder.glob("conversation.*"):
            if old.name != audio_name:  # a corpus written with other masters
                old.unlink()
        front = yaml.safe_dump(story["front"], sort_keys=False, allow_unicode=True)
        _write_if_changed(folder / "story.md", f"---\n{front}---\n{story['body']}\n")
        _write_if_changed(
            folder / "transcript.vtt", _vtt(story["turns"], story["times"])
        )
        _link(master, folder / audio_name)
        words += sum(len(text.split()) for _, text in story["turns"])

        meta = story["front"]
        plain_text = (
            f"Title: {meta['title']}\n"
            f"Date: {meta['date'].isoformat()}\n"
            f"Slug: {slug}\n"
            f"Tags: {', '.join(meta['topics'])}\n"
            f"Summary: {meta['summary']}\n\n"
            f"{story['body']}\n"
        )
        _write_if_changed(plain / "stories" / f"{slug}.md", plain_text)
        hugo_front = yaml.safe_dump(
            {
                "title": meta["title"],
                "date": meta["date"].isoformat(),
                "slug": slug,
                "tags": meta["topics"],
                "summary": meta["summary"],
            },
            sort_keys=False,
        )
        _write_if_changed(
            hugo / f"{slug}.md", f"---\n{hugo_front}---\n{story['body']}\n"
        )
    _remove_stories_past(ours / "stories", count)
    return {
        "stories": count,
        "transcript_words_per_story": round(words / count),
        "turns_per_story": TURNS,
        "audio_seconds": round(_duration(audio[0])),
        "audio_bytes": {path.name: path.stat().st_size for path in audio},
        "masters": {
            path.name: sum(
                1 for i in range(1, count + 1) if audio[i % len(audio)] == path
            )
            for path in audio
        },
    }


def _duration(path: pathlib.Path) -> float:
    """The audio's real length (ffprobe)."""
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration",
         "-of", "default=nw=1:nk=1", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(result.stdout)


def edit_one_story(root: pathlib.Path, index: int = 1) -> pathlib.Path:
    """An editor adds a sentence to one story's introduction (or takes it out
    again): the trigger of the "edit one story" rebuild."""
    path = root / "ours" / "stories" / slug_of(index) / "story.md"
    text = path.read_text(encoding="utf-8")
    added = "They recorded again a year later.\n"
    text = text.removesuffix(added) if text.endswith(added) else text + added
    path.write_text(text, encoding="utf-8")
    return path


# What a new story brings that the corpus never had: its people's names, a
# place and a few words of their own (the benchmark's names and sentences
# come from fixed lists; a real campaign's next story is rarely so tame).
NEW_STORY_WORDS = (
    "Thaddeus Quillfeather and Marisol Vantongeren met at a zydeco festival in "
    "Opelousas, argued about snowmobiles and sourdough, and shared a thermostat."
)


def add_new_story(
    root: pathlib.Path, count: int, audio: list[pathlib.Path], newest: bool = False
) -> str:
    """An editor publishes a new story (number ``count + 1``), with words no
    other story has: the trigger of the "new story" rebuild. Its slug.
    Recorded on a day of the corpus's years, as any story; ``newest``: a
    month after every story of the corpus, as a campaign's next story is
    (it is first in every newest-first listing and related list it is on),
    in a folder named among the others' (``new_story_slug``)."""
    index = count + 1
    questions = yaml.safe_load((CONTENT / "data" / "questions.yml").read_text())
    master = audio[index % len(audio)]
    story = _story(
        index,
        random.Random(index),
        [q["key"] for q in questions],
        "conversation" + master.suffix,
        ("Thaddeus Quillfeather", "Marisol Vantongeren"),
    )
    front = story["front"]
    if newest:
        front["date"] = FIRST_RECORDED + datetime.timedelta(days=RECORDING_DAYS + 30)
        front["approval"]["approved_on"] = front["date"] + datetime.timedelta(days=7)
    slug = new_story_slug(count, newest)
    folder = root / "ours" / "stories" / slug
    folder.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(front, sort_keys=False, allow_unicode=True)
    body = f"{NEW_STORY_WORDS}\n\n{story['body']}"
    (folder / "story.md").write_text(f"---\n{text}---\n{body}\n", encoding="utf-8")
    vtt = _vtt(story["turns"], story["times"])
    (folder / "transcript.vtt").write_text(vtt, encoding="utf-8")
    # A file of its own, as an editor's upload is: the corpus's stories
    # share four recordings as hard links, and one more link (or, taken
    # down, one less) gives the shared file a new ctime, so the stat of
    # every story linked to it changed and the build hashed 2,500 masters
    # again (40 s of the new-story row at 10,000), which no editor's
    # commit causes.
    shutil.copyfile(master, folder / front["audio"])
    return slug


def new_story_slug(count: int, newest: bool = False) -> str:
    """The new story's folder: numbered after the corpus's, so it sorts
    after every other story and its page joins the search index's last part
    (a few pages); ``newest``: named among the others, as an editor's name
    for a story lands anywhere, so its part is one of 300-500 pages."""
    return f"{slug_of(count // 2)}-next" if newest else slug_of(count + 1)


def _remove_stories_past(stories: pathlib.Path, count: int) -> None:
    """Story folders of this corpus but its ``count`` stories: a new story
    (``add_new_story``) a stopped run or a measurement by hand left. A run
    that reused the corpus would build it cold, then "publish" a story the
    site already had (an edit-free rebuild), and count one story more."""
    for folder in stories.glob("conversation-*"):
        number = folder.name.removeprefix("conversation-")
        if not (number.isdigit() and int(number) <= count):
            shutil.rmtree(folder)


def take_down_new_story(root: pathlib.Path, count: int, newest: bool = False) -> None:
    """The new story is taken down again (its folder removed)."""
    folder = root / "ours" / "stories" / new_story_slug(count, newest)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":  # python benchmarks/corpus.py ROOT N
    import sys

    target, number = pathlib.Path(sys.argv[1]), int(sys.argv[2])
    info = write_corpus(target, number, make_audio(target.parent / "audio"))
    print(json.dumps(info, indent=2))
