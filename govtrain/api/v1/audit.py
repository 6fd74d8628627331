from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from govtrain.accounts.access import Perm
from govtrain.accounts.models import User
from govtrain.api.v1.permissions import caller, require
from govtrain.audit.models import AuditEvent
from govtrain.audit.selectors import audit_events_visible_to


class AuditEventSerializer(serializers.ModelSerializer):
    actor: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "action",
            "target_type",
            "target_id",
            "target_label",
            "before",
            "after",
            "reason",
        ]


class AuditEventFilter(filters.FilterSet):
    action = filters.CharFilter(lookup_expr="startswith")
    since = filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")

    class Meta:
        model = AuditEvent
        fields = ["action", "target_type", "target_id", "since"]


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail, newest first. Auditors and state administrators."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    permission_classes = [require(Perm.AUDIT_VIEW)]

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return audit_events_visible_to(user=caller(self.request))
