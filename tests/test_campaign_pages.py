"""The campaign pages: what One Small Step is, how to take part, the guide,
partners, privacy, funders, thank-you and 404, each built and looked at."""

from __future__ import annotations

import logging
import pathlib
import re

import lxml.html
import pytest
import yaml

from portal.problems import StoryContentError
from tests.pagefind_index import indexed_pages
from tests.support import CONTENT, LEAN, build_site, copy_content

CAMPAIGN_PAGES = {
    "about/": "About",
    "take-part/": "Take part",
    "guide/": "The conversation guide",
    "partner/": "Partner with us",
    "be-matched/": "Be matched with a partner",
    "updates/": "Email updates",
    "funders/": "Our funders",
    "privacy/": "Privacy",
    "thank-you/": "Thank you",
    "404.html": "Page not found",
}


def tree(output: pathlib.Path, path: str):
    name = path + "index.html" if path.endswith("/") else path
    return lxml.html.fromstring((output / name).read_bytes())


def questions() -> list[dict]:
    return yaml.safe_load((CONTENT / "data" / "questions.yml").read_text())


def test_every_campaign_page_is_built_with_its_title(sample_site):
    for path, title in CAMPAIGN_PAGES.items():
        page = tree(sample_site, path)
        assert page.xpath("string(//main//h1)").strip() == title, path
        assert page.xpath("//title/text()")[0].startswith(title)
        # Every page credits the funders (the funders page in its own
        # list, not again in the footer) and links the privacy page.
        credits = "//footer//section[@class='funder-strip']"
        if path == "funders/":
            credits = "//main//*[contains(@class, 'funder-list')]"
        assert page.xpath(credits), path
        assert page.xpath("//footer//a[text()='Privacy']/@href"), path


def test_the_menu_leads_to_the_campaign_pages_in_order(sample_site):
    page = tree(sample_site, "about/")
    nav = page.xpath("//nav[@aria-label='Main']//a/text()")
    # The guide's page names itself "Guide" in the menu (menu_title); the
    # partner page is reached from "Take part" and the home page. "Take part"
    # (menu_button: true) is the header's button, beside the menu.
    assert nav[-2:] == ["About", "Guide"]
    button = page.xpath("//header//a[@class='header-button']")
    assert [a.text_content() for a in button] == ["Take part"]
    assert button[0].get("href").endswith("take-part/")


def test_the_home_page_leads_to_each_way_of_taking_part(sample_site):
    home = tree(sample_site, "index.html")
    ways = home.xpath("//section[@aria-labelledby='take-part-heading']//li")
    links = {
        way.xpath("string(.//h3)").strip(): way.xpath(".//a/@href")[0] for way in ways
    }
    assert links == {
        "Record with someone you know": "./take-part/#record",
        "Be matched with a stranger": "./be-matched/",
        "Bring your organization": "./partner/",
        "Hear what comes next": "./updates/",
    }
    # The anchor the first way points at exists.
    assert tree(sample_site, "take-part/").xpath("//*[@id='record']")


def test_take_part_explains_the_three_ways_and_links_the_forms(sample_site):
    page = tree(sample_site, "take-part/")
    headings = [h.strip() for h in page.xpath("//main//h2/text()")]
    assert headings[:3] == [
        "Record with the StoryCorps App",
        "Be matched with a partner",
        "Partner with us",
    ]
    hrefs = page.xpath("//main//a/@href")
    for target in ("../be-matched/", "../partner/", "../updates/"):
        assert target in hrefs


def test_the_app_route_gives_steps_and_a_way_to_get_the_app(sample_site):
    """No store address is set in the sample: no dead buttons, but the steps,
    where to search for the app, and the printable question card."""
    section = tree(sample_site, "take-part/").xpath("//section[@id='record']")[0]
    data = yaml.safe_load((CONTENT / "data" / "recording_app.yml").read_text())
    steps = [li.text_content().strip() for li in section.xpath(".//ol/li")]
    assert steps == data["steps"] and len(steps) == 3
    text = " ".join(section.text_content().split())
    # Store names as names ("in App Store" read as a typo).
    assert (
        "search for “StoryCorps App” in your app store "
        "(App Store, Google Play or Amazon Appstore)." in text
    )
    assert not section.xpath(".//ul[@class='record-app__stores']")
    assert section.xpath(".//a[text()='Print the question card']/@href") == [
        "../guide/#question-card"
    ]
    assert tree(sample_site, "guide/").xpath("//*[@id='question-card']")


def test_store_buttons_appear_once_their_address_is_set(tmp_path):
    content = copy_content(tmp_path / "content")
    data = content / "data" / "recording_app.yml"
    data.write_text(
        data.read_text().replace(
            "  - name: Google Play\n    url:\n",
            "  - name: Google Play\n"
            "    url: https://play.google.com/store/apps/details?id=org.example\n",
        )
    )
    output = build_site(content, tmp_path / "out", **LEAN)
    section = tree(output, "take-part/").xpath("//section[@id='record']")[0]
    buttons = section.xpath(".//ul[@class='record-app__stores']//a")
    assert [(a.text, a.get("href")) for a in buttons] == [
        ("Google Play", "https://play.google.com/store/apps/details?id=org.example")
    ]
    assert "search for" not in section.text_content()

    data.write_text(data.read_text().replace("https://play", "http://play"))
    with pytest.raises(StoryContentError) as caught:
        build_site(content, tmp_path / "strict", STORY_STRICT=True, **LEAN)
    assert "recording_app.yml:" in str(caught.value)
    assert "stores.1.url" in str(caught.value)
    assert "starting https://" in str(caught.value)


def test_the_guide_lists_every_question_from_the_data_file(sample_site):
    page = tree(sample_site, "guide/")
    items = page.xpath("//ol[@class='question-list']/li")
    assert [(li.get("id"), li.text.strip()) for li in items] == [
        (f"question-{q['key']}", q["question"]) for q in questions()
    ]
    # Each question someone answered leads to the answers (the question
    # index), so the guide is also a way into the stories.
    answers = {
        li.get("id"): (link.get("href"), " ".join(link.text_content().split()))
        for li in items
        for link in li.xpath("a[@class='question-list__answers']")
    }
    answered = {p.name for p in (sample_site / "questions").iterdir() if p.is_dir()}
    assert answered
    assert {key.removeprefix("question-") for key in answers} == answered
    for key, (href, text) in answers.items():
        assert href == f"../questions/{key.removeprefix('question-')}/"
        assert re.fullmatch(r"Hear (1 answer|\d+ answers) to this question", text)
    # The search finds the guide by its questions, not by how many answers
    # each has: those counts change with every story published, and the
    # guide's part of a large site's index was made again each time (some
    # 500 pages, 10-15 s of Pagefind at 10,000 stories).
    [guide] = [p for p in indexed_pages(sample_site) if p["url"] == "/guide/"]
    assert questions()[0]["question"] in guide["content"]
    assert "to this question" not in guide["content"]
    assert not re.search(r"\d+ answers?\b", guide["content"]), guide["content"]
    rules = page.xpath("//h2[text()='Ground rules']/following-sibling::ul[1]/li")
    assert any("not a debate" in rule.text_content() for rule in rules)


def test_the_guide_follows_the_data_file(tmp_path):
    content = copy_content(tmp_path / "content")
    (content / "data" / "questions.yml").write_text(
        "- key: home\n  question: Where is home for you?\n"
        "- key: hope\n  question: What gives you hope & <courage>?\n"
    )
    output = build_site(content, tmp_path / "out", **LEAN)
    html = (output / "guide" / "index.html").read_text()
    page = lxml.html.fromstring(html)
    assert [li.text_content() for li in page.xpath("//ol/li")] == [
        "Where is home for you?",
        "What gives you hope & <courage>?",
    ]
    assert "&lt;courage&gt;" in html  # escaped, never markup


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "- key: home\n  question: A\n- key: home\n  question: B\n",
            "questions.yml:1: file: the key home is used twice",
        ),
        (
            "- key: Home Town\n  question: A\n",
            "questions.yml:1: 0.key: 'Home Town' is not in the form this field takes"
            " - a short permanent key in lowercase letters",
        ),
        ("- key: home\n  qestion: A\n", "questions.yml:2: 0.qestion: is not a field"),
    ],
)
def test_a_broken_questions_file_is_reported(tmp_path, caplog, text, message):
    content = copy_content(tmp_path / "content")
    (content / "data" / "questions.yml").write_text(text)
    caplog.set_level(logging.ERROR)
    build_site(content, tmp_path / "out", **LEAN)
    assert message in "\n".join(r.getMessage() for r in caplog.records)
    with pytest.raises(StoryContentError):
        build_site(content, tmp_path / "strict", STORY_STRICT=True, **LEAN)


def test_the_404_page_works_at_any_depth(sample_site):
    """Served for any missing address: its links start at the site root."""
    page = tree(sample_site, "404.html")
    assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assets = page.xpath("//link[@rel='stylesheet']/@href")
    assert assets and all(href.startswith("/theme/") for href in assets)
    for href in page.xpath("//a/@href | //form/@action"):
        assert href.startswith(("/", "#", "mailto:", "https://")), href


def test_the_404_page_uses_the_production_address(tmp_path):
    content = copy_content(tmp_path / "content")
    output = build_site(
        content,
        tmp_path / "out",
        "publishconf.py",
        SITEURL="https://oss.example",
        **LEAN,
    )
    page = tree(output, "404.html")
    assert page.xpath("//link[@rel='stylesheet']/@href")[0].startswith(
        "https://oss.example/theme/"
    )


def test_a_story_page_invites_the_listener_to_take_part(sample_site):
    story = next((sample_site / "stories").glob("*/index.html"))
    page = lxml.html.fromstring(story.read_bytes())
    story_id = page.xpath("//article[@data-story-id]/@data-story-id")[0]
    links = page.xpath("//section[@class='invite']//a/@href")
    assert f"../../be-matched/?story={story_id}" in links
    assert f"../../updates/?story={story_id}" in links


@pytest.mark.parametrize("path", [*CAMPAIGN_PAGES, "", "stories/common-ground/"])
@pytest.mark.parametrize("viewport", [(390, 844), (1366, 900)])
def test_campaign_pages_are_accessible(page, site_server, axe, path, viewport):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.goto(f"{site_server}/{path}")
    violations = axe(page)
    assert not violations, axe.format(violations)


def test_a_missing_address_gets_the_404_page_with_its_styles(page, site_server):
    response = page.goto(f"{site_server}/no/such/page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    # The stylesheet loaded from the root, not relative to /no/such/page/.
    background = page.evaluate(
        "() => getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert background == "rgb(29, 36, 51)"
    # A moved or mistyped story is searched for from here, on a phone too
    # (where the header has only its search icon).
    search = page.get_by_role("search", name="Search the conversations")
    search.get_by_role("searchbox").fill("elk")
    search.get_by_role("button", name="Search").click()
    page.wait_for_url(f"{site_server}/search/?q=elk")
    page.go_back()
    page.get_by_role("link", name="Browse all stories").click()
    page.wait_for_url(f"{site_server}/stories/")


def test_the_guide_prints_as_one_question_card(page, site_server):
    page.goto(site_server + "/guide/")
    button = page.get_by_role("button", name="Print the question card")
    page.evaluate("window.print = () => { window.printed = true; }")
    button.click()
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".question-list li").first.is_visible()
    for paper in ("Letter", "A4"):
        pdf = page.pdf(format=paper)
        pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
        assert pages == 1, f"the guide prints on {pages} {paper} pages"
