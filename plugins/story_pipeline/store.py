"""The outputs the cache keeps: each story's files and each page's, by content.

``CACHE_PATH/story_outputs/`` holds:
- ``manifest.json``: in two sections, ``stories`` (by each story's page
  name) and ``pages`` (the other pages, by the name Pelican's writer was
  asked for), the key the files were made from (``key.py``) and the files
  they are, each by its path in the output, SHA-256, size and the inode it
  had when last linked into the output (a rebuild in place tells a file
  there is the stored one from its stat alone);
- ``files/<sha256>``: each of those files' bytes, once however many stories,
  pages or builds share them.

What is kept under the key it is asked for is not made again: its files
are linked from here into the output (a hard link: no bytes copied, and the
file keeps the modification time it got when it was made, so rsync, CDN
uploads and pre-compression skip it). A fresh clone with only this folder
restored (the content repository's publish) gets every unchanged story's
files without rendering anything. Files nothing names any more are removed
when the build ends.

A kept file whose size is not the manifest's (cut off, overwritten) is a
miss: the story is made again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from portal import cache_json
from portal.file_hashes import remember, sha256_of
from portal.outputs import OUTPUT_STORE, STORED_FILES, STORY_FOLDERS
from portal.writing import link_into, link_over, write_if_changed

FOLDER = OUTPUT_STORE
MANIFEST = "manifest.json"
FILES = STORED_FILES


class Kept(NamedTuple):
    """One output file of a story, as the cache keeps it (a tuple: a large
    site's manifest holds some 140,000, made by every build)."""

    path: str  # in the output, "stories/<slug>/index.html"
    sha256: str
    size: int
    # The stored file's inode as last linked into the output (0: not known):
    # a file there with this inode, on the store's file system and of this
    # size, is the stored file (``OutputStore.place``).
    inode: int = 0


@dataclass(frozen=True)
class Entry:
    """A story's outputs as last made: the key and the files; for a story,
    its own key and where its page's related stories are (``related.py``)."""

    key: str
    files: tuple[Kept, ...]
    # The manifest's JSON this entry was read from: written back as it was
    # (a rebuild keeps nearly every entry; making each again was a tenth of
    # a second at 10,000 stories, every build).
    read_as: dict | None = field(default=None, compare=False, repr=False)
    own: str | None = None  # the story's own key (key.StoryKeys.keys)
    # The bytes of its page (``files[0]``) that are its related stories:
    # from, to. None: not found (the page is then made whole).
    cards: tuple[int, int] | None = None

    def to_json(self) -> dict:
        if self.read_as is not None:
            return self.read_as
        data = {"key": self.key, "files": [list(kept) for kept in self.files]}
        if self.own is not None:
            data["own"] = self.own
        if self.cards is not None:
            data["cards"] = list(self.cards)
        return data

    @classmethod
    def from_json(cls, data) -> Entry:
        cards = data.get("cards")
        return cls(
            str(data["key"]),
            tuple(_kept(item) for item in data["files"]),
            data,
            data.get("own"),
            (int(cards[0]), int(cards[1])) if cards else None,
        )


def _kept(item) -> Kept:
    """A manifest's file, with its inode if it names one (a manifest of
    earlier code does not)."""
    path, sha256, size, *inode = item
    return Kept(str(path), str(sha256), int(size), int(inode[0]) if inode else 0)


SECTIONS = ("stories", "pages")
# A build that changed fewer of the last build's entries than this (an
# edit) removes the files those entries named and no entry names now,
# without listing the store: its 100,000 files at 10,000 stories took
# 0.15-0.2 s of every edit. One that changed more (a new story, a change to
# the theme) lists it, and takes with them the files no manifest names
# (stored by a build stopped before it saved its manifest).
LIST_STORE_AFTER = 100


class OutputStore:
    def __init__(self, cache_path: str | None):
        self.folder = os.path.join(cache_path, FOLDER) if cache_path else None
        # section -> name -> entry, as the last build left it and this one
        self.previous: dict[str, dict[str, Entry]] = {name: {} for name in SECTIONS}
        self.current: dict[str, dict[str, Entry]] = {name: {} for name in SECTIONS}
        self._store_device: int | None = None  # ``_device``
        if self.folder:
            self.previous.update(self._load())

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def _load(self) -> dict[str, dict[str, Entry]]:
        try:
            data = cache_json.load(os.path.join(self.folder, MANIFEST))
            return {
                section: {
                    name: Entry.from_json(entry)
                    for name, entry in data[section].items()
                }
                for section in SECTIONS
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}  # unreadable: everything is made again

    def _file(self, sha256: str) -> str:
        return os.path.join(self.folder, FILES, sha256)

    def may_serve(self, name: str, key: str, own: str | None) -> bool:
        """Might the last build's files of the story ``name`` serve this
        build: made from ``key`` (``place``), or from its own key ``own``
        with related stories that can be put in again (``with_new_cards``)?
        A look at the manifest alone: either may still find a file gone."""
        entry = self.previous["stories"].get(name)
        return entry is not None and (
            entry.key == key or (entry.own == own and entry.cards is not None)
        )

    def place(self, section: str, name: str, key: str, output: str) -> Entry | None:
        """Put the files kept for ``name`` into ``output`` if they were made
        from ``key`` and the cache still has them all; their entry."""
        entry = self.previous[section].get(name)
        if entry is None or entry.key != key:
            return None
        if not self._in_place(entry.files, output):
            stored = self._stored(entry)
            if stored is None:
                return None
            files = self._link(entry.files, stored, output)
            if files != entry.files:  # their inodes, to find them so next time
                entry = dataclasses.replace(entry, files=files, read_as=None)
        self.current[section][name] = entry
        return entry

    def _in_place(self, files: tuple[Kept, ...], output: str) -> bool:
        """Are ``files`` in ``output`` the stored files they were linked
        from, by inode, size and file system? A rebuild in place finds
        nearly every file so, and a stat of each file in the output alone
        tells (not of each in the cache too: 70,000 stats at 10,000
        stories)."""
        device = self._device()
        found = []
        for kept in files:
            if not kept.inode:
                return False
            target = _target(output, kept.path)
            try:
                there = os.stat(target)
            except FileNotFoundError:
                return False
            if (there.st_ino, there.st_dev, there.st_size) != (
                kept.inode,
                device,
                kept.size,
            ):
                return False
            found.append((target, kept.sha256, there))
        for target, sha256, there in found:
            # Linked again by every build: no memo file needs to keep it.
            remember(target, sha256, every_build=True, stat=there)
        return True

    def _device(self) -> int:
        """The file system of the store's files (-1 without them)."""
        if self._store_device is None:
            try:
                self._store_device = os.stat(os.path.join(self.folder, FILES)).st_dev
            except OSError:
                self._store_device = -1
        return self._store_device

    def with_new_cards(
        self,
        name: str,
        key: str,
        own: str,
        output: str,
        cards: Callable[[], str],
        unread: Callable[[bytes], bool],
    ) -> tuple[Entry, str | None] | None:
        """The story ``name`` as the last build made it with the own key
        ``own``, but its page's related stories ``cards()`` (the HTML its
        page prints there): its other files linked into ``output``, its page
        written with the new related stories. Its entry, and the SHA-256 of
        its page's bytes before if the search reads the same of both
        (``unread``: of the related stories before and now). None if the
        last build's files are not the story's with this own key, or not
        all in the cache, or its page's related stories were not found: then
        the story is made whole."""
        entry = self.previous["stories"].get(name)
        if entry is None or entry.own != own or entry.cards is None:
            return None
        stored = self._stored(entry)
        if stored is None:
            return None
        page, *others = entry.files
        if page.path != name:
            return None
        start, end = entry.cards
        try:
            with open(self._file(page.sha256), "rb") as handle:
                old = handle.read()
        except OSError:
            return None
        if len(old) != page.size or not 0 <= start <= end <= len(old):
            return None
        html = cards()
        if not html.strip():
            return None  # none now: where none are, none can be found again
        related = html.encode("utf-8")
        others = self._link(others, stored[1:], output)
        data = old[:start] + related + old[end:]
        write_if_changed(_target(output, page.path), data)
        made = self._keep_file(output, page.path, data)
        new = Entry(key, (made, *others), None, own, (start, start + len(related)))
        self.current["stories"][name] = new
        same_words = unread(old[start:end]) and unread(related)
        return new, page.sha256 if same_words else None

    def _stored(self, entry: Entry) -> list[os.stat_result] | None:
        """The stat of each of ``entry``'s files in the cache, if all are
        there whole."""
        stored = []
        for kept in entry.files:
            try:
                stat = os.stat(self._file(kept.sha256))
            except OSError:
                return None
            if stat.st_size != kept.size:
                return None
            stored.append(stat)
        return stored

    def _link(self, files, stored, output: str) -> tuple[Kept, ...]:
        """Link ``files`` (their stats in the cache: ``stored``) into
        ``output``; the files with the inodes they have there."""
        for kept, stat in zip(files, stored, strict=True):
            target = _target(output, kept.path)
            # A rebuild in place finds most files linked already: a stat
            # each tells (a 10,000-story site links some 100,000).
            try:
                there = os.stat(target)
            except FileNotFoundError:
                there = None
            if there is None or not os.path.samestat(stat, there):
                link_into(self._file(kept.sha256), target, absent=there is None)
                there = None
            # Linked again by every build: no memo file needs to keep it.
            remember(target, kept.sha256, every_build=True, stat=there)
        return tuple(
            kept._replace(inode=stat.st_ino)
            for kept, stat in zip(files, stored, strict=True)
        )

    def keep(
        self,
        section: str,
        name: str,
        key: str,
        output: str,
        paths: list[str],
        own: str | None = None,
        cards: tuple[int, int] | None = None,
        first: bytes | None = None,
    ) -> Entry:
        """Keep the files just made for ``name`` (paths in ``output``; a
        story's page first, with ``own`` and ``cards`` as ``Entry`` has
        them; ``first``: the first file's bytes, when the caller has read
        them).

        May run in a worker process: each file is linked into the cache
        under its hash (its bytes are never copied)."""
        files = tuple(
            self._keep_file(output, path, first if number == 0 else None)
            for number, path in enumerate(paths)
        )
        entry = Entry(key, files, None, own, cards)
        self.current[section][name] = entry
        return entry

    def _keep_file(self, output: str, path: str, data: bytes | None = None) -> Kept:
        """``path`` kept in the cache; ``data``: its bytes, when the caller
        holds them (hashed as they are, not read back)."""
        target = _target(output, path)
        if data is None:
            sha256 = sha256_of(target)
            size = os.path.getsize(target)
        else:
            sha256 = hashlib.sha256(data).hexdigest()
            size = len(data)
        stored = self._file(sha256)
        try:
            whole = os.path.getsize(stored) == size
        except FileNotFoundError:
            whole = False
        if not whole:  # not kept yet, or cut off: kept (again) whole
            link_over(target, stored)
        else:
            _share(stored, target)
        remember(target, sha256, every_build=True)
        return Kept(path, sha256, size, os.stat(stored).st_ino)

    def remove_stale(
        self,
        section: str,
        output: str,
        whole_folders: bool = False,
        spared: frozenset[str] = frozenset(),
    ) -> int:
        """Remove from ``output`` the files of ``section`` the last build
        made that no entry of this build names: those of a story taken down
        or renamed, a share card under a new name. A build made aside starts
        from an empty folder; one in place would keep them, and a page of a
        story taken down would still be served, and indexed.
        ``whole_folders``: an entry gone takes its page's folder with it,
        and all in it (a story's folder holds its own files alone: its
        audio, which the renditions put there, and pictures among them).
        ``spared``: pages another generator wrote this build (the drafts
        preview's page for a story it cannot show), kept with their folders.
        The number of files removed."""
        named = {
            kept.path
            for entry in self.current[section].values()
            for kept in entry.files
        } | spared
        removed = 0
        if whole_folders:
            for name in self.previous[section]:
                if name not in self.current[section] and name not in spared:
                    removed += _remove_folder(output, name)
        for entry in self.previous[section].values():
            for kept in entry.files:
                if kept.path in named:
                    continue
                target = _target(output, kept.path)
                try:
                    os.remove(target)
                except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                    continue
                removed += 1
                # Its folders too, once empty (a story's embed/, its own).
                folder, top = os.path.dirname(target), os.path.normpath(output)
                while len(folder) > len(top) and folder.startswith(top):
                    try:
                        os.rmdir(folder)
                    except OSError:
                        break  # not empty, or gone
                    folder = os.path.dirname(folder)
        return removed

    def save(self) -> None:
        """Write the manifest; remove the files no story names any more."""
        if not self.folder:
            return
        if self.current == self.previous:
            # Every entry as the last build saved it, after which no file
            # but those named was left (a file is stored only for an entry
            # this build makes): nothing to write, nothing to remove, and
            # the store (100,000 files at 10,000 stories) is not listed.
            return
        manifest = {
            section: {name: entry.to_json() for name, entry in entries.items()}
            for section, entries in self.current.items()
        }
        write_if_changed(
            os.path.join(self.folder, MANIFEST),
            cache_json.dumps(manifest, sort_keys=True),
        )
        named = {
            kept.sha256
            for entries in self.current.values()
            for entry in entries.values()
            for kept in entry.files
        }
        # Each entry this build changed, added or dropped: as it was (None
        # for one added).
        changed = [
            self.previous[section].get(name)
            for section in SECTIONS
            for name in self.previous[section].keys() | self.current[section].keys()
            if self.previous[section].get(name) != self.current[section].get(name)
        ]
        # With no manifest read (a cold build, an unreadable one) the store is
        # listed whatever changed: no index of it is at hand.
        if any(self.previous.values()) and len(changed) < LIST_STORE_AFTER:
            stored = {kept.sha256 for entry in changed if entry for kept in entry.files}
        else:
            try:
                stored = os.listdir(os.path.join(self.folder, FILES))
            except FileNotFoundError:
                return
        for sha256 in stored:
            if sha256 not in named:
                # Another build sharing the cache may have removed it first.
                with contextlib.suppress(FileNotFoundError):
                    os.remove(self._file(sha256))


def _share(stored: str, target: str) -> None:
    """Make ``target`` a link to ``stored``, whose bytes it holds, unless it
    is one already or they are on two file systems (a copy would only give
    it a new modification time).

    Kept already, by another build or another story with the same bytes,
    the stored file would otherwise have an inode of its own in the output,
    and every later rebuild in place would read both to compare them."""
    kept, there = os.stat(stored), os.stat(target)
    if os.path.samestat(kept, there) or kept.st_dev != there.st_dev:
        return
    link_over(stored, target)


def _remove_folder(output: str, page: str) -> int:
    """Remove the folder of ``page`` from ``output``, and what it holds,
    when it is a story's own (``stories/<slug>/``,
    ``portal.outputs.STORY_FOLDERS``); the number of files it held."""
    folder = os.path.dirname(_target(output, page))
    stories = os.path.join(os.path.normpath(output), STORY_FOLDERS)
    if os.path.dirname(folder) != stories:
        return 0  # a page elsewhere: its folder may hold another's files
    count = sum(len(files) for _, _, files in os.walk(folder))
    shutil.rmtree(folder, ignore_errors=True)
    return count


def _target(output: str, path: str) -> str:
    return os.path.join(output, *path.split("/"))
