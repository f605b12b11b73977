"""A progress display for long builds, on Pelican's own console.

Pelican prints its log through a rich console; a rich progress display on the
same console keeps log lines above the bar. It shows the phase (reading,
checking, writing), a count and the time so far, and disappears when the
build is done. On anything but a terminal (CI logs, pipes) it stays off."""

from __future__ import annotations

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)


class BuildProgress:
    def __init__(self, console):
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._task = None
        self._started = False

    def phase(self, description: str, total: int | None = None) -> None:
        """Start the next phase; ``total`` None for a count without end."""
        if not self._started:
            self._progress.start()
            self._started = True
        if self._task is not None:
            self._progress.remove_task(self._task)
        self._task = self._progress.add_task(description, total=total)
        self._progress.refresh()

    def advance(self, steps: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, steps)

    def stop(self) -> None:
        if self._started:
            self._progress.stop()
            self._started = False
