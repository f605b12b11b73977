"""A form provider stand-in: a local HTTP endpoint that records submissions.

It answers like the services the forms post to: a generic endpoint sends the
browser on to the address in ``_next`` (303); otherwise (Mailchimp, whose
thank-you page is set in its own settings) it shows a small page."""

from __future__ import annotations

import contextlib
import dataclasses
import http.server
import threading
import urllib.parse
from collections.abc import Iterator


@dataclasses.dataclass
class Submission:
    method: str
    path: str
    content_type: str
    fields: list[tuple[str, str]]  # in the order the browser sent them

    @property
    def as_dict(self) -> dict[str, str]:
        return dict(self.fields)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Endpoint

    def log_message(self, format, *args):  # quiet in tests
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        self._record("POST", urllib.parse.urlsplit(self.path).path, body)

    def do_GET(self):
        parts = urllib.parse.urlsplit(self.path)
        if not parts.query:
            # Not a form (a browser asking for /favicon.ico, say): not recorded.
            self.send_error(404)
            return
        self._record("GET", parts.path, parts.query)

    def _record(self, method: str, path: str, encoded: str) -> None:
        fields = urllib.parse.parse_qsl(encoded, keep_blank_values=True)
        self.server.submissions.append(
            Submission(method, path, self.headers.get("Content-Type", ""), fields)
        )
        redirect = dict(fields).get("_next")
        if redirect:
            self.send_response(303)
            self.send_header("Location", redirect)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        page = (
            b'<!doctype html><link rel="icon" href="data:,">'
            b"<title>Received</title><h1>Received</h1>"
        )
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)


class _Endpoint(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.submissions: list[Submission] = []

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


@contextlib.contextmanager
def form_endpoint() -> Iterator[_Endpoint]:
    """A running endpoint: ``.url`` to post to, ``.submissions`` received."""
    server = _Endpoint()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
