"""Every transition of every state machine is complete: a transition added later without
its service, labels, input schema or notification rule fails here.

Walks the models, not a list: any ``FSMField`` must belong to a registered machine.
"""

import inspect

import pytest
from django.apps import apps
from django.utils import translation
from django_fsm import FSMField

from core.api import transition_input_serializer
from core.transitions import MACHINES, NOBODY, declaration_of
from workflows.notifications import AUDIENCES


def state_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FSMField):
                yield model, field


TRANSITIONS = [
    pytest.param(machine, transition, id=f"{machine.namespace}.{transition.name}")
    for machine in MACHINES
    for transition in machine.transitions()
]


def test_every_state_field_has_a_machine():
    fields = list(state_fields())
    assert fields, "no FSMField found: the walk itself is broken"
    for model, field in fields:
        assert any(m.model is model and m.field == field.name for m in MACHINES), (
            f"{model.__name__}.{field.name} has no StateMachine (core.transitions)"
        )


def test_the_walk_finds_the_application_lifecycle():
    names = {f"{m.namespace}.{t.name}" for m in MACHINES for t in m.transitions()}
    assert {"application.submit", "application.accept_agreement"} <= names


@pytest.mark.parametrize(("machine", "transition"), TRANSITIONS)
def test_transition_has_a_keyword_only_service(machine, transition):
    service = machine.services.get(transition.name)
    assert service is not None, f"no @{machine.namespace}.service({transition.name!r})"
    parameters = inspect.signature(service).parameters
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())
    assert {machine.subject, "actor"} <= set(parameters)
    for item in declaration_of(transition).inputs:
        assert item.name in parameters, f"the service does not take its input {item.name!r}"


@pytest.mark.parametrize(("machine", "transition"), TRANSITIONS)
def test_transition_has_a_label_in_german_and_english(machine, transition):
    label = declaration_of(transition).label
    with translation.override("en"):
        english = str(label)
    with translation.override("de"):
        german = str(label)
    assert english.strip()
    assert german.strip() and german != english, f"“{english}” has no German translation"


@pytest.mark.parametrize(("machine", "transition"), TRANSITIONS)
def test_transition_has_an_input_schema(machine, transition):
    declaration = declaration_of(transition)
    serializer = transition_input_serializer(machine.namespace, transition.name, declaration)
    assert set(serializer().fields) == {item.name for item in declaration.inputs}
    for item in declaration.inputs:
        with translation.override("de"):
            assert str(item.label).strip()


@pytest.mark.parametrize(("machine", "transition"), TRANSITIONS)
def test_transition_has_a_notification_rule(machine, transition):
    notify = declaration_of(transition).notify
    assert notify == NOBODY or notify in AUDIENCES, f"nobody knows who {notify!r} is"
