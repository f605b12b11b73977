"""The live preview's builds: a save shown first, the search index after.

``./dev livereload``, ``./dev preview-drafts`` and ``./dev cms`` build the
site again on every save. Past a few dozen stories, most of such a build is
Pagefind indexing the pages that changed (a part of up to 500 pages, some
seconds; ``benchmarks/README.md``), which the editor looking at the page
they saved does not need, nor the compressed copies of every file (no
server of the preview sends them). So a save is built twice, each made
aside and swapped in whole (``portal.publishing``):

1. with ``PAGES_FIRST`` (``portal.build_inputs``): every page made, the
   search index the last build's (``plugins/site_search``), no compressed
   copies (``plugins/precompress``); the open pages reload once it is in;
2. straight after, in a thread, the same build with the index brought up to
   date, only when the first said it left the index behind
   (``publishing.behind``). It makes no story again: the setting is no part
   of any key (``portal.build_inputs.HOW_BUILT``).

Between the two, a search finds the pages as they were before the save. A
save while the second runs stops it, and every process it started, before
the next first build: the editor never waits for an index of pages that
are about to change again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from portal import publishing

# build(later, stop): one build of the preview, swapped in if it returns
# True; ``later``: with PAGES_FIRST; ``stop``: set, it ends the build.
Build = Callable[[bool, threading.Event | None], bool]


class PreviewBuilds:
    """The builds of one live preview's output (see the module's doc)."""

    def __init__(self, output: str | Path, build: Build, say=print):
        self.output = Path(output)
        self._build = build
        self._say = say
        self._catching_up: tuple[threading.Thread, threading.Event] | None = None

    def rebuild(self) -> None:
        """Build the save now; its search index in the background."""
        self.stop_catching_up()
        if self._build(True, None) and publishing.behind(self.output):
            self._catch_up()

    def _catch_up(self) -> None:
        stop = threading.Event()

        def index() -> None:
            if self._build(False, stop):
                self._say("The search is up to date.", flush=True)

        thread = threading.Thread(target=index, name="search-catch-up", daemon=True)
        self._catching_up = (thread, stop)
        thread.start()

    def stop_catching_up(self) -> None:
        """Stop the build bringing the search up to date, if one runs, and
        wait until it and its processes have ended."""
        if self._catching_up is None:
            return
        thread, stop = self._catching_up
        self._catching_up = None
        stop.set()
        thread.join()

    close = stop_catching_up
