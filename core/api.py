"""API plumbing shared by every app: the error body, pagination, the health check, and
the serializers every state machine's endpoints are built from."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from functools import cached_property
from operator import attrgetter
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_fsm import ConcurrentTransition
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.relations import PKOnlyObject
from rest_framework.response import Response
from rest_framework.settings import ISO_8601, api_settings
from rest_framework.views import set_rollback

from core import health
from core.errors import DomainError, require
from core.money import ASCII_DECIMAL, ASCII_INTEGER, MoneySerializerField
from core.parsers import RequestTooLarge
from core.text import Limit, prose_input
from core.transitions import Declaration, Input, declaration_of

CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "transition_not_allowed",
    413: "too_large",
    415: "unsupported_type",
    429: "throttled",
}


class RejectUnknownFieldsMixin:
    """A key the serializer does not know is an error (400, named in ``errors``), not
    dropped in silence: a misspelt field would otherwise lose what the client meant to
    save. Known read-only fields sent back (a client echoing a GET) are ignored. Each value
    has the JSON type the schema gives it (``_json_type_problem``: an amount is a string of
    ASCII digits, an id a number, a flag true or false); dates lie in this century."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({key: [_("Unknown field.")] for key in unknown})
            mistyped = {
                name: [problem]
                for name, field in self.fields.items()
                if name in data
                and not field.read_only
                and (problem := _json_type_problem(field, data[name]))
            }
            if mistyped:
                raise serializers.ValidationError(mistyped)
        value = super().to_internal_value(data)
        if isinstance(value, dict):
            implausible = {
                name: [plausible_date_message()]
                for name, item in value.items()
                if isinstance(item, date) and not is_plausible_date(item)
            }
            if implausible:
                raise serializers.ValidationError(implausible)
        return value


# Every date Zuwendo takes lies in this century: a day in year 1 or 9999 is a typing
# error, and computations over it (interest, deadlines) have nothing to go on.
PLAUSIBLE_YEARS = range(2000, 2100)


def is_plausible_date(value: date) -> bool:
    return value.year in PLAUSIBLE_YEARS


def plausible_date_message() -> str:
    return _("Enter a date between %(first)s and %(last)s.") % {
        "first": PLAUSIBLE_YEARS[0],
        "last": PLAUSIBLE_YEARS[-1],
    }


def validate_plausible_date(value: date | None) -> None:
    if value is not None and not is_plausible_date(value):
        raise serializers.ValidationError(plausible_date_message())


_DECIMAL_FIELDS = (serializers.DecimalField,)
_INTEGER_FIELDS = (serializers.IntegerField, serializers.PrimaryKeyRelatedField)
_TEXT_FIELDS = (
    serializers.CharField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.TimeField,
    serializers.SlugRelatedField,
)


def _json_type(field: serializers.Field) -> str | None:
    """The JSON type a field's value must have, as the OpenAPI schema says it (None: any)."""
    if isinstance(field, serializers.BooleanField):
        return "boolean"
    if isinstance(field, (*_DECIMAL_FIELDS, *_TEXT_FIELDS)):
        return "string"  # amounts are decimal strings (CONTRACT.md)
    if isinstance(field, _INTEGER_FIELDS):
        return "integer"
    if isinstance(
        field,
        (
            serializers.ListField,
            serializers.ListSerializer,
            serializers.ManyRelatedField,
            serializers.MultipleChoiceField,
        ),
    ):
        return "array"
    if isinstance(field, serializers.ChoiceField):
        return "string" if all(isinstance(key, str) for key in field.choices) else None
    if isinstance(field, serializers.Serializer):
        return "object"
    return None


_IS_TYPE = {
    "boolean": lambda v: isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def _type_message(kind: str) -> str:
    return {
        "boolean": _("Send true or false."),
        "string": _('Send this as a string (an amount as text, e.g. "1234.50").'),
        "integer": _("Send a whole number, not a string."),
        "array": _("Send a list."),
        "object": _("Send an object."),
    }[kind]


def _json_type_problem(field: serializers.Field, value: Any) -> str | None:
    """What is wrong with the JSON type of ``value`` for ``field``, if anything: a body has
    the types its schema says (a generated client sends them; a validator refuses others),
    and numbers are ASCII digits only (``int("٤٠")`` is 40 in Python, which no client
    means). Lists are checked item by item."""
    if value is None:
        return None  # allow_null decides
    kind = _json_type(field)
    if kind is None:
        return None
    if not _IS_TYPE[kind](value):
        return _type_message(kind)
    if kind == "array":
        child = getattr(field, "child", None) or getattr(field, "child_relation", None)
        if child is not None and not isinstance(child, serializers.Serializer):
            for item in value:
                problem = _json_type_problem(child, item)
                if problem:
                    return problem
    decimal = kind == "string" and isinstance(field, _DECIMAL_FIELDS)
    if decimal and not ASCII_DECIMAL.fullmatch(value.strip()):
        return _("Write the number with the digits 0-9 only.")
    return None


class CompiledRepresentationMixin:
    """Serialises an object by a plan made once per serializer object, not by DRF's
    look-up per field and row: a concrete column is read with one attribute access and
    given to its field's own ``to_representation`` (ISO time stamps with the time zone
    looked up once); every other field (methods, nested serializers, dotted sources,
    annotations) takes DRF's path. The output is DRF's
    (``tests/projects/test_representation.py`` compares them); what is saved is the
    machinery, which on a list page of a hundred rows costs more than the values
    (docs/performance.md, decision 012).

    ``representation_sources`` maps a field to the function that reads its value
    instead of its source (the list's prefetched cost plan, say)."""

    representation_sources: ClassVar[dict[str, Callable[[Any], Any]]] = {}

    def to_representation(self, instance: Any) -> dict[str, Any]:
        ret = {}
        for name, read in self._representation_plan:
            try:  # noqa: SIM105 (suppress() would build a context manager per field)
                ret[name] = read(instance)
            except serializers.SkipField:
                pass
        return ret

    @cached_property
    def _representation_plan(self) -> list[tuple[str, Callable[[Any], Any]]]:
        columns = {field.name: field for field in self.Meta.model._meta.concrete_fields}
        plan = []
        for field in self._readable_fields:
            read = self.representation_sources.get(field.field_name)
            column = columns.get(field.source) if len(field.source_attrs) == 1 else None
            if read is not None:
                read = _read_from(read, field.to_representation)
            elif column is None:
                read = _read_as_drf(field)
            elif isinstance(field, serializers.PrimaryKeyRelatedField) and field.pk_field is None:
                # DRF's pk-only optimisation: the key column is the value.
                read = attrgetter(column.attname)
            elif type(field) is serializers.DateTimeField and _writes_iso_8601(field):
                read = _read_from(attrgetter(column.attname), _iso_datetime(field))
            elif isinstance(field, _PLAIN_FIELDS) and column.attname == column.name:
                read = _read_from(attrgetter(column.attname), field.to_representation)
            else:
                read = _read_as_drf(field)
            plan.append((field.field_name, read))
        return plan


# Fields whose representation is a function of the column's value alone.
_PLAIN_FIELDS = (
    serializers.BooleanField,
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.DecimalField,
    serializers.IntegerField,
)


def _writes_iso_8601(field: serializers.DateTimeField) -> bool:
    output = getattr(field, "format", api_settings.DATETIME_FORMAT)
    return isinstance(output, str) and output.lower() == ISO_8601


def _iso_datetime(field: serializers.DateTimeField) -> Callable[[Any], Any]:
    """DRF's ISO 8601 output of a stored (aware) moment, with the field's time zone
    looked up once for the whole page instead of once per value; anything else (a naive
    or out-of-range value) takes DRF's path."""
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()

    def represent(value: Any) -> Any:
        if zone is None or not isinstance(value, datetime) or not timezone.is_aware(value):
            return field.to_representation(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return field.to_representation(value)
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return represent


def _read_from(read: Callable[[Any], Any], represent: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def value(instance: Any) -> Any:
        raw = read(instance)
        return None if raw is None else represent(raw)

    return value


def _read_as_drf(field: serializers.Field) -> Callable[[Any], Any]:
    def value(instance: Any) -> Any:
        attribute = field.get_attribute(instance)
        present = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        return None if present is None else field.to_representation(attribute)

    return value


class ParentScopedMixin:
    """A collection below a parent object (``/api/programs/{id}/roles/``): the parent is
    looked up (404 when unknown or invisible) and the method's permission asked (403)
    before the body is read, so validation errors tell an outsider nothing."""

    # HTTP method → the ``rules`` permission on the parent it needs.
    parent_permissions: dict[str, str] = {}

    def get_parent(self):
        raise NotImplementedError

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        parent = self.get_parent()
        permission = self.parent_permissions.get(request.method)
        if permission:
            require(request.user, permission, parent)


PAGE_SIZE = re.compile(r"[0-9]{1,9}")


class Pagination(PageNumberPagination):
    """``?page=N&page_size=M`` (default 25, at most 200). Both are ASCII digits: a page
    size that is not (``null``, ``٤``, ``1_0``) is refused with 400, not read as the
    default or as a number Python happens to understand."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        # At most nine digits before int(): Python refuses to convert 4,300 or more.
        # Past the largest page is an error too, not silently the largest (the schema says
        # 1 to 200, and a client asking for 500 rows would believe it had them all).
        if raw is not None and not (
            PAGE_SIZE.fullmatch(raw) and 0 < int(raw) <= self.max_page_size
        ):
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("A whole number from 1 to 200.")]}
            )
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if (
            raw is not None
            and raw not in self.last_page_strings
            and not ASCII_INTEGER.fullmatch(raw)
        ):
            raise exceptions.NotFound(_("Invalid page."))
        return super().get_page_number(request, paginator)


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors as CONTRACT.md's flat ``{"field": ["message"]}``.

    A nested field is named by its path: ``budget_lines.1.amount``.
    """
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, messages in flatten_errors(value, name).items():
                flat.setdefault(field, []).extend(messages)
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        for index, value in enumerate(detail):
            for field, messages in flatten_errors(value, f"{prefix}.{index}").items():
                flat.setdefault(field, []).extend(messages)
    elif isinstance(detail, list):
        flat[prefix or "non_field_errors"] = [str(item) for item in detail]
    else:
        flat[prefix or "non_field_errors"] = [str(detail)]
    return flat


def error_body(detail: str, code: str, errors=None) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": detail, "code": code}
    if errors:
        body["errors"] = errors
    return body


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error leaves the API as ``{"detail", "code"[, "errors"]}`` (CONTRACT.md)."""
    headers: dict[str, str] = {}
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(error_body(exc.detail, exc.code, exc.errors), status=exc.status_code)
    if isinstance(exc, ConcurrentTransition):
        set_rollback()
        return Response(
            error_body(_("A concurrent change won; reload and try again."), CODES[409]),
            status=409,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if not isinstance(exc, exceptions.APIException):
        return None
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        authenticator = context["request"].authenticators[0] if context.get("request") else None
        header = authenticator.authenticate_header(context["request"]) if authenticator else None
        if header:
            headers["WWW-Authenticate"] = header
        exc.status_code = status.HTTP_401_UNAUTHORIZED
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    set_rollback()
    code = CODES.get(exc.status_code, exc.default_code)
    if isinstance(exc, exceptions.ValidationError):
        return Response(
            error_body(_("Invalid input."), "invalid", flatten_errors(exc.detail)),
            status=400,
            headers=headers,
        )
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return Response(error_body(str(detail), code), status=exc.status_code, headers=headers)


def json_bad_request(request, exception=None) -> JsonResponse:
    """Django's own refusals (a bad ``Host``, a body over the limit, too many fields)
    answer in the contract's body too (``handler400``)."""
    if isinstance(exception, RequestDataTooBig):
        return JsonResponse(
            error_body(str(RequestTooLarge.default_detail), "too_large"), status=413
        )
    return JsonResponse(error_body(_("Bad request."), "invalid"), status=400)


def json_not_found(request, exception=None) -> JsonResponse:
    """Unknown URLs answer in the contract's body too (Django's handler404)."""
    return JsonResponse(error_body(_("Not found."), "not_found"), status=404)


def json_server_error(request) -> JsonResponse:
    return JsonResponse(
        error_body(_("Internal error; the operators have been told."), "server_error"),
        status=500,
    )


@csrf_exempt  # it takes no body: a POST is refused as a method, not as a missing token
def healthz(request) -> JsonResponse:
    """200 when the database and the broker answer, with the operators' ``warnings``
    (``core.health``: things to mend that do not stop the service); 503 naming what is
    down. Only GET and HEAD: anything else is 405 in the contract's body, with ``Allow``."""
    if request.method not in ("GET", "HEAD"):
        refused = JsonResponse(
            error_body(_("This method is not allowed here."), "method_not_allowed"), status=405
        )
        refused["Allow"] = "GET, HEAD"
        return refused

    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "down"
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
            ).ping()
            checks["broker"] = "ok"
        except Exception:
            checks["broker"] = "down"
    else:
        checks["broker"] = "ok"  # tasks run in-process: there is no broker to be down
    healthy = all(value == "ok" for value in checks.values())
    body: dict[str, object] = dict(checks)
    if healthy:
        body["warnings"] = health.current()
    return JsonResponse(body, status=200 if healthy else 503)


class TransitionSerializer(serializers.Serializer):
    """A transition the caller may take now, as its declaration describes it."""

    name = serializers.CharField()
    label = serializers.CharField()
    needs = serializers.ListField(child=serializers.CharField())
    accepts = serializers.ListField(child=serializers.CharField())

    def to_representation(self, transition):
        declaration = declaration_of(transition)
        return {
            "name": transition.name,
            "label": str(declaration.label),
            "needs": declaration.needs,
            "accepts": declaration.accepts,
        }


def _input_field(item: Input) -> serializers.Field:
    # What a transition needs is required in its body (a generated client asks for it; a
    # missing one is 400 invalid naming it); a blank one fails the transition's condition
    # (400 condition_failed), checked by the runner with the other conditions.
    help_text = str(item.help_text or "") or None
    options: dict[str, Any] = {"required": item.required, "help_text": help_text}
    if item.kind == "money":
        return MoneySerializerField(allow_null=True, **options)
    if item.kind == "date":
        return serializers.DateField(
            allow_null=True, validators=[validate_plausible_date], **options
        )
    if item.kind == "bool":
        return serializers.BooleanField(**options)
    return prose_input(Limit.SUMMARY, allow_blank=True, **options)


_INPUT_SERIALIZERS: dict[tuple[str, str], type[serializers.Serializer]] = {}


def transition_input_serializer(
    namespace: str, name: str, declaration: Declaration
) -> type[serializers.Serializer]:
    """The request body of one transition, built from its declared inputs (one class per
    transition, so the OpenAPI schema names each: ``ApplicationSubmitInput``)."""
    key = (namespace, name)
    if key not in _INPUT_SERIALIZERS:
        title = "".join(part.capitalize() for part in f"{namespace}_{name}".split("_"))
        _INPUT_SERIALIZERS[key] = type(
            f"{title}Input",
            (RejectUnknownFieldsMixin, serializers.Serializer),
            {item.name: _input_field(item) for item in declaration.inputs},
        )
    return _INPUT_SERIALIZERS[key]
