"""Lighthouse (mobile profile) scores the home page, a story page and the
search page 100 for accessibility, best practices and SEO.

One Lighthouse run a page, those three categories only (performance is a
measurement: benchmarks/lighthouse.py). The sample site is served as a
visitor gets it, by portal.devserver."""

from __future__ import annotations

import pytest

from tests import lighthouse
from tests.conftest import skip_or_fail

CATEGORIES = ["accessibility", "best-practices", "seo"]


@pytest.fixture(scope="module")
def story_path(sample_site) -> str:
    """The newest story's page (any story page has the same parts)."""
    listing = (sample_site / "stories" / "index.html").read_text()
    marker = 'class="story-card__title"><a href="'
    href = listing.split(marker, 1)[1].split('"', 1)[0]
    return "/stories/" + href.rstrip("/").rsplit("/", 1)[1] + "/"


@pytest.mark.browser
@pytest.mark.parametrize("which", ["home", "story", "search"])
def test_lighthouse_scores_100(site_server, story_path, which):
    why_not = lighthouse.available()
    if why_not:
        skip_or_fail(why_not)
    path = {"home": "/", "story": story_path, "search": "/search/"}[which]
    report = lighthouse.run(site_server + path, CATEGORIES)
    scores = lighthouse.scores(report)
    below = {
        category: (scores[category], lighthouse.failing_audits(report, category))
        for category in CATEGORIES
        if scores[category] != 1
    }
    assert not below, f"{path}: {below}"
