"""The daily reminders (issue #10): each rule fires on its day, once, in the recipient's
language; a second sweep sends nothing new; escalations fire weekly; optional reminders
respect the opt-out, mandatory ones do not. Time travels with time-machine."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from projects.models import Application, PayoutRequest
from workflows.models import Delivery
from workflows.reminders import sweep

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: date):
    """Travel to 07:00 Europe/Berlin of ``day`` (the beat's time)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 7, 0, tzinfo=BERLIN))


def sent(rule: str) -> list[Delivery]:
    return list(Delivery.objects.filter(occasion=f"reminder.{rule}", state="sent"))


# -- call closing ----------------------------------------------------------------------------


def test_call_closing_reminds_drafts_three_days_and_one_day_before(world, application_in):
    application_in("draft")
    closes = timezone.localdate(world.call.closes_at)
    with at(closes - timedelta(days=4)):
        sweep()
    assert sent("call_closing") == []
    with at(closes - timedelta(days=3)):
        sweep()
        sweep()  # twice: nothing new
    assert len(sent("call_closing")) == 1
    with at(closes - timedelta(days=1)):
        sweep()
    assert len(sent("call_closing")) == 2
    assert {d.recipient for d in sent("call_closing")} == {world.sponsor_a}


def test_optional_reminders_respect_the_opt_out(world, application_in):
    world.sponsor_a.optional_notifications = False
    world.sponsor_a.save()
    application_in("draft")
    with at(timezone.localdate(world.call.closes_at) - timedelta(days=3)):
        result = sweep()
    assert sent("call_closing") == []
    assert result.skipped == 1


# -- revision pending: every 7 days ----------------------------------------------------------


def test_revision_pending_after_14_days_then_weekly(world, application_in, mailoutbox):
    today = timezone.localdate()
    application_in("revision_requested")
    with at(today + timedelta(days=13)):
        sweep()
    assert sent("revision_pending") == []
    for day in (14, 15, 20, 21, 28, 35):
        with at(today + timedelta(days=day)):
            sweep()
    # day 14 → #0, day 21 → #1, day 28 → #2, day 35 → #3; days 15 and 20 add nothing
    assert len(sent("revision_pending")) == 4


def test_a_missed_sweep_is_caught_up_once(world, application_in):
    today = timezone.localdate()
    application_in("revision_requested")
    with at(today + timedelta(days=17)):  # the sweep did not run on day 14
        sweep()
        sweep()
    assert len(sent("revision_pending")) == 1


def test_revision_reminder_is_mandatory(world, application_in):
    world.sponsor_a.optional_notifications = False
    world.sponsor_a.save()
    application_in("revision_requested")
    with at(timezone.localdate() + timedelta(days=14)):
        sweep()
    assert len(sent("revision_pending")) == 1


# -- formal check, agreement, vote -----------------------------------------------------------


def test_formal_check_pending_reaches_the_office_after_ten_days(world, application_in):
    application_in("submitted")
    with at(timezone.localdate() + timedelta(days=9)):
        sweep()
    assert sent("formal_check_pending") == []
    with at(timezone.localdate() + timedelta(days=10)):
        sweep()
    assert [d.recipient for d in sent("formal_check_pending")] == [world.office]


def test_agreement_pending_after_fourteen_days(world, application_in):
    application_in("approved")
    with at(timezone.localdate() + timedelta(days=14)):
        sweep()
    assert [d.recipient for d in sent("agreement_pending")] == [world.sponsor_a]


def test_vote_pending_reaches_only_members_who_have_not_voted(world, application_in):
    from tests.factories import seat_committee
    from workflows import committee

    seat_committee(world)
    application = application_in("committee_review")
    committee.vote_cast(application=application, actor=world.members[0], choice="approve")
    deadline = timezone.localdate(world.call.vote_deadline)
    with at(deadline - timedelta(days=3)):
        sweep()
    reminded = {d.recipient for d in sent("vote_pending")}
    assert reminded == set(world.members[1:])


# -- money deadlines -------------------------------------------------------------------------


@pytest.fixture
def running(world, application_in):
    """A funded project of this year ending on 30 November (a Monday in 2026)."""
    year = timezone.localdate().year
    world.call.funding_year = year
    world.call.save()
    return application_in("funded", start_date=date(year, 1, 5), end_date=date(year, 11, 30))


def test_proof_of_use_due_in_fourteen_days_then_overdue_weekly_to_sponsor_and_office(
    world, running
):
    due = date(running.end_date.year, 11, 30) + timedelta(days=42)  # 11 January
    with at(due - timedelta(days=15)):
        sweep()
    assert sent("proof_of_use_due") == []
    with at(due - timedelta(days=14)):
        sweep()
    assert [d.recipient for d in sent("proof_of_use_due")] == [world.sponsor_a]
    for weeks in range(4):
        with at(due + timedelta(days=1 + 7 * weeks)):
            sweep()
            sweep()
    overdue = sent("proof_of_use_overdue")
    assert len(overdue) == 4 * 2  # four escalations, sponsor and office each
    assert {d.recipient for d in overdue} == {world.sponsor_a, world.office}


def test_a_holiday_shifted_deadline_fires_on_the_shifted_day(world, running):
    """Ending 8 November 2026, 42 days later is Sunday 20 December → Monday 21: the
    reminder 14 days ahead fires on 7 December, not on 6 December."""
    Application.objects.filter(pk=running.pk).update(end_date=date(2026, 11, 8))
    with at(date(2026, 12, 6)):
        sweep()
    assert sent("proof_of_use_due") == []
    with at(date(2026, 12, 7)):
        sweep()
    assert len(sent("proof_of_use_due")) == 1
    assert sent("proof_of_use_due")[0].due == date(2026, 12, 21)


def test_a_moved_deadline_neither_silences_nor_doubles(world, running, api):
    """The proof's due date moves with a granted change request: the new date gets its
    own reminder, the old one stays sent once."""
    due = running.end_date + timedelta(days=42)
    with at(due - timedelta(days=14)):
        sweep()
    assert len(sent("proof_of_use_due")) == 1
    from projects.models import ChangeRequest

    change = ChangeRequest.objects.create(
        application=running,
        reason="später",
        end_date=running.end_date + timedelta(days=14),
        requested_by=world.sponsor_a,
    )
    ChangeRequest.objects.filter(pk=change.pk).update(state="granted", decided_at=timezone.now())
    with at(due - timedelta(days=13)):
        sweep()
    assert len(sent("proof_of_use_due")) == 1  # not yet due for the new date
    with at(due):
        sweep()
    assert len(sent("proof_of_use_due")) == 2


def test_spending_window_reminds_uncovered_funds(world, running):
    paid_on = timezone.localdate() - timedelta(days=40)
    PayoutRequest.objects.create(
        application=running,
        amount="100.00",
        requested_by=world.sponsor_a,
        state="paid",
        paid_on=paid_on,
        window_ends_on=paid_on + timedelta(days=42),
    )
    sweep()
    assert len(sent("spending_window")) == 1


def test_reminders_speak_the_recipients_language(world, application_in, mailoutbox):
    world.sponsor_a.language = "en"
    world.sponsor_a.save()
    application_in("approved")
    with at(timezone.localdate() + timedelta(days=14)):
        sweep()
    assert "please accept the grant agreement" in mailoutbox[-1].body
    world.sponsor_a.language = "de"
    world.sponsor_a.save()
    application_in("approved")
    with at(timezone.localdate() + timedelta(days=14)):
        sweep()
    assert "Zuwendungsvereinbarung" in mailoutbox[-1].body


def test_send_reminders_command_lists_and_sends(world, application_in, capsys):
    application_in("approved")
    day = (timezone.localdate() + timedelta(days=14)).isoformat()
    call_command("send_reminders", "--dry-run", "--today", day)
    assert "agreement_pending" in capsys.readouterr().out
    assert not Delivery.objects.exists()
    call_command("send_reminders", "--today", day)
    assert "1 sent" in capsys.readouterr().out
    call_command("send_reminders", "--today", day)
    assert "0 sent" in capsys.readouterr().out


def test_the_beat_schedule_has_the_daily_sweep(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="workflows.tasks.sweep_reminders")
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == (
        "7",
        "0",
        "Europe/Berlin",
    )


def test_send_reminders_shows_progress_for_many(world, application_in, capsys):
    from projects.models import Application

    for _ in range(50):
        application_in("approved")
    day = (timezone.localdate() + timedelta(days=14)).isoformat()
    assert Application.objects.filter(state="approved").count() == 50
    call_command("send_reminders", "--dry-run", "--today", day)
    assert "50/50" in capsys.readouterr().err


def test_thresholds_are_settings(world, application_in, settings):
    settings.REMINDER_DAYS = {**settings.REMINDER_DAYS, "agreement_pending": 21}
    application_in("approved")
    with at(timezone.localdate() + timedelta(days=14)):
        sweep()
    assert sent("agreement_pending") == []
    with at(timezone.localdate() + timedelta(days=21)):
        sweep()
    assert len(sent("agreement_pending")) == 1


def test_vote_pending_skips_former_members(world, application_in):
    from grants.models import ProgramRole
    from tests.factories import seat_committee

    seat_committee(world)
    application_in("committee_review")
    deadline = timezone.localdate(world.call.vote_deadline)
    ProgramRole.objects.filter(user=world.members[4]).update(
        valid_until=deadline - timedelta(days=10)
    )
    with at(deadline - timedelta(days=3)):
        sweep()
    assert world.members[4] not in {d.recipient for d in sent("vote_pending")}
    assert len(sent("vote_pending")) == 4
