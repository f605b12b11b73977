"""The editors' guide documents every field the schema accepts."""

import pathlib
import re

from portal import frontmatter
from portal.schema import FIELD_HELP, Story

GUIDE = pathlib.Path(__file__).parent.parent / "content" / "README.md"


def test_every_field_is_documented():
    documented = set(re.findall(r"^\| `([a-z_]+)`", GUIDE.read_text(), re.MULTILINE))
    documented |= {"episode"}  # documented together with season
    assert set(Story.model_fields) <= documented
    assert set(Story.model_fields) == set(FIELD_HELP)


def test_the_complete_example_is_valid():
    text = GUIDE.read_text()
    example = re.search(r"```yaml\n(---\n.*?)```", text, re.DOTALL).group(1)
    story = Story.model_validate(frontmatter.split(example).data)
    assert story.approval.releases_signed is True
    assert story.staff["release_form"] == "RF-2019-118"


def test_the_guide_says_how_to_take_a_story_down():
    """A participant who withdraws: the editor must find what to do, and
    what it does, without asking a programmer."""
    text = GUIDE.read_text()
    section = re.search(r"^## Taking a story down\n(.*?)^## ", text, re.S | re.M)
    assert section, "no 'Taking a story down' section"
    words = " ".join(section.group(1).split())
    assert "set its `status:` to `draft`" in words
    assert "Podcast apps that already downloaded the episode keep their copy" in words


def test_the_guides_example_messages_are_the_checks():
    """ "When something is wrong" shows messages as `./dev check` prints them
    (tests/test_check.py holds the check's exact words for each mistake)."""
    from tests.test_check import ERRORS

    text = GUIDE.read_text()
    block = re.search(
        r"^## When something is wrong\n.*?```\n(.*?)```", text, re.S | re.M
    ).group(1)

    def words(line: str) -> str:
        """The message without its place, any audio file's name the same."""
        line = re.sub(r"^\S+?:\d+: ", "", line)
        return re.sub(r"'[\w.-]+\.(?:mp3|ogg|m4a)'", "'AUDIO'", line)

    # And the check's example in "Adding a story in the terminal".
    shown = block.splitlines() + re.findall(r"^ +(content/\S+:\d+: .*)$", text, re.M)
    assert len(shown) > len(block.splitlines()), "the check's example is gone"
    said = {words(message) for message in ERRORS.values()}
    for line in shown:
        assert words(line) in said, line


def test_a_scheduled_story_goes_public_as_the_guide_says():
    """A future `published` day: the guide says when the story appears, and
    the content repository's workflow does run every day to make it so."""
    import yaml

    text = " ".join(GUIDE.read_text().split())
    assert (
        "it goes public with the first publish on or after that day (a content "
        "repository publishes by itself every morning)" in text
    )
    workflow = GUIDE.parent.parent / "templates/content-repo/.github/workflows"
    on = yaml.safe_load((workflow / "content.yml").read_text())[True]
    [schedule] = on["schedule"]
    _minute, hour, *every_day = schedule["cron"].split()
    assert every_day == ["*", "*", "*"] and hour.isdigit()


def test_the_guide_lists_the_topics_and_question_keys_in_use():
    """Made from the content by `./dev guide`: run it when this fails."""
    from portal import guide_lists

    text = GUIDE.read_text()
    block = guide_lists.lists_markdown(str(GUIDE.parent))
    assert block in text
    assert "`community` (" in block and "| `kindness` |" in block


def test_the_check_says_when_the_lists_are_stale_and_guide_rewrites_them(tmp_path):
    import shutil

    from tests.stories import write_story
    from tests.support import check_content, copy_content, invoke

    content = copy_content(tmp_path / "content")
    shutil.copy(GUIDE, content / "README.md")
    write_story(content, "new-topic", topics=["beekeeping"])

    def stale():
        result = check_content(content, tmp_path / "check-cache")
        return [str(p) for p in result.warnings if p.path == "content/README.md"]

    [warning] = stale()
    assert warning.endswith(
        ": topics and question keys: the lists of topics and question keys in use"
        " are out of date - run `./dev guide` to write them again from the"
        " content, and commit"
    )
    run = invoke("guide", "--content", str(content))
    assert run.returncode == 0, run.stderr
    assert "Updated the topics and question keys" in run.stdout
    assert "`beekeeping` (1 story)" in (content / "README.md").read_text()
    assert stale() == []
