"""Write an output file only when its bytes change.

A page or transcript whose inputs did not change keeps its modification
time, so rsync and CDN uploads skip it and the pre-compression step does not
compress it again. Plugins that write their own output files (transcripts,
feeds, images) should use ``write_if_changed`` rather than ``open(..., "w")``.
"""

from __future__ import annotations

import os


def write_if_changed(path: str | os.PathLike, data: bytes | str) -> bool:
    """Write ``data`` to ``path`` unless the file already holds exactly it.

    Text is written as UTF-8. Returns True when the file was written. The
    old file is read only when its size matches; a write goes to a temporary
    file first, so a reader never sees a half-written file."""
    path = os.fspath(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        if os.path.getsize(path) == len(data):
            with open(path, "rb") as handle:
                if handle.read() == data:
                    return False
    except FileNotFoundError:
        pass
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)
    return True
