"""The office's work queues for the money (issue #9), read-only in the admin."""

from datetime import timedelta

from django.utils import timezone

from projects.models import Application, PayoutRequest


def test_payouts_to_approve_and_to_pay(world, application_in, office_browser):
    funded = application_in("funded")
    requested = PayoutRequest.objects.create(
        application=funded, amount="100.00", requested_by=world.sponsor_a
    )
    page = office_browser.get("/admin/projects/payoutrequest/?queue=approve")
    assert page.status_code == 200
    assert f"/admin/projects/payoutrequest/{requested.pk}/change/" in page.content.decode()
    to_pay = office_browser.get("/admin/projects/payoutrequest/?queue=pay").content.decode()
    assert f"/admin/projects/payoutrequest/{requested.pk}/change/" not in to_pay
    assert office_browser.get("/admin/projects/payoutrequest/add/").status_code == 403


def test_overdue_repayments_queue(world, application_in, office_browser):
    due = application_in("funded")
    Application.objects.filter(pk=due.pk).update(
        state="repayment_due",
        reclaim_amount="100.00",
        reclaim_set_on=timezone.localdate() - timedelta(days=45),
    )
    recent = application_in("funded")
    Application.objects.filter(pk=recent.pk).update(
        state="repayment_due", reclaim_amount="50.00", reclaim_set_on=timezone.localdate()
    )
    page = office_browser.get("/admin/projects/application/?queue=overdue").content.decode()
    assert f"/admin/projects/application/{due.pk}/change/" in page
    assert f"/admin/projects/application/{recent.pk}/change/" not in page
