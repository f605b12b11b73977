"""The transcripts plugin: reading WebVTT, the checks editors see, chapters,
and the transcript and chapters files a build writes."""

from __future__ import annotations

import html
import io
import json
import pathlib

import mutagen
import pytest
import webvtt
from transcripts import formats
from transcripts.chapters import choose_chapters, fit_to_audio
from transcripts.transcript import Cue, TranscriptError, read_transcript
from webvtt.models import Timestamp

from portal import devserver
from portal.problems import StoryContentError
from portal.story_record import StoryRecord
from tests.listening import GOOD_VTT, Elements, line_of, write_transcript_story
from tests.stories import assert_absent, output_files, write_story
from tests.support import LEAN, PROJECT_ROOT, build_site, built_once, copy_content

# ---- Reading -----------------------------------------------------------


def test_reads_cues_speakers_and_note_chapters(tmp_path):
    path = tmp_path / "transcript.vtt"
    path.write_text(GOOD_VTT, encoding="utf-8")
    transcript = read_transcript(str(path), "transcript.vtt")
    assert [(c.number, c.start, c.end, c.speaker) for c in transcript.cues] == [
        (1, 0.0, 1.0, "Ada Lopez"),
        (2, 1.0, 1.8, "Ada Lopez"),  # no voice tag: the turn goes on
        (3, 2.0, 3.0, "Ben Carter"),
        (4, 3.1, 3.8, "Ada Lopez"),
    ]
    # Tags are gone and character references decoded.
    assert transcript.cues[1].text == "And my mother & father taught."
    assert transcript.cues[2].text == "I grew up in Austin, Texas."
    assert [c.line for c in transcript.cues] == [8, 12, 18, 22]
    assert transcript.cues[0].timing == "00:00:00.000 --> 00:00:01.000"
    assert [(c.start, c.title, c.question) for c in transcript.chapters] == [
        (0.0, "Where we grew up", "parents"),
        (2.0, "What shaped us", None),
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1\n00:00:00.000 --> 00:00:01.000\n<v Ada>Hi\n", "is not a WebVTT file"),
        ("WEBVTT\n\nNOTE nothing here\n", "has no cues"),
        (
            "WEBVTT\n\n00:00:0.000 --> 00:00:01.000\nHi\n",
            "has a cue that cannot be read",
        ),
        (
            "1\n00:00:00,500 --> 00:00:01,000\nAda: Hi\n",
            "is a SubRip (.srt) file, not WebVTT",
        ),
        (
            "WEBVTT\n\n1\n00:00:00,500 --> 00:00:01,000\n<v Ada>Hi\n",
            "writes cue times with a comma (00:00:01,500)",
        ),
    ],
)
def test_unreadable_transcripts_say_why(tmp_path, text, problem):
    path = tmp_path / "t.vtt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TranscriptError) as error:
        read_transcript(str(path), "t.vtt")
    assert error.value.problem.startswith(f"'t.vtt' {problem}")
    assert error.value.fix


def test_chapters_come_from_the_first_source_that_has_any():
    class Item:
        def __init__(self, start, title, question=None):
            self.start, self.title, self.question = start, title, question

    front = [Item(0, "Front"), Item(2, "Front two", "kindness")]
    notes = [Item(0, "Note")]
    audio = [Item(0, "Audio"), Item(1, "Audio two")]
    choice = choose_chapters(front, notes, audio, 4.0)
    assert choice.source == "front matter"
    assert choice.chapters == [
        {"start": 0.0, "end": 2.0, "title": "Front", "question": None},
        {"start": 2.0, "end": 4.0, "title": "Front two", "question": "kindness"},
    ]
    assert choose_chapters([], notes, audio, 4.0).chapters[0]["title"] == "Note"
    assert choose_chapters([], [], audio, 4.0).source == "audio"
    late = choose_chapters([Item(0, "A"), Item(5, "B")], [], [], 4.0)
    assert [c["title"] for c in late.chapters] == ["A"]
    assert [(x.index, x.title) for x in late.late] == [(1, "B")]


def test_chapters_fit_the_rendition_and_keep_their_answers():
    """The rendition listeners get is some milliseconds shorter or longer
    than the master the chapters were chosen against: the last chapter ends
    with it, none starts after it, and the question index still finds the
    answer of each chapter by its times."""
    record = StoryRecord(source="s/story.md", folder="s", slug="s", front=None)
    record.chapters = [
        {"start": 0.0, "end": 2.0, "title": "A", "question": "kindness"},
        {"start": 2.0, "end": 3.9, "title": "B", "question": "why-here"},
        {"start": 3.9, "end": 3.944, "title": "C", "question": None},
    ]
    record.chapter_answers = {(0.0, 2.0): "first", (2.0, 3.9): "second"}
    chosen = record.chapters
    fit_to_audio(record, 3.918)
    assert [(c["start"], c["end"]) for c in record.chapters] == [
        (0.0, 2.0),
        (2.0, 3.9),
        (3.9, 3.918),
    ]
    assert record.chapter_answers == {(0.0, 2.0): "first", (2.0, 3.9): "second"}
    assert chosen[-1]["end"] == 3.944  # the transcript's cache entry keeps its own
    fit_to_audio(record, 3.85)
    assert [(c["title"], c["end"]) for c in record.chapters] == [
        ("A", 2.0),
        ("B", 3.85),
    ]
    assert record.chapter_answers == {(0.0, 2.0): "first", (2.0, 3.85): "second"}


def test_formats_read_back_with_webvtt_py(tmp_path):
    path = tmp_path / "transcript.vtt"
    path.write_text(GOOD_VTT, encoding="utf-8")
    cues = read_transcript(str(path), "transcript.vtt").cues

    vtt = webvtt.from_string(formats.to_vtt(cues), strict=True)
    assert [c.voice for c in vtt.captions] == [c.speaker for c in cues]
    assert [c.text for c in vtt.captions][1] == "And my mother &amp; father taught."
    assert [c.start_time.in_milliseconds() for c in vtt.captions] == [
        0,
        1000,
        2000,
        3100,
    ]

    srt = tmp_path / "transcript.srt"
    srt.write_text(formats.to_srt(cues), encoding="utf-8")
    captions = webvtt.from_srt(str(srt)).captions
    assert [c.text for c in captions] == [
        "Ada Lopez: I grew up in Tulsa.",
        "And my mother & father taught.",
        "Ben Carter: I grew up in Austin, Texas.",
        "Ada Lopez: Tell me more.",
    ]
    assert captions[3].end == "00:00:03.800"

    data = json.loads(formats.to_json(cues))
    assert data["version"] == "1.0.0"
    assert data["segments"][2] == {
        "speaker": "Ben Carter",
        "startTime": 2.0,
        "endTime": 3.0,
        "body": "I grew up in Austin, Texas.",
    }


def _webvtt_py_vtt(cues) -> str:
    """What webvtt-py's own writer makes of the cues (the reference)."""
    captions = []
    for cue in cues:
        speaker = html.escape(cue.speaker or "", quote=False)
        lines = formats.caption_lines(cue.text)
        caption = webvtt.Caption(
            text=f"<v {speaker}>"
            + "\n".join(html.escape(line, quote=False) for line in lines),
            identifier=str(cue.number),
        )
        caption.start_time = Timestamp.from_seconds(cue.start)
        caption.end_time = Timestamp.from_seconds(cue.end)
        captions.append(caption)
    return webvtt.WebVTT(captions=captions).content


def _webvtt_py_srt(cues) -> str:
    captions, previous = [], None
    for cue in cues:
        text = cue.text
        if cue.speaker and cue.speaker != previous:
            text = f"{cue.speaker}: {text}"
        previous = cue.speaker
        caption = webvtt.Caption(text="\n".join(formats.caption_lines(text)))
        caption.start_time = Timestamp.from_seconds(cue.start)
        caption.end_time = Timestamp.from_seconds(cue.end)
        captions.append(caption)
    out = io.StringIO()
    webvtt.WebVTT(captions=captions).write(out, format="srt")
    return out.getvalue() + "\n"


SAMPLE_TRANSCRIPTS = sorted(
    (pathlib.Path(__file__).parent.parent / "content" / "stories").glob(
        "*/transcript.vtt"
    )
)


@pytest.mark.parametrize("path", SAMPLE_TRANSCRIPTS, ids=lambda p: p.parent.name)
def test_formats_are_what_webvtt_py_writes(path):
    # The files are formatted by hand for speed (formats.py): byte for byte
    # what webvtt-py's writer makes of the same cues.
    cues = read_transcript(str(path), path.name).cues
    assert len(cues) > 5
    assert formats.to_vtt(cues) == _webvtt_py_vtt(cues)
    assert formats.to_srt(cues) == _webvtt_py_srt(cues)


@pytest.mark.parametrize("path", SAMPLE_TRANSCRIPTS, ids=lambda p: p.parent.name)
def test_caption_lines_are_65_characters_at_most_and_lose_no_word(path, tmp_path):
    cues = read_transcript(str(path), path.name).cues
    vtt = tmp_path / "transcript.vtt"
    vtt.write_text(formats.to_vtt(cues), encoding="utf-8")
    srt = tmp_path / "transcript.srt"
    srt.write_text(formats.to_srt(cues), encoding="utf-8")
    for caption in webvtt.read(str(vtt)).captions + webvtt.from_srt(str(srt)).captions:
        for line in caption.text.splitlines():
            assert len(html.unescape(line)) <= formats.CAPTION_LINE, line
    # Read back as the site reads a transcript: the same cues, word for word.
    again = read_transcript(str(vtt), vtt.name).cues
    assert [(c.speaker, c.text, c.start) for c in again] == [
        (c.speaker, c.text, c.start) for c in cues
    ]


def test_a_long_cue_is_shown_on_lines_of_about_one_length():
    text = "word " * 40  # 199 characters: four lines of about 50
    lines = formats.caption_lines(text.strip())
    assert len(lines) == 4 and max(map(len, lines)) - min(map(len, lines)) <= 5
    assert formats.caption_lines("short") == ["short"]
    long_word = "https://example.org/" + "a" * 70
    assert formats.caption_lines(long_word) == [long_word]  # not cut


def test_formats_round_times_and_escape_as_webvtt_py():
    cues = [
        Cue(1, 0.0, 1.9995, "Ada <Lopez>", "Me & you -- 5 < 6", "t"),
        Cue(2, 2.0, 259.0395, "Ada <Lopez>", "Second cue", "t"),
        Cue(3, 3599.9996, 36000.25, None, "Ünïcode “quotes”", "t"),
    ]
    assert formats.to_vtt(cues) == _webvtt_py_vtt(cues)
    vtt = formats.to_vtt(cues)
    assert "00:00:02.000" in vtt  # 1.9995 rounds half up
    assert "00:04:19.040" in vtt  # 259.0395 as written, not as the float
    assert "10:00:00.250" in vtt
    assert "<v Ada &lt;Lopez&gt;>Me &amp; you -- 5 &lt; 6" in vtt
    srt = formats.to_srt(cues)
    assert srt.startswith("1\n00:00:00,000 --> 00:00:02,000\nAda <Lopez>: Me & you")
    assert "\n2\n00:00:02,000 --> 00:04:19,040\nSecond cue\n" in srt
    assert srt.endswith("10:00:00,250\nÜnïcode “quotes”\n")


# ---- The checks editors see -----------------------------------------------

BAD_SPEAKER = """WEBVTT

1
00:00:00.000 --> 00:00:01.000
<v Ada Lopez>Hello.

2
00:00:01.000 --> 00:00:02.000
<v Ben Carte>Hello to you.
"""

OVERLAP = """WEBVTT

1
00:00:00.000 --> 00:00:01.500
<v Ada Lopez>Hello.

2
00:00:01.200 --> 00:00:02.000
<v Ben Carter>Hello to you.
"""

PAST_END = """WEBVTT

1
00:00:00.000 --> 00:00:01.500
<v Ada Lopez>Hello.

2
00:00:02.000 --> 00:00:04.500
<v Ben Carter>Hello to you.
"""


def _strict_problems(tmp_path, vtt, **fields) -> tuple[list[str], int, str]:
    content = copy_content(tmp_path / "content")
    folder = write_transcript_story(content, "talk", vtt, **fields)
    with pytest.raises(StoryContentError) as error:
        build_site(content, tmp_path / "out", "publishconf.py", **LEAN)
    story = folder / "story.md"
    return [str(p) for p in error.value.problems], line_of(story, "transcript:"), story


def test_unknown_speaker_names_file_cue_and_fix(tmp_path):
    problems, line, _ = _strict_problems(tmp_path, BAD_SPEAKER)
    assert problems == [
        f"content/stories/talk/story.md:{line}: transcript: transcript.vtt: cue 2 "
        "(00:00:01.000 --> 00:00:02.000, line 8): the speaker 'Ben Carte' is not "
        "one of the participants - write the name in <v Name> exactly as in the "
        "story's participants: 'Ada Lopez', 'Ben Carter' (did you mean 'Ben Carter'?)"
    ]


NAMED = [
    {"name": "Rosa D\u00edaz", "description": "nurse, Tucson, Arizona"},
    {"name": "Sean O'Becker", "description": "welder, Mesa, Arizona"},
]


def test_a_speaker_written_before_a_colon_is_named(tmp_path):
    """Zoom writes "Ada Lopez: Hello": the fix says what to write instead."""
    from transcripts.checks import transcript_findings

    path = tmp_path / "transcript.vtt"
    path.write_text(
        "WEBVTT\n\n1\n00:00.000 --> 00:01.000\nada lopez: Hello.\n\n"
        "2\n00:01.000 --> 00:02.000\nWell: hello to you.\n",
        encoding="utf-8",
    )
    transcript = read_transcript(str(path), "transcript.vtt")
    speakers = ["Ada Lopez", "Ben Carter"]
    said = [
        f"{f.message} - {f.fix}"
        for f in transcript_findings(transcript, speakers, 3.0, "speech.mp3")
    ]
    assert said == [
        "transcript.vtt: cue 1 (00:00:00.000 --> 00:00:01.000, line 4): has no "
        "speaker: 'ada lopez:' at its start is read as words said - write "
        "<v Ada Lopez> in place of 'ada lopez:' (in every cue that begins with a "
        "name and a colon)",
        # Not a participant's name: the general fix.
        "transcript.vtt: cue 2 (00:00:01.000 --> 00:00:02.000, line 8): has no "
        "speaker - begin the cue with a voice tag naming who speaks, like "
        "<v Ada Lopez>",
    ]


def test_cues_without_a_speaker_after_the_third_are_said_together(tmp_path):
    """A transcript with no voice tags: three cues named, then one message
    for the rest, not one error a cue (hundreds, hiding every other)."""
    from transcripts.checks import transcript_findings

    path = tmp_path / "transcript.vtt"
    cues = "".join(
        f"00:0{n}.000 --> 00:0{n}.900\nAda Lopez: Words {n}.\n\n" for n in range(7)
    )
    path.write_text(f"WEBVTT\n\n{cues}", encoding="utf-8")
    transcript = read_transcript(str(path), "transcript.vtt")
    findings = transcript_findings(transcript, ["Ada Lopez", "Bo Li"], 9.0, "a.mp3")
    said = [f.message for f in findings if not f.warning]
    assert [m.split(": ", 2)[1] for m in said[:3]] == ["cue 1 (00:00:00.000 --> "
        "00:00:00.900, line 3)", "cue 2 (00:00:01.000 --> 00:00:01.900, line 6)",
        "cue 3 (00:00:02.000 --> 00:00:02.900, line 9)"]  # fmt: skip
    assert said[3:] == [
        "transcript.vtt: 4 more cues have no speaker, from cue 4 (line 12) to "
        "cue 7 (line 21)"
    ]


def test_cues_after_the_end_of_the_audio_after_the_third_are_said_together(
    tmp_path,
):
    """The transcript of another, longer recording: every cue overruns."""
    from transcripts.checks import transcript_findings

    path = tmp_path / "transcript.vtt"
    cues = "".join(
        f"00:0{n}.000 --> 00:0{n}.900\n<v Ada Lopez>Words {n}.\n\n" for n in range(7)
    )
    path.write_text(f"WEBVTT\n\n{cues}", encoding="utf-8")
    transcript = read_transcript(str(path), "transcript.vtt")
    findings = transcript_findings(transcript, ["Ada Lopez"], 2.0, "a.mp3")
    said = [f"{f.message} - {f.fix}" for f in findings]
    assert len(said) == 4 and said[0].startswith("transcript.vtt: cue 3 ")
    assert said[3] == (
        "transcript.vtt: 2 more cues end after the audio (a.mp3), from cue 6 "
        "(line 18) to cue 7 (line 21) - check that the transcript belongs to a.mp3"
    )


def test_a_name_stored_in_another_unicode_form_is_the_same_name(tmp_path):
    """ "Díaz" typed on one machine and pasted from another: an i and a
    separate accent look exactly like "í". The transcript is the story's."""
    content = copy_content(tmp_path / "content")
    decomposed = "Rosa Di\u0301az"
    vtt = BAD_SPEAKER.replace("Ada Lopez", decomposed).replace(
        "Ben Carte", "Sean O'Becker"
    )
    write_transcript_story(content, "talk", vtt, participants=NAMED)
    output = build_site(content, tmp_path / "out", "publishconf.py", **LEAN)
    page = (output / "stories" / "talk" / "index.html").read_text(encoding="utf-8")
    assert page.count("Rosa D\u00edaz") >= 2 and decomposed not in page


def test_a_name_with_a_curly_apostrophe_says_so(tmp_path):
    vtt = BAD_SPEAKER.replace("Ada Lopez", "Rosa D\u00edaz").replace(
        "Ben Carte", "Sean O\u2019Becker"
    )
    problems, line, _ = _strict_problems(tmp_path, vtt, participants=NAMED)
    assert problems == [
        f"content/stories/talk/story.md:{line}: transcript: transcript.vtt: cue 2 "
        "(00:00:01.000 --> 00:00:02.000, line 8): the speaker 'Sean O\u2019Becker' "
        "is written with other punctuation than the participant 'Sean O'Becker' - "
        "use the same apostrophes, quotes and dashes in the <v Name> tag as in the "
        "story's participants (a curly \u2019 and a straight ' look alike but differ)"
    ]


def test_overlapping_cues_name_both_cues(tmp_path):
    problems, line, _ = _strict_problems(tmp_path, OVERLAP)
    assert problems == [
        f"content/stories/talk/story.md:{line}: transcript: transcript.vtt: cue 2 "
        "(00:00:01.200 --> 00:00:02.000, line 8): starts before cue 1 ends "
        "(00:00:01.500) - start cue 2 at 00:00:01.500 or later, or end cue 1 "
        "earlier: cues must not overlap"
    ]


def test_cue_past_the_end_of_the_audio(tmp_path):
    problems, line, _ = _strict_problems(tmp_path, PAST_END)
    assert problems == [
        f"content/stories/talk/story.md:{line}: transcript: transcript.vtt: cue 2 "
        "(00:00:02.000 --> 00:00:04.500, line 8): ends after the audio, which is "
        "00:00:03.944 long (speech.mp3) - correct the cue's end time, or check that "
        "the transcript belongs to speech.mp3"
    ]


def test_facilitator_may_speak(tmp_path):
    content = copy_content(tmp_path / "content")
    vtt = BAD_SPEAKER.replace("Ben Carte>", "Mia Facilitator>")
    write_transcript_story(content, "talk", vtt, facilitator="Mia Facilitator")
    output = build_site(content, tmp_path / "out", "publishconf.py", **LEAN)
    assert (output / "stories" / "talk" / "transcript.vtt").is_file()


def test_chapter_after_the_end_of_the_audio(tmp_path):
    chapters = [{"start": "0:00", "title": "Start"}, {"start": "0:05", "title": "Late"}]
    problems, _, story = _strict_problems(tmp_path, GOOD_VTT, chapters=chapters)
    line = line_of(story, "- start: 0:05")
    # Reported once (by content_checks), and left out of the chapters.
    assert problems == [
        f"content/stories/talk/story.md:{line}: chapters.1.start: chapter 2 ('Late') "
        "starts at 0:05, but the audio ends at 0:03 - correct the start time, "
        "written as minutes:seconds (4:05) or hours:minutes:seconds (1:02:03), or "
        "check that 'audio' names the right file"
    ]


def test_missing_transcript_file(tmp_path):
    content = copy_content(tmp_path / "content")
    folder = write_transcript_story(content, "talk")
    (folder / "transcript.vtt").unlink()
    with pytest.raises(StoryContentError) as error:
        build_site(content, tmp_path / "out", "publishconf.py", **LEAN)
    (problem,) = error.value.problems
    assert problem.field == "transcript"
    assert problem.message == "'transcript.vtt' does not exist in the story folder"


def test_development_build_holds_back_a_story_with_a_bad_transcript(tmp_path):
    content = copy_content(tmp_path / "content")
    write_transcript_story(content, "talk", OVERLAP, title="Overlapping talk")
    output = build_site(content, tmp_path / "out")
    assert not (output / "stories" / "talk").exists()
    assert_absent(output, "Overlapping talk", "Hello to you")


# ---- What a build writes --------------------------------------------------


@pytest.fixture(scope="module")
def built(request):
    def build(base):
        content = copy_content(base / "content")
        write_transcript_story(content, "notes")  # NOTE chapters, no mp3 chapters
        write_transcript_story(
            content,
            "embedded",
            GOOD_VTT.replace("chapter:", "topic:"),  # no NOTE chapters
            audio_fixture="chapters.mp3",
        )
        write_transcript_story(
            content,
            "front",
            transcript_name="captions.vtt",
            audio_fixture="chapters.mp3",
            chapters=[{"start": "0:00", "title": "Hello", "question": "kindness"}],
        )
        write_transcript_story(content, "held", status="draft", title="Held talk")
        write_story(content, "silent", title="Without a transcript")
        return build_site(content, base / "out"), content

    return built_once(request, build)


def test_transcript_files_for_published_stories(built):
    output, _ = built
    folder = output / "stories" / "notes"
    vtt = webvtt.read(str(folder / "transcript.vtt"))
    assert [c.voice for c in vtt.captions] == [
        "Ada Lopez",
        "Ada Lopez",
        "Ben Carter",
        "Ada Lopez",
    ]
    assert webvtt.from_srt(str(folder / "transcript.srt")).captions
    segments = json.loads((folder / "transcript.json").read_text())["segments"]
    assert [s["speaker"] for s in segments] == [c.voice for c in vtt.captions]
    chapters = json.loads((folder / "chapters.json").read_text())
    # The last chapter ends with the MP3 listeners get (the master's 3.944 s
    # was a few milliseconds past its end).
    [mp3] = folder.glob("*.mp3")
    end = round(mutagen.File(mp3).info.length, 3)
    assert end != 3.944
    assert chapters == {
        "version": "1.2.0",
        "chapters": [
            {"startTime": 0.0, "endTime": 2.0, "title": "Where we grew up"},
            {"startTime": 2.0, "endTime": end, "title": "What shaped us"},
        ],
    }


def test_one_transcript_vtt_whatever_the_editor_named_it(built):
    output, _ = built
    names = sorted(p.name for p in (output / "stories" / "front").iterdir())
    assert "captions.vtt" not in names
    assert [n for n in names if n.endswith(".vtt")] == ["transcript.vtt"]
    page = (output / "stories" / "front" / "index.html").read_text()
    tracks = Elements(page).all("track", kind="captions")
    assert [t["attrs"]["src"] for t in tracks] == ["../../stories/front/transcript.vtt"]


def test_chapters_precedence_in_a_build(built):
    output, _ = built

    def titles(slug):
        data = json.loads((output / "stories" / slug / "chapters.json").read_text())
        return [c["title"] for c in data["chapters"]]

    assert titles("front") == ["Hello"]  # front matter over embedded chapters
    assert titles("notes") == ["Where we grew up", "What shaped us"]
    assert titles("embedded") == ["Where you grew up", "What shaped your views"]


def test_no_transcript_no_files(built):
    output, _ = built
    names = {p.name for p in (output / "stories" / "silent").iterdir()}
    assert not names & {"transcript.vtt", "transcript.srt", "transcript.json"}
    assert "chapters.json" not in names
    page = (output / "stories" / "silent" / "index.html").read_text()
    assert "data-transcript" not in page


def test_a_story_without_chapters_lists_and_says_no_chapter_keys(built, page):
    """The keyboard shortcuts are the same keys on every story: on one with
    no chapters (nor transcript) the panel listed P / N and "/", and N said
    "This is the last chapter". The panel lists what the story has; N and P
    say it has no chapters, and nothing moves."""
    output, _ = built
    status = "document.querySelector('[data-status]').textContent"
    with devserver.running(output) as url:
        page.goto(f"{url}/stories/silent/")
        page.wait_for_selector("figure[data-player].is-enhanced")
        page.click("[data-shortcuts] summary")
        listed = page.inner_text(".shortcuts__list")
        assert "Play or pause" in listed
        assert "chapter" not in listed and "transcript" not in listed
        toggle = page.inner_text(".shortcuts__toggle")
        assert "/" not in toggle and toggle.endswith("< and >)")
        for key in ("n", "p"):
            page.evaluate(f"{status} = ''")
            page.keyboard.press(key)
            page.wait_for_function(f"{status} === 'This story has no chapters'")
        assert page.evaluate("document.querySelector('audio').currentTime") == 0


def test_held_back_story_leaves_no_transcript(built):
    output, _ = built
    assert not (output / "stories" / "held").exists()
    assert_absent(output, "Held talk", "held/transcript")
    assert not [n for n in output_files(output) if n.startswith("stories/held")]


def test_page_transcript_anchors_contract(built):
    output, _ = built
    page = Elements((output / "stories" / "notes" / "index.html").read_text())
    turns = [e for e in page.found if e["attrs"].get("id", "").startswith("turn-")]
    # Turns are runs of one speaker inside a chapter, numbered from 1.
    # The id is the turn's heading's, and the turn's only one: Pagefind keeps
    # every id in the search index's fragment of the page. The time is the
    # turn's.
    assert [(t["tag"], t["attrs"]["id"]) for t in turns] == [
        ("h4", "turn-1"),
        ("h4", "turn-2"),
        ("h4", "turn-3"),
    ]
    holders = [e for e in page.found if "data-turn" in e["attrs"]]
    assert [(e["attrs"].get("id"), e["attrs"]["data-start"]) for e in holders] == [
        (None, "0.0"),
        (None, "2.0"),
        (None, "3.1"),
    ]
    assert [t["parent_attrs"][-1].get("data-start") for t in turns] == [
        "0.0",
        "2.0",
        "3.1",
    ]
    speakers = [
        e["text"]
        for e in page.all("span")
        if "turn__speaker" in e["attrs"].get("class", "")
    ]
    assert speakers == ["Ada Lopez", "Ben Carter", "Ada Lopez"]
    times = [
        e["text"] for e in page.all("a") if "turn__time" in e["attrs"].get("class", "")
    ]
    assert times == ["Play from 0:00", "Play from 0:02", "Play from 0:03"]
    headings = [
        e for e in page.all("h3") if e["attrs"].get("id", "").startswith("chapter-")
    ]
    assert [(h["attrs"]["id"], h["attrs"]["data-start"]) for h in headings] == [
        ("chapter-1", "0.0"),
        ("chapter-2", "2.0"),
    ]
    for heading in headings:
        assert "section#transcript" in heading["parents"]
    assert "Where we grew up" in headings[0]["text"]
    # The guide's wording of the chapter's question.
    assert (
        "Tell me about your parents and the place where you grew up."
        in (page.all("p", **{"class": "transcript__question"})[0]["text"])
    )


def test_the_editors_guide_example_reads(tmp_path):
    guide = (PROJECT_ROOT / "content" / "README.md").read_text()
    example = guide.split("## The transcript", 1)[1].split("```\n", 2)[1]
    path = tmp_path / "transcript.vtt"
    path.write_text(example, encoding="utf-8")
    transcript = read_transcript(str(path), "transcript.vtt")
    assert [c.speaker for c in transcript.cues] == ["Denise Harlow", "Denise Harlow"]
    assert [(c.title, c.question) for c in transcript.chapters] == [
        ("The houses we grew up in", "parents")
    ]
