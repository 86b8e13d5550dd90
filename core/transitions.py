"""State machines: how a transition is declared, and the one runner that takes it.

A transition is declared once, on its django-fsm-2 method: ``custom=declare(...)``
names its label, the inputs it takes (and which of them it needs) and who is told of
it. Its service function registers with the machine (``@machine.service("submit")``).
Everything else reads the two: the API's dispatcher and input schema, the
``available_transitions`` field, the admin's buttons and forms, the notifications, and
the test that checks every transition is complete.

The runner serves every machine (applications now, payout requests next): lock the row,
check that the transition exists from this state (409), that the actor may take it
(403), that the inputs it needs are given and its conditions hold (400
``condition_failed``), let the service compute what the method needs, change the state,
save, append the audit entry, and queue the notification after commit; all in one
transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache
from typing import Any, Literal

from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition as FsmConcurrentTransition
from django_fsm import ConcurrentTransitionMixin as FsmConcurrentTransitionMixin
from django_fsm import FSMField, Transition

from core import audit
from core.errors import ConditionFailed, NotFound, PermissionDenied, TransitionNotAllowed

Problems = dict[str, list[str]]
InputKind = Literal["text", "money", "date", "bool"]


@dataclass(frozen=True)
class Input:
    """One value a transition takes from its caller. ``required`` inputs are checked by
    the runner with the conditions (400 ``condition_failed``), so a missing comment and a
    failed condition answer alike."""

    name: str
    kind: InputKind
    label: Promise
    required: bool = False
    help_text: Promise | str = ""


class StateField(FSMField):
    """django-fsm-2's state field, read without building a ``DeferredAttribute`` on
    every access: the loaded value is returned straight from the instance, and only a
    deferred field takes the library's path. A list page reads the state of each row
    several times. Migrations keep naming ``django_fsm.FSMField``: the column is the same."""

    def get_state(self, instance: models.Model) -> Any:
        try:
            return instance.__dict__[self.attname]
        except KeyError:
            return super().get_state(instance)

    def deconstruct(self) -> tuple[str, str, Any, Any]:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django_fsm.FSMField", args, kwargs


class ConcurrentTransitionMixin(FsmConcurrentTransitionMixin):
    """django-fsm-2's optimistic lock (the row is saved only if its state is still the
    one loaded), with the model's state fields found once per class instead of by
    walking every field each time an instance is built."""

    @property
    def state_fields(self) -> tuple[FSMField, ...]:
        return _state_fields(type(self))


@cache
def _state_fields(model: type[models.Model]) -> tuple[FSMField, ...]:
    return tuple(field for field in model._meta.fields if isinstance(field, FSMField))


def comment(*, required: bool = False) -> Input:
    """The free-text comment every transition accepts and some need."""
    return Input("comment", "text", gettext_lazy("comment"), required=required)


NOBODY = "nobody"


@dataclass(frozen=True)
class Declaration:
    """What a transition is, beyond its source, target, conditions and permission."""

    label: Promise
    inputs: tuple[Input, ...]
    notify: str  # an audience the notifications know, or NOBODY

    @property
    def needs(self) -> list[str]:
        return [item.name for item in self.inputs if item.required]

    @property
    def accepts(self) -> list[str]:
        return [item.name for item in self.inputs if not item.required]


def declare(*, label: Promise, inputs: tuple[Input, ...] = (), notify: str) -> dict[str, Any]:
    """The ``custom=`` of a django-fsm transition. ``notify`` is required: a transition
    that tells nobody says ``NOBODY``."""
    return {"declaration": Declaration(label=label, inputs=tuple(inputs), notify=notify)}


def declaration_of(transition: Transition) -> Declaration:
    return transition.custom["declaration"]


def available_transitions(
    obj: models.Model, user: Any, *, field: str = "state"
) -> list[Transition]:
    """The transitions ``user`` may take now: allowed from this state, permitted, and
    with their conditions met. The permission is asked first, so nobody pays for the
    conditions of a transition they could not take (a committee tally, say)."""
    # A permission or a condition shared by several transitions (the office's, the
    # complete cost plan) is asked once: each is a function of this object and user.
    permitted: dict[Any, bool] = {}
    met: dict[Callable[[Any], bool], bool] = {}

    def may(transition: Transition) -> bool:
        if transition.permission not in permitted:
            permitted[transition.permission] = transition.has_perm(obj, user)
        return permitted[transition.permission]

    def holds(condition: Callable[[Any], bool]) -> bool:
        if condition not in met:
            met[condition] = condition(obj)
        return met[condition]

    return [
        transition
        for transition in transitions_from(type(obj), field, getattr(obj, field))
        if may(transition) and all(holds(condition) for condition in transition.conditions or ())
    ]


@cache
def transitions_from(model: type[models.Model], field: str, state: str) -> tuple[Transition, ...]:
    """The transitions declared from ``state``, in declaration order (they are fixed
    once the model class is built; a list page asks for the same few states)."""
    methods = model._meta.get_field(field).transitions[model].values()
    found = (method._django_fsm.get_transition(state) for method in methods)
    return tuple(transition for transition in found if transition is not None)


def reasons(condition: Callable[[Any], bool], obj: Any) -> Problems:
    """Why a condition refuses: its own explanation where it gives one (``Condition``)."""
    explain = getattr(condition, "reasons", None)
    if explain is not None:
        return explain(obj)
    return {} if condition(obj) else {"non_field_errors": [condition.__name__]}


class Condition:
    """A transition condition that can say why it fails.

    django-fsm-2 only needs ``condition(instance) -> bool``; the runner also needs to
    tell the caller why (CONTRACT.md: 400 ``condition_failed`` with the reasons in
    ``errors``). The wrapped function returns the problems, so the rule is written once.
    """

    def __init__(self, explain: Callable[[Any], Problems]) -> None:
        self.explain = explain
        self.__name__ = explain.__name__
        self.__doc__ = explain.__doc__

    def __call__(self, obj: Any) -> bool:
        return not self.explain(obj)

    def reasons(self, obj: Any) -> Problems:
        return self.explain(obj)


@dataclass(frozen=True)
class Prepared:
    """What a transition computes from the locked row once it is allowed: the arguments
    of its django-fsm method and the data its audit entry records."""

    method_kwargs: dict[str, Any] = dataclass_field(default_factory=dict)
    audit_data: dict[str, Any] = dataclass_field(default_factory=dict)


Service = Callable[..., models.Model]
MACHINES: list[StateMachine] = []


@dataclass
class StateMachine:
    """One model's state field with its services and how the runner treats its rows.

    ``lock`` re-reads the row ``SELECT … FOR UPDATE`` with what the conditions read;
    ``trail`` names the object whose audit trail gets the entries (the object itself,
    or for a payout its application); ``notify`` is called after commit with the audit
    entry's id; ``subject`` is the keyword under which services take the object.
    """

    model: type[models.Model]
    namespace: str
    subject: str
    lock: Callable[[Any], Any]
    notify: Callable[[int], Any] | None = None
    trail: Callable[[Any], models.Model] = lambda obj: obj
    field: str = "state"
    services: dict[str, Service] = dataclass_field(default_factory=dict)

    def __post_init__(self) -> None:
        MACHINES.append(self)

    # -- the declaration ------------------------------------------------------------
    def transitions(self) -> list[Transition]:
        """Every transition of the machine, once per name (a name may have many sources)."""
        state_field = self.model._meta.get_field(self.field)
        assert isinstance(state_field, FSMField)
        by_name: dict[str, Transition] = {}
        for t in state_field.get_all_transitions(self.model):
            by_name.setdefault(t.name, t)
        return [by_name[name] for name in sorted(by_name)]

    def names(self) -> list[str]:
        return [t.name for t in self.transitions()]

    def declaration(self, name: str) -> Declaration:
        for t in self.transitions():
            if t.name == name:
                return declaration_of(t)
        raise NotFound(_("There is no transition called “%(name)s”.") % {"name": name})

    def find(self, obj: models.Model, name: str) -> Transition | None:
        """The transition called ``name`` from ``obj``'s current state, if there is one."""
        meta = getattr(getattr(type(obj), name, None), "_django_fsm", None)
        if meta is None:
            return None
        return meta.get_transition(getattr(obj, self.field))

    # -- the services ---------------------------------------------------------------
    def service(self, name: str) -> Callable[[Service], Service]:
        """Register the service function that takes transition ``name``."""

        def register(function: Service) -> Service:
            self.services[name] = function
            return function

        return register

    def dispatch(
        self, *, obj: models.Model, actor: Any, name: str, inputs: Mapping[str, Any]
    ) -> models.Model:
        """Take a transition by name with the inputs it declares (the API and the admin)."""
        service = self.services.get(name)
        if service is None:
            raise NotFound(_("There is no transition called “%(name)s”.") % {"name": name})
        declared = {item.name for item in self.declaration(name).inputs}
        given = {key: value for key, value in inputs.items() if key in declared}
        return service(**{self.subject: obj}, actor=actor, **given)

    # -- the runner -----------------------------------------------------------------
    def run(
        self,
        *,
        obj: models.Model,
        actor: Any,
        name: str,
        inputs: Mapping[str, Any] | None = None,
        prepare: Callable[[Any], Prepared] | None = None,
    ) -> Any:
        """Take transition ``name`` of ``obj`` for ``actor`` (see the module docstring)."""
        inputs = dict(inputs or {})
        comment_text = (inputs.get("comment") or "").strip()
        with transaction.atomic():
            locked = self.lock(obj)
            source = getattr(locked, self.field)
            fsm = self.find(locked, name)
            if fsm is None:
                raise TransitionNotAllowed(
                    _("“%(name)s” is not possible from the state “%(state)s”.")
                    % {"name": name, "state": getattr(locked, f"get_{self.field}_display")()}
                )
            if not fsm.has_perm(locked, actor):
                raise PermissionDenied()
            problems = self._missing_inputs(
                declaration_of(fsm), {**inputs, "comment": comment_text}
            )
            for condition in fsm.conditions:
                for key, messages in reasons(condition, locked).items():
                    problems.setdefault(key, []).extend(messages)
            if problems:
                raise ConditionFailed(errors=problems)
            prepared = prepare(locked) if prepare else Prepared()
            getattr(locked, name)(**prepared.method_kwargs)
            try:
                locked.save()
            except FsmConcurrentTransition as exc:
                raise TransitionNotAllowed(
                    _("A concurrent change won; reload and try again.")
                ) from exc
            entry = audit.record(
                event=f"{self.namespace}.{name}",
                trail=self.trail(locked),
                actor=actor,
                source=source,
                target=getattr(locked, self.field),
                comment=comment_text,
                data=prepared.audit_data,
            )
            if self.notify is not None:
                notify, entry_id = self.notify, entry.pk
                transaction.on_commit(lambda: notify(entry_id))
        return locked

    @staticmethod
    def _missing_inputs(declaration: Declaration, given: Mapping[str, Any]) -> Problems:
        problems: Problems = {}
        for item in declaration.inputs:
            if item.required and given.get(item.name) in (None, ""):
                if item.name == "comment":
                    message = _("A comment is required for this step.")
                else:
                    message = _("This value is required for this step.")
                problems[item.name] = [message]
        return problems


def machine_for(namespace: str) -> StateMachine:
    """The machine whose audit events carry ``namespace`` (``application``)."""
    for machine in MACHINES:
        if machine.namespace == namespace:
            return machine
    raise LookupError(f"No state machine writes {namespace!r} events.")
