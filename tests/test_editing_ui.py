"""The editing UI's configuration agrees with the story schema; /admin/ is
built only when asked, with its own browser policy.

The configuration tested is the one a build writes (``admin/config.yml``),
compared with ``portal.schema`` field by field; the form's messages are
compared with what ``./dev check`` prints for the same values."""

from __future__ import annotations

import re
import typing

import pytest
import yaml
from editing_ui import plugin as editing_ui
from pelican.settings import read_settings

from portal import checking, schema
from portal.questions import load_questions
from portal.schema import FIELD_HELP, FIELD_LABELS, PART_HELP, PART_LABELS, Story
from tests import host_headers
from tests.stories import write_story
from tests.support import LEAN, PROJECT_ROOT, build_site, built_once, copy_content

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
            assert field["hint"] == _help(FIELD_HELP[name]), name
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
            help_text = PART_HELP[(parent, name)]
            assert parts[name]["label"] == PART_LABELS[f"{parent}.{name}"]
            assert parts[name]["hint"].startswith(_help(help_text))
            if fields[parent]["required"] or fields[parent]["widget"] == "list":
                assert parts[name]["required"] == info.is_required()
            else:  # an optional block: its parts are needed once it is begun
                assert parts[name]["required"] is False
                if info.is_required():
                    assert "Needed once any part of" in parts[name]["hint"]
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


def test_the_forms_patterns_refuse_what_the_schema_refuses(admin_site):
    output, _ = admin_site
    fields = _by_name(_stories(_config(output))["fields"])
    parts = {
        f"{parent}.{part['name']}": part
        for parent in ("participants", "location", "chapters", "quote", "approval")
        for part in fields[parent]["fields"]
    }
    samples = {
        "id": ["oss-2019-0042", "ab", "OSS-1", "x" * 65, "good-id-1", "-bad"],
        "title": ["A title", "x" * 200, "x" * 201],
        "summary": ["", "x" * 600, "x" * 601],
        "chapters.start": ["0:00", "4:05", "1:02:03", "245", "4:05:", "soon", "4.5.6"],
        "chapters.title": ["Start", "x" * 201],
        "quote.start": ["0:00", "0:05", "5", "0:05:", "soon"],
        "quote.text": ["Words", "x" * 300, "x" * 301],
        "location.country": ["US", "us", "USA"],
        "participants.name": ["Ada", "x" * 129],
    }
    base = {
        "id": "oss-2019-0001",
        "title": "A title",
        "date": "2019-10-12",
        "participants": [{"name": "Ada"}, {"name": "Ben"}],
        "relationship": "strangers",
        "audio": "a.mp3",
    }
    for dotted, values in samples.items():
        field = fields.get(dotted) or parts[dotted]
        regex, _message = field["pattern"]
        for value in values:
            data = dict(base)
            if dotted.startswith("chapters."):
                chapter = {"start": "0:00", "title": "Start"}
                chapter[dotted.split(".")[1]] = value
                data["chapters"] = [chapter]
            elif dotted.startswith("quote."):
                quote = {"start": "0:00", "end": "0:20", "text": "Words"}
                quote[dotted.split(".")[1]] = value
                data["quote"] = quote
            elif dotted.startswith("location."):
                data["location"] = {"name": "Tulsa", dotted.split(".")[1]: value}
            elif dotted.startswith("participants."):
                data["participants"] = [{"name": value}, {"name": "Ben"}]
            else:
                data[dotted] = value
            try:
                Story.model_validate(data)
                accepted = True
            except Exception:
                accepted = False
            assert bool(re.search(regex, value)) == accepted, (dotted, value)


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
    result = checking.check_content(
        PROJECT_ROOT / "publishconf.py", content_path=content
    )
    said = {p.field: f"{p.message} - {p.fix}" for p in result.problems}
    # The form cannot quote what was typed: it says "This" where the check
    # quotes the value, with a capital first letter.
    said = {field: _form_words(text, "soon") for field, text in said.items()}
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
            expected = [f"{site_policy}; frame-ancestors *"]
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


def _form_words(text: str, value: str) -> str:
    text = re.sub(r"^[a-z]+ \d+(?: \('[^']*'\))?: ", "", text)  # chapter 1 ('...'):
    text = text.replace(f"'{value}'", "This", 1)
    return text[0].upper() + text[1:]


def _rules(text: str) -> dict[str, dict[str, str]]:
    return {pattern: dict(headers) for pattern, headers in host_headers.rules(text)}
