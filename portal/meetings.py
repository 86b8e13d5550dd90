"""The office's committee work (PORTAL.md): a meeting called with its agenda, the
invitation sent, the attendance and the votes taken recorded, the minutes signed by the
keeper (the chair signs on the member's meetings page); the office's recommendation to
the body. Each write is one service of ``workflows.meetings`` or
``workflows.committee``; their refusals are shown next to the field."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from grants.models import DecisionBody
from grants.selectors import body_members_on
from portal.forms import (
    AttendanceForm,
    DeliveredForm,
    MeetingForm,
    RecommendationForm,
    VotesForm,
    form_errors,
)
from portal.office import office_only
from portal.views import portal_page, saved
from projects import selectors
from projects.models import Recommendation, Vote
from projects.states import ApplicationState
from workflows import committee, meetings

ACTIONS = {"details", "invite", "delivered", "attendance", "votes", "sign"}


def _bodies(user):
    return (
        DecisionBody.objects.filter(program__in=selectors.office_programs(user))
        .select_related("program")
        .order_by("program__name", "name")
    )


def _under_review(user):
    return (
        selectors.office_applications(user)
        .filter(state=ApplicationState.COMMITTEE_REVIEW)
        .select_related("organization", "call__body")
        .order_by("submitted_at", "pk")
    )


@portal_page
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    """The office calls a meeting of one of its bodies, with the applications to decide."""
    office_only(request)
    bodies = _bodies(request.user)
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        bodies=bodies,
        applications=_under_review(request.user),
        initial={"time": "17:00"},
    )
    meeting = saved(request, form, meetings.meeting_create)
    if meeting is not None:
        messages.success(request, _("The meeting is called; send the invitation next."))
        return redirect("portal:office_meeting", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/office_meeting_new.html", {"form": form}, status=status)


def _managed(request: HttpRequest, pk: int):
    meeting = selectors.meetings_visible_to(request.user).filter(pk=pk).first()
    if meeting is None or not request.user.has_perm("projects.manage_meetings", meeting):
        raise Http404
    return meeting


@portal_page
@require_http_methods(["GET", "POST"])
def meeting_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting as the office runs it: details and agenda, invitation, attendance,
    the votes on each item, the keeper's signature; frozen once somebody signed."""
    meeting = _managed(request, pk)
    user = request.user
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action") if posted is not None else None
    if action not in ACTIONS:
        action = None
    day = timezone.localdate(meeting.starts_at)
    members = list(
        body_members_on(meeting.body_id, day).order_by("-chair", "-voting", "user__last_name")
    )
    present = {user_.pk for user_ in meeting.present.all()}
    local = timezone.localtime(meeting.starts_at)
    items = list(meeting.items.all())
    agenda_choices = (
        selectors.office_applications(user)
        .filter(
            Q(state=ApplicationState.COMMITTEE_REVIEW, call__body=meeting.body_id)
            | Q(pk__in=[item.application_id for item in items])
        )
        .select_related("organization", "call__body")
        .order_by("submitted_at", "pk")
    )
    details = MeetingForm(
        posted if action == "details" else None,
        bodies=DecisionBody.objects.filter(pk=meeting.body_id),
        applications=agenda_choices,
        initial={
            "body": meeting.body_id,
            "day": local.date(),
            "time": local.time(),
            "place": meeting.place,
            "notes": meeting.notes,
            "agenda": [item.application_id for item in items],
        },
    )
    del details.fields["body"]  # a meeting stays with its body
    attendance = AttendanceForm(
        posted if action == "attendance" else None,
        members=members,
        initial={"present": [str(pk) for pk in present]},
    )
    reached = {user_.pk for user_ in meeting.invitations_delivered.all()}
    unreached = [role for role in members if role.user_id not in reached]
    delivered = DeliveredForm(posted if action == "delivered" else None, members=unreached)
    recorded = {}
    for vote in Vote.objects.filter(meeting=meeting, void=False):
        recorded.setdefault(vote.application_id, {})[vote.member_id] = vote.choice
    voters = [role for role in members if role.voting and role.user_id in present]
    chosen_item = posted.get("item") if action == "votes" else None
    rows = []
    for item in items:
        application = item.application
        open_ = application.state == ApplicationState.COMMITTEE_REVIEW
        form = None
        if open_ and meeting.attendance_recorded_at and not meeting.is_frozen:
            form = VotesForm(
                posted if chosen_item == str(application.pk) else None,
                prefix=f"item-{application.pk}",
                members=voters,
                recorded=recorded.get(application.pk, {}),
            )
        tally = selectors.application_tally(application, meeting=meeting) if open_ else None
        rows.append({"item": item, "application": application, "form": form, "tally": tally})

    status = 200
    if action:
        try:
            forms = {"details": details, "attendance": attendance, "delivered": delivered}
            done = _act(request, meeting, action, forms, rows, members)
        except DomainError as error:
            target = forms.get(action)
            if action == "votes":
                target = next((r["form"] for r in rows if r["form"] and r["form"].is_bound), None)
            if target is not None:
                form_errors(target, error)
            else:
                messages.error(request, str(error.detail))
            status = error.status_code
        else:
            if done is not None:
                messages.success(request, done)
                return redirect("portal:office_meeting", pk=meeting.pk)
            status = 400
    return render(
        request,
        "portal/office_meeting.html",
        {
            "meeting": meeting,
            "details": details,
            "attendance": attendance,
            "delivered": delivered,
            "unreached": unreached,
            "rows": rows,
            "members": members,
            "present": present,
            "frozen": meeting.is_frozen,
        },
        status=status,
    )


def _act(request, meeting, action, forms, rows, members) -> str | None:
    """Run the posted action through its service; its message, or None if the form is
    invalid (shown with its errors)."""
    actor = request.user
    details, attendance, delivered = forms["details"], forms["attendance"], forms["delivered"]
    if action == "invite":
        meetings.meeting_invite(meeting=meeting, actor=actor)
        return _("The invitation with the agenda is sent to the members by e-mail.")
    if action == "sign":
        meetings.meeting_sign(meeting=meeting, actor=actor, signature="keeper")
        return _("You signed the minutes as their keeper; the record is now final.")
    if action == "delivered":
        if not delivered.is_valid():
            return None
        member = next(r.user for r in members if r.user_id == delivered.cleaned_data["member"])
        meetings.meeting_invitation_record(
            meeting=meeting,
            actor=actor,
            member=member,
            how=delivered.cleaned_data["how"],
            comment=delivered.cleaned_data["comment"],
        )
        return _("The delivery of the invitation is recorded.")
    if action == "details":
        if not details.is_valid():
            return None
        chosen = list(details.cleaned_data["agenda"])
        current = [row["application"].pk for row in rows]
        meetings.meeting_update(
            meeting=meeting,
            actor=actor,
            agenda=chosen if [a.pk for a in chosen] != current else None,
            starts_at=details.cleaned_data["starts_at"],
            place=details.cleaned_data["place"],
            notes=details.cleaned_data["notes"],
        )
        return _("The meeting's details are saved.")
    if action == "attendance":
        if not attendance.is_valid():
            return None
        chosen = set(attendance.cleaned_data["present"])
        people = [role.user for role in members if str(role.user_id) in chosen]
        meetings.meeting_attendance(meeting=meeting, actor=actor, present=people)
        return _("The attendance is recorded.")
    row = next((r for r in rows if r["form"] is not None and r["form"].is_bound), None)
    if row is None:
        raise Http404
    if not row["form"].is_valid():
        return None
    votes = row["form"].votes()
    if not votes:
        row["form"].add_error(None, _("Choose at least one member's vote."))
        return None
    count = meetings.meeting_votes_record(
        meeting=meeting, actor=actor, application=row["application"], votes=votes
    )
    return _("%(count)s votes on “%(title)s” are recorded.") % {
        "count": count,
        "title": row["application"].title,
    }


@portal_page
@require_http_methods(["GET", "POST"])
def recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's recommendation to the body (Votum), until the decision."""
    application = (
        selectors.office_applications(request.user)
        .select_related("call__body", "organization")
        .filter(pk=pk)
        .first()
    )
    if application is None or not request.user.has_perm("projects.manage_review", application):
        raise Http404
    current = Recommendation.objects.filter(application=application).first()
    form = RecommendationForm(
        request.POST if request.method == "POST" else None,
        initial={"choice": current.choice, "amount": current.amount, "text": current.text}
        if current
        else None,
    )
    if saved(request, form, committee.recommendation_record, application=application) is not None:
        messages.success(request, _("The recommendation is saved; the dossier prints it."))
        return redirect("portal:application", pk=application.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "portal/recommendation.html",
        {"application": application, "form": form, "current": current},
        status=status,
    )
