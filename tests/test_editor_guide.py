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
