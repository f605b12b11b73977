"""Transcripts and chapters of stories: checked, shown, and published as files.

While the approval gate inspects stories (``portal.signals.story_parts``),
every story with audio gets, on its record (``article.story``):

- ``transcript_entry``: its transcript's entry (``store.TranscriptEntry``),
  or None when it has no transcript with cues. The parsed transcript (cues,
  sections, timeline: ``store.TranscriptView``) stays in the entry in the
  cache, not on the story: the story pipeline reads it with
  ``transcript_entry.view()`` while it makes that story's page and files,
  and hands it to them (10,000 stories' transcripts do not fit in memory);
- ``chapters``: ``[{start, end, title, question}]`` from the front
  matter, else the transcript's NOTE chapters, else the audio's chapters;
- ``transcript_outline`` and ``chapter_answers``: what the share card and
  the question index show of it (``answers.py``), small, on the record (the
  outline by its digest and lanes: the card's bars are drawn from the view);
- ``transcript_outputs`` = ``{"vtt", "srt", "json"}`` site-relative paths
  and ``chapters_path``, set only when those files will be written.

A transcript whose speakers are not the story's people, whose cues overlap
or run past the end of the audio, is a content error reported against the
story. Chapters that start after the audio ends are left out (front-matter
ones are reported by the content_checks plugin, embedded ones warned about).
Files are written for cleared stories only, by the story pipeline
(``write_story_files``, plugins/story_pipeline).

The wording of the guide questions chapters name (``question: key``) is
put in the context as ``chapter_questions`` (key -> question), read from
``content/data/questions.yml`` with ``portal.questions``.
"""

from __future__ import annotations

import logging
import os

from pelican import signals

from portal import outputs
from portal import signals as portal_signals
from portal.frontmatter import line_of
from portal.paths import StoryPathError, story_file
from portal.problems import Problem, Severity
from portal.questions import load_questions

from . import chapters as chapter_sources
from . import formats, store
from .transcript import TranscriptError

logger = logging.getLogger(__name__)


def question_wording(content_path: str) -> dict[str, str]:
    """key -> wording of the conversation guide's questions (problems with
    the file are the conversation_guide plugin's to report)."""
    loaded = load_questions(content_path)
    if loaded.value is None:
        return {}
    return {question.key: question.question for question in loaded.value.root}


def _line(story, *field) -> int | None:
    return line_of(story.story.lines, field)


def transcript_inputs(record) -> store.Inputs:
    """What the transcript entry of the story whose record is ``record``
    (its audio read) is made from. Raises ``StoryPathError`` for a
    transcript named outside the story folder."""
    meta, audio = record.front, record.audio
    participants = tuple(meta.participant_names)
    return store.Inputs(
        path=story_file(record.folder, meta.transcript),
        name=os.path.basename(meta.transcript),
        speakers=participants + ((meta.facilitator,) if meta.facilitator else ()),
        participants=participants,
        duration=audio.duration,
        audio_name=audio.filename,
        front_chapters=tuple(
            store.ChapterMark(float(c.start), str(c.title), c.question)
            for c in meta.chapters
        ),
        audio_chapters=tuple(
            store.ChapterMark(float(c.start), str(c.title)) for c in audio.chapters
        ),
    )


# The running build's store: the story pipeline's read stage makes the
# entries a cold build lacks before the gate asks (plugins/story_pipeline/read.py).
_store: store.TranscriptStore | None = None


def build_store(settings) -> store.TranscriptStore:
    """This build's ``TranscriptStore`` (one per build, however many ask)."""
    global _store
    if _store is None:
        _store = store.TranscriptStore(settings.get("CACHE_PATH"))
    return _store


def forget_store(*_args) -> None:
    global _store
    _store = None


def check_stories(generator, stories, report):
    build_store(generator.settings)
    generator.context["chapter_questions"] = question_wording(
        generator.settings["PATH"]
    )
    for story in stories:
        check_story(story, report)
    _store.finish()


def check_story(story, report) -> None:
    meta = story.story.front
    audio = story.story.audio
    stored = _entry(story, report) if meta.transcript else None
    if stored is not None:
        for finding in stored.checked.findings:
            report(
                Problem(
                    story.story.source,
                    "transcript",
                    finding.message,
                    finding.fix,
                    _line(story, "transcript"),
                    Severity.WARNING if finding.warning else Severity.ERROR,
                )
            )
        choice = stored.checked.choice
    else:
        choice = chapter_sources.choose_chapters(
            meta.chapters, [], audio.chapters, audio.duration
        )
    for late in choice.late:
        # Front-matter chapters past the end are content_checks' to report;
        # here they are only left out of the page and chapters.json.
        if late.source != chapter_sources.FRONT_MATTER:
            _report_late_chapter(story, late, report)

    record = story.story
    record.chapters = choice.chapters
    record.chapter_source = choice.source
    record.transcript_entry = None
    record.transcript_outline = None
    record.chapter_answers = {}
    record.transcript_outputs = None
    if stored is not None and stored.checked.has_cues:
        # The cues, sections and timeline stay in the entry, not on the
        # story: at 10,000 stories they would not fit in memory (store.py).
        record.transcript_entry = stored
        record.transcript_outline = stored.checked.outline
        record.chapter_answers = stored.checked.answers
        record.transcript_outputs = {
            fmt: outputs.transcript_path(story, fmt) for fmt in ("vtt", "srt", "json")
        }
    record.chapters_path = outputs.chapters_path(story) if choice.chapters else None


def _entry(story, report) -> store.TranscriptEntry | None:
    """The story's transcript entry; None (reported) when it cannot be read."""
    try:
        inputs = transcript_inputs(story.story)
        if _store is None:
            return store.TranscriptStore(None).checked(inputs)
        return _store.checked(inputs)
    except (StoryPathError, TranscriptError) as error:
        report(
            Problem(
                story.story.source,
                "transcript",
                error.problem,
                error.fix,
                _line(story, "transcript"),
            )
        )
        return None


def _report_late_chapter(story, late, report) -> None:
    audio = story.story.audio
    message = late.message(audio.filename, audio.duration)
    if late.source == chapter_sources.TRANSCRIPT:
        field, line = "transcript", _line(story, "transcript")
        message = f"{story.story.front.transcript}: {message}"
        severity = Severity.ERROR
    else:
        # Embedded chapters are the audio editor's; the page leaves them out.
        field, line = "audio", _line(story, "audio")
        message = f"{audio.filename} has {message}; it is left out"
        severity = Severity.WARNING
    report(
        Problem(
            story.story.source, field, message, late.fix(audio.duration), line, severity
        )
    )


def write_story_files(generator, story, out) -> None:
    """A cleared story's transcript files (WebVTT, SRT, JSON) and chapters
    file (story_pipeline: made only when the story changed, with its
    transcript loaded as ``out.transcript``)."""
    record = story.story
    if out.transcript is not None and record.transcript_outputs:
        paths = record.transcript_outputs
        cues = out.transcript.cues
        out.text(paths["vtt"], formats.to_vtt(cues))
        out.text(paths["srt"], formats.to_srt(cues))
        out.text(paths["json"], formats.to_json(cues))
    if record.chapters_path:
        out.text(record.chapters_path, formats.chapters_json(record.chapters))


def register():
    signals.initialized.connect(forget_store)
    portal_signals.story_parts.connect(check_stories)
    portal_signals.story_outputs.connect(write_story_files)
