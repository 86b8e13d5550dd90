"""The records of processing (DSGVO Art. 30): which table holds whose personal data, for
what, who sees it and when it goes (DOMAIN.md, "Data protection").

Each app declares its own tables in its ``processing`` module (imported by its
``AppConfig.ready``): ``record`` for a table that holds personal data, naming each field
that does; ``not_personal`` for a table that holds none, with the reason. The register
(``reports.register``, ``manage.py privacy_register``) is generated from these records,
and ``undocumented`` tells which installed tables have fields that look personal (an
e-mail or network address, a file, free text, a JSON document, a person's account, or a
name-like column) and are not declared: the test of the register fails on any of them,
so a new model with personal fields fails until it is documented.

The texts are English, as the project's docs; a record's ``deleted`` text may name the
periods the register fills in (``{retention_years}``, ``{signin_days}``, …, see
``reports.register.periods``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models


@dataclass(frozen=True)
class Processing:
    """One table's entry in the register."""

    label: str  # the model's "app_label.ModelName"
    purpose: str
    people: str
    fields: Mapping[str, str]  # the personal fields, each with what it holds
    recipients: str
    deleted: str
    # Fields that look personal but hold none, each with why (e.g. an error text).
    technical: Mapping[str, str] = field(default_factory=dict)
    # What the table holds, where the model's own name is not translated (a library's).
    name: str = ""

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


RECORDS: dict[str, Processing] = {}
NOT_PERSONAL: dict[str, str] = {}

# Column names that hold, or may hold, a name, an address or a credential.
NAME_LIKE = re.compile(
    r"(^|_)(name|username|first_name|last_name|user_agent|address|iban|bic|holder|payee|"
    r"representative|signatory|phone|place|password|email|session_hash|token|key)($|_)"
)
# Field types that may hold personal data whatever they are called.
PERSONAL_TYPES = (
    models.EmailField,
    models.GenericIPAddressField,
    models.FileField,
    models.TextField,
    models.JSONField,
)


def record(
    label: str,
    *,
    purpose: str,
    people: str,
    fields: Mapping[str, str],
    recipients: str,
    deleted: str,
    technical: Mapping[str, str] | None = None,
    name: str = "",
) -> None:
    """Declare that ``label``'s table holds personal data (see the module)."""
    RECORDS[label] = Processing(
        label=label,
        purpose=purpose,
        people=people,
        fields=dict(fields),
        recipients=recipients,
        deleted=deleted,
        technical=dict(technical or {}),
        name=name,
    )


def not_personal(reason: str, *labels: str) -> None:
    """Declare that the tables of ``labels`` hold no personal data, and why."""
    for label in labels:
        NOT_PERSONAL[label] = reason


def _points_at_a_person(model_field: models.Field) -> bool:
    target = model_field.related_model
    if isinstance(target, str):  # a lazy reference, not yet resolved
        return target.lower() == settings.AUTH_USER_MODEL.lower()
    return target is not None and target._meta.label == settings.AUTH_USER_MODEL


def personal_fields(model: type[models.Model]) -> list[str]:
    """The concrete fields of ``model`` that look personal (see the module)."""
    found = []
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key:
            continue
        if model_field.is_relation:
            if _points_at_a_person(model_field):
                found.append(model_field.name)
        elif isinstance(model_field, PERSONAL_TYPES) or NAME_LIKE.search(model_field.name):
            found.append(model_field.name)
    return found


def undocumented(
    models_: Iterable[type[models.Model]] | None = None,
) -> dict[str, list[str]]:
    """The tables (by model label) whose personal-looking fields the register does not
    name, each with those fields; a table declared ``not_personal`` is taken as it is."""
    missing = {}
    for model in apps.get_models() if models_ is None else models_:
        label = model._meta.label
        if label in NOT_PERSONAL:
            continue
        entry = RECORDS.get(label)
        known = set(entry.fields) | set(entry.technical) if entry else set()
        fields = [name for name in personal_fields(model) if name not in known]
        if fields:
            missing[label] = fields
    return missing


def stale() -> dict[str, list[str]]:
    """Declarations naming a model or field that does not exist (any more)."""
    wrong: dict[str, list[str]] = {}
    installed = {model._meta.label: model for model in apps.get_models()}
    for label in [*RECORDS, *NOT_PERSONAL]:
        if label not in installed:
            wrong[label] = ["(no such model)"]
    for label, entry in RECORDS.items():
        model = installed.get(label)
        if model is None:
            continue
        names = {model_field.name for model_field in model._meta.concrete_fields}
        unknown = [name for name in [*entry.fields, *entry.technical] if name not in names]
        if unknown:
            wrong[label] = unknown
    return wrong
