"""Transitions and history of an application over HTTP (thin views)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from grants.api import MONEY
from projects.api import ApplicationSerializer
from projects.selectors import application_list, applications_visible_to
from workflows import services
from workflows.models import AuditEntry


class TransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    needs = serializers.ListField(child=serializers.CharField())
    accepts = serializers.ListField(child=serializers.CharField())

    def to_representation(self, transition):
        return {
            "name": transition.name,
            "label": str(transition.custom.get("label", transition.name)),
            "needs": list(transition.custom.get("needs", [])),
            "accepts": list(transition.custom.get("accepts", [])),
        }


class TransitionInputSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    approved_amount = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    conditions = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class AuditEntrySerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.username", read_only=True, default=None)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "action",
            "source",
            "target",
            "actor",
            "actor_name",
            "comment",
            "data",
            "at",
        ]


def _visible_application(request, pk):
    return get_object_or_404(application_list(user=request.user), pk=pk)


class ApplicationTransitionListView(APIView):
    """The transitions the caller may take now."""

    @extend_schema(responses=TransitionSerializer(many=True))
    def get(self, request, pk: int):
        application = _visible_application(request, pk)
        transitions = services.available_transitions(application=application, user=request.user)
        return Response(TransitionSerializer(transitions, many=True).data)


class ApplicationTransitionView(APIView):
    """Take one transition; answers with the application in its new state."""

    @extend_schema(
        request=TransitionInputSerializer,
        responses=ApplicationSerializer,
        parameters=[
            OpenApiParameter("name", str, OpenApiParameter.PATH, enum=services.transition_names())
        ],
    )
    def post(self, request, pk: int, name: str):
        application = _visible_application(request, pk)
        payload = TransitionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.application_transition(
            application=application, actor=request.user, name=name, payload=payload.validated_data
        )
        fresh = _visible_application(request, pk)
        return Response(ApplicationSerializer(fresh, context={"request": request}).data)


class ApplicationHistoryView(ListAPIView):
    """The audit trail of one application, oldest first."""

    serializer_class = AuditEntrySerializer
    pagination_class = None
    queryset = AuditEntry.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        application = get_object_or_404(
            applications_visible_to(self.request.user), pk=self.kwargs["pk"]
        )
        return AuditEntry.objects.filter(application=application).select_related("actor")
