"""What a code file says: its syntax, not its comments or layout.

The caches key on the code that fills them (``portal.code_digest``). By its
bytes, a comment corrected in ``plugins/`` made every story's outputs again
(two to three minutes at 10,000 stories) and one in ``portal/`` read every
story again as well (ten minutes): for outputs that could not differ. A
Python file is therefore digested as its syntax tree (``ast.dump``: no
line numbers, no comments, no blank lines or formatting), without its
docstrings, which no output prints (code that read ``__doc__`` would break
under ``python -OO`` too). Any change to what the code does changes the
tree, and so the digest; a file Python cannot parse is digested by its
bytes. The theme's Jinja templates likewise count by the tokens Jinja reads
(``template_digest``): a ``{# comment #}`` edited made every story page
again.

Parsing the portal's code takes about 0.3 s, so a file's digest is kept
by the SHA-256 of its bytes in a table in the cache folder (``TABLE_FILE``,
``keep_table``/``save_table``, as ``portal.git_hashes`` keeps its own):
a build reads and parses only the files that changed. The table names the
Python, Jinja and this module it was made with; made by others, it starts
empty.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import os
import sys
import threading

import jinja2

from portal import cache_json
from portal.writing import write_atomically

TABLE_FILE = "code-digests.json"

_NODES_WITH_DOCSTRINGS = (
    ast.Module,
    ast.ClassDef,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
)


def syntax_digest(source: bytes) -> str:
    """The SHA-256 of ``source``'s syntax tree without docstrings, or of
    its bytes when it does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):  # ValueError: a NUL byte
        return hashlib.sha256(source).hexdigest()
    for node in ast.walk(tree):
        if isinstance(node, _NODES_WITH_DOCSTRINGS) and _has_docstring(node):
            node.body = node.body[1:]
    return hashlib.sha256(ast.dump(tree).encode("utf-8")).hexdigest()


def _has_docstring(node) -> bool:
    first = node.body[0] if node.body else None
    return (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )


class _Table:
    """Each code file's digest by the SHA-256 of its bytes."""

    def __init__(self) -> None:
        self.path: str | None = None
        self.digests: dict[str, str] = {}
        self.used: set[str] = set()
        self.learnt: set[str] = set()  # parsed here, not in the stored table
        self.loaded = False


_table = _Table()
_lock = threading.Lock()


def _maker() -> str:
    """What the table's digests were made with: this module, Python and
    Jinja (each parses in its own way)."""
    with open(os.path.abspath(__file__), "rb") as handle:
        code = handle.read()
    tools = f"{sys.implementation.cache_tag}\0{jinja2.__version__}\0"
    made_by = tools.encode() + code
    return hashlib.sha256(made_by).hexdigest()


def keep_table(path: str | os.PathLike) -> None:
    """Keep the table in ``path`` (the cache folder's ``TABLE_FILE``): read
    at the next lookup, written by ``save_table``."""
    with _lock:
        if _table.path != os.fspath(path):
            _table.path, _table.loaded = os.fspath(path), False


def _load() -> None:
    _table.loaded = True
    try:
        stored = cache_json.load(_table.path)
    except (OSError, ValueError):
        return  # none yet, or unreadable: the files are parsed again
    if not isinstance(stored, dict) or stored.get("maker") != _maker():
        return
    digests = stored.get("digests")
    if isinstance(digests, dict):
        for raw, digest in digests.items():
            if isinstance(raw, str) and isinstance(digest, str):
                _table.digests.setdefault(raw, digest)
                # Files parsed before the table was named (a plugin's own
                # digest, made as it is imported) need no writing if in it.
                _table.learnt.discard(raw)


def code_digest(path: str, raw_sha256: str | None = None) -> str:
    """The syntax digest of the Python file at ``path``, whose bytes have
    the SHA-256 ``raw_sha256`` when the caller knows it (the file is then
    read only if the table lacks it)."""
    return _remembered(path, raw_sha256, "", syntax_digest)


def template_digest(path: str, options: dict, raw_sha256: str | None = None) -> str:
    """The digest of the Jinja template at ``path`` as Jinja reads it with
    the environment's ``options`` (Pelican's ``JINJA_ENVIRONMENT``): its
    tokens without comments (``{# #}``) or the spaces inside its tags; its
    text, what its tags strip of it taken off, as the template prints it.
    By its bytes when an extension may rewrite it before it is read."""
    lexing = _lexing(options)
    if lexing is None:
        return raw_sha256 or _sha256_of(path)
    return _remembered(
        path,
        raw_sha256,
        lexing,
        lambda source: tokens_digest(source, _environment(lexing)),
    )


# What Jinja's lexer reads a template with (``jinja2.Environment``'s options):
# the others shape what a template does once parsed, as the settings the
# keys hold beside the theme.
_LEXING = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
)
# Tokens that shape nothing a template prints or does.
_NOT_READ = frozenset(
    {
        "comment_begin",
        "comment",
        "comment_end",
        "linecomment_begin",
        "linecomment",
        "linecomment_end",
        "whitespace",
    }
)


def _lexing(options: dict) -> str | None:
    """The lexing options as text (a key of the table); None when an
    extension may rewrite the source before it is read (``preprocess``)."""
    if options.get("extensions"):
        return None
    return json.dumps(
        {name: options[name] for name in _LEXING if name in options}, sort_keys=True
    )


@functools.cache
def _environment(lexing: str) -> jinja2.Environment:
    return jinja2.Environment(**json.loads(lexing))


def tokens_digest(source: bytes, environment: jinja2.Environment) -> str:
    """The SHA-256 of a template's tokens as ``environment`` reads them,
    without comments and spaces inside tags, its text runs joined (a comment
    removed between two runs of text leaves one); of its bytes when it is
    not UTF-8 or not a template."""
    digest = hashlib.sha256()

    def add(kind: str, value: str) -> None:
        digest.update(f"{kind}\0{len(value)}\0{value}\0".encode())

    text: list[str] = []
    try:
        for _line, kind, value in environment.lex(source.decode("utf-8")):
            if kind in _NOT_READ:
                continue
            if kind == "data":
                text.append(value)
                continue
            if text:
                add("data", "".join(text))
                text.clear()
            add(kind, value)
    except (UnicodeDecodeError, jinja2.TemplateSyntaxError):
        return hashlib.sha256(source).hexdigest()
    if text:
        add("data", "".join(text))
    return digest.hexdigest()


def _sha256_of(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _remembered(path: str, raw_sha256: str | None, salt: str, make) -> str:
    """``make(bytes)`` for the file at ``path``, kept in the table by its
    bytes' SHA-256 (and ``salt``: what else the digest was made with)."""
    source = None
    if raw_sha256 is None:
        with open(path, "rb") as handle:
            source = handle.read()
        raw_sha256 = hashlib.sha256(source).hexdigest()
    name = raw_sha256
    if salt:
        name = hashlib.sha256(f"{raw_sha256}\0{salt}".encode()).hexdigest()
    with _lock:
        if _table.path and not _table.loaded:
            _load()
        known = _table.digests.get(name)
        _table.used.add(name)
    if known is not None:
        return known
    if source is None:
        with open(path, "rb") as handle:
            source = handle.read()
        if hashlib.sha256(source).hexdigest() != raw_sha256:
            # Changed since it was hashed: the digest of the bytes hashed
            # is not at hand, and this build's key must name the old ones.
            return raw_sha256
    digest = make(source)
    with _lock:
        _table.digests[name] = digest
        _table.learnt.add(name)
    return digest


def save_table() -> None:
    """Write the table when a file was parsed: the files of this process's
    digests (those of code no longer in use leave it)."""
    with _lock:
        if _table.path and not _table.loaded:
            _load()
        if not (_table.path and _table.learnt):
            return
        kept = {
            raw: digest for raw, digest in _table.digests.items() if raw in _table.used
        }
        _table.learnt.clear()
        path = _table.path
    try:
        write_atomically(
            path, cache_json.dumps({"maker": _maker(), "digests": kept}, sort_keys=True)
        )
    except OSError:
        pass  # a read-only cache: the files are parsed again next time
