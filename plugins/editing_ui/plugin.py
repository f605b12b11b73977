"""The editing UI at /admin/: Decap CMS, configured from the story schema.

When ``EDITING_UI`` is on, the build writes ``admin/`` into the output:

- ``index.html``, which loads Decap CMS and ``portal-cms.js`` (our preview
  pane and messages) from the site itself: no third-party script;
- ``config.yml``, made by ``decap_config.make_config`` from
  ``portal.schema`` and the content (the guide's questions, the topics in
  use, the next free story id), and ``next-id.json`` (that id again, for a
  form that was opened before the last story was saved);
- in a drafts preview with the local backend (``./dev cms``) only,
  ``checked.json``: what the check says of each story, shown after a save
  (``checked.py``);
- Decap's own files, copied from ``node_modules/decap-cms/dist`` (``npm ci``
  installs them; the version is pinned in package-lock.json), and the
  browser build of ``yaml`` (the library Decap reads YAML with) for
  ``portal-format.js``, which writes front matter the site's reader (YAML
  1.1) reads back as typed.

Editors save through a backend: the local one (``decap-server``, started by
``./dev cms``) writes to this working copy; on a public site, the GitHub
backend commits to the content repository (templates/content-repo/README.md
explains its OAuth set-up).

Settings (defaults in ``settings()``):
- ``EDITING_UI`` (False): write /admin/. pelicanconf.py turns it on for the
  development site; publishconf.py only when the ``EDITING_UI`` environment
  variable says so.
- ``EDITING_UI_SAVE_AS`` ("admin"): the folder in the output.
- ``EDITING_UI_LOCAL_BACKEND`` (""): the local backend's API URL, like
  http://localhost:8081/api/v1; empty: none (never on a public site).
- ``EDITING_UI_GITHUB_REPO`` (""), ``EDITING_UI_GITHUB_BRANCH`` ("main"):
  the content repository the GitHub backend commits to.
- ``EDITING_UI_AUTH_URL`` (""), ``EDITING_UI_AUTH_ENDPOINT`` (""): the OAuth
  provider that signs editors in to GitHub (Decap's ``base_url`` and
  ``auth_endpoint``).
- ``EDITING_UI_CONTENT_FOLDER`` ("content"): where content/ is in the
  repository the backend writes to.
- ``EDITING_UI_DECAP_DIST`` (``<project>/node_modules/decap-cms/dist``).
"""

from __future__ import annotations

import datetime
import html
import json
import logging
import os
import urllib.parse
import zoneinfo
from pathlib import Path

import yaml
from pelican import signals

from portal import build_inputs
from portal import signals as portal_signals
from portal.problems import CONTEXT_KEY
from portal.writing import write_if_changed

from . import checked, decap_config

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

DEFAULTS = {
    "EDITING_UI": False,
    "EDITING_UI_SAVE_AS": "admin",
    "EDITING_UI_LOCAL_BACKEND": "",
    "EDITING_UI_GITHUB_REPO": "",
    "EDITING_UI_GITHUB_BRANCH": "main",
    "EDITING_UI_AUTH_URL": "",
    "EDITING_UI_AUTH_ENDPOINT": "",
    "EDITING_UI_CONTENT_FOLDER": "content",
    "EDITING_UI_DECAP_DIST": str(PROJECT_ROOT / "node_modules" / "decap-cms" / "dist"),
}
DECAP_SCRIPT = "decap-cms.js"
OUR_SCRIPT = "portal-cms.js"
# Writes front matter YAML 1.1 reads back as typed (a module; it imports the
# browser build of `yaml`, the library and version Decap reads YAML with).
FORMAT_SCRIPT = "portal-format.js"
YAML_FOLDER = "yaml"
# The site's style sheets the story preview is drawn with (theme/static/css;
# palette.css holds the campaign's colours: plugins/campaign_colours).
PREVIEW_STYLES = ("css/palette.css", "css/site.css", "css/listening.css")


class EditingUIError(ValueError):
    """A setting of the editing UI is wrong, or Decap CMS is not installed."""


def settings(pelican_settings) -> dict:
    out = {key: pelican_settings.get(key, value) for key, value in DEFAULTS.items()}
    out["EDITING_UI"] = _flag(out["EDITING_UI"])
    save_as = out["EDITING_UI_SAVE_AS"]
    if not isinstance(save_as, str) or not save_as.strip("/") or ".." in save_as:
        raise EditingUIError(
            f"EDITING_UI_SAVE_AS must be a folder inside the output like 'admin', "
            f"not {save_as!r}"
        )
    out["EDITING_UI_SAVE_AS"] = save_as.strip("/")
    for key in ("EDITING_UI_LOCAL_BACKEND", "EDITING_UI_AUTH_URL"):
        url = out[key]
        if url and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise EditingUIError(f"{key} must be an http(s) URL, not {url!r}")
    repo = out["EDITING_UI_GITHUB_REPO"]
    if repo and repo.count("/") != 1:
        raise EditingUIError(
            f"EDITING_UI_GITHUB_REPO must be owner/name of the content "
            f"repository, not {repo!r}"
        )
    return out


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def content_security_policy(options: dict) -> str:
    """The editing UI's own policy: Decap needs more than the public pages.

    Decap compiles its configuration's JSON schema (eval), styles with
    inline <style> (emotion), shows uploads as blob: URLs and talks to its
    backend: the local one, or GitHub's API."""
    connect = ["'self'", "blob:"]  # uploads are read back from blob: URLs
    if options["EDITING_UI_LOCAL_BACKEND"]:
        connect.append(_origin(options["EDITING_UI_LOCAL_BACKEND"]))
    connect += ["https://api.github.com", "https://www.githubstatus.com"]
    if options["EDITING_UI_AUTH_URL"]:
        connect.append(_origin(options["EDITING_UI_AUTH_URL"]))
    directives = [
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob: https://avatars.githubusercontent.com",
        "media-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src " + " ".join(connect),
        "frame-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    return "; ".join(directives)


def _choices(pelican, articles) -> decap_config.Choices:
    from portal.newstory import new_id
    from portal.questions import load_questions

    content = pelican.settings["PATH"]
    loaded = load_questions(content)
    questions = [
        (q.key, q.question) for q in (loaded.value.root if loaded.value else [])
    ]
    # Topics of the stories this build shows (never those held back from it).
    topics = sorted({str(tag) for article in articles for tag in article.tags or ()})
    zone = zoneinfo.ZoneInfo(pelican.settings.get("TIMEZONE") or "UTC")
    now = datetime.datetime.now(zone)
    year = now.year
    # The next story's ID carries the year: right until the next one.
    build_inputs.note_change_at(
        datetime.datetime(year + 1, 1, 1, tzinfo=zone), "new story IDs carry the year"
    )
    stories = Path(content) / "stories"
    next_id = (
        new_id(stories, year, _state.get("ids"))
        if stories.is_dir()
        else f"oss-{year}-0001"
    )
    return decap_config.Choices(questions=questions, topics=topics, next_id=next_id)


def _theme_url(pelican_settings, path: str, depth: int) -> str:
    static = pelican_settings.get("THEME_STATIC_DIR", "theme")
    return "../" * depth + f"{static}/{path}"


def write_admin(pelican, articles) -> None:
    options = settings(pelican.settings)
    if not options["EDITING_UI"]:
        return
    dist = Path(options["EDITING_UI_DECAP_DIST"])
    yaml_dist = _yaml_dist(dist)
    if not (dist / DECAP_SCRIPT).is_file() or yaml_dist is None:
        missing = dist / DECAP_SCRIPT if yaml_dist is None else "yaml"
        message = (
            f"editing_ui: Decap CMS is not installed ({missing} is "
            "missing), so /admin/ was not written - run `npm ci` (every ./dev "
            "command that builds does it for you)"
        )
        if pelican.settings.get("STORY_STRICT"):
            raise EditingUIError(message)
        logger.warning(message)
        return
    folder = Path(pelican.output_path) / options["EDITING_UI_SAVE_AS"]
    folder.mkdir(parents=True, exist_ok=True)
    backend = decap_config.Backend(
        repo=options["EDITING_UI_GITHUB_REPO"],
        branch=options["EDITING_UI_GITHUB_BRANCH"],
        auth_url=options["EDITING_UI_AUTH_URL"],
        auth_endpoint=options["EDITING_UI_AUTH_ENDPOINT"],
        local_url=options["EDITING_UI_LOCAL_BACKEND"],
        content_folder=options["EDITING_UI_CONTENT_FOLDER"],
    )
    site_url = pelican.settings.get("SITEURL") or ""
    choices = _choices(pelican, articles)
    config = decap_config.make_config(backend, choices, site_url)
    header = (
        "# Made by plugins/editing_ui from portal/schema.py at every build; "
        "do not edit.\n"
    )
    text = header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
    write_if_changed(str(folder / "config.yml"), text)
    # The id a new story gets, read again by a form opened before the last
    # save (config.yml is read once a page, and ./dev cms rebuilds after
    # each save without reloading the form).
    next_id = json.dumps({"next_id": choices.next_id}) + "\n"
    write_if_changed(str(folder / decap_config.NEXT_ID_FILE), next_id)
    _copy_decap(dist, folder)
    _copy_yaml(yaml_dist, folder / YAML_FOLDER)
    for script in (OUR_SCRIPT, FORMAT_SCRIPT):
        write_if_changed(str(folder / script), (HERE / "admin" / script).read_bytes())
    depth = options["EDITING_UI_SAVE_AS"].count("/") + 1
    styles = " ".join(_theme_url(pelican.settings, s, depth) for s in PREVIEW_STYLES)
    page = (HERE / "admin" / "index.html").read_text(encoding="utf-8")
    values = {
        "policy": content_security_policy(options),
        "site_name": pelican.settings.get("SITENAME", ""),
        "decap_script": DECAP_SCRIPT,
        "our_script": OUR_SCRIPT,
        "format_script": FORMAT_SCRIPT,
        "preview_styles": styles,
        # Where portal-cms.js reads a saved story.md back (``checked``).
        "local_backend": options["EDITING_UI_LOCAL_BACKEND"],
    }
    for key, value in values.items():
        page = page.replace("{{ " + key + " }}", html.escape(value, quote=True))
    write_if_changed(str(folder / "index.html"), page)
    logger.info(
        "editing_ui: wrote the editing UI to %s/", options["EDITING_UI_SAVE_AS"]
    )


def _copy_decap(dist: Path, folder: Path) -> None:
    """Decap's script, the chunks it loads on demand and its WebAssembly."""
    for source in dist.iterdir():
        name = source.name
        wanted = name == DECAP_SCRIPT or name.endswith(".decap-cms.js")
        wanted = wanted or name.endswith(".wasm") or name == "decap-cms.js.LICENSE.txt"
        if not wanted:
            continue
        # Written only when changed: deploys then send only what changed.
        write_if_changed(str(folder / name), source.read_bytes())


def _yaml_dist(decap_dist: Path) -> Path | None:
    """The `yaml` package Decap CMS reads YAML with (its own copy, else the
    one npm put beside it), if its browser build is there."""
    modules = decap_dist.resolve().parents[1]  # node_modules/decap-cms/dist
    for package in (
        modules / "decap-cms-core" / "node_modules" / "yaml",
        modules / "yaml",
    ):
        if (package / "browser" / "dist" / "index.js").is_file():
            return package
    return None


def _copy_yaml(package: Path, folder: Path) -> None:
    """The browser build of `yaml` (ES modules importing each other) and its
    licence."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted((package / "browser" / "dist").glob("*.js")):
        write_if_changed(str(folder / source.name), source.read_bytes())
    licence = package / "LICENSE"
    if licence.is_file():
        write_if_changed(str(folder / "LICENSE.txt"), licence.read_bytes())


def _on_generators(generators) -> None:
    from pelican.generators import ArticlesGenerator

    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            _state["articles"] = list(generator.articles)
            _state["context"] = generator.context


_state: dict = {}


def _stories_read(generator, published, held_back) -> None:
    """The id of every story this build read, by its story.md: the next
    id is one more than theirs, and they are not read again for it."""
    _state["ids"] = {
        os.path.abspath(
            os.path.join(story.story.folder, os.path.basename(story.story.source))
        ): story.story.front.id
        for story in [*published, *held_back]
        if story.story.front is not None and story.story.front.id
    }


def _before_reading(pelican) -> None:
    """Each story.md's digest, before the build reads any (``checked``)."""
    _state.pop("digests", None)
    _state.pop("ids", None)
    if checked.wanted(pelican.settings, settings(pelican.settings)):
        _state["digests"] = checked.story_digests(pelican.settings["PATH"])


def _on_finalized(pelican) -> None:
    write_admin(pelican, _state.pop("articles", []))
    context = _state.pop("context", None) or {}
    digests = _state.pop("digests", None)
    options = settings(pelican.settings)
    if digests is None or not options["EDITING_UI"]:
        return
    found = checked.checked(
        digests,
        context.get(CONTEXT_KEY, []),
        context.get("stories_held_back", []),
    )
    folder = Path(pelican.output_path) / options["EDITING_UI_SAVE_AS"]
    write_if_changed(str(folder / checked.CHECKED_FILE), checked.to_json(found))


def check_settings(pelican) -> None:
    options = settings(pelican.settings)  # fail early on a bad setting
    if options["EDITING_UI"]:
        # The public pages' policy would stop Decap CMS: /admin/ has its own
        # (plugins/security_headers writes it to _headers).
        own = dict(pelican.settings.get("SECURITY_HEADERS_OWN_POLICIES") or {})
        own[options["EDITING_UI_SAVE_AS"] + "/"] = content_security_policy(options)
        pelican.settings["SECURITY_HEADERS_OWN_POLICIES"] = own


def register():
    # Run by ./dev cms: what stops a build is kept for the form (``checked``).
    checked.keep_reason()
    signals.initialized.connect(check_settings)
    signals.initialized.connect(_before_reading)
    signals.all_generators_finalized.connect(_on_generators)
    signals.finalized.connect(_on_finalized)
    portal_signals.stories_gated.connect(_stories_read)
