"""One rule for "the code changed": the bytes of its files, never their mtimes."""

from __future__ import annotations

import os

from portal.code_digest import tree_digest


def _tree(root):
    (root / "pkg" / "__pycache__").mkdir(parents=True)
    (root / "pkg" / "a.py").write_text("A = 1\n")
    (root / "pkg" / "b.html").write_text("<p>{{ b }}</p>\n")
    (root / "pkg" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0compiled")
    return root / "pkg"


def test_new_modification_times_change_nothing(tmp_path):
    pkg = _tree(tmp_path)
    before = tree_digest(pkg)
    for path in pkg.rglob("*"):
        os.utime(path, (2_000_000_000, 2_000_000_000))
    (pkg / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0recompiled")
    assert tree_digest(pkg) == before


def test_a_changed_renamed_or_new_file_changes_the_digest(tmp_path):
    pkg = _tree(tmp_path)
    seen = {tree_digest(pkg)}
    (pkg / "a.py").write_text("A = 2\n")
    seen.add(tree_digest(pkg))
    (pkg / "a.py").rename(pkg / "c.py")
    seen.add(tree_digest(pkg))
    (pkg / "d.py").write_text("")
    seen.add(tree_digest(pkg))
    assert len(seen) == 4


def test_suffixes_keep_only_those_files(tmp_path):
    pkg = _tree(tmp_path)
    python_only = tree_digest(pkg, suffixes=(".py",))
    (pkg / "b.html").write_text("<p>changed</p>\n")
    assert tree_digest(pkg, suffixes=(".py",)) == python_only
    assert tree_digest(pkg) != tree_digest(pkg, suffixes=(".py",))


def test_skipped_endings_are_left_out(tmp_path):
    pkg = _tree(tmp_path)
    (pkg / "README.md").write_text("How it works.\n")
    without_docs = tree_digest(pkg, skipped=(".md",))
    (pkg / "README.md").write_text("How it works, said better.\n")
    assert tree_digest(pkg, skipped=(".md",)) == without_docs
    (pkg / "b.html").write_text("<p>changed</p>\n")
    assert tree_digest(pkg, skipped=(".md",)) != without_docs


def test_a_story_s_key_holds_the_code_but_not_its_documentation(tmp_path):
    """A plugin's README edited made every story again (minutes at 10,000
    stories); its code, the theme's files and the content still count."""
    from story_pipeline.key import StoryKeys

    from portal.file_hashes import FileHashes

    plugins, theme, content = _tree(tmp_path), tmp_path / "theme", tmp_path / "c"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "base.html").write_text("<html></html>\n")
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "about.md").write_text("About us.\n")
    settings = {
        "THEME": str(theme),
        "PLUGIN_PATHS": [str(plugins)],
        "PATH": str(content),
        "ARTICLE_PATHS": ["stories"],
    }

    def digests():
        return StoryKeys(settings, FileHashes(None))._digests()

    before = digests()
    (plugins / "README.md").write_text("What this plugin does.\n")
    assert digests() == before
    for changed, added in (
        (plugins / "a.py", "B = 2\n"),
        (theme / "templates" / "base.html", "\n"),
        (content / "pages" / "about.md", "\n"),  # a campaign page is Markdown too
    ):
        changed.write_text(changed.read_text() + added)
        assert digests() != before, changed
        before = digests()


def test_content_digested_through_remembered_hashes_is_read_once(tmp_path, monkeypatch):
    """The story keys digest the content outside the story folders (pictures,
    logos): every build read each of those files whole again, however large.
    Through ``FileHashes`` a file whose stat holds is not read, and the
    digest is the one its bytes give."""
    import builtins

    from portal import file_hashes

    pkg = _tree(tmp_path)
    (pkg / "picture.jpg").write_bytes(os.urandom(3 << 20))
    monkeypatch.setattr(file_hashes, "RACY_NS", 0)  # written just now
    hashes = file_hashes.FileHashes(None)
    assert tree_digest(pkg, hashes=hashes) == tree_digest(pkg)

    opened = []
    real_open = builtins.open

    def spy(file, *args, **kwargs):
        opened.append(os.path.basename(str(file)))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    again = tree_digest(pkg, hashes=file_hashes.FileHashes(None))
    assert "picture.jpg" not in opened
    (pkg / "picture.jpg").write_bytes(b"another picture")
    assert tree_digest(pkg, hashes=file_hashes.FileHashes(None)) != again


def test_a_story_s_key_leaves_out_what_pelican_ignores(tmp_path):
    """The content's README.md (the editors' guide, read on GitHub) and its
    screenshots are no page of the site (IGNORE_FILES): edited, they made
    every story again (minutes at 10,000 stories)."""
    from story_pipeline.key import StoryKeys

    from portal.file_hashes import FileHashes

    plugins, theme, content = _tree(tmp_path), tmp_path / "theme", tmp_path / "c"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "base.html").write_text("<html></html>\n")
    for folder in ("pages", "data", "guide-screenshots", "images"):
        (content / folder).mkdir(parents=True)
    (content / "README.md").write_text("How to add a story.\n")
    (content / "data" / "README.md").write_text("What each file holds.\n")
    (content / "guide-screenshots" / "1-stories.png").write_bytes(b"\x89PNG 1")
    (content / "pages" / "about.md").write_text("About us.\n")
    (content / "data" / "questions.yml").write_text("- key: home\n")
    (content / "images" / "hero.jpg").write_bytes(b"\xff\xd8 1")
    settings = {
        "THEME": str(theme),
        "PLUGIN_PATHS": [str(plugins)],
        "PATH": str(content),
        "ARTICLE_PATHS": ["stories"],
        "IGNORE_FILES": [".*", "README.md", "*~", "guide-screenshots"],
    }

    def digests():
        return StoryKeys(settings, FileHashes(None))._digests()

    before = digests()
    for ignored in (
        content / "README.md",
        content / "data" / "README.md",
        content / "guide-screenshots" / "1-stories.png",
    ):
        ignored.write_bytes(ignored.read_bytes() + b" again")
        assert digests() == before, ignored
    (content / "guide-screenshots" / "2-new-story.png").write_bytes(b"\x89PNG 2")
    assert digests() == before
    for changed in (
        content / "pages" / "about.md",
        content / "data" / "questions.yml",
        content / "images" / "hero.jpg",
    ):
        changed.write_bytes(changed.read_bytes() + b"\n")
        assert digests() != before, changed
        before = digests()


_MODULE = '''"""What the module does."""

LIMIT = 3  # stories a page


class Pages:
    """A listing's pages."""

    def count(self, stories):
        """How many pages."""
        return -(-stories // LIMIT)
'''


def test_comments_docstrings_and_layout_change_no_digest(tmp_path):
    """A comment corrected in plugins/ made every story again (minutes at
    10,000 stories), one in portal/ read every story again too: no output
    could differ. What the code does still counts, strings that are not
    docstrings included."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    module = pkg / "pages.py"
    module.write_text(_MODULE)
    before = tree_digest(pkg)
    for same in (
        _MODULE.replace("# stories a page", "# how many stories a page shows"),
        _MODULE.replace("What the module does.", "Listings, in pages."),
        _MODULE.replace('        """How many pages."""\n', ""),
        _MODULE.replace("LIMIT = 3", "LIMIT=3").replace("\n\n\n", "\n\n\n\n"),
    ):
        module.write_text(same)
        assert tree_digest(pkg) == before, same
    for changed in (
        _MODULE.replace("LIMIT = 3", "LIMIT = 4"),
        _MODULE.replace("-(-stories // LIMIT)", "stories // LIMIT"),
        _MODULE.replace("class Pages:", "class Listing:"),
        _MODULE + '\nprint("a string that is no docstring")\n',
    ):
        module.write_text(changed)
        assert tree_digest(pkg) != before, changed
    # In the content (a file served as it is), every byte counts.
    module.write_text(_MODULE)
    served = tree_digest(pkg, content=True)
    module.write_text(_MODULE.replace("# stories a page", "# how many"))
    assert tree_digest(pkg, content=True) != served
    module.write_text("def broken(:\n")  # not Python: counted by its bytes
    broken = tree_digest(pkg)
    module.write_text("def broken(:  # still\n")
    assert tree_digest(pkg) != broken


def test_the_table_of_digests_spares_parsing_the_code_again(tmp_path, monkeypatch):
    """Parsing the portal's code takes some 0.3 s: a file is parsed once, and
    its digest kept by its bytes' hash in the cache folder. A table made by
    other code is not trusted."""
    import ast

    from portal import cache_json, source_digest
    from portal.file_hashes import FileHashes

    monkeypatch.setattr(source_digest, "_table", source_digest._Table())
    pkg = _tree(tmp_path)
    (pkg / "pages.py").write_text(_MODULE)
    table = tmp_path / "cache" / source_digest.TABLE_FILE
    table.parent.mkdir()
    source_digest.keep_table(table)
    first = tree_digest(pkg, hashes=FileHashes(None))
    source_digest.save_table()
    assert len(cache_json.load(table)["digests"]) == 2

    parsed = []
    real_parse = ast.parse

    def counting_parse(source, *args, **kwargs):
        parsed.append(source)
        return real_parse(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting_parse)
    monkeypatch.setattr(source_digest, "_table", source_digest._Table())
    source_digest.keep_table(table)
    assert tree_digest(pkg, hashes=FileHashes(None)) == first
    assert parsed == []

    stored = cache_json.load(table)
    stored["maker"] = "other code"
    table.write_bytes(cache_json.dumps(stored))
    monkeypatch.setattr(source_digest, "_table", source_digest._Table())
    source_digest.keep_table(table)
    assert tree_digest(pkg, hashes=FileHashes(None)) == first
    assert len(parsed) == 2


_TEMPLATE = """{% extends "base.html" %}
{% block content %}
  <ul class="stories">
  {% for story in stories %}
    <li>{{ story.title }}</li>
  {% endfor %}
  </ul>
{% endblock %}
"""
_JINJA = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}


def test_a_template_counts_by_what_jinja_reads_of_it(tmp_path):
    """A {# comment #} edited in a template made every story page again. The
    theme's templates count by Jinja's tokens without comments (with the
    environment's own options, which say what its tags strip): the same
    digest is the same page, whatever changes what it prints changes it."""
    import jinja2

    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "base.html").write_text("{% block content %}{% endblock %}")
    listing = theme / "templates" / "listing.html"
    templates = (str(theme / "templates"), _JINJA)
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(theme / "templates")), **_JINJA
    )
    stories = [{"title": "Across the counter"}, {"title": "Common <ground>"}]

    def page() -> str:
        environment.cache.clear()
        return environment.get_template("listing.html").render(stories=stories)

    listing.write_text(_TEMPLATE)
    before, printed = tree_digest(theme, templates=templates), page()
    for same in (
        _TEMPLATE.replace("  <ul", "  {# Newest first. #}\n  <ul"),
        _TEMPLATE.replace("}}</li>", "}}{#- its title -#}</li>"),
        _TEMPLATE.replace("{{ story.title }}", "{{story.title}}"),
        _TEMPLATE.replace("{% endblock %}", "{%  endblock  %}{# end #}"),
    ):
        listing.write_text(same)
        assert page() == printed, same
        assert tree_digest(theme, templates=templates) == before, same
    for changed in (
        _TEMPLATE.replace("<li>", "<li class=story>"),
        _TEMPLATE.replace("    <li>", "      <li>"),  # its text's spaces
        _TEMPLATE.replace("story.title", "story.title|upper"),
        # The same comment stripping the line's end: the text changes.
        _TEMPLATE.replace("{% for", "{#- the stories -#}\n  {% for"),
    ):
        listing.write_text(changed)
        assert page() != printed, changed
        assert tree_digest(theme, templates=templates) != before, changed
    # Without the folder named, a template counts by its bytes.
    listing.write_text(_TEMPLATE)
    plain = tree_digest(theme)
    listing.write_text(_TEMPLATE.replace("  <ul", "  {# Newest first. #}\n  <ul"))
    assert tree_digest(theme) != plain
