"""Everything that changes users, programs, their roles, categories and calls."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from core import audit
from core.errors import InvalidInput, TransitionNotAllowed, WrongSecret, require
from core.services import apply_changes, validated
from grants.models import (
    AnnexType,
    BaseRate,
    Call,
    CostCategory,
    DecisionBody,
    Program,
    ProgramRole,
    User,
)
from grants.roles import forget_roles


def _save_new_user(user: User, password: str) -> User:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise InvalidInput(errors={"password": list(exc.messages)}) from None
    user.set_password(password)
    # The model's rules: a username like another but for case or width is taken.
    validated(user, exclude=["password", "last_login"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same name, created a moment ago by another request
        raise InvalidInput(
            errors={"username": [_("A user with that username already exists.")]}
        ) from None
    return user


def user_create(*, actor: User, password: str, **fields: Any) -> User:
    """Admins create accounts; the password must pass Django's validators. The
    administrator vouches for the address: it counts as verified."""
    require(actor, "grants.manage_users")
    user = User(**fields)
    user.verified_email = (user.email or "").strip().lower()
    return _save_new_user(user, password)


def verified_account(address: str) -> User | None:
    """The active account whose verified address this is (at most one: registering
    an address that is verified already creates no second account)."""
    address = address.strip().lower()
    if not address:
        return None
    return User.objects.filter(verified_email=address, is_active=True).order_by("pk").first()


REGISTRATION_FIELDS = {"username", "email", "first_name", "last_name", "language"}


def user_register(*, password: str, verified: bool = False, **fields: Any) -> User | None:
    """A sponsor registers themselves. The address stays unverified until its owner
    opens the link sent to it (``verified``: the caller holds such proof already, the
    signed link of an invitation to that address). An address that an account has
    verified already makes no second account: the answer is ``None`` and the caller
    writes to the address (nobody learns from the page that it is known)."""
    unknown = set(fields) - REGISTRATION_FIELDS
    if unknown:
        raise InvalidInput(errors={name: [_("Unknown field.")] for name in sorted(unknown)})
    user = User(**fields)
    user.email = (user.email or "").strip()
    if not user.email:
        raise InvalidInput(errors={"email": [_("This field is required.")]})
    validated(user, exclude=["password", "last_login"])
    with transaction.atomic():
        known = verified_account(user.email)
        if known is not None:
            # Its owner hears of it (and how to reset a forgotten password).
            audit.record(event="user.register_known", trail=known, actor=None)
            return None
        if verified:
            user.verified_email = user.email.lower()
        _save_new_user(user, password)
        audit.record(
            event="user.register",
            trail=user,
            actor=user,
            data={"verified": bool(verified)},
        )
    return user


VERIFICATION_PAUSE_MINUTES = 5


def email_verification_request(*, user: User) -> bool:
    """Send the link that verifies the account's address (again); at most one every
    few minutes (a button pressed twice sends one mail). Answers whether one goes."""
    if not user.email or user.email_verified:
        return False
    since = timezone.now() - timedelta(minutes=VERIFICATION_PAUSE_MINUTES)
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        recent = audit.trail_of(user).filter(
            namespace="user", action__in=("register", "verify_email_request"), at__gte=since
        )
        if recent.exists():
            return False
        audit.record(event="user.verify_email_request", trail=user, actor=user)
    return True


def email_verify(*, user: User, address: str) -> bool:
    """The owner of ``address`` opened the link sent to it: the account's address is
    verified if it is still that one, and no other account verified it meanwhile.
    Answers whether the address is verified now."""
    address = address.strip().lower()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.email.strip().lower() != address:
            return False  # the address changed after the link was sent
        if locked.email_verified:
            return True
        other = verified_account(address)
        if other is not None and other.pk != locked.pk:
            return False
        locked.verified_email = address
        locked.save(update_fields=["verified_email"])
        audit.record(event="user.verify_email", trail=locked, actor=locked)
    user.verified_email = address
    return True


def user_settings_update(*, user: User, **fields: Any) -> User:
    """The caller's own settings: language and optional reminders (reminders of
    deadlines with legal effect cannot be switched off)."""
    allowed = {"language", "optional_notifications"}
    return apply_changes(user, {k: v for k, v in fields.items() if k in allowed}, validate=False)


def user_profile_update(*, user: User, **fields: Any) -> User:
    """The caller's own name, language and optional reminders (the portal's profile)."""
    allowed = {"first_name", "last_name", "language", "optional_notifications"}
    return apply_changes(user, {k: v for k, v in fields.items() if k in allowed}, validate=True)


def optional_notifications_off(*, user: User, via: str) -> bool:
    """Switch the user's optional reminders off (the signed link of an e-mail, RFC 8058),
    audited; answers whether they were on."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.optional_notifications:
            return False
        locked.optional_notifications = False
        locked.save(update_fields=["optional_notifications"])
        audit.record(event="user.unsubscribe", trail=locked, actor=locked, data={"via": via})
    return True


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
    deputy_chair: bool = False,
    body: DecisionBody | None = None,
    deputy_for: ProgramRole | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> ProgramRole:
    """DOMAIN.md, "Committee review": committee members sit on one of the program's bodies
    (the default one unless named), vote unless advisory, one of them chairs; a deputy
    stands in for one voting member of the same body and so votes; a deputy chair chairs
    when the chair is absent or conflicted."""
    require(actor, "grants.manage_program_roles", program)
    committee = role == ProgramRole.Kind.COMMITTEE
    granted = ProgramRole(
        program=program,
        user=user,
        role=role,
        body=body,  # a body on another role is refused by clean()
        voting=(voting or deputy_for is not None) if committee else False,
        chair=chair,
        deputy_chair=deputy_chair,
        deputy_for=deputy_for,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    # Uniqueness is the database's to decide under concurrency (IntegrityError below).
    validated(granted, validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            granted.save()
    except IntegrityError:
        raise InvalidInput(errors=_role_conflict(granted)) from None
    forget_roles(user)
    return granted


def _role_conflict(granted: ProgramRole) -> dict[str, list[str]]:
    """Which uniqueness rule a refused role broke, in the caller's words."""
    roles = ProgramRole.objects.filter(program=granted.program, user=granted.user)
    if granted.role == ProgramRole.Kind.COMMITTEE:
        if roles.filter(body=granted.body, role=granted.role).exists():
            return {"user": [_("This user already sits on this body.")]}
        if (
            granted.deputy_for_id
            and ProgramRole.objects.filter(deputy_for=granted.deputy_for_id).exists()
        ):
            return {"deputy_for": [_("This member already has a deputy.")]}
        if (
            granted.deputy_chair
            and roles.model.objects.filter(body=granted.body, deputy_chair=True).exists()
        ):
            return {"deputy_chair": [_("The body already has a deputy chair.")]}
        return {"chair": [_("The body already has a chair.")]}
    return {"user": [_("This user already holds this role in the program.")]}


def program_role_update(*, program_role: ProgramRole, actor: User, **fields: Any) -> ProgramRole:
    """The office ends or moves a membership (``valid_from``/``valid_until``): a former
    member keeps their votes on file but cannot vote again (DOMAIN.md)."""
    require(actor, "grants.manage_program_roles", program_role.program)
    updated = apply_changes(program_role, fields, validate=True)
    forget_roles(program_role.user)
    return updated


def program_role_revoke(*, program_role: ProgramRole, actor: User) -> None:
    """A member with a deputy keeps the role until the deputy is removed or reassigned:
    otherwise the deputy would silently stand in for nobody."""
    require(actor, "grants.manage_program_roles", program_role.program)
    try:
        with transaction.atomic():
            program_role.delete()
    except ProtectedError:
        raise InvalidInput(
            errors={"deputy_for": [_("Remove this member's deputy first.")]}
        ) from None
    forget_roles(program_role.user)


def decision_body_create(
    *,
    program: Program,
    actor: User,
    name: str,
    kind: str = DecisionBody.Kind.COMMITTEE,
    conflicted_in_quorum_base: bool = True,
) -> DecisionBody:
    """DOMAIN.md: a program may have several decision bodies (a youth forum for the youth
    fund); the default one exists from the program's creation. Without a kind, a
    committee (the model's default, which the API offers). Its rules say whether
    conflicted members count in the quorum base (default: they do)."""
    require(actor, "grants.manage_program_roles", program)
    body = validated(
        DecisionBody(
            program=program,
            name=name,
            kind=kind,
            conflicted_in_quorum_base=conflicted_in_quorum_base,
        ),
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            body.save()
    except IntegrityError:
        raise InvalidInput(
            errors={"name": [_("The program already has a body of this name.")]}
        ) from None
    return body


def base_rate_create(*, actor: User, valid_from: date, rate_percent) -> BaseRate:
    """The admin adds a published base rate (each 1 January and 1 July); one per day."""
    require(actor, "grants.add_baserate")
    rate = validated(
        BaseRate(valid_from=valid_from, rate_percent=rate_percent), validate_unique=False
    )
    try:
        with transaction.atomic():
            rate.save()
    except IntegrityError:
        raise InvalidInput(
            errors={"valid_from": [_("A base rate from this day is already recorded.")]}
        ) from None
    return rate


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


def token_issue(*, user: User) -> tuple[AuthToken, str]:
    """A new API token for one client of ``user`` (CONTRACT.md: one token per client).

    Expired tokens of the user go first; beyond ``TOKENS_PER_USER`` the least recently
    renewed are revoked, so a script that logs in on every run cannot pile up tokens.
    The clear token is returned once; only its digest is stored.
    """
    with transaction.atomic():
        tokens = AuthToken.objects.filter(user=user)
        tokens.filter(expiry__lt=timezone.now()).delete()
        keep = settings.TOKENS_PER_USER - 1
        surplus = tokens.order_by("-expiry", "-created").values_list("pk", flat=True)[keep:]
        AuthToken.objects.filter(pk__in=list(surplus)).delete()
        return AuthToken.objects.create(user=user)


def token_revoke(*, token: AuthToken) -> None:
    """Log out: the token sent is no longer accepted."""
    token.delete()


def tokens_revoke_all(*, user: User, keep: AuthToken | None = None) -> int:
    """Log out everywhere (or everywhere but ``keep``); answers how many were revoked."""
    tokens = AuthToken.objects.filter(user=user)
    if keep is not None:
        tokens = tokens.exclude(pk=keep.pk)
    count, _ = tokens.delete()
    return count


def password_change(
    *, user: User, old_password: str, new_password: str, keep: AuthToken | None
) -> None:
    """CONTRACT.md: the old password must be right and the new one pass Django's
    validators; every other token of the user is then revoked (a stolen token dies with
    the password), the caller's own (``keep``) stays."""
    if not user.check_password(old_password):
        raise WrongSecret(errors={"old_password": [_("The current password is not right.")]})
    try:
        validate_password(new_password, user)
    except DjangoValidationError as exc:
        raise InvalidInput(errors={"new_password": list(exc.messages)}) from None
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        tokens_revoke_all(user=user, keep=keep)


def annex_type_create(
    *, call: Call, actor: User, name: str, description: str = "", required: bool = True
) -> AnnexType:
    """The office names an annex its call asks for (DOMAIN.md, "Attachments")."""
    require(actor, "grants.change_call", call)
    position = call.annex_types.count()
    annex = validated(
        AnnexType(
            call=call, name=name, description=description, required=required, position=position
        ),
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            annex.save()
    except IntegrityError:
        raise InvalidInput(errors={"name": [_("The call already asks for this annex.")]}) from None
    return annex


def annex_type_update(*, annex_type: AnnexType, actor: User, **fields: Any) -> AnnexType:
    require(actor, "grants.change_call", annex_type.call)
    return apply_changes(annex_type, fields, validate=True)


def annex_type_delete(*, annex_type: AnnexType, actor: User) -> None:
    """Only an annex type no file was attached as: a file keeps its kind."""
    require(actor, "grants.change_call", annex_type.call)
    try:
        with transaction.atomic():
            annex_type.delete()
    except ProtectedError:
        raise TransitionNotAllowed(
            _("Files were attached as this annex; it can be made optional, not deleted.")
        ) from None
