"""Lighthouse (mobile profile) scores the home page, a story page and the
search page 100 for accessibility, best practices and SEO.

One Lighthouse run a page, those three categories only (performance is a
measurement: benchmarks/lighthouse.py). The sample site is served as a
visitor gets it, by portal.devserver. The three runs share one Node process
and one Chromium (``lighthouse.run_pages``), made once a test run."""

from __future__ import annotations

import pytest

from tests import lighthouse
from tests.conftest import skip_or_fail
from tests.support import built_once

CATEGORIES = ["accessibility", "best-practices", "seo"]
PAGES = ["home", "story", "search"]


@pytest.fixture(scope="module")
def story_path(sample_site) -> str:
    """The newest story's page (any story page has the same parts)."""
    listing = (sample_site / "stories" / "index.html").read_text()
    marker = 'class="story-card__title"><a href="'
    href = listing.split(marker, 1)[1].split('"', 1)[0]
    return "/stories/" + href.rstrip("/").rsplit("/", 1)[1] + "/"


@pytest.fixture(scope="module")
def paths(story_path) -> dict[str, str]:
    return {"home": "/", "story": story_path, "search": "/search/"}


@pytest.fixture(scope="module")
def reports(request, site_server, paths) -> dict[str, dict]:
    """Each page's Lighthouse report, by path: one Lighthouse process for
    the three, once a test run (a worker that takes some of these tests
    from the other reads the reports it made: the same sample site)."""
    why_not = lighthouse.available()
    if why_not:
        skip_or_fail(why_not)

    def run(_folder):
        urls = [site_server + path for path in paths.values()]
        made = lighthouse.run_pages(urls, CATEGORIES)
        return {path: made[site_server + path] for path in paths.values()}

    return built_once(request, run)


@pytest.mark.browser
@pytest.mark.parametrize("which", PAGES)
def test_lighthouse_scores_100(reports, paths, which):
    path = paths[which]
    report = reports[path]
    scores = lighthouse.scores(report)
    below = {
        category: (scores[category], lighthouse.failing_audits(report, category))
        for category in CATEGORIES
        if scores[category] != 1
    }
    assert not below, f"{path}: {below}"
