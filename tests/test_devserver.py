"""The development server answers Range requests the way browsers need.

Real HTTP over a socket against ``portal.devserver`` on a free port."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import urllib.parse

import pytest

from portal import devserver
from portal.devserver import Unsatisfiable, parse_range
from tests.stories import AUDIO
from tests.support import PROJECT_ROOT, free_port

AUDIO_BYTES = bytes(range(256)) * 4 + b"end"  # 1027 bytes, every offset distinct
SIZE = len(AUDIO_BYTES)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("served")
    (root / "index.html").write_text("<!doctype html><title>Home</title>")
    (root / "404.html").write_text("<!doctype html><title>Lost</title>")
    story = root / "stories" / "one"
    story.mkdir(parents=True)
    (story / "index.html").write_text("<!doctype html><title>Story one</title>")
    (story / "conversation.mp3").write_bytes(AUDIO_BYTES)
    shutil.copy(AUDIO / "speech.m4a", story / "conversation.m4a")
    shutil.copy(AUDIO / "speech.ogg", story / "conversation.ogg")
    (story / "transcript.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n")
    (story / "transcript.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nHi\n")
    (story / "chapters.json").write_text('{"version": "1.2.0", "chapters": []}')
    (root / "feed.xml").write_text("<rss/>")
    (root / "podcast.rss").write_text("<rss/>")
    (root / "empty").mkdir()
    return root


@pytest.fixture(scope="module")
def server(site):
    with devserver.running(site) as url:
        yield urllib.parse.urlsplit(url)


def request(server, path, method="GET", headers=None):
    """(response, body) for one request on a new connection."""
    connection = http.client.HTTPConnection(server.hostname, server.port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


MP3 = "/stories/one/conversation.mp3"


def test_a_whole_file_with_accept_ranges(server):
    response, body = request(server, MP3)
    assert response.status == 200
    assert body == AUDIO_BYTES
    assert response.getheader("Content-Length") == str(SIZE)
    assert response.getheader("Accept-Ranges") == "bytes"
    assert response.getheader("Content-Type") == "audio/mpeg"
    assert response.getheader("Content-Range") is None
    assert response.getheader("ETag")
    assert response.getheader("Last-Modified")


def test_the_first_two_bytes(server):
    response, body = request(server, MP3, headers={"Range": "bytes=0-1"})
    assert response.status == 206
    assert response.getheader("Content-Range") == f"bytes 0-1/{SIZE}"
    assert response.getheader("Content-Length") == "2"
    assert response.getheader("Accept-Ranges") == "bytes"
    assert response.getheader("Content-Type") == "audio/mpeg"
    assert body == AUDIO_BYTES[:2]


def test_a_suffix_range_is_the_last_bytes(server):
    response, body = request(server, MP3, headers={"Range": "bytes=-10"})
    assert response.status == 206
    assert response.getheader("Content-Range") == f"bytes {SIZE - 10}-{SIZE - 1}/{SIZE}"
    assert body == AUDIO_BYTES[-10:]


def test_an_open_ended_range_runs_to_the_end(server):
    response, body = request(server, MP3, headers={"Range": "bytes=5-"})
    assert response.status == 206
    assert response.getheader("Content-Range") == f"bytes 5-{SIZE - 1}/{SIZE}"
    assert response.getheader("Content-Length") == str(SIZE - 5)
    assert body == AUDIO_BYTES[5:]


def test_a_range_in_the_middle(server):
    response, body = request(server, MP3, headers={"Range": "bytes=300-555"})
    assert response.status == 206
    assert response.getheader("Content-Range") == f"bytes 300-555/{SIZE}"
    assert body == AUDIO_BYTES[300:556]


def test_a_range_past_the_end_is_cut_to_the_file(server):
    response, body = request(server, MP3, headers={"Range": "bytes=1000-99999"})
    assert response.status == 206
    assert response.getheader("Content-Range") == f"bytes 1000-{SIZE - 1}/{SIZE}"
    assert body == AUDIO_BYTES[1000:]


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", "bytes=99999-100000", "bytes=-0"])
def test_an_unsatisfiable_range_is_416(server, header):
    response, _ = request(server, MP3, headers={"Range": header})
    assert response.status == 416
    assert response.getheader("Content-Range") == f"bytes */{SIZE}"


@pytest.mark.parametrize(
    "header", ["bytes=0-1,5-6", "bytes=5-2", "items=0-1", "bytes=abc", "bytes=-"]
)
def test_ranges_it_does_not_serve_get_the_whole_file(server, header):
    response, body = request(server, MP3, headers={"Range": header})
    assert response.status == 200
    assert body == AUDIO_BYTES


def test_head_sends_headers_only(server):
    response, body = request(server, MP3, method="HEAD")
    assert response.status == 200
    assert body == b""
    assert response.getheader("Content-Length") == str(SIZE)
    assert response.getheader("Accept-Ranges") == "bytes"
    assert response.getheader("Content-Type") == "audio/mpeg"

    response, body = request(server, MP3, "HEAD", {"Range": "bytes=0-1"})
    assert response.status == 206
    assert body == b""
    assert response.getheader("Content-Range") == f"bytes 0-1/{SIZE}"


def test_if_range_only_applies_to_the_same_file(server):
    etag = request(server, MP3, "HEAD")[0].getheader("ETag")
    same = {"Range": "bytes=0-1", "If-Range": etag}
    response, body = request(server, MP3, headers=same)
    assert (response.status, body) == (206, AUDIO_BYTES[:2])

    changed = {"Range": "bytes=0-1", "If-Range": '"another-version"'}
    response, body = request(server, MP3, headers=changed)
    assert (response.status, body) == (200, AUDIO_BYTES)


def test_an_unchanged_file_is_304(server):
    etag = request(server, MP3, "HEAD")[0].getheader("ETag")
    response, body = request(server, MP3, headers={"If-None-Match": etag})
    assert (response.status, body) == (304, b"")


@pytest.mark.parametrize(
    ("path", "mime", "cors"),
    [
        ("/stories/one/conversation.mp3", "audio/mpeg", True),
        ("/stories/one/conversation.m4a", "audio/x-m4a", True),
        ("/stories/one/conversation.ogg", "audio/ogg", True),
        ("/stories/one/transcript.vtt", "text/vtt", True),
        ("/stories/one/transcript.srt", "application/x-subrip", True),
        ("/stories/one/chapters.json", "application/json", True),
        ("/feed.xml", "application/xml", True),
        ("/podcast.rss", "application/rss+xml", True),
        ("/", "text/html", False),
    ],
)
def test_content_types_and_cors(server, path, mime, cors):
    response, _ = request(server, path)
    assert response.status == 200
    assert response.getheader("Content-Type") == mime
    origin = response.getheader("Access-Control-Allow-Origin")
    assert origin == ("*" if cors else None)


def test_the_audio_types_are_the_portals_own():
    from portal.mime import AUDIO_MIME_TYPES

    for suffix, mime in AUDIO_MIME_TYPES.items():
        assert devserver.RangeRequestHandler.extensions_map[suffix] == mime


def test_folders_serve_their_index_page(server):
    response, body = request(server, "/stories/one/")
    assert response.status == 200
    assert b"Story one" in body

    response, _ = request(server, "/stories/one?x=1")
    assert response.status == 301
    assert response.getheader("Location") == "/stories/one/?x=1"


def test_missing_files_get_the_sites_404_page(server):
    for path in ["/nowhere/", "/stories/one/gone.mp3", "/empty/", "/index.html/"]:
        response, body = request(server, path)
        assert response.status == 404, path
        assert b"Lost" in body


def test_without_a_404_page_a_plain_404(tmp_path):
    (tmp_path / "index.html").write_text("home")
    with devserver.running(tmp_path) as url:
        parts = urllib.parse.urlsplit(url)
        response, _ = request(parts, "/missing")
        assert response.status == 404


def test_no_escape_from_the_served_folder(server, site):
    secret = site.parent / "secret.txt"
    secret.write_text("secret")
    response, body = request(server, "/../secret.txt")
    assert b"secret" not in body
    assert response.status == 404


def test_one_connection_carries_several_requests(server):
    connection = http.client.HTTPConnection(server.hostname, server.port, timeout=10)
    try:
        for first in (0, 100, 1000):
            connection.request("GET", MP3, headers={"Range": f"bytes={first}-"})
            response = connection.getresponse()
            assert response.status == 206
            assert response.read() == AUDIO_BYTES[first:]
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        ("bytes=0-1", 10, (0, 1)),
        ("bytes=0-0", 1, (0, 0)),
        ("bytes=-3", 10, (7, 9)),
        ("bytes=-30", 10, (0, 9)),
        ("bytes=4-", 10, (4, 9)),
        ("bytes=9-100", 10, (9, 9)),
        ("Bytes = 2-3", 10, (2, 3)),
        ("bytes=3-2", 10, None),
        ("bytes=0-1, 4-5", 10, None),
        ("pages=1-2", 10, None),
        ("bytes=-5", 0, None),
    ],
)
def test_parse_range(header, size, expected):
    assert parse_range(header, size) == expected


@pytest.mark.parametrize(("header", "size"), [("bytes=10-", 10), ("bytes=0-", 0)])
def test_parse_range_unsatisfiable(header, size):
    with pytest.raises(Unsatisfiable):
        parse_range(header, size)


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited: {process.communicate()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listened on port {port} within {timeout}s")


@pytest.mark.parametrize("how", ["invoke-task", "module"])
def test_the_serve_task_and_module_serve_with_ranges(site, how):
    """`./dev serve` ends in tasks.serve; both entry points serve Range."""
    port = free_port()
    if how == "module":
        command = [sys.executable, "-m", "portal.devserver", str(site), "-p", str(port)]
    else:
        script = textwrap.dedent(
            f"""
            import invoke, tasks
            tasks.CONFIG["deploy_path"] = {str(site)!r}
            tasks.serve(invoke.Context(), port={port})
            """
        )
        command = [sys.executable, "-c", script]
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        _wait_for(port, process)
        target = urllib.parse.urlsplit(f"http://127.0.0.1:{port}")
        response, body = request(target, MP3, headers={"Range": "bytes=0-1"})
        assert response.status == 206
        assert body == AUDIO_BYTES[:2]
    finally:
        process.terminate()
        process.communicate(timeout=10)


@pytest.mark.parametrize("name", ["serve", "livereload", "preview_drafts", "cms"])
def test_a_port_in_use_is_said_before_any_build(name, monkeypatch):
    """`./dev cms` left running and `./dev preview-drafts` started: one line
    with the fix, not a traceback after a whole build."""
    import invoke

    import tasks
    from portal import local_backend

    def not_yet(*args, **kwargs):
        pytest.fail("started before the port was found taken")

    monkeypatch.setattr(tasks, "build_aside", not_yet)
    monkeypatch.setattr(tasks, "build", not_yet)
    monkeypatch.setattr(local_backend, "start", not_yet)
    monkeypatch.setattr(devserver, "serve", not_yet)
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        with pytest.raises(SystemExit) as stopped:
            getattr(tasks, name)(invoke.Context(), port=port)
    assert str(stopped.value) == (
        f"Cannot show the site at http://localhost:{port}/: the port is in use, "
        "most likely by `./dev cms`, `./dev preview-drafts` or `./dev serve` still "
        "running in another terminal - stop it there (Ctrl-C), or use another "
        f"port: --port {port + 1}"
    )
    assert not devserver.port_taken("127.0.0.1", port)


def test_dev_serve_finds_the_port_taken_before_it_builds():
    """`./dev serve` as typed: the port is checked before any build, so a
    taken port costs a second, not a whole build and then the same line."""
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        done = subprocess.run(
            [str(PROJECT_ROOT / "dev"), "serve", "--port", str(port)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1, done.stderr
    assert "the port is in use" in done.stderr
    assert "Building" not in done.stdout + done.stderr
