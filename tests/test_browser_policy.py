"""The browser policy: no inline code, a strict CSP, no third-party requests.

Every page of the sample site is checked twice: its HTML (lxml) for inline
scripts, event-handler and style attributes; and in Chromium, recording
every request it makes and every CSP violation it reports."""

from __future__ import annotations

import json
import re
import urllib.parse

import lxml.html

from tests import host_headers
from tests.support import LEAN, build_site, loaded_in_tabs

JSON_LD = "application/ld+json"


def html_pages(output):
    return sorted(output.rglob("*.html"))


def inline_code(path) -> list[str]:
    """What in one page breaks the policy (inline script, on*=, style=)."""
    found = []
    root = lxml.html.parse(str(path)).getroot()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        for name in element.attrib:
            if name.lower().startswith("on") or name.lower() == "style":
                found.append(f"<{element.tag} {name}=...>")
        if element.tag == "style":
            found.append("<style> element")
        if element.tag == "script" and not element.get("src"):
            if element.get("type") != JSON_LD:
                found.append("inline <script>")
            else:
                json.loads(element.text or "")
    return found


def test_no_inline_script_handler_or_style_in_any_page(sample_site):
    pages = html_pages(sample_site)
    assert len(pages) > 20
    problems = {
        str(page.relative_to(sample_site)): found
        for page in pages
        if (found := inline_code(page))
    }
    assert not problems


def csp_meta(path) -> str:
    root = lxml.html.parse(str(path)).getroot()
    metas = root.xpath('//meta[@http-equiv="Content-Security-Policy"]')
    assert len(metas) == 1, f"{path}: {len(metas)} CSP meta tags"
    return metas[0].get("content")


def test_every_page_carries_the_policy_in_a_meta_tag(sample_site):
    for page in html_pages(sample_site):
        policy = csp_meta(page)
        assert "default-src 'self'" in policy
        assert "script-src 'self' 'wasm-unsafe-eval';" in policy
        assert "object-src 'none'" in policy
        assert "frame-ancestors" not in policy  # ignored in meta; headers only
        assert "http" not in policy  # no media CDN, no form provider set here


def parse_headers(text: str) -> dict[str, list[str]]:
    """Each rule's headers as "Name: value" lines, by its pattern."""
    return {
        pattern: [f"{name}: {value}" for name, value in headers]
        for pattern, headers in host_headers.rules(text)
    }


def test_headers_file_policy_referrer_and_framing(sample_site):
    rules = parse_headers((sample_site / "_headers").read_text())
    everything = rules["/*"]
    assert "Referrer-Policy: strict-origin-when-cross-origin" in everything
    assert "X-Content-Type-Options: nosniff" in everything
    assert f"Content-Security-Policy: {csp_meta(sample_site / 'index.html')}" in (
        everything
    )
    assert rules["/"] == ["Content-Security-Policy: frame-ancestors 'self'"]
    assert rules["/stories/"] == ["Content-Security-Policy: frame-ancestors 'self'"]


def test_every_page_is_framed_by_one_rule_and_only_players_by_anyone(sample_site):
    """As Netlify and Cloudflare Pages read _headers: each page gets one
    frame-ancestors policy, 'self', but the embed players, which get none
    (any page may frame them: ``*`` refused a local file and a sandboxed
    frame); the rules do not grow with the stories (Cloudflare takes 100)."""
    file_rules = host_headers.rules((sample_site / "_headers").read_text())
    assert len(file_rules) <= host_headers.CLOUDFLARE_MOST_RULES
    slugs = [
        folder.name
        for folder in (sample_site / "stories").iterdir()
        if (folder / "embed" / "index.html").is_file()
    ]
    assert len(slugs) >= 5
    assert not [rule for rule, _ in file_rules for slug in slugs if slug in rule]
    pages = html_pages(sample_site)
    assert any("/embed/" in page.as_posix() for page in pages)
    for page in pages:
        player = page.relative_to(sample_site).as_posix().endswith("/embed/index.html")
        expected = [] if player else ["frame-ancestors 'self'"]
        for url in host_headers.page_urls(sample_site, page):
            for host in host_headers.HOSTS:
                policies = host_headers.policies_for(file_rules, url, host)
                # The same policy twice (Netlify's /stories/:slug/ matches
                # /stories/index.html too) is enforced as one.
                ancestors = {
                    directive.strip()
                    for policy in policies
                    for directive in policy.split(";")
                    if directive.strip().startswith("frame-ancestors")
                }
                assert sorted(ancestors) == expected, (host, url, policies)


def test_hosts_let_other_sites_fetch_transcripts_and_chapters(sample_site):
    """Podcast apps and players on other sites read a story's transcript and
    chapters from scripts: as Netlify and Cloudflare Pages read _headers,
    those files are served with CORS (the checklist's hosting rule), and no
    page is."""
    file_rules = host_headers.rules((sample_site / "_headers").read_text())
    files = sorted(
        path.relative_to(sample_site).as_posix()
        for name in (
            "transcript.vtt",
            "transcript.srt",
            "transcript.json",
            "chapters.json",
        )
        for path in (sample_site / "stories").glob(f"*/{name}")
    )
    assert len(files) >= 4 * 5
    pages = [
        page.relative_to(sample_site).as_posix() for page in html_pages(sample_site)
    ]
    for host in host_headers.HOSTS:
        for path in files:
            headers = host_headers.headers_for(file_rules, "/" + path, host)
            assert ("Access-Control-Allow-Origin", "*") in headers, (host, path)
        for path in pages:
            headers = host_headers.headers_for(file_rules, "/" + path, host)
            assert "Access-Control-Allow-Origin" not in dict(headers), (host, path)


# What the hosts must keep a year, by where the build puts it and how it
# names it (written out here, not read from portal.outputs, which is what
# is tested): the story folders' files named by a hash of what made them,
# every file of the search's parts (each in a folder named by what made
# it), and elsewhere the theme's, the logos' and the cover's fingerprinted
# names.
STORY_FILE_BY_HASH = r"(?:share|podcast-art)-[0-9a-f]{12}(?:-\d+)?\.(?:jpg|webp)"
SEARCH_PART = r"pagefind/(?:part|words)-[0-9a-f]{16}/.+"


def named_by_hash(path: str) -> bool:
    from portal.outputs import FINGERPRINTED

    folder, _, name = path.rpartition("/")
    top, _, slug = folder.partition("/")
    if top == "stories":
        rendition = re.escape(slug) + r"-[0-9a-f]{12}\.(?:mp3|m4a)"
        return "/" not in slug and bool(
            re.fullmatch(STORY_FILE_BY_HASH, name) or re.fullmatch(rendition, name)
        )
    if top == "pagefind":
        return bool(re.fullmatch(SEARCH_PART, path))
    return bool(FINGERPRINTED.search(name))


def test_hosts_keep_fingerprinted_files_a_year_and_nothing_else(sample_site):
    """A file whose name changes whenever its bytes do is kept a year, as
    Netlify and Cloudflare Pages read _headers and as the S3 deploy sends
    it: the theme's CSS and JavaScript, the funders' logos, the show's
    cover, each story's share card, podcast art and audio (a listing page
    shows a dozen pictures, and the hosts' default had a returning
    visitor's browser ask again for each), and every file of a large
    site's search parts (a search fetched them all again), whose folders
    are named by what made them. Nothing else is: a page, the feed, a
    story's own picture or transcript, or a small site's single search
    bundle (Pagefind names its files by 7 hex digits of their hash, which a
    later build may give to other bytes) kept a year would go stale in
    visitors' browsers. The rules do not grow with the stories or the
    search's parts (Cloudflare takes 100)."""
    from portal.deploy import s3
    from portal.outputs import CACHE_FOR_A_YEAR

    file_rules = host_headers.rules((sample_site / "_headers").read_text())
    assert len(file_rules) <= host_headers.CLOUDFLARE_MOST_RULES
    cached = [
        pattern
        for pattern, headers in file_rules
        if any(name == "Cache-Control" for name, _ in headers)
    ]
    # One rule a kind of file in every story folder, one for all the
    # search's parts.
    assert not [p for p in cached if p.startswith(("/stories/", "/pagefind/"))
                and not p.startswith("/stories/:slug/")
                and p not in ("/pagefind/part-*", "/pagefind/words-*")]  # fmt: skip
    files = [
        path.relative_to(sample_site).as_posix()
        for path in sample_site.rglob("*")
        if path.is_file() and path.suffix not in (".gz", ".br")
    ]
    kept: dict[str, int] = {}
    for path in files:
        expected = [CACHE_FOR_A_YEAR] if named_by_hash(path) else []
        for host in host_headers.HOSTS:
            headers = host_headers.headers_for(file_rules, "/" + path, host)
            cache = [value for name, value in headers if name == "Cache-Control"]
            assert cache == expected, (host, path)
        # The S3 deploy says the same of every file.
        assert (s3.cache_control(path) == s3.CACHE_LONG) == bool(expected), path
        if expected:
            kind = re.sub(r"[0-9a-f]{7,}.*", "", path.rsplit("/", 1)[-1])
            folder = path.split("/", 1)[0]
            key = folder if folder not in ("stories", "pagefind") else kind
            kept[key] = kept.get(key, 0) + 1
    slugs = [f.parent.name for f in (sample_site / "stories").glob("*/embed")]
    assert len(slugs) >= 5
    for kind in ("share-", "podcast-art-"):
        assert kept.get(kind, 0) >= len(slugs), (kind, kept)
    assert sum(kept.get(f"{slug}-", 0) for slug in slugs) == len(slugs), kept  # audio
    for folder in ("theme", "funders", "podcast"):
        assert kept.get(folder, 0) >= 2, (folder, kept)
    # Named by nothing of their bytes: the hosts' default, which revalidates.
    plain = [
        "index.html",
        "podcast.xml",
        "theme/css/site.css",
        "pagefind/pagefind.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.en.pagefind",
        "pagefind/pagefind-ui.js",
        "pagefind/parts.json",
        *(
            path
            for path in files
            if path.startswith("pagefind/") and ".pf_" in path  # one bundle
        ),
        *(
            f"stories/{slug}/{name}"
            for slug in slugs
            for name in (
                "index.html",
                "picture.jpg",
                "transcript.vtt",
                "transcript.json",
                "chapters.json",
                "oembed.json",
            )
        ),
    ]
    present = [path for path in plain if path in files]  # a story may lack one
    for name in {path.rsplit("/", 1)[-1] for path in plain}:
        assert [path for path in present if path.endswith("/" + name) or path == name]
    assert not [path for path in present if named_by_hash(path)]


def test_a_storys_own_file_shaped_like_a_hashed_one_keeps_the_default(tmp_path):
    """The rules cover a kind of file in every story folder by its shape
    (``/stories/:slug/share-*``), but a story's own files keep the names
    editors gave them: a picture named share-me.jpg, or the master published
    beside the rendition as conversation.mp3, would be kept a year under a
    name that does not change with its bytes. That kind is then left to
    the hosts' default in every story folder; the others keep their rule."""
    from security_headers.plugin import headers_file

    from portal.outputs import CACHE_FOR_A_YEAR

    def story(slug, *names):
        (tmp_path / "stories" / slug / "embed").mkdir(parents=True)
        for name in (f"{slug}-0a1b2c3d4e5f.mp3", "podcast-art-012345678901-400.webp",
                     "share-56d3d0422e5c.jpg", *names):  # fmt: skip
            (tmp_path / "stories" / slug / name).write_bytes(b"")

    story("first")
    story("second", "Share-Me.JPG", "conversation.mp3")
    text = headers_file({"SECURITY_CSP_META": "default-src 'self'"}, str(tmp_path))
    file_rules = host_headers.rules(text)
    for host in host_headers.HOSTS:
        for path, kept in [
            ("first/podcast-art-012345678901-400.webp", True),
            ("second/podcast-art-012345678901-400.webp", True),
            ("first/share-56d3d0422e5c.jpg", False),
            ("second/Share-Me.JPG", False),
            ("first/first-0a1b2c3d4e5f.mp3", False),
            ("second/conversation.mp3", False),
        ]:
            headers = host_headers.headers_for(file_rules, f"/stories/{path}", host)
            cache = [value for name, value in headers if name == "Cache-Control"]
            assert cache == ([CACHE_FOR_A_YEAR] if kept else []), (host, path)


def test_policy_names_media_host_and_form_provider(tmp_path):
    from tests.support import copy_content

    content = copy_content(tmp_path / "content", stories=True)
    forms = content / "data" / "forms.yml"
    forms.write_text(
        forms.read_text().replace(
            'action: ""          # like https://formspree.io/f/abcdwxyz',
            'action: "https://formspree.io/f/abcdwxyz"',
        )
    )
    output = build_site(
        content,
        tmp_path / "out",
        STORY_MEDIA_URL="https://media.example.net/oss/",
        **LEAN,
    )
    policy = csp_meta(output / "index.html")
    assert "media-src 'self' https://media.example.net;" in policy
    assert "form-action 'self' https://formspree.io" in policy
    assert policy in (output / "_headers").read_text()


# Pages are opened this many at a time, each in its own tab: waiting for a
# page's network to be quiet (half a second with no request) is most of the
# walk, and the tabs wait side by side.
TABS = 10


def test_no_page_requests_another_origin_or_breaks_the_policy(
    sample_site, site_server, strict_page
):
    context = strict_page.context
    own = urllib.parse.urlsplit(site_server).netloc
    requests: list[str] = []
    violations: list[str] = []
    context.on("request", lambda request: requests.append(request.url))

    def watch(page):
        page.on(
            "console",
            lambda message: (
                violations.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                or "Refused to" in message.text
                else None
            ),
        )
        return page

    tabs = [watch(strict_page)] + [watch(context.new_page()) for _ in range(TABS - 1)]
    urls = []
    for path in html_pages(sample_site):
        relative = str(path.relative_to(sample_site))
        urls.append("/" + relative.removesuffix("index.html"))
    # The search page runs Pagefind (WebAssembly) only once there is a query.
    urls.append("/search/?q=family")
    for tab, url in loaded_in_tabs(tabs, site_server, urls, "networkidle"):
        if url.startswith("/search/?q="):
            tab.wait_for_selector(".search-result__title a", timeout=15_000)
    assert len(requests) > len(urls)
    foreign = [
        url
        for url in requests
        if urllib.parse.urlsplit(url).scheme not in ("data", "blob")
        and urllib.parse.urlsplit(url).netloc != own
    ]
    assert not foreign
    assert not violations


def test_the_player_enhances_under_the_policy(sample_site, site_server, strict_page):
    """Our own scripts run under the CSP a visitor's browser enforces: the
    story page's player replaces the native controls with its own."""
    story = next(sample_site.glob("stories/*/index.html")).parent.name
    strict_page.goto(f"{site_server}/stories/{story}/", wait_until="networkidle")
    enhanced = strict_page.evaluate(
        "() => !document.querySelector('figure[data-player] audio').controls"
    )
    assert enhanced


def test_a_nested_folder_with_its_own_policy_is_left_to_it(tmp_path):
    """The editing UI may live in a folder inside another: the splat rule of
    the outer folder would give its pages the site's policy too."""
    from security_headers.plugin import headers_file

    pages = [
        "index.html",
        "guide/index.html",
        "cms/index.html",
        "cms/help/index.html",
        "cms/admin/index.html",
        "stories/index.html",
        "stories/page/2/index.html",
        "stories/one/index.html",
        "stories/one/embed/index.html",
    ]
    for page in pages:
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page).write_text("<!doctype html>")
    # A folder with no page (the search's bundle, maybe still being written)
    # has no rule: the file does not change with it.
    (tmp_path / "pagefind" / "fragment").mkdir(parents=True)
    text = headers_file(
        {
            "SECURITY_CSP_META": "default-src 'self'",
            "SECURITY_HEADERS_OWN_POLICIES": {"cms/admin/": "default-src 'none'"},
        },
        str(tmp_path),
    )
    file_rules = host_headers.rules(text)
    for page in pages:
        if page.startswith("cms/admin/"):
            expected = ["default-src 'none'; frame-ancestors 'none'"]
        elif page.endswith("/embed/index.html"):
            expected = ["default-src 'self'"]  # any page may frame it
        else:
            expected = ["default-src 'self'; frame-ancestors 'self'"]
        for url in host_headers.page_urls(tmp_path, tmp_path / page):
            for host in host_headers.HOSTS:
                found = set(host_headers.policies_for(file_rules, url, host))
                assert sorted(found) == expected, (host, url, text)
    # But for the rules of its parts, which hold whatever is in them.
    assert [line for line in text.splitlines() if "pagefind" in line] == [
        "/pagefind/part-*",
        "/pagefind/words-*",
    ]
