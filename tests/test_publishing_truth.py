"""Publishing tells the truth: what `publish` says happened, happened.

A story an editor meant to be public never vanishes quietly from a
production build; `publish` with nowhere to send the site says it sent it
nowhere; messages say what to write, in an editor's words."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest

from portal import checking
from portal.problems import StoryContentError
from tests.stories import write_story
from tests.support import PROJECT_ROOT, build_site, copy_content

S = "content/stories"
APPROVAL = {
    "approved_by": "Test Editor",
    "approved_on": datetime.date(2019, 11, 1),
    "releases_signed": True,
}


def invoke(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "invoke", "--search-root", str(PROJECT_ROOT), *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_publish_without_a_deploy_target_says_it_deployed_nothing(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "good-story")
    output = tmp_path / "output"
    env = {**os.environ, "DEPLOY_TARGETS": "", "STORY_MEDIA_URL": ""}
    run = invoke(
        "publish", "--content", str(content), "--output", str(output), env=env
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert (output / "stories/good-story/index.html").is_file()
    assert f"Built the production site into {output}." in run.stdout
    assert "Deployed nothing: no deploy target is set." in run.stdout
    assert "Published" not in run.stdout


# Stories whose front matter says they should be public, each with one
# mistake that holds them back: the production build must stop on them.
MEANT_PUBLIC = {
    "capital-status": (
        {"status": "Published"},
        f"{S}/capital-status/story.md:22: status: 'Published' must be written in"
        " lowercase - use draft while you work on it, published when it should go"
        " public",
    ),
    "misspelled-approval": (
        {"approval": None, "aproval": APPROVAL},
        f"{S}/misspelled-approval/story.md:23: aproval: is not a field we know -"
        " did you mean 'approval'?",
    ),
    "signed-yes-and-another-error": (
        {
            "relationship": "rivals",
            "approval": {**APPROVAL, "releases_signed": "yes"},
        },
        f"{S}/signed-yes-and-another-error/story.md:11: relationship: Input should"
        " be 'strangers', 'family', 'friends', 'colleagues', 'neighbors' or"
        " 'acquaintances'",
    ),
    "forgotten-releases": (
        {"approval": {k: v for k, v in APPROVAL.items() if k != "releases_signed"}},
        f"{S}/forgotten-releases/story.md:23: approval.releases_signed: is required"
        " but missing - add 'releases_signed:' under 'approval:', true once every"
        " participant has signed the release (false until then)",
    ),
}
# Mistakes in stories that say "not yet" in so many words: held back, and
# the production build goes on without them.
NOT_YET = {
    "draft-with-typo": {"status": "draft", "approval": None, "aproval": APPROVAL},
    "unsigned-with-typo": {
        "relationship": "rivals",
        "approval": {**APPROVAL, "releases_signed": False},
    },
    "no-approval-with-typo": {"approval": None, "relationship": "rivals"},
}


@pytest.fixture(scope="module")
def meant_public(tmp_path_factory):
    content = copy_content(tmp_path_factory.mktemp("meant") / "content")
    write_story(content, "good-story")
    for slug, (overrides, _) in MEANT_PUBLIC.items():
        write_story(content, slug, **overrides)
    for slug, overrides in NOT_YET.items():
        write_story(content, slug, **overrides)
    return content


def test_a_story_meant_to_be_public_stops_the_production_build(
    meant_public, tmp_path
):
    with pytest.raises(StoryContentError) as caught:
        build_site(meant_public, tmp_path / "output", "publishconf.py")
    report = str(caught.value)
    named, problems = report.split("Fix every problem below", 1)
    for slug, (_, message) in MEANT_PUBLIC.items():
        assert f"  {S}/{slug}/story.md\n" in named
        assert message in problems
    for slug in NOT_YET:
        assert slug not in report
    assert not (tmp_path / "output" / "index.html").exists()


def test_the_check_names_the_same_stories_as_blocking(meant_public):
    result = checking.check_content(
        PROJECT_ROOT / "publishconf.py", content_path=meant_public
    )
    assert sorted(result.blocked) == sorted(
        f"{S}/{slug}/story.md" for slug in MEANT_PUBLIC
    )
    errors = [str(problem) for problem in result.errors]
    for _, message in MEANT_PUBLIC.values():
        assert any(error.startswith(message) for error in errors), message
