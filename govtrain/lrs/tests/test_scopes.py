import base64
from collections.abc import Callable

from django.test import Client as HttpClient

from govtrain.accounts.models import User
from govtrain.lrs import services
from govtrain.lrs.models import Client, Statement
from govtrain.lrs.tests.conftest import Xapi
from govtrain.lrs.tests.test_statements import URL, make_statement


def test_read_mine_sees_only_the_clients_own_statements(
    make_xapi: Callable[..., Xapi], writer: Xapi
) -> None:
    other = make_xapi(
        Client.Scope.STATEMENTS_WRITE, Client.Scope.STATEMENTS_READ_MINE, name="Other"
    )
    [mine] = writer.post(URL, make_statement()).json()
    [theirs] = other.post(URL, make_statement()).json()

    listed = [s["id"] for s in writer.get(URL).json()["statements"]]

    assert listed == [mine]
    assert writer.get(URL, {"statementId": theirs}).status_code == 404


def test_a_more_link_of_one_client_does_not_widen_another_clients_reading(
    make_xapi: Callable[..., Xapi], writer: Xapi, reader: Xapi
) -> None:
    writer.post(URL, [make_statement() for _ in range(3)])
    more = reader.get(URL, {"limit": 1}).json()["more"]

    assert writer.get(more).status_code == 400


def test_a_write_only_client_cannot_read(make_xapi: Callable[..., Xapi]) -> None:
    write_only = make_xapi(Client.Scope.STATEMENTS_WRITE)

    assert write_only.get(URL).status_code == 403


def test_a_read_only_client_cannot_write(reader: Xapi) -> None:
    assert reader.post(URL, make_statement()).status_code == 403
    assert not Statement.objects.exists()


def test_a_state_client_cannot_touch_statements_or_profiles(make_xapi: Callable[..., Xapi]) -> None:
    state_only = make_xapi(Client.Scope.STATE)

    assert state_only.get(URL).status_code == 403
    response = state_only.get("/xapi/activities/profile", {"activityId": "https://e.org/a"})
    assert response.status_code == 403


def test_all_reads_and_writes_everything(make_xapi: Callable[..., Xapi], writer: Xapi) -> None:
    everything = make_xapi(Client.Scope.ALL)
    [theirs] = writer.post(URL, make_statement()).json()

    assert everything.get(URL, {"statementId": theirs}).status_code == 200
    assert everything.post(URL, make_statement()).status_code == 200


def test_wrong_or_revoked_credentials_get_401(admin: User, writer: Xapi) -> None:
    wrong = HttpClient()
    token = base64.b64encode(f"{writer.client.key}:wrong".encode()).decode()
    headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}
    assert wrong.get(URL, headers=headers).status_code == 401

    services.client_revoke(client=writer.client, by=admin)

    assert writer.get(URL).status_code == 401
    assert writer.post(URL, make_statement()).status_code == 401


def test_repeated_failed_logins_are_throttled_even_with_right_credentials(writer: Xapi) -> None:
    bad = {
        "Authorization": "Basic " + base64.b64encode(b"nobody:nothing").decode(),
        "X-Experience-API-Version": "1.0.3",
    }
    statuses = [HttpClient().get(URL, headers=bad).status_code for _ in range(11)]

    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    assert writer.get(URL).status_code == 429


def test_about_needs_no_credentials_and_lists_both_versions() -> None:
    response = HttpClient().get("/xapi/about")

    assert response.status_code == 200
    assert response.json()["version"] == ["1.0.3", "2.0.0"]
