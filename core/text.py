"""Free text's one home: how long each kind of text may be and which characters it may
hold, enforced in the model (on every save, not only in forms) and in the API alike.

Two kinds:

- a **line** (a name, a title, a place, a payee): one line of printable text. Control
  characters (``\\r``, ``\\n``, NUL, …), the Unicode line and paragraph separators and
  lone surrogates are refused: such a value may end up in an e-mail header, a PDF's
  title line or a CSV cell, where a line break is an injection (``"Org\\r\\nBcc: …"``).
- **prose** (a summary, a narrative, a comment, an address): line breaks and tabs
  allowed, other control characters and lone surrogates refused.

The limits (``Limit``) fit each use and bound every document's size: a PDF's rendering
time grows with its text (``reports.pdf.style.long_text`` keeps it linear), so the
longest application the limits allow still renders in well under a second.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.errors import InvalidInput


class Limit:
    """Characters each kind of text may have (DOMAIN.md names none; these fit forms of
    the kind offices use, with room to spare)."""

    CODE = 40  # a slug, a receipt number's neighbour
    SHORT = 100  # a legal form, a receipt number
    NAME = 200  # a person's or organisation's name, a title, a place, a payee
    LINE = 300  # a purpose, a budget line's description
    ADDRESS = 500  # a postal address, a few lines
    NOTE = 2_000  # a payout request's note
    COMMENT = 5_000  # a comment, a reason, a vote's explanation
    SUMMARY = 10_000  # an application's summary, conditions, a recommendation's reasons
    NOTES = 20_000  # a meeting's notes for the minutes
    NARRATIVE = 50_000  # the narrative report (Sachbericht) of a proof of use


# Line breaks and tabs are what separate prose; every other control character is refused.
_PROSE_CONTROLS_ALLOWED = frozenset("\n\r\t")


def _bad_character(value: str, *, prose: bool) -> str | None:
    """The first character ``value`` may not hold, or None."""
    for character in value:
        if character.isprintable() or character == " ":
            continue
        if prose and character in _PROSE_CONTROLS_ALLOWED:
            continue
        category = unicodedata.category(character)
        # Format characters (soft hyphen, zero-width joiner in emoji, bidi marks) and
        # non-breaking and other spaces are text; controls, separators of lines and
        # paragraphs and lone surrogates (which no encoder writes) are not.
        if category in ("Cf", "Zs", "Co", "Cn") and not _is_bidi_override(character):
            continue
        return character
    return None


def _is_bidi_override(character: str) -> bool:
    # U+202A–U+202E and U+2066–U+2069 reorder what follows: a file name or a payee
    # written backwards ("Trojan Source"). Marks (LRM, RLM) stay allowed.
    return "\u202a" <= character <= "\u202e" or "\u2066" <= character <= "\u2069"


# The same rule as a regular expression, for the OpenAPI schema (a client or a fuzzer
# learns what the server refuses): controls but for prose's line breaks and tabs, the line
# and paragraph separators, and the bidi overrides. (Lone surrogates, refused too, cannot
# be written in UTF-8.) ``tests/test_schema.py`` checks that both agree.
_REFUSED_EVERYWHERE = r"\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
LINE_PATTERN = rf"^[^\x00-\x0a\x0d{_REFUSED_EVERYWHERE}]*$"
PROSE_PATTERN = rf"^[^\x00-\x08{_REFUSED_EVERYWHERE}]*$"


@deconstructible
class TextCharacters(RegexValidator):
    """Refuses the characters a line (``prose=False``) or prose may not hold. A
    ``RegexValidator`` by its ``regex`` (drf-spectacular writes it into the schema as the
    field's ``pattern``), with its own check and message naming the character."""

    def __init__(self, prose: bool = False) -> None:
        self.prose = prose
        super().__init__(PROSE_PATTERN if prose else LINE_PATTERN)

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str):
            return
        bad = _bad_character(value, prose=self.prose)
        if bad is None:
            return
        if bad in "\r\n\u2028\u2029" and not self.prose:
            message = _("This must be a single line: remove the line break.")
        else:
            message = _("This text contains a character that is not allowed (%(code)s).") % {
                "code": f"U+{ord(bad):04X}"
            }
        raise ValidationError(message, code="characters")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextCharacters) and other.prose == self.prose

    def __hash__(self) -> int:
        return hash(("TextCharacters", self.prose))


single_line = TextCharacters(prose=False)
prose_characters = TextCharacters(prose=True)


def _enforce(field: models.Field, instance: models.Model, value: Any) -> None:
    """Run the field's validators on save, so that no code path stores what the API
    would refuse (the admin and the API validate before; a service or a command that
    forgets to is stopped here, with the same 400)."""
    if value in field.empty_values:
        return
    try:
        field.run_validators(value)
    except ValidationError as exc:
        raise InvalidInput(errors={field.name: list(exc.messages)}) from None


class LineField(models.CharField):
    """One line of text (see the module): ``max_length`` is the limit, kept on every save."""

    default_validators = [single_line]

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = super().pre_save(model_instance, add)
        _enforce(self, model_instance, value)
        return value


class ProseField(models.TextField):
    """Prose (see the module) of at most ``max_length`` characters, kept on every save
    (Django's own ``TextField`` only tells forms its ``max_length``)."""

    default_validators = [prose_characters]

    def __init__(self, *args: Any, max_length: int, **kwargs: Any) -> None:
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = super().pre_save(model_instance, add)
        _enforce(self, model_instance, value)
        return value


def line_input(max_length: int = Limit.NAME, **options: Any) -> serializers.CharField:
    """A line over HTTP: the same limit and characters as ``LineField``."""
    validators = [*options.pop("validators", []), single_line]
    return serializers.CharField(max_length=max_length, validators=validators, **options)


def prose_input(max_length: int, **options: Any) -> serializers.CharField:
    """Prose over HTTP: the same limit and characters as ``ProseField``."""
    validators = [*options.pop("validators", []), prose_characters]
    options.setdefault("trim_whitespace", True)
    return serializers.CharField(max_length=max_length, validators=validators, **options)


def header_safe(value: object) -> str:
    """A text fit for a one-line header (an e-mail's subject, a display name): every run
    of white space and control characters becomes one space. Validated text has none;
    this keeps a header one line even for data stored before the limits."""
    text = "" if value is None else str(value)
    cleaned = "".join(" " if _bad_character(c, prose=False) else c for c in text)
    return " ".join(cleaned.split())
