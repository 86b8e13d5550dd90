"""How ids appear in paths: ASCII digits, at most 18 of them (every id the database can
hold up to 2**63 - 1 that Zuwendo will ever issue). Anything else (``٤٢``, ``４２``,
``1_000``, a 30-digit number that overflows SQLite's integer) matches no route and is
404 like an unknown id, never a lookup that fails with a server error."""

from __future__ import annotations

import re

from django.urls import register_converter
from rest_framework.routers import DefaultRouter

ID_PATTERN = "[0-9]{1,18}"
_ID = re.compile(ID_PATTERN)


def parse_id(text: str | None) -> int | None:
    """An id from a query parameter, or None for anything that is not one (``str.isdigit``
    also takes "٤" and 5,000 digits, which ``int()`` then refuses or SQLite overflows on)."""
    return int(text) if text is not None and _ID.fullmatch(text) else None


class IdConverter:
    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(int(value))


register_converter(IdConverter, "id")


class Router(DefaultRouter):
    """DRF's router with ids as above (its own default takes any text but a slash), and
    without DRF's ``.json`` suffixes, which CONTRACT.md does not have."""

    include_format_suffixes = False

    def __init__(self, *args, **kwargs) -> None:
        # Path converters, not regexes: every detail route is ``<id:pk>``, which the
        # OpenAPI schema describes as an integer (PATH_CONVERTER_OVERRIDES).
        kwargs.setdefault("use_regex_path", False)
        super().__init__(*args, **kwargs)
        self._default_value_pattern = "id"
