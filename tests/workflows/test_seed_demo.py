"""``seed_demo`` loads published passwords only where that is harmless."""

import re

import pytest
from django.core.management import CommandError, call_command

from grants.models import User


def test_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_with_force_every_account_gets_a_random_password_shown_once(db, settings, capsys):
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    first = capsys.readouterr().out
    password = re.search(r"^\s+admin\s+(\S+)", first, re.M).group(1)

    admin = User.objects.get(username="admin")
    assert password not in ("zuwendo-admin", "(unchanged)")
    assert admin.check_password(password)
    assert not admin.check_password("zuwendo-admin")
    assert not User.objects.get(username="traeger.koblenz").check_password("zuwendo-demo")

    call_command("seed_demo", "--force")  # idempotent: nothing new, nothing shown again
    second = capsys.readouterr().out
    assert password not in second
    assert re.search(r"^\s+admin\s+\(unchanged\)", second, re.M)
    assert User.objects.get(username="admin").check_password(password)


def test_with_debug_it_prints_the_demo_logins(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    assert "zuwendo-demo" in capsys.readouterr().out
    assert User.objects.get(username="traeger.koblenz").check_password("zuwendo-demo")


def test_demo_shows_the_committee_at_work(db, settings):
    """Issue #8: two bodies, decisions in writing and at a meeting with signed minutes,
    one conflict of interest; a second run changes nothing."""
    from grants.models import DecisionBody
    from projects.models import Application, ConflictDeclaration, Meeting, Vote

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert DecisionBody.objects.filter(program__code="PFD-KO").count() == 2
    decided = Application.objects.filter(state="approved", decided_at__isnull=False)
    assert {a.decision_mode for a in decided if a.votes.exists()} == {"written", "meeting"}
    meeting = Meeting.objects.get()
    assert meeting.minutes_signed
    assert meeting.items.get().outcome["outcome"] == "approve"
    assert ConflictDeclaration.objects.count() == 1
    assert Vote.objects.count() == 10


def test_demo_dates_agree_and_every_office_queue_has_work(db, settings):
    """Issue #24: nothing paid before it was requested or before its file was decided;
    the meeting invited before it and signed after it; the calls open at midnight; the
    funded projects name their field of action; the office finds work in the queues of
    payouts to approve and to pay and of proofs to check."""
    from django.utils import timezone

    from grants.models import Call
    from projects.models import Application, Meeting, PayoutRequest
    from projects.selectors import office_queue_counts

    settings.DEBUG = True
    call_command("seed_demo")
    for payout in PayoutRequest.objects.select_related("application"):
        if payout.paid_on:
            assert timezone.localdate(payout.requested_at) <= payout.paid_on
            assert timezone.localdate(payout.application.decided_at) <= payout.paid_on
    meeting = Meeting.objects.get()
    assert meeting.invited_at < meeting.starts_at <= meeting.attendance_recorded_at
    assert meeting.starts_at < meeting.keeper_signed_at
    for call in Call.objects.all():
        assert timezone.localtime(call.opens_at).strftime("%H:%M") == "00:00", call
    funded = Application.objects.filter(approved_amount__isnull=False)
    assert funded and all(a.field_of_action and a.target_group for a in funded)
    counts = office_queue_counts(User.objects.get(username="buero.koblenz"))
    for queue in ("submitted", "payouts_requested", "payouts_approved", "proof_submitted"):
        assert counts[queue] >= 1, queue
