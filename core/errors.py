"""Domain errors. Services raise them; ``core.api.exception_handler`` maps them to
CONTRACT.md's error body; the admin shows them as messages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status_code = 400
    code = "invalid"
    default_detail = _("Invalid input.")

    def __init__(self, detail=None, *, errors: dict[str, list[str]] | None = None) -> None:
        self.detail = str(detail or self.default_detail)
        self.errors = errors or {}
        super().__init__(self.detail)


class InvalidInput(DomainError):
    """Bad input: nothing was saved."""


class WrongSecret(InvalidInput):
    """A wrong password or second-factor code from somebody already signed in (changing
    the password, turning two-factor off): counted as a failed login, so that a stolen
    token cannot try passwords without limit."""


class ConditionFailed(DomainError):
    code = "condition_failed"
    default_detail = _("The transition's conditions are not met.")


class PermissionDenied(DomainError):
    status_code = 403
    code = "permission_denied"
    default_detail = _("You may not do this.")


class NotFound(DomainError):
    status_code = 404
    code = "not_found"
    default_detail = _("Not found.")


class TransitionNotAllowed(DomainError):
    status_code = 409
    code = "transition_not_allowed"
    default_detail = _("This transition is not possible from the current state.")


class BaseRateMissing(DomainError):
    """Interest over a day the base-rate table does not cover (§ 247 BGB): the figure
    cannot be computed until an administrator enters the published rate. Names the
    half-year, e.g. "1st half of 2014"."""

    status_code = 409
    code = "base_rate_missing"
    default_detail = _("The base rate for a day of this period is not in the table.")


def require(user, permission: str, obj=None) -> None:
    """Refuse unless the one permission layer (``rules``) allows ``permission`` on ``obj``."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied()


def require_role(user, permission: str, obj=None) -> None:
    """Like ``require``, without Django's rule that an active superuser holds every
    permission: for what only a role's holder does (a committee member's vote, the
    chair's signature), which an administrator does not do by being one."""
    import rules

    if not rules.has_perm(permission, user, obj):
        raise PermissionDenied()
