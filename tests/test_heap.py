"""What a build holds is left out of garbage collection while it runs
(``portal.heap``), and given back when the next build in the process starts."""

from __future__ import annotations

import gc
import weakref

from pelican import signals

from tests.stories import write_story
from tests.support import LEAN, build_site


class _Held:
    """Something a build holds, in a reference cycle (as Pelican's
    generators and their context are)."""

    def __init__(self):
        self.itself = self


def test_what_a_build_held_is_collected_when_the_next_build_starts(tmp_path):
    content = tmp_path / "content"
    for number in range(3):
        write_story(content, f"story-{number}", body=f"Story number {number}.")
    holder = {}

    def hold(generator):
        held = _Held()
        holder["held"], holder["ref"] = held, weakref.ref(held)

    # Made as Pelican starts on the articles, before the pipeline freezes.
    signals.article_generator_init.connect(hold)
    try:
        build_site(content, tmp_path / "first", **LEAN)
    finally:
        signals.article_generator_init.disconnect(hold)
    ref = holder.pop("ref")
    holder.clear()  # garbage now, but only a collection frees a cycle
    gc.collect()
    # Frozen by the build: collections leave it alone.
    assert ref() is not None
    build_site(content, tmp_path / "second", **LEAN)
    # The second build gave it back to the collector first.
    assert ref() is None
