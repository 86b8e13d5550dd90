"""Transitions and history of an application over HTTP (thin views).

The transition endpoints read the declarations: the list shows each transition's label
and inputs, and the request body of ``POST …/transitions/{name}/`` is the serializer
built from that transition's declared inputs (one schema per transition in OpenAPI).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import TransitionSerializer, transition_input_serializer
from core.models import AuditEntry
from core.transitions import StateMachine, available_transitions
from projects.api import ApplicationSerializer
from projects.selectors import application_history, application_list, applications_visible_to
from workflows.services import APPLICATIONS


def input_serializer(machine: StateMachine, name: str) -> type[serializers.Serializer]:
    return transition_input_serializer(machine.namespace, name, machine.declaration(name))


def input_schema(machine: StateMachine) -> PolymorphicProxySerializer:
    """Every transition's request body, one of them per name (the path's ``name``)."""
    return PolymorphicProxySerializer(
        component_name=f"{machine.namespace.capitalize()}TransitionInput",
        serializers=[input_serializer(machine, name) for name in machine.names()],
        resource_type_field_name=None,
    )


class AuditEntrySerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.username", read_only=True, default=None)
    event = serializers.CharField(read_only=True, help_text="``namespace.action``")

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "action",
            "event",
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
        transitions = available_transitions(application, request.user)
        return Response(TransitionSerializer(transitions, many=True).data)


class ApplicationTransitionView(APIView):
    """Take one transition; answers with the application in its new state. The body is
    the transition's own input (see each ``Application…Input`` schema)."""

    @extend_schema(
        request=input_schema(APPLICATIONS),
        responses=ApplicationSerializer,
        parameters=[
            OpenApiParameter("name", str, OpenApiParameter.PATH, enum=APPLICATIONS.names())
        ],
    )
    def post(self, request, pk: int, name: str):
        application = _visible_application(request, pk)
        payload = input_serializer(APPLICATIONS, name)(data=request.data)
        payload.is_valid(raise_exception=True)
        APPLICATIONS.dispatch(
            obj=application, actor=request.user, name=name, inputs=payload.validated_data
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
        return application_history(application, self.request.user)
