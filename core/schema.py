"""OpenAPI additions drf-spectacular cannot infer: CONTRACT.md's error body on every
operation, with the statuses that operation can answer."""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "required": ["detail", "code"],
    "properties": {
        "detail": {"type": "string", "description": "A sentence in the caller's language."},
        "code": {
            "type": "string",
            "enum": [
                "invalid",
                "condition_failed",
                "not_authenticated",
                "permission_denied",
                "not_found",
                "method_not_allowed",
                "unsupported_type",
                "render_timeout",
                "not_acceptable",
                "throttled",
                "too_large",
                "transition_not_allowed",
                "server_error",
            ],
        },
        "errors": {
            "type": "object",
            "description": "Field (a path for nested fields, e.g. budget_lines.1.amount) "
            "→ messages.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}

DESCRIPTIONS = {
    "400": "Bad input (`invalid`: nothing was saved) or a failed condition (`condition_failed`).",
    "401": "No or bad token (`not_authenticated`).",
    "403": "Visible, but the role may not do this (`permission_denied`).",
    "404": "Unknown, not visible to the caller, or a page past the end (`not_found`).",
    "409": "No such transition from the current state, or a concurrent change won "
    "(`transition_not_allowed`).",
    "413": "The request body is over the limit (`too_large`).",
    "415": "A body that is not JSON, or in a charset that is not a text encoding "
    "(`unsupported_type`).",
    "503": "The document took longer than `DOCUMENT_RENDER_SECONDS` to produce "
    "(`render_timeout`); nothing was kept.",
    "429": "Too many failed logins or anonymous requests (`throttled`); `Retry-After` says "
    "when to try again.",
}
PUBLIC = ("/api/schema/", "/api/docs/")
# The endpoints that render a PDF (and may give up: 503 render_timeout).
DOCUMENT_PATHS = ("/pdf/", "/documents/{kind}/", "/dossier/", "/minutes/")


def _is_public(path: str, method: str) -> bool:
    """Reachable without a token: the schema, the docs, and signing in."""
    return path.startswith(PUBLIC) or (path == "/api/auth/token/" and method == "post")


def _statuses(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    statuses = []
    has_parameters = any(p.get("in") == "query" for p in operation.get("parameters", []))
    if method in ("post", "put", "patch") or has_parameters:
        statuses.append("400")
    if method in ("post", "put", "patch"):
        statuses += ["413", "415"]
    if _is_public(path, method):
        statuses.append("429")
    else:
        # 404 also for a page past the end of a list (``?page=0``).
        statuses += ["401", "403", "404"]
    if path.startswith("/api/applications/{") and method in ("post", "put", "patch", "delete"):
        statuses.append("409")
    if method == "get" and path.endswith(DOCUMENT_PATHS):
        statuses.append("503")
    return statuses


def add_error_responses(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in _statuses(path, method, operation):
                responses.setdefault(
                    status, {"description": DESCRIPTIONS[status], "content": reference}
                )
    return result
