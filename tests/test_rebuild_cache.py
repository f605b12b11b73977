"""Rebuilds do only the work that changed (no timings: see benchmarks/).

Three builds of one site into the same output and cache: a cold build, a
rebuild with nothing changed, then rebuilds after one story's Markdown and
one story's audio changed. What each build read, rendered into new bytes,
wrote and compressed is counted by the plugins and checked here."""

from __future__ import annotations

import logging
import shutil

import mutagen
import pytest
from mutagen.id3 import COMM
from pelican import signals

from tests.support import build_site, copy_content


class BuildRecorder:
    """What the last build's plugins report, captured from Pelican signals."""

    def __init__(self):
        self.audio_reads: int | None = None
        self.transcripts_parsed: int | None = None
        self.transcripts_formatted: int | None = None
        self.markdown_reads = 0

    def after_articles(self, generator):
        self.audio_reads = generator.context.get("story_audio_reads")
        self.transcripts_parsed = generator.context.get("transcripts_parsed")


@pytest.fixture
def recorder(monkeypatch):
    import story_reader.reader as reader_module

    recorder = BuildRecorder()
    original = reader_module.FrontMatterMarkdownReader.read

    def counting_read(self, source_path):
        recorder.markdown_reads += 1
        return original(self, source_path)

    monkeypatch.setattr(reader_module.FrontMatterMarkdownReader, "read", counting_read)
    signals.article_generator_finalized.connect(recorder.after_articles)
    yield recorder
    signals.article_generator_finalized.disconnect(recorder.after_articles)


def _snapshot(output):
    """path -> (mtime_ns, size) of every file in the output."""
    return {
        str(path.relative_to(output)): (path.stat().st_mtime_ns, path.stat().st_size)
        for path in output.rglob("*")
        if path.is_file()
    }


def _plain_theme_file(name: str) -> bool:
    parts = name.split(".")
    return name.startswith("theme/") and not (len(parts) >= 3 and len(parts[-2]) == 10)


def _build(tmp_path, recorder):
    import precompress.plugin as precompress
    import transcripts.plugin as transcripts
    import unchanged_writes.writer as unchanged

    recorder.audio_reads = None
    recorder.markdown_reads = 0
    output = build_site(
        tmp_path / "content", tmp_path / "out", cache_dir=tmp_path / "cache"
    )
    recorder.transcripts_formatted = transcripts.LAST_COUNTS.get("formatted")
    return output, dict(unchanged.LAST_COUNTS), dict(precompress.LAST_COUNTS)


def test_rebuilds_redo_only_what_changed(tmp_path, recorder, caplog):
    caplog.set_level(logging.INFO)
    content = copy_content(tmp_path / "content", stories=True)
    output, written, compressed = _build(tmp_path, recorder)
    stories = sorted(
        path.parent
        for path in (content / "stories").glob("*/story.md")
        if (output / "stories" / path.parent.name / "index.html").exists()
    )
    assert len(stories) >= 5
    assert not [r for r in caplog.records if "Cannot load plugin" in r.getMessage()]
    cold_reads = recorder.audio_reads
    assert cold_reads >= 5  # every story's audio read once
    assert recorder.transcripts_parsed >= 5  # and every transcript parsed
    assert recorder.transcripts_formatted >= 5  # and written as VTT, SRT, JSON
    assert recorder.markdown_reads >= len(stories)
    assert written["written"] > 10 and written["unchanged"] == 0
    assert compressed["compressed"] > 10
    before = _snapshot(output)

    # Nothing changed: no Markdown or audio read, no file written or compressed.
    output, written, compressed = _build(tmp_path, recorder)
    assert recorder.audio_reads == 0
    assert recorder.transcripts_parsed == 0
    assert recorder.transcripts_formatted == 0
    assert recorder.markdown_reads == 0
    assert written["written"] == 0 and written["unchanged"] > 10
    # No story page (nor its embed page) rendered again.
    reused = written["reused"]
    assert reused >= len(stories) and reused % len(stories) == 0
    per_story = reused // len(stories)
    assert compressed["compressed"] == 0
    touched = {
        name for name, stamp in _snapshot(output).items() if before[name] != stamp
    }
    # Pelican copies the theme's static files on every build (small; their
    # fingerprinted copies, which pages link, stay untouched), and the
    # pelican-sitemap package rewrites sitemap.xml (same bytes, new mtime).
    assert {
        name
        for name in touched
        if not _plain_theme_file(name) and name != "sitemap.xml"
    } == set()

    # One story's Markdown edited: that file alone is read again, its page
    # alone (and its compressed copies) changes among story pages.
    edited = stories[0]
    with open(edited / "story.md", "a", encoding="utf-8") as handle:
        handle.write("\nThey met again a year later.\n")
    output, written, compressed = _build(tmp_path, recorder)
    assert recorder.markdown_reads == 1
    assert recorder.audio_reads == 0
    assert written["reused"] == reused - per_story
    after = _snapshot(output)
    changed = {name for name in after if after[name] != before.get(name)}
    page = f"stories/{edited.name}/index.html"
    assert {page, page + ".gz", page + ".br"} <= changed
    other_story_pages = {
        name
        for name in changed
        if name.startswith("stories/")
        and name.count("/") == 2
        and not name.startswith(f"stories/{edited.name}/")
    }
    assert not other_story_pages
    assert "They met again a year later." in (output / page).read_text()
    before = after

    # One story's audio exported again with a new tag (story.md untouched):
    # that file alone is read again, and its page shows the new file size.
    replaced = next(s for s in stories[1:] if (s / "conversation.mp3").exists())
    audio = replaced / "conversation.mp3"
    old_size = audio.stat().st_size
    tags = mutagen.File(audio)
    tags["COMM::eng"] = COMM(encoding=3, lang="eng", desc="", text=["x" * 4000])
    tags.save()
    assert audio.stat().st_size > old_size
    output, written, compressed = _build(tmp_path, recorder)
    assert recorder.audio_reads == 1
    assert recorder.markdown_reads == 0
    assert recorder.transcripts_parsed == 0
    after = _snapshot(output)
    page = f"stories/{replaced.name}/index.html"
    assert after[page] != before.get(page)
    rewritten = {
        name
        for name in after
        if name.startswith("stories/")
        and name.count("/") == 2
        and name.endswith("/index.html")
        and after[name] != before.get(name)
    }
    assert rewritten == {page}
    # A new master makes a new rendition (keyed by the master's bytes), under
    # a new name; the earlier one is gone.
    [rendition] = (output / "stories" / replaced.name).glob(f"{replaced.name}-*.mp3")
    assert rendition.name in (output / page).read_text()

    # One transcript corrected: it alone is parsed and written out again.
    corrected = stories[-1] / "transcript.vtt"
    lines = corrected.read_text(encoding="utf-8").splitlines()
    first_cue = next(i for i, line in enumerate(lines) if line.startswith("<v "))
    lines[first_cue] += " (corrected)"
    corrected.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output, written, compressed = _build(tmp_path, recorder)
    assert recorder.transcripts_parsed == 1
    assert recorder.transcripts_formatted == 1
    vtt = output / "stories" / stories[-1].name / "transcript.vtt"
    assert "(corrected)" in vtt.read_text(encoding="utf-8")


def test_a_changed_template_renders_every_story_page_again(tmp_path):
    import unchanged_writes.writer as unchanged

    from tests.support import PROJECT_ROOT

    content = copy_content(tmp_path / "content", stories=True)
    theme = tmp_path / "theme"
    shutil.copytree(PROJECT_ROOT / "theme", theme)

    def build():
        return build_site(
            content, tmp_path / "out", cache_dir=tmp_path / "cache", THEME=str(theme)
        )

    output = build()
    pages = sorted((output / "stories").glob("*/index.html"))
    assert len(pages) >= 5
    build()
    assert unchanged.LAST_COUNTS["reused"] >= len(pages)  # story and embed pages

    article = theme / "templates" / "article.html"
    article.write_text(
        article.read_text().replace(
            '<article class="story"', '<article data-marker="v2" class="story"'
        )
    )
    build()
    assert unchanged.LAST_COUNTS["reused"] == 0
    assert all('data-marker="v2"' in page.read_text() for page in pages)
