"""Run Pagefind over a built site: the search index and its web bundle.

Pagefind reads the HTML the build wrote, so it indexes exactly what is
public: held-back stories were never written and cannot be indexed. Only
elements marked ``data-pagefind-body`` are indexed (story pages and
campaign pages, see the theme)."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess

import pagefind_bin

logger = logging.getLogger(__name__)


class SearchIndexError(RuntimeError):
    pass


def pagefind_command(site: str, options: dict) -> list[str]:
    command = [
        str(pagefind_bin.get_executable()),
        "--site",
        site,
        "--output-subdir",
        options["SITE_SEARCH_BUNDLE"].rstrip("/"),
        "--force-language",
        options["SITE_SEARCH_LANGUAGE"],
    ]
    selectors = options["SITE_SEARCH_EXCLUDE_SELECTORS"]
    if selectors:
        command += ["--exclude-selectors", ",".join(selectors)]
    return command


def build_index(site: str, options: dict) -> int:
    """Index ``site`` (the output folder); the number of pages indexed."""
    bundle = os.path.join(site, options["SITE_SEARCH_BUNDLE"])
    # A bundle left from an earlier build would keep pages that are gone.
    shutil.rmtree(bundle, ignore_errors=True)
    try:
        done = subprocess.run(
            pagefind_command(site, options),
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        raise SearchIndexError(
            f"Pagefind could not run ({error}) - reinstall it with "
            "pip install -r requirements.txt"
        ) from error
    output = (done.stdout or "") + (done.stderr or "")
    if done.returncode != 0:
        raise SearchIndexError(
            f"Pagefind failed indexing {site} (exit {done.returncode}):\n{output}"
        )
    found = re.search(r"Indexed (\d+) pages?", output)
    pages = int(found.group(1)) if found else 0
    logger.info("[site_search] Pagefind indexed %d pages into %s", pages, bundle)
    return pages
