"""Every transition of this issue: allowed for the right role in the right state, refused
with the contract's code otherwise, and audited with actor and comment."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import AuditEntry
from tests.factories import close_call, default_lines, make_application
from workflows import services as flow
from workflows.notifications import send_transition_mails

# name, from-state, actor, payload, target
ALLOWED = [
    ("submit", "draft", "sponsor_a", {"comment": "Bitte prüfen."}, "submitted"),
    (
        "request_revision",
        "submitted",
        "office",
        {"comment": "Angebot fehlt."},
        "revision_requested",
    ),
    ("resubmit", "revision_requested", "sponsor_a", {"comment": "Angebot anbei."}, "submitted"),
    (
        "forward_to_committee",
        "submitted",
        "office",
        {"comment": "Vollständig."},
        "committee_review",
    ),
    ("fast_track_approve", "submitted", "office", {"comment": "Eilverfahren."}, "approved"),
    ("reject", "submitted", "office", {"comment": "Nicht förderfähig."}, "rejected"),
    ("withdraw", "draft", "sponsor_a", {"comment": "Doch nicht."}, "withdrawn"),
    ("withdraw", "submitted", "sponsor_a", {}, "withdrawn"),
    ("withdraw", "revision_requested", "sponsor_a", {}, "withdrawn"),
    ("withdraw", "committee_review", "sponsor_a", {}, "withdrawn"),
    ("withdraw", "approved", "sponsor_a", {}, "withdrawn"),
    ("accept_agreement", "approved", "sponsor_a", {"comment": "Angenommen."}, "funded"),
]


def post_transition(api, user, application, name, payload=None):
    return api(user).post(
        f"/api/applications/{application.pk}/transitions/{name}/", payload or {}, format="json"
    )


@pytest.mark.parametrize(("name", "source", "actor", "payload", "target"), ALLOWED)
def test_transition_allowed_and_audited(
    api, world, application_in, name, source, actor, payload, target
):
    application = application_in(source)
    before = AuditEntry.objects.filter(application=application).count()

    response = post_transition(api, getattr(world, actor), application, name, payload)

    assert response.status_code == 200, response.json()
    assert response.json()["state"] == target
    entries = AuditEntry.objects.filter(application=application).order_by("pk")
    assert entries.count() == before + 1
    entry = entries.last()
    assert (entry.action, entry.source, entry.target) == (name, source, target)
    assert entry.actor == getattr(world, actor)
    assert entry.comment == payload.get("comment", "")


# name, state, wrong actor, expected status (404 where the actor cannot see the application)
WRONG_ROLE = [
    ("submit", "draft", "office", 404),  # the office never sees drafts
    ("submit", "draft", "sponsor_b", 404),
    ("request_revision", "submitted", "sponsor_a", 403),
    ("request_revision", "submitted", "other_office", 404),
    ("request_revision", "submitted", "committee", 404),
    ("resubmit", "revision_requested", "office", 403),
    ("forward_to_committee", "submitted", "sponsor_a", 403),
    ("fast_track_approve", "submitted", "sponsor_a", 403),
    ("reject", "submitted", "sponsor_a", 403),
    ("withdraw", "submitted", "office", 403),
    ("withdraw", "committee_review", "committee", 403),
    ("withdraw", "submitted", "funder", 404),
    ("accept_agreement", "approved", "office", 403),
    ("accept_agreement", "approved", "committee", 403),
]


@pytest.mark.parametrize(("name", "state", "actor", "status"), WRONG_ROLE)
def test_transition_refused_for_wrong_role(api, world, application_in, name, state, actor, status):
    application = application_in(state)
    before = AuditEntry.objects.filter(application=application).count()

    response = post_transition(
        api, getattr(world, actor), application, name, {"comment": "Versuch."}
    )

    assert response.status_code == status
    assert response.json()["code"] == {403: "permission_denied", 404: "not_found"}[status]
    application.refresh_from_db()
    assert application.state == state
    assert AuditEntry.objects.filter(application=application).count() == before


# name, a state without that transition, actor who could take it elsewhere
WRONG_STATE = [
    ("submit", "submitted", "sponsor_a"),
    ("request_revision", "revision_requested", "office"),
    ("resubmit", "submitted", "sponsor_a"),
    ("forward_to_committee", "committee_review", "office"),
    ("fast_track_approve", "committee_review", "office"),
    ("reject", "approved", "office"),
    ("withdraw", "funded", "sponsor_a"),
    ("withdraw", "rejected", "sponsor_a"),
    ("accept_agreement", "submitted", "sponsor_a"),
]


@pytest.mark.parametrize(("name", "state", "actor"), WRONG_STATE)
def test_transition_refused_in_wrong_state(api, world, application_in, name, state, actor):
    application = application_in(state)

    response = post_transition(api, getattr(world, actor), application, name, {"comment": "x"})

    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    application.refresh_from_db()
    assert application.state == state


def test_unknown_transition_is_not_found(api, world, application_in):
    application = application_in("draft")
    response = post_transition(api, world.sponsor_a, application, "launch_rocket")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_input_the_transition_does_not_take_is_refused(api, world, application_in):
    """#20: was dropped in silence since the architecture issue; now a 400 naming it."""
    application = application_in("draft")
    response = post_transition(
        api, world.sponsor_a, application, "submit", {"comment": "x", "approved_amount": "5"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["errors"]) == ["approved_amount"]
    application.refresh_from_db()
    assert application.state == "draft"


def test_submit_refused_after_call_closed(api, world, application_in):
    application = application_in("draft")
    close_call(world.call)

    response = post_transition(api, world.sponsor_a, application, "submit")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "condition_failed"
    assert "call" in body["errors"]
    application.refresh_from_db()
    assert application.state == "draft"
    assert application.reference is None
    assert not AuditEntry.objects.filter(application=application).exists()


def test_submit_refused_before_call_opens(api, world, application_in):
    application = application_in("draft")
    world.call.opens_at = timezone.now() + timedelta(days=1)
    world.call.save()

    response = post_transition(api, world.sponsor_a, application, "submit")

    assert response.status_code == 400
    assert "call" in response.json()["errors"]


def test_submit_refused_with_empty_cost_plan(api, world):
    application = make_application(world, lines=[], summary="")

    response = post_transition(api, world.sponsor_a, application, "submit")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"budget_lines", "summary"} <= set(errors)


def test_submit_refused_below_program_minimum(api, world):
    world.program.min_grant = Decimal("1000.00")
    world.program.save()
    application = make_application(world)

    response = post_transition(api, world.sponsor_a, application, "submit")

    assert response.status_code == 400
    assert "requested_amount" in response.json()["errors"]


def test_submit_assigns_file_number_per_program_and_year(api, world):
    first, second = make_application(world), make_application(world)

    post_transition(api, world.sponsor_a, second, "submit")
    post_transition(api, world.sponsor_a, first, "submit")

    second.refresh_from_db()
    first.refresh_from_db()
    year = timezone.localdate().year
    assert second.reference == f"PFD-KO-{year}-0001"
    assert first.reference == f"PFD-KO-{year}-0002"


def test_resubmit_allowed_after_call_closed(api, world, application_in):
    application = application_in("revision_requested")
    close_call(world.call)

    response = post_transition(api, world.sponsor_a, application, "resubmit")

    assert response.status_code == 200
    assert response.json()["state"] == "submitted"


@pytest.mark.parametrize("name", ["request_revision", "reject"])
def test_comment_required(api, world, application_in, name):
    application = application_in("submitted")

    response = post_transition(api, world.office, application, name, {"comment": "  "})

    assert response.status_code == 400
    assert response.json()["code"] == "condition_failed"
    assert "comment" in response.json()["errors"]
    application.refresh_from_db()
    assert application.state == "submitted"


def test_fast_track_refused_above_ceiling(api, world):
    application = make_application(world, lines=default_lines(world, "800.00"))
    post_transition(api, world.sponsor_a, application, "submit")

    response = post_transition(api, world.office, application, "fast_track_approve")

    assert response.status_code == 400
    assert response.json()["code"] == "condition_failed"
    assert "requested_amount" in response.json()["errors"]


def test_fast_track_sets_approved_amount_and_conditions(api, world, application_in):
    application = application_in("submitted")

    response = post_transition(
        api,
        world.office,
        application,
        "fast_track_approve",
        {"approved_amount": "350.00", "conditions": "Fotos einreichen."},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["approved_amount"] == "350.00"
    assert body["conditions"] == "Fotos einreichen."
    assert body["decided_at"] is not None
    entry = AuditEntry.objects.filter(application=application).last()
    assert entry.data["approved_amount"] == "350.00"


def test_fast_track_defaults_approved_amount_to_requested(api, world, application_in):
    application = application_in("submitted")

    response = post_transition(api, world.office, application, "fast_track_approve")

    assert response.json()["approved_amount"] == "400.00"


@pytest.mark.parametrize("amount", ["400.01", "0.00", "-5.00", "12.345"])
def test_fast_track_refuses_bad_approved_amount(api, world, application_in, amount):
    application = application_in("submitted")

    response = post_transition(
        api, world.office, application, "fast_track_approve", {"approved_amount": amount}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "approved_amount" in response.json()["errors"]
    application.refresh_from_db()
    assert application.state == "submitted"
    assert application.approved_amount is None


def test_available_transitions_for_sponsor_and_office(api, world, application_in):
    application = application_in("submitted")

    sponsor_view = api(world.sponsor_a).get(f"/api/applications/{application.pk}/transitions/")
    office_view = api(world.office).get(f"/api/applications/{application.pk}/transitions/")

    assert [t["name"] for t in sponsor_view.json()] == ["withdraw"]
    office = {t["name"]: t for t in office_view.json()}
    assert set(office) == {
        "request_revision",
        "forward_to_committee",
        "fast_track_approve",
        "reject",
    }
    assert office["request_revision"]["needs"] == ["comment"]
    assert "approved_amount" in office["fast_track_approve"]["accepts"]


def test_available_transitions_hide_failed_conditions(api, world):
    application = make_application(world, lines=default_lines(world, "800.00"))
    post_transition(api, world.sponsor_a, application, "submit")

    names = (
        api(world.office)
        .get(f"/api/applications/{application.pk}/")
        .json()["available_transitions"]
    )

    assert "fast_track_approve" not in names
    assert "forward_to_committee" in names


def test_history_lists_entries_oldest_first(api, world, application_in):
    application = application_in("revision_requested")

    response = api(world.sponsor_a).get(f"/api/applications/{application.pk}/history/")

    assert response.status_code == 200
    assert [(e["action"], e["source"], e["target"]) for e in response.json()] == [
        ("submit", "draft", "submitted"),
        ("request_revision", "submitted", "revision_requested"),
    ]
    assert response.json()[1]["actor"] == world.office.pk
    assert response.json()[1]["comment"] == "Bitte Angebot nachreichen."


def test_state_cannot_be_assigned_directly(world):
    application = make_application(world)
    with pytest.raises(AttributeError):
        application.state = "approved"


def test_transition_notifies_sponsor_in_their_language(
    world, application_in, mailoutbox, django_capture_on_commit_callbacks
):
    world.sponsor_a.language = "en"
    world.sponsor_a.save()
    application = application_in("submitted")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        flow.application_request_revision(
            application=application, actor=world.office, comment="Bitte Angebot."
        )

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [world.sponsor_a.email]
    assert "revision requested" in mailoutbox[0].subject
    assert "Bitte Angebot." in mailoutbox[0].body


def test_notification_sent_once_however_often_the_task_runs(
    world, application_in, mailoutbox, django_capture_on_commit_callbacks
):
    application = application_in("submitted")
    with django_capture_on_commit_callbacks(execute=True):
        flow.application_reject(application=application, actor=world.office, comment="Nein.")
    entry = AuditEntry.objects.filter(application=application).last()
    assert len(mailoutbox) == 1
    mailoutbox.clear()

    send_transition_mails(audit_entry_id=entry.pk)
    send_transition_mails(audit_entry_id=entry.pk)

    assert mailoutbox == []


def test_office_hears_of_a_withdrawal_only_after_submission(
    world, application_in, mailoutbox, django_capture_on_commit_callbacks
):
    draft = application_in("draft")
    submitted = application_in("submitted")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        flow.application_withdraw(application=draft, actor=world.sponsor_a)
    assert mailoutbox == []  # the office never saw the draft

    with django_capture_on_commit_callbacks(execute=True):
        flow.application_withdraw(application=submitted, actor=world.sponsor_a)
    assert [message.to for message in mailoutbox] == [[world.office.email]]
