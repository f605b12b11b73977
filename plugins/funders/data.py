"""``content/data/funders.yml``: who funds the campaign, in what order.

Funders are listed in the file's order unless they say otherwise: ``tier``
groups them (tiers in the order the file's ``tiers:`` list gives), ``order``
sorts within a tier (lower first; funders without one follow, in file
order)."""

from __future__ import annotations

import dataclasses
import os
import urllib.parse

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from portal import datafile

FUNDERS_FILE = os.path.join("data", "funders.yml")

HELP = {
    "funders": "a list of funders, each with 'name:' and optionally 'url:', "
    "'logo:', 'tier:' and 'order:'",
    "name": "the funder's name as they write it, like The Rockefeller Foundation",
    "url": "the funder's website, starting with https://",
    "logo": "a logo file in content/data/funders/, like funders/rockefeller.png "
    "(PNG, JPEG, WebP, GIF or SVG; any size)",
    "logo_alt": "the text the logo shows (the funder's name if left out)",
    "tier": "the key of one of the tiers listed under 'tiers:'",
    "order": "a whole number; lower numbers come first",
    "tiers": "a list of tiers, each with 'key:' and 'title:', in the order they appear",
    "key": "a short key in lowercase letters, like lead",
    "title": "the heading shown above the tier's funders, like Lead support",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Tier(_Strict):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1, max_length=120)


class Funder(_Strict):
    name: str = Field(min_length=1, max_length=200)
    url: str | None = None
    logo: str | None = None
    logo_alt: str | None = None
    tier: str | None = None
    order: int | None = None

    @field_validator("url")
    @classmethod
    def _web_address(cls, value):
        if value is None:
            return value
        parts = urllib.parse.urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError(
                f"'{value}' is not a web address; write it in full, starting "
                "with https://"
            )
        return value


class FundersFile(_Strict):
    tiers: list[Tier] = []
    funders: list[Funder] = []

    @model_validator(mode="after")
    def _consistent(self):
        keys = [tier.key for tier in self.tiers]
        for index, funder in enumerate(self.funders):
            if funder.tier is not None and funder.tier not in keys:
                known = ", ".join(keys) if keys else "none are listed under 'tiers:'"
                raise ValueError(
                    f"funders.{index}.tier: '{funder.tier}' is not a tier "
                    f"(tiers: {known})"
                )
        names = [funder.name for funder in self.funders]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"funders: '{name}' is listed twice")
        return self


@dataclasses.dataclass(frozen=True)
class Logo:
    """A normalized logo in the output: site-relative paths and pixel size."""

    webp: str
    png: str
    width: int
    height: int
    alt: str
    drawn_for: int  # FUNDERS_LOGO_HEIGHT: the height of a logo that is not capped

    def display(self, height: int) -> tuple[int, int]:
        """CSS pixel size when logos are shown ``height`` pixels high.

        Every logo scales by the same factor, so a capped (very wide) logo
        stays as wide as the others may be, and the width and height
        attributes reserve its exact space before it loads."""
        scale = height / self.drawn_for
        return max(1, round(self.width * scale)), max(1, round(self.height * scale))


@dataclasses.dataclass(frozen=True)
class CreditedFunder:
    """What templates print for one funder."""

    name: str
    url: str | None
    tier: str | None
    logo: Logo | None


@dataclasses.dataclass(frozen=True)
class FunderGroup:
    title: str | None  # None: no tiers are used
    funders: list[CreditedFunder]


def load_funders(content_path: str) -> datafile.DataFile[FundersFile]:
    path = os.path.join(content_path, FUNDERS_FILE)
    return datafile.load(path, FundersFile, content_path, HELP)


def in_order(data: FundersFile) -> list[tuple[int, Funder]]:
    """(file position, funder) sorted by tier, then order, then position."""
    tier_rank = {tier.key: rank for rank, tier in enumerate(data.tiers)}
    last = len(tier_rank)

    def sort_key(item):
        position, funder = item
        return (
            tier_rank.get(funder.tier, last),
            funder.order is None,
            funder.order or 0,
            position,
        )

    return sorted(enumerate(data.funders), key=sort_key)


def grouped(data: FundersFile, credited: list[CreditedFunder]) -> list[FunderGroup]:
    """Funders under their tier's title; one untitled group without tiers."""
    if not data.tiers:
        return [FunderGroup(None, credited)] if credited else []
    groups = []
    for tier in data.tiers:
        members = [funder for funder in credited if funder.tier == tier.key]
        if members:
            groups.append(FunderGroup(tier.title, members))
    rest = [funder for funder in credited if funder.tier is None]
    if rest:
        groups.append(FunderGroup("With support from", rest))
    return groups
