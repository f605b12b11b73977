"""``content/data/forms.yml``: where each sign-up form sends what people type.

A form's settings start from its provider's preset (field names, honeypot,
method, redirect) and override what the provider's own form code says."""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
import urllib.parse
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from portal import datafile
from portal.schema import did_you_mean
from portal.signup_fields import FORMS

FORMS_FILE = os.path.join("data", "forms.yml")
# What HTML and form providers accept as a field name (Mailchimp's
# gdpr[123] and group[1][2] included).
FIELD_NAME = r"^[A-Za-z_][A-Za-z0-9_.\-\[\]]{0,99}$"
PAGE_SLUG = r"^[a-z0-9][a-z0-9-]*$"

HELP = {
    "forms": "the forms, by key: updates, match and partner",
    "page": "the slug of the page that shows the form, like be-matched",
    "preset": "generic (Formspree, Basin, Getform...) or mailchimp",
    "action": "the URL your provider gives for the form, starting with "
    "https:// (leave it empty until the form is connected)",
    "method": "post (or get, if your provider asks for it)",
    "names": "the provider's name for each field, like 'email: EMAIL'",
    "hidden": "fields sent as they are with every sign-up, like '_subject: ...'",
    "honeypot": "the name of the provider's anti-spam field",
    "redirect_field": "the provider's field for the page to show after "
    "sending (empty for none)",
    "consent_value": "the value the consent checkbox sends, like yes",
    "thank_you": "the slug of the page shown after sending, like thank-you",
    "privacy_page": "the slug of the privacy page, like privacy",
    "thank_you_page": "the slug of the page shown after sending, like thank-you",
}


@dataclasses.dataclass(frozen=True)
class Preset:
    """What a kind of provider expects, unless forms.yml says otherwise."""

    name: str
    method: str
    # Field key -> the provider's name; keys not listed are sent as they are
    # (generic) or must be named in forms.yml (providers with fixed names).
    names: dict[str, str]
    names_required: bool
    redirect_field: str | None
    consent_value: str
    # Hidden fields that must have a value once the form is connected.
    account_fields: tuple[str, ...]
    action_example: str

    def honeypot(self, hidden: dict[str, str]) -> str:
        if self.name == "mailchimp":
            # Mailchimp's embedded forms name their bot trap after the account.
            return f"b_{hidden.get('u', '')}_{hidden.get('id', '')}"
        return "_gotcha"


PRESETS = {
    "generic": Preset(
        name="generic",
        method="post",
        names={},
        names_required=False,
        redirect_field="_next",
        consent_value="yes",
        account_fields=(),
        action_example="https://formspree.io/f/abcdwxyz",
    ),
    "mailchimp": Preset(
        name="mailchimp",
        method="post",
        names={"email": "EMAIL", "first_name": "FNAME", "name": "FNAME"},
        names_required=True,
        redirect_field=None,
        consent_value="Y",
        account_fields=("u", "id"),
        action_example="https://example.us21.list-manage.com/subscribe/post",
    ),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_field_name(name: str) -> None:
    if not re.match(FIELD_NAME, name):
        raise ValueError(
            f"'{name}' is not a usable field name: use letters, digits and "
            "_ - . [ ] (like EMAIL or gdpr[123])"
        )


class FormConfig(_Strict):
    page: str = Field(pattern=PAGE_SLUG)
    preset: Literal[tuple(PRESETS)] = "generic"  # type: ignore[valid-type]
    action: str = ""
    method: Literal["post", "get"] | None = None
    names: dict[str, str] = {}
    hidden: dict[str, str] = {}
    honeypot: str | None = Field(default=None, pattern=FIELD_NAME)
    redirect_field: str | None = None
    consent_value: str | None = None
    thank_you: str | None = Field(default=None, pattern=PAGE_SLUG)

    @field_validator("method", mode="before")
    @classmethod
    def _lower_method(cls, value):
        return value.lower() if isinstance(value, str) else value

    @field_validator("hidden", mode="before")
    @classmethod
    def _text_values(cls, value):
        # YAML reads 12345 as a number; a form only ever sends text.
        if isinstance(value, dict):
            return {
                key: "" if item is None else str(item) for key, item in value.items()
            }
        return value

    @field_validator("action")
    @classmethod
    def _action_url(cls, value):
        if value and not is_form_endpoint(value):
            raise ValueError(
                f"'{value}' is not a secure web address; form data must go "
                "over https:// (http:// only to this computer, for tests)"
            )
        return value

    @field_validator("names")
    @classmethod
    def _provider_names(cls, value):
        for name in value.values():
            _check_field_name(name)
        return value

    @field_validator("hidden")
    @classmethod
    def _hidden_names(cls, value):
        for name in value:
            _check_field_name(name)
        return value

    @field_validator("redirect_field")
    @classmethod
    def _redirect_name(cls, value):
        if value:
            _check_field_name(value)
        return value

    @property
    def settings(self) -> Preset:
        return PRESETS[self.preset]


def is_form_endpoint(url: str) -> bool:
    """https anywhere; plain http only to this computer (tests, previews)."""
    parts = urllib.parse.urlsplit(url)
    if not parts.hostname:
        return False
    if parts.scheme == "https":
        return True
    if parts.scheme != "http":
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


class FormsFile(_Strict):
    privacy_page: str = Field(default="privacy", pattern=PAGE_SLUG)
    thank_you_page: str = Field(default="thank-you", pattern=PAGE_SLUG)
    forms: dict[str, FormConfig] = {}

    @model_validator(mode="after")
    def _known_forms(self):
        for key, form in self.forms.items():
            if key not in FORMS:
                hint = did_you_mean(key, FORMS)
                raise ValueError(
                    f"forms.{key}: is not one of our forms ({', '.join(FORMS)})"
                    + (f"; {hint}" if hint else "")
                )
            spec = FORMS[key]
            for field_key in form.names:
                if field_key not in spec.keys:
                    hint = did_you_mean(field_key, spec.keys)
                    raise ValueError(
                        f"forms.{key}.names.{field_key}: the {key} form has no "
                        f"field '{field_key}' (its fields: {', '.join(spec.keys)})"
                        + (f"; {hint}" if hint else "")
                    )
        return self


def load_forms(content_path: str) -> datafile.DataFile[FormsFile]:
    path = os.path.join(content_path, FORMS_FILE)
    return datafile.load(path, FormsFile, content_path, HELP)
