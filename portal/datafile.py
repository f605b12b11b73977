"""Data files editors commit under content/data/ (funders, forms, questions).

Each is YAML checked against a pydantic model. Problems come back as
``portal.problems.Problem`` with the file, the line, the dotted field and a
fix, exactly like story problems, so editors read one kind of message."""

from __future__ import annotations

import dataclasses
import os
from typing import Any, Generic, TypeVar

import pydantic

from portal import frontmatter, paths
from portal.problems import Problem
from portal.schema import did_you_mean

Model = TypeVar("Model", bound=pydantic.BaseModel)


@dataclasses.dataclass
class DataFile(Generic[Model]):
    path: str  # as editors see it: relative to the project, forward slashes
    value: Model | None  # None when the file is missing or has errors
    problems: list[Problem]
    lines: dict[tuple, int]

    def line_of(self, loc) -> int | None:
        return frontmatter.line_of(self.lines, loc)

    def problem(self, field: str, message: str, fix: str, loc=None) -> Problem:
        """A problem at ``loc`` (a key path like ("forms", "match", "page"))."""
        line = self.line_of(loc) if loc else None
        return Problem(self.path, field, message, fix, line)


def editor_path(path: str | os.PathLike, content_path: str) -> str:
    """``path`` relative to the project (the folder holding content/)."""
    root = os.path.dirname(os.path.abspath(content_path))
    return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")


def load(
    path: str | os.PathLike,
    model: type[Model],
    content_path: str,
    help_text: dict[str, str] | None = None,
) -> DataFile[Model]:
    """Read and validate ``path``; a missing file is ``value=None``, no problem."""
    relative = editor_path(path, content_path)
    if not os.path.exists(path):
        return DataFile(relative, None, [], {})
    kind = paths.special_kind(path)
    if kind or not paths.inside(content_path, path):
        what = f"is {kind}, not a file" if kind else "is a link to outside content/"
        fix = "replace it with the data file itself"
        return DataFile(relative, None, [Problem(relative, "file", what, fix)], {})
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except UnicodeDecodeError as error:
        return DataFile(
            relative,
            None,
            [
                Problem(
                    relative,
                    "file",
                    f"is not UTF-8 text (byte {error.start})",
                    "save the file as UTF-8 in your editor",
                )
            ],
            {},
        )
    try:
        data, lines = frontmatter.load_yaml(text)
    except frontmatter.FrontMatterError as error:
        return DataFile(
            relative,
            None,
            [
                Problem(
                    relative,
                    error.field or "file",
                    error.message,
                    error.fix,
                    error.line,
                )
            ],
            {},
        )
    result: DataFile[Model] = DataFile(relative, None, [], lines)
    try:
        result.value = model.model_validate({} if data is None else data)
    except pydantic.ValidationError as error:
        result.problems = [
            _problem(result, item, model, help_text or {})
            for item in error.errors(include_url=False)
        ]
    return result


def _problem(result: DataFile, item: dict[str, Any], model, help_text) -> Problem:
    loc = tuple(item["loc"])
    message = item["msg"].removeprefix("Value error, ")
    if not loc and ": " in message:
        # Checks across fields name their field first: "funders.2.tier: ...".
        named, message = message.split(": ", 1)
        loc = tuple(int(p) if p.isdigit() else p for p in named.split("."))
    field = ".".join(str(part) for part in loc) or "file"
    # Help for the field, or for the nearest enclosing field that has some.
    fix = next(
        (help_text[p] for p in reversed(loc) if isinstance(p, str) and p in help_text),
        "see the comments at the top of the file",
    )
    if item["type"] == "extra_forbidden":
        message = "is not a field we know"
        known = _known_fields(model, loc[:-1])
        fix = did_you_mean(str(loc[-1]), known) or "remove it (check the spelling)"
        if known:
            fix += "; known fields: " + ", ".join(sorted(known))
    elif item["type"] == "missing":
        message = "is required but missing"
        fix = f"add it: {fix}"
    elif item["type"] == "string_pattern_mismatch":
        # pydantic names the regular expression, which editors cannot read.
        message = f"'{item.get('input')}' is not in the form this field takes"
    return result.problem(field, message, fix, loc)


def _known_fields(model, loc: tuple) -> list[str]:
    """The field names allowed at ``loc`` in ``model`` (for spelling hints)."""
    current = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            # A mapping of names to models: the key is a name, not a field.
            continue
        current = _model_in(field.annotation)
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation):
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
