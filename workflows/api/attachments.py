"""Attachments over HTTP (thin views): upload as ``multipart/form-data``, the list with
what the call still needs, the file itself (downloaded, never shown inline), deletion."""

from __future__ import annotations

import rules
from django.http import FileResponse, Http404
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core import uploads
from core.text import Limit, prose_input
from grants.models import AnnexType
from projects.models import Attachment, Owner
from workflows import attachments
from workflows.api.committee import ApplicationChildMixin


class AttachmentSerializer(serializers.ModelSerializer):
    kind = serializers.IntegerField(source="annex_type_id", allow_null=True)
    kind_name = serializers.SerializerMethodField()
    uploaded_by = serializers.SerializerMethodField()
    downloadable = serializers.SerializerMethodField(
        help_text="Whether the caller may download it now (clean, or their own upload)."
    )

    class Meta:
        model = Attachment
        fields = [
            "id",
            "application",
            "owner",
            "owner_id",
            "kind",
            "kind_name",
            "description",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "scan_state",
            "scan_verdict",
            "scanned_at",
            "downloadable",
        ]
        read_only_fields = fields

    def get_kind_name(self, attachment) -> str:
        return attachment.annex_type.name if attachment.annex_type else "other"

    def get_uploaded_by(self, attachment) -> str:
        user = attachment.uploaded_by
        return user.get_full_name() or user.username

    def get_downloadable(self, attachment) -> bool:
        request = self.context.get("request")
        return bool(
            request
            and attachment.file
            and rules.has_perm("projects.download_attachment", request.user, attachment)
        )


class UploadInput(serializers.Serializer):
    file = serializers.FileField(help_text="The file; its type is read from its bytes.")
    kind = serializers.CharField(
        required=False,
        default="other",
        help_text="The id of one of the call's annex types, or ``other``.",
    )
    owner = serializers.ChoiceField(choices=Owner.choices, required=False, default="application")
    owner_id = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=2**63 - 1
    )
    description = prose_input(Limit.NOTE, required=False, allow_blank=True, default="")

    def validate_kind(self, value: str):
        if value in ("", "other"):
            return None
        if not value.isascii() or not value.isdigit() or len(value) > 18:
            raise serializers.ValidationError("An annex type's id, or other.")
        annex = AnnexType.objects.filter(pk=int(value)).first()
        if annex is None:
            raise serializers.ValidationError("Not an annex type of this application's call.")
        return annex


class MissingAnnexSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    state = serializers.CharField(help_text="missing, pending or infected")


class AttachmentListSerializer(serializers.Serializer):
    attachments = AttachmentSerializer(many=True)
    missing_annexes = MissingAnnexSerializer(
        many=True, help_text="The call's required annexes not yet attached and scanned clean."
    )


class ApplicationAttachmentsView(ApplicationChildMixin, APIView):
    """``GET``: the attachments the caller may see, and the required annexes still
    missing. ``POST`` (``multipart/form-data``: ``file``, ``kind``, ``owner``,
    ``owner_id``, ``description``): 201 with the new attachment, pending until the
    virus scan; the same content again for the same owner answers 200 with the one on
    file."""

    parser_classes = [MultiPartParser]
    parent_permissions = {"POST": "projects.view_application"}

    @extend_schema(responses=AttachmentListSerializer)
    def get(self, request, pk: int):
        application = self.get_parent()
        visible = attachments.visible_of(application, request.user)
        context = {"request": request}
        return Response(
            {
                "attachments": AttachmentSerializer(visible, many=True, context=context).data,
                "missing_annexes": attachments.missing_annexes(application),
            }
        )

    @extend_schema(
        request={"multipart/form-data": UploadInput},
        responses={200: AttachmentSerializer, 201: AttachmentSerializer},
    )
    def post(self, request, pk: int):
        application = self.get_parent()
        body = UploadInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        attachment, created = attachments.attachment_upload(
            application=application,
            actor=request.user,
            upload=data["file"],
            owner=data["owner"],
            owner_id=data["owner_id"],
            annex_type=data["kind"],
            description=data["description"],
        )
        answer = AttachmentSerializer(attachment, context={"request": request}).data
        return Response(answer, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class AttachmentView(APIView):
    """``GET`` one attachment's record; ``DELETE`` it (a sponsor while the application
    is a draft; the office its own files)."""

    @extend_schema(responses=AttachmentSerializer)
    def get(self, request, pk: int):
        attachment = attachments.get_visible(request.user, pk)
        return Response(AttachmentSerializer(attachment, context={"request": request}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        attachments.attachment_delete(
            attachment=attachments.get_visible(request.user, pk), actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttachmentFileView(APIView):
    """The file, as a download: the stored (detected) content type,
    ``Content-Disposition: attachment``, ``X-Content-Type-Options: nosniff``,
    ``Cache-Control: private``. Only once scanned clean, except for its uploader."""

    @extend_schema(responses={(200, kind): OpenApiTypes.BINARY for kind in uploads.ALLOWED})
    def get(self, request, pk: int):
        attachment = attachments.get_visible(request.user, pk)
        if not rules.has_perm("projects.download_attachment", request.user, attachment):
            raise Http404
        if not attachment.file:
            raise Http404
        response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
        response["Content-Disposition"] = content_disposition_header(True, attachment.original_name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-cache"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
