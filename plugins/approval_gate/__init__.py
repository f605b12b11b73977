from .gate import register  # noqa: F401
