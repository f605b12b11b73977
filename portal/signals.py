"""The portal's own signals, sent by the approval gate in a fixed order.

Pelican's ``article_generator_pretaxonomy`` fires once; plugins connected to
it run in no promised order. The gate connects there and sends these in turn,
so the audio is read before anything that needs its duration is checked, and
every problem is known before the gate decides what is published.

Receivers get ``stories`` (the Article objects of story folders that passed
the schema) and ``report`` (a callable taking a ``portal.problems.Problem``).
Each stage fills its parts of every story's record (portal/story_record.py)
before the next stage begins, so a receiver reads only what earlier stages
made: its place in ``PLUGINS`` does not matter.
"""

from blinker import signal

# 1. Read what the story's files hold: the audio's facts (record.audio).
story_media = signal("portal.story_media")
# 2. Make the parts that need the audio: transcript and chapters
#    (record.transcript_entry, record.chapters), pictures (record.picture). Sent
#    with the stories whose audio could be read.
story_parts = signal("portal.story_parts")
# 3. Check stories against everything read and made: chapters' questions,
#    chapters past the end of the audio.
story_checks = signal("portal.story_checks")
# Sent with ``published`` and ``held_back`` (story -> reasons) once decided.
stories_gated = signal("portal.stories_gated")
# Sent by audio_rendition once every published story's rendition is ready,
# with ``renditions`` (a list of audio_rendition.plugin.Rendition) and
# ``settings`` (its RenditionSettings); the build report lists them.
renditions_made = signal("portal.renditions_made")
# Sent by story_pipeline, in the process (often a worker) that makes one
# published story's outputs, with ``story`` (its Article) and ``out`` (a
# story_pipeline.outputs.StoryOutputs: ``page()``, ``text()``, ``copy()``,
# and ``transcript``, the story's parsed transcript, read once for them all).
# A plugin writes a story's own files through ``out`` and nowhere else:
# then a story nothing changed in is not visited at all, and its files come
# from the cache (plugins/story_pipeline/README.md).
story_outputs = signal("portal.story_outputs")
# Sent by story_pipeline as a build starts, before any story is read, with
# ``settings`` and ``folders``: each story folder (absolute path) with its
# files by name and content hash (story_pipeline/key.py). What a plugin may
# tell early of what the build will change: site_search compares them with
# the last indexing's and starts indexing ahead the part of the search index
# an edited story is in (plugins/site_search/ahead.py).
story_folders_hashed = signal("portal.story_folders_hashed")
# Sent by a plugin that wrote a file into the output before the end of the
# build and will not write it again in this build, with ``settings`` and
# ``path``: precompress may compress it beside the build (a large one: the
# podcast feed, plugins/podcast_feed).
file_written_early = signal("portal.file_written_early")
# Sent by unchanged_writes as soon as Pelican has made the build's writer,
# before any generator writes with it, with ``writer``: the story pipeline
# makes at once the stories the last build's files cannot serve (an edit's
# page), so the search adds it to the part of its index it reads ahead a
# little sooner (plugins/site_search/ahead.py).
writer_made = signal("portal.writer_made")
