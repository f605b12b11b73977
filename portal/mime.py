"""The one table of audio formats the portal publishes.

Apple lists ``audio/x-m4a`` for .m4a (Python's mimetypes says audio/mp4), so
every plugin takes its MIME types from here and nowhere else."""

AUDIO_MIME_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/x-m4a",
    ".mp4": "audio/x-m4a",
    ".aac": "audio/x-m4a",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg; codecs=opus",
    ".flac": "audio/flac",
    ".wav": "audio/wav",
}

# The container each extension promises; used to catch mislabeled files
# (an MP3 renamed to .m4a plays nowhere the extension says it should).
AUDIO_CONTAINERS = {
    ".mp3": "MP3",
    ".m4a": "MP4",
    ".mp4": "MP4",
    ".aac": "MP4",
    ".ogg": "OggVorbis",
    ".oga": "OggVorbis",
    ".opus": "OggOpus",
    ".flac": "FLAC",
    ".wav": "WAVE",
}

TRANSCRIPT_MIME_TYPES = {
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".json": "application/json",
}

IMAGE_MIME_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
# What editors call each kind of picture IMAGE_MIME_TYPES takes.
_IMAGE_KIND_NAMES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP"}


def image_kinds() -> str:
    """The kinds of picture a story may have, in words ("JPEG, PNG or WebP"),
    for help and messages: from the table the check takes pictures by."""
    names = list(dict.fromkeys(_IMAGE_KIND_NAMES[t] for t in IMAGE_MIME_TYPES.values()))
    return ", ".join(names[:-1]) + " or " + names[-1]


def audio_mime_type(filename: str) -> str | None:
    """The MIME type for an audio file name, or None if we don't publish it."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return AUDIO_MIME_TYPES.get(suffix)


# Everything else a built site holds. The dev server and the S3 deploy take
# their content types from here, so a file has the same type everywhere.
SITE_MIME_TYPES = {
    **AUDIO_MIME_TYPES,
    **TRANSCRIPT_MIME_TYPES,
    **IMAGE_MIME_TYPES,
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".svg": "image/svg+xml",
    ".gif": "image/gif",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".txt": "text/plain",
    ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
    # The editing UI's configuration (admin/config.yml).
    ".yml": "text/yaml",
}


def site_mime_type(filename: str) -> str:
    """The type a web server should send ``filename`` with."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return SITE_MIME_TYPES.get(suffix, "application/octet-stream")
