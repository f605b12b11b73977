"""What the development server does with a sign-up form's post.

In development the site's forms post to the dev server itself
(``SIGNUP_FORMS_DEV_ENDPOINT``, ``/_forms/<form>``), as to a generic form
provider, so they work end to end with nothing set up. The server applies
the rules a provider would:

- the honeypot (``_gotcha``): filled in means a robot; the sender is thanked
  and nothing is kept;
- consent: without ``consent=yes`` nothing is kept, and the sender is told
  why (400), as a provider refuses a sign-up without it;
- the form's own checks, as the browser makes them (``portal.signup_fields``):
  a required field left empty or made only of spaces, or an email address
  or a ZIP code that is not one, keeps nothing, and the sender is told which
  field and why (400);

and keeps every accepted entry as one JSON line (the form, the time and the
fields, in the order sent) in ``form-submissions.jsonl``, which an editor can
open in any text editor. It then sends the browser on to ``_next`` (the
thank-you page) when that is an address on this site."""

from __future__ import annotations

import dataclasses
import datetime
import html
import json
import os
import re
import threading
import urllib.parse

from portal.signup_fields import FORMS

PATH = re.compile(r"^/_forms/([a-z][a-z0-9_-]{0,40})/?$")
HONEYPOT = "_gotcha"
CONSENT = ("consent", "yes")
REDIRECT = "_next"
MAX_BYTES = 64 * 1024  # a sign-up is a few hundred bytes
FILE_NAME = "form-submissions.jsonl"

_lock = threading.Lock()


@dataclasses.dataclass(frozen=True)
class Reply:
    status: int
    location: str | None = None
    message: str = ""


def inbox_beside(directory: str) -> str:
    """Where a server of ``directory`` (the built site) keeps posted forms:
    beside it, not in it (a rebuild would delete them, and they are never
    published)."""
    parent = os.path.dirname(os.path.abspath(directory))
    return os.path.join(parent, FILE_NAME)


def page(reply: Reply) -> bytes:
    """The page a browser is shown for a reply that sends it nowhere."""
    return (
        "<!DOCTYPE html><html lang=en><meta charset=utf-8>"
        "<title>Sign-up form</title><p>"
        + html.escape(reply.message)
        + '</p><p><a href="/">Back to the site</a></p>'
    ).encode("utf-8")


def form_key(path: str) -> str | None:
    """The form a POST path names (``/_forms/match`` -> ``match``), or None."""
    match = PATH.match(urllib.parse.urlsplit(path).path)
    return match.group(1) if match else None


def receive(key: str, body: bytes, content_type: str, inbox: str, host: str) -> Reply:
    """Check one post and keep it in ``inbox``; what to answer the browser."""
    if not content_type.startswith("application/x-www-form-urlencoded"):
        return Reply(415, message="The form must be sent as a normal HTML form.")
    try:
        fields = urllib.parse.parse_qsl(
            body.decode("utf-8"), keep_blank_values=True, strict_parsing=False
        )
    except UnicodeDecodeError:
        return Reply(400, message="The form sent text that is not UTF-8.")
    values = dict(fields)
    next_url = _same_site(values.get(REDIRECT, ""), host)
    if values.get(HONEYPOT):
        # A robot filled in the hidden field: thank it, keep nothing.
        return (
            Reply(303, location=next_url)
            if next_url
            else Reply(200, message="Thank you.")
        )
    if values.get(CONSENT[0]) != CONSENT[1]:
        return Reply(
            400,
            message="Nothing was sent: please tick the box that says you agree "
            "to be contacted, then send the form again.",
        )
    refused = _refused(key, values)
    if refused:
        return Reply(400, message=refused)
    entry = {
        "form": key,
        "received": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "fields": [
            [name, value] for name, value in fields if name not in (HONEYPOT, REDIRECT)
        ],
    }
    line = json.dumps(entry, ensure_ascii=False) + "\n"
    with _lock:
        os.makedirs(os.path.dirname(os.path.abspath(inbox)), exist_ok=True)
        with open(inbox, "a", encoding="utf-8") as handle:
            handle.write(line)
    if next_url:
        return Reply(303, location=next_url)
    return Reply(200, message="Thank you: your form was received.")


def _refused(key: str, values: dict[str, str]) -> str | None:
    """Why the form's fields are refused (the first field that is wrong), or
    None. A form the site does not have is taken as it comes."""
    spec = FORMS.get(key)
    if spec is None:
        return None
    for field in spec.fields:
        if field.kind == "consent":
            continue  # its own rule, above
        why = field.problem(values.get(field.key, ""))
        if why:
            return f"Nothing was sent: {why}, then send the form again."
    return None


def _same_site(url: str, host: str) -> str | None:
    """``url`` when it points at this site (never send a browser elsewhere)."""
    if not url:
        return None
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("", "http", "https"):
        return None
    if parts.netloc and parts.netloc != host:
        return None
    if not parts.netloc and not url.startswith("/"):
        return None
    return urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))


def read(inbox: str) -> list[dict]:
    """The entries kept so far (for tests and tools)."""
    if not os.path.exists(inbox):
        return []
    with open(inbox, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
