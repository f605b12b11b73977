"""Invoke tasks, in the spirit of pelican-quickstart's tasks.py.

Run them through ``./dev`` (which sets up the virtualenv first), e.g.
``./dev build``, ``./dev serve --port 8080`` or ``./dev invoke --list``.
Arguments after ``--`` go to Pelican: ``./dev build -- --debug``.

Pelican always runs as ``<this Python> -m pelican``, so the virtualenv's
Pelican builds the site whatever else is on PATH.
"""

import contextlib
import os
import shlex
import shutil
import sys
import threading
import time
from pathlib import Path

from invoke import task
from invoke.main import program
from pelican.settings import DEFAULT_CONFIG, get_settings_from_file, read_settings

ROOT = Path(__file__).resolve().parent
# The portal package, and the plugins new-story reads audio with.
for folder in (ROOT / "plugins", ROOT):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from portal import checking, devserver, job_summary, mime, publishing  # noqa: E402

SETTINGS_FILE_BASE = "pelicanconf.py"
SETTINGS_FILE_PUBLISH = "publishconf.py"
SETTINGS = {}
SETTINGS.update(DEFAULT_CONFIG)
LOCAL_SETTINGS = get_settings_from_file(str(ROOT / SETTINGS_FILE_BASE))
SETTINGS.update(LOCAL_SETTINGS)

CONFIG = {
    "settings_base": SETTINGS_FILE_BASE,
    "settings_publish": SETTINGS_FILE_PUBLISH,
    # Output path, absolute or relative to this file. Default: 'output'.
    "deploy_path": SETTINGS["OUTPUT_PATH"],
    "cache_path": SETTINGS["CACHE_PATH"],
    # Host and port for `serve` and `livereload`.
    "host": "127.0.0.1",
    "port": 8000,
}

# What `livereload` watches: a change in any of these rebuilds the site.
WATCHED = ["content", "theme", "plugins", "portal", SETTINGS_FILE_BASE]

# The drafts preview (held-back stories shown, marked "Not public") has its
# own output and cache folders, so nothing of it can reach output/ or be
# published: `publish` builds with publishconf.py, which refuses STORY_PREVIEW.
PREVIEW_PATH = ROOT / "output-drafts"
PREVIEW_CACHE_PATH = ROOT / "cache" / "drafts"
PREVIEW_NOTICE = (
    "PREVIEW: this site shows stories that are NOT public yet, each marked "
    '"Not public" with the reasons. It is for review on this computer only: '
    "never upload {folder}. The public site is made by `./dev publish`."
)


def _deploy_path() -> Path:
    return ROOT / CONFIG["deploy_path"]


def _remainder() -> list[str]:
    """What followed ``--`` on the invoke command line, if run from there."""
    core = getattr(program, "core", None)
    return shlex.split(core.remainder) if core and core.remainder else []


@task
def clean(c):
    """Remove generated files (output, the drafts preview, Pelican's cache)."""
    for path in (
        ROOT / CONFIG["deploy_path"],
        ROOT / CONFIG["cache_path"],
        PREVIEW_PATH,
    ):
        if path.is_dir():
            shutil.rmtree(path)
        # Folders a killed build left beside it, and what its last build was
        # made from (the next build then builds).
        publishing.remove_leftovers(path)
        publishing.forget_last_build(path)
    _deploy_path().mkdir(parents=True, exist_ok=True)


def _build_overrides(drafts: bool = False, cached: bool = False) -> dict:
    """Settings a development (or drafts preview) build overrides."""
    overrides: dict[str, object] = {}
    if drafts:
        overrides.update(STORY_PREVIEW=True, CACHE_PATH=str(PREVIEW_CACHE_PATH))
    if cached:
        overrides.update(CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True)
    return overrides


def build_aside(
    output: Path,
    settings_file: str,
    overrides: dict | None = None,
    media: Path | None = None,
    force: bool = False,
    stop: threading.Event | None = None,
) -> bool:
    """Build into a fresh folder beside ``output`` and swap it in only if the
    build succeeds (``portal.publishing.build_aside``): a failed build leaves
    ``output`` as it was, and nothing of a story taken down stays in it.
    Prints why and returns False if the build failed. ``stop``: see
    ``publishing.build_aside`` (only the live preview's search uses it)."""
    if stop is None:
        print(f"Building {output} with {settings_file}...", flush=True)
    else:
        print(f"Bringing the search of {output} up to date...", flush=True)
    try:
        publishing.build_aside(
            output,
            settings_file,
            project_root=ROOT,
            overrides=overrides,
            extra_args=_remainder(),
            media_output_path=media,
            force=force,
            stop=stop,
        )
    except publishing.BuildStopped:
        print("Stopped bringing the search up to date: a newer save is being built.")
        return False
    except publishing.PublishError as error:
        print(f"Build failed: {error}.", file=sys.stderr, flush=True)
        return False
    return True


FORCE_HELP = "build even when nothing changed since the output in place was built"


@task(
    help={
        "drafts": "preview held-back stories too, into output-drafts/",
        "force": FORCE_HELP,
    }
)
def build(c, drafts=False, force=False):
    """Build the development site (pelicanconf.py) into the output folder."""
    output = PREVIEW_PATH if drafts else _deploy_path()
    overrides = _build_overrides(drafts)
    if not build_aside(output, CONFIG["settings_base"], overrides, force=force):
        sys.exit(1)
    if drafts:
        print(PREVIEW_NOTICE.format(folder=PREVIEW_PATH.name))


@task
def rebuild(c):
    """`clean`, then `build`."""
    clean(c)
    build(c)


@task(
    help={
        "port": "port to listen on (default 8000)",
        "bind": "address to listen on (default 127.0.0.1; 0.0.0.0 for all)",
        "drafts": "build and serve the drafts preview (output-drafts/) instead",
        "build-first": "build the development site first (`./dev serve` does)",
    }
)
def serve(c, port=CONFIG["port"], bind=CONFIG["host"], drafts=False, build_first=False):
    """Serve the output folder at http://localhost:8000/, with HTTP Range."""
    # The port first: a build of minutes ending in "the port is in use" is
    # the build's time lost.
    _port_free_or_exit(bind, port)
    if drafts or build_first:  # the drafts preview is only ever built here
        build(c, drafts=drafts)
    output = PREVIEW_PATH if drafts else _deploy_path()
    if not (output / "index.html").is_file():
        sys.exit(f"Nothing to serve in {output}: run `./dev build` first.")
    devserver.serve(output, bind, int(port))


def _port_free_or_exit(bind: str, port) -> None:
    """Stop, before any build, when another server has the port: most likely
    `cms` or a preview still running in another terminal."""
    if devserver.port_taken(bind, int(port)):
        sys.exit(
            f"Cannot show the site at http://localhost:{port}/: the port is in "
            "use, most likely by `./dev cms`, `./dev preview-drafts` or "
            "`./dev serve` still running in another terminal - stop it there "
            f"(Ctrl-C), or use another port: --port {int(port) + 1}"
        )


@task
def reserve(c, port=CONFIG["port"], bind=CONFIG["host"]):
    """`build`, then `serve`."""
    serve(c, port=port, bind=bind, build_first=True)


@task(help={"force": FORCE_HELP})
def preview(c, force=False):
    """Build the production site (publishconf.py) into the output folder."""
    settings = _publish_settings()
    output = Path(settings["OUTPUT_PATH"])
    media = _media_path(settings)
    if not build_aside(output, CONFIG["settings_publish"], media=media, force=force):
        sys.exit(1)


@task(
    help={
        "port": "port to listen on (default 8000)",
        "drafts": "show held-back stories too, marked 'Not public' (output-drafts/)",
    }
)
def livereload(c, port=CONFIG["port"], bind=CONFIG["host"], drafts=False):
    """Rebuild on every change to content, theme, plugins or portal; reload."""
    _livereload(port, bind, drafts)


def _livereload(port, bind, drafts: bool, say_failed_checks: bool = False) -> None:
    """`livereload`; ``say_failed_checks`` (`cms`): a failed rebuild is
    recorded in the preview's admin/checked.json, for the form waiting for
    its check (plugins/editing_ui/checked.py)."""
    from portal import live_reload, preview_builds

    _port_free_or_exit(bind, port)
    output = PREVIEW_PATH if drafts else _deploy_path()

    def cached_build(later: bool, stop: threading.Event | None) -> bool:
        # A failed rebuild keeps serving the last good site; the error shows.
        # ``later``: the save's pages first, the search index and the
        # compressed copies by the build after (portal.preview_builds).
        overrides = _build_overrides(drafts=drafts, cached=True)
        if later:
            overrides["PAGES_FIRST"] = True
        if say_failed_checks and later:
            built = build_for_the_form(output, overrides)
        else:
            built = build_aside(output, CONFIG["settings_base"], overrides, stop=stop)
        if built and drafts and later:
            print(PREVIEW_NOTICE.format(folder=PREVIEW_PATH.name))
        return built

    builds = preview_builds.PreviewBuilds(output, cached_build)
    try:
        builds.rebuild()
        live_reload.serve(
            output, bind, int(port), [ROOT / path for path in WATCHED], builds.rebuild
        )
    finally:
        builds.close()


def build_for_the_form(output: Path, overrides: dict) -> bool:
    """`build_aside` for `cms`'s drafts preview; a build that fails is
    recorded in the preview's admin/checked.json, with the digests of the
    story.md files it was given and what stopped it, so that the form
    waiting for the check of a save says it could not run
    (plugins/editing_ui/checked.py)."""
    from editing_ui import checked

    digests = checked.story_digests(overrides.get("PATH", SETTINGS["PATH"]))
    with _failure_reason_kept(output) as reason:
        if build_aside(output, CONFIG["settings_base"], overrides):
            return True
        admin = output / SETTINGS.get("EDITING_UI_SAVE_AS", "admin")
        checked.record_failure(admin, digests, checked.reason_of(reason))
        return False


@contextlib.contextmanager
def _failure_reason_kept(output: Path):
    """The file, beside ``output``, where a build run meanwhile keeps the
    first line of what stopped it, if it stops (the editing UI's log
    handler, plugins/editing_ui/checked.py); removed afterwards."""
    from editing_ui import checked

    reason = output.with_name(f".{output.name}.failure-reason.txt")
    reason.unlink(missing_ok=True)
    os.environ[checked.REASON_ENV] = str(reason)  # the build keeps it there
    try:
        yield reason
    finally:
        del os.environ[checked.REASON_ENV]
        reason.unlink(missing_ok=True)


@task(
    help={
        "port": "port to listen on (default 8000)",
        "bind": "address to listen on (default 127.0.0.1; 0.0.0.0 for all)",
    }
)
def preview_drafts(c, port=CONFIG["port"], bind=CONFIG["host"]):
    """Review stories before approval: held-back ones shown, marked 'Not public'.

    Builds into output-drafts/ (never published), serves it at
    http://localhost:8000 and rebuilds and reloads on every change."""
    livereload(c, port=port, bind=bind, drafts=True)


@task(
    help={
        "port": "port of the site (default 8000)",
        "bind": "address to listen on (default 127.0.0.1)",
    }
)
def cms(c, port=CONFIG["port"], bind=CONFIG["host"]):
    """Edit in the browser: /admin/ saves stories into content/ here.

    Starts the editing UI's local backend (decap-server, on port 8081, which
    writes to this working copy) and the drafts preview with /admin/, which
    rebuilds on every save: a saved story shows there, marked "Not public"."""
    import signal

    from portal import local_backend

    _port_free_or_exit(bind, port)
    # Stopped by a signal (not Ctrl-C), still stop decap-server: `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        process = local_backend.start(ROOT, local_backend.DEFAULT_PORT)
    except local_backend.LocalBackendError as error:
        sys.exit(f"Cannot start the editing UI: {error.problem} - {error.fix}")
    print(
        f"Editing UI: open http://localhost:{port}/admin/ and press Login. Stories "
        "you save are written to content/stories/ here; check them with "
        "`./dev check` and commit them with git. Ctrl-C stops.",
        flush=True,
    )
    try:
        _livereload(port, bind, drafts=True, say_failed_checks=True)
    finally:
        local_backend.stop(process)


def _publish_settings() -> dict:
    """publishconf.py read as Pelican reads it (defaults, environment)."""
    return read_settings(str(ROOT / CONFIG["settings_publish"]))


def _media_path(settings: dict) -> Path | None:
    """The audio's own folder, when it is served from its own host."""
    if not settings.get("STORY_MEDIA_URL"):
        return None
    return ROOT / settings.get("STORY_MEDIA_OUTPUT_PATH", "output-media")


NO_TARGET = (
    "Deployed nothing: no deploy target is set. To send the site to its host, "
    "run `./dev deploy --to rsync` (or s3, github-pages), or set DEPLOY_TARGETS "
    '(see README.md, "Publishing").'
)


def _deploy(settings: dict, output: Path, targets: str | None):
    """Deploy ``output`` to each target in turn, until one fails: the
    targets it was sent to, each with what its deploy said, and the
    DeployError of the next one (None when none failed)."""
    from portal import deploy

    sent: list[tuple[str, list[str]]] = []
    try:
        options = deploy.deploy_settings(settings)
        chosen = deploy.parse_targets(targets) if targets else options.targets
        for target in chosen:
            print(f"Deploying to {target}...", flush=True)
            said = deploy.deploy(target, output, _media_path(settings), options)
            for line in said:
                print(line)
            sent.append((target, list(said)))
    except deploy.DeployError as error:
        return sent, error
    return sent, None


@task(
    help={
        "output": "where to publish (default: publishconf's OUTPUT_PATH)",
        "to": "deploy targets after the build: rsync, s3, github-pages "
        "(comma-separated; default: DEPLOY_TARGETS)",
        "content": "the content folder to publish (default: content/)",
        "force": FORCE_HELP,
    }
)
def publish(c, output=None, to=None, content=None, force=False):
    """Build the production site, swap it in if the build succeeds, deploy.

    The build goes to a fresh folder next to the output; a failed build
    leaves the previous output untouched and deploys nothing."""
    settings = _publish_settings()
    output = Path(output).resolve() if output else ROOT / settings["OUTPUT_PATH"]
    started = time.time()
    with _failure_reason_kept(output) as reason:
        try:
            published = publishing.publish(
                output,
                CONFIG["settings_publish"],
                content_path=Path(content).resolve() if content else None,
                project_root=ROOT,
                extra_args=_remainder(),
                media_output_path=_media_path(settings),
                force=force,
            )
        except publishing.PublishError as error:
            # What stopped the build, in its own words (else ours).
            said = reason.read_text("utf-8").strip() if reason.is_file() else ""
            job_summary.append(job_summary.build_failed(said or str(error)))
            sys.exit(
                f"Publish failed: {error}. Nothing was deployed. Run `./dev check` "
                "to see every problem with its fix."
            )
    print(f"The production site is in {published}.", flush=True)
    last = publishing.last_build(published)
    if last is not None and last.built_at < started:  # nothing changed
        counts, unchanged = None, publishing.UNCHANGED.format(output=published)
    else:
        counts, unchanged = (last.summary if last else None), None
    sent, failed = _deploy(settings, published, to)
    job_summary.append(
        job_summary.published(
            built=counts,
            unchanged=unchanged,
            sent=sent,
            site=_site_address(settings),
            deploy_error=failed and str(failed),
            partly_sent=bool(failed and failed.partly_sent),
            no_target=NO_TARGET,
            root=Path(content).resolve().parent if content else ROOT,
        )
    )
    if failed:
        sys.exit(f"Deploy failed: {failed}")
    if sent:
        print(f"Published: deployed to {', '.join(target for target, _ in sent)}.")
    else:
        # Only a deployed site is published; say so rather than "Published".
        print(NO_TARGET)


def _site_address(settings: dict) -> str | None:
    """The public site's address, for the job summary (None if unset)."""
    from portal import site_address

    try:
        return site_address.absolute_site_url(settings) + "/"
    except site_address.SiteAddressError:
        return None


@task(
    help={
        "to": "rsync, s3 or github-pages (comma-separated; default: DEPLOY_TARGETS)",
    }
)
def deploy(c, to=None):
    """Send the last published site to its hosts again, without building."""
    settings = _publish_settings()
    sent, failed = _deploy(settings, ROOT / settings["OUTPUT_PATH"], to)
    if failed:
        sys.exit(f"Deploy failed: {failed}")
    if not sent:
        print(NO_TARGET)


@task(
    help={
        "content": "the content folder to check (default: content/)",
        "settings": "settings file (default: publishconf.py, what is published)",
        "levels": "list every story's podcast audio loudness, before and after",
    }
)
def check(c, content=None, settings=SETTINGS_FILE_PUBLISH, levels=False):
    """Check all content and list every problem; write no site.

    Prints the podcast audio it encoded (every story's with --levels), each
    problem as `path:line: field: what is wrong - how to fix it`, errors
    apart from warnings, then the stories held back and a summary.
    Exits with status 1 if there is any error. With GITHUB_ACTIONS set it
    also prints annotations GitHub shows on the changed lines."""
    content_path = Path(content).resolve() if content else None
    try:
        result = checking.check_content(ROOT / settings, content_path=content_path)
    except Exception as error:  # the settings or a plugin could not even start
        job_summary.append(job_summary.check_failed(str(error)))
        sys.exit(f"The check could not run: {error}")
    github = os.environ.get("GITHUB_ACTIONS", "").lower() == "true"
    print(checking.format_report(result, github=github, levels=levels))
    # On GitHub Actions, the run's page: what to fix, story by story.
    # Its paths are relative to the folder holding content/ (datafile.editor_path).
    root = content_path.parent if content_path else ROOT
    job_summary.append(job_summary.check(result, root=root))
    if not result.ok:
        sys.exit(1)


@task(help={"content": "the content folder (default: content/)"})
def guide(c, content=None):
    """Write the topics and question keys in use into the editors' guide.

    content/README.md lists them between two marker lines, made from the
    stories and content/data/questions.yml; `./dev check` warns when the
    lists are out of date."""
    from portal import guide_lists

    content_path = Path(content).resolve() if content else ROOT / "content"
    changed = guide_lists.update_guide(str(content_path))
    readme = content_path / guide_lists.GUIDE
    print(
        f"Updated the topics and question keys in {readme}."
        if changed
        else f"The topics and question keys in {readme} are up to date."
    )


@task(
    positional=["title"],
    iterable=["participant"],
    help={
        "title": "the story's title, in quotes",
        "audio": "the audio file to copy in (MP3, M4A, Ogg, Opus, FLAC or WAV)",
        "transcript": "the WebVTT transcript to copy in (optional)",
        "image": "a picture of the two of them to copy in: "
        f"{mime.image_kinds()} (optional)",
        "date": "the day it was recorded, YYYY-MM-DD (default: today)",
        "participant": "a participant's name (give it twice for two people; "
        "default: the names in the transcript)",
        "slug": "the folder name, if not the one made from the title",
        "content": "the content folder (default: content/)",
    },
)
def new_story(
    c,
    title,
    audio=None,
    transcript=None,
    date=None,
    participant=None,
    slug=None,
    content=None,
    image=None,
):
    """Make a new story folder: audio, transcript and a story.md to fill in.

    ./dev new-story "Title" --audio FILE [--transcript FILE] [--image FILE]"""
    import datetime
    import zoneinfo

    from portal import newstory

    if not audio:
        sys.exit(
            "Cannot create the story: no audio file - add --audio PATH, like "
            '`./dev new-story "Title" --audio ~/Downloads/conversation.mp3`'
        )
    recorded = None
    if date:
        try:
            recorded = datetime.date.fromisoformat(date)
        except ValueError:
            sys.exit(
                f"Cannot create the story: --date {date} is not a date - write it "
                "as YYYY-MM-DD"
            )
    content_path = Path(content).resolve() if content else ROOT / "content"
    try:
        made = newstory.create_story(
            content_path,
            title,
            audio,
            transcript=transcript,
            recorded=recorded,
            participants=participant or None,
            slug=slug,
            image=image,
            # "Today" where the site's dates are, as the approval gate sees it.
            today=datetime.datetime.now(zoneinfo.ZoneInfo(SETTINGS["TIMEZONE"])).date(),
        )
    except newstory.NewStoryError as error:
        sys.exit(f"Cannot create the story: {error.problem} - {error.fix}")
    print(newstory.next_steps(made, Path.cwd()))
