"""Run Pagefind over a built site: the search index and its web bundle.

Pagefind reads the HTML the build wrote, so it indexes exactly what is
public: held-back stories were never written and cannot be indexed. Only
elements marked ``data-pagefind-body`` are indexed (story pages and
campaign pages, see the theme). A site with more indexed pages than
``SITE_SEARCH_PART_PAGES`` is indexed in parts (``parts.py``)."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import tempfile

import pagefind_bin

from . import parts

logger = logging.getLogger(__name__)


class SearchIndexError(RuntimeError):
    pass


def pagefind_command(site: str, options: dict, output: str | None = None) -> list[str]:
    """Pagefind over ``site``; the bundle goes to ``output`` if given, else
    to the bundle folder inside ``site``."""
    command = [str(pagefind_bin.get_executable()), "--site", site]
    if output:
        command += ["--output-path", output]
    else:
        command += ["--output-subdir", options["SITE_SEARCH_BUNDLE"].rstrip("/")]
    command += [
        "--force-language",
        options["SITE_SEARCH_LANGUAGE"],
    ]
    selectors = options["SITE_SEARCH_EXCLUDE_SELECTORS"]
    if selectors:
        command += ["--exclude-selectors", ",".join(selectors)]
    return command


def build_index(site: str, options: dict, workers: int = 1) -> int:
    """Index ``site`` (the output folder); the number of pages indexed."""
    bundle = os.path.join(site, options["SITE_SEARCH_BUNDLE"])
    # A bundle left from an earlier build would keep pages that are gone.
    shutil.rmtree(bundle, ignore_errors=True)
    per_part = options["SITE_SEARCH_PART_PAGES"]
    pages = parts.indexed_pages(site, os.path.normpath(bundle))
    if len(pages) <= per_part:
        count = _run_pagefind(pagefind_command(site, options), site)
        part_folders = []
    else:
        count, part_folders = _build_in_parts(site, bundle, pages, options, workers)
    with open(os.path.join(bundle, parts.PARTS_FILE), "w", encoding="utf-8") as f:
        json.dump({"parts": [f"{name}/" for name in part_folders]}, f)
    logger.info(
        "[site_search] Pagefind indexed %d pages into %s (%d parts)",
        count,
        bundle,
        len(part_folders) + 1,
    )
    return count


def _build_in_parts(
    site: str, bundle: str, pages: list[str], options: dict, workers: int
) -> tuple[int, list[str]]:
    """One Pagefind run for each part of the pages (see ``parts.py``)."""
    vocabulary_html = parts.vocabulary_page(parts.vocabulary(site, pages, workers))
    # Staging copies are hard links, so they live beside the output (the
    # same file system), and go when indexing ends, whatever happens.
    scratch = tempfile.mkdtemp(
        prefix=".site-search-", dir=os.path.dirname(os.path.abspath(site))
    )
    count, folders = 0, []
    try:
        for number, group in enumerate(
            parts.split(pages, options["SITE_SEARCH_PART_PAGES"]), 1
        ):
            staging = os.path.join(scratch, str(number))
            parts.stage(site, group, staging, vocabulary_html)
            if number == 1:
                output = bundle
            else:
                folders.append(parts.part_folder(number))
                output = os.path.join(bundle, folders[-1])
            command = pagefind_command(staging, options, output=output)
            count += _run_pagefind(command, site) - 1  # not the vocabulary page
            shutil.rmtree(staging)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return count, folders


def _run_pagefind(command: list[str], site: str) -> int:
    """Run Pagefind; the number of pages it indexed."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
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
    return int(found.group(1)) if found else 0
