"""Sign-up forms: static HTML forms that post to the provider in forms.yml.

Three forms (``portal/signup_fields.py``): email updates, be matched with a
partner, and a partner organization's inquiry. Each is shown on the page forms.yml names
(a page with ``template: signup``), posts straight to the provider's URL with
the provider's field names, and needs no script from anyone: the site's own
small ``signup.js`` only copies ``?story=<id>`` into the hidden story field,
makes the thank-you address absolute from where the page is served (the page
prints the site's absolute one, ``SignupForm.thank_you_address``, for
visitors without script), and says in words why a field is not right.

A form without an ``action`` is "not connected": the site still builds and
``./dev check`` says so. Templates get:
- ``page.signup_form`` on the form's page (a ``SignupForm``);
- ``signup_forms``: every form by key (for links such as the story page's
  invitation to take part);
- ``signup_forms_on_dev_server``: the forms that post to the development
  server (below), so the thank-you page does not promise an answer;
- ``page.signup_forms_thanked`` on a thank-you page: the forms that send
  people to it (each form may have its own, ``thank_you`` in forms.yml).

In a production build a form that is not connected is linked from nowhere:
it is left out of ``signup_forms``, and ``signup_forms_by_email`` holds it
instead, so its calls to action become the campaign's email link (and its
own page offers that link, with what to write, ``FormSpec.by_email``).

Settings (defaults and checks in ``settings()``):
- ``SIGNUP_FORMS_DEV_ENDPOINT`` (default empty; pelicanconf.py: ``/_forms/``):
  in development, a form without an action posts here, as a generic form
  (``_gotcha`` honeypot, ``consent=yes``, ``_next``), and ``./dev serve``
  (``portal.devserver``) receives it, enforces the honeypot and consent, and
  appends the entry to ``form-submissions.jsonl``: the forms work end to end.
  Such a form says on its page, and the thank-you page says, that what is
  sent stays on this computer and reaches no one.
Everything else lives in ``content/data/forms.yml`` (``config.py``, README).
"""

from __future__ import annotations

import dataclasses
import logging
import urllib.parse

from pelican import signals

from portal import datafile, site_address
from portal.outputs import absolute_url
from portal.problems import Problem, Severity, report_problems
from portal.signup_fields import FORMS, FieldSpec, FormSpec

from . import offline_links
from .config import PRESETS, FormConfig, FormsFile, load_forms

logger = logging.getLogger(__name__)

SIGNUP_TEMPLATE = "signup"
THANK_YOU_TEMPLATE = "signup_thank_you"
DEFAULTS = {"SIGNUP_FORMS_DEV_ENDPOINT": ""}


def settings(pelican_settings) -> dict:
    """The plugin's settings with defaults filled in; ValueError if wrong."""
    out = {key: pelican_settings.get(key, value) for key, value in DEFAULTS.items()}
    endpoint = out["SIGNUP_FORMS_DEV_ENDPOINT"]
    if endpoint and not (
        isinstance(endpoint, str)
        and endpoint.startswith("/")
        and endpoint.endswith("/")
    ):
        raise ValueError(
            "SIGNUP_FORMS_DEV_ENDPOINT must be a path like '/_forms/' (or empty), "
            f"not {endpoint!r}"
        )
    return out


@dataclasses.dataclass(frozen=True)
class FormField:
    """One visible field as the template prints it."""

    id: str  # the element id; labels and hints refer to it
    name: str  # the provider's name for it
    spec: FieldSpec  # label, kind, required, hint, autocomplete, pattern...
    value: str = ""  # what a checkbox sends


@dataclasses.dataclass(frozen=True)
class SignupForm:
    key: str
    title: str
    heading: str
    submit: str
    preset: str
    page_url: str
    action: str  # empty: not connected
    method: str
    fields: tuple[FormField, ...]
    hidden: tuple[tuple[str, str], ...]  # sent as they are
    honeypot: str
    story_field: str
    redirect_field: str | None
    thank_you_url: str | None
    privacy_url: str | None
    by_email: str = ""  # what to write instead, while not connected
    # Posts to the development server, which keeps what it receives on this
    # computer: nothing reaches the campaign, and the pages say so.
    dev_server: bool = False
    # The site's absolute address (portal.site_address), for the thank-you
    # address a provider is sent; empty when the build has none.
    site_url: str = ""

    @property
    def connected(self) -> bool:
        return bool(self.action)

    @property
    def thank_you_address(self) -> str | None:
        """The thank-you page's address as the form sends it (the redirect
        field's value), script or not. A provider sends the browser on only
        to an absolute URL, and a development build's SITEURL is relative:
        so the site's absolute address (SITE_ABSOLUTE_URL, the dev server's,
        in development). The development server takes an address on its own
        root (/thank-you/, whatever host and port it is served on). None:
        no redirect field, or no absolute address to give (the template
        prints the page's relative one, which signup.js makes absolute)."""
        if not self.redirect_field or not self.thank_you_url:
            return None
        if self.dev_server:
            return "/" + self.thank_you_url
        if self.site_url:
            return absolute_url(self.site_url, self.thank_you_url)
        return None

    @property
    def action_origin(self) -> str:
        """The provider's origin; empty for an action on the site itself."""
        parts = urllib.parse.urlsplit(self.action)
        return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""

    @property
    def provider_label(self) -> str:
        """Who receives what people send, in words (for the privacy page)."""
        host = urllib.parse.urlsplit(self.action).hostname or ""
        if self.preset == "mailchimp":
            return f"Mailchimp, our mailing-list service ({host})"
        return f"our form service at {host}"

    def field_names(self) -> list[str]:
        """Every name the form sends, in order (what the provider receives)."""
        names = [field.name for field in self.fields]
        names += [name for name, _ in self.hidden]
        names += [self.honeypot, self.story_field]
        if self.redirect_field:
            names.append(self.redirect_field)
        return names


def _pages_by_slug(context) -> dict[str, object]:
    pages = {}
    for name in ("pages", "hidden_pages"):
        for page in context.get(name, []):
            pages.setdefault(page.slug, page)
    return pages


class FormBuilder:
    """forms.yml plus the pages, into SignupForm objects and problems."""

    def __init__(self, loaded, pages: dict, dev_endpoint: str = "", site_url=""):
        self.loaded = loaded
        self.dev_endpoint = dev_endpoint
        self.site_url = site_url
        self.data: FormsFile = loaded.value or FormsFile()
        self.pages = pages
        self.problems: list[Problem] = list(loaded.problems)

    def problem(self, loc: tuple, message: str, fix: str, warning=False) -> None:
        field = ".".join(str(part) for part in loc)
        problem = self.loaded.problem(field, message, fix, loc)
        if warning:
            problem = dataclasses.replace(problem, severity=Severity.WARNING)
        self.problems.append(problem)

    def page_url(self, slug: str, loc: tuple, what: str) -> str | None:
        page = self.pages.get(slug)
        if page is None:
            self.problem(
                loc,
                f"no page has the slug '{slug}', so {what} has nowhere to go",
                f"add content/pages/{slug}.md, or name an existing page's slug",
            )
            return None
        return page.url

    def build(self) -> dict[str, SignupForm]:
        if self.loaded.problems or not self.data.forms:
            return {}
        privacy_url = self.page_url(
            self.data.privacy_page, ("privacy_page",), "the consent checkboxes' link"
        )
        forms = {}
        # Only the forms forms.yml lists are offered; a site without the file
        # has none (and nothing links to them).
        for key, config in self.data.forms.items():
            form = self.form(FORMS[key], config, privacy_url)
            if form is not None:
                forms[key] = form
        self.warn_unconnected(forms)
        return forms

    def form(self, spec: FormSpec, config: FormConfig, privacy_url) -> SignupForm:
        # Checked as forms.yml says (its problems are reported in every build).
        form = self._form(spec, config, privacy_url)
        if form is None or config.action or not self.dev_endpoint:
            return form
        # Development: the dev server stands in for the provider, as a
        # generic endpoint (our own field names, _gotcha, _next).
        local = config.model_copy(
            update={
                "preset": "generic",
                "action": f"{self.dev_endpoint}{spec.key}",
                "names": {},
                "hidden": config.hidden if config.preset == "generic" else {},
                "honeypot": None,
                "redirect_field": None,
                "consent_value": None,
            }
        )
        form = self._form(spec, local, privacy_url)
        if form is None:
            return None
        return dataclasses.replace(form, dev_server=True)

    def _form(self, spec: FormSpec, config: FormConfig, privacy_url) -> SignupForm:
        loc = ("forms", spec.key)
        preset = config.settings
        page = self.pages.get(config.page)
        if page is None:
            self.problem(
                (*loc, "page"),
                f"no page has the slug '{config.page}', so the {spec.title} form "
                "is shown nowhere",
                f"add content/pages/{config.page}.md with 'template: signup', "
                "or name an existing page's slug",
            )
            return None
        names = self.provider_names(spec, config)
        hidden = dict(config.hidden)
        if config.action:
            missing = [name for name in preset.account_fields if not hidden.get(name)]
            if missing:
                self.problem(
                    (*loc, "hidden"),
                    f"a {preset.name} form needs {' and '.join(missing)} to send "
                    "sign-ups to your account",
                    "copy the values of the hidden fields "
                    f"{', '.join(preset.account_fields)} from the provider's "
                    "embedded form code",
                )
        redirect_field = (
            preset.redirect_field
            if config.redirect_field is None
            else config.redirect_field or None
        )
        thank_you_url = None
        if redirect_field:
            thank_you_url = self.page_url(
                config.thank_you or self.data.thank_you_page,
                (*loc, "thank_you") if config.thank_you else ("thank_you_page",),
                "the page after sending",
            )
            if thank_you_url is None:
                redirect_field = None
        elif config.thank_you:
            # No redirect field (Mailchimp): the provider's own settings send
            # people to this page, so it must exist.
            self.page_url(
                config.thank_you, (*loc, "thank_you"), "the page after sending"
            )
        consent_value = config.consent_value or preset.consent_value
        fields = tuple(
            FormField(
                id=f"{spec.key}-{field.key}",
                name=names[field.key],
                spec=field,
                value=consent_value if field.kind == "consent" else "",
            )
            for field in spec.fields
        )
        form = SignupForm(
            key=spec.key,
            title=spec.title,
            heading=spec.heading,
            submit=spec.submit,
            preset=preset.name,
            page_url=page.url,
            action=config.action,
            method=config.method or preset.method,
            fields=fields,
            hidden=tuple(hidden.items()),
            honeypot=config.honeypot or preset.honeypot(hidden),
            story_field=names["story"],
            redirect_field=redirect_field,
            thank_you_url=thank_you_url,
            privacy_url=privacy_url,
            by_email=spec.by_email,
            site_url=self.site_url,
        )
        sent = form.field_names()
        repeated = sorted({name for name in sent if sent.count(name) > 1})
        if repeated:
            self.problem(
                loc,
                f"the {spec.title} form would send {', '.join(repeated)} twice",
                "give every field, hidden field and the honeypot its own name",
            )
            return None
        return form

    def warn_unconnected(self, forms: dict[str, SignupForm]) -> None:
        """One warning for every form still without an action."""
        waiting = [form for form in forms.values() if not form.connected]
        if not waiting:
            return
        first = waiting[0]
        example = PRESETS[first.preset].action_example
        titles = ", ".join(form.title for form in waiting)
        self.problem(
            ("forms", first.key, "action"),
            f"not connected: {titles}. Nothing links to them: their calls to "
            "action offer the campaign's email address instead",
            f"set each form's action to your form provider's URL, like {example}",
            warning=True,
        )

    def provider_names(self, spec: FormSpec, config: FormConfig) -> dict[str, str]:
        preset = config.settings
        names = {}
        unnamed = []
        for key in spec.keys:
            name = config.names.get(key) or preset.names.get(key)
            if name is None:
                if preset.names_required:
                    unnamed.append(key)
                name = key
            names[key] = name
        if unnamed:
            self.problem(
                ("forms", spec.key, "names"),
                f"{preset.name} has no standard name for {', '.join(unnamed)}",
                "add the field names (merge tags) from your audience's "
                "settings under names:, like 'zip: MMERGE3'",
            )
        return names


class SignupFormsGenerator:
    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.path = path

    def generate_context(self):
        loaded = load_forms(self.path)
        if loaded.value is None and not loaded.problems:
            logger.info(
                "[signup_forms] %s does not exist: no sign-up forms", loaded.path
            )
        pages = _pages_by_slug(self.context)
        opts = settings(self.settings)
        try:
            site_url = site_address.absolute_site_url(self.settings)
        except site_address.SiteAddressError:
            site_url = ""  # (the plugins that need it say so)
        builder = FormBuilder(
            loaded, pages, opts["SIGNUP_FORMS_DEV_ENDPOINT"], site_url
        )
        built = builder.build()
        problems = builder.problems
        by_page = {form.page_url: form for form in built.values()}
        for page in pages.values():
            form = by_page.get(page.url)
            if form is not None:
                page.signup_form = form
            elif page.template == SIGNUP_TEMPLATE and not loaded.problems:
                # (With a broken forms.yml, that is the problem to report.)
                problems.append(
                    Problem(
                        datafile.editor_path(page.source_path, self.path),
                        "template",
                        "the page uses the signup template but no form in "
                        f"{loaded.path} names it",
                        f"set page: {page.slug} on one of the forms in "
                        f"{loaded.path}, or remove 'template: signup'",
                    )
                )
        self._report(problems)
        # Only connected forms are linked; the others' calls to action are
        # the campaign's email address.
        forms = {key: form for key, form in built.items() if form.connected}
        self.context["signup_forms"] = forms
        self.context["signup_forms_by_email"] = {
            key: form for key, form in built.items() if not form.connected
        }
        # Forms that post to the development server: their pages and the
        # thank-you page say that what is sent stays on this computer.
        self.context["signup_forms_on_dev_server"] = [
            form for form in forms.values() if form.dev_server
        ]
        # Each thank-you page knows the forms that send people to it (a form
        # may have its own), so its note names only those.
        for page in pages.values():
            if page.template == THANK_YOU_TEMPLATE or any(
                form.thank_you_url == page.url for form in forms.values()
            ):
                page.signup_forms_thanked = [
                    form for form in forms.values() if form.thank_you_url == page.url
                ]
        self._email_instead_of_offline_forms(pages)
        # Where the forms post: a Content-Security-Policy's form-action must
        # allow these origins, or browsers refuse to send the forms.
        # (A development endpoint is on the site itself: 'self' covers it.)
        self.context["signup_form_origins"] = sorted(
            {form.action_origin for form in forms.values() if form.action_origin}
        )

    def _email_instead_of_offline_forms(self, pages: dict) -> None:
        """Links written in pages and stories to a form that is not connected
        become the campaign's email link, as the templates' calls to action
        do (``offline_links``)."""
        offline = self.context["signup_forms_by_email"].values()
        address = (self.settings.get("CAMPAIGN") or {}).get("contact_email")
        if not offline or not address:
            return
        by_url, by_source = {}, {}
        sources = {page.url: page for page in pages.values()}
        for form in offline:
            email = offline_links.email_link(address, form.title)
            by_url[form.page_url] = email
            page = sources.get(form.page_url)
            if page is not None:
                by_source[page.get_relative_source_path()] = email
        siteurl = self.settings.get("SITEURL", "")
        for name in ("pages", "hidden_pages", "articles"):
            for content in self.context.get(name, []):
                if offline_links.rewrite(content, by_source, by_url, siteurl):
                    logger.debug(
                        "[signup_forms] %s: links to forms not connected now "
                        "offer the email address",
                        content.get_relative_source_path(),
                    )

    def _report(self, problems: list[Problem]) -> None:
        report_problems(
            self.context, self.settings, problems, logger, "[signup_forms] "
        )


def get_generators(pelican):
    return SignupFormsGenerator


def register():
    signals.get_generators.connect(get_generators)
