"""Split a Markdown file into YAML front matter and body, keeping line numbers.

Editors get messages like ``story.md:12: approval.approved_on: ...``, so the
loader remembers on which line every key and list item starts."""

from __future__ import annotations

import array
import calendar
import dataclasses
import functools
import re
from collections.abc import Iterator, Mapping

import yaml

FENCE = "---"


class FrontMatterError(ValueError):
    """The front matter cannot be read at all (no fence, broken YAML)."""

    def __init__(self, message: str, fix: str, line: int = 1, field: str = ""):
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.line = line
        # The field it is about ("date"), or "" when it is about the whole.
        self.field = field


@dataclasses.dataclass
class FrontMatter:
    data: dict
    body: str
    body_line: int  # the line of the file where the Markdown body starts
    lines: dict[tuple, int]  # (key, index, key...) -> 1-based line in the file

    def line_of(self, loc: tuple) -> int:
        """The line of the deepest known part of a field path."""
        return line_of(self.lines, loc, default=2)


class FieldLines(Mapping):
    """Field path -> line, as a story's record keeps it for the whole build.

    Only messages read it, yet every story holds one for every field and
    list item (fifty paths is usual). As a dict of tuples that is some 10 KB
    a story, 100 MB for 10,000 stories. Here the paths are kept once for all
    the stories whose front matter has the same shape (most of them), in
    one shared table, and each story keeps only its line numbers, packed."""

    __slots__ = ("_index", "_numbers")

    # The field paths of each shape of front matter -> each path's position.
    _tables: dict[tuple, dict[tuple, int]] = {}

    def __init__(self, lines: Mapping[tuple, int] | None = None):
        lines = dict(lines or {})
        paths = tuple(lines)
        index = self._tables.get(paths)
        if index is None:
            index = self._tables.setdefault(
                paths, {path: at for at, path in enumerate(paths)}
            )
        self._index = index
        self._numbers = array.array("L", lines.values())

    def __getitem__(self, path: tuple) -> int:
        return self._numbers[self._index[path]]

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __reduce__(self):
        # Pickled (Pelican's reader cache) as the plain mapping it stands for.
        return FieldLines, (dict(self),)

    def __repr__(self) -> str:
        return f"FieldLines({dict(self)!r})"


def line_of(lines: Mapping[tuple, int], loc, default: int | None = None) -> int | None:
    """The line of the deepest part of the field path ``loc`` in ``lines``.

    ``("participants", 1, "name")`` falls back to the line of
    ``("participants", 1)``, then of ``("participants",)``: a message about a
    field that is missing points at the nearest thing that is there."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return default


def split(text: str) -> FrontMatter:
    """Parse ``---`` fenced YAML at the top of ``text``."""
    if text.startswith("\ufeff"):
        # A byte-order mark is invisible in most editors; accept it.
        text = text[1:]
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise FrontMatterError(
            "the file does not start with front matter",
            "put a line with --- first, the YAML fields, then another --- line",
        )
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == FENCE:
            end = index
            break
    else:
        raise FrontMatterError(
            "the front matter has no closing --- line",
            "add a line with --- after the last field",
        )
    yaml_text = "".join(lines[1:end])
    data, positions = _load_with_lines(yaml_text, first_line=2)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError(
            "the front matter is not a list of fields",
            "write one 'field: value' per line between the --- lines",
        )
    return FrontMatter(
        data=data,
        body="".join(lines[end + 1 :]),
        body_line=end + 2,
        lines=positions,
    )


def load_yaml(text: str) -> tuple[object, dict[tuple, int]]:
    """A YAML data file (``content/data/*.yml``) and the line of every key.

    Raises FrontMatterError (message, fix, line) when the YAML is broken."""
    return _load_with_lines(text, first_line=1)


# libyaml's parser when PyYAML has it (the wheels do): the same nodes, marks
# and errors as the pure-Python SafeLoader, about ten times faster, which
# matters at thousands of stories (benchmarks/README.md).
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


class _Loader(_BaseLoader):
    """YAML 1.1 reads ``1:30`` as a number in base 60 (90), and ``0:01.3``
    as 1.3: a time an editor wrote would come out as a decimal we could not
    tell from one they typed. As YAML 1.2 (and the editing app) does, a
    plain value with a colon stays the text it is; times are parsed as
    times (``portal.timecode``)."""

    def resolve(self, kind, value, implicit):
        tag = super().resolve(kind, value, implicit)
        if tag in _NUMBER_TAGS and ":" in value:
            return "tag:yaml.org,2002:str"
        return tag


# YAML aliases (``&name`` ... ``*name``) repeat a value without copying it; a
# few lines nesting them ("billion laughs") stand for billions of values, and
# everything that reads the data (line numbers, validation, pages) expands
# them. Content needs few repeats: more than these is refused before any is.
MAX_ALIASES = 100
MAX_EXPANDED_VALUES = 100_000


def _load_with_lines(yaml_text: str, first_line: int) -> tuple[object, dict]:
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        _refuse_alias_bombs(node, first_line)
        positions: dict[tuple, int] = {}
        _walk(node, (), positions, first_line)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark else 0)
        problem = error.problem or "invalid YAML"
        fix = (
            "check the indentation and put quotes around values with a colon "
            "or that start with a special character"
        )
        if mark and _indented_with_a_tab(yaml_text, mark.line):
            # YAML indents with spaces only, and a tab looks like spaces.
            problem = "a tab is used to indent it"
            fix = "replace the tab at the start of the line with spaces"
        raise FrontMatterError(
            f"the YAML cannot be read ({problem})", fix, line
        ) from error
    except yaml.YAMLError as error:
        raise FrontMatterError(
            f"the YAML cannot be read ({error})", "fix the YAML syntax", first_line
        ) from error
    finally:
        loader.dispose()
    return data, positions


def _indented_with_a_tab(yaml_text: str, index: int) -> bool:
    """Does line ``index`` (from 0) of ``yaml_text`` start with a tab among
    its leading blanks?"""
    lines = yaml_text.splitlines()
    if not 0 <= index < len(lines):
        return False
    line = lines[index]
    return "\t" in line[: len(line) - len(line.lstrip(" \t"))]


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _refuse_alias_bombs(root, first_line: int) -> None:
    """FrontMatterError if aliases make the document too large, or refer to
    a value that contains them. Counted without expanding anything: each
    node's expanded size once, from its children's."""
    fix = (
        "write the values out in full; aliases (&name and *name) are for a few "
        "small repeats only"
    )
    sizes: dict[int, int] = {}
    seen: set[int] = set()
    aliases = 0
    stack = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > MAX_EXPANDED_VALUES:
                # The first (smallest) value past the limit: where to look.
                raise FrontMatterError(
                    f"its aliases (*name) stand for more than "
                    f"{MAX_EXPANDED_VALUES:,} values",
                    fix,
                    first_line + node.start_mark.line,
                )
            continue
        if key in seen:
            aliases += 1
            line = first_line + node.start_mark.line
            if key in open_nodes:
                raise FrontMatterError(
                    "an alias refers to the value that contains it", fix, line
                )
            if aliases > MAX_ALIASES:
                raise FrontMatterError(
                    f"more than {MAX_ALIASES} aliases (*name)", fix, line
                )
            continue
        seen.add(key)
        open_nodes.add(key)
        stack.append((node, True))
        for child in reversed(_children(node)):
            stack.append((child, False))


def _walk(node, path: tuple, positions: dict, offset: int) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = (*path, key_node.value)
            line = key_node.start_mark.line + offset
            if key in positions:
                _refuse_duplicate(key, positions[key], line)
            positions[key] = line
            _walk(value_node, key, positions, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key = (*path, index)
            positions[key] = item.start_mark.line + offset
            _walk(item, key, positions, offset)
    elif node.tag == TIMESTAMP_TAG:
        _refuse_impossible_date(node, path, offset)


TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")


@functools.cache
def _timestamps():
    """A loader only to construct timestamps with (one a process)."""
    return _Loader("")


def _refuse_impossible_date(node, path: tuple, offset: int) -> None:
    """YAML reads 2026-13-01 as a date, then fails to make one with a bare
    ValueError ("month must be in 1..12"): said here as an editor's mistake,
    with its field and line."""
    try:
        _timestamps().construct_yaml_timestamp(node)
    except ValueError:
        year, month, day = (int(part) for part in _DATE.match(node.value).groups())
        field = ".".join(str(part) for part in path)
        line = node.start_mark.line + offset
        if not 1 <= month <= 12:
            why = f"there is no month {month}"
        elif day < 1:
            why = f"there is no day {day}"
        elif day > calendar.monthrange(year, month)[1]:
            days = calendar.monthrange(year, month)[1]
            why = f"{calendar.month_name[month]} {year} has {days} days, not {day}"
        else:  # the day is right: the time of day is not
            raise FrontMatterError(
                f"'{node.value}' has a time of day no clock shows",
                "write the time as HH:MM with hours from 00 to 23, like "
                f"{year:04d}-{month:02d}-{day:02d} 14:30:00-05:00, or leave it out",
                line,
                field,
            ) from None
        raise FrontMatterError(
            f"'{node.value}' is not a day on the calendar ({why})",
            "write the date as YYYY-MM-DD: the year, the month (01 to 12), then "
            "the day",
            line,
            field,
        ) from None


def _refuse_duplicate(key: tuple, first: int, second: int) -> None:
    """YAML lets a second ``status:`` silently replace the first; which one
    the editor meant cannot be told, so neither is taken."""
    field = ".".join(str(part) for part in key)
    raise FrontMatterError(
        f"'{field}' is written twice, on lines {first} and {second}",
        "keep only the one with the value you mean and delete the other",
        second,
    )
