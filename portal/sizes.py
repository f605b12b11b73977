"""File sizes the way people read them: 1.2 MB, 840 KB."""


def human_size(count: int) -> str:
    """Decimal units, as file managers and podcast apps show sizes."""
    value = float(count or 0)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"


# Pictures larger than this are refused before they are decoded (a page needs
# far less; a hostile file could hold gigabytes): bytes on disk, and pixels
# as the file's header gives them (the check says so, plugins skip them).
MAX_IMAGE_BYTES = 20_000_000
MAX_IMAGE_PIXELS = 40_000_000


def image_too_large(path: str) -> tuple[str, str] | None:
    """(what is wrong, the fix) if the picture at ``path`` is over the limits;
    reads only the file's size and its header."""
    import os

    from PIL import Image

    size = os.path.getsize(path)
    name = os.path.basename(path)
    if size > MAX_IMAGE_BYTES:
        return (
            f"'{name}' is {human_size(size)}, more than the "
            f"{human_size(MAX_IMAGE_BYTES)} a picture may be",
            "export it at most 3000 pixels wide as JPEG (quality 85)",
        )
    limit = f"the {MAX_IMAGE_PIXELS // 1_000_000} million a picture may have"
    fix = "export it at most 3000 pixels wide"
    try:
        with Image.open(path) as image:
            width, height = image.size  # the header only: nothing decoded
    except Image.DecompressionBombError:
        # Pillow refuses to open it at all: far over our limit too.
        return f"'{name}' has far more pixels than {limit}", fix
    except Exception:
        return None  # not a picture: the caller's decoding says so
    if width * height > MAX_IMAGE_PIXELS:
        return f"'{name}' is {width} x {height} pixels, more than {limit}", fix
    return None
