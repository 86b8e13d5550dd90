"""The committee member's pages (PORTAL.md): what awaits their vote, and the review of
one application: its dossier as a page (the application document, the annexes, the
office's recommendation), the vote (changed until the decision), a declared conflict
of interest, an objection to the written procedure, and the tally. Each write is one
service of ``workflows.committee``; the body's rules (deadline, conflict, mode) are
its, shown as messages in plain German."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from portal.forms import ReasonForm, VoteForm, form_errors
from portal.steps import tally_of
from portal.views import portal_page, posted_pk
from projects import selectors
from projects.models import ConflictDeclaration, Objection, Recommendation, Vote
from projects.states import ApplicationState, DecisionMode
from reports import services as report_services
from workflows import attachments, committee
from workflows.meetings import meeting_sign

ACTIONS = {"vote", "conflict", "objection"}


def _reviewed(request: HttpRequest, pk: int):
    application = (
        selectors.applications_visible_to(request.user)
        .select_related("call", "call__body", "organization", "program")
        .filter(pk=pk)
        .first()
    )
    if application is None or not request.user.has_perm("projects.view_review", application):
        raise Http404
    return application


@portal_page
def call_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    """A call's dossier (every application before its body) as a page, with its PDF."""
    call = selectors.calls_with_body().filter(pk=pk).first()
    if call is None or not request.user.has_perm("reports.view_call_dossier", call):
        raise Http404
    title, body = report_services.call_dossier_html(call=call, language=get_language())
    return render(request, "portal/call_dossier.html", {"call": call, "title": title, "body": body})


@portal_page
@require_http_methods(["GET", "POST"])
def meetings(request: HttpRequest) -> HttpResponse:
    """The meetings of the user's bodies (the office: of its programs), the latest
    first, each with its agenda, its dossier and its minutes; the chair signs the
    minutes here (§ 93 VwVfG), the office manages each meeting on its own page."""
    user = request.user
    visible = selectors.meetings_visible_to(user).select_related("chair_signer", "keeper")
    if request.method == "POST":
        meeting = posted_pk(request, "meeting", visible)
        try:
            meeting_sign(meeting=meeting, actor=user, signature="chair")
        except DomainError as error:
            messages.error(request, str(error.detail))
        else:
            messages.success(request, _("You signed the minutes as chair."))
        return redirect("portal:meetings")
    found = list(visible.order_by("-starts_at", "-pk")[:50])
    rows = [
        (
            meeting,
            user.has_perm("projects.manage_meetings", meeting),
            user.has_perm("projects.sign_as_chair", meeting)
            and meeting.attendance_recorded_at is not None
            and meeting.chair_signed_at is None,
        )
        for meeting in found
    ]
    return render(
        request,
        "portal/meetings.html",
        {
            "rows": rows,
            "now": timezone.now(),
            "may_call": user.has_perm("grants.work_as_office"),
        },
    )


@portal_page
def meeting_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    meeting = selectors.meetings_visible_to(request.user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    try:
        title, body = report_services.meeting_document_html(
            meeting=meeting, kind=kind, language=get_language()
        )
    except DomainError:
        raise Http404 from None
    return render(
        request,
        "portal/meeting_document.html",
        {"meeting": meeting, "title": title, "body": body, "kind": kind},
    )


@portal_page
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    application = _reviewed(request, pk)
    user = request.user
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and action not in ACTIONS:
        action = None
    mine = Vote.objects.filter(
        application=application, member=user, meeting__isnull=True, void=False
    ).first()
    vote_form = VoteForm(
        request.POST if action == "vote" else None,
        initial={"choice": mine.choice, "comment": mine.comment} if mine else None,
    )
    conflict_form = ReasonForm(request.POST if action == "conflict" else None, prefix="conflict")
    objection_form = ReasonForm(request.POST if action == "objection" else None, prefix="objection")
    status = 200
    if action:
        form = {"vote": vote_form, "conflict": conflict_form, "objection": objection_form}[action]
        if form.is_valid():
            try:
                if action == "vote":
                    committee.vote_cast(application=application, actor=user, **form.cleaned_data)
                    done = _("Your vote is recorded; you can change it until the decision.")
                elif action == "conflict":
                    committee.conflict_declare(
                        application=application, actor=user, reason=form.cleaned_data["reason"]
                    )
                    done = _("Your conflict of interest is on record: you take no part.")
                else:
                    committee.objection_raise(
                        application=application, actor=user, reason=form.cleaned_data["reason"]
                    )
                    done = _("Your objection is on record: the application goes to a meeting.")
            except DomainError as error:
                form_errors(form, error)
                status = error.status_code
            else:
                messages.success(request, done)
                return redirect("portal:review", pk=application.pk)
        else:
            status = 400
    _title, body = report_services.application_document_html(
        application=application, kind="application", language=get_language(), shift=2
    )
    written = application.decision_mode == DecisionMode.WRITTEN
    under_review = application.state == ApplicationState.COMMITTEE_REVIEW
    return render(
        request,
        "portal/review.html",
        {
            "application": application,
            "document": body,
            "annexes": attachments.visible_of(application, user),
            "recommendation": Recommendation.objects.filter(application=application).first(),
            "mine": mine,
            "conflicted": ConflictDeclaration.objects.filter(
                application=application, member=user
            ).exists(),
            "objected": Objection.objects.filter(application=application, member=user).exists(),
            "may_vote": under_review and written and user.has_perm("projects.vote", application),
            "may_declare": under_review and user.has_perm("projects.declare_conflict", application),
            "may_object": under_review
            and written
            and user.has_perm("projects.object", application),
            "deadline": committee.voting_deadline(application) if written else None,
            "tally": tally_of(application),
            "vote_form": vote_form,
            "conflict_form": conflict_form,
            "objection_form": objection_form,
        },
        status=status,
    )
