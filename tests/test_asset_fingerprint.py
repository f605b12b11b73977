"""A theme file's fingerprint follows its bytes, never its modification time."""

from __future__ import annotations

import os
import shutil

from asset_fingerprint.plugin import built_content, content_hash


def test_the_fingerprint_changes_with_the_bytes_and_only_with_them(tmp_path):
    css = tmp_path / "site.css"
    css.write_text("body { color: red; }\n")
    first = content_hash(str(css))
    assert built_content(str(css)) == (b"body{color:red}\n", first)

    # A fresh checkout: the same bytes in a new file with a new mtime.
    copy = tmp_path / "copy.css"
    shutil.copyfile(css, copy)
    copy.replace(css)
    os.utime(css, ns=(1, 1))
    assert content_hash(str(css)) == first

    # Edited in place to the same size, its old mtime put back: a new one.
    stat = css.stat()
    css.write_text("body { color: tan; }\n")
    os.utime(css, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert built_content(str(css)) == (b"body{color:tan}\n", content_hash(str(css)))
    assert content_hash(str(css)) != first
