"""OpenAPI additions drf-spectacular cannot infer: CONTRACT.md's error body on every
operation, with the statuses that operation can answer."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import get_lib_doc_excludes

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
                "base_rate_missing",
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
    "(`transition_not_allowed`); or interest over a half-year the base-rate table does not "
    "cover (`base_rate_missing`, the half-year in `errors.base_rate`).",
    "413": "The request body is over the limit (`too_large`).",
    "415": "A body that is not JSON, or in a charset that is not a text encoding "
    "(`unsupported_type`).",
    "503": "The document took longer than `DOCUMENT_RENDER_SECONDS` to produce "
    "(`render_timeout`); nothing was kept.",
    "429": "Too many failed logins or anonymous requests (`throttled`); `Retry-After` says "
    "when to try again.",
}
PUBLIC = ("/api/schema/", "/api/docs/")
# Deletions a rule can refuse with 400: turning two-factor off with a wrong code, the
# last member of an organisation leaving it.
REFUSABLE_DELETES = (
    "/api/users/me/two-factor/",
    "/api/organizations/{organization_pk}/members/{user_pk}/",
)
# Where a write can meet a state that refuses it (409 ``transition_not_allowed``): an
# application and everything below it, meetings (signed minutes are final), receipts, payouts
# and their batches, change requests, invitations no longer open, two-factor set-up.
CONFLICTING = (
    "/api/applications/{",
    "/api/meetings/",
    "/api/expenditures/",
    "/api/payments/",
    "/api/change-requests/",
    "/api/payout-batches/",
    "/api/attachments/",
    "/api/annex-types/",
    "/api/programs/{id}/payout-batches/",
    "/api/invitations/",
    "/api/users/me/two-factor/",
)
# The reads that compute interest (§ 49a VwVfG) and so need the base-rate table.
WITH_INTEREST = ("/proof-of-use/", "/interim-proof/", "/documents/{kind}/", "/pdf/")
# The endpoints that render a PDF (and may give up: 503 render_timeout).
DOCUMENT_PATHS = ("/pdf/", "/documents/{kind}/", "/dossier/", "/minutes/", "/export/")


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
    if method in ("post", "put", "patch", "delete") and path.startswith(CONFLICTING):
        statuses.append("409")
    if method == "delete" and path in REFUSABLE_DELETES:
        statuses.append("400")
    if method == "get" and path.endswith(DOCUMENT_PATHS):
        statuses.append("503")
    if method == "get" and path.endswith(WITH_INTEREST):
        statuses.append("409")  # base_rate_missing
    return statuses


def doc_excludes() -> list[type]:
    """Classes whose docstrings describe no schema (``GET_LIB_DOC_EXCLUDES``): DRF's, and
    the kernel's serializer mixin, whose docstring would otherwise describe every body."""
    from core.api import RejectUnknownFieldsMixin

    return [*get_lib_doc_excludes(), RejectUnknownFieldsMixin]


class StrictBody(OpenApiSerializerExtension):
    """A body the server checks for unknown keys says so: ``additionalProperties: false``
    (the read-only fields a client may echo back are tolerated, but not part of it)."""

    target_class = "core.api.RejectUnknownFieldsMixin"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema


def decimal_pattern(field) -> str:
    """The strings a ``DecimalField`` reads (``core.api`` allows ASCII digits only): at
    least one digit, at most ``decimal_places`` after the point and as many before it as
    ``max_digits`` and ``max_value`` leave (leading zeros do not count); a sign only
    where negative numbers are allowed. ``""``, ``"-"`` and ``"."`` are not numbers."""
    places = field.decimal_places
    whole = field.max_digits - places
    if field.max_value is not None:
        whole = min(whole, len(str(int(abs(field.max_value)))))
    negative = field.min_value is None or field.min_value < 0
    sign = "[+-]?" if negative else "[+]?"
    return rf"^\s*{sign}0*[0-9]{{1,{whole}}}(\.[0-9]{{1,{places}}})?\s*$"


class DecimalStrings(OpenApiSerializerFieldExtension):
    """Decimals (amounts, rates, percentages) as strings: in requests with the pattern the
    server reads; in answers as written (``-20.00``, two places)."""

    target_class = "rest_framework.fields.DecimalField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = {"type": "string", "format": "decimal"}
        if direction == "request":
            schema["pattern"] = decimal_pattern(field)
            schema["maxLength"] = field.MAX_STRING_LENGTH
            schema["example"] = "1234.50" if field.decimal_places == 2 else "1"
        return schema


class PlausibleDates(OpenApiSerializerFieldExtension):
    """Every date a client sends lies in 2000–2099 (``core.api.PLAUSIBLE_YEARS``)."""

    target_class = "rest_framework.fields.DateField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = {"type": "string", "format": "date"}
        if direction == "request":
            schema["pattern"] = "^20[0-9]{2}-"
        return schema


class PlausibleTimes(PlausibleDates):
    target_class = "rest_framework.fields.DateTimeField"

    def map_serializer_field(self, auto_schema, direction):
        return {**super().map_serializer_field(auto_schema, direction), "format": "date-time"}


# One line per operation for Swagger UI, Redocly and generated clients (their docstring
# says what a function does); transitions take theirs from their label.
SUMMARIES = {
    "applications_list": "List the applications the caller may see",
    "applications_create": "Start an application (draft)",
    "applications_retrieve": "Read an application",
    "applications_partial_update": "Change a draft or returned application",
    "applications_destroy": "Delete a draft",
    "applications_change_requests_list": "List an application's change requests",
    "applications_change_requests_create": "Ask for a change (Änderungsantrag)",
    "applications_conflicts_list": "List conflicts of interest",
    "applications_conflicts_create": "Declare a conflict of interest",
    "applications_conflicts_decision_create": "Record the body's decision on a conflict",
    "applications_documents_list": "List an application's kept documents",
    "applications_documents_retrieve": "Download a document of an application",
    "applications_documents_create": "Issue a document of an application anew",
    "applications_expenditures_list": "List the receipts (Belegliste)",
    "applications_expenditures_create": "Add a receipt",
    "applications_history_list": "Read an application's audit trail",
    "applications_interim_proof_retrieve": "Read the interim proof",
    "applications_interim_proof_update": "Write the interim proof",
    "applications_objections_create": "Object to the written procedure",
    "applications_payments_list": "List the payout requests",
    "applications_payments_create": "Request a payout",
    "applications_pdf_retrieve": "Download the application as PDF",
    "applications_proof_of_use_retrieve": "Read the proof of use and its statement",
    "applications_proof_of_use_update": "Write the proof of use",
    "applications_recommendation_retrieve": "Read the office's recommendation",
    "applications_recommendation_update": "Write the office's recommendation",
    "applications_reopen_voting_create": "Reopen the written vote",
    "applications_tally_retrieve": "Read the committee's tally",
    "applications_transitions_list": "List the transitions the caller may take",
    "applications_votes_list": "List the votes",
    "applications_votes_create": "Vote (written procedure)",
    "auth_token_create": "Sign in: get a token",
    "auth_token_destroy": "Sign out this token",
    "auth_tokens_destroy": "Sign out everywhere",
    "base_rates_list": "List the base rates (Basiszinssatz)",
    "base_rates_create": "Add a base rate",
    "calls_list": "List the calls for proposals",
    "calls_create": "Open a call",
    "calls_retrieve": "Read a call",
    "calls_partial_update": "Change a call",
    "calls_dossier_retrieve": "Download a call's dossier",
    "expenditures_partial_update": "Correct a receipt",
    "expenditures_finding_create": "Record the office's finding on a receipt",
    "programs_payout_batches_list": "List a program's payout batches",
    "calls_annex_types_list": "List the annexes a call asks for",
    "calls_annex_types_create": "Add an annex a call asks for",
    "annex_types_partial_update": "Change an annex type",
    "annex_types_destroy": "Remove an annex type no file was attached as",
    "applications_attachments_retrieve": "List an application's attachments and missing annexes",
    "applications_attachments_create": "Attach a file (multipart/form-data)",
    "attachments_retrieve": "Read an attachment's record",
    "attachments_destroy": "Delete an attachment",
    "attachments_file_retrieve": "Download an attachment",
    "applications_export_retrieve": "Download the whole file as ZIP (a large one: 202, by a task)",
    "meetings_invitation_delivered_create": "Record an invitation delivered by other means",
    "programs_payout_batches_create": "Put approved payouts into a batch for the treasury",
    "payout_batches_retrieve": "Read a payout batch",
    "payout_batches_destroy": "Withdraw an open payout batch",
    "payout_batches_mark_paid_create": "Mark a payout batch paid",
    "payout_batches_payment_order_retrieve": "Download the payment order (PDF)",
    "payout_batches_sepa_retrieve": "Download the SEPA credit transfer file (pain.001)",
    "applications_receipts_request_create": "Ask for the receipts of chosen lines",
    "applications_check_note_retrieve": "Read the check note (Prüfvermerk)",
    "applications_check_note_update": "Write the check note (Prüfvermerk)",
    "applications_early_start_create": "Grant or refuse the early start",
    "expenditures_destroy": "Remove a receipt",
    "invitations_list": "List the caller's open invitations",
    "invitations_accept_create": "Accept an invitation",
    "invitations_decline_create": "Decline an invitation",
    "meetings_list": "List meetings",
    "meetings_create": "Plan a meeting",
    "meetings_retrieve": "Read a meeting",
    "meetings_partial_update": "Change a meeting",
    "meetings_attendance_update": "Record who attended",
    "meetings_dossier_retrieve": "Download a meeting's dossier",
    "meetings_invite_create": "Send the invitation",
    "meetings_minutes_retrieve": "Download a meeting's minutes",
    "meetings_sign_create": "Sign the minutes",
    "meetings_votes_create": "Record a vote taken at the meeting",
    "organizations_list": "List organisations",
    "organizations_create": "Register an organisation",
    "organizations_retrieve": "Read an organisation",
    "organizations_partial_update": "Change an organisation",
    "organizations_invitations_list": "List an organisation's invitations",
    "organizations_invitations_create": "Invite somebody to an organisation",
    "organizations_members_list": "List an organisation's members",
    "organizations_members_create": "Add a member to an organisation",
    "organizations_members_destroy": "Remove a member from an organisation",
    "payments_transitions_list": "List the transitions of a payout the caller may take",
    "programs_list": "List funding programs",
    "programs_create": "Create a funding program",
    "programs_retrieve": "Read a funding program",
    "programs_partial_update": "Change a funding program",
    "programs_figures_retrieve": "Read a program's figures for a period",
    "programs_bodies_list": "List a program's decision bodies",
    "programs_bodies_create": "Create a decision body",
    "programs_categories_list": "List a program's cost categories",
    "programs_categories_create": "Add a cost category",
    "programs_roles_list": "List who holds which role in a program",
    "programs_roles_create": "Give somebody a role in a program",
    "programs_roles_partial_update": "Change a program role",
    "programs_roles_destroy": "Take a program role away",
    "reports_list": "List funder reports",
    "reports_create": "Ask for a funder report",
    "reports_retrieve": "Read a funder report's state",
    "reports_file_retrieve": "Download a funder report",
    "exports_list": "List the whole-file exports you asked for",
    "exports_retrieve": "Read a whole-file export's state",
    "exports_file_retrieve": "Download a whole-file export (ZIP)",
    "users_list": "List accounts",
    "users_create": "Create an account",
    "users_me_retrieve": "Read the signed-in account",
    "users_me_partial_update": "Change the signed-in account",
    "users_me_password_create": "Change the password",
    "users_me_two_factor_retrieve": "Read the state of two-factor sign-in",
    "users_me_two_factor_create": "Start setting up two-factor sign-in",
    "users_me_two_factor_destroy": "Turn two-factor sign-in off",
    "users_me_two_factor_confirm_create": "Turn two-factor sign-in on",
    "users_me_two_factor_disable_create": "Turn two-factor sign-in off",
    "schema_retrieve": "Read this OpenAPI schema",
}


def _blank_or_pattern(node: Any) -> None:
    """drf-spectacular writes a text field that may be blank and has a pattern as
    ``oneOf: [{…pattern}, {maxLength: 0}]``; ``""`` matches both, so the ``oneOf`` refuses
    it (a validator reports every blank comment). Zuwendo's patterns match ``""``: the
    first schema alone says it all."""
    if isinstance(node, dict):
        options = node.get("oneOf")
        if (
            isinstance(options, list)
            and len(options) == 2
            and options[1] == {"type": "string", "maxLength": 0}
            and options[0].get("pattern", "").endswith("]*$")
        ):
            del node["oneOf"]
            node.update(options[0])
        for value in node.values():
            _blank_or_pattern(value)
    elif isinstance(node, list):
        for value in node:
            _blank_or_pattern(value)


def collapse_blank_or_pattern(result: dict[str, Any], generator, request, public):
    _blank_or_pattern(result)
    return result


def add_summaries(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            summary = SUMMARIES.get(operation["operationId"])
            if summary and not operation.get("summary"):
                operation["summary"] = summary
    return result


def add_error_responses(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if _is_public(path, method):
                operation["security"] = []  # no token needed (``[{}]`` reads "optional")
            responses = operation.setdefault("responses", {})
            for status in _statuses(path, method, operation):
                responses.setdefault(
                    status, {"description": DESCRIPTIONS[status], "content": reference}
                )
    return result
