"""Package content is served only on the content origin, only with a valid token, and
never with the platform's session: its scripts cannot act as the signed-in learner."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from govtrain.people.models import Employee
from govtrain.scorm import samples
from govtrain.scorm.models import Package
from govtrain.scorm.origins import ContentGrant, token_make
from govtrain.scorm.player import allow_player, player_context
from govtrain.scorm.services import package_import
from govtrain.scorm.tests.zips import upload

pytestmark = pytest.mark.django_db

PLATFORM = "http://127.0.0.1:8000"
CONTENT = "http://localhost:8000"


@pytest.fixture
def package(coordinator: Employee) -> Package:
    return package_import(upload=upload(samples.build("1.2")), by=coordinator.user)


def grant_for(package: Package, *, content: str = CONTENT, platform: str = PLATFORM) -> str:
    sco = package.default_sco
    assert sco is not None
    return token_make(
        ContentGrant(
            package_id=package.pk,
            sco_id=sco.pk,
            attempt="7",
            platform_origin=platform,
            content_origin=content,
        )
    )


def file_url(token: str, path: str) -> str:
    return reverse("scorm:file", kwargs={"token": token, "path": path})


def test_the_lesson_page_on_127_0_0_1_gets_content_from_localhost(
    package: Package, learner_a: Employee
) -> None:
    request = RequestFactory().get("/lesson/", HTTP_HOST="127.0.0.1:8000")
    sco = package.default_sco
    assert sco is not None

    player = player_context(
        request=request,
        sco=sco,
        attempt="7",
        commit_url="/commit/",
        learner_id=learner_a.pen,
        learner_name="Asha",
    )

    assert player["content_origin"] == CONTENT
    assert player["platform_origin"] == PLATFORM
    assert player["launch_url"].startswith(CONTENT + "/scorm-content/")
    assert player["version"] == "1.2"
    assert player["initial"]["core"]["student_id"] == learner_a.pen
    assert player["unavailable"] == ""


def test_and_the_other_way_round_localhost_gets_content_from_127_0_0_1(package: Package) -> None:
    request = RequestFactory().get("/lesson/", HTTP_HOST="localhost:8123")
    sco = package.default_sco
    assert sco is not None

    player = player_context(
        request=request, sco=sco, attempt="1", commit_url="/c/", learner_id="1", learner_name="A"
    )

    assert player["content_origin"] == "http://127.0.0.1:8123"


def test_a_platform_name_without_a_content_twin_shows_why_it_cannot_play(
    package: Package, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["training.kerala.example"]
    request = RequestFactory().get("/lesson/", HTTP_HOST="training.kerala.example")
    sco = package.default_sco
    assert sco is not None

    player = player_context(
        request=request, sco=sco, attempt="1", commit_url="/c/", learner_id="1", learner_name="A"
    )

    assert "SCORM_CONTENT_ORIGIN" in player["unavailable"]
    assert player["launch_url"] == ""


def test_the_launch_page_holds_the_runtime_and_may_be_framed_only_by_the_platform(
    client: Client, package: Package
) -> None:
    token = grant_for(package)

    response = client.get(reverse("scorm:launch", args=[token]), HTTP_HOST="localhost:8000")

    assert response.status_code == 200
    body = response.content.decode()
    assert "vendor/scorm-again/scorm12.min.js" in body
    assert "scorm/launch.js" in body
    assert f"/scorm-content/{token}/f/sco/index.html?lang=en" in body
    assert f"frame-ancestors {PLATFORM}" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in response
    assert "X-Frame-Options" not in response


def test_package_files_are_served_with_their_type_nosniff_and_a_framing_policy(
    client: Client, package: Package
) -> None:
    token = grant_for(package)

    page = client.get(file_url(token, "sco/index.html"), HTTP_HOST="localhost:8000")
    script = client.get(file_url(token, "sco/sco.js"), HTTP_HOST="localhost:8000")
    style = client.get(file_url(token, "sco/sco.css"), HTTP_HOST="localhost:8000")

    assert page.status_code == 200
    assert page["Content-Type"] == "text/html; charset=utf-8"
    assert b"".join(page.streaming_content).startswith(b"<!doctype html>")  # type: ignore[attr-defined]  # FileResponse
    assert script["Content-Type"] == "text/javascript; charset=utf-8"
    assert style["Content-Type"] == "text/css; charset=utf-8"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert f"frame-ancestors 'self' {PLATFORM}" in page["Content-Security-Policy"]
    assert "Set-Cookie" not in page


def test_the_platform_host_refuses_content_urls(client: Client, package: Package) -> None:
    token = grant_for(package)

    launch = client.get(reverse("scorm:launch", args=[token]), HTTP_HOST="127.0.0.1:8000")
    page = client.get(file_url(token, "sco/index.html"), HTTP_HOST="127.0.0.1:8000")

    assert launch.status_code == 404
    assert page.status_code == 404


@pytest.mark.parametrize(
    "token",
    ["not-a-token", "e30:1tXyzA:forged"],
    ids=["garbage", "forged"],
)
def test_a_forged_token_opens_nothing(client: Client, package: Package, token: str) -> None:
    response = client.get(file_url(token, "sco/index.html"), HTTP_HOST="localhost:8000")

    assert response.status_code == 404


def test_an_altered_token_opens_nothing(client: Client, package: Package) -> None:
    token = grant_for(package)
    altered = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]

    response = client.get(file_url(altered, "sco/index.html"), HTTP_HOST="localhost:8000")

    assert response.status_code == 404


def test_an_expired_token_opens_nothing(client: Client, package: Package, settings: Any) -> None:
    token = grant_for(package)
    settings.SCORM_TOKEN_MAX_AGE = -1

    response = client.get(file_url(token, "sco/index.html"), HTTP_HOST="localhost:8000")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "sco/../../secret.txt",
        "../secret.txt",
        "../../secret.txt",
        "sco/../../../secret.txt",
        "sco/./index.html",
        "sco\\index.html",
        "missing.html",
    ],
)
def test_a_token_opens_only_its_own_package_files(
    client: Client, package: Package, path: str
) -> None:
    # Something to find where each traversal lands: beside the package's folder (in
    # scorm/) and above it (the storage's root). The files are there; the path is refused.
    default_storage.save("scorm/secret.txt", ContentFile(b"secret beside"))
    default_storage.save("secret.txt", ContentFile(b"secret above"))
    token = grant_for(package)

    response = client.get(file_url(token, path), HTTP_HOST="localhost:8000")

    assert response.status_code == 404


def test_a_token_for_one_package_does_not_open_another(
    client: Client, package: Package, coordinator: Employee
) -> None:
    other = package_import(upload=upload(samples.build("2004")), by=coordinator.user)
    token = grant_for(package)

    response = client.get(
        file_url(token, f"../{other.storage_prefix.split('/')[-1]}/imsmanifest.xml"),
        HTTP_HOST="localhost:8000",
    )

    assert response.status_code == 404


def test_a_signed_in_learner_sends_no_session_to_content_and_content_sets_none(
    client: Client, package: Package, learner_a: Employee
) -> None:
    assert learner_a.user is not None
    client.force_login(learner_a.user)
    token = grant_for(package)

    response = client.get(file_url(token, "sco/index.html"), HTTP_HOST="localhost:8000")

    assert response.status_code == 200
    assert "Set-Cookie" not in response
    assert "Cookie" not in response.get("Vary", "")


class TestAContentOriginOfItsOwn:
    """At scale: SCORM_CONTENT_ORIGIN names a host that serves nothing but content."""

    @pytest.fixture(autouse=True)
    def _configured(self, settings: Any) -> None:
        settings.SCORM_CONTENT_ORIGIN = "https://content.example.org"
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "content.example.org"]

    def test_content_is_served_on_the_content_host(self, client: Client, package: Package) -> None:
        token = grant_for(
            package, content="https://content.example.org", platform="https://testserver"
        )

        response = client.get(
            file_url(token, "sco/index.html"), HTTP_HOST="content.example.org", secure=True
        )

        assert response.status_code == 200

    def test_the_content_host_serves_no_platform_page(self, client: Client, admin: Any) -> None:
        client.force_login(admin)

        home = client.get("/", HTTP_HOST="content.example.org", secure=True)
        api = client.get("/api/v1/", HTTP_HOST="content.example.org", secure=True)
        static = client.get(
            "/static/govtrain/app.css", HTTP_HOST="content.example.org", secure=True
        )

        assert (home.status_code, api.status_code, static.status_code) == (404, 404, 404)

    @pytest.mark.parametrize(
        "host", ["content.example.org.", "CONTENT.example.org", "content.example.org:443"]
    )
    def test_the_content_host_by_another_spelling_serves_no_platform_page(
        self, client: Client, host: str
    ) -> None:
        response = client.get("/login/", HTTP_HOST=host, secure=True)

        assert response.status_code == 404

    def test_a_content_origin_configured_with_its_default_port_is_the_content_host(
        self, client: Client, package: Package, settings: Any
    ) -> None:
        settings.SCORM_CONTENT_ORIGIN = "https://content.example.org:443"
        request = RequestFactory().get("/lesson/", secure=True)
        sco = package.default_sco
        assert sco is not None
        player = player_context(
            request=request,
            sco=sco,
            attempt="1",
            commit_url="/c/",
            learner_id="1",
            learner_name="A",
        )
        token = player["launch_url"].split("/scorm-content/")[1].split("/")[0]

        login = client.get("/login/", HTTP_HOST="content.example.org", secure=True)
        content = client.get(
            file_url(token, "sco/index.html"), HTTP_HOST="content.example.org", secure=True
        )

        assert login.status_code == 404
        assert content.status_code == 200
        # As the browser names the origin in postMessage events.
        assert player["content_origin"] == "https://content.example.org"

    def test_the_content_host_serves_the_runtime(self, client: Client) -> None:
        response = client.get(
            "/static/vendor/scorm-again/scorm12.min.js",
            HTTP_HOST="content.example.org",
            secure=True,
        )

        assert response.status_code == 200

    def test_the_platform_host_refuses_content_urls(self, client: Client, package: Package) -> None:
        token = grant_for(
            package, content="https://content.example.org", platform="https://testserver"
        )

        response = client.get(file_url(token, "sco/index.html"), secure=True)

        assert response.status_code == 404

    def test_the_player_points_at_the_content_origin(self, package: Package) -> None:
        request = RequestFactory().get("/lesson/", secure=True)
        sco = package.default_sco
        assert sco is not None

        player = player_context(
            request=request,
            sco=sco,
            attempt="1",
            commit_url="/c/",
            learner_id="1",
            learner_name="A",
        )

        assert player["launch_url"].startswith("https://content.example.org/scorm-content/")


def test_the_lesson_page_may_frame_the_content_origin() -> None:
    response = HttpResponse()

    allow_player(response, {"content_origin": CONTENT})

    assert response._csp_update == {"frame-src": ["'self'", CONTENT]}  # type: ignore[attr-defined]  # django-csp reads it


def test_content_over_https_carries_hsts_when_the_platform_does(
    client: Client, package: Package, settings: Any
) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    token = grant_for(package, content="https://localhost:8000", platform="https://127.0.0.1:8000")

    response = client.get(
        file_url(token, "sco/index.html"), HTTP_HOST="localhost:8000", secure=True
    )

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000"
