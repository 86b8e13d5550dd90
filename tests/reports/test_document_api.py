"""The document endpoints (issue #11): who gets which PDF, versions of the grant
agreement, the minutes frozen once signed, and the documents attached to e-mails."""

from datetime import timedelta

import pytest
from django.core import mail

from reports.models import Document
from tests.factories import UserFactory, make_member, seat_committee
from tests.reports.pdfs import text


def _pdf(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_a_sponsor_fetches_their_own_application_as_pdf(world, application_in, api):
    application = application_in("submitted")
    pdf = _pdf(api(world.sponsor_a).get(f"/api/applications/{application.pk}/pdf/"))
    assert application.reference in text(pdf)
    same = _pdf(
        api(world.sponsor_a).get(f"/api/applications/{application.pk}/documents/application/")
    )
    assert same == pdf
    # Unchanged content is kept once.
    assert Document.objects.filter(kind="application").count() == 1


def test_a_sponsor_cannot_fetch_another_organisations_documents(world, application_in, api):
    application = application_in("approved")
    for path in ("pdf/", "documents/application/", "documents/agreement/", "documents/"):
        response = api(world.sponsor_b).get(f"/api/applications/{application.pk}/{path}")
        assert response.status_code == 404, path


def test_committee_members_read_the_application_but_not_the_money(world, application_in, api):
    seat_committee(world)
    application = application_in("funded")
    assert api(world.committee).get(f"/api/applications/{application.pk}/pdf/").status_code == 200
    for kind in ("agreement", "statement"):
        response = api(world.committee).get(f"/api/applications/{application.pk}/documents/{kind}/")
        assert response.status_code == 403, kind


def test_the_agreement_exists_from_the_approval_on(world, application_in, api):
    submitted = application_in("submitted")
    response = api(world.office).get(f"/api/applications/{submitted.pk}/documents/agreement/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    unknown = api(world.office).get(f"/api/applications/{submitted.pk}/documents/invoice/")
    assert unknown.status_code == 404


def test_the_agreement_is_issued_once_and_new_versions_keep_the_old(world, application_in, api):
    application = application_in("approved")
    first = _pdf(
        api(world.sponsor_a).get(f"/api/applications/{application.pk}/documents/agreement/")
    )
    again = _pdf(api(world.office).get(f"/api/applications/{application.pk}/documents/agreement/"))
    assert again == first
    issued = api(world.office).post(f"/api/applications/{application.pk}/documents/agreement/")
    assert issued.status_code == 201, issued.json()
    assert issued.json()["version"] == 2 and issued.json()["frozen"] is True
    current = api(world.sponsor_a).get(f"/api/applications/{application.pk}/documents/agreement/")
    assert current["X-Document-Version"] == "2"
    assert "Fassung 2" in text(_pdf(current))
    old = api(world.sponsor_a).get(
        f"/api/applications/{application.pk}/documents/agreement/?version=1"
    )
    assert _pdf(old) == first
    listed = api(world.sponsor_a).get(f"/api/applications/{application.pk}/documents/").json()
    assert [d["version"] for d in listed["documents"] if d["kind"] == "agreement"] == [2, 1]
    assert "agreement" in listed["available"]


def test_only_the_office_issues_a_new_agreement(world, application_in, api):
    application = application_in("approved")
    refused = api(world.sponsor_a).post(f"/api/applications/{application.pk}/documents/agreement/")
    assert refused.status_code == 403
    other = api(world.office).post(f"/api/applications/{application.pk}/documents/application/")
    assert other.status_code == 400


def test_bad_document_parameters_are_refused(world, application_in, api):
    application = application_in("submitted")
    assert (
        api(world.office).get(f"/api/applications/{application.pk}/pdf/?lang=fr").status_code == 400
    )
    assert (
        api(world.office)
        .get(f"/api/applications/{application.pk}/documents/application/?version=x")
        .status_code
        == 400
    )


def test_the_decision_mail_carries_the_grant_agreement(
    world, application_in, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.sponsor_a.email = "traeger@example.org"
    world.sponsor_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        application_in("approved")
    decision = [m for m in mail.outbox if "traeger@example.org" in m.to and m.attachments]
    assert len(decision) == 1
    name, content, mimetype = decision[0].attachments[0]
    assert mimetype == "application/pdf" and name.endswith("Zuwendungsbescheid.pdf")
    assert "Zuwendungsbescheid" in text(content)


@pytest.fixture
def meeting_world(world, application_in, api):
    members = seat_committee(world)
    for member in members:
        member.email = f"{member.username}@example.org"
        member.save()
    world.application = application_in("committee_review")
    created = api(world.office).post(
        "/api/meetings/",
        {
            "body": world.program.default_body().pk,
            "starts_at": "2030-03-12T18:00:00+01:00",
            "place": "Rathaus",
            "agenda": [world.application.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    world.meeting_id = created.json()["id"]
    return world


def test_the_meeting_invitation_carries_the_dossier(
    meeting_world, api, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = meeting_world
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.office).post(f"/api/meetings/{world.meeting_id}/invite/")
    assert response.status_code == 202
    invitations = [m for m in mail.outbox if m.attachments]
    assert invitations
    name, content, _ = invitations[0].attachments[0]
    assert name == "Sitzungsvorlage.pdf"
    assert world.application.reference in text(content)


def test_dossier_and_minutes_for_the_office_and_the_body_only(meeting_world, api):
    world = meeting_world
    for user in (world.office, world.committee):
        for document in ("dossier", "minutes"):
            _pdf(api(user).get(f"/api/meetings/{world.meeting_id}/{document}/"))
    outsider = make_member(world.org_b, UserFactory())
    for user in (world.sponsor_a, outsider, world.funder):
        response = api(user).get(f"/api/meetings/{world.meeting_id}/dossier/")
        assert response.status_code == 404


def test_the_call_dossier_for_the_office_and_the_calls_body(meeting_world, api):
    world = meeting_world
    content = text(_pdf(api(world.committee).get(f"/api/calls/{world.call.pk}/dossier/")))
    assert world.application.reference in content
    assert api(world.sponsor_a).get(f"/api/calls/{world.call.pk}/dossier/").status_code == 403


def test_signed_minutes_are_frozen(meeting_world, api):
    world = meeting_world
    path = f"/api/meetings/{world.meeting_id}/"
    api(world.office).put(
        f"{path}attendance/", {"present": [m.pk for m in world.members]}, format="json"
    )
    for signer, signature in ((world.office, "keeper"), (world.chair, "chair")):
        assert (
            api(signer).post(f"{path}sign/", {"signature": signature}, format="json").status_code
            == 200
        )
    signed = _pdf(api(world.office).get(f"{path}minutes/"))
    assert "Entwurf" not in text(signed)
    # The body's membership changes afterwards; the minutes stay as signed.
    world.members[-1].first_name = "Umbenannt"
    world.members[-1].save()
    assert _pdf(api(world.committee).get(f"{path}minutes/")) == signed
    minutes = Document.objects.get(kind="minutes")
    assert minutes.frozen and minutes.version == 1


def test_the_written_procedures_dossier_states_its_voting_deadline(world, application_in, api):
    """#24 polish: a call's dossier for the written procedure says until when to vote."""
    from datetime import datetime

    from django.utils import timezone

    seat_committee(world)
    deadline = timezone.make_aware(datetime(2030, 3, 20, 18, 0))
    world.call.vote_deadline = deadline
    world.call.closes_at = deadline - timedelta(days=30)
    world.call.save()
    application = application_in("committee_review")
    content = text(_pdf(api(world.committee).get(f"/api/calls/{world.call.pk}/dossier/")))
    assert application.reference in content
    assert "Umlaufverfahren: Abstimmung bis 20.03.2030, 18:00 Uhr" in content
    assert "Abstimmung bis 20.03.2030, 18:00 Uhr" in content.split(application.title, 1)[1]
