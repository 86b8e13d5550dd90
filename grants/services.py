"""Everything that changes users, programs, their roles, categories and calls."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import InvalidInput, require
from core.services import apply_changes, validated
from grants.models import Call, CostCategory, Program, ProgramRole, User
from grants.roles import forget_roles


def user_create(*, actor: User, password: str, **fields: Any) -> User:
    """Admins create accounts; the password must pass Django's validators."""
    require(actor, "grants.manage_users")
    user = User(**fields)
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise InvalidInput(errors={"password": list(exc.messages)}) from None
    user.set_password(password)
    user.save()
    return user


def program_create(*, actor: User, **fields: Any) -> Program:
    """Administrators set up programs; the rules must fit together (``Program.clean``)."""
    require(actor, "grants.add_program")
    program = validated(Program(**fields))
    program.save()
    return program


def program_update(*, program: Program, actor: User, **fields: Any) -> Program:
    """The office or an administrator changes a program's rules (``Program.clean``)."""
    require(actor, "grants.change_program", program)
    return apply_changes(program, fields, validate=True)


def program_role_grant(
    *,
    program: Program,
    actor: User,
    user: User,
    role: str,
    voting: bool = True,
    chair: bool = False,
) -> ProgramRole:
    """Committee members vote unless advisory; one chair per committee (DOMAIN.md)."""
    require(actor, "grants.manage_program_roles", program)
    granted = ProgramRole(
        program=program,
        user=user,
        role=role,
        voting=voting if role == ProgramRole.Kind.COMMITTEE else False,
        chair=chair,
    )
    # Uniqueness is the database's to decide under concurrency (IntegrityError below).
    validated(granted, validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            granted.save()
    except IntegrityError:
        if ProgramRole.objects.filter(program=program, user=user, role=role).exists():
            message = _("This user already holds this role in the program.")
            raise InvalidInput(errors={"user": [message]}) from None
        raise InvalidInput(errors={"chair": [_("The committee already has a chair.")]}) from None
    forget_roles(user)
    return granted


def program_role_revoke(*, program_role: ProgramRole, actor: User) -> None:
    require(actor, "grants.manage_program_roles", program_role.program)
    program_role.delete()
    forget_roles(program_role.user)


def cost_category_create(*, program: Program, actor: User, code: str, name: str) -> CostCategory:
    require(actor, "grants.add_costcategory", program)
    if CostCategory.objects.filter(program=program, code=code).exists():
        raise InvalidInput(errors={"code": [_("This code is already used in the program.")]})
    position = CostCategory.objects.filter(program=program).count()
    return CostCategory.objects.create(program=program, code=code, name=name, position=position)


def call_create(*, actor: User, program: Program, **fields: Any) -> Call:
    """The program's office opens a call. The funding year defaults to the deadline's year."""
    require(actor, "grants.add_call", program)
    if not fields.get("funding_year") and fields.get("closes_at"):
        fields["funding_year"] = fields["closes_at"].year
    call = validated(Call(program=program, **fields))
    call.save()
    return call


def call_update(*, call: Call, actor: User, **fields: Any) -> Call:
    require(actor, "grants.change_call", call)
    return apply_changes(call, fields, validate=True)
