"""The rendition step's cost: a production build cold, then with nothing changed.

A share of the corpus is committed as WAV and FLAC (one story in three each,
converted from the corpus's 45-minute MP3s), the rest as MP3, as editors'
recorders and apps produce them. Every master is a distinct file (a story's
own recording), so the cold build encodes one rendition per story; the
second build, with the cache kept and nothing changed, must encode none.
The build's own report says how many it encoded, and its whole CPU time
(ffmpeg included) is measured.

Run with ``benchmarks/run.py --renditions N``; results go to
``benchmarks/results-renditions-N.json``."""

from __future__ import annotations

import pathlib
import re
import shutil
import subprocess

import corpus

ENCODED = re.compile(
    r"(\d+) renditions?, (\d+) encoded in this build"
    r"(?: \(\d+ more from those encodings\))?, (\d+) from"
)


def _master(source: pathlib.Path, target: pathlib.Path, index: int) -> None:
    """A distinct master: the corpus audio with the story's number as its
    title (a different file, so no two stories share an encoding)."""
    if target.exists():
        return
    temporary = target.with_name(target.stem + ".tmp" + target.suffix)
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-i", str(source),
         "-metadata", f"title=story {index}", "-ac", "1", str(temporary)],
        check=True,
    )  # fmt: skip
    temporary.rename(target)


def write_masters(root: pathlib.Path, count: int, audio: list[pathlib.Path]) -> dict:
    """The corpus of ``count`` stories, a third WAV, a third FLAC."""
    info = corpus.write_corpus(root, count, audio)
    kinds = {"mp3": 0, "wav": 0, "flac": 0}
    for index in range(1, count + 1):
        folder = root / "ours" / "stories" / corpus.slug_of(index)
        kind = ("mp3", "wav", "flac")[index % 3]
        kinds[kind] += 1
        linked = folder / "conversation.mp3"
        if kind != "mp3":
            _master(linked, folder / f"conversation.{kind}", index)
            linked.unlink()
            story = folder / "story.md"
            story.write_text(
                story.read_text().replace(
                    "audio: conversation.mp3", f"audio: conversation.{kind}"
                )
            )
        else:
            # Its own bytes too: a copy with the story's number as its title.
            copy = folder / "conversation.own.mp3"
            if not copy.exists() or linked.stat().st_nlink > 1:
                _master(linked, copy, index)
                linked.unlink()
                copy.rename(linked)
    info["masters"] = kinds
    return info


def run(count: int, workdir: pathlib.Path, audio, measure, our_command) -> dict:
    root = workdir / f"renditions-{count}"
    info = write_masters(root, count, audio)
    out, cache = (
        workdir / f"renditions-out-{count}",
        workdir / f"renditions-cache-{count}",
    )
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    builds = {}
    for name in ("cold", "cached"):
        print(f"   renditions {name} ...", end=" ", flush=True)
        result = measure(our_command(root / "ours", out, cache))
        match = ENCODED.search(result.pop("log"))
        result.pop("log_tail")
        result["renditions"], result["encoded"] = (
            (int(match.group(1)), int(match.group(2))) if match else (None, None)
        )
        builds[name] = result
        print(f"{result['seconds']} s, encoded {result['encoded']}", flush=True)
    return {"stories": count, "corpus": info, "builds": builds}
