"""Podcast-grade audio: the rendition every published story gets.

The sample site (every master format editors commit) is checked as podcast
apps would meet it: the enclosure's type, its loudness and true peak
measured by ffmpeg's own ebur128 meter, the ID3 chapters read back with
mutagen, a full decode. Small builds check the cache (a second build encodes
nothing), the M4A setting and the published master; masters made with sox
check what the build report flags."""

from __future__ import annotations

import email.utils
import json
import os
import re
import shutil
import subprocess

import mutagen
import pytest
from mutagen.id3 import ID3
from mutagen.mp4 import MP4

from portal.timecode import whole_seconds
from tests.podcast import DEV_BASE, NS, item_by_guid, items, local_file
from tests.stories import AUDIO, write_story
from tests.support import CONTENT, LEAN, build_site, built_once, copy_content

TARGET_LUFS = -16.0
CEILING_DBTP = -1.0


def ebur128(path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) by ffmpeg's EBU R128 meter.

    A mono file is measured as dual mono (``dualmono=true``): how it is heard
    on two earphones or speakers, the level Apple's -16 LUFS is meant for."""
    channels = int(
        subprocess.run(
            ["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
             "stream=channels", "-of", "csv=p=0", str(path)],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    )  # fmt: skip
    dual = "true" if channels == 1 else "false"
    log = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af",
         f"ebur128=peak=true:dualmono={dual}", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    ).stderr  # fmt: skip
    summary = log[log.rindex("Summary:") :]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))
    return integrated, peak


def decoded_seconds(path) -> float:
    """Decode every frame (errors fail); the length ffmpeg decoded."""
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-v", "error", "-xerror", "-i", str(path),
         "-f", "null", "-"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration",
         "-of", "csv=p=0", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(probe.stdout)


def _enclosures(site):
    out = {}
    for item in items(site):
        [enclosure] = item.findall("enclosure")
        out[item.findtext("guid")] = (
            item,
            enclosure,
            local_file(site, enclosure.get("url")),
        )
    return out


def _master(slug: str):
    [path] = [
        p for p in (CONTENT / "stories" / slug).iterdir()
        if p.suffix in (".mp3", ".m4a", ".ogg", ".opus", ".flac", ".wav")
    ]  # fmt: skip
    return path


# The sample site -----------------------------------------------------------


def test_every_enclosure_is_an_mp3_apple_accepts(sample_site):
    enclosures = _enclosures(sample_site)
    assert len(enclosures) >= 5
    masters = {_master(local.parent.name).suffix for _, _, local in enclosures.values()}
    assert {".wav", ".flac", ".ogg", ".opus", ".m4a"} <= masters  # every kind
    for _, enclosure, local in enclosures.values():
        assert enclosure.get("type") == "audio/mpeg"
        assert local.suffix == ".mp3"
        assert int(enclosure.get("length")) == local.stat().st_size
        assert type(mutagen.File(local)).__name__ == "MP3"
        # No master is published (no setting asks for it).
        assert not (local.parent / _master(local.parent.name).name).exists()


def test_renditions_are_at_the_target_loudness_under_the_peak_ceiling(sample_site):
    for _, _, local in _enclosures(sample_site).values():
        integrated, peak = ebur128(local)
        assert abs(integrated - TARGET_LUFS) <= 1.0, (local.name, integrated)
        assert peak < CEILING_DBTP, (local.name, peak)


def test_renditions_decode_whole_and_last_as_long_as_their_masters(sample_site):
    for item, _, local in _enclosures(sample_site).values():
        master = _master(local.parent.name)
        seconds = decoded_seconds(local)
        assert abs(seconds - decoded_seconds(master)) < 1.0, local.name
        duration = int(item.findtext("itunes:duration", namespaces=NS))
        assert duration == max(1, whole_seconds(mutagen.File(local).info.length))


def test_id3_tags_and_chapters_match_the_story(sample_site):
    checked_chapters = 0
    for item, _, local in _enclosures(sample_site).values():
        tags = ID3(local)
        assert tags.version[:2] == (2, 3)
        assert tags["TIT2"].text == [item.findtext("title")]
        guests = [
            p.text
            for p in item.findall("podcast:person", NS)
            if p.get("role") == "guest"
        ]
        assert "/".join(tags["TPE1"].text) == "/".join(guests)
        assert tags["TALB"].text == ["One Small Step"]
        # Released the day the feed dates it (the day it went public), not
        # the day it was recorded.
        released = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
        assert str(tags["TDRL"].text[0]) == released.date().isoformat()
        page = item.findtext("link")
        assert tags["WOAF"].url == page
        [cover] = tags.getall("APIC")
        assert cover.mime == "image/jpeg" and len(cover.data) > 1000
        chapters_url = item.find("podcast:chapters", NS)
        if chapters_url is None:
            assert not tags.getall("CHAP")
            continue
        expected = json.loads(
            local_file(sample_site, chapters_url.get("url")).read_text()
        )
        [toc] = tags.getall("CTOC")
        frames = [tags[f"CHAP:{element}"] for element in toc.child_element_ids]
        assert [f.sub_frames["TIT2"].text[0] for f in frames] == [
            c["title"] for c in expected["chapters"]
        ]
        assert [f.start_time for f in frames] == [
            round(c["startTime"] * 1000) for c in expected["chapters"]
        ]
        assert [f.sub_frames.getall("WXXX")[0].url for f in frames] == [
            f"{page}#chapter-{n}" for n in range(1, len(frames) + 1)
        ]
        # Each chapter ends where the next starts; the last at the end.
        ends = [f.end_time for f in frames]
        assert ends[:-1] == [f.start_time for f in frames[1:]]
        assert abs(ends[-1] / 1000 - mutagen.File(local).info.length) < 1.0
        checked_chapters += 1
    assert checked_chapters >= 3


def test_the_player_and_download_link_use_the_rendition(sample_site):
    for _, _, local in _enclosures(sample_site).values():
        page = (local.parent / "index.html").read_text(encoding="utf-8")
        assert f'src="{local.name}"' in page or f'/{local.name}"' in page
        assert 'type="audio/mpeg"' in page
        assert re.search(rf'href="[^"]*{re.escape(local.name)}"[^>]*download', page)
        assert "(MP3," in page


def test_the_build_report_lists_loudness_before_and_after(capsys, tmp_path):
    content = tmp_path / "content"
    copy_content(content)
    write_story(content, "loud", audio_fixture="speech.wav", audio="speech.wav")
    build_site(content, tmp_path / "out", cache_dir=tmp_path / "cache",
               AUDIO_RENDITION_CACHE_PATH=str(tmp_path / "renditions"),
               **LEAN)  # fmt: skip
    report = capsys.readouterr().out
    assert (
        "Podcast audio (MP3 64 kbit/s mono, -16 LUFS, true peak under -1 dBTP): "
        "1 rendition, 1 encoded in this build, 0 from the cache." in report
    )
    assert re.search(
        r"content/stories/loud/speech\.wav: -?\d+\.\d LUFS, true peak -?\d+\.\d dBTP"
        r" -> -1[5-7]\.\d LUFS, true peak -\d\.\d dBTP",
        report,
    )


# The cache -----------------------------------------------------------------


def _snapshot(folder):
    return {
        str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file() and p.name not in ("hashes.json", ".lock")
    }  # fmt: skip


def test_a_second_build_encodes_nothing(tmp_path, capsys):
    """A second build encodes nothing, and its report lists no story whose
    master it did not encode unless the master is flagged: a flag is said
    on every build until the master is fixed."""
    content = tmp_path / "content"
    copy_content(content)
    write_story(content, "one", audio_fixture="speech.flac", audio="speech.flac")
    # Story two's master is far too quiet: flagged on every build.
    folder = write_story(content, "two", audio_fixture=None, audio="speech.wav",
                         id="test-two-other")  # fmt: skip
    _sox(folder / "speech.wav", "pinknoise", "gain", "-40", seconds=2)
    renditions = tmp_path / "renditions"
    options = dict(
        cache_dir=tmp_path / "cache", AUDIO_RENDITION_CACHE_PATH=str(renditions)
    )
    first = build_site(content, tmp_path / "out", **options, **LEAN)
    report = capsys.readouterr().out
    assert "2 encoded in this build, 0 from the cache" in report
    one = re.compile(r"^  content/stories/one/speech\.flac: .+ -> .+ LUFS.+dBTP$", re.M)
    two = re.compile(
        r"^  content/stories/two/speech\.wav: .+ \[far from the target: .+\]$", re.M
    )
    assert one.search(report) and two.search(report)  # both encoded now
    assert "Not listed" not in report
    before = _snapshot(renditions)
    assert len([name for name in before if name.startswith("encoded/")]) == 4
    published = {p.name: p.read_bytes() for p in first.rglob("*.mp3")}

    # A fresh checkout: the masters are new files with new times.
    for slug, name in (("one", "speech.flac"), ("two", "speech.wav")):
        master = content / "stories" / slug / name
        data = master.read_bytes()
        master.unlink()
        master.write_bytes(data)
    second = build_site(content, tmp_path / "out2", **options, **LEAN)
    report = capsys.readouterr().out
    assert "0 encoded in this build, 2 from the cache" in report
    assert not one.search(report) and two.search(report)
    assert (
        "  Not listed: 1 rendition from the cache with nothing flagged. "
        "Every story's levels: ./dev check --levels" in report
    )
    assert _snapshot(renditions) == before  # nothing written, nothing replaced
    assert {p.name: p.read_bytes() for p in second.rglob("*.mp3")} == published


def _one_story_site(tmp_path):
    """The sample content with one story, its rendition cache, and the
    build options that use that cache."""
    content = tmp_path / "content"
    copy_content(content)
    write_story(content, "one", audio_fixture="speech.wav", audio="speech.wav")
    renditions = tmp_path / "renditions"
    options = dict(
        cache_dir=tmp_path / "cache", AUDIO_RENDITION_CACHE_PATH=str(renditions)
    )
    return content, renditions, options


def test_a_rebuild_takes_the_files_facts_from_one_file(tmp_path, capsys):
    """The facts of every file a build used are kept in ``facts.json``: a
    rebuild reads them from there (not a small file each), and trusts them
    only while the file is there with the size they name."""
    content, renditions, options = _one_story_site(tmp_path)
    first = build_site(content, tmp_path / "out", **options, **LEAN)
    published = {p.name: p.read_bytes() for p in first.rglob("*.mp3")}
    kept = json.loads((renditions / "facts.json").read_text())
    assert sorted(name.split("/")[0] for name in kept) == ["encoded", "tagged"]

    # Each file's own facts unreadable: the rebuild does not need them.
    for facts in renditions.glob("*/*.json"):
        facts.write_text("not JSON")
    before = _snapshot(renditions)
    build_site(content, tmp_path / "out", **options, **LEAN)
    assert "0 encoded in this build, 1 from the cache" in capsys.readouterr().out
    assert _snapshot(renditions) == before

    # The tagged copy cut off: its facts no longer hold, it is made again.
    [tagged] = (renditions / "tagged").glob("*.mp3")
    tagged.write_bytes(tagged.read_bytes()[:1000])
    again = build_site(content, tmp_path / "out", **options, **LEAN)
    assert {p.name: p.read_bytes() for p in again.rglob("*.mp3")} == published


def test_stories_with_the_same_master_share_one_encoding(tmp_path, capsys):
    """Two stories whose masters hold the same bytes: ffmpeg encodes once,
    each story gets its own tagged file, and the report counts encodings."""
    content = tmp_path / "content"
    copy_content(content)
    write_story(content, "one", audio_fixture="speech.wav", audio="speech.wav")
    write_story(content, "two", audio_fixture="speech.wav", audio="speech.wav",
                id="test-two-same-master")  # fmt: skip
    renditions = tmp_path / "renditions"
    output = build_site(
        content,
        tmp_path / "out",
        cache_dir=tmp_path / "cache",
        AUDIO_RENDITION_CACHE_PATH=str(renditions),
        **LEAN,
    )
    report = capsys.readouterr().out
    assert (
        "2 renditions, 1 encoded in this build (1 more from those encodings), "
        "0 from the cache."
    ) in report
    for slug in ("one", "two"):  # a new master each, encoded once for both
        assert f"\n  content/stories/{slug}/speech.wav: " in report
    encoded = [p for p in (renditions / "encoded").iterdir() if p.suffix == ".mp3"]
    assert len(encoded) == 1
    assert len(list(output.rglob("one-*.mp3"))) == 1
    assert len(list(output.rglob("two-*.mp3"))) == 1


def test_a_title_edit_tags_again_without_encoding(tmp_path, capsys):
    content, _, options = _one_story_site(tmp_path)
    first = build_site(content, tmp_path / "out", **options, **LEAN)
    capsys.readouterr()
    [old] = first.rglob("one-*.mp3")
    write_story(content, "one", audio_fixture="speech.wav", audio="speech.wav",
                title="A new title")  # fmt: skip
    second = build_site(content, tmp_path / "out", **options, **LEAN)
    assert "0 encoded in this build, 1 from the cache" in capsys.readouterr().out
    [new] = second.rglob("one-*.mp3")  # the earlier one is removed
    assert new.name != old.name  # a new name: caches never serve the old tags
    assert ID3(new)["TIT2"].text == ["A new title"]


def test_only_the_storys_earlier_renditions_leave_its_folder(tmp_path):
    """Of a story folder's files, its renditions of earlier builds go; the
    current one, another slug's and everything else stay."""
    from audio_rendition.plugin import _remove_earlier_renditions

    kept = [
        "one-0123456789ab.mp3",  # the current one
        "one-two-aaaaaaaaaaaa.mp3",
        "one-notahash.mp3",
        "one.mp3",
        "index.html",
        "one-0123456789ab.mp3.gz",
        "x-bbbbbbbbbbbb.m4a",
    ]
    gone = ["one-aaaaaaaaaaaa.mp3", "one-bbbbbbbbbbbb.m4a"]
    for name in kept + gone:
        (tmp_path / name).write_bytes(b"audio")
    _remove_earlier_renditions("one", str(tmp_path / "one-0123456789ab.mp3"))
    assert sorted(os.listdir(tmp_path)) == sorted(kept)


# Pruning the cache ---------------------------------------------------------


def _cached(renditions) -> dict[str, int]:
    """The cache's audio, artwork and facts files, with their inodes."""
    return {
        str(p.relative_to(renditions)): p.stat().st_ino
        for kind in ("encoded", "tagged", "art")
        for p in (renditions / kind).glob("*")
    }


def _published(output) -> dict[str, int]:
    return {p.name: p.stat().st_ino for p in output.rglob("*.mp3")}


def test_renditions_no_story_uses_are_removed_after_a_successful_build(
    tmp_path, monkeypatch
):
    from audio_rendition.plugin import AudioRenditionGenerator

    content = tmp_path / "content"
    copy_content(content)
    write_story(content, "one", audio_fixture="speech.wav", audio="speech.wav")
    write_story(content, "two", audio_fixture="speech.flac", audio="speech.flac",
                id="test-two-other")  # fmt: skip
    renditions = tmp_path / "renditions"
    options = dict(
        cache_dir=tmp_path / "cache", AUDIO_RENDITION_CACHE_PATH=str(renditions)
    )
    build_site(content, tmp_path / "out1", **options)
    before = _cached(renditions)
    assert sum(name.startswith("encoded/") for name in before) == 4  # 2 + facts

    # Story one's master is exported again; the build fails after encoding it.
    (content / "stories" / "one" / "speech.wav").unlink()
    write_story(content, "one", audio_fixture="speech.ogg", audio="speech.ogg")

    def fail(self, writer):
        raise RuntimeError("the build stops here")

    with monkeypatch.context() as patch:
        patch.setattr(AudioRenditionGenerator, "generate_output", fail)
        with pytest.raises(RuntimeError, match="the build stops here"):
            build_site(content, tmp_path / "failed", **options)
    after_failure = _cached(renditions)
    assert before.items() <= after_failure.items()  # a failed build prunes nothing
    assert sum(name.startswith("encoded/") for name in after_failure) == 6

    # Story two is set back to draft (held back, not built): it keeps its
    # files. Story one's earlier rendition is removed; the current ones stay.
    write_story(content, "two", audio_fixture="speech.flac", audio="speech.flac",
                id="test-two-other", status="draft")  # fmt: skip
    output = build_site(content, tmp_path / "out2", **options)
    now = _cached(renditions)
    assert sum(name.startswith("encoded/") for name in now) == 4
    made_for_ogg = after_failure.keys() - before.keys()
    assert made_for_ogg <= now.keys()
    [(gone_tagged)] = {
        name for name in before.keys() - now.keys() if name.endswith(".mp3")
        and name.startswith("tagged/")
    }  # fmt: skip
    assert sum(n.startswith("tagged/") for n in before.keys() - now.keys()) == 2
    assert sum(n.startswith("encoded/") for n in before.keys() - now.keys()) == 2
    # What the site publishes is what the cache keeps (hard links).
    [(name, inode)] = _published(output).items()
    assert name.startswith("one-") and inode in now.values()
    assert gone_tagged not in now

    # Story two is deleted: its files go too; story one's stay.
    shutil.rmtree(content / "stories" / "two")
    output = build_site(content, tmp_path / "out3", **options)
    last = _cached(renditions)
    assert sum(name.startswith("encoded/") for name in last) == 2
    assert last.items() <= now.items()
    [inode] = _published(output).values()
    assert inode in last.values()


def test_a_prune_keeps_what_a_build_sharing_the_cache_marked(tmp_path):
    """Two builds sharing the cache: files one has marked in use (it has not
    finished) are kept by the other's prune; a story whose source is gone
    uses nothing."""
    from audio_rendition.cache import RenditionCache

    folder = tmp_path / "renditions"
    (folder / "encoded").mkdir(parents=True)
    for name in ("a.mp3", "b.mp3", "old.mp3"):
        (folder / "encoded" / name).write_bytes(b"audio")
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("a")
    b.write_text("b")
    RenditionCache(str(folder)).mark_in_use({"site b": (str(b), ["encoded/b.mp3"])})
    cache = RenditionCache(str(folder))
    assert cache.prune({"site a": (str(a), ["encoded/a.mp3"])}) == ["encoded/old.mp3"]
    assert sorted(os.listdir(folder / "encoded")) == ["a.mp3", "b.mp3"]
    b.unlink()
    assert cache.prune({"site a": (str(a), ["encoded/a.mp3"])}) == ["encoded/b.mp3"]
    assert os.listdir(folder / "encoded") == ["a.mp3"]


def test_what_stories_use_is_written_when_it_changes_and_only_then(tmp_path):
    """uses.json holds each story's files after every mark and prune, also
    from one cache object marking then pruning; a mark or prune that changes
    nothing leaves the file as it is."""
    from audio_rendition.cache import USES_FILE, RenditionCache

    folder = tmp_path / "renditions"
    (folder / "encoded").mkdir(parents=True)
    for name in ("a.mp3", "b.mp3"):
        (folder / "encoded" / name).write_bytes(b"audio")
    source = tmp_path / "a.md"
    source.write_text("a")
    uses = folder / USES_FILE

    def record(*files):
        return {"site a": {"source": str(source), "files": list(files)}}

    def stamp():
        found = uses.stat()
        return found.st_ino, found.st_mtime_ns

    cache = RenditionCache(str(folder))
    cache.mark_in_use({"site a": (str(source), ["encoded/a.mp3"])})
    assert json.loads(uses.read_text()) == record("encoded/a.mp3")
    written = stamp()
    RenditionCache(str(folder)).mark_in_use(
        {"site a": (str(source), ["encoded/a.mp3"])}
    )
    assert stamp() == written
    cache.mark_in_use({"site a": (str(source), ["encoded/b.mp3"])})
    assert json.loads(uses.read_text()) == record("encoded/a.mp3", "encoded/b.mp3")
    assert cache.prune({"site a": (str(source), ["encoded/b.mp3"])}) == [
        "encoded/a.mp3"
    ]
    assert json.loads(uses.read_text()) == record("encoded/b.mp3")
    written = stamp()
    assert (
        RenditionCache(str(folder)).prune({"site a": (str(source), ["encoded/b.mp3"])})
        == []
    )
    assert stamp() == written


# Settings ------------------------------------------------------------------


@pytest.fixture(scope="module")
def m4a_site(request):
    def build(base):
        content = base / "content"
        copy_content(content)
        chapters = [
            {"start": "0:00", "title": "Hello"},
            {"start": "0:02", "title": "Bye"},
        ]
        write_story(
            content, "chaptered", audio_fixture="speech.flac", audio="speech.flac",
            chapters=chapters,
        )  # fmt: skip
        return build_site(
            content, base / "out", AUDIO_RENDITION_FORMAT="m4a",
            AUDIO_RENDITION_PUBLISH_MASTER=True, **LEAN,
        )  # fmt: skip

    return built_once(request, build)


def test_m4a_setting_makes_aac_in_m4a_with_tags_and_chapters(m4a_site):
    item = item_by_guid(m4a_site, "test-chaptered")
    [enclosure] = item.findall("enclosure")
    assert enclosure.get("type") == "audio/x-m4a"
    local = local_file(m4a_site, enclosure.get("url"))
    assert local.suffix == ".m4a"
    audio = MP4(local)
    assert audio.info.codec.startswith("mp4a")
    assert audio.tags["\xa9nam"] == ["Conversation chaptered"]
    assert audio.tags["\xa9ART"] == ["Ada Lopez & Ben Carter"]
    assert audio.tags["covr"]
    assert [(round(c.start), c.title) for c in audio.chapters] == [
        (0, "Hello"),
        (2, "Bye"),
    ]
    integrated, peak = ebur128(local)
    assert abs(integrated - TARGET_LUFS) <= 1.0 and peak < CEILING_DBTP


def test_a_published_master_is_an_alternate_enclosure_flagged_lossless(m4a_site):
    item = item_by_guid(m4a_site, "test-chaptered")
    [enclosure] = item.findall("enclosure")
    alternates = item.findall("podcast:alternateEnclosure", NS)
    by_type = {a.get("type"): a for a in alternates}
    default = by_type["audio/x-m4a"]
    assert default.get("default") == "true"
    assert default.find("podcast:source", NS).get("uri") == enclosure.get("url")
    master = by_type["audio/flac"]
    assert master.get("default") is None
    assert "lossless" in master.get("title").lower()
    assert master.get("codecs") == "flac"
    url = master.find("podcast:source", NS).get("uri")
    assert url == f"{DEV_BASE}/stories/chaptered/speech.flac"
    local = local_file(m4a_site, url)
    assert local.read_bytes() == (AUDIO / "speech.flac").read_bytes()
    assert int(master.get("length")) == local.stat().st_size


def test_wrong_settings_are_named_with_the_fix():
    from audio_rendition.settings import RenditionSettingsError, settings

    for name, value, words in (
        ("AUDIO_RENDITION_FORMAT", "ogg", "'mp3' or 'm4a'"),
        ("AUDIO_RENDITION_BITRATE", 8, "32 to 320"),
        ("AUDIO_RENDITION_CHANNELS", 6, "1 (mono) or 2"),
        ("AUDIO_RENDITION_LOUDNESS", -3, "-30 to -9"),
        ("AUDIO_RENDITION_TRUE_PEAK", 2, "-9 to 0"),
        ("AUDIO_RENDITION_PUBLISH_MASTER", "yes", "True or False"),
    ):
        with pytest.raises(RenditionSettingsError) as error:
            settings({name: value, "CACHE_PATH": "cache"})
        assert name in str(error.value) and words in str(error.value)


# What the report flags in a master ------------------------------------------


def _sox(path, *effects, channels=1, seconds=4):
    subprocess.run(
        ["sox", "-n", "-r", "44100", "-c", str(channels), "-b", "16", str(path),
         "synth", str(seconds), *effects],
        check=True,
    )  # fmt: skip
    return path


def _flags(path):
    from audio_rendition.loudness import measure_master
    from audio_rendition.settings import settings

    options = settings({"CACHE_PATH": "cache"})
    return measure_master(str(path), path.name, options).flags(
        options.loudness, options.far_from_target
    )


def test_flags_a_clipped_master(tmp_path):
    # A sine driven 12 dB past full scale: flat tops at every peak.
    flags = _flags(_sox(tmp_path / "clipped.wav", "sine", "300", "gain", "12"))
    assert any(flag.startswith("clipped") for flag in flags), flags


def test_flags_a_silent_master(tmp_path):
    flags = _flags(_sox(tmp_path / "silent.wav", "sine", "300", "vol", "0"))
    assert [flag.split(":")[0] for flag in flags] == ["silent"]


def test_flags_a_stereo_master_recorded_in_one_channel(tmp_path):
    path = _sox(tmp_path / "left.wav", "sine", "300", "sine", "300", "remix", "1",
                "0", "gain", "-12", channels=2)  # fmt: skip
    flags = _flags(path)
    assert any(flag.startswith("one channel only: channel 2") for flag in flags), flags


def test_flags_a_master_far_from_the_target(tmp_path):
    flags = _flags(_sox(tmp_path / "quiet.wav", "pinknoise", "gain", "-40"))
    assert any(flag.startswith("far from the target") for flag in flags), flags
    assert not any(flag.startswith(("clipped", "silent")) for flag in flags)


def test_a_clean_master_has_no_flags():
    assert _flags(AUDIO / "speech.wav") == []


def test_the_tags_key_holds_every_tag():
    """The tagged copy's key hashes ``Tags.to_json()``, written out by hand
    for speed: a tag it left out would not make the copy again when only
    that tag changed."""
    import dataclasses

    from audio_rendition.tags import Chapter, Tags

    tags = Tags(
        title="A title",
        participants=("Ada", "Ben"),
        show="The show",
        recorded="2026-01-02",
        released="2026-02-03",
        page_url="https://example.org/stories/a/",
        chapters=(Chapter(0.0, 12.5, "Start", "https://example.org/stories/a/#c1"),),
    )
    assert tags.to_json() == dataclasses.asdict(tags)
    assert json.dumps(tags.to_json()) == json.dumps(dataclasses.asdict(tags))
