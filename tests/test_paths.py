"""portal/paths.py: where a story's files really are."""

from __future__ import annotations

import os

from portal.paths import real_path


def test_real_path_resolves_links_as_realpath_does(tmp_path):
    real = tmp_path / "real"
    (real / "story").mkdir(parents=True)
    (real / "story" / "story.md").write_text("---\n")
    (tmp_path / "linked").symlink_to(real)  # a linked folder
    (real / "story" / "alias.md").symlink_to(real / "story" / "story.md")
    for path in [
        real / "story" / "story.md",
        tmp_path / "linked" / "story" / "story.md",  # through the folder link
        tmp_path / "linked" / "story" / "alias.md",  # a link itself
        tmp_path / "linked" / "story" / "missing.md",
    ]:
        assert real_path(str(path)) == os.path.realpath(path)
    assert real_path(str(tmp_path / "linked" / "story" / "alias.md")) == str(
        real / "story" / "story.md"
    )
