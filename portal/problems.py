"""Problems found in content, worded for editors.

Every problem prints as ``path:line: field: what is wrong - how to fix it`` so
an editor (or an editor's text editor, or GitHub) can jump to the line."""

from __future__ import annotations

import dataclasses
import enum


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclasses.dataclass(frozen=True)
class Problem:
    path: str  # relative to the project root, with forward slashes
    field: str  # dotted field name ("approval.approved_by") or "file"
    message: str  # what is wrong
    fix: str  # how to fix it
    line: int | None = None  # 1-based; None when no line applies
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line or 1}: {self.field}: {self.message} - {self.fix}"
        )

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def described(self) -> str:
        """The field, what is wrong and the fix: the words of the annotation
        on the line and of the run's job summary (portal.job_summary)."""
        return f"{self.field}: {self.message} - {self.fix}"

    def github_annotation(self) -> str:
        """The workflow command GitHub Actions turns into a line annotation."""
        level = "error" if self.is_error else "warning"
        text = github_escape(self.described)
        path = github_escape(self.path).replace(":", "%3A").replace(",", "%2C")
        return f"::{level} file={path},line={self.line or 1}::{text}"


def github_escape(text: str) -> str:
    """Workflow commands read %, CR and LF as syntax (GitHub's own escaping)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


class FixableError(ValueError):
    """Something a person can put right: ``problem`` says what is wrong and
    ``fix`` how to fix it; the message is "problem - fix", the wording of
    every Problem. The audio, transcript, image, path, deploy and new-story
    errors are all of this kind."""

    def __init__(self, problem: str, fix: str):
        super().__init__(f"{problem} - {fix}")
        self.problem = problem
        self.fix = fix


class StoryContentError(Exception):
    """Raised by strict (production) builds when content has errors."""

    def __init__(self, problems: list[Problem], intro: str = ""):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        count = (
            "1 content error stops"
            if len(problems) == 1
            else f"{len(problems)} content errors stop"
        )
        super().__init__(f"{intro}{count} this production build:\n{lines}")


# Where a build keeps every problem it found, so ``invoke check`` can report
# them all (the same checks, one implementation) instead of reading the log.
CONTEXT_KEY = "content_problems"
# ``extra=`` for log records that only repeat what the build reports anyway
# (held-back stories), so the check does not print them twice.
REPORTED = {"portal_reported": True}


def record_problems(context: dict, problems) -> None:
    """Add ``problems`` to the build's list in Pelican's shared context
    (once each: two plugins reading one data file report it once)."""
    recorded = context.setdefault(CONTEXT_KEY, [])
    recorded.extend(problem for problem in problems if problem not in recorded)


def is_production(settings) -> bool:
    """Production rules: a production build, or ``invoke check`` of one
    (which runs leniently to list every problem, but must call an error
    what the production build would stop on)."""
    return bool(settings.get("STORY_STRICT") or settings.get("STORY_CHECK_PRODUCTION"))


def report_problems(context: dict, settings, problems, log, prefix: str = "") -> None:
    """Report problems found outside the stories (data files, pages).

    The one way every plugin reports them, so a build and ``invoke check``
    see the same: a production build (``STORY_STRICT``) stops on any error;
    any other build logs every problem and keeps it in the context, where
    the check reads it."""
    problems = list(problems)
    errors = [problem for problem in problems if problem.is_error]
    if errors and settings.get("STORY_STRICT"):
        raise StoryContentError(errors)
    for problem in problems:
        (log.error if problem.is_error else log.warning)("%s%s", prefix, problem)
    record_problems(context, problems)
