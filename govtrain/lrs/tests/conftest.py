import base64
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient

from govtrain.accounts.models import User
from govtrain.lrs import services
from govtrain.lrs.models import Client


class Xapi:
    """An HTTP client of the LRS holding one set of credentials and a version header."""

    def __init__(self, http: HttpClient, client: Client, secret: str, version: str) -> None:
        self.http = http
        self.client = client
        token = base64.b64encode(f"{client.key}:{secret}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": version}

    def _h(self, headers: dict[str, str] | None) -> dict[str, str]:
        return {**self.headers, **(headers or {})}

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.http.get(path, params or {}, headers=self._h(headers))

    def post(
        self, path: str, body: Any, content_type: str = "application/json", **headers: str
    ) -> Any:
        return self.http.post(path, body, content_type=content_type, headers=self._h(headers))

    def put(
        self, path: str, body: Any, content_type: str = "application/json", **headers: str
    ) -> Any:
        return self.http.put(path, body, content_type=content_type, headers=self._h(headers))

    def delete(self, path: str, **headers: str) -> Any:
        return self.http.delete(path, headers=self._h(headers))


@pytest.fixture
def make_xapi(admin: User) -> Callable[..., Xapi]:
    def make(*scopes: str, version: str = "1.0.3", name: str = "Player") -> Xapi:
        client, secret = services.client_create(name=name, scopes=list(scopes), by=admin)
        return Xapi(HttpClient(), client, secret, version)

    return make


@pytest.fixture
def writer(make_xapi: Callable[..., Xapi]) -> Xapi:
    return make_xapi(Client.Scope.STATEMENTS_WRITE, Client.Scope.STATEMENTS_READ_MINE)


@pytest.fixture
def reader(make_xapi: Callable[..., Xapi]) -> Xapi:
    return make_xapi(Client.Scope.STATEMENTS_READ, name="Analytics")
