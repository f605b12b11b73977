"""What an editor waits for in the live preview: a measurement, not a test.

``./dev livereload``, ``preview-drafts`` and ``cms`` build each save twice
(``portal/preview_builds.py``): first with ``PAGES_FIRST`` (the pages, the
last build's search index, no compressed copies), which is when the open page
reloads, then the same build without it, in the background. Before that,
a save was one build, the index included. This script builds a corpus
(``corpus.py``'s, as ``run.py`` writes it) as those commands do
(``portal.publishing.build_aside`` with ``pelicanconf.py``, the cache of
its own) and times each step given:

- ``full``: one build of a save as before (and as the second build now);
- ``later``: the first build of a save now;
- ``edit``: a sentence added to one story (or taken out again).

    .venv/bin/python benchmarks/live_preview.py benchmarks/work/corpus-1000 \\
        full edit full edit later full

The first ``full`` on a new cache is a cold build. Prints a line a build and
writes them to ``results-live-preview-<N>.json`` beside this script."""

from __future__ import annotations

import argparse
import json
import pathlib
import resource
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402
from run import RUN_SETTINGS  # noqa: E402

from portal import publishing  # noqa: E402


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def build(root: pathlib.Path, output: pathlib.Path, cache: pathlib.Path, later: bool):
    """One build as the live preview makes it: (wall, CPU) seconds."""
    overrides = {
        **RUN_SETTINGS,
        "CACHE_PATH": str(cache),
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
    }
    if later:
        overrides["PAGES_FIRST"] = True
    cpu, start = _children_cpu(), time.monotonic()
    publishing.build_aside(
        output,
        "pelicanconf.py",
        content_path=root / "ours",
        project_root=ROOT,
        overrides=overrides,
    )
    return time.monotonic() - start, _children_cpu() - cpu


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=pathlib.Path, help="a corpus folder (corpus.py)")
    parser.add_argument("steps", nargs="+", choices=("full", "later", "edit"))
    args = parser.parse_args(argv)
    root = args.corpus.resolve()
    output = root.with_name(root.name + "-preview-output")
    cache = root.with_name(root.name + "-preview-cache")
    stories = sum(
        1 for folder in (root / "ours" / "stories").iterdir() if folder.is_dir()
    )
    results = []
    for step in args.steps:
        if step == "edit":
            corpus.edit_one_story(root)
            results.append({"step": "edit"})
            continue
        wall, cpu = build(root, output, cache, later=step == "later")
        behind = publishing.behind(output)
        results.append({"step": step, "wall": round(wall, 2), "cpu": round(cpu, 2),
                        "behind": behind})  # fmt: skip
        note = " (the search index behind)" if behind else ""
        print(f"{step}: {wall:.1f} s wall, {cpu:.1f} s CPU{note}", flush=True)
    target = pathlib.Path(__file__).with_name(f"results-live-preview-{stories}.json")
    target.write_text(json.dumps({"stories": stories, "builds": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
