"""Transitions and history of an application over HTTP (thin views).

The transition endpoints read the declarations: the list shows each transition's label
and inputs, and ``POST …/transitions/{name}/`` is one path per transition, whose request
body is the serializer built from that transition's declared inputs (decision 016): a
generated client has one function per transition, typed by its input.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.utils import translation
from drf_spectacular.utils import extend_schema
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


def english(label) -> str:
    with translation.override("en"):
        return str(label)


class TransitionEndpoint(APIView):
    """``POST …/transitions/{name}/`` of one state machine. ``paths`` makes one view and
    one path per transition, each with its own input in OpenAPI; ``take`` is the same for
    all of them: find the object, check the body (an input the transition does not take
    is a 400 naming it), take the transition, answer with the object in its new state."""

    machine: ClassVar[StateMachine]
    answer: ClassVar[type[serializers.Serializer]]
    transition: ClassVar[str]

    def find(self, request, pk: int) -> models.Model:
        raise NotImplementedError

    def run(self, request, obj: models.Model, inputs: dict[str, Any]) -> None:
        self.machine.dispatch(obj=obj, actor=request.user, name=self.transition, inputs=inputs)

    def take(self, request, pk: int) -> Response:
        obj = self.find(request, pk)
        body = input_serializer(self.machine, self.transition)(data=request.data)
        body.is_valid(raise_exception=True)
        self.run(request, obj, body.validated_data)
        fresh = self.find(request, pk)
        return Response(self.answer(fresh, context={"request": request}).data)

    @classmethod
    def paths(cls, route: str, url_name: str) -> list[URLPattern]:
        """``route`` ends with ``transitions/``; the paths are named ``url_name-<name>``."""
        patterns = []
        for name in cls.machine.names():
            declaration = cls.machine.declaration(name)

            def post(self, request, pk: int) -> Response:
                return self.take(request, pk)

            post.__doc__ = cls.__doc__
            view = type(
                f"{cls.__name__}_{name}",
                (cls,),
                {
                    "transition": name,
                    "post": extend_schema(
                        operation_id=f"{cls.machine.namespace}_{name}",
                        summary=english(declaration.label),
                        request=input_serializer(cls.machine, name),
                        responses=cls.answer,
                    )(post),
                },
            )
            patterns.append(path(f"{route}{name}/", view.as_view(), name=f"{url_name}-{name}"))
        return patterns


class AuditEntrySerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(
        source="actor.username",
        read_only=True,
        default=None,
        allow_null=True,
        help_text="null for what the system did itself (a virus scan's verdict, a sweep).",
    )
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


class ApplicationTransitionView(TransitionEndpoint):
    """Take this transition; answers with the application in its new state. An input the
    transition does not take is refused (400 naming it)."""

    machine = APPLICATIONS
    answer = ApplicationSerializer

    def find(self, request, pk: int) -> models.Model:
        return _visible_application(request, pk)


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
