"""The editing UI at /admin/ in Chromium, saving through the real local backend.

A temporary copy of the project's content is built with the editing UI on
(pelicanconf.py, as ``./dev serve`` builds it), served by the dev server,
and decap-server (``./dev cms``'s local backend) writes into that copy. An
editor's story made in the form must then pass ``./dev check`` and show in
the drafts preview with its "Not public" banner.
"""

from __future__ import annotations

import shutil
import socket
import urllib.request

import pytest
import yaml

from portal import devserver, frontmatter, local_backend
from portal.schema import FIELD_HELP
from tests.stories import AUDIO, write_story
from tests.support import LEAN, PROJECT_ROOT, build_site, copy_content, invoke

pytestmark = pytest.mark.browser

TRANSCRIPT = """WEBVTT

00:00.000 --> 00:00.900
<v Rosa Delgado>I almost did not come today.

00:01.000 --> 00:01.800
<v Sam Whitfield>Neither did I, to be honest.
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def cms(tmp_path_factory):
    """(site URL, project folder) with decap-server writing to the project."""
    if not (PROJECT_ROOT / "node_modules" / "decap-cms" / "dist").is_dir():
        from tests.conftest import skip_or_fail

        skip_or_fail("Decap CMS is not installed (npm ci)")
    base = tmp_path_factory.mktemp("editing-ui")
    project = base / "project"
    content = copy_content(project / "content")
    # One story, so the form names topics in use.
    write_story(content, "already-here", topics=["faith", "family", "work"])
    port = _free_port()
    output = build_site(
        content,
        base / "output",
        EDITING_UI=True,
        EDITING_UI_LOCAL_BACKEND=local_backend.api_url(port),
        **LEAN,
    )
    with local_backend.running(project, port), devserver.running(output) as url:
        yield url, project


def open_new_story(page, url: str) -> None:
    page.set_default_timeout(30_000)  # Decap is 5 MB of JavaScript
    page.goto(f"{url}/admin/")
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Stories").first.wait_for()
    page.goto(f"{url}/admin/#/collections/stories/new")
    page.locator("#title-field-2").wait_for()


def field(page, name: str):
    """The input of a top-level field, by its name (ids are name-field-N)."""
    return page.locator(f"[id^='{name}-field-']").first


def control(page, name: str):
    """The whole control of a field: label, input(s), hint, errors."""
    return page.locator(f"label[for^='{name}-field-']").first.locator("xpath=../..")


def choose(page, name: str, option: str) -> None:
    """Pick an option of a select widget (react-select)."""
    field(page, name).click()
    page.get_by_role("option", name=option, exact=True).click()


def upload(page, name: str, path) -> None:
    """Upload a file through the media library into the story's folder."""
    box = control(page, name)
    box.get_by_role("button", name="Choose a file").click()
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text(path.name, exact=True).wait_for()
    page.get_by_role("button", name="Choose selected").click()
    box.get_by_text(path.name, exact=True).wait_for()


def save(page) -> None:
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Save now", exact=True).click()


def test_editor_creates_a_story_that_passes_the_check(cms, strict_page, tmp_path):
    url, project = cms
    page = strict_page
    transcript = tmp_path / "transcript.vtt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    audio = tmp_path / "conversation.mp3"
    shutil.copyfile(AUDIO / "speech.mp3", audio)

    open_new_story(page, url)
    field(page, "title").fill("We almost stayed home")
    field(page, "summary").fill("Two neighbours nearly skip the conversation.")
    field(page, "date").fill("2019-10-12")
    people = control(page, "participants")
    for name, description in (
        ("Rosa Delgado", "nurse, Tucson, Arizona"),
        ("Sam Whitfield", "rancher, Cody, Wyoming"),
    ):
        people.get_by_role("button", name="Add participant").click()
        people.locator("[id^='name-field-']").last.fill(name)
        people.locator("[id^='description-field-']").last.fill(description)
    choose(page, "relationship", "Neighbors")
    # One topic in use, one the site does not have yet.
    field(page, "topics").fill("faith, town halls")
    chapters = control(page, "chapters")
    chapters.get_by_role("button", name="Add chapter").click()
    chapters.locator("[id^='start-field-']").last.fill("0:00")
    chapters.locator("[id^='title-field-']").last.fill("Why we came")
    chapters.locator("[id^='question-field-']").last.click()
    page.get_by_role(
        "option", name="Why did you agree to have this conversation?"
    ).click()
    upload(page, "audio", audio)
    upload(page, "transcript", transcript)
    # The preview pane draws it as the story page does, with the site's CSS.
    preview = page.frame_locator("iframe").first
    preview.get_by_role("heading", name="We almost stayed home").wait_for()
    preview.get_by_text("Rosa Delgado and Sam Whitfield", exact=True).wait_for()
    preview.get_by_text("Neighbors", exact=True).wait_for()
    preview.get_by_text("Two neighbours nearly skip the conversation.").wait_for()
    preview.get_by_text("Not public.").wait_for()
    assert preview.locator("audio[controls]").count() == 1
    assert preview.locator(".story__title").evaluate(
        "e => getComputedStyle(e).fontFamily"
    ) != preview.locator("body").evaluate("e => getComputedStyle(e).fontFamily")
    save(page)
    page.get_by_text("Saved. The story goes public only once").wait_for()

    folder = project / "content" / "stories" / "we-almost-stayed-home"
    assert sorted(p.name for p in folder.iterdir()) == [
        "conversation.mp3",
        "story.md",
        "transcript.vtt",
    ]
    assert (folder / "conversation.mp3").read_bytes() == audio.read_bytes()
    assert (folder / "transcript.vtt").read_text(encoding="utf-8") == TRANSCRIPT
    written = frontmatter.split((folder / "story.md").read_text(encoding="utf-8"))
    data = written.data
    assert data["title"] == "We almost stayed home"
    assert [p["name"] for p in data["participants"]] == [
        "Rosa Delgado",
        "Sam Whitfield",
    ]
    assert data["relationship"] == "neighbors"
    assert str(data["date"]) == "2019-10-12"
    assert data["topics"] == ["faith", "town halls"]
    assert data["audio"] == "conversation.mp3"
    assert data["transcript"] == "transcript.vtt"
    assert data["chapters"] == [
        {"start": "0:00", "title": "Why we came", "question": "why-here"}
    ]
    # Optional fields left empty are left out, not written as ''.
    assert "published" not in data and "approval" not in data

    # ./dev check passes on it (the check of publishconf.py, as CI runs it).
    check = invoke("check", "--content", str(project / "content"), timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "we-almost-stayed-home/story.md" in check.stdout  # held back: a draft
    assert "No errors" in check.stdout or "0 errors" in check.stdout

    # The drafts preview shows it, marked "Not public".
    drafts = build_site(
        project / "content", tmp_path / "drafts", STORY_PREVIEW=True, **LEAN
    )
    story_page = (
        drafts / "stories" / "we-almost-stayed-home" / "index.html"
    ).read_text(encoding="utf-8")
    assert "Not public." in story_page
    assert "Rosa Delgado" in story_page and "Sam Whitfield" in story_page


def test_a_required_field_left_empty_gets_the_schemas_message(cms, strict_page):
    url, project = cms
    page = strict_page
    open_new_story(page, url)
    field(page, "title").fill("Nobody recorded the date")
    field(page, "id").fill("Not An Id")
    save(page)
    page.get_by_text("Recorded on is required but missing").wait_for()
    # The fix under the field is the schema's help for it.
    help_text = FIELD_HELP["date"]
    assert (
        control(page, "date")
        .get_by_text(help_text[0].upper() + help_text[1:] + ".")
        .is_visible()
    )
    # A value the schema refuses: the check's words (config.yml; that they
    # are the check's is tests/test_editing_ui.py's), shown as they are.
    with urllib.request.urlopen(f"{url}/admin/config.yml") as response:
        config = yaml.safe_load(response.read())
    stories = next(c for c in config["collections"] if c["name"] == "stories")
    id_field = next(f for f in stories["fields"] if f["name"] == "id")
    message = id_field["pattern"][1]
    assert message.startswith("Must be 3-64 lowercase letters")
    control(page, "id").get_by_text(message, exact=True).wait_for()
    assert not (project / "content" / "stories" / "nobody-recorded-the-date").exists()
