"""File sizes the way people read them: 1.2 MB, 840 KB."""


def human_size(count: int) -> str:
    """Decimal units, as file managers and podcast apps show sizes."""
    value = float(count or 0)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"
