"""Sign-up forms: static HTML that posts to the provider set in forms.yml.

The browser tests submit every form to a local endpoint started here (the
provider stand-in in tests/form_endpoint.py) and compare what it received
with the field names and values configured."""

from __future__ import annotations

import logging
import pathlib
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid

import lxml.html
import pytest
import yaml

from portal import devserver, form_inbox
from portal.problems import StoryContentError
from portal.signup_fields import (
    FORMS,
    NOT_BLANK_PATTERN,
    NOT_BLANK_WORDS,
    ZIP_FORMAT,
    ZIP_PATTERN,
)
from tests.form_endpoint import form_endpoint
from tests.stories import write_story
from tests.support import LEAN, build_site, copy_content, free_port

STORY_ID = "test-heard-it"
PAGES = {"updates": "updates", "match": "be-matched", "partner": "partner"}
# Each form's own thank-you page, as in the sample's forms.yml, and its title.
THANKS = {
    "updates": "thank-you-updates",
    "match": "thank-you-be-matched",
    "partner": "thank-you-partner",
}
THANKS_TITLES = {
    "updates": "You are on the list",
    "match": "You are signed up to be matched",
    "partner": "Thank you for your inquiry",
}
# The provider's names for each form's fields, as configured below.
MAILCHIMP_NAMES = {
    "email": "EMAIL",
    "first_name": "FNAME",
    "zip": "MMERGE3",
    "consent": "gdpr[7]",
    "story": "STORY",
}
# What a visitor types; odd characters on purpose.
TYPED = {
    "email": "ada.lopez@example.org",
    "first_name": "Ada",
    "name": "Ada López",
    "zip": "74103-1234",
    "political_views": "Conservative, mostly; 'fiscal hawk'",
    "hopes": 'Faith & family; what "home" means <in> a small town',
    "organization": "Tulsa Civic Club",
    "contact": "Ben O'Carter",
    "community": "Veterans in northern Ohio",
    "message": "We could bring 40 members to record.\nSpring works best.",
}


def forms_config(endpoint_url: str, connected: bool = True) -> dict:
    action = (lambda path: endpoint_url + path) if connected else (lambda path: "")
    config = {
        "privacy_page": "privacy",
        "thank_you_page": "thank-you",
        "forms": {
            "updates": {
                "page": "updates",
                "preset": "mailchimp",
                "action": action("/subscribe/post"),
                "hidden": {"u": "a1b2c3", "id": "d4e5f6", "tags": "2041"},
                "names": dict(MAILCHIMP_NAMES),
            },
            "match": {
                "page": "be-matched",
                "preset": "generic",
                "action": action("/f/match"),
                "hidden": {"_subject": "Someone to match"},
            },
            "partner": {
                "page": "partner",
                "action": action("/f/partner"),
                "method": "post",
                "hidden": {"_subject": "A partner"},
                "names": {"contact": "contact_name"},
            },
        },
    }
    for key, form in config["forms"].items():
        form["thank_you"] = THANKS[key]
    return config


def expected_fields(key: str, site_url: str) -> list[tuple[str, str]]:
    """What the provider must receive from form ``key``: names and values."""
    spec = FORMS[key]
    config = forms_config("http://endpoint")["forms"][key]
    names = config.get("names", {})
    sent = []
    for field in spec.fields:
        name = names.get(field.key, field.key)
        if field.kind == "consent":
            value = "Y" if config.get("preset") == "mailchimp" else "yes"
        elif field.kind == "textarea":
            value = TYPED[field.key].replace("\n", "\r\n")  # as browsers send it
        else:
            value = TYPED[field.key]
        sent.append((name, value))
    sent += list(config["hidden"].items())
    sent.append((names.get("story", "story"), STORY_ID))
    if config.get("preset") == "mailchimp":
        sent.append(("b_a1b2c3_d4e5f6", ""))  # Mailchimp's bot trap, empty
    else:
        sent.append(("_gotcha", ""))
        sent.append(("_next", f"{site_url}/{THANKS[key]}/"))
    return sorted(sent)


def build_forms_site(base: pathlib.Path, config: dict, **settings) -> pathlib.Path:
    content = copy_content(base / "content")
    write_story(content, "heard-it", id=STORY_ID, title="Heard it")
    (content / "data" / "forms.yml").write_text(
        yaml.safe_dump(config, sort_keys=False), encoding="utf-8"
    )
    return build_site(content, base / "output", **{**LEAN, **settings})


@pytest.fixture(scope="module")
def endpoint():
    with form_endpoint() as server:
        yield server


@pytest.fixture(scope="module")
def site_port() -> int:
    """A free port for the connected site's server, known before it is
    built: the site's absolute address (SITE_ABSOLUTE_URL) is that server's,
    as pelicanconf.py's is ./dev serve's."""
    return free_port()


@pytest.fixture(scope="module")
def connected_site(tmp_path_factory, endpoint, site_port):
    base = tmp_path_factory.mktemp("forms")
    return build_forms_site(
        base,
        forms_config(endpoint.url),
        SITE_ABSOLUTE_URL=f"http://127.0.0.1:{site_port}",
    )


@pytest.fixture(scope="module")
def connected_server(connected_site, site_port):
    with devserver.running(connected_site, port=site_port) as url:
        yield url


def kept(inbox: pathlib.Path, token: str) -> list[dict]:
    """The entries in ``inbox`` with ``token`` in a field's value. Tests in
    other workers post to the sample site's inbox at the same time: each
    counts only its own entries, never the file's length."""
    return [
        entry
        for entry in form_inbox.read(inbox)
        if any(token in value for _, value in entry["fields"])
    ]


def form_tree(output: pathlib.Path, key: str):
    tree = lxml.html.fromstring((output / PAGES[key] / "index.html").read_bytes())
    forms = tree.xpath(f"//form[@data-signup-form='{key}']")
    assert len(forms) == 1, f"one {key} form on /{PAGES[key]}/"
    return tree, forms[0]


# Built pages ---------------------------------------------------------------


@pytest.mark.parametrize("key", FORMS)
def test_every_form_has_its_fields_labelled_and_checked(
    connected_site, endpoint, site_port, key
):
    tree, form = form_tree(connected_site, key)
    config = forms_config(endpoint.url)["forms"][key]
    assert form.get("action") == config["action"]
    assert form.get("method") == "post"
    names = config.get("names", {})
    for field in FORMS[key].fields:
        [element] = form.xpath(f".//*[@id='{key}-{field.key}']")
        assert element.get("name") == names.get(field.key, field.key)
        [label] = form.xpath(f".//label[@for='{key}-{field.key}']")
        assert label.text_content().strip().startswith(field.label)
        assert (element.get("required") is not None) == field.required, field.key
        if field.kind == "email":
            assert element.get("type") == "email"
            assert element.get("autocomplete") == "email"
        elif field.kind == "zip":
            # ZIP+4 with or without its hyphen: the number pad the field
            # asks phones for has digits only.
            assert element.get("pattern") == ZIP_PATTERN == "[0-9]{5}(-?[0-9]{4})?"
            assert element.get("inputmode") == "numeric"
            assert element.get("autocomplete") == "postal-code"
            # What the pattern wants, in words the browser adds to its error.
            assert "73103" in element.get("title")
            assert "nine" in element.get("title") and "nine" in field.hint
        elif field.kind == "text" and field.required:
            # Spaces alone are no answer: a pattern needing one character
            # that is not a space, and the words signup.js gives. A title
            # (the words without script) only beside a hint: a field without
            # one would have it read out to every screen reader user as its
            # description.
            assert element.get("pattern") == NOT_BLANK_PATTERN
            words = field.format_hint
            assert element.get("data-format-hint") == words
            assert words == f"{field.missing[:-1]} ({NOT_BLANK_WORDS})."
            assert element.get("title") == (words if field.hint else None)
        elif field.kind == "textarea":
            assert element.tag == "textarea"
            # No pattern on a textarea: signup.js says it, from this.
            hint = element.get("data-format-hint")
            assert hint == (field.format_hint if field.required else None)
            assert not field.required or NOT_BLANK_WORDS in hint
        elif field.kind == "consent":
            assert element.get("type") == "checkbox"
            assert label.xpath(".//a/@href") == ["../privacy/"]
        if field.kind != "zip":
            assert element.get("inputmode") is None, field.key
        # What signup.js says of the field left empty: what to do, in words.
        if field.required:
            assert re.fullmatch(r"(Enter|Tell|Tick|Describe) [^.]+\.", field.missing)
            assert element.get("data-missing") == field.missing
        else:
            assert element.get("data-missing") is None
        if field.hint:
            assert element.get("aria-describedby") == f"{key}-{field.key}-hint"
            [hint] = form.xpath(f".//*[@id='{key}-{field.key}-hint']")
            assert hint.text_content().strip() == field.hint
    # Without script the browser checks the fields (signup.js, once it
    # runs, sets novalidate and checks them itself).
    assert form.get("novalidate") is None
    # Every visible control has a label; ids are unique on the page.
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids))
    for control in form.xpath(".//input[@type!='hidden'] | .//textarea"):
        assert form.xpath(f".//label[@for='{control.get('id')}']"), control.get("id")
    # The story field is there, empty until the page's script fills it.
    story_name = names.get("story", "story")
    [story] = form.xpath(f".//input[@type='hidden'][@name='{story_name}']")
    assert story.get("value") == "" and story.get("data-story-field") is not None
    # Where a provider sends the visitor after sending: an absolute address
    # (providers redirect only to one), with or without script.
    if config.get("preset") != "mailchimp":
        [after] = form.xpath(".//input[@type='hidden'][@name='_next']")
        thanks = THANKS[key]
        assert after.get("value") == f"http://127.0.0.1:{site_port}/{thanks}/"
        assert after.get("data-absolute-url") == f"../{thanks}/"
    # Connected to a provider: no word of the development server.
    assert not form.xpath(".//*[@id=$id]", id=f"{key}-dev-note")
    assert form.get("aria-describedby") is None
    # The bot trap: a text field inside an aria-hidden wrapper, out of the
    # tab order, never autofilled.
    [trap] = form.xpath(f".//input[@id='{key}-trap']")
    assert trap.get("tabindex") == "-1" and trap.get("autocomplete") == "off"
    assert trap.xpath("ancestor::*[@aria-hidden='true']")
    # No script but the site's own, and no inline script or handler.
    # Names without asset_url's fingerprint (signup.<hash>.js).
    scripts = [
        re.sub(r"\.[0-9a-f]{10}\.js$", ".js", src)
        for src in tree.xpath("//script/@src")
    ]
    assert scripts == ["../theme/js/signup.js"]
    assert not [s for s in tree.xpath("//script") if (s.text or "").strip()]
    html = (connected_site / PAGES[key] / "index.html").read_text()
    assert not re.search(r"\son[a-z]+=", html)


def test_the_sample_site_has_every_form_page(sample_site):
    for key, slug in PAGES.items():
        page = sample_site / slug / "index.html"
        assert page.is_file(), f"/{slug}/ is missing"
        tree = lxml.html.fromstring(page.read_bytes())
        [form] = tree.xpath(f"//form[@data-signup-form='{key}']")
        for field in FORMS[key].fields:
            assert form.xpath(f".//label[@for='{key}-{field.key}']"), field.key
    thank_you = sample_site / "thank-you" / "index.html"
    assert "Thank you" in thank_you.read_text()


def test_each_form_has_its_own_thank_you_page(sample_site):
    """After sending, each form says what happens next for that form: an
    email subscriber what comes and how to stop it, someone to be matched
    how a partner is found and that we write to set up the conversation, an
    organization who replies. Like the shared page, each is out of the
    menu, the sitemap, search engines and the site's search."""
    sitemap = (sample_site / "sitemap.xml").read_text()
    home = (sample_site / "index.html").read_text()
    words = {}
    for key, slug in PAGES.items():
        form = lxml.html.fromstring((sample_site / slug / "index.html").read_bytes())
        [after] = form.xpath("//form//input[@name='_next']")
        assert after.get("value") == f"/{THANKS[key]}/"
        html = (sample_site / THANKS[key] / "index.html").read_text()
        tree = lxml.html.fromstring(html)
        assert tree.xpath("string(//h1)") == THANKS_TITLES[key]
        assert '<meta name="robots" content="noindex">' in html
        assert "data-pagefind-body" not in html
        assert f"/{THANKS[key]}/" not in sitemap
        assert THANKS[key] not in home  # not in the menu
        words[key] = " ".join(tree.xpath("string(//main//article)").split())
    assert "unsubscribe" in words["updates"] and "tips on choosing" in words["updates"]
    assert "political views differ from yours" in words["match"]
    assert "we write to the address you gave us to arrange it" in words["match"]
    assert "One Small Step team at StoryCorps" in words["partner"]
    assert "reply by email" in words["partner"]
    # Nobody is promised what the page's form is not about.
    assert "partner" not in words["updates"].replace("matched with a partner", "")
    assert "unsubscribe" not in words["match"] + words["partner"]


DEV_NOTE = "This is a development copy of the site."


def test_in_development_the_pages_say_what_is_sent_stays_here(
    sample_site, connected_site, tmp_path
):
    """The sample connects no provider: in development its forms post to the
    dev server, which keeps what they send on this computer. The forms and
    the thank-you page say so, and never promise an answer; a build whose
    forms are connected says nothing of it."""
    for key, slug in PAGES.items():
        tree = lxml.html.fromstring((sample_site / slug / "index.html").read_bytes())
        [form] = tree.xpath(f"//form[@data-signup-form='{key}']")
        assert form.get("action") == f"/_forms/{key}"
        [note] = form.xpath(f".//*[@id='{key}-dev-note']")
        assert form.get("aria-describedby") == f"{key}-dev-note"
        words = " ".join(note.text_content().split())
        assert words.startswith(DEV_NOTE) and "does not reach" in words
    # Each form's own thank-you page says so of what was sent with it.
    for key in PAGES:
        thank_you = lxml.html.fromstring(
            (sample_site / THANKS[key] / "index.html").read_bytes()
        )
        [note] = thank_you.xpath("//main//p[@role='note']")
        words = " ".join(note.text_content().split())
        assert words.startswith(DEV_NOTE + " What you sent is kept on this computer")
        assert "no one will be in touch" in words
        # It comes before the page's thanks, styled as a notice.
        assert thank_you.xpath("//main//p")[0] is note
        assert thank_you.xpath("//link[contains(@href, 'campaign.')]")
        # Connected forms: the thank-you page is the editors' text alone.
        connected = (connected_site / THANKS[key] / "index.html").read_text()
        assert DEV_NOTE not in connected and "campaign." not in connected
    # Some connected, some not: a thank-you page's notice speaks of the
    # forms that send people to it and are kept here, naming them when a
    # connected one sends people there too. Here the partner inquiry (kept)
    # and the match form (connected) share forms.yml's thank_you_page; the
    # updates form (kept) has its own page.
    config = forms_config("https://forms.example")
    for key in ("match", "partner"):
        del config["forms"][key]["thank_you"]
    for key in ("updates", "partner"):
        config["forms"][key]["action"] = ""
    mixed = build_forms_site(tmp_path, config)

    def note(slug: str) -> str:
        tree = lxml.html.fromstring((mixed / slug / "index.html").read_bytes())
        return " ".join(tree.xpath("string(//main//p[@role='note'])").split())

    assert note("thank-you").startswith(
        DEV_NOTE + " What you sent with the Partner inquiry form is kept on this "
        "computer"
    )
    assert note(THANKS["updates"]).startswith(
        DEV_NOTE + " What you sent is kept on this computer"
    )
    assert note(THANKS["match"]) == ""  # no form sends people there
    match = (mixed / "be-matched" / "index.html").read_text()
    assert DEV_NOTE not in match
    assert DEV_NOTE in (mixed / "partner" / "index.html").read_text()


PRODUCTION_URL = "https://oss.example.org"


def test_a_production_build_links_an_unconnected_form_nowhere(tmp_path, caplog):
    """Production (no development endpoint): a form without an action is no
    form at all; its calls to action are the campaign's email address, no
    "not connected" notice reaches the public, and the build names it."""
    caplog.set_level(logging.WARNING)
    output = build_forms_site(
        tmp_path,
        forms_config("", connected=False),
        settings_file="publishconf.py",
        SITEURL=PRODUCTION_URL,
    )
    warnings = [r.getMessage() for r in caplog.records if "signup_forms" in r.name]
    # One warning names them all, at the first form's action.
    assert warnings == [
        "[signup_forms] content/data/forms.yml:7: forms.updates.action: not "
        "connected: Email updates, Be matched with a partner, Partner inquiry. "
        "Nothing links to them: their calls to action offer the campaign's email "
        "address instead - set each form's action to your form provider's URL, "
        "like https://example.us21.list-manage.com/subscribe/post"
    ]
    form_pages = {f"/{slug}/" for slug in PAGES.values()}
    for page in output.rglob("*.html"):
        tree = lxml.html.fromstring(page.read_bytes())
        text = tree.text_content()
        assert "not connected" not in text, page
        assert not tree.xpath("//form[@data-signup-form]"), page
        # No page links a form page: not the templates (home, story
        # invitations, footer), nor the Markdown of pages such as Take part
        # and About.
        for link in tree.xpath("//a/@href"):
            path = "/" + link.split("://", 1)[-1].split("/", 1)[-1].lstrip("./")
            path = path.split("#")[0].split("?")[0]
            assert not any(path.endswith(form) for form in form_pages), (page, link)
    # What the Markdown linked now offers the email address instead.
    take_part = lxml.html.fromstring((output / "take-part" / "index.html").read_bytes())
    matched = take_part.xpath("//a[contains(., 'Sign up to be matched')]/@href")
    assert matched == [
        "mailto:onesmallstep@storycorps.org?subject=One%20Small%20Step%3A%20Be%20"
        "matched%20with%20a%20partner"
    ]
    about = lxml.html.fromstring((output / "about" / "index.html").read_bytes())
    [partner] = about.xpath("//a[contains(., 'bring your organization along')]/@href")
    assert partner.startswith("mailto:onesmallstep@storycorps.org?subject=")
    assert about.xpath("//a[contains(., 'record a conversation')]/@href") == [
        f"{PRODUCTION_URL}/take-part/#record"
    ]
    home = (output / "index.html").read_text()
    assert "mailto:" in home and "Email us to be matched" in home
    story = (output / "stories" / "heard-it" / "index.html").read_text()
    assert "Email us to be matched" in story
    for slug in PAGES.values():
        page = (output / slug / "index.html").read_text()
        assert 'class="button" href="mailto:' in page
        assert "development copy" not in page
    # Each form's page says what to write instead, in the form's own terms:
    # news asks to join the list, a partner writes about its organization.
    instead = {}
    for key, slug in PAGES.items():
        tree = lxml.html.fromstring((output / slug / "index.html").read_bytes())
        [section] = tree.xpath("//section[contains(@class, 'signup-form--email')]")
        instead[key] = " ".join(section.xpath("string(./p[1])").split())
    assert "added to the list" in instead["updates"]
    assert "about yourself" in instead["match"]
    assert "your organization" in instead["partner"]
    assert "about yourself" not in instead["updates"] + instead["partner"]
    thank_you = (output / "thank-you" / "index.html").read_text()
    assert "development copy" not in thank_you and "form-status" not in thank_you
    # A production build still succeeds: the warning does not stop it.
    build_forms_site(
        tmp_path / "strict",
        forms_config("", connected=False),
        STORY_STRICT=True,
        SIGNUP_FORMS_DEV_ENDPOINT="",
    )


def test_the_privacy_page_says_what_each_form_collects(connected_site, endpoint):
    text = (connected_site / "privacy" / "index.html").read_text()
    tree = lxml.html.fromstring(text)
    for key, spec in FORMS.items():
        [section] = tree.xpath(f"//section[@aria-labelledby='privacy-{key}']")
        words = " ".join(section.text_content().split())
        for field in spec.fields:
            if field.kind != "consent":
                assert field.label.rstrip("?") in words, (key, field.label)
        assert "127.0.0.1" in words  # where it goes
    assert "Mailchimp" in text


def test_form_origins_are_known_for_the_security_policy(tmp_path, endpoint):
    """A CSP's form-action must allow the providers: the context lists them."""
    from pelican import signals

    from plugins.signup_forms.config import is_form_endpoint

    seen = {}

    def capture(generators):
        seen.update(generators[0].context)

    signals.all_generators_finalized.connect(capture)
    try:
        build_forms_site(tmp_path, forms_config(endpoint.url))
    finally:
        signals.all_generators_finalized.disconnect(capture)
    assert seen["signup_form_origins"] == [endpoint.url]
    assert is_form_endpoint("https://formspree.io/f/x")
    assert is_form_endpoint("http://127.0.0.1:8000/f")
    assert is_form_endpoint("http://localhost:8000/f")
    assert not is_form_endpoint("http://formspree.io/f/x")
    assert not is_form_endpoint("javascript:alert(1)")
    assert not is_form_endpoint("https:///nohost")


# Broken configuration ------------------------------------------------------

BROKEN = [
    (
        {"forms": {"updatse": {"page": "updates"}}},
        "forms.yml:2: forms.updatse: is not one of our forms (updates, match, "
        "partner); did you mean 'updates'?",
    ),
    (
        {"forms": {"match": {"page": "be-matched", "names": {"emial": "e"}}}},
        "forms.match.names.emial: the match form has no field 'emial'",
    ),
    (
        {"forms": {"updates": {"page": "updates", "preset": "mailchimp"}}},
        "forms.updates.names: mailchimp has no standard name for zip, consent, "
        "story - add the field names (merge tags)",
    ),
    (
        {
            "forms": {
                "updates": {
                    "page": "updates",
                    "preset": "mailchimp",
                    "action": "https://x.us1.list-manage.com/subscribe/post",
                    "names": MAILCHIMP_NAMES,
                }
            }
        },
        "forms.updates.hidden: a mailchimp form needs u and id",
    ),
    (
        # Mailchimp sends people to the page its audience's settings name
        # (set to this one): a slug no page has would be a page not found.
        {
            "forms": {
                "updates": {
                    "page": "updates",
                    "preset": "mailchimp",
                    "action": "https://x.us1.list-manage.com/subscribe/post",
                    "hidden": {"u": "a1", "id": "b2"},
                    "names": MAILCHIMP_NAMES,
                    "thank_you": "thank-you-updatse",
                }
            }
        },
        "forms.updates.thank_you: no page has the slug 'thank-you-updatse'",
    ),
    (
        {"forms": {"match": {"page": "be-matched", "action": "http://forms.example"}}},
        "forms.match.action: 'http://forms.example' is not a secure web address",
    ),
    (
        {"forms": {"match": {"page": "be-matched", "action": "javascript:alert(1)"}}},
        "forms.match.action: 'javascript:alert(1)' is not a secure web address",
    ),
    (
        {"forms": {"match": {"page": "matched"}}},
        "forms.match.page: no page has the slug 'matched'",
    ),
    (
        {"forms": {"match": {"page": "be-matched", "names": {"email": "story"}}}},
        "forms.match: the Be matched with a partner form would send story twice",
    ),
    (
        {"forms": {"match": {"page": "be-matched", "method": "put"}}},
        "forms.match.method: Input should be 'post' or 'get'",
    ),
    (
        {"forms": {"match": {"page": "be-matched", "hidden": {"bad name": "x"}}}},
        "forms.match.hidden: 'bad name' is not a usable field name",
    ),
    (
        {"forms": {"match": {"page": "be-matched", "colour": "red"}}},
        "forms.match.colour: is not a field we know",
    ),
]


@pytest.mark.parametrize(("config", "message"), BROKEN)
def test_a_broken_forms_file_names_file_line_field_and_fix(
    tmp_path, caplog, config, message
):
    caplog.set_level(logging.WARNING)
    build_forms_site(tmp_path / "dev", config)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(
        message in error and "content/data/forms.yml:" in error for error in errors
    ), "\n".join(errors)
    with pytest.raises(StoryContentError):
        build_forms_site(tmp_path / "strict", config, STORY_STRICT=True)


def test_a_signup_page_without_a_form_is_reported(tmp_path, caplog):
    caplog.set_level(logging.ERROR)
    config = forms_config("", connected=False)
    config["forms"]["partner"]["page"] = "be-matched"
    config["forms"]["match"]["page"] = "updates"
    config["forms"]["updates"]["page"] = "be-matched"
    build_forms_site(tmp_path, config)
    errors = "\n".join(r.getMessage() for r in caplog.records)
    assert (
        "content/pages/partner.md:1: template: the page uses the signup template "
        "but no form in content/data/forms.yml names it"
    ) in errors


# In the browser ------------------------------------------------------------


def fill(page, key: str) -> None:
    for field in FORMS[key].fields:
        locator = page.locator(f"#{key}-{field.key}")
        if field.kind == "consent":
            locator.check()
        else:
            locator.fill(TYPED[field.key])


@pytest.mark.parametrize("key", FORMS)
def test_each_form_sends_exactly_the_configured_fields(
    page, connected_server, endpoint, key
):
    endpoint.submissions.clear()
    page.goto(f"{connected_server}/{PAGES[key]}/?story={STORY_ID}")
    fill(page, key)
    with page.expect_navigation():
        page.get_by_role("button", name=FORMS[key].submit).click()
    assert len(endpoint.submissions) == 1
    [received] = endpoint.submissions
    assert received.method == "POST"
    assert received.content_type == "application/x-www-form-urlencoded"
    assert sorted(received.fields) == expected_fields(key, connected_server)
    if key == "updates":
        assert received.path == "/subscribe/post"
        assert page.locator("h1").inner_text() == "Received"
    else:
        # The provider sent the browser on to the form's own thank-you page.
        assert page.url == f"{connected_server}/{THANKS[key]}/"
        assert page.locator("h1").first.inner_text() == THANKS_TITLES[key]


def test_the_browser_blocks_bad_email_missing_fields_and_bad_zip(
    page, connected_server, endpoint
):
    endpoint.submissions.clear()
    page.goto(f"{connected_server}/be-matched/")
    submit = page.get_by_role("button", name=FORMS["match"].submit)
    fill(page, "match")

    page.locator("#match-email").fill("not-an-email")
    submit.click()
    assert page.locator("#match-email").evaluate("e => e.validity.typeMismatch")
    # (The form's list of problems has the focus: see below.)
    assert page.evaluate("() => document.activeElement.className") == "error-summary"

    page.locator("#match-email").fill(TYPED["email"])
    page.locator("#match-name").fill("")
    submit.click()
    assert page.locator("#match-name").evaluate("e => e.validity.valueMissing")

    page.locator("#match-name").fill(TYPED["name"])
    page.locator("#match-zip").fill("741")
    submit.click()
    assert page.locator("#match-zip").evaluate("e => e.validity.patternMismatch")

    page.locator("#match-zip").fill(TYPED["zip"])
    page.locator("#match-consent").uncheck()
    submit.click()
    assert page.locator("#match-consent").evaluate("e => e.validity.valueMissing")
    assert page.url == f"{connected_server}/be-matched/"

    # Once everything is right it sends, and only this one submission
    # arrives: none of the blocked attempts ever left the browser.
    page.locator("#match-consent").check()
    with page.expect_navigation():
        submit.click()
    assert len(endpoint.submissions) == 1
    assert endpoint.submissions[0].as_dict["email"] == TYPED["email"]
    assert endpoint.submissions[0].as_dict["story"] == ""  # came from no story


def test_a_wrong_zip_code_is_told_what_is_wanted(page, connected_server):
    """The browser's own words for a pattern ("Please match the requested
    format") do not say which format: the form says it."""
    page.goto(f"{connected_server}/be-matched/")
    zip_code = page.locator("#match-zip")
    zip_code.fill("7410")
    message = zip_code.evaluate("e => e.validationMessage")
    assert "five digits, like 73103" in message and "73103-1234" in message
    page.get_by_role("button", name=FORMS["match"].submit).click()
    assert page.url == f"{connected_server}/be-matched/"
    # Right again, the field is valid: nothing of the message stays behind.
    zip_code.fill("74103-1234")
    assert zip_code.evaluate("e => e.validity.valid && !e.validationMessage")
    zip_code.fill("")
    assert zip_code.evaluate("e => e.validity.valueMissing")
    # The optional ZIP code of the updates form may stay empty.
    page.goto(f"{connected_server}/updates/")
    assert page.locator("#updates-zip").evaluate("e => e.validity.valid")


SPACES = "   "


def test_a_send_with_problems_lists_them_and_marks_each_field(
    page, connected_server, endpoint
):
    """With script, the form checks itself (novalidate): a send with
    problems lists them all at the top of the form, focused, each a link to
    its field, and each field says its own above it (aria-describedby,
    aria-invalid), in words that say what to do. A field fixed is told so
    when the visitor leaves it, not at every key."""
    endpoint.submissions.clear()
    page.goto(f"{connected_server}/be-matched/")
    assert page.locator("#match-form").evaluate("e => e.noValidate")
    page.fill("#match-name", SPACES)
    page.fill("#match-email", "ada")
    page.fill("#match-zip", "741")
    page.get_by_role("button", name=FORMS["match"].submit).click()
    assert endpoint.submissions == [] and page.url.endswith("/be-matched/")
    summary = page.locator("#match-form .error-summary")
    assert page.evaluate("() => document.activeElement.className") == "error-summary"
    assert summary.get_by_role("alert").locator("h3").text_content() == (
        "There is a problem"
    )
    spec = {field.key: field for field in FORMS["match"].fields}
    told = {
        "name": f"Enter your name ({NOT_BLANK_WORDS}).",
        "email": "Enter your email address in full, like name@example.com.",
        "zip": ZIP_FORMAT,
        "political_views": spec["political_views"].missing,
        "consent": spec["consent"].missing,
    }
    links = summary.locator("a")
    assert links.all_text_contents() == list(told.values())
    assert [links.nth(i).get_attribute("href") for i in range(5)] == [
        f"#match-{key}" for key in told
    ]
    for key, words in told.items():
        field = page.locator(f"#match-{key}")
        assert field.get_attribute("aria-invalid") == "true", key
        ids = field.get_attribute("aria-describedby").split()
        assert ids == ([f"match-{key}-hint"] if spec[key].hint else []) + [
            f"match-{key}-error"
        ]
        error = page.locator(f"#match-{key}-error")
        assert error.text_content() == f"Error: {words}"
        # Above the field: after its label and hint (a checkbox's, first).
        assert error.evaluate(
            "(e, f) => !!(e.compareDocumentPosition(f) & 4)", field.element_handle()
        )
    hopes = page.locator("#match-hopes")  # optional, left empty: nothing said
    assert hopes.get_attribute("aria-invalid") is None
    assert hopes.get_attribute("aria-describedby") == "match-hopes-hint"
    # A link in the list takes the visitor to its field, the address kept.
    summary.get_by_role("link", name=told["political_views"]).click()
    assert page.evaluate("() => document.activeElement.id") == "match-political_views"
    assert page.url.endswith("/be-matched/")
    # Typing is not nagged; leaving the field fixed clears its message and
    # its line; one still wrong another way is told the new way.
    page.keyboard.type("somewhere in between")
    assert page.locator("#match-political_views-error").count() == 1
    page.keyboard.press("Tab")
    assert page.locator("#match-political_views-error").count() == 0
    views = page.locator("#match-political_views")
    assert views.get_attribute("aria-invalid") is None
    assert views.get_attribute("aria-describedby") == "match-political_views-hint"
    assert len(links.all_text_contents()) == 4
    page.fill("#match-zip", "")
    page.locator("#match-zip").blur()
    assert links.nth(2).text_content() == spec["zip"].missing
    for key in ("name", "email", "zip"):
        page.fill(f"#match-{key}", TYPED[key])
        page.locator(f"#match-{key}").blur()
    page.check("#match-consent")
    assert summary.count() == 0 and page.locator(".field__error").count() == 0
    with page.expect_navigation():
        page.get_by_role("button", name=FORMS["match"].submit).click()
    assert len(endpoint.submissions) == 1


def test_a_required_field_of_spaces_alone_is_refused_and_says_why(
    page, connected_server, endpoint
):
    """Spaces alone fill a ``required`` field for the browser: the form
    refuses them (each required text field and textarea), in words, and
    sends nothing until the field has an answer."""
    endpoint.submissions.clear()
    for key, blank in (
        ("match", "name"),
        ("match", "political_views"),
        ("partner", "organization"),
        ("partner", "contact"),
        ("partner", "community"),
        ("partner", "message"),
    ):
        page.goto(f"{connected_server}/{PAGES[key]}/")
        fill(page, key)
        field = page.locator(f"#{key}-{blank}")
        field.fill(SPACES + ("\n  " if blank == "message" else ""))
        page.get_by_role("button", name=FORMS[key].submit).click()
        assert page.url == f"{connected_server}/{PAGES[key]}/", blank
        words = next(f.format_hint for f in FORMS[key].fields if f.key == blank)
        assert NOT_BLANK_WORDS in words
        assert field.evaluate("e => e.validationMessage") == words
        assert page.locator(".error-summary li").all_text_contents() == [words]
        error = page.locator(f"#{key}-{blank}-error").text_content()
        assert error == f"Error: {words}"
        # A real answer, with spaces around it, is taken.
        field.fill(f" {TYPED[blank]} ")
        assert field.evaluate("e => e.validity.valid && !e.validationMessage")
    assert endpoint.submissions == []
    # An optional field may be left as the visitor left it.
    page.goto(f"{connected_server}/updates/")
    page.locator("#updates-first_name").fill(SPACES)
    assert page.locator("#updates-first_name").evaluate("e => e.validity.valid")


def test_an_optional_field_of_spaces_alone_is_sent_empty(
    page, connected_server, endpoint
):
    """A provider keeps what it is sent: a first name of spaces would greet
    the subscriber with them in every email. Sent, it is empty, as left
    blank; a real answer keeps its words."""
    endpoint.submissions.clear()
    page.goto(f"{connected_server}/updates/")
    fill(page, "updates")
    page.locator("#updates-first_name").fill(SPACES)
    with page.expect_navigation():
        page.get_by_role("button", name=FORMS["updates"].submit).click()
    page.goto(f"{connected_server}/be-matched/")
    fill(page, "match")
    page.locator("#match-hopes").fill(SPACES + "\n  ")
    with page.expect_navigation():
        page.get_by_role("button", name=FORMS["match"].submit).click()
    first, second = (received.as_dict for received in endpoint.submissions)
    assert first["FNAME"] == "" and first["EMAIL"] == TYPED["email"]
    assert second["hopes"] == "" and second["name"] == TYPED["name"]


def test_without_javascript_a_name_of_spaces_alone_is_refused(
    browser, connected_server, endpoint
):
    endpoint.submissions.clear()
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{connected_server}/be-matched/")
        fill(page, "match")
        name = page.locator("#match-name")
        name.fill(SPACES)
        page.get_by_role("button", name=FORMS["match"].submit).click()
        assert name.evaluate("e => e.validity.patternMismatch")
        assert page.url == f"{connected_server}/be-matched/"
        assert endpoint.submissions == []
    finally:
        context.close()


def test_a_zip_plus_4_typed_on_a_number_pad_is_taken(page, connected_server, endpoint):
    """The ZIP code field asks a phone for its number pad, which has no
    hyphen: the nine digits of a ZIP+4 typed on it are taken (and sent with
    their hyphen), as is a ZIP+4 written with one."""
    endpoint.submissions.clear()
    page.goto(f"{connected_server}/be-matched/")
    fill(page, "match")
    zip_code = page.locator("#match-zip")
    assert zip_code.get_attribute("inputmode") == "numeric"
    zip_code.fill("")
    zip_code.press_sequentially("741031234")  # digits only, as on the pad
    assert zip_code.evaluate("e => e.validity.valid && !e.validationMessage")
    page.locator("#match-political_views").focus()
    assert zip_code.input_value() == "74103-1234"
    with page.expect_navigation():
        page.get_by_role("button", name=FORMS["match"].submit).click()
    [received] = endpoint.submissions
    assert received.as_dict["zip"] == "74103-1234"
    for wrong in ("74103-123", "7410312345", "74103 1234", "74103-"):
        page.goto(f"{connected_server}/be-matched/")
        page.locator("#match-zip").fill(wrong)
        assert page.locator("#match-zip").evaluate("e => !e.validity.valid"), wrong


def test_without_javascript_a_provider_sends_the_visitor_to_the_thank_you_page(
    browser, connected_server, endpoint
):
    """A provider sends the browser on only to an absolute address: the form
    gives it one (the site's, SITE_ABSOLUTE_URL in development) without
    script."""
    endpoint.submissions.clear()
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{connected_server}/be-matched/")
        fill(page, "match")
        with page.expect_navigation():
            page.get_by_role("button", name=FORMS["match"].submit).click()
        assert page.url == f"{connected_server}/{THANKS['match']}/"
        assert page.locator("h1").first.inner_text() == THANKS_TITLES["match"]
    finally:
        context.close()
    [received] = endpoint.submissions
    assert received.as_dict["_next"] == f"{connected_server}/{THANKS['match']}/"


def test_without_javascript_a_form_in_development_ends_on_the_thank_you_page(
    browser, site_server, sample_site
):
    """No script: the dev server sends the visitor on to the thank-you page
    (its address in the form is one the dev server accepts), and that page
    says what was sent stays on this computer."""
    inbox = sample_site.parent / form_inbox.FILE_NAME
    contact = f"{TYPED['contact']} {uuid.uuid4().hex}"
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_server}/partner/")
        page.fill("#partner-organization", TYPED["organization"])
        page.fill("#partner-contact", contact)
        page.fill("#partner-email", TYPED["email"])
        page.fill("#partner-community", TYPED["community"])
        page.fill("#partner-message", TYPED["message"])
        page.check("#partner-consent")
        with page.expect_navigation():
            page.get_by_role("button", name=FORMS["partner"].submit).click()
        assert page.url == f"{site_server}/{THANKS['partner']}/"
        assert page.locator("h1").inner_text() == THANKS_TITLES["partner"]
        assert page.get_by_role("note").inner_text().startswith(DEV_NOTE)
    finally:
        context.close()
    entries = kept(inbox, contact)
    assert len(entries) == 1 and entries[0]["form"] == "partner"


@pytest.mark.parametrize("key", FORMS)
def test_the_honeypot_is_hidden_from_people_and_screen_readers(
    page, connected_server, key
):
    page.goto(f"{connected_server}/{PAGES[key]}/")
    trap = page.locator(f"#{key}-trap")
    assert trap.count() == 1
    # Present in the form, so bots find it...
    # (getAttribute: Mailchimp's hidden "id" field shadows form.id.)
    assert trap.evaluate("e => e.form.getAttribute('id')") == f"{key}-form"
    # ...but drawn outside the page, where nobody sees it,
    box = trap.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1366
    # out of the tab order, and out of the accessibility tree.
    assert trap.evaluate("e => e.tabIndex") == -1
    assert trap.evaluate("e => !!e.closest('[aria-hidden=\"true\"]')")
    assert page.get_by_role("textbox", name="Leave this field empty").count() == 0
    snapshot = page.locator(f"#{key}-form").aria_snapshot()
    assert "Leave this field empty" not in snapshot
    assert "textbox" in snapshot  # the real fields are there
    cdp = page.context.new_cdp_session(page)
    tree = cdp.send("Accessibility.getFullAXTree")["nodes"]
    named = [
        node
        for node in tree
        if not node.get("ignored")
        and "Leave this field empty" in str(node.get("name", {}).get("value", ""))
    ]
    assert named == []
    # Tabbing through the whole page never lands on it.
    visited = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        visited.add(page.evaluate("() => document.activeElement.id"))
    assert f"{key}-trap" not in visited
    assert f"{key}-email" in visited


def test_a_story_page_invites_the_listener_with_the_story_id(page, connected_server):
    page.goto(f"{connected_server}/stories/heard-it/")
    invite = page.locator(".invite")
    assert "Ada Lopez and Ben Carter" in invite.inner_text()
    invite.get_by_role("link", name="Be matched with a partner").click()
    page.wait_for_url(f"**/be-matched/?story={STORY_ID}")
    assert page.locator("input[data-story-field]").input_value() == STORY_ID

    page.go_back()
    invite.get_by_role("link", name="Get email updates").click()
    page.wait_for_url(f"**/updates/?story={STORY_ID}")
    assert page.locator("input[name=STORY]").input_value() == STORY_ID


def test_a_story_id_that_is_not_one_is_ignored(page, connected_server):
    page.goto(f"{connected_server}/be-matched/?story=%3Cscript%3Ex")
    assert page.locator("input[data-story-field]").input_value() == ""


def test_in_development_a_form_posts_to_the_dev_server_and_is_kept(
    strict_page, site_server, sample_site
):
    """The sample data connects no provider: in development (pelicanconf.py)
    every form posts to ./dev serve, which keeps the entry in a local file."""
    inbox = sample_site.parent / form_inbox.FILE_NAME
    email = f"ada+{uuid.uuid4().hex}@example.org"
    page = strict_page  # the site's Content-Security-Policy enforced
    page.goto(f"{site_server}/be-matched/?story=oss-2019-0003")
    assert page.locator("#match-form").get_attribute("action") == "/_forms/match"
    page.fill("#match-name", "Ada Lopez")
    page.fill("#match-email", email)
    page.fill("#match-zip", "74103")
    page.fill("#match-political_views", "somewhere in between")
    page.check("#match-consent")
    page.get_by_role("button", name=FORMS["match"].submit).click()
    page.wait_for_url(re.compile(f"/{THANKS['match']}/$"))
    [entry] = kept(inbox, email)
    assert entry["form"] == "match"
    fields = dict(entry["fields"])
    assert fields["email"] == email and fields["consent"] == "yes"
    assert fields["story"] == "oss-2019-0003"
    assert "_gotcha" not in fields


def _post(url: str, fields: dict) -> tuple[int, str]:
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=data, method="POST")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_dev_server_applies_the_honeypot_and_consent_rules(
    site_server, sample_site
):
    inbox = sample_site.parent / form_inbox.FILE_NAME
    token = uuid.uuid4().hex
    email = f"bot+{token}@example.org"
    base = {"email": email, "consent": "yes", "_next": "/thank-you/"}
    status, _ = _post(f"{site_server}/_forms/updates", {**base, "_gotcha": "spam"})
    assert status == 303  # thanked, like a provider does, but not kept
    status, text = _post(f"{site_server}/_forms/updates", {"email": email})
    assert status == 400 and "agree to be contacted" in text
    assert kept(inbox, token) == []
    status, _ = _post(f"{site_server}/_forms/updates", base)
    assert status == 303
    [entry] = kept(inbox, token)
    assert entry["fields"][0] == ["email", email]
    # Only the forms' own path takes a POST, and _next stays on this site.
    status, _ = _post(f"{site_server}/stories/", base)
    assert status in (404, 501)
    assert (
        form_inbox.receive(
            "updates",
            b"email=a%40example.org&consent=yes&_next=https://elsewhere.example/",
            "application/x-www-form-urlencoded",
            str(inbox),
            "127.0.0.1",
        ).status
        == 200
    )


def test_the_dev_server_refuses_what_the_form_refuses(tmp_path):
    """What the browser refuses (a required field of spaces alone, a ZIP
    code that is not one) the dev server refuses too, for a post made
    without the page: nothing is kept, and the sender is told which field.
    (A server of its own: the sample site's inbox is counted by others.)"""
    (tmp_path / "output").mkdir()
    inbox = tmp_path / form_inbox.FILE_NAME
    with devserver.running(tmp_path / "output") as site_server:
        _refuses_what_the_form_refuses(site_server, inbox)


def _refuses_what_the_form_refuses(site_server: str, inbox: pathlib.Path) -> None:
    before = len(form_inbox.read(inbox))
    match = {field.key: TYPED.get(field.key, "") for field in FORMS["match"].fields}
    match.update(consent="yes", _next="/thank-you/")
    partner = {field.key: TYPED.get(field.key, "") for field in FORMS["partner"].fields}
    partner.update(consent="yes")
    for form, fields, words in (
        ("match", {**match, "name": SPACES}, "“Your name” (spaces alone"),
        ("match", {**match, "name": "\t\u00a0"}, "“Your name” (spaces alone"),
        ("match", {**match, "political_views": ""}, "“How do you describe"),
        ("match", {**match, "zip": "7410"}, "“ZIP code” as five digits"),
        ("match", {**match, "zip": "74103-12345"}, "“ZIP code” as five digits"),
        ("partner", {**partner, "message": " \r\n "}, "“How would you like"),
        ("updates", {"email": " ", "consent": "yes"}, "“Email address”"),
        ("updates", {"email": "ada", "consent": "yes"}, "as an email address"),
        ("updates", {"email": "ada@", "consent": "yes"}, "as an email address"),
        ("match", {**match, "email": "ada lopez@x.org"}, "as an email address"),
    ):
        status, text = _post(f"{site_server}/_forms/{form}", fields)
        assert status == 400, (form, fields)
        assert words in text and "Nothing was sent" in text, text
    assert len(form_inbox.read(inbox)) == before
    # Right, it is kept: a ZIP+4 with or without its hyphen, an optional
    # field left empty.
    for zip_code in ("74103", "741031234", "74103-1234"):
        status, _ = _post(
            f"{site_server}/_forms/match", {**match, "zip": zip_code, "hopes": ""}
        )
        assert status == 303
    # An address as a browser takes it: no dot needed after the @, spaces
    # around it dropped.
    for email in ("ada@localhost", " ada.lopez+oss@mail.example.org "):
        status, _ = _post(f"{site_server}/_forms/match", {**match, "email": email})
        assert status == 303, email
    assert len(form_inbox.read(inbox)) == before + 5


@pytest.mark.parametrize("key", FORMS)
def test_connected_form_pages_are_accessible(page, connected_server, axe, key):
    page.goto(f"{connected_server}/{PAGES[key]}/?story={STORY_ID}")
    violations = axe(page)
    assert not violations, axe.format(violations)
    # Also after a failed attempt, with the problems listed and marked.
    page.get_by_role("button", name=FORMS[key].submit).click()
    assert page.locator(".error-summary").is_visible()
    violations = axe(page)
    assert not violations, axe.format(violations)


def test_a_site_without_forms_builds_and_links_no_forms(tmp_path):
    content = copy_content(tmp_path / "content")
    write_story(content, "heard-it", id=STORY_ID, title="Heard it")
    (content / "data" / "forms.yml").unlink()
    for slug in PAGES.values():
        (content / "pages" / f"{slug}.md").unlink()
    for name in ("about", "take-part"):  # they link the form pages
        (content / "pages" / f"{name}.md").write_text(
            f"---\ntitle: {name}\nslug: {name}\n---\nText.\n"
        )
    output = build_site(content, tmp_path / "out", STORY_STRICT=True, **LEAN)
    story = (output / "stories" / "heard-it" / "index.html").read_text()
    assert "invite" not in story and "?story=" not in story
    home = lxml.html.fromstring((output / "index.html").read_bytes())
    ways = home.xpath("//section[@aria-labelledby='take-part-heading']//h3/text()")
    assert ways == ["Record with someone you know"]


class _Written:
    """A page as the plugin sees it: its source and its HTML as read."""

    def __init__(self, source: str, html: str):
        self.source, self._content = source, html

    def get_relative_source_path(self) -> str:
        return self.source


def test_every_way_of_writing_a_link_to_an_offline_form_offers_email():
    from plugins.signup_forms import offline_links

    email = offline_links.email_link("hi@example.org", "Be matched")
    page = _Written(
        "pages/about.md",
        '<p><a href="{filename}be-matched.md">one</a> '
        "<a href='{filename}/pages/be-matched.md#top'>two</a> "
        '<a class="x" href="/be-matched/">three</a> '
        '<a href="https://oss.example.org/be-matched/?story=a">four</a> '
        '<a href="{filename}take-part.md">stays</a> '
        '<a href="https://elsewhere.example/be-matched/">elsewhere</a></p>',
    )
    changed = offline_links.rewrite(
        page,
        {"pages/be-matched.md": email},
        {"be-matched/": email},
        "https://oss.example.org",
    )
    assert changed == 4
    hrefs = re.findall(r"href=[\"']([^\"']+)", page._content)
    escaped = email.replace("&", "&amp;")
    assert hrefs == [escaped] * 4 + [
        "{filename}take-part.md",
        "https://elsewhere.example/be-matched/",
    ]
    assert 'class="x"' in page._content and ">three</a>" in page._content


def test_a_screen_reader_hears_the_forms_name_once(page, site_server, sample_site):
    """The form is named by its heading; a fieldset legend with the same
    words made screen readers say them again as the group's name."""
    page.goto(f"{site_server}/be-matched/")
    form = page.locator("form[data-signup-form]")
    heading = form.locator("h2").text_content().strip()
    tree = form.aria_snapshot()
    assert tree.count(heading) == 2, tree  # the form's name and its heading
    assert f'group "{heading}"' not in tree, tree
    # The group is named by how to fill it in (a fieldset needs a legend).
    assert 'group "Every field is needed unless it says optional."' in tree, tree


def test_a_screen_reader_hears_a_fields_hint_and_nothing_else(
    page, site_server, sample_site
):
    """A field is described by its hint, if it has one, and by nothing else:
    the words for a value of spaces alone come when such a value is sent,
    not read out with every field (a title would be its description)."""
    page.goto(f"{site_server}/be-matched/")
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]

    def description(label: str) -> str:
        [node] = [
            node
            for node in nodes
            if node.get("role", {}).get("value") == "textbox"
            and str(node.get("name", {}).get("value", "")).startswith(label)
        ]
        return str(node.get("description", {}).get("value", ""))

    by_key = {field.key: field for field in FORMS["match"].fields}
    name, zip_code = by_key["name"], by_key["zip"]
    assert name.required and not name.hint
    assert description(name.label) == ""
    assert description(zip_code.label) == zip_code.hint
