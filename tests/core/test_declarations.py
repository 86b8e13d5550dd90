"""The transition declaration and the runner's input check, without a database."""

from django.utils.translation import gettext_lazy as _

from core.transitions import NOBODY, Declaration, Input, StateMachine, comment, declare, reasons


def test_needs_are_required_inputs_and_accepts_the_others():
    declaration = declare(
        label=_("Revoke"),
        inputs=(comment(required=True), Input("reclaim_amount", "money", _("reclaim"))),
        notify=NOBODY,
    )["declaration"]
    assert declaration.needs == ["comment"]
    assert declaration.accepts == ["reclaim_amount"]


def test_missing_required_inputs_are_reported_by_name():
    declaration = Declaration(
        label=_("Revoke"),
        inputs=(comment(required=True), Input("hearing_on", "date", _("hearing"), required=True)),
        notify=NOBODY,
    )
    missing = StateMachine._missing_inputs(declaration, {"comment": "", "hearing_on": None})
    assert set(missing) == {"comment", "hearing_on"}
    given = {"comment": "Anhörung erfolgt.", "hearing_on": "2026-11-02"}
    assert StateMachine._missing_inputs(declaration, given) == {}


def test_a_plain_condition_is_explained_by_its_name():
    def project_has_ended(obj) -> bool:
        return obj

    assert reasons(project_has_ended, True) == {}
    assert reasons(project_has_ended, False) == {"non_field_errors": ["project_has_ended"]}
