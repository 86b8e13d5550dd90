"""The caller's own account over HTTP, with its erasure (DSGVO Art. 17): ``DELETE
/api/users/me/`` (the rest of ``/api/users/me/`` is ``projects.api.MeView``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from core.formats import format_date
from projects.api import MeView as ProfileView
from workflows import privacy


class ErasureSerializer(serializers.Serializer):
    erased = serializers.BooleanField(
        help_text="true: the account's personal data are erased now; false: it is locked "
        "and erased when the last retention period that needs it ends."
    )
    kept_until = serializers.DateField(
        allow_null=True,
        help_text="While locked: the last retention day known now; null while a file runs.",
    )
    files = serializers.IntegerField(help_text="How many files still need the account.")
    detail = serializers.CharField()


def erasure_message(outcome: privacy.Erasure) -> str:
    if outcome.erased:
        return _("Your account was deleted; its entries in files show a pseudonym.")
    if outcome.kept_until:
        return _(
            "Your account is locked. The budget law requires %(files)s file(s) you worked "
            "on to be kept until %(day)s; then your account is erased."
        ) % {"files": outcome.files, "day": format_date(outcome.kept_until)}
    return _(
        "Your account is locked. %(files)s file(s) you worked on are still being processed; "
        "your account is erased when the last of them is no longer kept."
    ) % {"files": outcome.files}


class MeView(ProfileView):
    """The signed-in user (GET, PATCH: ``projects.api.MeView``). ``DELETE`` asks for the
    account's erasure (DSGVO Art. 17): 202, erased at once or locked until the retention
    periods that need it end; either way the token used is revoked."""

    @extend_schema(
        summary="Delete the signed-in account (DSGVO Art. 17)",
        request=None,
        responses={202: ErasureSerializer},
    )
    def delete(self, request):
        outcome = privacy.account_erasure_request(user=request.user)
        body = {
            "erased": outcome.erased,
            "kept_until": outcome.kept_until,
            "files": outcome.files,
            "detail": erasure_message(outcome),
        }
        return Response(ErasureSerializer(body).data, status=status.HTTP_202_ACCEPTED)
