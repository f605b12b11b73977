"""A file saved while a build runs is in the next build's pages.

An editor in the live preview (``./dev cms``, ``./dev livereload``) saves
again while the last save's build is still running. That build made its
pages from the file as it read it; the next one must make them again from
the file as it is now. The story pipeline's cache keys each story's outputs
by the bytes of its inputs (plugins/story_pipeline/key.py): hashed after the
build read them, the key named the new bytes over pages made from the old,
and every later build kept the old pages."""

from __future__ import annotations

from pelican import signals

from tests.support import LEAN, build_site, copy_content, images_shared

QUESTION = "Why did you agree to have this conversation?"
SAID = "Dale, I will be honest."


def test_a_file_saved_during_a_build_is_in_the_next_build(tmp_path):
    content = copy_content(tmp_path / "content", stories=True)
    questions = content / "data" / "questions.yml"
    transcript = content / "stories" / "common-ground" / "transcript.vtt"
    cache = tmp_path / "cache"
    with images_shared(cache):
        build_site(content, tmp_path / "first", cache_dir=cache, **LEAN)

    def save_while_building(_generator):
        # Once the stories are read, before the build keys their outputs:
        # a guide question (shown on every story page that answers it) and
        # a line of a transcript (shown on its story's page).
        questions.write_text(
            questions.read_text("utf-8").replace(QUESTION, "Why did you say yes?"),
            "utf-8",
        )
        transcript.write_text(
            transcript.read_text("utf-8").replace(SAID, "Dale, I will be frank."),
            "utf-8",
        )

    signals.article_generator_finalized.connect(save_while_building)
    try:
        during = build_site(content, tmp_path / "during", cache_dir=cache, **LEAN)
    finally:
        signals.article_generator_finalized.disconnect(save_while_building)
    page = (during / "stories" / "common-ground" / "index.html").read_text("utf-8")
    assert QUESTION in page and SAID in page  # as the build read them

    after = build_site(content, tmp_path / "after", cache_dir=cache, **LEAN)
    page = (after / "stories" / "common-ground" / "index.html").read_text("utf-8")
    assert "Why did you say yes?" in page and QUESTION not in page
    assert "Dale, I will be frank." in page and SAID not in page
    vtt = (after / "stories" / "common-ground" / "transcript.vtt").read_text("utf-8")
    assert "Dale, I will be frank." in vtt
