"""Lighthouse performance of the main pages: a measurement, not a test.

Builds the committed sample content (development settings: relative URLs,
so any port serves it; assets minified, fingerprinted and precompressed as
in production), serves it with
portal.devserver and runs Lighthouse's performance category (mobile
profile: a mid-range phone on throttled 4G) once a page, or --runs times
keeping the median. Writes benchmarks/results-lighthouse.json.

    .venv/bin/python benchmarks/lighthouse.py [--runs 3]

Accessibility, best practices and SEO are asserted by
tests/test_lighthouse.py."""

from __future__ import annotations

import argparse
import datetime
import json
import pathlib
import platform
import statistics
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal import devserver  # noqa: E402
from tests import lighthouse  # noqa: E402
from tests.support import build_site  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results-lighthouse.json"
# The metrics Lighthouse's performance score is made of.
METRICS = {
    "first-contentful-paint": "FCP ms",
    "largest-contentful-paint": "LCP ms",
    "total-blocking-time": "TBT ms",
    "cumulative-layout-shift": "CLS",
    "speed-index": "Speed Index ms",
}


def _pages(output: pathlib.Path) -> dict[str, str]:
    listing = (output / "stories" / "index.html").read_text(encoding="utf-8")
    marker = 'class="story-card__title"><a href="'
    story = listing.split(marker, 1)[1].split('"', 1)[0]
    return {
        "home": "/",
        "story": "/stories/" + story.rstrip("/").rsplit("/", 1)[1] + "/",
        "stories": "/stories/",
        "search": "/search/",
        "questions": "/questions/",
        "podcast": "/podcast/",
    }


def _measure(url: str) -> dict:
    report = lighthouse.run(url, ["performance"])
    out = {"score": round(report["categories"]["performance"]["score"] * 100)}
    for audit, label in METRICS.items():
        value = report["audits"][audit]["numericValue"]
        out[label] = (
            round(value, 3) if audit == "cumulative-layout-shift" else round(value)
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="runs a page (median)")
    args = parser.parse_args()
    why_not = lighthouse.available()
    if why_not:
        sys.exit(f"{why_not}: run ./dev test once to install it")
    with tempfile.TemporaryDirectory() as work:
        output = build_site(ROOT / "content", pathlib.Path(work) / "output")
        results = {}
        with devserver.running(output) as base:
            for name, path in _pages(output).items():
                runs = [_measure(base + path) for _ in range(args.runs)]
                median = {
                    key: statistics.median(run[key] for run in runs) for key in runs[0]
                }
                results[name] = {"path": path, **median}
                print(name, path, median, flush=True)
    RESULTS.write_text(
        json.dumps(
            {
                "when": datetime.datetime.now(datetime.UTC).isoformat(
                    timespec="seconds"
                ),
                "machine": f"{platform.machine()}, {platform.python_version()}",
                "lighthouse": "12.2.3, mobile profile (simulated throttling)",
                "runs": args.runs,
                "pages": results,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
