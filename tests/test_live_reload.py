"""`./dev livereload`: the page reloads after a save, under its own policy.

The served site is a copy of the shared sample build, whose pages carry the
Content-Security-Policy they are published with; the browser enforces it
(``strict_page``). The server is portal.live_reload.serve, which the task
runs, in a process of its own; its "rebuild" marks the home page, as a
build would change it."""

from __future__ import annotations

import contextlib
import pathlib
import shutil
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from portal import form_inbox
from tests.support import PROJECT_ROOT, free_port

SERVER = textwrap.dedent(
    """
    import pathlib, sys
    sys.path.insert(0, {root!r})
    from portal import live_reload

    site = pathlib.Path({site!r})
    count = 0

    def rebuild():
        global count
        count += 1
        page = site / "index.html"
        text = page.read_text()
        page.write_text(text.replace(
            "</head>", f'<meta name="rebuilt" content="{{count}}"></head>', 1
        ))

    live_reload.serve(str(site), "127.0.0.1", {port}, [{watched!r}], rebuild)
    """
)


def _wait_until_up(url: str, process) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read())
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


@contextlib.contextmanager
def _serving(sample_site, tmp_path) -> Iterator[tuple[str, pathlib.Path]]:
    """portal.live_reload.serve of a copy of the sample site, in a process of
    its own: its address, and the file whose change rebuilds."""
    site = tmp_path / "site"
    shutil.copytree(sample_site, site)
    watched = tmp_path / "story.md"
    watched.write_text("before\n")
    port = free_port()
    script = SERVER.format(
        root=str(PROJECT_ROOT), site=str(site), port=port, watched=str(watched)
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        _wait_until_up(url, process)
        yield url, watched
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_page_reloads_after_a_save(sample_site, strict_page, tmp_path):
    with _serving(sample_site, tmp_path) as (url, watched):
        port = urllib.parse.urlsplit(url).port
        page = strict_page
        blocked = []
        page.on(
            "console",
            lambda message: (
                blocked.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        with page.expect_websocket() as connecting:
            page.goto(url)
        socket_ = connecting.value
        assert socket_.url.startswith(f"ws://127.0.0.1:{port}/livereload")
        # The policy the page is published with is the one enforced here.
        assert "script-src 'self'" in (
            page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute(
                "content"
            )
        )
        assert page.locator('meta[name="rebuilt"]').count() == 0
        time.sleep(1)  # the client says hello before the first change

        # On a busy machine the server's watcher may take its first look at
        # the file after the save (so it sees no change), or the client may
        # say hello after the reload went out: the editor then saves again.
        for attempt in range(1, 4):
            try:
                with page.expect_navigation(timeout=30_000):
                    watched.write_text(f"after: saved by the editor ({attempt})\n")
                break
            except PlaywrightTimeoutError:
                if attempt == 3:
                    raise
        rebuilt = page.locator('meta[name="rebuilt"]').first.get_attribute("content")
        assert int(rebuilt) >= 1
        assert blocked == []


def test_a_sign_up_form_is_taken_as_under_dev_serve(sample_site, tmp_path):
    """The forms post to the server in development; livereload's own files
    answered 405, where ./dev serve keeps the entry and sends the browser on
    to the thank-you page."""
    with _serving(sample_site, tmp_path) as (url, _watched):
        form = urllib.parse.urlencode(
            {"email": "ada@example.org", "consent": "yes", "_next": "/thank-you/"}
        ).encode()
        request = urllib.request.Request(url + "_forms/updates", data=form)
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200
            assert answer.url == url + "thank-you/"  # sent on, and it exists
        [entry] = form_inbox.read(str(tmp_path / form_inbox.FILE_NAME))
        assert entry["form"] == "updates"
        assert ["email", "ada@example.org"] in entry["fields"]

        # Without consent nothing is kept, and the page says why.
        refused = urllib.parse.urlencode({"email": "bo@example.org"}).encode()
        request = urllib.request.Request(url + "_forms/updates", data=refused)
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(request, timeout=10)
        assert answer.value.code == 400
        assert "tick the box" in answer.value.read().decode()
        assert len(form_inbox.read(str(tmp_path / form_inbox.FILE_NAME))) == 1
