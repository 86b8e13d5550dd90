"""The office's admin: filtered application list, transition buttons through the services."""

import pytest
from django.test import Client

from core.models import AuditEntry


def test_office_lists_only_own_program_applications(world, application_in, office_browser):
    mine = application_in("submitted", title="Sichtbares Projekt")
    application_in("draft", title="Entwurf bleibt privat")

    page = office_browser.get("/admin/projects/application/")

    assert page.status_code == 200
    assert mine.title in page.content.decode()
    assert "Entwurf bleibt privat" not in page.content.decode()


def test_list_filters_by_program_call_and_state(world, application_in, office_browser):
    application_in("submitted", title="Stadtteilfest")
    application_in("revision_requested", title="Lesereihe")

    page = office_browser.get("/admin/projects/application/?state=revision_requested")

    assert "Lesereihe" in page.content.decode()
    assert "Stadtteilfest" not in page.content.decode()
    assert (
        office_browser.get(
            f"/admin/projects/application/?program__id__exact={world.program.pk}"
        ).status_code
        == 200
    )
    assert (
        office_browser.get(
            f"/admin/projects/application/?call__id__exact={world.call.pk}"
        ).status_code
        == 200
    )


def test_change_page_shows_the_office_transitions(world, application_in, office_browser):
    application = application_in("submitted")

    page = office_browser.get(
        f"/admin/projects/application/{application.pk}/change/"
    ).content.decode()

    assert f"/admin/projects/application/{application.pk}/transition/request_revision/" in page
    assert f"/admin/projects/application/{application.pk}/transition/fast_track_approve/" in page
    assert "/transition/withdraw/" not in page


def test_change_page_shows_cost_plan_and_history(world, application_in, office_browser):
    application = application_in("revision_requested")

    page = office_browser.get(
        f"/admin/projects/application/{application.pk}/change/"
    ).content.decode()

    assert "Honorar Workshop" in page  # the budget line
    assert "Bitte Angebot nachreichen." in page  # the audit entry's comment
    assert application.reference in page


def test_transition_button_goes_through_the_service(world, application_in, office_browser):
    application = application_in("submitted")

    response = office_browser.post(
        f"/admin/projects/application/{application.pk}/transition/request_revision/",
        {"comment": "Bitte Kostenangebot nachreichen."},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "revision_requested"
    entry = AuditEntry.objects.filter(application=application).last()
    assert (entry.action, entry.actor, entry.comment) == (
        "request_revision",
        world.office,
        "Bitte Kostenangebot nachreichen.",
    )


def test_refused_transition_shows_the_reason_and_changes_nothing(
    world, application_in, office_browser
):
    application = application_in("submitted")

    response = office_browser.post(
        f"/admin/projects/application/{application.pk}/transition/reject/", {"comment": ""}
    )

    assert response.status_code == 200
    assert "comment" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "submitted"


def test_admin_cannot_edit_or_delete_audit_entries(world, application_in):
    application_in("submitted")
    entry = AuditEntry.objects.first()
    browser = Client()
    browser.force_login(world.admin)

    change = browser.post(f"/admin/core/auditentry/{entry.pk}/change/", {"comment": "x"})
    delete = browser.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"})

    assert change.status_code == 403
    assert delete.status_code == 403
    entry.refresh_from_db()
    assert entry.comment == ""


def test_audit_entry_refuses_change_in_code(world, application_in):
    from core.models import AuditEntryImmutable

    application_in("submitted")
    entry = AuditEntry.objects.first()
    entry.comment = "geändert"
    with pytest.raises(AuditEntryImmutable):
        entry.save()
    with pytest.raises(AuditEntryImmutable):
        entry.delete()
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.all().update(comment="x")
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.all().delete()


def test_sponsor_has_no_admin_access(world):
    browser = Client()
    browser.force_login(world.sponsor_a)
    assert browser.get("/admin/projects/application/").status_code == 302


def test_admin_call_edit_keeps_the_call_rules(world, office_browser):
    from datetime import timedelta

    call = world.call
    url = f"/admin/grants/call/{call.pk}/change/"

    def post(vote_deadline):
        return office_browser.post(
            url,
            {
                "program": world.program.pk,
                "title": "Runde",
                "opens_at_0": call.opens_at.strftime("%d.%m.%Y"),
                "opens_at_1": "00:00:00",
                "closes_at_0": call.closes_at.strftime("%d.%m.%Y"),
                "closes_at_1": "00:00:00",
                "vote_deadline_0": vote_deadline.strftime("%d.%m.%Y"),
                "vote_deadline_1": "00:00:00",
                "budget": "1000.00",
                "funding_year": call.funding_year,
            },
        )

    accepted = post(call.closes_at + timedelta(days=14))
    refused = post(call.opens_at)  # the committee would vote before the deadline

    assert accepted.status_code == 302
    assert refused.status_code == 200
    assert "vote_deadline" in refused.context["adminform"].form.errors
    call.refresh_from_db()
    assert call.vote_deadline > call.closes_at


def test_chair_rule_lives_on_the_model_so_admin_forms_keep_it(world):
    from django.core.exceptions import ValidationError

    from grants.models import ProgramRole

    role = ProgramRole(program=world.program, user=world.sponsor_b, role="funder", chair=True)
    with pytest.raises(ValidationError) as raised:
        role.full_clean()
    assert "chair" in raised.value.message_dict


def test_application_page_queries_do_not_grow_with_lines_and_history(
    world, application_in, office_browser
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import default_lines, make_application
    from workflows import services as flow

    def page_queries(application):
        with CaptureQueriesContext(connection) as captured:
            office_browser.get(f"/admin/projects/application/{application.pk}/change/")
        return len(captured)

    small = application_in("revision_requested")
    large = make_application(world, lines=default_lines(world, "40.00") * 10)
    flow.application_submit(application=large, actor=world.sponsor_a)
    for _ in range(5):
        flow.application_request_revision(application=large, actor=world.office, comment="x")
        flow.application_resubmit(application=large, actor=world.sponsor_a)

    assert page_queries(large) == page_queries(small)


def test_an_application_with_an_audit_trail_cannot_be_deleted(world, application_in):
    """Decision 004: the trail outlives nothing it records; deleting the application is
    refused before anything is deleted (the generic relation would cascade otherwise)."""
    from django.db import transaction
    from django.db.models import ProtectedError

    from projects.models import Application

    application = application_in("submitted")
    entries = AuditEntry.objects.filter(application=application).count()

    with pytest.raises(ProtectedError), transaction.atomic():
        application.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        Application.objects.filter(pk=application.pk).delete()

    assert Application.objects.filter(pk=application.pk).exists()
    assert AuditEntry.objects.filter(application=application).count() == entries


def test_application_page_shows_amounts_in_german_and_times_in_berlin(
    world, application_in, office_browser
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tests.factories import default_lines

    application = application_in("submitted", lines=default_lines(world, amount="1234.50"))
    entry = AuditEntry.objects.filter(application=application).get()

    page = office_browser.get(f"/admin/projects/application/{application.pk}/change/")
    text = page.content.decode()

    assert page.status_code == 200
    assert "1.234,50 €" in text  # total costs, requested grant and the budget line
    assert "1234.50" not in text and "1234,50" not in text
    berlin = entry.at.astimezone(ZoneInfo("Europe/Berlin"))
    assert berlin.utcoffset() != datetime.now(ZoneInfo("UTC")).utcoffset()  # CET/CEST
    assert f"{berlin:%H:%M}" in text


def test_audit_entry_names_itself_in_berlin_time(world, application_in):
    from zoneinfo import ZoneInfo

    application_in("submitted")
    entry = AuditEntry.objects.get()
    berlin = entry.at.astimezone(ZoneInfo("Europe/Berlin"))
    assert str(entry).startswith(f"{berlin:%d.%m.%Y %H:%M} application.submit")


def test_unknown_transition_in_the_admin_is_404(world, application_in, office_browser):
    application = application_in("submitted")
    url = f"/admin/projects/application/{application.pk}/transition/approve_everything/"
    assert office_browser.get(url).status_code == 404
    assert office_browser.post(url, {"comment": "x"}).status_code == 404
    application.refresh_from_db()
    assert application.state == "submitted"


def test_the_audit_list_names_each_object_and_titles_use_names(funded):
    """#24: the audit list said "projects.Application.None"; it names the object by its
    kind and name, and the records' titles use names and € amounts, not ids."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from workflows import money

    world, application = funded, funded.application
    payout = money.payout_request(
        application=application,
        actor=world.sponsor_a,
        amount=Decimal("123.50"),
        needed_by=timezone.localdate() + timedelta(days=5),
    )
    browser = Client()
    browser.force_login(world.admin)
    page = browser.get("/admin/core/auditentry/").content.decode()
    assert ".None" not in page
    assert f"{application.reference}: {application.title}" in page
    assert str(payout).startswith(f"{application.reference}: {application.title}: 123,50 €")
