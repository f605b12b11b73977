"""A development web server for a built site that answers HTTP Range requests.

Browsers fetch audio in pieces (``Range: bytes=...``) to start playing early
and to seek; ``python -m http.server`` ignores Range and sends the whole file,
so seeking breaks. This server serves one folder the way a static host would:

- ``Range`` with one range: 206 and ``Content-Range``; unsatisfiable: 416 with
  ``Content-Range: bytes */SIZE``; several ranges or a malformed header: the
  whole file (RFC 9110 lets a server ignore Range). ``If-Range`` is honoured.
- ``Accept-Ranges: bytes``, ``ETag``, ``Last-Modified``, conditional 304s.
- Content types from ``portal.mime`` (the one table the feed uses too), so
  ``.m4a`` is ``audio/x-m4a`` here exactly as in the podcast feed.
- ``Access-Control-Allow-Origin: *`` on transcripts, JSON (chapters,
  oEmbed), audio and feeds (``.xml``, ``.rss``), which players, podcast apps
  and search may fetch from another origin (``portal.outputs``); audio also
  lets their scripts read ``Content-Range``.
- ``POST /_forms/<form>``: the site's sign-up forms in development
  (``portal.form_inbox``): honeypot and consent enforced, each entry kept as
  a JSON line in ``form-submissions.jsonl`` beside the served folder.
- A folder serves its ``index.html`` (``/stories`` redirects to
  ``/stories/``); there are no directory listings. A missing file gets the
  site's own ``404.html`` when it has one.

Run it with ``python -m portal.devserver output --port 8000``; tests use
``running(folder)``, which serves on a free port in a thread.
"""

from __future__ import annotations

import argparse
import contextlib
import email.utils
import http
import http.server
import io
import os
import re
import socket
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from functools import partial

from portal import form_inbox
from portal.mime import AUDIO_MIME_TYPES, SITE_MIME_TYPES
from portal.outputs import (
    AUDIO_EXPOSED_HEADERS,
    CROSS_ORIGIN_SUFFIXES,
    FEED_SUFFIXES,
)

CONTENT_TYPES = SITE_MIME_TYPES
# Files other origins' players and scripts may fetch.
CORS_SUFFIXES = frozenset(CROSS_ORIGIN_SUFFIXES + FEED_SUFFIXES)

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class Unsatisfiable(Exception):
    """The Range header names no byte of the file."""


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """The (first, last) byte, inclusive, that a Range header asks for.

    None means "send the whole file": the header is malformed, names another
    unit or several ranges (all of which a server may ignore). Raises
    Unsatisfiable when no byte of a ``size``-byte file is named."""
    match = _RANGE.match(header.replace(" ", "").lower())
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix range: the last N bytes
        length = int(last)
        if length == 0:
            raise Unsatisfiable
        if size == 0:
            return None
        return max(size - length, 0), size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # invalid, so ignored
    if start >= size:
        raise Unsatisfiable
    end = min(int(last), size - 1) if last else size - 1
    return start, end


class _Slice(io.RawIOBase):
    """Reads ``length`` bytes of an open file from ``start`` on."""

    def __init__(self, file, start: int, length: int):
        super().__init__()
        self._file = file
        self._left = length
        file.seek(start)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        size = self._left if size is None or size < 0 else min(size, self._left)
        data = self._file.read(size)
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._file.close()
        super().close()


class RangeRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Serves one folder (``directory=``) with Range support; GET and HEAD."""

    protocol_version = "HTTP/1.1"
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        **CONTENT_TYPES,
    }
    quiet = False

    def send_head(self):
        path = self.translate_path(self.path)
        url_path = urllib.parse.urlsplit(self.path).path
        if os.path.isdir(path):
            if not url_path.endswith("/"):
                return self._redirect_to_folder()
            path = os.path.join(path, "index.html")
        elif url_path.endswith("/"):
            return self._not_found()
        if not os.path.isfile(path):
            return self._not_found()
        try:
            file = open(path, "rb")  # noqa: SIM115 - returned to do_GET
        except OSError:
            return self._not_found()
        try:
            return self._send_file(file, path)
        except Exception:
            file.close()
            raise

    def _send_file(self, file, path: str):
        stat = os.fstat(file.fileno())
        size = stat.st_size
        # HTTP validators of the file being served, not a cache key: a browser
        # asks "changed since?" about this very file, which is what mtimes
        # answer (Last-Modified is one by definition), and a rebuild that
        # leaves a page's bytes alone keeps its mtime (unchanged_writes).
        etag = f'"{stat.st_mtime_ns:x}-{size:x}"'
        modified = email.utils.formatdate(stat.st_mtime, usegmt=True)

        if self._not_modified(etag, stat.st_mtime):
            file.close()
            self.send_response(http.HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            return None

        byte_range = None
        header = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if header and (if_range is None or if_range.strip() in (etag, modified)):
            try:
                byte_range = parse_range(header, size)
            except Unsatisfiable:
                file.close()
                return self._unsatisfiable(size, path)

        if byte_range is None:
            self.send_response(http.HTTPStatus.OK)
            length = size
            body = file
        else:
            first, last = byte_range
            length = last - first + 1
            self.send_response(http.HTTPStatus.PARTIAL_CONTENT)
            self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
            body = _Slice(file, first, length)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(length))
        self.send_header("Last-Modified", modified)
        self.send_header("ETag", etag)
        self._common_headers(path)
        self.end_headers()
        return body

    def _not_modified(self, etag: str, mtime: float) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip() for tag in if_none_match.split(",")}
            return "*" in tags or etag in tags or f"W/{etag}" in tags
        since = self.headers.get("If-Modified-Since")
        if since is None:
            return False
        try:
            when = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        if when is None or when.tzinfo is None:
            return False
        return int(mtime) <= when.timestamp()

    def _common_headers(self, path: str) -> None:
        self.send_header("Accept-Ranges", "bytes")
        # Always revalidate: after a rebuild the browser must not keep old CSS.
        self.send_header("Cache-Control", "no-cache")
        suffix = os.path.splitext(path)[1].lower()
        if suffix in CORS_SUFFIXES:
            self.send_header("Access-Control-Allow-Origin", "*")
        if suffix in AUDIO_MIME_TYPES:
            self.send_header("Access-Control-Expose-Headers", AUDIO_EXPOSED_HEADERS)

    def _unsatisfiable(self, size: int, path: str):
        body = b"Requested range not satisfiable\n"
        self.send_response(http.HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
        self.send_header("Content-Range", f"bytes */{size}")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self._common_headers(path)
        self.end_headers()
        return io.BytesIO(body)

    def _redirect_to_folder(self):
        parts = urllib.parse.urlsplit(self.path)
        location = urllib.parse.urlunsplit(("", "", parts.path + "/", parts.query, ""))
        self.send_response(http.HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()
        return None

    def _not_found(self):
        page = os.path.join(self.directory, "404.html")
        try:
            with open(page, "rb") as file:
                body = file.read()
        except OSError:
            self.send_error(http.HTTPStatus.NOT_FOUND, "File not found")
            return None
        self.send_response(http.HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)

    def do_POST(self):
        """The development form endpoint (portal.form_inbox); nothing else
        on a static site takes a POST."""
        key = form_inbox.form_key(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if key is None or length > form_inbox.MAX_BYTES:
            self.send_error(404 if key is None else 413)
            return
        body = self.rfile.read(length)
        reply = form_inbox.receive(
            key,
            body,
            self.headers.get("Content-Type", ""),
            self.server.inbox_path,
            self.headers.get("Host", ""),
        )
        if reply.location:
            self.send_response(reply.status)
            self.send_header("Location", reply.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        text = form_inbox.page(reply)
        self.send_response(reply.status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)


class DevServer(http.server.ThreadingHTTPServer):
    """A threading server that does not print tracebacks for hang-ups.

    A browser seeking in audio drops connections mid-file all the time."""

    allow_reuse_address = True
    daemon_threads = True
    inbox_path = form_inbox.FILE_NAME  # where posted forms are kept

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def make_server(
    directory: str | os.PathLike,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    quiet: bool = False,
) -> DevServer:
    """A server for ``directory`` bound to ``host:port`` (port 0: any free).

    Posted forms go to ``form-submissions.jsonl`` beside ``directory`` (not
    in it: a rebuild would delete them, and they are never published)."""
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"no folder to serve at {directory}")
    handler = type("Handler", (RangeRequestHandler,), {"quiet": quiet})
    server = DevServer((host, port), partial(handler, directory=directory))
    server.inbox_path = form_inbox.inbox_beside(directory)
    return server


def base_url(server: DevServer) -> str:
    host, port = server.server_address[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


@contextlib.contextmanager
def running(
    directory: str | os.PathLike, host: str = "127.0.0.1", port: int = 0
) -> Iterator[str]:
    """Serve ``directory`` in a background thread; yields the base URL."""
    server = make_server(directory, host, port, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base_url(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def port_taken(host: str, port: int) -> bool:
    """Is another server listening on ``host``:``port``? Asked before a
    build, which a server that cannot start would only end in a traceback."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As the servers bind: a port a stopped server left in TIME_WAIT is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def serve(
    directory: str | os.PathLike, host: str = "127.0.0.1", port: int = 8000
) -> None:
    """Serve ``directory`` until interrupted (Ctrl-C)."""
    with make_server(directory, host, port) as server:
        url = base_url(server).replace("127.0.0.1", "localhost")
        print(f"Serving {os.fspath(directory)} at {url}/ (Ctrl-C stops)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("\nStopped.", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m portal.devserver",
        description="Serve a built site with HTTP Range support.",
    )
    parser.add_argument("directory", nargs="?", default="output")
    parser.add_argument("--port", "-p", type=int, default=8000)
    parser.add_argument("--bind", "-b", default="127.0.0.1")
    args = parser.parse_args(argv)
    serve(args.directory, args.bind, args.port)


if __name__ == "__main__":
    main()
