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
