"""Deadlines under § 31 VwVfG with the federal state's public holidays (``holidays``)."""

from datetime import date

from projects.deadlines import deadline, interim_proof_due, proof_of_use_due


def test_a_deadline_on_a_saturday_moves_to_monday():
    assert deadline(date(2026, 8, 15), "RP") == date(2026, 8, 17)  # Saturday → Monday


def test_a_deadline_on_a_state_holiday_moves_to_the_next_working_day():
    # Corpus Christi (Fronleichnam), 4 June 2026: a holiday in Rhineland-Palatinate,
    # not in Mecklenburg-Western Pomerania.
    assert deadline(date(2026, 6, 4), "RP") == date(2026, 6, 5)
    assert deadline(date(2026, 6, 4), "MV") == date(2026, 6, 4)


def test_easter_weekend_moves_past_easter_monday():
    assert deadline(date(2026, 4, 3), "BE") == date(2026, 4, 7)  # Good Friday … Monday


def test_proof_of_use_due_after_the_project_end():
    # 42 days after 31 October 2026 is Saturday 12 December → Monday 14 December.
    assert proof_of_use_due(date(2026, 10, 31), 42, "RP") == date(2026, 12, 14)


def test_interim_proof_only_for_projects_running_past_new_year():
    assert interim_proof_due(date(2026, 11, 30), 2026, "04-30", "RP") is None
    # 30 April 2027 is a Friday; 1 May a holiday anyway.
    assert interim_proof_due(date(2027, 3, 31), 2026, "04-30", "RP") == date(2027, 4, 30)
    # 30 April 2028 is a Sunday, 1 May a holiday → Tuesday 2 May.
    assert interim_proof_due(date(2028, 3, 31), 2027, "04-30", "RP") == date(2028, 5, 2)
