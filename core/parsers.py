"""Parsing request bodies within CONTRACT.md's limits. A module of its own: DRF reads
``DEFAULT_PARSER_CLASSES`` while its views module loads, so this one must not import
DRF's views."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, parsers

MAX_JSON_DEPTH = 64


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "too_large"
    default_detail = gettext_lazy("The request body is larger than the server accepts.")


def json_depth(value: Any) -> int:
    """How deeply objects and arrays nest in a parsed JSON value (iteratively: the check
    must not itself recurse)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with the limits of CONTRACT.md: a body over
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is 413, nesting deeper than 64 levels, bad UTF-8 and
    malformed JSON are 400. Nothing a client sends makes it raise anything else."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge()
        try:
            text = raw.decode((parser_context or {}).get("encoding") or "utf-8")
            data = json.loads(text, parse_constant=self._refuse_constant)
        except RecursionError:
            raise exceptions.ParseError(self._too_deep()) from None
        except (UnicodeDecodeError, ValueError) as exc:
            raise exceptions.ParseError(_("Malformed JSON: %(error)s") % {"error": exc}) from None
        if json_depth(data) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(self._too_deep())
        return data

    @staticmethod
    def _refuse_constant(name: str):
        raise ValueError(f"{name} is not valid JSON")

    @staticmethod
    def _too_deep() -> str:
        return _("JSON nested deeper than %(depth)s levels is not accepted.") % {
            "depth": MAX_JSON_DEPTH
        }
