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


# -- #21: months, one interim proof per year-end, the § 41 notification -------------------

from projects.deadlines import add_months, interim_proofs_due, notified_on, repayment_due  # noqa: E402


def test_a_period_of_months_ends_on_the_same_day_number_or_the_months_last():
    """§ 188 Abs. 2, 3 BGB."""
    assert add_months(date(2026, 3, 15), 1) == date(2026, 4, 15)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_a_proof_of_use_due_in_months_replaces_the_days():
    """End 31 August 2026, six months (ANBest-P): 28 February 2027 is a Sunday → Monday
    1 March 2027."""
    assert proof_of_use_due(date(2026, 8, 31), 42, "RP", due_months=6) == date(2027, 3, 1)
    assert proof_of_use_due(date(2026, 8, 31), 42, "RP") == date(2026, 10, 12)


def test_one_interim_proof_per_year_end_over_three_years():
    """A project from 1 March 2026 to 30 June 2029 runs past three 31 Decembers: interim
    proofs for 2026, 2027 and 2028, each due 30 April of the next year (30 April 2028 is
    a Sunday → Tuesday 2 May, 1 May being a holiday)."""
    due = interim_proofs_due(date(2026, 3, 1), date(2029, 6, 30), "04-30", "RP")
    assert due == [
        (2026, date(2027, 4, 30)),
        (2027, date(2028, 5, 2)),
        (2028, date(2029, 4, 30)),
    ]
    assert interim_proofs_due(date(2026, 3, 1), date(2026, 12, 31), "04-30", "RP") == []


def test_a_repayment_is_due_a_month_after_the_fourth_day_after_sending():
    """§ 41 Abs. 2 VwVfG: sent Thursday 3 December 2026, notified Monday 7 December; one
    month: 7 January 2027 (a Thursday, a working day in RP)."""
    assert notified_on(date(2026, 12, 3)) == date(2026, 12, 7)
    assert repayment_due(date(2026, 12, 3), 1, "RP") == date(2027, 1, 7)


def test_a_repayment_due_on_a_holiday_moves_per_section_31():
    """Sent 2 December 2026, notified 6 December (a Sunday: the notification itself does
    not move); a month later, 6 January 2027, is Epiphany in Bavaria → 7 January there,
    but stays in Rhineland-Palatinate."""
    assert repayment_due(date(2026, 12, 2), 1, "BY") == date(2027, 1, 7)
    assert repayment_due(date(2026, 12, 2), 1, "RP") == date(2027, 1, 6)
