"""The editing UI's configuration agrees with the story schema; /admin/ is
built only when asked, with its own browser policy.

The configuration tested is the one a build writes (``admin/config.yml``),
compared with ``portal.schema`` field by field; the form's messages are
compared with what ``./dev check`` prints for the same values."""

from __future__ import annotations

import base64
import json
import os
import re
import typing
import urllib.error
import urllib.request

import pytest
import yaml
from editing_ui import plugin as editing_ui
from editing_ui.decap_config import FORM_HELP
from pelican.settings import read_settings

from portal import local_backend, schema
from portal.questions import load_questions
from portal.schema import FIELD_HELP, FIELD_LABELS, PART_HELP, PART_LABELS, Story
from tests import host_headers
from tests.stories import write_story
from tests.support import (
    LEAN,
    PROJECT_ROOT,
    build_site,
    built_once,
    check_content,
    copy_content,
    free_port,
)

DECAP = PROJECT_ROOT / "node_modules" / "decap-cms" / "dist" / "decap-cms.js"
needs_decap = pytest.mark.skipif(
    not DECAP.is_file(), reason="Decap CMS is not installed (npm ci)"
)


@pytest.fixture(scope="module")
def admin_site(request):
    """A production build (publishconf.py) with the editing UI turned on."""
    if not DECAP.is_file():
        from tests.conftest import skip_or_fail

        skip_or_fail("Decap CMS is not installed (npm ci)")

    def build(base):
        content = copy_content(base / "content")
        write_story(content, "public-one", topics=["faith", "work"])
        write_story(
            content,
            "still-a-draft",
            id="oss-2019-0042",  # the highest id: held back, still taken
            status="draft",
            approval=None,
            topics=["secret-draft-topic"],
        )
        output = build_site(
            content,
            base / "output",
            settings_file="publishconf.py",
            EDITING_UI=True,
            EDITING_UI_GITHUB_REPO="storycorps/oss-stories",
            EDITING_UI_AUTH_URL="https://auth.example.org",
            **LEAN,
        )
        return output, content

    return built_once(request, build)


def _config(output) -> dict:
    return yaml.safe_load((output / "admin" / "config.yml").read_text("utf-8"))


def _stories(config) -> dict:
    return next(c for c in config["collections"] if c["name"] == "stories")


def _by_name(fields) -> dict:
    return {field["name"]: field for field in fields}


def _help(text: str) -> str:
    return text[0].upper() + text[1:] + "."


# -- the schema and the form agree -------------------------------------------


def test_every_story_field_is_in_the_form_as_the_schema_says(admin_site):
    output, content = admin_site
    stories = _stories(_config(output))
    fields = _by_name(stories["fields"])
    assert set(fields) == set(Story.model_fields) | {"body"}
    for name, info in Story.model_fields.items():
        field = fields[name]
        assert field["label"] == FIELD_LABELS[name], name
        if name != "topics":  # typed in the form, not written as YAML: below
            # The schema's help, or the form's where that is about the YAML.
            assert field["hint"] == _help(FORM_HELP.get(name, FIELD_HELP[name])), name
        kept = field["widget"] == "hidden"
        assert field["required"] == (info.is_required() and not kept), name
        literal = [
            arg
            for arg in typing.get_args(info.annotation)
            if typing.get_origin(info.annotation) is typing.Literal
        ]
        if literal and name != "relationship":
            assert field["options"] == literal, name
    assert [o["value"] for o in fields["relationship"]["options"]] == list(
        schema.RELATIONSHIPS
    )
    assert [o["label"] for o in fields["relationship"]["options"]] == list(
        schema.RELATIONSHIPS.values()
    )
    assert fields["participants"]["min"] == 2
    # Every part of participants, location, chapters and approval.
    for parent, model in (
        ("participants", schema.Participant),
        ("location", schema.Location),
        ("chapters", schema.Chapter),
        ("quote", schema.Quote),
        ("approval", schema.Approval),
    ):
        parts = _by_name(fields[parent]["fields"])
        assert set(parts) == set(model.model_fields), parent
        for name, info in model.model_fields.items():
            dotted = f"{parent}.{name}"
            help_text = FORM_HELP.get(dotted, PART_HELP[(parent, name)])
            assert parts[name]["label"] == PART_LABELS[dotted]
            assert parts[name]["hint"].startswith(_help(help_text))
            if fields[parent]["required"] or fields[parent]["widget"] == "list":
                assert parts[name]["required"] == info.is_required()
            else:  # an optional block: its parts are needed once it is begun
                assert parts[name]["required"] is False
                kinds = [check["kind"] for check in parts[name].get("checks", [])]
                if info.is_required() and parts[name]["widget"] == "boolean":
                    # A switch left off is written as false in a block begun.
                    assert kinds[0] == "false_in", dotted
                elif info.is_required():
                    assert "Needed once any part of" in parts[name]["hint"]
                    assert kinds[0] == "needed_in", dotted
    # Choices from the content: the guide's questions, the published topics.
    questions = load_questions(str(content)).value.root
    chapter_parts = _by_name(fields["chapters"]["fields"])
    assert chapter_parts["question"]["options"] == [
        {"label": q.question, "value": q.key} for q in questions
    ]
    # Topics are typed (a story may bring a new one); those in use are named.
    assert fields["topics"]["widget"] == "list"
    assert "options" not in fields["topics"]
    assert fields["topics"]["hint"] == (
        "Topics, separated by commas, like: faith, family. In use: faith, work."
    )
    # One folder a story, media in it.
    assert stories["path"] == "{{slug}}/story"
    assert stories["folder"] == "content/stories"
    assert stories["media_folder"] == "" and stories["public_folder"] == ""
    assert re.fullmatch(schema.STORY_ID, fields["id"]["default"])


def form_refuses(field: dict, value: str, new_story: bool = True) -> bool:
    """Does the form refuse ``value`` in ``field``, as Decap (required,
    pattern) and portal-cms.js (blank is missing, the field's rules, decimal
    times, parts of a block begun: the samples' blocks are) decide? Regular
    expressions as Python reads them: the browser tests read them as
    JavaScript does."""
    checks = field.get("checks", [])
    if not value.strip():
        return field["required"] or any(c["kind"] == "needed_in" for c in checks)
    if "pattern" in field and not re.search(field["pattern"][0], value):
        return True
    for check in checks:
        applies = new_story or not check.get("new_only")
        if check["kind"] == "rule" and applies and not re.search(check["regex"], value):
            return True
        if check["kind"] == "decimal_time" and re.search(check["refuse"], value):
            return True
    return False


# Values of each kind the form checks by itself, and what the schema says.
FORM_SAMPLES = {
    "id": ["oss-2019-0042", "ab", "OSS-1", "x" * 65, "good-id-1", "-bad"],
    "title": ["A title", "x" * 200, "x" * 201, "   ", " A title ", "x" * 200 + "  "],
    "summary": ["", "x" * 600, "x" * 601, "   ", " " + "x" * 600 + " "],
    "chapters.start": [
        *("0:00", "4:05", "1:02:03", "245", "4:05:", "soon", "4.5.6", " 4:05 "),
        *("1:60", "1:75:00", "1:59:59", "0:59.5", "90:00", "100:00", "0:01.3"),
        *("1.30", "4.5", "1.0", "   "),
    ],
    "chapters.title": ["Start", "x" * 201, "  "],
    "quote.start": ["0:00", "0:05", "5", "0:05:", "soon", "0:60", "2.5"],
    "quote.end": ["0:20", "1:60", "20.25"],
    "quote.text": ["Words", "x" * 300, "x" * 301, "  "],
    "location.country": ["US", "us", "USA"],
    "participants.name": ["Ada", "x" * 129, "   "],
}


def _story_with(dotted: str, value) -> dict:
    data = {
        "id": "oss-2019-0001",
        "title": "A title",
        "date": "2019-10-12",
        "participants": [{"name": "Ada"}, {"name": "Ben"}],
        "relationship": "strangers",
        "audio": "a.mp3",
    }
    top, _, part = dotted.partition(".")
    if top == "chapters":
        chapter = {"start": "0:00", "title": "Start", part: value}
        data["chapters"] = [chapter]
    elif top == "quote":
        data["quote"] = {"start": "0:00", "end": "0:20", "text": "Words", part: value}
    elif top == "location":
        data["location"] = {"name": "Tulsa", part: value}
    elif top == "participants":
        data["participants"] = [{"name": value}, {"name": "Ben"}]
    else:
        data[dotted] = value
    return data


def check_accepts(dotted: str, value) -> bool:
    """Does ./dev check take ``value`` without an error or a warning?"""
    data = _story_with(dotted, value)
    try:
        Story.model_validate(data)
    except Exception:
        return False
    return not schema.decimal_time_warnings(data)


def test_the_form_refuses_what_the_check_refuses(admin_site):
    """A value the form accepts is no error (nor warning) in ./dev check,
    and the form refuses no value the check accepts."""
    output, _ = admin_site
    fields = _by_name(_stories(_config(output))["fields"])
    for dotted, values in FORM_SAMPLES.items():
        top, _, part = dotted.partition(".")
        field = _by_name(fields[top]["fields"])[part] if part else fields[top]
        for value in values:
            accepted = check_accepts(dotted, value)
            assert form_refuses(field, value) != accepted, (dotted, value, accepted)


def test_the_forms_messages_are_the_checks_messages(admin_site, tmp_path):
    """Each pattern's message is what ./dev check says for such a value."""
    output, _ = admin_site
    fields = _by_name(_stories(_config(output))["fields"])
    chapter_parts = _by_name(fields["chapters"]["fields"])
    location_parts = _by_name(fields["location"]["fields"])
    quote_parts = _by_name(fields["quote"]["fields"])
    content = copy_content(tmp_path / "content")
    write_story(
        content,
        "all-wrong",
        id="X",
        title="x" * 201,
        summary="y" * 601,
        chapters=[{"start": "soon", "title": "z" * 201}],
        location={"name": "Tulsa, Oklahoma", "country": "usa"},
        quote={"start": "soon", "end": "0:20", "text": "q" * 301},
    )
    result = check_content(content, tmp_path / "check-cache")
    said = {p.field: f"{p.message} - {p.fix}" for p in result.problems}
    # The form cannot quote what was typed: it says "This" where the check
    # quotes the value, with a capital first letter.
    said = {
        field: _form_words(text, "usa" if field == "location.country" else "soon")
        for field, text in said.items()
    }
    expected = {
        "id": fields["id"],
        "title": fields["title"],
        "summary": fields["summary"],
        "chapters.0.start": chapter_parts["start"],
        "chapters.0.title": chapter_parts["title"],
        "location.country": location_parts["country"],
        "quote.start": quote_parts["start"],
        "quote.text": quote_parts["text"],
    }
    for problem_field, form_field in expected.items():
        assert said[problem_field] == form_field["pattern"][1], problem_field


def _check_of(problems, story: str, field: str, value="", about="") -> str:
    """What the check said about ``field`` of ``story`` (the problem whose
    message has ``about``), in the form's words."""
    (problem,) = [
        p
        for p in problems
        if f"/{story}/" in p.path and p.field == field and about in p.message
    ]
    return _form_words(f"{problem.message} - {problem.fix}", value)


def _fill(template: str, **values) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), template)


def test_the_forms_checks_say_what_the_check_says(admin_site, tmp_path):
    """The messages of the form's own checks (config.yml's ``checks``) are
    what ./dev check says about the same mistakes, in the same words."""
    output, _ = admin_site
    fields = _by_name(_stories(_config(output))["fields"])

    def checks(dotted):
        top, _, part = dotted.partition(".")
        field = _by_name(fields[top]["fields"])[part] if part else fields[top]
        return {check["kind"]: check for check in field.get("checks", [])}

    content = copy_content(tmp_path / "content")
    two = {"start": "0:10", "end": "0:30", "text": "Words"}
    write_story(content, "sixty", chapters=[{"start": "1:60", "title": "A"}])
    write_story(content, "quote-sixty", quote={**two, "end": "1:60"})
    write_story(
        content,
        "not-in-order",
        chapters=[{"start": "0:20", "title": "A"}, {"start": "0:10", "title": "B"}],
    )
    same = {"name": "Ada Lopez", "description": "teacher"}
    write_story(content, "same-names", participants=[same, same])
    write_story(content, "no-description", image="portrait.jpg")
    write_story(content, "too-short", quote={**two, "end": "0:15"})
    write_story(content, "backwards", quote={**two, "end": "0:05"})
    write_story(content, "decimal", chapters=[{"start": "1.30", "title": "A"}])
    write_story(content, "decimal-seconds", quote={**two, "end": "75.30"})
    result = check_content(content, tmp_path / "check-cache")
    said = result.problems

    start = checks("chapters.start")
    assert start["rule"]["message"] == _check_of(
        said, "sixty", "chapters.0.start", "1:60"
    )
    assert checks("quote.end")["rule"]["message"] == _check_of(
        said, "quote-sixty", "quote.end", "1:60"
    )
    assert start["increasing"]["message"] == _check_of(said, "not-in-order", "chapters")
    assert checks("participants.name")["unique"]["message"] == _check_of(
        said, "same-names", "participants"
    )
    assert checks("image_alt")["needed_with"]["message"] == _check_of(
        said, "no-description", "image_alt"
    )
    # Templates, filled in with the values as portal-cms.js fills them in.
    length = checks("quote.end")["duration"]["templates"]
    assert _fill(length["long"], start="0:10", end="0:15", length="5") == _check_of(
        said, "too-short", "quote"
    )
    assert _fill(length["before"], start="0:10", end="0:05") == _check_of(
        said, "backwards", "quote"
    )
    decimal = start["decimal_time"]["templates"]
    assert _fill(
        decimal["meant"], seconds="1.3", meant="1:30", as_seconds="0:01.3"
    ) == _check_of(said, "decimal", "chapters.0.start")
    assert _fill(
        checks("quote.end")["decimal_time"]["templates"]["other"],
        seconds="75.3",
        as_seconds="1:15.3",
    ) == _check_of(said, "decimal-seconds", "quote.end", about="decimal")


def test_the_forms_hints_say_what_to_do_in_the_form(admin_site):
    """A hint in the form says what to do there, not how to write the YAML:
    quotes typed into the title would be part of the title, a switch is on
    or off, a date is picked."""
    output, _ = admin_site
    yaml_words = re.compile(
        r"in quotes|'\w+:'|\[|\btrue\b|\bfalse\b|approved_by|releases_signed"
    )

    def walk(fields):
        for field in fields:
            yield field
            yield from walk(field.get("fields", []))

    for field in walk(_stories(_config(output))["fields"]):
        hint = field.get("hint", "")
        assert not yaml_words.search(hint), (field["name"], hint)
        # A file is uploaded there: the form has no folder to name it in.
        assert "in this folder" not in hint, (field["name"], hint)
        if field["widget"] == "datetime":
            assert "YYYY" not in hint, (field["name"], hint)


def test_the_build_names_the_next_id_for_forms_opened_before(admin_site):
    """next-id.json beside config.yml: the id a new story gets, read again
    by a form opened before the last story was saved."""
    output, _ = admin_site
    fields = _by_name(_stories(_config(output))["fields"])
    written = json.loads((output / "admin" / "next-id.json").read_text("utf-8"))
    assert written == {"next_id": fields["id"]["default"]}
    assert re.fullmatch(r"oss-\d{4}-0043", written["next_id"])
    (check,) = fields["id"]["checks"]
    assert check["url"] == "next-id.json"
    assert re.fullmatch(check["numbered"], fields["id"]["default"])


def test_data_files_and_pages_are_collections(admin_site):
    output, _ = admin_site
    config = _config(output)
    names = {c["name"]: c for c in config["collections"]}
    assert names["pages"]["folder"] == "content/pages"
    files = {f["name"]: f for f in names["data"]["files"]}
    assert {name: f["file"] for name, f in files.items()} == {
        "funders": "content/data/funders.yml",
        "forms": "content/data/forms.yml",
        "podcast": "content/data/podcast.yml",
    }
    funder = _by_name(_by_name(files["funders"]["fields"])["funders"]["fields"])
    assert funder["logo"]["widget"] == "image"
    assert funder["logo"]["media_folder"] == "content/data/funders"
    podcast = _by_name(files["podcast"]["fields"])
    assert podcast["type"]["options"] == ["episodic", "serial"]
    assert podcast["title"]["required"] is True


# -- what the build writes ---------------------------------------------------


def test_production_admin_is_built_only_when_turned_on(monkeypatch):
    monkeypatch.delenv("EDITING_UI", raising=False)
    options = editing_ui.settings(read_settings(str(PROJECT_ROOT / "publishconf.py")))
    assert options["EDITING_UI"] is False
    assert options["EDITING_UI_LOCAL_BACKEND"] == ""
    monkeypatch.setenv("EDITING_UI", "true")
    options = editing_ui.settings(read_settings(str(PROJECT_ROOT / "publishconf.py")))
    assert options["EDITING_UI"] is True
    development = read_settings(str(PROJECT_ROOT / "pelicanconf.py"))
    assert editing_ui.settings(development)["EDITING_UI"] is True


def test_sample_site_without_the_setting_has_no_admin(sample_site):
    assert not (sample_site / "admin").exists()
    assert "/admin/" not in (sample_site / "_headers").read_text("utf-8")


@needs_decap
def test_admin_is_served_from_the_site_with_its_own_policy(admin_site):
    output, _ = admin_site
    admin = output / "admin"
    page = (admin / "index.html").read_text("utf-8")
    assert '<script src="decap-cms.js">' in page
    assert '<script src="portal-cms.js"' in page
    # Front matter written as YAML 1.1 reads it back: a module importing the
    # browser build of `yaml`, the library Decap reads YAML with.
    assert '<script type="module" src="portal-format.js">' in page
    assert (admin / "portal-format.js").is_file()
    assert (admin / "yaml" / "index.js").is_file()
    assert (admin / "yaml" / "LICENSE.txt").is_file()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no CDN
    # livereload (./dev cms) puts its reload script before </head>: the form
    # being edited must not reload when a save rebuilds the site.
    assert "</head>" not in page.lower()
    # The story preview is drawn with the site's style sheets, the campaign's
    # colours first (plugins/campaign_colours), each one a file of the site.
    (styles,) = re.findall(r'data-preview-styles="([^"]*)"', page)
    names = [url.rsplit("/", 1)[1] for url in styles.split()]
    assert names == ["palette.css", "site.css", "listening.css"]
    assert all((admin / url).resolve().is_file() for url in styles.split())
    assert (admin / "decap-cms.js").read_bytes() == DECAP.read_bytes()
    chunks = sorted(p.name for p in DECAP.parent.glob("*.decap-cms.js"))
    assert chunks and all((admin / name).is_file() for name in chunks)
    config = _config(output)
    assert "local_backend" not in config  # never on a public site
    assert config["backend"] == {
        "name": "github",
        "repo": "storycorps/oss-stories",
        "branch": "main",
        "base_url": "https://auth.example.org",
    }
    assert config["publish_mode"] == "editorial_workflow"
    # _headers: /admin/ has its own policy; the site's is on each page.
    headers = (output / "_headers").read_text("utf-8")
    rules = _rules(headers)
    assert "Content-Security-Policy" not in rules["/*"]
    admin_policy = rules["/admin/*"]["Content-Security-Policy"]
    assert "'unsafe-eval'" in admin_policy and "frame-ancestors 'none'" in admin_policy
    assert "https://api.github.com" in admin_policy
    assert "https://auth.example.org" in admin_policy
    home = rules["/"]["Content-Security-Policy"]
    assert "script-src 'self' 'wasm-unsafe-eval';" in home
    assert "frame-ancestors 'self'" in home
    assert "/admin/" not in rules and "/admin/index.html" not in rules
    # As the hosts apply it: each page one policy, the admin's or the site's.
    file_rules = host_headers.rules(headers)
    assert len(file_rules) <= host_headers.CLOUDFLARE_MOST_RULES
    site_policy = home.rsplit("; frame-ancestors", 1)[0]
    pages = sorted(output.rglob("*.html"))
    assert any(page.parent.name == "admin" for page in pages)
    for page in pages:
        relative = page.relative_to(output).as_posix()
        if relative.startswith("admin/"):
            expected = [admin_policy]
        elif relative.endswith("/embed/index.html"):
            expected = [site_policy]  # any page may frame a player
        else:
            expected = [f"{site_policy}; frame-ancestors 'self'"]
        for url in host_headers.page_urls(output, page):
            for host in host_headers.HOSTS:
                # The same policy twice (Netlify's /stories/:slug/ matches
                # /stories/index.html too) is enforced as one.
                found = set(host_headers.policies_for(file_rules, url, host))
                assert sorted(found) == expected, (host, url)


@needs_decap
def test_held_back_stories_leave_no_trace_in_the_admin_config(admin_site):
    output, _ = admin_site
    text = (output / "admin" / "config.yml").read_text("utf-8")
    assert "secret-draft-topic" not in text
    assert "still-a-draft" not in text
    # What the check says of each story is for ./dev cms's drafts preview on
    # this computer only (plugins/editing_ui/checked.py): it names drafts.
    assert not (output / "admin" / "checked.json").exists()


def _form_words(text: str, value: str) -> str:
    text = re.sub(r"^[a-z]+ \d+(?: \('[^']*'\))?: ", "", text)  # chapter 1 ('...'):
    text = text.replace(f"'{value}'", "This", 1)
    # The form cannot count what was typed either: "is 201 characters long"
    # for a limit of 200 is "is more than 200 characters long" there.
    text = re.sub(
        r"is (\d+) characters long",
        lambda m: f"is more than {int(m.group(1)) - 1} characters long",
        text,
    )
    return text[0].upper() + text[1:]


def _rules(text: str) -> dict[str, dict[str, str]]:
    return {pattern: dict(headers) for pattern, headers in host_headers.rules(text)}


# -- the local backend (./dev cms) -------------------------------------------

needs_decap_server = pytest.mark.skipif(
    not (PROJECT_ROOT / "node_modules" / "decap-server" / "dist").is_dir(),
    reason="decap-server is not installed (npm ci)",
)


def _save_files(port: int, folder: str, audio: bytes):
    """A save as the editing UI sends it: story.md and its audio, as base64
    text in one JSON request. (status, answer, headers)."""
    body = {
        "action": "persistEntry",
        "params": {
            "branch": "main",
            "entry": {
                "slug": folder.rsplit("/", 1)[1],
                "path": f"{folder}/story.md",
                "raw": "---\ntitle: A long talk\n---\n",
            },
            "assets": [
                {
                    "path": f"{folder}/conversation.mp3",
                    "content": base64.b64encode(audio).decode("ascii"),
                    "encoding": "base64",
                }
            ],
            "options": {
                "commitMessage": "Save",
                "useWorkflow": False,
                "status": "draft",
            },
        },
    }
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1",
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json", "Origin": "http://localhost:8000"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


@needs_decap_server
def test_the_local_backend_takes_a_conversations_audio(tmp_path):
    """A 40-minute MP3 (40 MB, 53 MB as sent) is saved with its story:
    decap-server alone refused more than 50 MB a save, and the form then
    saved the story without its audio."""
    audio = os.urandom(40_000_000)
    port = free_port()
    with local_backend.running(tmp_path, port):
        status, answer, _ = _save_files(port, "content/stories/long-talk", audio)
    assert status == 200, answer[:300]
    folder = tmp_path / "content" / "stories" / "long-talk"
    assert (folder / "conversation.mp3").read_bytes() == audio
    assert (folder / "story.md").read_text("utf-8").startswith("---\ntitle:")


@needs_decap_server
def test_a_save_over_the_local_backends_limit_says_what_to_do(tmp_path):
    """Over the limit, nothing is written and the answer (which the form
    shows) says what to do, with the headers that let the form read it."""
    port = free_port()
    with local_backend.running(tmp_path, port, upload_limit_mb=1):
        status, answer, headers = _save_files(
            port, "content/stories/too-long", os.urandom(2_000_000)
        )
    assert status == 413
    error = json.loads(answer)["error"]
    assert "more than the local backend takes at once (1 MB as sent)" in error
    assert "./dev new-story" in error
    assert headers["Access-Control-Allow-Origin"] == "http://localhost:8000"
    assert not (tmp_path / "content" / "stories" / "too-long").exists()


def test_a_drafts_preview_that_fails_says_so_to_the_form(tmp_path):
    """`./dev cms`'s build fails: checked.json says the check of those
    story.md files could not run, in the build's own words (the form says
    them, and stops waiting). Even the first build, with no preview in place
    yet: a form still open from an earlier `./dev cms` reads checked.json
    from the folder served, and waited ten minutes for nothing."""
    from editing_ui import checked

    import tasks

    content = tmp_path / "content"
    write_story(content, "saved-story", id="oss-2019-0777")
    output = tmp_path / "output-drafts"  # none yet: the first build
    # A real build that stops: a setting the editing UI refuses, after the
    # plugins are loaded (as a crash in one of them would stop it).
    built = tasks.build_for_the_form(
        output,
        {
            "PATH": str(content),
            "CACHE_PATH": str(tmp_path / "cache"),
            "STORY_PREVIEW": True,
            "EDITING_UI": True,
            "EDITING_UI_LOCAL_BACKEND": "http://localhost:8081/api/v1",
            "EDITING_UI_GITHUB_REPO": "not-a-repository",
        },
    )
    assert built is False
    found = json.loads((output / "admin" / "checked.json").read_text("utf-8"))
    # In the words of the error, without its class's name.
    assert found["failed"]["reason"] == (
        "EDITING_UI_GITHUB_REPO must be owner/name of the content"
        " repository, not 'not-a-repository'"
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", found["failed"]["at"])
    story = content / "stories" / "saved-story" / "story.md"
    assert found["stories"] == {
        "content/stories/saved-story/story.md": {
            "digest": checked.hashlib.sha256(story.read_bytes()).hexdigest(),
        }
    }
    assert not list(tmp_path.glob(".*failure-reason*"))
    assert checked.REASON_ENV not in os.environ
