from .helpers import register  # noqa: F401
