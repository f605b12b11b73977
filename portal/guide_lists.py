"""The editors' guide's lists made from the content: topics, question keys.

The guide (``content/README.md``) asks editors to reuse existing topics and
to name guide questions by their keys; both lists live in the content, so
they are written into the guide from it (``./dev guide``), between two
marker lines, and ``./dev check`` warns when the guide's copy is out of
date. Nothing here is typed by hand, so it stays true."""

from __future__ import annotations

import collections
import os
import re

from portal import frontmatter
from portal.problems import Problem, Severity
from portal.questions import load_questions

GUIDE = "README.md"  # in the content folder
BEGIN = "<!-- BEGIN content lists: made by `./dev guide` from the content -->"
END = "<!-- END content lists -->"
_BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)


def topics_in_use(content_path: str) -> list[tuple[str, int]]:
    """Every topic stories use, with how many use it: most used first."""
    counts: collections.Counter[str] = collections.Counter()
    stories = os.path.join(content_path, "stories")
    for folder in sorted(os.listdir(stories)) if os.path.isdir(stories) else []:
        path = os.path.join(stories, folder, "story.md")
        if folder.startswith(".") or not os.path.isfile(path):
            continue
        try:
            with open(path, encoding="utf-8-sig") as handle:
                data = frontmatter.split(handle.read()).data
        except (OSError, UnicodeDecodeError, frontmatter.FrontMatterError):
            continue  # the check reports the file itself
        topics = data.get("topics")
        if isinstance(topics, list):
            counts.update({str(t).strip() for t in topics if str(t).strip()})
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].lower()))


def lists_markdown(content_path: str) -> str:
    """The block the guide holds, markers included."""
    lines = [BEGIN, "", "### Topics in use", ""]
    topics = topics_in_use(content_path)
    if topics:
        lines.append(
            ", ".join(
                f"`{topic}` ({count} {'story' if count == 1 else 'stories'})"
                for topic, count in topics
            )
        )
    else:
        lines.append("No story has topics yet.")
    lines += ["", "### The guide's questions, by key (for chapters' `question:`)", ""]
    loaded = load_questions(content_path)
    questions = list(loaded.value.root) if loaded.value else []
    if questions:
        lines += ["| key | question |", "|---|---|"]
        for question in questions:
            wording = " ".join(question.question.split()).replace("|", "\\|")
            lines.append(f"| `{question.key}` | {wording} |")
    else:
        lines.append("`content/data/questions.yml` has no questions yet.")
    lines += ["", END]
    return "\n".join(lines)


def refreshed(text: str, content_path: str) -> str:
    """The guide's text with its block made afresh (added at the end if none)."""
    block = lists_markdown(content_path)
    if _BLOCK.search(text):
        return _BLOCK.sub(lambda _: block, text, count=1)
    return (
        text.rstrip("\n") + "\n\n## Topics and question keys in use\n\n" + block + "\n"
    )


def update_guide(content_path: str) -> bool:
    """Rewrite the guide's block from the content; True if it changed."""
    path = os.path.join(content_path, GUIDE)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    new = refreshed(text, content_path)
    if new != text:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(new)
    return new != text


def stale_guide(content_path: str, shown_as: str) -> list[Problem]:
    """A warning when the guide's lists no longer match the content."""
    path = os.path.join(content_path, GUIDE)
    if not os.path.isfile(path):
        return []
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    found = _BLOCK.search(text)
    if found is None or found.group(0) == lists_markdown(content_path):
        return []
    line = text[: found.start()].count("\n") + 1
    return [
        Problem(
            shown_as,
            "topics and question keys",
            "the lists of topics and question keys in use are out of date",
            "run `./dev guide` to write them again from the content, and commit",
            line,
            Severity.WARNING,
        )
    ]
