"""The HTML pages of a built site, listed once per walk of its folders.

The search index and the security headers each need every page of the
output (259,000 files at 10,000 stories); this lists them from the folder
listings alone, no file stat'ed, in one stable order."""

from __future__ import annotations

import os


def html_pages(site: str, skip: str | None = None) -> list[str]:
    """Every ``.html`` file under ``site`` but inside the folder ``skip``,
    as a ``/``-separated path relative to ``site``: a folder's pages
    (sorted by name), then its subfolders' (sorted), as ``os.walk`` goes.
    Links to folders are not followed."""
    skip = os.path.normpath(skip) if skip else None
    found: list[str] = []
    pending = [(os.path.normpath(site), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue  # removed while listed
        pages, folders = [], []
        for entry in entries:
            if entry.is_dir():
                if not entry.is_symlink() and entry.path != skip:
                    folders.append(entry.name)
            elif entry.name.endswith(".html"):
                pages.append(entry.name)
        found.extend(prefix + name for name in sorted(pages))
        # Popped last first: pushed in reverse, visited in order.
        for name in sorted(folders, reverse=True):
            pending.append((os.path.join(folder, name), f"{prefix}{name}/"))
    return found
