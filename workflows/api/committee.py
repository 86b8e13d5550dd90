"""The committee's review of one application over HTTP (thin views): votes, conflicts of
interest, objections, the tally, reopening the written vote, the office's recommendation."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ParentScopedMixin, RejectUnknownFieldsMixin
from core.errors import PermissionDenied
from core.money import MoneySerializerField
from core.text import Limit, prose_input
from grants.models import User
from projects.api import ApplicationSerializer
from projects.models import Application, ConflictDeclaration, Objection, Recommendation, Vote
from projects.selectors import (
    application_list,
    application_tally,
    applications_visible_to,
    decision_tally,
)
from projects.states import ApplicationState, DecisionMode, VoteChoice
from workflows import committee


class VoteSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.username", read_only=True)

    class Meta:
        model = Vote
        fields = [
            "id",
            "member",
            "member_name",
            "choice",
            "comment",
            "meeting",
            "void",
            "cast_at",
            "changed_at",
        ]
        read_only_fields = fields


class VoteInput(RejectUnknownFieldsMixin, serializers.Serializer):
    choice = serializers.ChoiceField(choices=VoteChoice.choices)
    comment = prose_input(Limit.COMMENT, required=False, allow_blank=True, default="")


class ConflictSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.username", read_only=True)

    class Meta:
        model = ConflictDeclaration
        fields = [
            "id",
            "member",
            "member_name",
            "reason",
            "recorded_by",
            "declared_at",
            "excluded",
            "decided_at",
            "decision_comment",
        ]
        read_only_fields = fields


class ConflictInput(RejectUnknownFieldsMixin, serializers.Serializer):
    reason = prose_input(Limit.COMMENT)
    member = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        required=False,
        help_text="The office records a conflict for this member; members declare their own.",
    )


class ConflictDecisionInput(RejectUnknownFieldsMixin, serializers.Serializer):
    excluded = serializers.BooleanField(
        help_text="The body's decision (§ 20 Abs. 4 VwVfG): is the member excluded?"
    )
    comment = prose_input(Limit.COMMENT)


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "member", "reason", "raised_at"]
        read_only_fields = fields


class ObjectionInput(RejectUnknownFieldsMixin, serializers.Serializer):
    reason = prose_input(Limit.COMMENT)


class VoteCountSerializer(serializers.Serializer):
    approve = serializers.IntegerField()
    reject = serializers.IntegerField()
    abstain = serializers.IntegerField()


class TallySerializer(serializers.Serializer):
    decision_mode = serializers.ChoiceField(choices=DecisionMode.choices)
    eligible = serializers.IntegerField(help_text="Voting seats not excluded by conflicts.")
    conflicted = serializers.IntegerField(help_text="Members with a conflict of interest.")
    present = serializers.IntegerField(
        allow_null=True, help_text="Meeting only: eligible seats present."
    )
    votes = VoteCountSerializer()
    quorum_required = serializers.IntegerField()
    quorum_reached = serializers.BooleanField()
    outcome = serializers.ChoiceField(choices=["approve", "reject", "undecided"])
    reason = serializers.ChoiceField(
        choices=[
            "majority",
            "chair_decides_tie",
            "tie_not_approved",
            "no_quorum",
            "no_votes",
            "objection_pending",
            "no_meeting",
        ]
    )
    reason_text = serializers.CharField()
    final = serializers.BooleanField(
        help_text="True once the office recorded the decision: the tally it rested on."
    )


class ReopenVotingInput(RejectUnknownFieldsMixin, serializers.Serializer):
    until = serializers.DateTimeField()
    comment = prose_input(Limit.COMMENT, required=False, allow_blank=True, default="")


class RecommendationSerializer(serializers.ModelSerializer):
    amount = MoneySerializerField(allow_null=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = ["choice", "amount", "text", "recorded_by", "recorded_at"]
        read_only_fields = fields


class RecommendationInput(RejectUnknownFieldsMixin, serializers.Serializer):
    choice = serializers.ChoiceField(choices=Recommendation.Choice.choices)
    amount = MoneySerializerField(required=False, allow_null=True, default=None)
    text = prose_input(Limit.SUMMARY, required=False, allow_blank=True, default="")


class ApplicationChildMixin(ParentScopedMixin):
    """Below ``/api/applications/{pk}/``: 404 unless the caller sees the application,
    then the method's permission on it (403) before the body is read."""

    def get_parent(self) -> Application:
        if not hasattr(self, "_application"):
            visible = applications_visible_to(self.request.user)
            self._application = get_object_or_404(
                visible.select_related("call", "program", "organization"), pk=self.kwargs["pk"]
            )
        return self._application


class ApplicationVotesView(ApplicationChildMixin, APIView):
    """``GET``: the office sees every vote (void ones and those taken at meetings
    included), a member their own. ``POST``: a voting member votes or changes their vote
    in the written procedure (201 new, 200 changed)."""

    parent_permissions = {"GET": "projects.view_review", "POST": "projects.vote"}

    @extend_schema(responses=VoteSerializer(many=True))
    def get(self, request, pk: int):
        application = self.get_parent()
        votes = Vote.objects.filter(application=application).select_related("member")
        if not request.user.has_perm("projects.view_all_votes", application):
            votes = votes.filter(member=request.user)
        return Response(VoteSerializer(votes.order_by("cast_at", "pk"), many=True).data)

    @extend_schema(request=VoteInput, responses={200: VoteSerializer, 201: VoteSerializer})
    def post(self, request, pk: int):
        body = VoteInput(data=request.data)
        body.is_valid(raise_exception=True)
        vote, created = committee.vote_cast(
            application=self.get_parent(), actor=request.user, **body.validated_data
        )
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(VoteSerializer(vote).data, status=answer)


class ApplicationConflictsView(ApplicationChildMixin, APIView):
    """Conflicts of interest (§ 20 VwVfG): listed for the office and the body's members;
    a member declares their own, the office records one for a member (``member``)."""

    parent_permissions = {"GET": "projects.view_review"}

    @extend_schema(responses=ConflictSerializer(many=True))
    def get(self, request, pk: int):
        conflicts = ConflictDeclaration.objects.filter(application=self.get_parent())
        return Response(ConflictSerializer(conflicts.select_related("member"), many=True).data)

    @extend_schema(request=ConflictInput, responses={201: ConflictSerializer})
    def post(self, request, pk: int):
        application = self.get_parent()
        if not (
            request.user.has_perm("projects.declare_conflict", application)
            or request.user.has_perm("projects.manage_review", application)
        ):
            raise PermissionDenied()
        body = ConflictInput(data=request.data)
        body.is_valid(raise_exception=True)
        conflict = committee.conflict_declare(
            application=application, actor=request.user, **body.validated_data
        )
        return Response(ConflictSerializer(conflict).data, status=status.HTTP_201_CREATED)


class ConflictDecisionView(ApplicationChildMixin, APIView):
    """§ 20 Abs. 4 VwVfG: the office records the body's decision on a doubtful case."""

    parent_permissions = {"POST": "projects.manage_review"}

    @extend_schema(request=ConflictDecisionInput, responses=ConflictSerializer)
    def post(self, request, pk: int, conflict_pk: int):
        conflict = get_object_or_404(
            ConflictDeclaration.objects.filter(application=self.get_parent()), pk=conflict_pk
        )
        body = ConflictDecisionInput(data=request.data)
        body.is_valid(raise_exception=True)
        conflict = committee.conflict_decide(
            conflict=conflict, actor=request.user, **body.validated_data
        )
        return Response(ConflictSerializer(conflict).data)


class ApplicationObjectionsView(ApplicationChildMixin, APIView):
    """§ 90 Abs. 1 S. 2 VwVfG: a voting member objects to the written procedure; the
    application is then decided at a meeting."""

    parent_permissions = {"POST": "projects.object"}

    @extend_schema(request=ObjectionInput, responses={201: ObjectionSerializer})
    def post(self, request, pk: int):
        body = ObjectionInput(data=request.data)
        body.is_valid(raise_exception=True)
        objection = committee.objection_raise(
            application=self.get_parent(), actor=request.user, **body.validated_data
        )
        return Response(ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)


class ApplicationTallyView(ApplicationChildMixin, APIView):
    """The committee's tally: live while the body reviews the application; once the
    office recorded the decision, the tally it rested on (``final``)."""

    parent_permissions = {"GET": "projects.view_review"}

    @extend_schema(responses=TallySerializer)
    def get(self, request, pk: int):
        application = self.get_parent()
        recorded = None
        if application.state != ApplicationState.COMMITTEE_REVIEW:
            recorded = decision_tally(application)
        if recorded is None:
            result = application_tally(application)
            recorded = {**result.as_dict(), "reason_text": result.reason_text}
        final = application.state != ApplicationState.COMMITTEE_REVIEW
        return Response(TallySerializer({**recorded, "final": final}).data)


class ReopenVotingView(ApplicationChildMixin, APIView):
    """The office reopens the written vote after the call's vote deadline (audited)."""

    parent_permissions = {"POST": "projects.manage_review"}

    @extend_schema(request=ReopenVotingInput, responses=ApplicationSerializer)
    def post(self, request, pk: int):
        body = ReopenVotingInput(data=request.data)
        body.is_valid(raise_exception=True)
        committee.voting_reopen(
            application=self.get_parent(), actor=request.user, **body.validated_data
        )
        fresh = get_object_or_404(application_list(user=request.user), pk=pk)
        return Response(ApplicationSerializer(fresh, context={"request": request}).data)


class RecommendationView(ApplicationChildMixin, APIView):
    """The office's recommendation to the body (Votum): read by the office and the
    body's members, recorded or changed by the office until the decision. The dossier
    prints it."""

    parent_permissions = {"GET": "projects.view_review", "PUT": "projects.manage_review"}

    @extend_schema(responses=RecommendationSerializer)
    def get(self, request, pk: int):
        recommendation = Recommendation.objects.filter(application=self.get_parent()).first()
        if recommendation is None:
            raise NotFound(_("The office has not recorded a recommendation."))
        return Response(RecommendationSerializer(recommendation).data)

    @extend_schema(request=RecommendationInput, responses=RecommendationSerializer)
    def put(self, request, pk: int):
        body = RecommendationInput(data=request.data)
        body.is_valid(raise_exception=True)
        recommendation = committee.recommendation_record(
            application=self.get_parent(), actor=request.user, **body.validated_data
        )
        return Response(RecommendationSerializer(recommendation).data)
