from .writer import register  # noqa: F401
