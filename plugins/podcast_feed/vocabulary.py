"""The fixed vocabularies a feed must use: Apple's categories, person roles.

Both ship as data files beside this module, so updating them when Apple or
the Podcast Taxonomy Project changes a list is an edit to a YAML file."""

from __future__ import annotations

import functools
import pathlib

import yaml

DATA = pathlib.Path(__file__).parent / "data"
SEPARATOR = " > "


@functools.cache
def apple_categories() -> dict[str, tuple[str, ...]]:
    """Apple's categories, each with its subcategories, in Apple's order."""
    data = yaml.safe_load((DATA / "apple_categories.yml").read_text("utf-8"))
    return {category: tuple(subs or ()) for category, subs in data.items()}


def category_choices() -> list[str]:
    """Every value an editor may write: "Arts" or "Arts > Books"."""
    out = []
    for category, subcategories in apple_categories().items():
        out.append(category)
        out += [f"{category}{SEPARATOR}{sub}" for sub in subcategories]
    return out


def parse_category(text: str) -> tuple[str, str | None]:
    """("Society & Culture", "Documentary") from "Society & Culture > Documentary".

    Raises ValueError naming the allowed values when Apple has no such
    category; the case must match Apple's exactly, as Apple compares text."""
    category, _, subcategory = (part.strip() for part in text.partition(">"))
    known = apple_categories()
    if category not in known or (subcategory and subcategory not in known[category]):
        raise ValueError(
            f"'{text}' is not in Apple's list of podcast categories; use one of: "
            + "; ".join(category_choices())
        )
    return category, subcategory or None


@functools.cache
def person_roles() -> dict[str, tuple[str, ...]]:
    """group -> roles, all lowercase (the namespace ignores case)."""
    data = yaml.safe_load((DATA / "person_roles.yml").read_text("utf-8"))
    return {
        group.lower(): tuple(role.lower() for role in roles)
        for group, roles in data.items()
    }


def group_of(role: str) -> str | None:
    """The taxonomy group of a role ("guest" -> "cast"); cast wins ties."""
    role = role.lower()
    groups = person_roles()
    if role in groups["cast"]:
        return "cast"
    return next((group for group, roles in groups.items() if role in roles), None)
