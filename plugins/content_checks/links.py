"""Links from stories and pages to other content that lead nowhere.

A ``{filename}`` link Pelican cannot resolve stays in the page as written: a
broken link. Links to stories that exist but are held back are the approval
gate's business (it turns them into plain text and warns)."""

from __future__ import annotations

import os

from portal import links
from portal.pelican_private import raw_html
from portal.problems import Problem, Severity


def broken_links(
    content, display_path: str, settings, severity: Severity = Severity.ERROR
) -> list[Problem]:
    """A problem for each link in ``content`` that points to nothing."""
    root = settings["PATH"]
    content_dir = os.path.basename(os.path.normpath(root))
    source = content.get_relative_source_path()
    problems = []
    for link in links.internal_links(raw_html(content)):
        path = links.target(source, link.value)
        if links.resolvable(link, path, root, settings):
            continue
        exists = os.path.isfile(os.path.join(root, *path.split("/")))
        if exists:
            message = (
                f"the link {link.written} points to {content_dir}/{path}, "
                "which is not published at an address of its own"
            )
            fix = (
                "link stories and pages with {filename}, and pictures kept in "
                f"{content_dir}/images/ with {{static}}/images/<name>"
            )
        else:
            message = (
                f"the link {link.written} points to {content_dir}/{path}, "
                "which does not exist"
            )
            fix = (
                "correct the path; another story is linked as "
                "{filename}../<its folder>/story.md"
            )
        problems.append(
            Problem(
                display_path,
                "body",
                message,
                fix,
                links.line_of(content.source_path, link.written),
                severity,
            )
        )
    return problems
