"""The theme's templates compiled once, kept in the cache folder.

Every build makes new Jinja environments (one a generator), and each
compiled every template it used again: about a second of every build's
CPU, most of a rebuild of a small site in the live preview. Jinja keeps the
compiled code in ``CACHE_PATH/templates/`` (its ``FileSystemBytecodeCache``)
with the checksum of the template's source, and compiles again when the
source differs; its own header carries Jinja's and Python's versions. What
else shapes the code (the environment's options, its extensions) names the
folder the code is kept in, so a change in any of them starts a new one."""

from __future__ import annotations

import hashlib
import json
import os

import jinja2
import jinja2.bccache

FOLDER = "templates"  # in CACHE_PATH


def _named(value) -> str:
    """An option that is not plain data (an ``undefined`` class, a
    ``finalize`` function) by its name: its repr may hold an address that
    changes from run to run."""
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"


def _options_key(settings) -> str:
    """Jinja's version and the environment's options, as the folder's name."""
    options = {
        name: value
        for name, value in (settings.get("JINJA_ENVIRONMENT") or {}).items()
        if name != "bytecode_cache"
    }
    text = json.dumps([jinja2.__version__, options], sort_keys=True, default=_named)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's store, for which a damaged file is a miss, never a crash
    (Jinja reads a cut-off file's checksum with pickle, which raises)."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # any damage: compiled again
            bucket.reset()


def keep_compiled_templates(generator) -> None:
    env = getattr(generator, "env", None)
    cache = generator.settings.get("CACHE_PATH")
    # An environment given a store of its own (the tests' in memory) keeps it.
    if env is None or not cache or env.bytecode_cache is not None:
        return
    folder = os.path.join(cache, FOLDER, _options_key(generator.settings))
    os.makedirs(folder, exist_ok=True)
    env.bytecode_cache = _CompiledTemplates(folder)
