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

from .logos import scaled_size

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


# CSS pixel heights logos are shown at: the credit strip in every page's
# footer, and the funders page. The files made and the markup both follow
# these, so a change here is all a new height needs.
DISPLAY_HEIGHTS = {"strip": 40, "page": 60}
# Screen densities each display height has a file for: a 1x screen gets the
# small one, a 2x screen (and a denser one) the sharp one.
DENSITIES = (1, 2)


def file_height(shown: int, density: int, drawn_for: int) -> int:
    """The height of the file for logos ``shown`` pixels high at ``density``:
    never above the height logos are normalized to (never scaled up)."""
    return min(shown * density, drawn_for)


def file_heights(drawn_for: int) -> list[int]:
    """Every height logo files are made at (40, 60, 80 and 120 by default)."""
    return sorted(
        {
            file_height(shown, density, drawn_for)
            for shown in DISPLAY_HEIGHTS.values()
            for density in DENSITIES
        }
    )


@dataclasses.dataclass(frozen=True)
class LogoFile:
    """One size of a logo in the output: site-relative paths."""

    webp: str
    png: str


@dataclasses.dataclass(frozen=True)
class Candidate:
    file: LogoFile
    density: str  # srcset's descriptor, like "2x"


@dataclasses.dataclass(frozen=True)
class ShownLogo:
    """A logo as one place shows it: its CSS size and the files to pick from."""

    width: int  # CSS pixels, for the width and height attributes
    height: int
    candidates: list[Candidate]  # lowest density first

    @property
    def fallback(self) -> LogoFile:
        """The file for the img's src: the 1x one."""
        return self.candidates[0].file

    def srcset(self, kind: str, site_url: str) -> str:
        """``kind`` ("webp" or "png") files with density descriptors."""
        return ", ".join(
            f"{site_url}/{getattr(candidate.file, kind)} {candidate.density}"
            for candidate in self.candidates
        )


@dataclasses.dataclass(frozen=True)
class Logo:
    """A normalized logo in the output: its files and its pixel size."""

    files: dict[int, LogoFile]  # by height, as file_heights() gives them
    width: int  # the normalized logo's size, from which the files are scaled
    height: int
    alt: str
    drawn_for: int  # FUNDERS_LOGO_HEIGHT: the height of a logo that is not capped

    def display(self, height: int) -> tuple[int, int]:
        """CSS pixel size when logos are shown ``height`` pixels high.

        Every logo scales by the same factor, so a capped (very wide) logo
        stays as wide as the others may be, and the width and height
        attributes reserve its exact space before it loads."""
        return scaled_size((self.width, self.height), height / self.drawn_for)

    def shown(self, where: str) -> ShownLogo:
        """The logo as ``where`` (a key of DISPLAY_HEIGHTS) shows it."""
        height = DISPLAY_HEIGHTS[where]
        candidates: dict[int, Candidate] = {}
        for density in DENSITIES:
            drawn = file_height(height, density, self.drawn_for)
            # A file below the asked density (FUNDERS_LOGO_HEIGHT set low)
            # says what it is worth; one file is never offered twice.
            candidates.setdefault(
                drawn, Candidate(self.files[drawn], f"{drawn / height:g}x")
            )
        return ShownLogo(*self.display(height), list(candidates.values()))


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
