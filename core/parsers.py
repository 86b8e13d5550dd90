"""Parsing request bodies within CONTRACT.md's limits. A module of its own: DRF reads
``DEFAULT_PARSER_CLASSES`` while its views module loads, so this one must not import
DRF's views."""

from __future__ import annotations

import codecs
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.http import parse_header_parameters
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


class UnsupportedCharset(exceptions.UnsupportedMediaType):
    default_code = "unsupported_type"


def text_encoding(name: str | None) -> str:
    """The body's charset if it is a text encoding Python knows; 415 otherwise. Codecs
    such as ``rot13``, ``base64``, ``zlib`` or ``uu`` transform bytes, not text, and an
    unknown name is no charset at all: neither may reach ``bytes.decode``."""
    if not name:
        return "utf-8"
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError, ValueError):
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise UnsupportedCharset(
            media_type=f"charset={name[:40]}",
            detail=_("The charset “%(charset)s” is not a text encoding; send UTF-8.")
            % {"charset": name[:40]},
        )
    return info.name


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with the limits of CONTRACT.md: a body over
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is 413, nesting deeper than 64 levels, bad UTF-8 and
    malformed JSON are 400, a charset that is not a text encoding is 415. Numbers with a
    fraction are read as ``Decimal``, never as float: ``1.0000000000000000000001`` is that
    number (and refused as an amount with more than two places), not ``1.0``. Nothing a
    client sends makes it raise anything else."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge()
        # The charset as the client wrote it: Django drops a name it does not know and
        # DRF then reads the body as UTF-8, which would hide a client's mistake.
        charset = parse_header_parameters(media_type or "")[1].get("charset")
        encoding = text_encoding(charset or (parser_context or {}).get("encoding"))
        try:
            text = raw.decode(encoding)
            data = json.loads(
                text,
                parse_constant=self._refuse_constant,
                parse_float=Decimal,
            )
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
