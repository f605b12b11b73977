"""Shared building blocks of the story portal: the story schema, the one MIME
table, time codes and the problem report every plugin writes into.

Plugins import from here rather than from each other, so each plugin stays a
room with one job and the contracts between them live in one place."""
