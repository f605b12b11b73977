"""Run Lighthouse (npm ``lighthouse``, pinned in package.json) on a page with
Debian's Chromium, and read its report.

Shared by tests/test_lighthouse.py (accessibility, best practices, SEO) and
benchmarks/lighthouse.py (performance, a measurement rather than a test).
Lighthouse's default profile is a mid-range phone on a throttled mobile
network: the one the issue's scores were taken with."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess

PROJECT_ROOT = pathlib.Path(__file__).resolve().parent.parent
# package.json's; LIGHTHOUSE may name another install of the same version.
LIGHTHOUSE = pathlib.Path(
    os.environ.get("LIGHTHOUSE")
    or PROJECT_ROOT / "node_modules" / ".bin" / "lighthouse"
)
# Its package folder (for run_pages, which loads it in one Node process).
LIGHTHOUSE_PACKAGE = LIGHTHOUSE.resolve().parent.parent
PAGES_SCRIPT = PROJECT_ROOT / "tests" / "lighthouse_pages.mjs"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run"


class LighthouseError(RuntimeError):
    pass


def available() -> str | None:
    """Why Lighthouse cannot run here, or None when it can."""
    if not LIGHTHOUSE.exists():
        return f"Lighthouse is not installed ({LIGHTHOUSE})"
    if not os.path.exists(CHROMIUM):
        return f"Chromium not found at {CHROMIUM}"
    return None


def run(url: str, categories: list[str], timeout: float = 300) -> dict:
    """Lighthouse's JSON report (the ``lhr``) of ``url`` for ``categories``
    (``accessibility``, ``best-practices``, ``seo``, ``performance``)."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(categories)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    environment = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = subprocess.run(
        command, capture_output=True, text=True, env=environment, timeout=timeout
    )
    if done.returncode != 0:
        raise LighthouseError(
            f"lighthouse {url} failed ({done.returncode}): {done.stderr[-2000:]}"
        )
    report = json.loads(done.stdout)
    if report.get("runtimeError"):
        raise LighthouseError(f"lighthouse {url}: {report['runtimeError']}")
    return report


def run_pages(urls: list[str], categories: list[str], timeout: float = 600) -> dict:
    """Lighthouse's report of each of ``urls`` (url -> lhr), as ``run`` makes
    one, with one Node process and one Chromium for them all
    (tests/lighthouse_pages.mjs): starting both was about a third of each
    run. Without the full-page screenshot, which no audit scores. A page
    Lighthouse could not load raises LighthouseError."""
    command = [
        "node",
        str(PAGES_SCRIPT),
        str(LIGHTHOUSE_PACKAGE),
        CHROMIUM,
        CHROME_FLAGS,
        ",".join(categories),
        *urls,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise LighthouseError(
            f"lighthouse {urls} failed ({done.returncode}): {done.stderr[-2000:]}"
        )
    reports = json.loads(done.stdout)
    for url, report in reports.items():
        if report.get("runtimeError"):
            raise LighthouseError(f"lighthouse {url}: {report['runtimeError']}")
    return reports


def scores(report: dict) -> dict[str, float | None]:
    """Category id -> score from 0 to 1 (None when Lighthouse could not score)."""
    return {key: category["score"] for key, category in report["categories"].items()}


def failing_audits(report: dict, category: str) -> list[str]:
    """The audits that cost ``category`` points: id, title and the first few
    elements they name, so a failure says what to fix."""
    failing = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if not ref.get("weight") or audit.get("score") in (None, 1):
            continue  # costs nothing, or not applicable
        items = (audit.get("details") or {}).get("items") or []
        where = [
            (item.get("node") or {}).get("snippet") or item.get("url") or ""
            for item in items[:3]
        ]
        failing.append(f"{ref['id']}: {audit['title']} {where}")
    return failing
