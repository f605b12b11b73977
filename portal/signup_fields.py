"""The three sign-up forms and what each asks, in the site's own words.

Each field has a key (``email``, ``zip``...). The key is what forms.yml uses
to give the provider's name for the field (``email: EMAIL`` for Mailchimp);
the generic preset sends the key itself.

Shared by the build (plugins/signup_forms prints the forms) and the
development server (portal.form_inbox checks what they send with the same
rules as the browser: ``problem()``)."""

from __future__ import annotations

import dataclasses
import re

# US ZIP code, or ZIP+4 with or without its hyphen: a phone's number pad
# (inputmode=numeric) has no hyphen, so all nine digits typed on it are a
# ZIP+4 too.
ZIP_PATTERN = r"[0-9]{5}(-?[0-9]{4})?"
ZIP_FORMAT = (
    "Enter a ZIP code of five digits, like 73103, or all nine of ZIP+4, "
    "like 73103-1234 or 731031234."
)
# A required field is not filled in by spaces alone: the browser's
# ``required`` counts them as an answer, a pattern needing one character
# that is not a space does not.
NOT_BLANK_PATTERN = r".*\S.*"
NOT_BLANK_WORDS = "spaces alone do not count"
EMAIL_FORMAT = "Enter your email address in full, like name@example.com."
# What a browser takes in an <input type="email"> (the HTML standard's
# "valid email address", the rule browsers apply): the development server
# refuses what the page would not have sent.
EMAIL_PATTERN = (
    r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
)


@dataclasses.dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: str  # email, text, zip, textarea, consent
    required: bool = True
    autocomplete: str | None = None
    hint: str = ""
    max_length: int = 200
    # What to do when a required field is left empty, as signup.js says it
    # (beside the field and in the form's list of problems): "Enter your
    # name." Every required field has one.
    missing: str = ""

    @property
    def input_type(self) -> str:
        return {"email": "email", "consent": "checkbox"}.get(self.kind, "text")

    @property
    def input_mode(self) -> str | None:
        """The keyboard a phone shows: digits for a ZIP code (its pattern
        takes the nine digits of ZIP+4 without the hyphen the pad lacks)."""
        return "numeric" if self.kind == "zip" else None

    @property
    def pattern(self) -> str | None:
        """What the browser checks the value against (an ``<input>``'s
        ``pattern``; a textarea has none, signup.js checks it)."""
        if self.kind == "zip":
            return ZIP_PATTERN
        if self.required and self.kind == "text":
            return NOT_BLANK_PATTERN
        return None

    @property
    def format_hint(self) -> str | None:
        """What the field takes, in words, when the value is not that: the
        message signup.js gives, and the ``title`` of an input with a
        pattern and a hint (browsers add it to their own "Please match the
        requested format"). A required field of spaces alone is told what
        an empty one is, and why its spaces were not taken."""
        if self.kind == "zip":
            return ZIP_FORMAT
        if self.kind == "email":
            return EMAIL_FORMAT
        if self.required and self.kind in ("text", "textarea"):
            return f"{self.missing.rstrip('.')} ({NOT_BLANK_WORDS})."
        return None

    def problem(self, value: str) -> str | None:
        """What to do about ``value``, sent for this field, when it would be
        refused by the browser's checks (made again by the development
        server), or None. The consent box is checked apart."""
        if not value.strip():
            if not self.required:
                return None
            if value:
                return f"please fill in “{self.label}” (spaces alone do not count)"
            return f"please fill in “{self.label}”"
        # A browser sends an email address without the spaces around it.
        if self.kind == "email" and not re.fullmatch(EMAIL_PATTERN, value.strip()):
            return (
                f"please give “{self.label}” as an email address, like ada@example.org"
            )
        if self.kind == "zip" and not re.fullmatch(ZIP_PATTERN, value):
            return (
                f"please give “{self.label}” as five digits, like 73103, "
                "or the nine of ZIP+4, like 73103-1234"
            )
        return None


@dataclasses.dataclass(frozen=True)
class FormSpec:
    key: str
    title: str  # what the form is, in lists and messages
    heading: str  # the form's own heading, under the page's title
    submit: str
    fields: tuple[FieldSpec, ...]
    # What the page offers instead while the form is not connected (a
    # production build): the campaign's email address, and what to write.
    by_email: str

    @property
    def keys(self) -> list[str]:
        """Every field key forms.yml may name: the visible fields and ``story``."""
        return [field.key for field in self.fields] + ["story"]


EMAIL = FieldSpec(
    "email",
    "Email address",
    "email",
    autocomplete="email",
    hint="We will only use it for what this form is for.",
    max_length=254,
    missing="Enter your email address.",
)

FORMS: dict[str, FormSpec] = {
    spec.key: spec
    for spec in (
        FormSpec(
            "updates",
            "Email updates",
            "Get news from One Small Step",
            "Sign me up",
            by_email="Write to us from the address you would like the news "
            "sent to, and ask to be added to the list.",
            fields=(
                EMAIL,
                FieldSpec(
                    "first_name",
                    "First name",
                    "text",
                    required=False,
                    autocomplete="given-name",
                    max_length=100,
                ),
                FieldSpec(
                    "zip",
                    "ZIP code",
                    "zip",
                    required=False,
                    autocomplete="postal-code",
                    hint="Five digits, like 73103, or nine (ZIP+4). It tells "
                    "us about recording events near you.",
                    max_length=10,
                ),
                FieldSpec(
                    "consent",
                    "Yes, send me news about One Small Step by email. "
                    "I can unsubscribe at any time.",
                    "consent",
                    missing="Tick the box to say we may send you news by email.",
                ),
            ),
        ),
        FormSpec(
            "match",
            "Be matched with a partner",
            "Tell us about yourself",
            "Sign me up to be matched",
            by_email="Write to us and tell us a little about yourself; we will "
            "answer by email.",
            fields=(
                FieldSpec(
                    "name",
                    "Your name",
                    "text",
                    autocomplete="name",
                    max_length=120,
                    missing="Enter your name.",
                ),
                EMAIL,
                FieldSpec(
                    "zip",
                    "ZIP code",
                    "zip",
                    autocomplete="postal-code",
                    hint="Five digits, like 73103, or nine (ZIP+4). We match "
                    "people who can meet at the same place.",
                    max_length=10,
                    missing="Enter your ZIP code.",
                ),
                FieldSpec(
                    "political_views",
                    "How do you describe your political views?",
                    "text",
                    hint="In your own words: for example “conservative”, "
                    "“progressive”, “independent”, “somewhere in between”.",
                    missing="Describe your political views in a few words.",
                ),
                FieldSpec(
                    "hopes",
                    "What do you hope to talk about?",
                    "textarea",
                    required=False,
                    hint="A few words are enough. Your partner will not see this.",
                    max_length=1000,
                ),
                FieldSpec(
                    "consent",
                    "StoryCorps may contact me by email to arrange a "
                    "conversation with a partner.",
                    "consent",
                    missing="Tick the box to say we may email you to arrange "
                    "a conversation.",
                ),
            ),
        ),
        FormSpec(
            "partner",
            "Partner inquiry",
            "Tell us about your organization",
            "Send our inquiry",
            by_email="Write to us and tell us a little about your organization; "
            "we will answer by email.",
            fields=(
                FieldSpec(
                    "organization",
                    "Organization",
                    "text",
                    autocomplete="organization",
                    missing="Enter the name of your organization.",
                ),
                FieldSpec(
                    "contact",
                    "Your name",
                    "text",
                    autocomplete="name",
                    max_length=120,
                    missing="Enter your name.",
                ),
                FieldSpec(
                    "email",
                    "Email address",
                    "email",
                    autocomplete="email",
                    hint="Where we can reach you about a partnership.",
                    max_length=254,
                    missing="Enter your email address.",
                ),
                FieldSpec(
                    "community",
                    "Which community do you serve?",
                    "text",
                    hint="The people you work with and where they are: for "
                    "example “veterans in northern Ohio”.",
                    missing="Tell us which community you serve.",
                ),
                FieldSpec(
                    "message",
                    "How would you like to take part?",
                    "textarea",
                    hint="Tell us a little about your organization and what "
                    "you have in mind.",
                    max_length=2000,
                    missing="Tell us how your organization would like to take part.",
                ),
                FieldSpec(
                    "consent",
                    "StoryCorps may contact me by email about this inquiry.",
                    "consent",
                    missing="Tick the box to say we may email you about this inquiry.",
                ),
            ),
        ),
    )
}
