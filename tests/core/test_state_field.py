"""The kernel's state field and optimistic lock: django-fsm-2's, only cheaper to read."""

import pytest
from django.db import transaction
from django_fsm import ConcurrentTransition, FSMField

from core.transitions import StateField
from projects.models import Application
from tests.factories import bring_to, make_application


def test_the_state_reads_the_loaded_value_and_loads_a_deferred_one(world):
    application = make_application(world)
    assert Application.objects.get(pk=application.pk).state == "draft"
    deferred = Application.objects.only("id").get(pk=application.pk)
    assert deferred.state == "draft"  # loaded on demand, as django-fsm does


def test_migrations_keep_naming_the_library_field():
    field = Application._meta.get_field("state")
    assert isinstance(field, StateField) and isinstance(field, FSMField)
    _name, path, _args, kwargs = field.deconstruct()
    assert path == "django_fsm.FSMField"
    assert kwargs["protected"] is True


def test_a_stale_copy_cannot_save_over_a_transition(world):
    application = make_application(world)
    stale = Application.objects.get(pk=application.pk)
    bring_to(world, application, "submitted")
    stale.withdraw()  # still "draft" in this copy
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
    assert Application.objects.get(pk=application.pk).state == "submitted"
