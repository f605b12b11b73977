"""Where a story was recorded, as browse pages and search group it.

Editors write a location the way people say it ("Tulsa, Oklahoma",
"Decorah, IA", "Puerto Rico"). For US locations the state is recognized by
the ``us`` package, by name or postal abbreviation, so "Tulsa, OK" and
"Tulsa, Oklahoma" land on the same state page. Anything else keeps the
region as written."""

from __future__ import annotations

import dataclasses
import functools

import us
from pelican.utils import slugify

# Pelican's own slug rules, so place URLs look like topic URLs.
_SLUG_SUBS = [
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]


@dataclasses.dataclass(frozen=True)
class Place:
    state: str  # "Alabama"; the region as written outside the US
    city: str | None  # "Birmingham"; None when only a state was given
    country: str = "US"

    @property
    def state_slug(self) -> str:
        return slug(
            self.state if self.country == "US" else f"{self.state} {self.country}"
        )

    @property
    def city_slug(self) -> str | None:
        return slug(self.city) if self.city else None

    @property
    def label(self) -> str:
        return f"{self.city}, {self.state}" if self.city else self.state


@functools.lru_cache(maxsize=4096)
def slug(text: str) -> str:
    # Cached: the few place names of a site are slugged again for every
    # pair of stories compared for "related stories" (a tenth of a rebuild).
    return slugify(text, regex_subs=_SLUG_SUBS) or "unnamed"


def _us_state(text: str) -> str | None:
    # ``lookup`` also matches by sound-alike (metaphone); only accept a
    # match whose name or abbreviation is what the editor wrote.
    state = us.states.lookup(text.strip().rstrip("."))
    if state is None:
        return None
    written = text.strip().rstrip(".").lower()
    if written in (state.name.lower(), state.abbr.lower()):
        return state.name
    return None


def place_of(location) -> Place | None:
    """The state and city of a ``portal.schema.Location`` (or None)."""
    if location is None:
        return None
    name = " ".join(location.name.split())
    country = location.country
    if "," in name:
        city, region = (part.strip() for part in name.rsplit(",", 1))
        if country == "US":
            state = _us_state(region)
            if state is not None:
                return Place(state, city or None, country)
        return Place(region or city, city if region else None, country)
    if country == "US" and (state := _us_state(name)) is not None:
        return Place(state, None, country)
    return Place(name, None, country)
