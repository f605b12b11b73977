"""Fixtures shared by the whole test suite.

Sites
- ``project_root``: the repository's folder.
- ``sample_site`` (session): the committed content/ built once a test run
  with pelicanconf.py into a temporary folder (the first pytest-xdist
  worker to need it builds it, the others wait and share it); the output
  folder's Path. Read it, never change it.
  The modules that use it run first (``pytest_collection_modifyitems``),
  so that under ``--dist worksteal`` the second worker starts on other
  tests while the first builds it.
- ``site_server`` (session): ``sample_site`` served by ``portal.devserver``
  (with HTTP Range) on a free port in a thread; the base URL, no final slash.
- To build a site of your own, use ``tests.support.build_site``; for a
  module fixture whose tests only read the site it builds, build it once
  for all workers with ``tests.support.built_once``.

Browser
- ``browser`` (session): Debian's Chromium driven by Playwright (sync API).
- ``page`` (function): a new page in its own browser context, closed after
  (CSP bypassed for Playwright's eval-based waits).
- ``strict_page`` (function): the same, with the site's CSP enforced.
- ``axe``: ``axe(page, context=None)`` runs axe-core in the page with the
  WCAG 2.0/2.1 A and AA rules and returns the violations (a list of dicts);
  ``axe.format(violations)`` makes them readable in an assertion message.

Without Chromium (or without axe-core from ``npm ci``), browser tests are
skipped with the reason, except in CI (``CI=true``), where they fail: CI must
never pass by running less. ``./dev test`` installs both. Tests using these
fixtures get the ``browser`` marker, so ``./dev test -m "not browser"`` runs
everything else.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import tempfile

import pytest

from portal import devserver, locks
from tests.support import (
    CONTENT,
    IMAGES_ENV,
    PROJECT_ROOT,
    RENDITIONS_ENV,
    build_site,
    built_once,
    images_shared,
)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
BROWSER_FIXTURES = {"browser", "page", "strict_page", "axe"}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def skip_or_fail(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, which must run everything."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: browser tests must run here)")
    pytest.skip(f"{reason}; run ./dev test to install it")


# The shared rendition cache is emptied when it grows past this: renditions
# made by older code or for fixtures since changed are never used again.
RENDITIONS_CACHE_LIMIT = 300 * 1024 * 1024


def _folder_size(folder: pathlib.Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def pytest_configure(config):
    """One audio rendition cache for every build of the run (tests.support).

    Fixture audio is then encoded once a run instead of once per xdist worker
    (the workers inherit the variable). It is kept in pytest's cache folder,
    so a second run encodes nothing; with the cache plugin off
    (``-p no:cacheprovider``), a temporary folder lasts the run."""
    if hasattr(config, "workerinput") or os.environ.get(RENDITIONS_ENV):
        return  # an xdist worker (it inherited it), or set by the caller
    if getattr(config, "cache", None) is not None:
        folder = config.cache.mkdir("audio-renditions")
        if _folder_size(folder) > RENDITIONS_CACHE_LIMIT:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
        # The masters' remembered hashes name each run's temporary copies;
        # only the renditions themselves are worth keeping.
        (folder / "hashes.json").unlink(missing_ok=True)
    else:
        folder = pathlib.Path(tempfile.mkdtemp(prefix="renditions-"))
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    os.environ[RENDITIONS_ENV] = str(folder)
    config.add_cleanup(lambda: os.environ.pop(RENDITIONS_ENV, None))
    # The image caches' files, for the run only (tests.support.build_site):
    # made by this run's code, so never stale.
    images = pathlib.Path(tempfile.mkdtemp(prefix="images-"))
    config.add_cleanup(lambda: shutil.rmtree(images, ignore_errors=True))
    os.environ[IMAGES_ENV] = str(images)
    config.add_cleanup(lambda: os.environ.pop(IMAGES_ENV, None))


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
    _sample_site_modules_first(items)


def _sample_site_modules_first(items) -> None:
    """The modules with a test of the sample site run first, the others after,
    each module's tests together and in their order.

    ``--dist worksteal`` hands each worker a run of the list: the first
    worker then starts by building the sample site (about 17 s), and the
    second starts on tests that do not need it instead of waiting for it."""
    needs = {
        _module_name(item)
        for item in items
        if "sample_site" in getattr(item, "fixturenames", ())
    }
    items.sort(key=lambda item: _module_name(item) not in needs)


def _module_name(item) -> str:
    return getattr(getattr(item, "module", None), "__name__", "")


@pytest.fixture(autouse=True)
def _no_cache_lock_left_held():
    """A test that leaves a cache folder's lock held (a Pelican started and
    never finished in this process) fails here, and the lock is let go:
    otherwise the next build of that cache in the other xdist worker waits
    for it forever and the run never ends."""
    yield
    left = locks.held_caches()
    for cache in left:
        locks.release_cache(cache)
    assert not left, f"the test left the lock of these caches held: {left}"


@pytest.fixture(scope="session")
def project_root() -> pathlib.Path:
    """The repository's root folder."""
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def sample_site(request) -> pathlib.Path:
    """The committed sample content built once a run (pelicanconf.py).

    Under pytest-xdist the first worker to ask builds it in the run's own
    temporary folder (the parent of each worker's) while holding a lock;
    the others wait for it and share it (``tests.support.built_once``).
    Tests only read it.

    Stories in content/ change as editors work: assert on the site's shape,
    not on particular sample stories."""

    def build(base: pathlib.Path) -> pathlib.Path:
        # Its stories' pictures, podcast art and the funders' logos go to the
        # run's image caches (``images_shared``): the tests that build the
        # sample content again with a cache of their own take them from
        # there instead of drawing them again (about 3 s of CPU a build).
        with images_shared(base / "cache"):
            return build_site(CONTENT, base / "output", cache_dir=base / "cache")

    return built_once(request, build)


@pytest.fixture(scope="session")
def site_server(sample_site):
    """Base URL (``http://127.0.0.1:PORT``) of the sample site being served."""
    with devserver.running(sample_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's package), shared by the session."""
    if not os.path.exists(CHROMIUM):
        skip_or_fail(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the playwright Python package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def _new_page(browser, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def page(browser):
    """A fresh page in its own context (no cookies or storage shared).

    The site's Content-Security-Policy is bypassed here: Playwright's
    ``wait_for_function`` compiles its predicate with eval, which the policy
    (rightly) forbids. The policy itself is tested with ``strict_page``."""
    context, page = _new_page(browser, bypass_csp=True)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def strict_page(browser):
    """A fresh page that enforces the site's Content-Security-Policy, as a
    visitor's browser does (test_browser_policy)."""
    context, page = _new_page(browser)
    try:
        yield page
    finally:
        context.close()


class Axe:
    """Runs axe-core in a page: ``axe(page)`` returns the violations."""

    def __init__(self, script: pathlib.Path = AXE_SCRIPT, tags=WCAG_TAGS):
        self.script = script
        self.tags = tuple(tags)

    def __call__(self, page, context=None, tags=None) -> list[dict]:
        """The violations of the WCAG 2.1 A/AA rules (or ``tags``) in ``page``.

        ``context`` is what axe checks (a CSS selector, or axe's
        include/exclude object); the whole document by default."""
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol, which the site's
            # Content-Security-Policy (no inline scripts) does not apply to;
            # a <script> tag added to the page would be blocked by it.
            page.evaluate(self.script.read_text(encoding="utf-8") + "\n;0")
        return page.evaluate(
            """async ([context, tags]) => {
                const results = await axe.run(context || document, {
                    runOnly: {type: "tag", values: tags},
                    resultTypes: ["violations"],
                });
                return results.violations;
            }""",
            [context, list(tags or self.tags)],
        )

    @staticmethod
    def format(violations: list[dict]) -> str:
        """Violations as readable lines, for assertion messages."""
        lines = []
        for violation in violations:
            lines.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']}"
            )
            lines += [f"    {node['target']}" for node in violation["nodes"][:5]]
        return "\n".join(lines)


@pytest.fixture
def axe() -> Axe:
    """Runs axe-core (from ``npm ci``) in a page::

    def test_home_is_accessible(page, site_server, axe):
        page.goto(site_server + "/")
        violations = axe(page)
        assert not violations, axe.format(violations)
    """
    if not AXE_SCRIPT.is_file():
        skip_or_fail(f"axe-core not found at {AXE_SCRIPT} (npm ci)")
    return Axe()
