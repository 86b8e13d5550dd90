"""Organisations, their members and applications over HTTP (thin views)."""

from __future__ import annotations

from decimal import Decimal

import django_filters
import rules
from django import forms
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core import bank
from core.api import CompiledRepresentationMixin, ParentScopedMixin, RejectUnknownFieldsMixin
from core.errors import InvalidInput
from core.money import ASCII_INTEGER, MoneySerializerField
from core.text import Limit, line_input, prose_input
from core.transitions import available_transitions
from grants import services as grant_services
from grants.api import UserProfileSerializer
from grants.models import Call, CostCategory, User
from projects import selectors, services
from projects.models import Application, Invitation, Membership, Organization
from projects.roles import organization_ids_of
from projects.states import ApplicationState


class OrganizationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MeSerializer(UserProfileSerializer):
    """The caller with their roles: per program (``grants``) and per organisation."""

    organizations = serializers.SerializerMethodField()

    class Meta(UserProfileSerializer.Meta):
        fields = [*UserProfileSerializer.Meta.fields, "organizations"]

    @extend_schema_field(OrganizationBriefSerializer(many=True))
    def get_organizations(self, user) -> list[dict]:
        ids = organization_ids_of(user)
        return [{"id": org.pk, "name": org.name} for org in Organization.objects.filter(pk__in=ids)]


class MeSettingsSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["language", "optional_notifications"]


class MeView(APIView):
    """The signed-in user, with their roles per program and organisation. ``PATCH``
    changes their own settings: ``language`` and ``optional_notifications``."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSettingsSerializer, responses=MeSerializer)
    def patch(self, request):
        body = MeSettingsSerializer(request.user, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        user = grant_services.user_settings_update(user=request.user, **body.validated_data)
        return Response(MeSerializer(user).data)


class OrganizationSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    iban = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=42,
        help_text="The account for payouts; checked digit by digit (schwifty). Spaces allowed.",
    )
    bic = serializers.CharField(required=False, allow_blank=True, max_length=11)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "legal_form",
            "is_municipal",
            "address",
            "email",
            "deducts_input_tax",
            "legal_representative",
            "iban",
            "bic",
            "account_holder",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def validate_iban(self, value: str) -> str:
        return bank.valid_iban(value)

    def validate_bic(self, value: str) -> str:
        return bank.valid_bic(value)


class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Applying organisations. Whoever registers one becomes its first member."""

    serializer_class = OrganizationSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.organizations_visible_to(self.request.user).order_by("name", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.organization_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.organization_update(
            organization=serializer.instance, actor=self.request.user, **serializer.validated_data
        )


class MembershipSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "username", "created_at"]
        read_only_fields = ["created_at"]


class OrganizationChildMixin(ParentScopedMixin):
    """A collection below ``/api/organizations/{organization_pk}/`` (404 when invisible)."""

    def get_parent(self) -> Organization:
        if not hasattr(self, "_organization"):
            self._organization = get_object_or_404(
                selectors.organizations_visible_to(self.request.user),
                pk=self.kwargs["organization_pk"],
            )
        return self._organization


class MembershipViewSet(
    OrganizationChildMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """An organisation's members: listed by its members; added directly by
    administrators only (everybody else invites); a member leaves or removes another."""

    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()
    parent_permissions = {
        "GET": "projects.manage_members",
        "POST": "projects.add_member",
        "DELETE": "projects.manage_members",
    }

    def get_queryset(self):
        return (
            Membership.objects.filter(organization=self.get_parent())
            .select_related("user")
            .order_by("pk")
        )

    def perform_create(self, serializer):
        serializer.instance = services.membership_add(
            organization=self.get_parent(),
            actor=self.request.user,
            user=serializer.validated_data["user"],
        )

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, *args, **kwargs):
        member = get_object_or_404(self.get_queryset(), user_id=self.kwargs["user_pk"]).user
        services.membership_end(organization=self.get_parent(), actor=request.user, user=member)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    invited_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "organization",
            "organization_name",
            "email",
            "state",
            "invited_by_name",
            "created_at",
            "expires_at",
        ]
        read_only_fields = [name for name in fields if name != "email"]

    def get_invited_by_name(self, invitation) -> str:
        inviter = invitation.invited_by
        return inviter.get_full_name() or inviter.username


class OrganizationInvitationViewSet(
    OrganizationChildMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """``/api/organizations/{id}/invitations/``: members invite by e-mail address. The
    answer does not tell whether an account has the address."""

    serializer_class = InvitationSerializer
    queryset = Invitation.objects.none()
    parent_permissions = {"GET": "projects.manage_members", "POST": "projects.manage_members"}

    def get_queryset(self):
        return selectors.organization_invitations(self.get_parent()).select_related("organization")

    def perform_create(self, serializer):
        serializer.instance = services.invitation_create(
            organization=self.get_parent(),
            actor=self.request.user,
            email=serializer.validated_data["email"],
        )


class InvitationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """``/api/invitations/``: the caller's open invitations; accept or decline."""

    serializer_class = InvitationSerializer
    queryset = Invitation.objects.none()

    def get_queryset(self):
        return selectors.invitations_for(self.request.user)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        invitation = services.invitation_accept(invitation=self.get_object(), actor=request.user)
        return Response(InvitationSerializer(invitation).data)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        invitation = services.invitation_decline(invitation=self.get_object(), actor=request.user)
        return Response(InvitationSerializer(invitation).data)


# A cost plan of more lines is no plan an office reads; the documents stay short enough.
MAX_PLAN_LINES = 300


class BudgetLineSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    category = serializers.SlugField(max_length=40, help_text="The cost category's code.")
    description = line_input(Limit.LINE)
    amount = MoneySerializerField(min_value=Decimal("0.01"))

    def to_representation(self, line):
        return {
            # The list annotates the code instead of loading each line's category.
            "category": getattr(line, "category_code", None) or line.category.code,
            "description": line.description,
            "amount": f"{line.amount:.2f}",
        }


# A funded project's money and its reclaim: shown as null to whoever may not see the
# money ("projects.view_money": committee members), as its endpoints answer them 403.
MONEY_FIELDS = (
    "paid_out",
    "proof_submitted_at",
    "hearing_on",
    "reclaim_amount",
    "interest_from",
    "interest_waived",
    "repaid_amount",
    "repaid_on",
    "interest_amount",
)


class ApplicationSerializer(
    CompiledRepresentationMixin, RejectUnknownFieldsMixin, serializers.ModelSerializer
):
    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.select_related("program"))
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(),
        help_text="One of your organisations: any other answers like an unknown id.",
    )
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    budget_lines = BudgetLineSerializer(many=True, required=False, max_length=MAX_PLAN_LINES)
    own_funds = MoneySerializerField(required=False)
    third_party_funds = MoneySerializerField(required=False)
    expected_income = MoneySerializerField(required=False)
    total_costs = MoneySerializerField(read_only=True)
    requested_amount = MoneySerializerField(read_only=True)
    approved_amount = MoneySerializerField(read_only=True, allow_null=True)
    approved_costs = MoneySerializerField(
        read_only=True,
        allow_null=True,
        help_text="The approved plan's eligible costs where the grant was approved below the "
        "request (null: the plan as submitted).",
    )
    early_start_reason = prose_input(Limit.NOTE, required=False, allow_blank=True)
    early_start_decision = serializers.ChoiceField(
        choices=[("", "not decided"), ("granted", "granted"), ("refused", "refused")],
        read_only=True,
        help_text="The office's decision on the early start asked for ('' until it decides).",
    )
    state = serializers.ChoiceField(choices=ApplicationState.choices, read_only=True)
    state_label = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()
    paid_out = MoneySerializerField(
        read_only=True,
        allow_null=True,
        help_text="The sum of the payouts marked as paid (null for whoever may not see the "
        "project's money: committee members).",
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "program",
            "call",
            "organization",
            "organization_name",
            "title",
            "summary",
            "field_of_action",
            "target_group",
            "start_date",
            "end_date",
            "expected_participants",
            "budget_lines",
            "own_funds",
            "third_party_funds",
            "expected_income",
            "total_costs",
            "requested_amount",
            "approved_amount",
            "conditions",
            "approved_costs",
            "early_start_from",
            "early_start_reason",
            "early_start_decision",
            "early_start_granted_from",
            "state",
            "state_label",
            "available_transitions",
            "decision_mode",
            "created_at",
            "submitted_at",
            "decided_at",
            *MONEY_FIELDS,
            "retention_until",
        ]
        read_only_fields = [
            "reference",
            "program",
            "conditions",
            "created_at",
            "submitted_at",
            "decided_at",
        ]
        extra_kwargs = {
            "title": {"required": True},
            "early_start_from": {"required": False, "allow_null": True},
            "interest_waived": {"allow_null": True},
            "proof_submitted_at": {"allow_null": True},
        }

    representation_sources = {"budget_lines": Application.cost_lines}

    def to_representation(self, instance):
        return self.redacted(instance, super().to_representation(instance))

    def redacted(self, instance, data: dict) -> dict:
        if not rules.has_perm("projects.view_money", self.context["request"].user, instance):
            for name in MONEY_FIELDS:
                data[name] = None
        return data

    def get_state_label(self, application) -> str:
        # The enum's label, not get_state_display(): that hashes every choice's lazy
        # label on each call. Translated once per state and response (the language is
        # the response's), not once a row.
        labels = self.__dict__.setdefault("_state_labels", {})
        if application.state not in labels:
            labels[application.state] = str(ApplicationState(application.state).label)
        return labels[application.state]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_transitions(self, application) -> list[str]:
        return [t.name for t in available_transitions(application, self.context["request"].user)]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # Only organisations one may apply for: an existing one of somebody else's
            # answers as an unknown id does (400), so the answer tells nothing of it.
            fields["organization"].queryset = selectors.organizations_to_apply_for(request.user)
        return fields

    def validate(self, attrs):
        call = attrs.get("call") or getattr(self.instance, "call", None)
        if self.instance is not None:
            # Sending the same organisation back is harmless; another one is refused.
            organization = attrs.pop("organization", self.instance.organization)
            if organization != self.instance.organization:
                raise serializers.ValidationError(
                    {"organization": [_("An application cannot change its organisation.")]}
                )
        if "budget_lines" in attrs and call is not None:
            attrs["budget_lines"] = self._resolve_categories(call, attrs["budget_lines"])
        return attrs

    def _resolve_categories(self, call, lines) -> list[services.BudgetLineInput]:
        categories = {c.code: c for c in CostCategory.objects.filter(program_id=call.program_id)}
        problems = {}
        for index, line in enumerate(lines):
            if line["category"] not in categories:
                problems[f"budget_lines.{index}.category"] = [
                    _("Unknown cost category “%(code)s” for this program.")
                    % {"code": line["category"]}
                ]
        if problems:
            raise InvalidInput(errors=problems)
        return [
            services.BudgetLineInput(
                category=categories[line["category"]],
                description=line["description"],
                amount=line["amount"],
            )
            for line in lines
        ]


class AsciiIntegerField(forms.IntegerField):
    """Django's IntegerField reads ``int("٤٠")`` as 40; an id is ASCII digits."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not ASCII_INTEGER.fullmatch(value.strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(django_filters.NumberFilter):
    """A primary key: a whole number in the database's range (NumberFilter is decimal)."""

    field_class = AsciiIntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class ApplicationFilter(django_filters.FilterSet):
    # A column of the row itself: no DISTINCT (django-filter's default for this filter),
    # which at 100,000 applications made a filtered page cost half a second.
    state = django_filters.MultipleChoiceFilter(choices=ApplicationState.choices, distinct=False)
    call = IdFilter(field_name="call_id")
    program = IdFilter(field_name="program_id")
    organization = IdFilter(field_name="organization_id")
    search = django_filters.CharFilter(method="filter_search", label=_("search"))

    class Meta:
        model = Application
        fields = ["state", "call", "program", "organization", "search"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(reference__icontains=value)
            | Q(summary__icontains=value)
            | Q(organization__name__icontains=value)
        )


class ApplicationViewSet(viewsets.ModelViewSet):
    """Applications the caller's roles let them see (404 for the rest)."""

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        # The list reads its page's cost plans as values once paginated.
        return selectors.application_list(user=self.request.user, lines=self.action != "list")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is None:
            return None
        selectors.attach_plan_lines(page)
        # The approve/reject conditions read the committee's tally: one batch per page,
        # for the rows under review whose office steps the caller may take (nobody else
        # asks). Asked of rules directly, as the transitions themselves do.
        user = self.request.user
        selectors.attach_tallies(
            [
                a
                for a in page
                if a.state == ApplicationState.COMMITTEE_REVIEW
                and rules.has_perm("projects.take_office_step", user, a)
            ]
        )
        return page

    def perform_create(self, serializer):
        created = services.application_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=created.pk)

    def perform_update(self, serializer):
        services.application_update(
            application=serializer.instance, actor=self.request.user, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        services.application_delete(application=instance, actor=self.request.user)
