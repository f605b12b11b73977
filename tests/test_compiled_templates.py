"""The theme's templates are compiled once and kept in the cache folder
(plugins/theme_helpers/compiled.py); what a build prints is always what the
templates say now."""

from __future__ import annotations

import types

import jinja2
from theme_helpers.compiled import FOLDER, keep_compiled_templates


def _render(templates, cache, **options) -> tuple[str, jinja2.Environment]:
    """A build's environment (a new one each build, as Pelican makes)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), **options)
    generator = types.SimpleNamespace(
        env=env,
        settings={"CACHE_PATH": str(cache), "JINJA_ENVIRONMENT": options},
    )
    keep_compiled_templates(generator)
    return env.get_template("page.html").render(name="Ada"), env


def test_templates_compiled_once_and_again_when_they_change(tmp_path):
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    page = templates / "page.html"
    page.write_text("<p>{{ name }} speaks</p>")
    assert _render(templates, cache)[0] == "<p>Ada speaks</p>"
    [kept] = (cache / FOLDER).rglob("*.cache")
    compiled = kept.read_bytes()

    # The next build loads the code: Jinja does not compile it again.
    _text, env = _render(templates, cache)
    compiles = []
    real = env.compile
    env.compile = lambda *args, **kwargs: compiles.append(args) or real(*args, **kwargs)
    env.cache.clear()
    assert env.get_template("page.html").render(name="Ada") == "<p>Ada speaks</p>"
    assert compiles == []

    # A changed template: its new words, compiled again.
    page.write_text("<p>{{ name }} listens</p>")
    assert _render(templates, cache)[0] == "<p>Ada listens</p>"
    assert kept.read_bytes() != compiled

    # Options that shape the code (autoescape) keep theirs apart.
    page.write_text("<p>{{ name }} & {{ '<b>' }}</p>")
    assert _render(templates, cache)[0] == "<p>Ada & <b></p>"
    escaped = _render(templates, cache, autoescape=True)[0]
    assert escaped == "<p>Ada & &lt;b&gt;</p>"
    assert len(list((cache / FOLDER).iterdir())) == 2


def test_a_damaged_compiled_template_is_compiled_again(tmp_path):
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "page.html").write_text("<p>{{ name }} speaks</p>")
    _render(templates, cache)
    [kept] = (cache / FOLDER).rglob("*.cache")
    data = kept.read_bytes()
    for damaged in (data[: len(data) // 2], data[:20], b"\x80junk", b""):
        kept.write_bytes(damaged)
        assert _render(templates, cache)[0] == "<p>Ada speaks</p>"


def test_an_environment_with_its_own_store_keeps_it(tmp_path):
    """The tests' builds keep their compiled templates in memory."""
    store = jinja2.FileSystemBytecodeCache(str(tmp_path / "own"))
    env = jinja2.Environment(bytecode_cache=store)
    keep_compiled_templates(
        types.SimpleNamespace(env=env, settings={"CACHE_PATH": str(tmp_path)})
    )
    assert env.bytecode_cache is store
    assert not (tmp_path / FOLDER).exists()
