"""API v1 routes of govtrain.lrs: the xAPI clients' credentials (state administrators).

The xAPI resources themselves are at /xapi/ (govtrain/lrs/xapi.py), not here.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from govtrain.accounts.access import Perm
from govtrain.api.v1.permissions import caller, require
from govtrain.lrs import selectors, services
from govtrain.lrs.models import Client


class ClientSerializer(serializers.ModelSerializer[Client]):
    class Meta:
        model = Client
        fields = ["key", "name", "scopes", "created_at", "revoked_at"]


class ClientCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=Client.Scope.choices))


class IssuedSerializer(ClientSerializer):
    secret = serializers.CharField(help_text="Shown once; only its hash is stored.")

    class Meta(ClientSerializer.Meta):
        fields = [*ClientSerializer.Meta.fields, "secret"]


@extend_schema(methods=["GET"], responses=ClientSerializer(many=True), summary="List xAPI clients")
@extend_schema(
    methods=["POST"],
    request=ClientCreateSerializer,
    responses={201: IssuedSerializer},
    summary="Issue credentials to an xAPI client",
)
@api_view(["GET", "POST"])
@permission_classes([require(Perm.LRS_MANAGE)])
def clients(request: Request) -> Response:
    if request.method == "GET":
        return Response(ClientSerializer(selectors.clients_all(), many=True).data)
    form = ClientCreateSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    try:
        client, secret = services.client_create(
            name=form.validated_data["name"],
            scopes=form.validated_data["scopes"],
            by=caller(request),
        )
    except DjangoValidationError as error:
        raise ValidationError(error.messages) from None
    data = {**ClientSerializer(client).data, "secret": secret}
    return Response(data, status=status.HTTP_201_CREATED)


@extend_schema(request=None, responses=ClientSerializer, summary="Revoke an xAPI client")
@api_view(["POST"])
@permission_classes([require(Perm.LRS_MANAGE)])
def client_revoke(request: Request, key: str) -> Response:
    client = get_object_or_404(Client, key=key)
    client = services.client_revoke(client=client, by=caller(request))
    return Response(ClientSerializer(client).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("lrs/clients/", clients, name="lrs-clients"),
    path("lrs/clients/<str:key>/revoke/", client_revoke, name="lrs-client-revoke"),
]
