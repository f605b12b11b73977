"""The editing UI at /admin/ in Chromium, saving through the real local backend.

A temporary copy of the project's content is built with the editing UI on
(pelicanconf.py, as ``./dev serve`` builds it), served by the dev server,
and decap-server (``./dev cms``'s local backend) writes into that copy. An
editor's story made in the form must then pass ``./dev check`` and show in
the drafts preview with its "Not public" banner.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
import urllib.request

import pytest
import yaml
from editing_ui import checked
from editing_ui.decap_config import FORM_HELP

from portal import frontmatter, schema
from tests.stories import AUDIO, write_story
from tests.support import (
    LEAN,
    PROJECT_ROOT,
    build_site,
    check_content,
    copy_content,
    editing_ui_running,
    invoke,
)

pytestmark = pytest.mark.browser

TRANSCRIPT = """WEBVTT

00:00.000 --> 00:00.900
<v Rosa Delgado>I almost did not come today.

00:01.000 --> 00:01.800
<v Sam Whitfield>Neither did I, to be honest.
"""


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
    # Status published, a release not signed: held back.
    write_story(
        content,
        "not-yet-signed",
        approval={
            "approved_by": "Jamie Editor",
            "approved_on": datetime.date(2019, 11, 1),
            "releases_signed": False,
        },
    )
    with editing_ui_running(project, base / "output") as url:
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


def save(page, choice: str = "Save now") -> None:
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text(choice, exact=True).click()


def retype(locator, text: str) -> None:
    """Replace what a text field holds (Decap keeps the caret, so Playwright's
    fill would add to it)."""
    locator.click()
    locator.press("Control+a")
    locator.press("Backspace")
    if text:
        locator.type(text)


def messages(page) -> list[str]:
    """The messages shown above the fields."""
    return page.locator("[class*='ControlErrorsList'] li").all_inner_texts()


def story_fields_config(url: str) -> dict:
    """The story form's fields in the site's config.yml, by dotted name."""
    with urllib.request.urlopen(f"{url}/admin/config.yml") as response:
        config = yaml.safe_load(response.read())
    stories = next(c for c in config["collections"] if c["name"] == "stories")
    out = {}
    for field in stories["fields"]:
        out[field["name"]] = field
        for part in field.get("fields", []):
            out[f"{field['name']}.{part['name']}"] = part
    return out


def fill_required(page, title: str, audio, names=("Rosa Delgado", "Sam Whitfield")):
    """A new story's required fields: title, date, two people, how they know
    each other, the audio."""
    field(page, "title").fill(title)
    field(page, "date").fill("2019-10-12")
    people = control(page, "participants")
    for name in names:
        people.get_by_role("button", name="Add participant").click()
        people.locator("[id^='name-field-']").last.fill(name)
    choose(page, "relationship", "Neighbors")
    upload(page, "audio", audio)


def add_chapter(page, start: str, title: str) -> None:
    chapters = control(page, "chapters")
    chapters.get_by_role("button", name="Add chapter").click()
    chapters.locator("[id^='start-field-']").last.fill(start)
    chapters.locator("[id^='title-field-']").last.fill(title)


def errors_of(project, folder: str) -> list[str]:
    """./dev check's errors about one story (publishconf.py, as CI checks),
    in a cache of the module's own (not the project's, whose lock the other
    worker's ./dev publish tests may hold)."""
    result = check_content(project / "content", project.parent / "check-cache")
    return [str(p) for p in result.problems if p.is_error and f"/{folder}/" in p.path]


@pytest.fixture
def audio(tmp_path):
    path = tmp_path / "conversation.mp3"
    shutil.copyfile(AUDIO / "speech.mp3", path)  # 3.9 seconds
    return path


def test_editor_creates_a_story_that_passes_the_check(cms, strict_page, tmp_path):
    url, project = cms
    page = strict_page
    transcript = tmp_path / "transcript.vtt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    audio = tmp_path / "conversation.mp3"
    shutil.copyfile(AUDIO / "speech.mp3", audio)

    page.clock.install()  # time runs, and a minute can be skipped
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
    # Why, in the form's own words: its fields, not story.md's names.
    banner = preview.locator(".preview-banner").text_content()
    assert "no approval (Approved by and Approved on are empty)" in banner, banner
    assert preview.locator("audio[controls]").count() == 1
    assert preview.locator(".story__title").evaluate(
        "e => getComputedStyle(e).fontFamily"
    ) != preview.locator("body").evaluate("e => getComputedStyle(e).fontFamily")
    save(page)
    # All it takes, the releases too: not "its approval is filled in" alone.
    page.get_by_text(
        "Saved. A story goes public only once its status is published and its "
        "approval is filled in, with every release signed."
    ).wait_for()
    # No drafts preview behind this page (built as ./dev build builds it):
    # a minute on, the form says that the check could not run, once.
    page.clock.fast_forward("01:01")
    found = page.get_by_role("status", name="What the check found")
    found.wait_for()
    assert found.locator("p").all_inner_texts() == [
        "Saved \u201cWe almost stayed home\u201d. The check could not run:",
        "No drafts preview checks the stories saved here: open the form that"
        " ./dev cms serves. Run ./dev check in a terminal to see what it finds.",
    ]

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


def test_the_list_says_published_only_of_a_story_with_its_releases(cms, strict_page):
    """A story with status published whose release is not signed is held
    back: the list of stories must not call it published, full stop."""
    url, _ = cms
    page = strict_page
    page.set_default_timeout(30_000)
    page.goto(f"{url}/admin/")
    page.get_by_role("button", name="Login").click()
    page.get_by_text(
        "Conversation not-yet-signed (2019-10-12, published, release not signed)"
    ).wait_for()
    page.get_by_text(
        "Conversation already-here (2019-10-12, published)", exact=True
    ).wait_for()


def test_a_required_field_left_empty_gets_the_schemas_message(cms, strict_page):
    url, project = cms
    page = strict_page
    open_new_story(page, url)
    # Not "Changes saved" over a form nothing was saved from yet.
    page.get_by_text("No unsaved changes", exact=True).wait_for()
    field(page, "title").fill("Nobody recorded the date")
    field(page, "id").fill("Not An Id")
    save(page)
    page.get_by_text("Recorded on is required but missing").wait_for()
    # The fix under the field is its help (the form's own, for a date picked).
    help_text = FORM_HELP["date"]
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


def test_a_refused_save_shows_its_message_far_down_the_form(cms, strict_page, audio):
    """Decap says nothing when a value is refused (only when a field is
    empty): Save would seem to do nothing, the message out of sight."""
    url, project = cms
    page = strict_page
    open_new_story(page, url)
    fill_required(page, "A chapter at 1.30", audio)
    add_chapter(page, "1.30", "Where we grew up")
    field(page, "title").scroll_into_view_if_needed()
    save(page)
    start = control(page, "chapters").locator("[id^='start-field-']")
    message = control(page, "chapters").locator("[class*='ControlErrorsList']")
    page.wait_for_function(
        "e => document.activeElement === e", arg=start.element_handle()
    )
    assert message.first.text_content().startswith("Start is a decimal number")
    box, height = message.first.bounding_box(), page.viewport_size["height"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= height
    assert not (project / "content" / "stories" / "a-chapter-at-1-30").exists()


def _decimal_message(dotted: str, written: str) -> str:
    """The check's warning for a decimal time, in the form's words."""
    top, leaf = dotted.split(".")
    data = {top: [{leaf: written, "title": "A"}]}
    (warning,) = schema.decimal_time_warnings(data)
    text = re.sub(r"^[a-z]+ \d+(?: \('[^']*'\))?: ", "", warning["message"])
    return f"{text[0].upper()}{text[1:]} - {warning['fix']}"


def test_the_forms_mistakes_get_the_checks_words(cms, strict_page, audio):
    """The mistakes editors make are refused in the check's words, shown
    as written (not in capitals); put right as the messages say, the story
    saves, the check finds no error in it, and a switch left off in the
    approval is written as false, which the check needs."""
    url, project = cms
    page = strict_page
    config = story_fields_config(url)
    open_new_story(page, url)
    fill_required(page, "¿¡", audio)
    # Its own id: this module's site is built once, so the next free id the
    # form offers does not move on as stories are saved (./dev cms rebuilds).
    retype(field(page, "id"), "oss-2019-0501")
    people = control(page, "participants")
    retype(people.locator("[id^='name-field-']").last, "Rosa Delgado")
    field(page, "summary").fill("x" * 750)
    add_chapter(page, "1:60", "Where we grew up")
    add_chapter(page, "1.30", "Why we came")
    add_chapter(page, "0:01", "What scares us")
    quote = control(page, "quote")
    quote.locator("[id^='start-field-']").fill("0:01")
    quote.locator("[id^='end-field-']").fill("0:03")
    quote.locator("[id^='text-field-']").fill("I almost did not come.")
    control(page, "approval").locator("[id^='approved_by-field-']").fill("Jamie Editor")
    save(page)
    page.get_by_text("Approved on is required but missing").wait_for()

    checks = {
        dotted: {check["kind"]: check for check in field.get("checks", [])}
        for dotted, field in config.items()
    }
    start = checks["chapters.start"]
    length = checks["quote.end"]["duration"]["templates"]["long"]
    expected = {
        # The title names no folder; two people of one name (both marked).
        checks["title"]["rule"]["message"],
        checks["participants.name"]["unique"]["message"],
        config["summary"]["pattern"][1],
        start["rule"]["message"],  # 1:60
        _decimal_message("chapters.start", "1.30"),
        start["increasing"]["message"],  # 0:01 after 1.3 seconds
        length.format(start="0:01", end="0:03", length="2"),
        "Approved on is required but missing - fill it in (see the note under it)",
    }
    shown = messages(page)
    assert set(shown) == expected, shown
    assert config["summary"]["pattern"][1].startswith("Is more than 600 characters")
    assert not [text for text in shown if "601" in text]
    errors = page.locator("[class*='ControlErrorsList']").first
    assert errors.evaluate("e => getComputedStyle(e).textTransform") == "none"
    assert not (project / "content" / "stories" / "xx").exists()

    # Put right as the messages say.
    retype(field(page, "title"), "Mistakes put right")
    retype(people.locator("[id^='name-field-']").last, "Sam Whitfield")
    retype(field(page, "summary"), "Two neighbours nearly skip the conversation.")
    starts = control(page, "chapters").locator("[id^='start-field-']")
    retype(starts.nth(0), "0:00")
    retype(starts.nth(1), "0:01.3")  # "for 1.3 seconds, write 0:01.3"
    retype(starts.nth(2), "0:02")
    for part in ("start", "end", "text"):  # no quote after all: emptied
        retype(quote.locator(f"[id^='{part}-field-']"), "")
    approved_on = control(page, "approval").locator("[id^='approved_on-field-']")
    approved_on.fill("2019-11-01")
    save(page)
    page.get_by_text("Saved. A story goes public only once").wait_for()

    folder = project / "content" / "stories" / "mistakes-put-right"
    data = frontmatter.split((folder / "story.md").read_text(encoding="utf-8")).data
    assert [c["start"] for c in data["chapters"]] == ["0:00", "0:01.3", "0:02"]
    assert "quote" not in data
    assert data["approval"] == {
        "approved_by": "Jamie Editor",
        "approved_on": datetime.date(2019, 11, 1),
        "releases_signed": False,
    }
    assert errors_of(project, "mistakes-put-right") == []


def test_front_matter_reads_back_as_typed(cms, strict_page, audio):
    """Words YAML 1.1 reads as something else (No, Yes, on, Off, =) come
    back as the words typed; days are dates, times text. The preview's
    banner says why a story is not public, as the site's does."""
    url, project = cms
    page = strict_page
    open_new_story(page, url)
    fill_required(page, "No", audio)
    retype(field(page, "id"), "oss-2019-0502")
    field(page, "summary").fill("Off")
    field(page, "facilitator").fill("=")
    # 'famly' beside 'family' of two other stories: a warning of the check's.
    field(page, "topics").fill("on, faith, famly")
    add_chapter(page, "0:00", "Yes")
    add_chapter(page, "0:02", "<<")
    choose(page, "status", "published")
    approval = control(page, "approval")
    approval.locator("[id^='approved_by-field-']").fill("Jamie Editor")
    # A day to come: the form takes it, the check warns of it.
    approval.locator("[id^='approved_on-field-']").fill("2099-11-01")
    preview = page.frame_locator("iframe").first
    preview.get_by_text("not every participant has signed the release").wait_for()
    approval.locator("[id^='releases_signed-field-']").click()
    preview.get_by_role("heading", name="No").wait_for()
    assert preview.get_by_text("Not public.").count() == 0
    save(page)
    page.get_by_text("Saved. A story goes public only once").wait_for()
    # The editor goes on to the list of stories before the rebuild is done
    # (once Decap has gone to the saved story's page, as it does after a save).
    page.wait_for_url(re.compile(r"/entries/no/"))
    page.goto(f"{url}/admin/#/collections/stories")
    page.locator("[id^='title-field-']").first.wait_for(state="detached")
    # A story saved by hand, its quote's end written in minutes (90:00),
    # with the id of the story saved in the form (a folder copied, say).
    quote = {"start": "89:40", "end": "90:00", "text": "Words said."}
    write_story(project / "content", "late-quote", quote=quote, id="oss-2019-0502")
    # ./dev cms rebuilds the drafts preview after the save: then what the
    # check found is shown where "Saved" was said, in the form's words,
    # naming the story saved, not the one on screen; and only its own
    # findings, never those of the other story with its id.
    rebuild_drafts_preview(url, project)
    found = page.get_by_role("status", name="What the check found")
    found.wait_for()
    # (Held back by the error: the id is another's.)
    assert found.locator("p").inner_text() == (
        "Saved \u201cNo\u201d. 5 things to look at before it is published:"
    )
    assert found.locator("li").all_inner_texts() == [
        "Warning: Approval, Approved on: the approval is dated 2099-11-01, a day"
        " still to come, and does not hold the story back - write the day it was"
        " approved; for the story to go public on a later day, write that day as"
        " published:",
        "Error: Permanent id: the id 'oss-2019-0502' is also used by"
        " content/stories/late-quote/story.md - give each story its own id;"
        " never change the id of a story that is already public",
        "Warning: Topic 3: 'famly' is a topic no other story has, spelled almost"
        " like 'family', which other stories have - if you meant 'family', write"
        " that; if 'famly' is a new topic, leave it",
        # (The form leaves the descriptions to fill in later.)
        "Warning: Participant 1, Description: participant 1 ('Rosa Delgado') has no"
        " description - write a few words under 'description:': what they do,"
        " where they live (like 'retired teacher, Tulsa, Oklahoma')",
        "Warning: Participant 2, Description: participant 2 ('Sam Whitfield') has"
        " no description - write a few words under 'description:': what they do,"
        " where they live (like 'retired teacher, Tulsa, Oklahoma')",
    ]
    found.get_by_role("button", name="Close").click()
    assert page.get_by_role("status", name="What the check found").count() == 0
    # The quote past the end, said as the chapters' times are: as written
    # and as read.
    admin = project.parent / "output" / "admin"
    stories = json.loads((admin / "checked.json").read_text("utf-8"))["stories"]
    assert stories["content/stories/late-quote/story.md"]["problems"] == [
        {
            "error": True,
            "text": "Permanent id: the id 'oss-2019-0502' is also used by"
            " content/stories/no/story.md - give each story its own id; never"
            " change the id of a story that is already public",
        },
        {
            "error": True,
            "text": "Quote for previews, Ends at: the quote ends at 90:00, read as"
            " 90 minutes (1:30:00), but the audio ends at 0:03 - correct the"
            " quote's times, or check that 'audio' names the right file",
        },
    ]

    # The copy taken away again: what the form wrote passes the check.
    shutil.rmtree(project / "content" / "stories" / "late-quote")

    text = (project / "content" / "stories" / "no" / "story.md").read_text("utf-8")
    data = frontmatter.split(text).data
    assert data["title"] == "No"
    assert data["summary"] == "Off"
    assert data["facilitator"] == "="
    assert data["topics"] == ["on", "faith", "famly"]
    assert [c["title"] for c in data["chapters"]] == ["Yes", "<<"]
    assert [c["start"] for c in data["chapters"]] == ["0:00", "0:02"]
    assert data["date"] == datetime.date(2019, 10, 12)
    assert data["approval"]["releases_signed"] is True
    # The fields in the form's order, times as text, days as dates.
    assert 'start: "0:00"' in text and "\ndate: 2019-10-12\n" in text
    keys = [line.split(":")[0] for line in text.splitlines() if re.match(r"^\w", line)]
    order = [name for name in config_order(url) if name in keys]
    assert keys == order
    assert errors_of(project, "no") == []


def rebuild_drafts_preview(url: str, project) -> None:
    """What ./dev cms does after a save: the drafts preview, built again
    into the folder served, with its cache."""
    with urllib.request.urlopen(f"{url}/admin/config.yml") as response:
        backend = yaml.safe_load(response.read())["local_backend"]["url"]
    output = project.parent / "output"
    build_site(
        project / "content",
        output,
        cache_dir=output.with_name("output.cache"),
        EDITING_UI=True,
        EDITING_UI_LOCAL_BACKEND=backend,
        STORY_PREVIEW=True,
        **LEAN,
    )


def config_order(url: str) -> list[str]:
    return [name for name in story_fields_config(url) if "." not in name]


# Decap's controls in sight (their boxes cut to what their scrolling panes
# and the window show) that the box of what the check found overlaps.
COVERED_BY_THE_BOX = """() => new Promise(done => requestAnimationFrame(() => {
    const box = document.querySelector(".portal-checked").getBoundingClientRect();
    const cut = (a, b) => ({left: Math.max(a.left, b.left),
        top: Math.max(a.top, b.top), right: Math.min(a.right, b.right),
        bottom: Math.min(a.bottom, b.bottom)});
    const empty = r => r.right - r.left < 1 || r.bottom - r.top < 1;
    const view = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
    const controls = document.querySelectorAll("#nc-root :is(button, a[href],"
        + " input, textarea, select, [role=button], [role=menuitem])");
    const covered = [];
    for (const control of controls) {
        let seen = cut(control.getBoundingClientRect(), view);
        for (let up = control.parentElement; up; up = up.parentElement) {
            if (getComputedStyle(up).overflow !== "visible") {
                seen = cut(seen, up.getBoundingClientRect());
            }
        }
        if (empty(seen) || getComputedStyle(control).visibility === "hidden") continue;
        if (!empty(cut(seen, box))) {
            covered.push(control.innerText.trim() || control.title || control.id
                || control.outerHTML.slice(0, 80));
        }
    }
    done(covered);
}))"""


def test_save_and_create_new_or_duplicate_keep_the_saved_story(cms, strict_page, audio):
    """Decap's "Save and create new" and "Save and duplicate" from a new
    story left the form on the story just saved, and the next Save wrote
    over it. Now each gives a new story, with the next id; a duplicate of a
    story opened here keeps no id of another."""
    url, project = cms
    page = strict_page
    stories = project / "content" / "stories"
    page.clock.install()  # time runs, and minutes can be skipped
    open_new_story(page, url)
    fill_required(page, "First of two", audio)
    first_id = field(page, "id").input_value()
    save(page, "Save and create new")
    page.wait_for_function(
        "() => { const t = document.querySelector(\"[id^='title-field-']\");"
        " return t && t.value === '' }"
    )
    prefix, number = re.fullmatch(r"(.*-)(\d+)", first_id).groups()
    second_id = f"{prefix}{int(number) + 1:04d}"
    page.wait_for_function(
        "id => document.querySelector(\"[id^='id-field-']\").value === id",
        arg=second_id,
    )
    fill_required(page, "Second of two", audio)
    save(page, "Save and duplicate")
    third_id = f"{prefix}{int(number) + 2:04d}"
    page.wait_for_function(
        "id => document.querySelector(\"[id^='id-field-']\").value === id",
        arg=third_id,
    )
    # The rebuild after these saves fails: the form says the check of each
    # could not run, with the build's reason (tasks.build_for_the_form
    # writes it; a reason's line ending in a colon goes on to the next).
    checked.record_failure(
        project.parent / "output" / "admin",
        checked.story_digests(str(project / "content")),
        "RenditionBuildError: the podcast audio could not be made:\n"
        "  content/stories/second-of-two/story.md:17: audio: the rendition of"
        " 'conversation.mp3' still peaks at -1.3 dBTP after 3 tries\n",
    )
    found = page.get_by_role("status", name="What the check found")
    for title in ("First of two", "Second of two"):
        heading = f"Saved \u201c{title}\u201d. The check could not run:"
        message = found.locator("[data-story]").filter(has_text=heading)
        message.wait_for()
        assert message.locator("p").all_inner_texts() == [
            heading,
            "RenditionBuildError: the podcast audio could not be made:"
            " content/stories/second-of-two/story.md:17: audio: the rendition of"
            " 'conversation.mp3' still peaks at -1.3 dBTP after 3 tries. Run"
            " ./dev check in a terminal to see what it finds.",
        ]
    # The box covers none of Decap's buttons and fields, at any width.
    size = page.viewport_size
    for width, height in ((320, 568), (390, 844), (768, 1024), (1366, 768)):
        page.set_viewport_size({"width": width, "height": height})
        covered = page.evaluate(COVERED_BY_THE_BOX)
        assert covered == [], (width, covered)
    page.set_viewport_size(size)
    found.get_by_role("button", name="Close").click()
    retype(field(page, "title"), "Copy of the second")
    save(page)
    page.wait_for_url(re.compile(r"entries/copy-of-the-second/"))

    def id_and_title(folder):
        data = frontmatter.split((stories / folder / "story.md").read_text()).data
        return data["id"], data["title"]

    assert id_and_title("first-of-two") == (first_id, "First of two")
    assert id_and_title("second-of-two") == (second_id, "Second of two")
    assert id_and_title("copy-of-the-second") == (third_id, "Copy of the second")

    # A saved story, duplicated: its id is another story's.
    page.goto(f"{url}/admin/#/collections/stories/entries/already-here/story")
    summary = field(page, "summary")
    summary.wait_for()
    # On a phone too, "Delete entry" is in the window (not 800 px along).
    page.set_viewport_size({"width": 390, "height": 844})
    delete = page.get_by_role("button", name="Delete entry").bounding_box()
    assert delete["x"] >= 0 and delete["x"] + delete["width"] <= 390, delete
    page.set_viewport_size(size)
    summary.press("End")
    summary.type(" Again.")
    saved_form = field(page, "title").get_attribute("id")
    save(page, "Save and duplicate")
    page.wait_for_url(re.compile(r"/new$"))
    # Decap shows /new over the saved story's form until it has drawn the
    # duplicate's (its fields get new ids); typing before that is lost.
    page.wait_for_function(
        "id => { const title = document.querySelector(\"[id^='title-field-']\");"
        " return title && title.id !== id }",
        arg=saved_form,
    )
    retype(field(page, "title"), "Already here again")
    save(page)
    # The form moves the id on by itself when Decap draws the duplicate's
    # form anew, or else refuses it at Save naming one that is free.
    refused = "This is the id of another story saved or opened here"
    page.wait_for_function(
        "text => location.hash.includes('/entries/already-here-again/')"
        " || document.body.innerText.includes(text)",
        arg=refused,
    )
    if page.get_by_text(refused).count():
        assert not (stories / "already-here-again").exists()
    else:
        copy_id = id_and_title("already-here-again")[0]
        assert copy_id not in {"test-already-here", first_id, second_id, third_id}

    # No rebuild came after the last saves: ten minutes on, the form says
    # that the check could not run, once, naming the story.
    page.clock.fast_forward("10:01")
    heading = "Saved \u201cCopy of the second\u201d. The check could not run:"
    message = found.locator("[data-story]").filter(has_text=heading)
    message.wait_for()  # (one message: Decap tells of this save twice)
    assert message.locator("p").all_inner_texts() == [
        heading,
        "No check of it came from the drafts preview within 10 minutes: is ./dev"
        " cms still running? Run ./dev check in a terminal to see what it finds.",
    ]


def test_the_forms_patterns_mean_in_javascript_what_they_mean_in_python(
    cms, strict_page
):
    """Decap tests a pattern as JavaScript reads it (no "u" flag: an emoji
    is two characters): the form refuses what the check refuses there too."""
    from tests.test_editing_ui import FORM_SAMPLES, check_accepts

    url, _ = cms
    page = strict_page
    page.goto(f"{url}/admin/config.yml")
    config = story_fields_config(url)
    samples = {
        **FORM_SAMPLES,
        # (A title names a new story's folder: it needs a letter or digit.)
        "title": [*FORM_SAMPLES["title"], "A" + "😀" * 199, "A" + "😀" * 200],
        "chapters.title": ["🌽" * 200, "🌽" * 201, " 🌽 "],
    }
    refuses = """([field, value]) => {
        const checks = field.checks || [];
        if (!/\\S/.test(value)) {
            return field.required || checks.some(c => c.kind === "needed_in");
        }
        if (field.pattern && !new RegExp(field.pattern[0]).test(value)) return true;
        return checks.some(c =>
            (c.kind === "rule" && !new RegExp(c.regex).test(value)) ||
            (c.kind === "decimal_time" && new RegExp(c.refuse).test(value)));
    }"""
    for dotted, values in samples.items():
        for value in values:
            refused = page.evaluate(refuses, [config[dotted], value])
            assert refused != check_accepts(dotted, value), (dotted, value)


def test_the_preview_banner_keeps_clear_of_decaps_buttons(cms, strict_page):
    """Decap floats its round preview buttons over the preview's top right
    corner; the "Not public" banner's words ran under them. On a phone,
    Decap drew its editor 800 px wide: its buttons and the preview were
    past the window's edge, to be scrolled to sideways."""
    url, _ = cms
    page = strict_page
    page.set_viewport_size({"width": 1200, "height": 760})
    open_new_story(page, url)
    retype(field(page, "title"), "The porch light stayed on")
    preview = page.frame_locator("iframe").first
    preview.get_by_text("Not public.").wait_for()
    for width, height in ((1200, 760), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("() => new Promise(requestAnimationFrame)")
        frame = page.locator("iframe").first.bounding_box()
        # The banner's words, and the story's heading under it.
        words = preview.locator(".preview-banner .wrap, .story__header .wrap")
        rights = words.evaluate_all(
            """wraps => wraps.map(wrap => {
                const range = document.createRange();
                range.selectNodeContents(wrap);
                return Math.max(...[...range.getClientRects()].map(r => r.right));
            })"""
        )
        button = page.get_by_title("Toggle preview").bounding_box()
        assert frame["x"] + max(rights) <= button["x"], (width, frame, rights, button)
        # Everything in the window: no sideways scrolling.
        past_the_edge = page.evaluate(
            """() => [...document.querySelectorAll("#nc-root :is(button, iframe,"
                + " [role=button])")]
                .filter(e => e.getBoundingClientRect().width
                    && e.getBoundingClientRect().right > innerWidth + 0.5)
                .map(e => e.innerText || e.title || e.tagName)"""
        )
        assert past_the_edge == [], (width, past_the_edge)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
