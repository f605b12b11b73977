"""Staff-only fields and the approver's name never reach the output."""

from __future__ import annotations

import pathlib

import yaml

from tests.stories import assert_absent, write_story
from tests.support import CONTENT, build_site, copy_content

STAFF = {
    "contact_email": "keith.private.7731@example.net",
    "phone": "+1 928 555 0147",
    "release_form": "RF-2019-88412",
    "note": "Call after 6pm; prefers not to be named in press",
}
APPROVER = "Marguerite Okonkwo-Sandoval"


def approvers(content: pathlib.Path) -> list[str]:
    names = []
    for story in sorted((content / "stories").glob("*/story.md")):
        front = story.read_text(encoding="utf-8").split("---\n")[1]
        approval = yaml.safe_load(front).get("approval") or {}
        if approval.get("approved_by"):
            names.append(approval["approved_by"])
    return names


def test_staff_fields_of_approved_and_held_back_stories_never_published(tmp_path):
    content = copy_content(tmp_path / "content", stories=True)
    write_story(
        content,
        "private-details",
        title="A story with private details",
        staff=STAFF,
        approval={
            "approved_by": APPROVER,
            "approved_on": "2019-11-01",
            "releases_signed": True,
        },
    )
    output = build_site(content, tmp_path / "out")
    assert (output / "stories" / "private-details" / "index.html").is_file()
    assert_absent(output, *STAFF.values(), APPROVER)
    production = build_site(content, tmp_path / "prod", "publishconf.py")
    assert (production / "stories" / "private-details" / "index.html").is_file()
    assert_absent(production, *STAFF.values(), APPROVER)


def test_sample_site_prints_no_staff_note_or_approver(sample_site):
    names = approvers(CONTENT)
    assert len(names) >= 7
    held_back = CONTENT / "stories" / "across-the-counter" / "story.md"
    staff = yaml.safe_load(held_back.read_text().split("---\n")[1])["staff"]
    assert staff
    assert_absent(sample_site, *names, *(str(v) for v in staff.values()))
