"""Funder credits: ``content/data/funders.yml`` to a page and a footer strip.

Templates get:
- ``funders``: every funder in order (``CreditedFunder``: name, url, tier,
  logo), for the credit strip in the footer;
- ``funder_groups``: the same funders under their tier's title, for the
  funders page (one untitled group when no tiers are used).

A funder's logo (any format and size, see ``logos.py``) is normalized to
``FUNDERS_LOGO_HEIGHT`` pixels and written as WebP and PNG under
``FUNDERS_OUTPUT_DIR``, at each height the pages show it at for 1x and 2x
screens (``data.DISPLAY_HEIGHTS``, ``data.DENSITIES``); a funder without a
logo, or with a logo that cannot be used, is credited by name. Problems name
the file, the line, the field and the fix; production builds
(``STORY_STRICT``) stop on them.

Settings (defaults and checks in ``settings()``):
- ``FUNDERS_LOGO_HEIGHT`` (default 120): pixel height every logo is
  normalized to, and the most any of its files has. The theme shows logos
  40 and 60 CSS pixels high, so its 2x files are 80 and 120.
- ``FUNDERS_LOGO_MAX_WIDTH`` (default 600): a wider logo is scaled down to
  this width (and so comes out less high).
- ``FUNDERS_OUTPUT_DIR`` (default ``funders/logos``): where logos go in the
  output.
"""

from __future__ import annotations

import logging
import os

from pelican import signals
from slugify import slugify

from portal.paths import special_kind
from portal.problems import Problem, Severity, report_problems

from .data import (
    CreditedFunder,
    Logo,
    LogoFile,
    file_heights,
    grouped,
    in_order,
    load_funders,
)
from .logos import LogoCache, LogoError, copy_file

logger = logging.getLogger(__name__)

DEFAULTS = {
    "FUNDERS_LOGO_HEIGHT": 120,
    "FUNDERS_LOGO_MAX_WIDTH": 600,
    "FUNDERS_OUTPUT_DIR": "funders/logos",
}
# Upscaling a logo more than this makes it visibly blurry.
BLURRY_SCALE = 2.0


def settings(pelican_settings) -> dict:
    out = {key: pelican_settings.get(key, value) for key, value in DEFAULTS.items()}
    for key in ("FUNDERS_LOGO_HEIGHT", "FUNDERS_LOGO_MAX_WIDTH"):
        value = out[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 16:
            raise ValueError(f"{key} must be a whole number of pixels, 16 or more")
    if out["FUNDERS_LOGO_MAX_WIDTH"] < out["FUNDERS_LOGO_HEIGHT"]:
        raise ValueError("FUNDERS_LOGO_MAX_WIDTH must be at least FUNDERS_LOGO_HEIGHT")
    folder = str(out["FUNDERS_OUTPUT_DIR"]).strip("/")
    if not folder or ".." in folder.split("/"):
        raise ValueError("FUNDERS_OUTPUT_DIR must be a folder inside the output")
    out["FUNDERS_OUTPUT_DIR"] = folder
    return out


def data_folder(content_path: str) -> str:
    return os.path.join(content_path, "data")


def logo_path(content_path: str, name: str) -> str:
    """The logo's file, which must be inside content/data/ (no '..', links)."""
    fix = "put the logo in content/data/funders/ and write funders/<file name>"
    if os.path.isabs(name) or name.startswith(("/", "\\")) or ":" in name[:3]:
        raise LogoError(f"'{name}' is an absolute path", fix)
    if ".." in name.replace("\\", "/").split("/"):
        raise LogoError(f"'{name}' points outside content/data/", fix)
    folder = os.path.realpath(data_folder(content_path))
    path = os.path.join(folder, *name.replace("\\", "/").split("/"))
    if os.path.commonpath([folder, os.path.realpath(path)]) != folder:
        raise LogoError(f"'{name}' is a link to a file outside content/data/", fix)
    kind = special_kind(path)
    if kind:  # a FIFO blocks, a device never ends: never opened
        raise LogoError(f"'{name}' is {kind}, not a file", "replace it with the logo")
    if not os.path.isfile(path):
        raise LogoError(f"'{name}' does not exist in content/data/", fix)
    return path


class FundersGenerator:
    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.path = path
        self.output_path = output_path
        self.options = globals()["settings"](settings)
        self.copies: list[tuple[str, str]] = []

    def generate_context(self):
        loaded = load_funders(self.path)
        problems = list(loaded.problems)
        credited: list[CreditedFunder] = []
        height = self.options["FUNDERS_LOGO_HEIGHT"]
        cache = LogoCache(
            self.settings.get("CACHE_PATH") or os.path.join(self.path, ".cache"),
            height,
            self.options["FUNDERS_LOGO_MAX_WIDTH"],
            file_heights(height),
        )
        data = loaded.value
        for position, funder in in_order(data) if data else []:
            logo = None
            if funder.logo:
                loc = ("funders", position, "logo")
                field = f"funders.{position}.logo"
                try:
                    logo, drawn_height = self._logo(cache, funder)
                except LogoError as error:
                    problems.append(
                        loaded.problem(field, error.problem, error.fix, loc)
                    )
                else:
                    if drawn_height * BLURRY_SCALE < logo.height:
                        problems.append(
                            Problem(
                                loaded.path,
                                field,
                                f"'{funder.logo}' is only {drawn_height} pixels "
                                "high and will look blurry",
                                "ask the funder for a larger logo, or an SVG",
                                loaded.line_of(loc),
                                Severity.WARNING,
                            )
                        )
            credited.append(CreditedFunder(funder.name, funder.url, funder.tier, logo))
        cache.save()
        if cache.processed or cache.reused:
            logger.info(
                "[funders] logos: %d made, %d unchanged (from the cache)",
                cache.processed,
                cache.reused,
            )
        self._report(problems, loaded.path, data)
        self.context["funders"] = credited
        self.context["funder_groups"] = grouped(data, credited) if data else []

    def _logo(self, cache: LogoCache, funder) -> tuple[Logo, int]:
        """The funder's logo in the output, and the drawing's own height."""
        normalized = cache.normalized(logo_path(self.path, funder.logo))
        folder = self.options["FUNDERS_OUTPUT_DIR"]
        stem = f"{folder}/{slugify(funder.name)[:60] or 'funder'}-{normalized.digest}"
        files = {}
        for height, (webp, png) in normalized.files.items():
            files[height] = LogoFile(f"{stem}-{height}.webp", f"{stem}-{height}.png")
            self.copies.append((webp, files[height].webp))
            self.copies.append((png, files[height].png))
        logo = Logo(
            files=files,
            width=normalized.width,
            height=normalized.height,
            alt=funder.logo_alt or funder.name,
            drawn_for=self.options["FUNDERS_LOGO_HEIGHT"],
        )
        return logo, normalized.source_height

    def _report(self, problems: list[Problem], path: str, data) -> None:
        report_problems(self.context, self.settings, problems, logger, "[funders] ")
        if data is None and not problems:
            logger.info("[funders] %s is missing: no funders are credited", path)

    def generate_output(self, writer):
        for source, target in self.copies:
            copy_file(source, os.path.join(self.output_path, *target.split("/")))


def get_generators(pelican):
    return FundersGenerator


def register():
    signals.get_generators.connect(get_generators)
