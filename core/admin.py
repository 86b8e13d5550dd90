"""Admin plumbing shared by the apps: the site, a read-only mixin, the transition form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, match_token
from django_otp.admin import OTPAdminAuthenticationForm

from core import health
from core.money import DECIMAL_PLACES, MAX_DIGITS, format_eur
from core.transitions import Declaration, Input


class ReadOnlyAdminMixin:
    """Nobody adds, changes or deletes here: the data changes only through the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TwoFactorLoginForm(OTPAdminAuthenticationForm):
    """Password, then the authenticator's code (or a recovery code) for everyone who
    set one up; with ``REQUIRE_2FA`` nobody gets in without one."""

    def clean(self):
        cleaned = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is None:
            return cleaned
        has_device = any(devices_for_user(user, confirmed=True))
        if settings.REQUIRE_2FA and not has_device:
            raise forms.ValidationError(
                _(
                    "The admin site needs two-factor sign-in. Sign in at the portal's "
                    "start page and set it up there (Profile › Two-factor sign-in)."
                ),
                code="two_factor_missing",
            )
        if has_device:
            token = (self.cleaned_data.get("otp_token") or "").strip().replace(" ", "")
            device = match_token(user, token) if token else None
            if device is None:
                # Counted like a wrong password (axes): codes are not tried without limit.
                user_login_failed.send(
                    sender=type(user),
                    credentials={"username": self.cleaned_data.get("username")},
                    request=self.request,
                )
                raise forms.ValidationError(
                    _("Enter the code of your authenticator app (or a recovery code)."),
                    code="invalid_token",
                )
            # django-otp keeps the verifying device in the session on login.
            user.otp_device = device
        return cleaned


class ZuwendoAdminSite(AdminSite):
    site_header = _("Zuwendo – grant administration")
    site_title = _("Zuwendo")
    index_title = _("Coordinating office")
    login_form = TwoFactorLoginForm
    login_template = "otp/admin111/login.html"

    def index(self, request, extra_context=None):
        """The operators' warnings (``core.health``) on top of the index."""
        for warning in health.current():
            messages.warning(request, warning)
        return super().index(request, extra_context)

    def has_permission(self, request):
        """With ``REQUIRE_2FA``, staff are staff here only once verified by a code."""
        if not super().has_permission(request):
            return False
        return not settings.REQUIRE_2FA or request.user.is_verified()


def money_display(field: str, label):
    """An admin column or read-only field showing an amount the German way
    (``1.234,56 €``, through ``core.money.format_eur``); ``–`` when empty.
    Assign it in the ModelAdmin's body: ``requested_eur = money_display(...)``."""

    @admin.display(description=label, ordering=field)
    def show(model_admin, obj) -> str:
        value = getattr(obj, field)
        return "–" if value is None else format_eur(value)

    return show


def adopt(form_instance, created) -> None:
    """Let the admin continue with the object a service created instead of its own
    unsaved form instance (inlines and the redirect need its primary key)."""
    form_instance.pk = created.pk
    form_instance._state.adding = False


def _form_field(item: Input) -> forms.Field:
    # Optional to the form as to the API: the service's runner reports what is missing.
    options: dict[str, Any] = {"label": item.label, "required": False}
    if item.help_text:
        options["help_text"] = item.help_text
    if item.kind == "money":
        return forms.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **options)
    if item.kind == "date":
        return forms.DateField(**options)
    if item.kind == "bool":
        return forms.BooleanField(**options)
    return forms.CharField(widget=forms.Textarea, **options)


def transition_form(declaration: Declaration, data=None) -> forms.Form:
    """A form with the inputs one transition declares, for the admin's transition page."""
    form_class = type(
        "TransitionForm",
        (forms.Form,),
        {item.name: _form_field(item) for item in declaration.inputs},
    )
    return form_class(data)
