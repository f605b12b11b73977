"""``invoke livereload``: serve the site, rebuild on a change, reload the page.

python-livereload injects an inline ``<script>`` into every page it serves,
which the page's own Content-Security-Policy (``script-src 'self'``, from
the security_headers plugin) rightly blocks: nothing would reload. Its
injector is swapped here, for this server only, for one that adds
``<script src="/livereload.js?port=N">`` instead: the same client, from the
same origin, which the policy allows (and its WebSocket goes back to the
same origin, which ``default-src 'self'`` allows too). The policy stays
exactly as it is published.

The site's sign-up forms post to the server in development (``/_forms/...``,
``portal.form_inbox``), as they do under ``./dev serve``: this server takes
those posts too, where livereload's static files would answer 405."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Iterable

from livereload import Server
from livereload import server as livereload_server
from tornado import web

from portal import form_inbox
from portal.mime import AUDIO_MIME_TYPES, TRANSCRIPT_MIME_TYPES


def client_tag(port: int) -> bytes:
    """The ``<script>`` the page loads the livereload client with."""
    return f'<script src="/livereload.js?port={int(port)}"></script>'.encode()


def _same_origin_injector(port: int) -> type:
    class SameOriginScript(livereload_server.LiveScriptInjector):
        """Injects the client from the site's own origin, not inline."""

        def __init_subclass__(cls, **kwargs):
            # livereload subclasses the injector with its inline snippet as
            # ``script``; every subclass gets the same-origin tag instead.
            super().__init_subclass__(**kwargs)
            cls.script = client_tag(port)

    return SameOriginScript


class _FormHandler(web.RequestHandler):
    """A sign-up form's post, answered as ``./dev serve`` answers it."""

    def initialize(self, inbox: str) -> None:
        self.inbox = inbox

    def post(self, key: str) -> None:
        if len(self.request.body) > form_inbox.MAX_BYTES:
            raise web.HTTPError(413)
        reply = form_inbox.receive(
            key,
            self.request.body,
            self.request.headers.get("Content-Type", ""),
            self.inbox,
            self.request.headers.get("Host", ""),
        )
        if reply.location:
            self.redirect(reply.location, status=reply.status)
            return
        self.set_status(reply.status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(form_inbox.page(reply))


class _Server(Server):
    """livereload's server, with the forms' endpoint before its files;
    posted forms are kept in ``inbox``."""

    def __init__(self, inbox: str):
        super().__init__()
        self.inbox = inbox

    def get_web_handlers(self, script):
        forms = (form_inbox.PATH.pattern, _FormHandler, {"inbox": self.inbox})
        return [forms, *super().get_web_handlers(script)]


def serve(
    root: str,
    host: str,
    port: int,
    watched: Iterable[str],
    rebuild: Callable[[], None],
) -> None:
    """Serve ``root``; run ``rebuild`` when anything in ``watched`` changes,
    then reload every open page. Blocks until interrupted."""
    # livereload serves files with tornado, which answers Range requests and
    # takes its content types from `mimetypes`: teach it ours.
    for suffix, mime in {**AUDIO_MIME_TYPES, **TRANSCRIPT_MIME_TYPES}.items():
        mimetypes.add_type(mime, suffix)
    livereload_server.LiveScriptInjector = _same_origin_injector(port)
    server = _Server(form_inbox.inbox_beside(str(root)))
    server.watcher.ignore_dirs("__pycache__")
    for path in watched:
        server.watch(str(path), rebuild)
    server.serve(host=host, port=int(port), root=str(root), debug=False)
