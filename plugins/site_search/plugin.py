"""Full-text search with Pagefind: the search page, and the index built
after every build. See README.md."""

from __future__ import annotations

from pelican import signals
from pelican.generators import Generator

from .indexer import build_index
from .settings import settings as search_settings


class SearchPageGenerator(Generator):
    """Writes the search page; puts its URLs in every template's context."""

    def generate_context(self):
        options = search_settings(self.settings)
        self.url = options["SITE_SEARCH_URL"]
        self.context["search_url"] = self.url
        self.context["search_bundle_url"] = options["SITE_SEARCH_BUNDLE"]

    def generate_output(self, writer):
        writer.write_file(
            self.url + "index.html",
            self.get_template("search"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=self.url,
            page_name="search",
        )


def get_generators(pelican):
    return SearchPageGenerator


def index_site(pelican):
    options = search_settings(pelican.settings)
    if not options["SITE_SEARCH_INDEX"]:
        return
    # No index is a broken search page: SearchIndexError stops the build.
    build_index(pelican.output_path, options)


def register():
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(index_site)
