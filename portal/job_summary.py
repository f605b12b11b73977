"""The job summary: what the run's page on GitHub shows an editor.

GitHub Actions names a file in ``GITHUB_STEP_SUMMARY`` for each step and
shows the Markdown appended to it on the run's page (GitHub's docs: "Adding
a job summary"; at most 1 MiB a step). ``./dev check`` writes there what
to fix, story by story, in the words of its annotations, and how loud each
new recording is; ``./dev publish``
what it published and where, or that it failed, why, and whether the site
online is as it was (a deploy cut off while sending may have changed part of
it). Outside GitHub Actions the variable is unset and
nothing is written.

A story is named by its title (from its ``story.md``, read again here) with
its folder: editors know their stories by title. Everything that comes from
the content (titles, folder names, the values a message quotes) goes through
``text()``, so that it reads as written and never as Markdown or HTML."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from portal import frontmatter
from portal.checking import CheckResult, plural, rendition_levels, summary_line

ENV = "GITHUB_STEP_SUMMARY"
LIMIT = 1024 * 1024  # GitHub refuses a step's summary past 1 MiB
HELD_BACK = "Held back (not on the public site)"  # as `check` prints it
CUT = "\n\n*The summary was cut here: the rest is in the log.*\n"

# html.escape() makes <, > and & plain text (nothing from the content goes
# into an attribute, so quotes may stay); Markdown would still read these
# as markup anywhere in a line (GitHub's tables and strikethrough too).
# CommonMark lets them be escaped with a backslash, which not every renderer
# honours (Python-Markdown leaves "\|" as it is); a numeric character
# reference is plain text in HTML and in every Markdown.
_INLINE = str.maketrans({mark: f"&#{ord(mark)};" for mark in "\\`*_[]|~!"})
# What makes the start of a line (of a list item too) a heading or a list.
_LINE_START = re.compile(r"^(\d*)([#+=.)-])")


def text(value: object) -> str:
    """``value`` as plain text on one line of Markdown: nothing in it is
    markup, and its line breaks are spaces (a list item stays one item)."""
    one_line = " ".join(str(value).split())
    plain = html.escape(one_line, quote=False).translate(_INLINE)
    return _LINE_START.sub(lambda start: f"{start[1]}&#{ord(start[2])};", plain)


def append(markdown: str, environ: Mapping[str, str] = os.environ) -> bool:
    """Append ``markdown`` to the job summary, cut to GitHub's limit; False
    (and nothing written) when no job summary is asked for."""
    path = environ.get(ENV)
    if not path:
        return False
    data = markdown.rstrip("\n") + "\n\n"
    encoded = data.encode("utf-8")
    if len(encoded) > LIMIT:
        kept = encoded[: LIMIT - len(CUT.encode("utf-8"))].decode("utf-8", "ignore")
        data = kept[: kept.rfind("\n")] + CUT
    with open(path, "a", encoding="utf-8") as summary:
        summary.write(data)
    return True


def _section(title: str, items: Iterable[str]) -> list[str]:
    items = list(items)
    return ["", f"### {title}", "", *items] if items else []


def _story_of(path: str) -> str:
    """The story folder a problem's file is in (``.../stories/<slug>/``),
    or the file itself when it is no story's."""
    parts = path.split("/")
    if "stories" in parts[:-2]:
        at = len(parts) - 1 - parts[::-1].index("stories")
        if at < len(parts) - 2:
            return "/".join(parts[: at + 2]) + "/"
    return path


def _title(story_file: str, root: Path | None) -> str | None:
    """The title in a story's front matter (``story_file``: its story.md,
    absolute or relative to ``root``), if the file reads and gives one."""
    if root is None:
        return None
    try:
        front = frontmatter.split((root / story_file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, frontmatter.FrontMatterError):
        return None
    title = front.data.get("title")
    if isinstance(title, bool) or not isinstance(title, str | int | float):
        return None
    return " ".join(str(title).split()) or None


def _named(path: str, story_file: str, root: Path | None, bold: bool = False) -> str:
    """``path`` (a story's folder or file) after its story's title, if any:
    "**Common Ground** (content/stories/common-ground/)"."""
    title = _title(story_file, root)
    if title is None:
        return f"**{text(path)}**" if bold else text(path)
    title = f"**{text(title)}**" if bold else text(title)
    return f"{title} ({text(path)})"


def _by_story(problems, messages: Sequence[str], root: Path | None) -> list[str]:
    """Problems grouped by story (or file), each with its file and line and
    the words of its annotation; then what the build logged without a file."""
    groups: dict[str, list[str]] = {}
    for problem in problems:
        group = _story_of(problem.path)
        where = problem.path[len(group) :] if group.endswith("/") else ""
        at = f"{where}, line {problem.line or 1}".removeprefix(", ")
        item = f"- {text(at)}: {text(problem.described)}"
        groups.setdefault(group, []).append(item)
    lines: list[str] = []
    for group, items in groups.items():
        story_file = group + "story.md" if group.endswith("/") else ""
        lines += [
            _named(group, story_file, root if story_file else None, True),
            "",
            *items,
            "",
        ]
    if messages:
        lines += ["**Other**", "", *(f"- {text(m)}" for m in messages), ""]
    return lines[:-1]


def _held_back(held_back, root: Path | None) -> list[str]:
    return [
        f"- {_named(path, path, root)}: {text('; '.join(reasons))}"
        for path, reasons in held_back
    ]


def _new_audio(renditions, root: Path | None) -> list[str]:
    """The podcast audio of each master the check encoded: a new or
    replaced recording (the publish after the check finds it made)."""
    return [
        f"- {_named(r.source.rsplit('/', 1)[0] + '/', r.source, root)}: "
        f"{text(f'{r.master}: {rendition_levels(r)}')}"
        for r in sorted(renditions, key=lambda r: r.source)
        if r.encoded_now or r.shares_encoding
    ]


def check(result: CheckResult, root: Path | None = None) -> str:
    """The summary of ``./dev check``: the outcome in plain words, what to
    fix story by story, the stories held back and why, then the loudness
    of each new recording, before and after. ``root``: the
    folder the result's paths are relative to (the project), where the
    stories' titles are read; None names stories by their folders only."""
    stories = result.published + len(result.held_back)
    if not result.ok:
        count = result.error_count
        heading = f"{plural(count, 'error')} to fix before this can be published"
    elif not result.held_back:
        heading = (
            f"All {plural(stories, 'story', 'stories')} ready to publish"
            if stories
            else "No stories to publish yet"
        )
    else:
        heading = (
            f"{plural(result.published, 'story', 'stories')} ready to publish, "
            f"{len(result.held_back)} held back"
        )
    other: dict[str, list[str]] = {"error": [], "warning": []}
    for message in result.messages:  # logged by the build, with no file
        other[message.level.value].append(message.text)
    lines = [f"## {heading}", "", text(summary_line(result))]
    lines += _section("Errors to fix", _by_story(result.errors, other["error"], root))
    lines += _section("Warnings", _by_story(result.warnings, other["warning"], root))
    lines += _section(HELD_BACK, _held_back(result.held_back, root))
    lines += _section(
        "Approved and ready, but their errors would stop publishing",
        (f"- {_named(path, path, root)}" for path in result.blocked),
    )
    lines += _section(
        "New podcast audio: loudness before and after",
        _new_audio(result.renditions, root),
    )
    return "\n".join(lines)


def check_failed(reason: str) -> str:
    """The summary of a check that could not even start."""
    return f"## The check could not run\n\n{text(reason)}"


def build_failed(reason: str) -> str:
    """The summary of a publish whose build failed: nothing went out."""
    return "\n".join(
        [
            "## Publishing failed: nothing was published",
            "",
            f"The build failed: {text(reason)}",
            "",
            "The site online is unchanged. The check of a pull request lists "
            "every problem with its fix (`./dev check` on a computer).",
        ]
    )


def published(
    *,
    built: Mapping | None,
    unchanged: str | None,
    sent: Sequence[tuple[str, Sequence[str]]],
    site: str | None,
    deploy_error: str | None = None,
    partly_sent: bool = False,
    no_target: str = "",
    root: Path | None = None,
) -> str:
    """The summary of a publish whose build succeeded, or found nothing
    changed: what went out and where, or why it did not.

    ``built``: the build's counts (plugins/build_report), None when no build
    ran; ``unchanged``: what publishing says when nothing changed; ``sent``:
    each target deployed to, with what its deploy said; ``deploy_error``:
    why the next target failed; ``partly_sent``: it failed while sending (the
    host may hold part of the new site); ``no_target``: why none was
    deployed to; ``root``: as for ``check``."""
    names = ", ".join(target for target, _said in sent)
    if deploy_error:
        heading = "Publishing failed: the deploy failed"
    elif unchanged:
        heading = "Nothing changed, so nothing was built"
    elif sent:
        heading = f"Published: deployed to {names}"
    else:
        heading = "Built, but not published: no deploy target is set"
    lines = [f"## {text(heading)}", ""]
    if unchanged:
        lines += [text(unchanged), ""]
    if built:
        out = "published" if sent and not deploy_error else "ready to publish"
        stories = plural(built.get("published", 0), "story", "stories")
        held_back = len(built.get("held_back", []))
        warnings = plural(built.get("warnings", 0), "warning")
        lines.append(f"- {stories} {out}, {held_back} held back, {warnings}.")
    if sent and unchanged:
        lines.append(f"- Deployed to {text(names)} again (the last build's site).")
    if sent and site:
        lines.append(f"- The site: {text(site)}")
    lines += [f"- {text(line)}" for _target, said in sent for line in said]
    if deploy_error:
        state = (
            "may be partly updated: publish again once this is fixed."
            if partly_sent
            else "is unchanged."
        )
        online = (
            f"It was deployed to {names} before that; the copy at the target "
            f"that failed {state}"
            if sent
            else f"The site online {state}"
        )
        lines += ["", f"Deploy failed: {text(deploy_error)}", "", text(online)]
    elif not sent:
        lines += ["", text(no_target)]
    if built:
        lines += _section(HELD_BACK, _held_back(built.get("held_back", []), root))
    # One blank line between paragraphs, whichever of them there are.
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
