"""Permission predicates for programs, calls and categories (the one permission layer).

Used by the API (``core.api.RulesPermission`` and explicit ``has_perm`` calls), by the
admin and by the state machine's ``permission=`` alike.
"""

from __future__ import annotations

import rules

from grants.roles import roles_of


def program_id_of(obj) -> int | None:
    """The program an object belongs to: a Program, or anything with ``program_id``."""
    from grants.models import Program

    if isinstance(obj, Program):
        return obj.pk
    return getattr(obj, "program_id", None)


@rules.predicate
def is_program_office(user, obj) -> bool:
    return obj is not None and program_id_of(obj) in roles_of(user).office_program_ids


@rules.predicate
def holds_office_role(user) -> bool:
    return bool(roles_of(user).office_program_ids)


@rules.predicate
def holds_committee_role(user) -> bool:
    return bool(roles_of(user).committee_program_ids)


is_admin = rules.is_superuser
is_office_or_admin = is_admin | is_program_office

rules.add_perm("grants.manage_users", is_admin)
rules.add_perm("grants.add_program", is_admin)
# DOMAIN.md, "Money": the base-rate table is editable by the admin.
rules.add_perm("grants.add_baserate", is_admin)
# Who gets the admin site's program pages at all (objects are then scoped per program).
rules.add_perm("grants.use_office_admin", is_admin | holds_office_role)
# The portal's office pages (work queues, meetings, batches, calls, exports).
rules.add_perm("grants.work_as_office", is_admin | holds_office_role)

rules.add_perm("grants.change_program", is_office_or_admin)
rules.add_perm("grants.manage_program_roles", is_office_or_admin)
rules.add_perm("grants.add_costcategory", is_office_or_admin)
rules.add_perm("grants.change_costcategory", is_office_or_admin)
rules.add_perm("grants.add_call", is_office_or_admin)
rules.add_perm("grants.change_call", is_office_or_admin)
