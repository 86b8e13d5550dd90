"""The committee's review in the office's admin, read-only: per call and per meeting the
applications with their tallies; votes and conflicts with their audit trails. Changes go
through the API's services (votes are the members', decisions are transitions)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin
from core.models import AuditEntry
from grants.admin import OfficeScopedAdmin
from projects.models import Application, ConflictDeclaration, Meeting, Vote
from projects.selectors import application_tally, attach_tallies
from projects.states import ApplicationState
from workflows.models import CallReview


class OfficeReadOnlyAdmin(ReadOnlyAdminMixin, OfficeScopedAdmin):
    """Offices see their programs' rows, administrators all; nobody changes them here."""


class TrailInline(ReadOnlyAdminMixin, GenericTabularInline):
    """The object's own audit trail."""

    model = AuditEntry
    ct_field = "trail_type"
    ct_fk_field = "trail_id"
    fields = ("at", "namespace", "action", "source", "target", "actor", "comment")
    readonly_fields = fields
    ordering = ("at", "id")
    extra = 0

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("grants.use_office_admin")


TALLY_HEADINGS = (
    _("application"),
    _("state"),
    _("decision mode"),
    _("eligible"),
    _("conflicted"),
    _("present"),
    _("approve / reject / abstain"),
    _("quorum"),
    _("outcome"),
)


def _figures(application: Application, kept: dict | None) -> dict:
    if kept is not None:
        return kept if "votes" in kept else {}
    if application.state != ApplicationState.COMMITTEE_REVIEW:
        return {}
    result = application_tally(application)  # batched by ``attach_tallies``
    return {**result.as_dict(), "reason_text": result.reason_text}


def _quorum(figures: dict) -> str:
    if not figures:
        return "–"
    reached = _("reached") if figures["quorum_reached"] else _("not reached")
    return f"{figures['quorum_required']} ({reached})"


def tally_table(rows: list[tuple[Application, dict | None]]):
    """A table of applications and their tallies: the live one while under review, or
    the one kept (``dict``) when the minutes were signed."""
    attach_tallies([application for application, kept in rows if kept is None])
    lines = []
    for application, kept in rows:
        figures = _figures(application, kept)
        votes = figures.get("votes") or {}
        present = figures.get("present")
        lines.append(
            (
                f"{application.reference or '–'}: {application.title}",
                application.get_state_display(),
                application.get_decision_mode_display(),
                figures.get("eligible", "–"),
                figures.get("conflicted", "–"),
                "–" if present is None else present,
                " / ".join(str(votes.get(k, "–")) for k in ("approve", "reject", "abstain")),
                _quorum(figures),
                f"{figures.get('outcome', '–')}: {figures.get('reason_text', '')}",
            )
        )
    if not lines:
        return _("No applications.")
    head = format_html_join("", "<th>{}</th>", ((h,) for h in TALLY_HEADINGS))
    body = format_html_join("", "<tr>" + "<td>{}</td>" * len(TALLY_HEADINGS) + "</tr>", lines)
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, body)


@admin.register(CallReview)
class CallReviewAdmin(OfficeReadOnlyAdmin):
    list_display = ("title", "program", "body", "vote_deadline", "under_review")
    list_filter = ("program",)
    list_select_related = ("program", "body")
    fields = ("title", "program", "body", "vote_deadline", "applications_under_review")
    readonly_fields = fields

    @admin.display(description=_("under review"))
    def under_review(self, call):
        return call.applications.filter(state=ApplicationState.COMMITTEE_REVIEW).count()

    @admin.display(description=_("applications under committee review"))
    def applications_under_review(self, call):
        applications = (
            call.applications.filter(state=ApplicationState.COMMITTEE_REVIEW)
            .select_related("call", "program")
            .order_by("reference")
        )
        return tally_table([(application, None) for application in applications])


@admin.register(Meeting)
class MeetingAdmin(OfficeReadOnlyAdmin):
    program_lookup = "body__program__in"
    list_display = ("starts_at", "body", "place", "invited_at", "minutes_signed")
    list_filter = ("body__program", "body")
    list_select_related = ("body",)
    fields = (
        "body",
        ("starts_at", "place"),
        "notes",
        "attendance",
        "attendance_recorded_at",
        "invited_at",
        ("keeper", "keeper_signed_at"),
        ("chair_signer", "chair_signed_at"),
        "agenda_with_tallies",
        "conflicts",
    )
    readonly_fields = (
        "body",
        "starts_at",
        "place",
        "notes",
        "attendance",
        "attendance_recorded_at",
        "invited_at",
        "keeper",
        "keeper_signed_at",
        "chair_signer",
        "chair_signed_at",
        "agenda_with_tallies",
        "conflicts",
    )
    inlines = [TrailInline]

    @admin.display(boolean=True, description=_("minutes signed"))
    def minutes_signed(self, meeting):
        return meeting.minutes_signed

    @admin.display(description=_("present"))
    def attendance(self, meeting):
        return ", ".join(user.get_full_name() or user.username for user in meeting.present.all())

    @admin.display(description=_("agenda"))
    def agenda_with_tallies(self, meeting):
        items = meeting.items.select_related("application__call", "application__program")
        return tally_table([(item.application, item.outcome) for item in items])

    @admin.display(description=_("conflicts of interest"))
    def conflicts(self, meeting):
        rows = ConflictDeclaration.objects.filter(
            application__agenda_items__meeting=meeting
        ).select_related("member", "application")
        if not rows:
            return "–"
        return format_html_join(
            mark_safe("<br>"),
            "{} · {}: {}",
            ((c.application.reference, c.member.username, c.reason) for c in rows),
        )


@admin.register(Vote)
class VoteAdmin(OfficeReadOnlyAdmin):
    program_lookup = "application__program__in"
    list_display = ("application", "member", "choice", "meeting", "void", "cast_at", "changed_at")
    list_filter = ("choice", "void", "application__program")
    list_select_related = ("application", "member", "meeting__body")
    search_fields = ("application__reference", "member__username")
    inlines = [TrailInline]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(OfficeReadOnlyAdmin):
    program_lookup = "application__program__in"
    list_display = ("application", "member", "excluded", "declared_at", "recorded_by")
    list_filter = ("excluded", "application__program")
    list_select_related = ("application", "member", "recorded_by")
    search_fields = ("application__reference", "member__username")
    inlines = [TrailInline]
