"""The benchmark's "new story" rows (benchmarks/corpus.py): the story they
publish must be one the site accepts, with words no other story has, or
the row measures a story held back, or an edit."""

from __future__ import annotations

import re
import sys

from portal.checking import check_content
from tests.support import PROJECT_ROOT, images_shared, renditions_cache

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))

import corpus


def _words(folder) -> set[str]:
    text = " ".join(
        path.read_text()
        for path in folder.rglob("*.*")
        if path.suffix in {".md", ".vtt"}
    )
    return set(re.findall(r"[a-z]+", text.lower()))


def test_the_new_story_is_published_and_brings_words_no_story_had(
    tmp_path, monkeypatch
):
    root = tmp_path / "corpus"
    # One master is all these stories use: the first, made alone (the other
    # two, 4 minutes of FLAC and MP3 each, took some 2 s to make).
    monkeypatch.setattr(corpus, "AUDIO_SOURCES", corpus.AUDIO_SOURCES[:1])
    audio = corpus.make_audio(tmp_path / "audio")
    corpus.write_corpus(root, 2, audio)
    stories = root / "ours" / "stories"
    before = _words(stories)
    slug = corpus.add_new_story(root, 2, audio)
    assert slug == "conversation-00003"
    new = _words(stories / slug) - before
    assert {"quillfeather", "vantongeren", "opelousas", "zydeco"} <= new
    # Its master is a file of its own: no other story's changes stat.
    master = stories / slug / f"conversation{audio[0].suffix}"
    assert master.read_bytes() == audio[0].read_bytes()
    assert not master.samefile(audio[0])
    assert audio[0].stat().st_nlink == 1 + 2  # the two stories' links

    with images_shared(tmp_path / "cache"):  # the run's pictures and logos
        result = check_content(
            PROJECT_ROOT / "publishconf.py",
            content_path=root / "ours",
            overrides={
                "CACHE_PATH": str(tmp_path / "cache"),
                # The run's shared renditions (tests.support): the same master
                # (its bytes) is encoded once, not once a run when the cache is
                # kept between runs.
                "AUDIO_RENDITION_CACHE_PATH": renditions_cache(),
                "AUDIO_RENDITION_PRUNE": False,
            },
        )
    assert result.published == 3, [p.message for p in result.problems]
    assert not result.held_back and not result.blocked

    corpus.take_down_new_story(root, 2)
    assert sorted(p.name for p in stories.iterdir()) == [
        "conversation-00001",
        "conversation-00002",
    ]

    # A campaign's next story: recorded after every other, named among them.
    newest = corpus.add_new_story(root, 2, audio, newest=True)
    assert "conversation-00001" < newest < "conversation-00002"
    recorded = {
        path.parent.name: re.search(r"^date: (\S+)$", path.read_text(), re.M)[1]
        for path in stories.glob("*/story.md")
    }
    assert max(recorded, key=recorded.get) == newest
    corpus.take_down_new_story(root, 2, newest=True)
    assert not (stories / newest).exists()

    # A new story a stopped run left behind: the corpus written again for 2
    # stories holds 2 (the run would build it cold, then publish it again).
    corpus.add_new_story(root, 2, audio)
    corpus.add_new_story(root, 2, audio, newest=True)
    corpus.write_corpus(root, 2, audio)
    assert sorted(p.name for p in stories.iterdir()) == [
        "conversation-00001",
        "conversation-00002",
    ]
