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

    def github_annotation(self) -> str:
        """The workflow command GitHub Actions turns into a line annotation."""
        level = "error" if self.is_error else "warning"
        text = f"{self.field}: {self.message} - {self.fix}".replace("\n", " ")
        return f"::{level} file={self.path},line={self.line or 1}::{text}"


class StoryContentError(Exception):
    """Raised by strict (production) builds when content has errors."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(
            f"{len(problems)} content error(s) stop this production build:\n{lines}"
        )
