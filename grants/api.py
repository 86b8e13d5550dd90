"""Users, programs, program roles, cost categories and calls over HTTP (thin views)."""

from __future__ import annotations

import base64
from contextlib import contextmanager

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from knox.models import AuthToken
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.response import Response
from rest_framework.views import APIView

from core import bank
from core.api import ParentScopedMixin, RejectUnknownFieldsMixin
from core.errors import InvalidInput, WrongSecret, require
from core.money import MoneySerializerField
from core.text import Limit, line_input, prose_input
from core.uploads import ALLOWED as ALLOWED_TYPES
from grants import selectors, services, two_factor
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

TokenAnswer = inline_serializer(
    "TokenAnswer",
    {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()},
)


@contextmanager
def counted_as_login(request):
    """A check of the caller's own secret (password, second-factor code) while signed
    in: refused with 429 while the account is locked, and a wrong one counts as a failed
    login (axes), as at the sign-in itself."""
    username = request.user.get_username()
    if not AxesProxyHandler.is_allowed(request, {"username": username}):
        raise TokenView._locked(request, username)
    try:
        yield
    except WrongSecret:
        user_login_failed.send(
            sender=type(request.user), credentials={"username": username}, request=request
        )
        raise


class TokenView(APIView):
    """``POST``: a token for a username and password (one per client; it expires after
    ``TOKEN_TTL`` without use). ``DELETE``: log out, revoking the token sent.

    Repeated failures answer 429 ``throttled`` with ``Retry-After`` (django-axes,
    ``grants.auth.LoginLockHandler``)."""

    def _signing_in(self) -> bool:
        return getattr(self.request, "method", None) == "POST"

    def get_permissions(self):
        if self._signing_in():
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_authenticators(self):
        # Signing in never needs (nor looks at) an old token or session.
        if self._signing_in():
            return []
        return super().get_authenticators()

    @extend_schema(request=AuthTokenSerializer, responses=TokenAnswer)
    def post(self, request):
        # Locked before this attempt: 429. The attempt that reaches the limit is still an
        # ordinary failure (400); the next one is refused.
        username = request.data.get("username") if isinstance(request.data, dict) else None
        if isinstance(username, str) and not AxesProxyHandler.is_allowed(
            request, {"username": username}
        ):
            raise self._locked(request, username)
        credentials = AuthTokenSerializer(data=request.data, context={"request": request})
        credentials.is_valid(raise_exception=True)
        user = credentials.validated_data["user"]
        if two_factor.is_enabled(user):
            code = request.data.get("otp")
            if not two_factor.verify(user, code if isinstance(code, str) else None):
                # Counted like a wrong password: codes cannot be tried without limit.
                user_login_failed.send(
                    sender=type(user), credentials={"username": username}, request=request
                )
                raise InvalidInput(
                    errors={
                        "otp": [_("Enter the code of your authenticator app (or a recovery code).")]
                    }
                )
        instance, token = services.token_issue(user=user)
        # What django.contrib.auth.login() announces: last_login is set, and axes resets
        # the failures of this username and address.
        user_logged_in.send(sender=type(user), request=request, user=user)
        return Response({"token": token, "expires_at": instance.expiry})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        if not isinstance(request.auth, AuthToken):
            raise exceptions.NotAuthenticated()  # a session has no token to revoke
        services.token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @staticmethod
    def _locked(request, username: str) -> exceptions.Throttled:
        handler = AxesProxyHandler.get_implementation()
        wait = handler.seconds_until_unlocked(request, {"username": username})
        return exceptions.Throttled(wait=wait, detail=_("Too many failed logins. Try again later."))


class TokenListView(APIView):
    """``DELETE /api/auth/tokens/``: log out everywhere (every token of the caller)."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        services.tokens_revoke_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    old_password = serializers.CharField(max_length=128, style={"input_type": "password"})
    new_password = serializers.CharField(max_length=128, style={"input_type": "password"})


class PasswordChangeView(APIView):
    """``POST /api/users/me/password/``: change the caller's password; every other token
    is revoked, the one sent stays valid."""

    @extend_schema(request=PasswordChangeSerializer, responses={204: None})
    def post(self, request):
        body = PasswordChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        keep = request.auth if isinstance(request.auth, AuthToken) else None
        with counted_as_login(request):
            services.password_change(user=request.user, keep=keep, **body.validated_data)
        if keep is None:  # signed in with a session (browsable API): stay signed in
            update_session_auth_hash(request._request, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, style={"input_type": "password"})

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "password",
            "first_name",
            "last_name",
            "language",
            "optional_notifications",
        ]


class ProgramRoleBriefSerializer(serializers.Serializer):
    program = serializers.IntegerField()
    program_code = serializers.CharField()
    role = serializers.ChoiceField(choices=ProgramRole.Kind.choices)
    voting = serializers.BooleanField()
    chair = serializers.BooleanField()
    body = serializers.IntegerField(allow_null=True)
    deputy_for = serializers.IntegerField(allow_null=True)
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)


class UserProfileSerializer(serializers.ModelSerializer):
    """A user with their program roles (``projects.api.MeSerializer`` adds organisations)."""

    is_admin = serializers.BooleanField(source="is_superuser", read_only=True)
    program_roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "language",
            "optional_notifications",
            "is_admin",
            "program_roles",
        ]

    @extend_schema_field(ProgramRoleBriefSerializer(many=True))
    def get_program_roles(self, user) -> list[dict]:
        roles = ProgramRole.objects.filter(user=user).select_related("program")
        return [
            {
                "program": role.program_id,
                "program_code": role.program.code,
                "role": role.role,
                "voting": role.voting,
                "chair": role.chair,
                "body": role.body_id,
                "deputy_for": role.deputy_for_id,
                "valid_from": role.valid_from,
                "valid_until": role.valid_until,
            }
            for role in roles
        ]


class UserViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Accounts: administrators only. Everyone may read themselves at ``/api/users/me/``."""

    serializer_class = UserSerializer
    queryset = User.objects.order_by("pk")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require(request.user, "grants.manage_users")

    def perform_create(self, serializer):
        serializer.instance = services.user_create(
            actor=self.request.user, **serializer.validated_data
        )


class ProgramSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    funder_contacts = serializers.ListField(
        child=serializers.EmailField(), required=False, default=list, max_length=50
    )
    year_budget = MoneySerializerField(required=False)
    attachment_types = serializers.ListField(
        child=serializers.ChoiceField(choices=[(t, t) for t in ALLOWED_TYPES]),
        required=False,
        max_length=20,
        help_text="Empty: every allowed type; else the content types this program accepts.",
    )
    min_grant = MoneySerializerField(required=False)
    max_grant = MoneySerializerField(required=False)
    fast_track_ceiling = MoneySerializerField(required=False)

    class Meta:
        model = Program
        fields = [
            "id",
            "code",
            "name",
            "funder_name",
            "committee_name",
            "currency",
            "year_budget",
            "min_grant",
            "max_grant",
            "min_own_share_percent",
            "financing_type",
            "fast_track_ceiling",
            "spending_window_days",
            "proof_of_use_due_days",
            "category_tolerance_percent",
            "quorum_min",
            "retention_years",
            "report_frequency",
            "funder_contacts",
            "interim_proof_due",
            "state",
            "proof_of_use_due_months",
            "repayment_months",
            "decisions_sent",
            "forwarding_form",
            "authority_name",
            "authority_address",
            "authority_signatory",
            "treasury_name",
            "treasury_iban",
            "treasury_bic",
            "receipt_scans",
            "attachment_types",
        ]
        read_only_fields = ["currency"]

    def validate_treasury_iban(self, value: str) -> str:
        return bank.valid_iban(value)

    def validate_treasury_bic(self, value: str) -> str:
        return bank.valid_bic(value)


class ProgramViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Funding programs: every signed-in user reads them (sponsors must find where to apply)."""

    serializer_class = ProgramSerializer
    queryset = Program.objects.order_by("code")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.program_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.program_update(
            program=serializer.instance, actor=self.request.user, **serializer.validated_data
        )


class ProgramRoleSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    """A role in the program; for committee members also their body (empty: the default
    body), the member they deputise for, and the days their membership runs."""

    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(),
        help_text="An account that already holds a role in one of your programs (an "
        "administrator may name any account).",
    )
    username = serializers.CharField(source="user.username", read_only=True)
    body = serializers.PrimaryKeyRelatedField(
        queryset=DecisionBody.objects.all(), required=False, allow_null=True
    )
    deputy_for = serializers.PrimaryKeyRelatedField(
        queryset=ProgramRole.objects.all(),
        required=False,
        allow_null=True,
        help_text="The id of the role (membership) of the member this one stands in for.",
    )

    class Meta:
        model = ProgramRole
        fields = [
            "id",
            "user",
            "username",
            "role",
            "body",
            "voting",
            "chair",
            "deputy_chair",
            "deputy_for",
            "valid_from",
            "valid_until",
        ]
        # Uniqueness is the service's (one seat per body, one chair, one deputy), so that
        # DRF does not make ``body`` required for its generated unique-together check.
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "user" in fields:
            fields["user"].queryset = selectors.users_known_to(request.user)
        return fields


class ProgramRoleChangeSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    """``PATCH``: when a membership starts and ends (a former member cannot vote)."""

    class Meta:
        model = ProgramRole
        fields = ["valid_from", "valid_until"]


class DecisionBodySerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = DecisionBody
        fields = ["id", "name", "kind", "is_default", "conflicted_in_quorum_base"]
        read_only_fields = ["is_default"]


class ProgramChildMixin(ParentScopedMixin):
    """A collection below ``/api/programs/{program_pk}/``."""

    def get_program(self) -> Program:
        if not hasattr(self, "_program"):
            self._program = get_object_or_404(Program, pk=self.kwargs["program_pk"])
        return self._program

    def get_parent(self) -> Program:
        return self.get_program()


class ProgramRoleViewSet(
    ProgramChildMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Who is office, committee or funder of a program: its office and admins manage it."""

    serializer_class = ProgramRoleSerializer
    queryset = ProgramRole.objects.none()
    parent_permissions = {
        method: "grants.manage_program_roles" for method in ("GET", "POST", "PATCH", "DELETE")
    }

    def get_serializer_class(self):
        if self.request is not None and self.request.method == "PATCH":
            return ProgramRoleChangeSerializer
        return ProgramRoleSerializer

    def get_queryset(self):
        program = self.get_program()
        return ProgramRole.objects.filter(program=program).select_related("user").order_by("pk")

    def perform_create(self, serializer):
        serializer.instance = services.program_role_grant(
            program=self.get_program(), actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.program_role_update(
            program_role=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.program_role_revoke(program_role=instance, actor=self.request.user)


class DecisionBodyViewSet(
    ProgramChildMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """A program's decision bodies (Gremien): every signed-in user reads them (a call
    names its body); its office and admins add them."""

    serializer_class = DecisionBodySerializer
    queryset = DecisionBody.objects.none()
    parent_permissions = {"POST": "grants.manage_program_roles"}

    def get_queryset(self):
        return DecisionBody.objects.filter(program=self.get_program()).order_by(
            "-is_default", "name", "pk"
        )

    def perform_create(self, serializer):
        serializer.instance = services.decision_body_create(
            program=self.get_program(), actor=self.request.user, **serializer.validated_data
        )


class CostCategorySerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    code = serializers.SlugField(max_length=40)

    class Meta:
        model = CostCategory
        fields = ["id", "code", "name"]


class CostCategoryViewSet(
    ProgramChildMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = CostCategorySerializer
    queryset = CostCategory.objects.none()
    parent_permissions = {"POST": "grants.add_costcategory"}

    def get_queryset(self):
        return CostCategory.objects.filter(program=self.get_program()).order_by("position", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.cost_category_create(
            program=self.get_program(), actor=self.request.user, **serializer.validated_data
        )


class CallSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    budget = MoneySerializerField(required=False)
    is_open = serializers.BooleanField(read_only=True)
    funding_year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    body = serializers.PrimaryKeyRelatedField(
        queryset=DecisionBody.objects.all(),
        required=False,
        help_text="The deciding body; empty: the program's default body.",
    )

    class Meta:
        model = Call
        fields = [
            "id",
            "program",
            "title",
            "opens_at",
            "closes_at",
            "budget",
            "vote_deadline",
            "funding_year",
            "body",
            "is_open",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["program"].read_only = True
        return fields


class CallViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CallSerializer
    queryset = Call.objects.select_related("program").order_by("-opens_at", "pk")
    filterset_fields = ["program"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.call_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.call_update(
            call=serializer.instance, actor=self.request.user, **serializer.validated_data
        )


class BaseRateSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = BaseRate
        fields = ["id", "valid_from", "rate_percent"]
        validators = []  # one per day: the service answers 400


class BaseRateViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The dated base-rate table (Basiszinssatz) for § 49a interest: everybody signed in
    reads it, administrators add the published values."""

    serializer_class = BaseRateSerializer
    queryset = BaseRate.objects.order_by("valid_from")

    def perform_create(self, serializer):
        serializer.instance = services.base_rate_create(
            actor=self.request.user, **serializer.validated_data
        )


class TwoFactorStatus(serializers.Serializer):
    enabled = serializers.BooleanField()
    recovery_codes_left = serializers.IntegerField()


class TwoFactorCode(RejectUnknownFieldsMixin, serializers.Serializer):
    code = serializers.CharField(max_length=20)


class TwoFactorView(APIView):
    """Two-factor sign-in (TOTP) of the caller. ``GET``: on or off, recovery codes left.
    ``POST``: start the set-up → 201 with the ``otpauth://`` URL for the authenticator
    app (and its secret for typing in); then ``POST confirm/`` with a first code.
    ``POST disable/`` with ``{"code"}``: turn it off (``DELETE`` with the same body does
    too, for older clients). Once on, the token login asks for ``otp``; with
    ``REQUIRE_2FA`` the admin site needs it."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=TwoFactorStatus)
    def get(self, request):
        return Response(
            {
                "enabled": two_factor.is_enabled(request.user),
                "recovery_codes_left": two_factor.recovery_codes_left(request.user),
            }
        )

    @extend_schema(
        request=None,
        responses={
            201: inline_serializer(
                "TwoFactorSetup",
                {"otpauth_url": serializers.CharField(), "secret": serializers.CharField()},
            )
        },
    )
    def post(self, request):
        device = two_factor.start(user=request.user)
        secret = base64.b32encode(device.bin_key).decode().rstrip("=")
        return Response(
            {"otpauth_url": device.config_url, "secret": secret}, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        deprecated=True,
        description='Turn two-factor sign-in off with a body ``{"code"}`` (a current or '
        "recovery code; a wrong one is a 400). OpenAPI clients cannot send a body with "
        "DELETE: use ``POST /api/users/me/two-factor/disable/``.",
        responses={204: None},
    )
    def delete(self, request):
        return _disable_two_factor(request)


def _disable_two_factor(request) -> Response:
    body = TwoFactorCode(data=request.data)
    body.is_valid(raise_exception=True)
    with counted_as_login(request):
        two_factor.disable(user=request.user, code=body.validated_data["code"])
    return Response(status=status.HTTP_204_NO_CONTENT)


class TwoFactorDisableView(APIView):
    """Turn two-factor sign-in off with a current or a recovery code (a wrong one: 400)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=TwoFactorCode, responses={204: None})
    def post(self, request):
        return _disable_two_factor(request)


class TwoFactorConfirmView(APIView):
    """The first code from the app turns two-factor sign-in on; the answer holds the
    ten recovery codes, shown this once."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=TwoFactorCode,
        responses=inline_serializer(
            "TwoFactorRecovery",
            {"recovery_codes": serializers.ListField(child=serializers.CharField())},
        ),
    )
    def post(self, request):
        body = TwoFactorCode(data=request.data)
        body.is_valid(raise_exception=True)
        keep = request.auth if isinstance(request.auth, AuthToken) else None
        codes = two_factor.confirm(user=request.user, code=body.validated_data["code"], keep=keep)
        return Response({"recovery_codes": codes})


class AnnexTypeSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    name = line_input(Limit.NAME)
    description = prose_input(Limit.NOTE, required=False, allow_blank=True, default="")

    class Meta:
        model = AnnexType
        fields = ["id", "call", "name", "description", "required", "position"]
        read_only_fields = ["call", "position"]


class AnnexTypeChangeSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    name = line_input(Limit.NAME, required=False)
    description = prose_input(Limit.NOTE, required=False, allow_blank=True)

    class Meta:
        model = AnnexType
        fields = ["name", "description", "required"]


class CallAnnexTypesView(APIView):
    """The annexes a call asks for (Anlagen): every signed-in user reads them (a sponsor
    must know what to attach); the program's office adds them."""

    @extend_schema(responses=AnnexTypeSerializer(many=True))
    def get(self, request, pk: int):
        call = get_object_or_404(Call, pk=pk)
        return Response(AnnexTypeSerializer(call.annex_types.all(), many=True).data)

    @extend_schema(request=AnnexTypeSerializer, responses={201: AnnexTypeSerializer})
    def post(self, request, pk: int):
        call = get_object_or_404(Call.objects.select_related("program"), pk=pk)
        require(request.user, "grants.change_call", call)
        body = AnnexTypeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        annex = services.annex_type_create(call=call, actor=request.user, **body.validated_data)
        return Response(AnnexTypeSerializer(annex).data, status=status.HTTP_201_CREATED)


class AnnexTypeView(APIView):
    """``PATCH`` an annex type (name, description, required) or ``DELETE`` one no file
    was attached as (409 otherwise): the program's office."""

    def _annex(self, request, pk: int) -> AnnexType:
        annex = get_object_or_404(AnnexType.objects.select_related("call__program"), pk=pk)
        require(request.user, "grants.change_call", annex.call)
        return annex

    @extend_schema(request=AnnexTypeChangeSerializer, responses=AnnexTypeSerializer)
    def patch(self, request, pk: int):
        annex = self._annex(request, pk)
        body = AnnexTypeChangeSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        annex = services.annex_type_update(
            annex_type=annex, actor=request.user, **body.validated_data
        )
        return Response(AnnexTypeSerializer(annex).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        services.annex_type_delete(annex_type=self._annex(request, pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
