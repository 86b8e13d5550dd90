"""Meetings of a decision body over HTTP (thin views): agenda, attendance, votes taken,
the invitation, and the signatures of the minutes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import RejectUnknownFieldsMixin
from core.errors import require
from core.text import Limit, line_input, prose_input
from core.urls import parse_id
from grants.models import DecisionBody, User
from projects.models import AgendaItem, Application, Meeting
from projects.selectors import meetings_visible_to
from projects.states import VoteChoice
from workflows import meetings
from workflows.api.committee import VoteSerializer


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "additionalProperties": True,
        "description": "The item's tally as it stood at the first signature of the minutes "
        "(the fields of ``/tally/``), or ``{state}`` when it was not voted on; null before.",
    }
)
class KeptOutcome(serializers.JSONField):
    pass


class AgendaItemSerializer(serializers.ModelSerializer):
    outcome = KeptOutcome(read_only=True, allow_null=True)
    reference = serializers.CharField(source="application.reference", read_only=True)
    title = serializers.CharField(source="application.title", read_only=True)
    state = serializers.CharField(source="application.state", read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["position", "application", "reference", "title", "state", "outcome"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    program = serializers.IntegerField(source="body.program_id", read_only=True)
    items = AgendaItemSerializer(many=True, read_only=True)
    present = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    invitations_delivered = serializers.PrimaryKeyRelatedField(
        many=True,
        read_only=True,
        help_text="The members whose invitation was delivered; the meeting has a quorum "
        "only when every member's was (§ 90 Abs. 1 S. 1 VwVfG).",
    )
    minutes_signed = serializers.BooleanField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "body",
            "program",
            "starts_at",
            "place",
            "notes",
            "items",
            "present",
            "attendance_recorded_at",
            "invited_at",
            "invitations_delivered",
            "resummons",
            "quorate_notice",
            "keeper",
            "keeper_signed_at",
            "chair_signer",
            "chair_signed_at",
            "minutes_signed",
        ]
        read_only_fields = fields


class MeetingInput(RejectUnknownFieldsMixin, serializers.Serializer):
    body = serializers.PrimaryKeyRelatedField(queryset=DecisionBody.objects.all())
    starts_at = serializers.DateTimeField()
    place = line_input(Limit.NAME)
    agenda = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Application.objects.select_related("call"),
        required=False,
        default=list,
        help_text="Application ids, in the order of the agenda.",
    )
    notes = prose_input(Limit.NOTES, required=False, allow_blank=True, default="")
    resummons = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The earlier meeting on the same items that had no quorum.",
    )
    quorate_notice = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Invite with the notice that the meeting is quorate regardless of "
        "attendance (§ 90 Abs. 2 VwVfG); only with ``resummons``.",
    )


class InvitationDeliveredInput(RejectUnknownFieldsMixin, serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    how = serializers.ChoiceField(choices=[("post", "post"), ("hand", "hand"), ("other", "other")])
    comment = prose_input(Limit.COMMENT, required=False, allow_blank=True, default="")


class MeetingChangeInput(RejectUnknownFieldsMixin, serializers.Serializer):
    starts_at = serializers.DateTimeField(required=False)
    place = line_input(Limit.NAME, required=False)
    agenda = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Application.objects.select_related("call"), required=False
    )
    notes = prose_input(Limit.NOTES, required=False, allow_blank=True)


class AttendanceInput(RejectUnknownFieldsMixin, serializers.Serializer):
    present = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.all())


class MeetingVoteInput(RejectUnknownFieldsMixin, serializers.Serializer):
    application = serializers.PrimaryKeyRelatedField(
        queryset=Application.objects.select_related("call")
    )
    member = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    choice = serializers.ChoiceField(choices=VoteChoice.choices)
    comment = prose_input(Limit.COMMENT, required=False, allow_blank=True, default="")


class SignInput(RejectUnknownFieldsMixin, serializers.Serializer):
    signature = serializers.ChoiceField(
        choices=["chair", "keeper"],
        required=False,
        help_text="Which signature: the chair's, or the keeper's (the office). "
        "Default: the chair's if the caller chairs the body.",
    )


class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Meetings (Sitzungen) of decision bodies: the office runs them, the body's members
    read them. ``?body=`` and ``?program=`` filter."""

    serializer_class = MeetingSerializer
    queryset = Meeting.objects.none()
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        meetings_ = meetings_visible_to(self.request.user).order_by("-starts_at", "-pk")
        for name, lookup in (("body", "body_id"), ("program", "body__program_id")):
            value = self.request.query_params.get(name)
            if value is not None:
                pk = parse_id(value)
                if pk is None:
                    return meetings_.none()
                meetings_ = meetings_.filter(**{lookup: pk})
        return meetings_

    def _answer(self, meeting: Meeting, answer: int = status.HTTP_200_OK) -> Response:
        fresh = meetings_visible_to(self.request.user).get(pk=meeting.pk)
        return Response(MeetingSerializer(fresh).data, status=answer)

    def _managed(self) -> Meeting:
        meeting = self.get_object()  # 404 when invisible
        require(self.request.user, "projects.manage_meetings", meeting)
        return meeting

    @extend_schema(request=MeetingInput, responses={201: MeetingSerializer})
    def create(self, request):
        body = MeetingInput(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = meetings.meeting_create(actor=request.user, **body.validated_data)
        return self._answer(meeting, status.HTTP_201_CREATED)

    @extend_schema(request=MeetingChangeInput, responses=MeetingSerializer)
    def partial_update(self, request, pk=None):
        meeting = self._managed()
        body = MeetingChangeInput(data=request.data)
        body.is_valid(raise_exception=True)
        meetings.meeting_update(meeting=meeting, actor=request.user, **body.validated_data)
        return self._answer(meeting)

    @extend_schema(request=AttendanceInput, responses=MeetingSerializer)
    @action(detail=True, methods=["put"])
    def attendance(self, request, pk=None):
        meeting = self._managed()
        body = AttendanceInput(data=request.data)
        body.is_valid(raise_exception=True)
        meetings.meeting_attendance(meeting=meeting, actor=request.user, **body.validated_data)
        return self._answer(meeting)

    @extend_schema(request=MeetingVoteInput, responses={200: VoteSerializer, 201: VoteSerializer})
    @action(detail=True, methods=["post"])
    def votes(self, request, pk=None):
        meeting = self._managed()
        body = MeetingVoteInput(data=request.data)
        body.is_valid(raise_exception=True)
        vote, created = meetings.meeting_vote_record(
            meeting=meeting, actor=request.user, **body.validated_data
        )
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(VoteSerializer(vote).data, status=answer)

    @extend_schema(request=None, responses={202: MeetingSerializer})
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        meeting = meetings.meeting_invite(meeting=self._managed(), actor=request.user)
        return self._answer(meeting, status.HTTP_202_ACCEPTED)

    @extend_schema(request=InvitationDeliveredInput, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="invitation-delivered")
    def invitation_delivered(self, request, pk=None):
        """The office records that a member got the invitation by other means (a letter,
        by hand): § 90 Abs. 1 S. 1 VwVfG needs every member invited."""
        meeting = self._managed()
        body = InvitationDeliveredInput(data=request.data)
        body.is_valid(raise_exception=True)
        meetings.meeting_invitation_record(
            meeting=meeting, actor=request.user, **body.validated_data
        )
        return self._answer(meeting)

    @extend_schema(request=SignInput, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        meeting = self.get_object()
        body = SignInput(data=request.data)
        body.is_valid(raise_exception=True)
        meetings.meeting_sign(meeting=meeting, actor=request.user, **body.validated_data)
        return self._answer(meeting)
