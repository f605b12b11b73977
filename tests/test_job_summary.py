"""The job summary: what the run's page on GitHub shows an editor.

`./dev check` and `./dev publish` append Markdown to the file that
GITHUB_STEP_SUMMARY names, as GitHub Actions sets it: what to fix, or what
was published. Run here as the workflow runs them, on real content, and the
Markdown rendered with the `markdown` package to see that nothing from the
content (a folder name, a field's value) becomes markup."""

from __future__ import annotations

import html.parser

import markdown

from portal import job_summary
from tests.stories import write_story
from tests.support import copy_content, invoke

# Everything Markdown or HTML could read as markup, and a line break.
HOSTILE = "<img src=x onerror=alert(1)>|*b*`c`_d_ [e](f) #\nnext"
HOSTILE_FOLDER = "draft-<img src=x onerror=alert(1)>|*b*`c`"
# Tags the summaries write themselves: none comes from the content.
OUR_TAGS = {"h2", "h3", "p", "ul", "li", "strong"}


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)

    def handle_data(self, data):
        self.text.append(data)


def rendered(summary: str) -> tuple[set[str], str]:
    """The tags and the text of the summary as Markdown renders it."""
    parser = _Tags()
    parser.feed(markdown.markdown(summary))
    return parser.tags, "".join(parser.text)


def run(task: str, summary_file, *args: str, env: dict | None = None):
    """``task`` as the workflow runs it on GitHub Actions."""
    github = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary_file)}
    return invoke(task, *args, env={**github, **(env or {})})


def test_check_summary_says_all_is_ready(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "good-story")
    summary = tmp_path / "summary.md"
    summary.write_text("An earlier step's summary.\n")  # GitHub appends steps
    result = run("check", summary, "--content", str(content))
    assert result.returncode == 0, result.stdout + result.stderr
    text = summary.read_text()
    assert text.startswith("An earlier step's summary.\n")
    assert "\n## All 1 story ready to publish\n" in text
    assert "Checked 1 story: 1 ready to publish, 0 held back;" in text
    assert "Held back" not in text and "Errors" not in text


def test_check_summary_names_what_to_fix_and_renders_harmless(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "good-story", title="<script>alert(1)</script> *x*")
    write_story(content, "draft-story", status="draft", title=HOSTILE)
    write_story(content, "bad-story", relationship=HOSTILE)
    summary = tmp_path / "summary.md"
    result = run("check", summary, "--content", str(content))
    assert result.returncode == 1
    text = summary.read_text()
    assert text.startswith("## 1 error to fix before this can be published\n")
    tags, words = rendered(text)
    assert tags <= OUR_TAGS, text
    # Grouped by story, with the file and line, in the annotation's words.
    annotation = next(
        line
        for line in result.stdout.splitlines()
        if line.startswith("::error file=content/stories/bad-story/story.md,line=11::")
    )
    said = annotation.split("::", 2)[2].replace("%0A", "\n")
    # Named by title, with its folder: editors know their stories by title.
    assert "Conversation bad-story (content/stories/bad-story/)" in words
    assert f"story.md, line 11: {' '.join(said.split())}" in words
    assert "<img src=x onerror=alert(1)>|*b*`c`_d_ [e](f) # next" in words
    assert "Held back (not on the public site)" in words
    # Its title, from the content, reads as written (the line break a space).
    assert (
        "<img src=x onerror=alert(1)>|*b*`c`_d_ [e](f) # next "
        "(content/stories/draft-story/story.md): status is 'draft'"
    ) in words
    assert "<script>" not in text


def test_publish_summary_says_what_went_out_or_why_not(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "good-story")
    write_story(content, HOSTILE_FOLDER, id="draft-story", status="draft")
    site = tmp_path / "www"
    env = {
        "SITEURL": "https://stories.example.org",
        "STORY_MEDIA_URL": "",
        "OUTPUT_PATH": str(tmp_path / "public"),
        "DEPLOY_RSYNC_TARGET": str(site),
    }
    summary = tmp_path / "summary.md"
    args = ("--content", str(content))

    result = run("publish", summary, "--to", "rsync", *args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    text = summary.read_text()
    assert text.startswith("## Published: deployed to rsync\n"), text
    tags, words = rendered(text)
    assert tags <= OUR_TAGS, text
    assert "1 story published, 1 held back" in words
    assert "https://stories.example.org" in words
    assert f"rsync: the site is at {site}" in words
    held = f"Conversation {HOSTILE_FOLDER} (content/stories/{HOSTILE_FOLDER}/story.md)"
    assert f"{held}: content errors in" in words

    def failed(target: str, heading: str) -> str:
        """The words of a publish that fails, whose summary is ``heading``."""
        summary.unlink()
        result = run("publish", summary, "--to", target, *args, env=env)
        assert result.returncode == 1
        text = summary.read_text()
        assert text.startswith(f"## {heading}\n"), text
        return rendered(text)[1]

    # Nothing changed: nothing is built, and a deploy that fails says so.
    words = failed("ftp", "Publishing failed: the deploy failed")
    assert "Nothing changed since the last build" in words
    assert "Deploy failed: there is no deploy target 'ftp'" in words
    assert "The site online is unchanged." in words
    assert "Published" not in words

    # A story with an error stops the build: nothing is published.
    online = sorted(path.name for path in (site / "stories").iterdir())
    write_story(content, "broken", audio_fixture=None, audio="gone.mp3")
    words = failed("rsync", "Publishing failed: nothing was published")
    assert "content/stories/broken/story.md" in words  # the build's own word
    assert "StoryContentError" not in words  # words for people, not a class
    assert "The site online is unchanged." in words
    assert "Published" not in words
    assert sorted(path.name for path in (site / "stories").iterdir()) == online


def test_text_is_plain_wherever_it_goes_and_a_summary_stays_under_the_limit(
    tmp_path,
):
    for value in (HOSTILE, "# a heading", "- an item", "12. a list", "> a quote"):
        line = job_summary.text(value)
        assert "\n" not in line
        for markup in (f"- {line}", f"**{line}**", f"## {line}"):
            tags, words = rendered(markup)
            assert tags <= OUR_TAGS, markup
            assert words.strip() == " ".join(value.split())

    # A deploy cut off while sending never says the site is unchanged.
    cut_off = job_summary.published(
        built=None,
        unchanged=None,
        sent=[],
        site=None,
        deploy_error="rsync to host:/www failed (exit status 12) - publish again",
        partly_sent=True,
    )
    assert "The site online may be partly updated" in cut_off
    assert "unchanged" not in cut_off
    after_one = job_summary.published(
        built=None,
        unchanged=None,
        sent=[("s3", ["s3: 3 files sent"])],
        site=None,
        deploy_error="rsync to host:/www failed (exit status 12) - publish again",
        partly_sent=True,
    )
    assert "It was deployed to s3 before that" in after_one
    assert "target that failed may be partly updated" in after_one

    summary = tmp_path / "summary.md"
    environ = {job_summary.ENV: str(summary)}
    assert not job_summary.append("## Not asked for", environ={})
    assert job_summary.append("- a line\n" * 200_000, environ=environ)
    written = summary.read_bytes()
    assert len(written) <= job_summary.LIMIT
    assert written.endswith(job_summary.CUT.encode())
