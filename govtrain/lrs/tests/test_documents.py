import json
from collections.abc import Callable

import pytest

from govtrain.lrs.models import Client, Document
from govtrain.lrs.tests.conftest import Xapi

ACTIVITY = "https://example.org/courses/rti"
AGENT = json.dumps({"mbox": "mailto:asha@example.org"})
STATE = "/xapi/activities/state"


@pytest.fixture
def player(make_xapi: Callable[..., Xapi]) -> Xapi:
    return make_xapi(Client.Scope.STATE, Client.Scope.DEFINE)


def state_url(state_id: str | None = "bookmark", **extra: str) -> str:
    from urllib.parse import urlencode

    params = {"activityId": ACTIVITY, "agent": AGENT, **extra}
    if state_id is not None:
        params["stateId"] = state_id
    return f"{STATE}?{urlencode(params)}"


def test_a_player_saves_and_reads_state_with_an_etag(player: Xapi) -> None:
    put = player.put(state_url(), b"page 7", content_type="text/plain")

    got = player.get(state_url())

    assert put.status_code == 204
    assert got.status_code == 200
    assert got.content == b"page 7"
    assert got["Content-Type"] == "text/plain"
    assert got["ETag"] == put["ETag"]


def test_post_merges_json_state_at_the_top_level(player: Xapi) -> None:
    player.post(state_url(), {"a": 1, "b": {"x": 1}})

    player.post(state_url(), {"b": {"y": 2}, "c": 3})

    assert json.loads(player.get(state_url()).content) == {"a": 1, "b": {"y": 2}, "c": 3}


def test_post_of_non_json_onto_json_is_refused(player: Xapi) -> None:
    player.post(state_url(), {"a": 1})

    response = player.post(state_url(), b"plain", content_type="text/plain")

    assert response.status_code == 400
    assert json.loads(player.get(state_url()).content) == {"a": 1}


def test_state_ids_are_listed_and_deleted_per_registration(player: Xapi) -> None:
    registration = "8f8a8c4e-1c8a-4c4e-9c1c-3a3c1b1a1f1e"
    player.put(state_url("one"), {"x": 1})
    player.put(state_url("two"), {"x": 2})
    player.put(state_url("three", registration=registration), {"x": 3})

    assert player.get(state_url(None)).json() == ["one", "two"]
    assert player.delete(state_url(None)).status_code == 204
    assert player.get(state_url(None)).json() == []
    assert player.get(state_url(None, registration=registration)).json() == ["three"]


def test_state_needs_a_valid_agent_and_activity(player: Xapi) -> None:
    assert player.get(f"{STATE}?activityId={ACTIVITY}").status_code == 400
    assert player.get(f"{STATE}?activityId=nope&agent={AGENT}").status_code == 400
    assert player.get(state_url(registration="nope")).status_code == 400


def test_a_missing_document_is_404(player: Xapi) -> None:
    assert player.get(state_url("none")).status_code == 404


def profile_url(profile_id: str | None = "settings") -> str:
    from urllib.parse import urlencode

    params = {"activityId": ACTIVITY}
    if profile_id is not None:
        params["profileId"] = profile_id
    return f"/xapi/activities/profile?{urlencode(params)}"


def test_profile_writes_follow_the_etag_preconditions(player: Xapi) -> None:
    created = player.put(profile_url(), {"v": 1}, **{"If-None-Match": "*"})
    etag = created["ETag"]

    overwrite_blind = player.put(profile_url(), {"v": 2})
    create_again = player.put(profile_url(), {"v": 2}, **{"If-None-Match": "*"})
    stale = player.put(profile_url(), {"v": 2}, **{"If-Match": '"0000"'})
    fresh = player.put(profile_url(), {"v": 2}, **{"If-Match": etag})

    assert created.status_code == 204
    assert overwrite_blind.status_code == 409
    assert create_again.status_code == 412
    assert stale.status_code == 412
    assert fresh.status_code == 204
    assert json.loads(player.get(profile_url()).content) == {"v": 2}


def test_state_put_under_1_0_3_overwrites_without_preconditions(player: Xapi) -> None:
    player.put(state_url(), {"v": 1})

    assert player.put(state_url(), {"v": 2}).status_code == 204


def test_state_put_under_2_0_needs_a_precondition_to_overwrite(
    make_xapi: Callable[..., Xapi],
) -> None:
    player = make_xapi(Client.Scope.STATE, version="2.0.0")
    player.put(state_url(), {"v": 1})

    assert player.put(state_url(), {"v": 2}).status_code == 409


def test_agent_profile_round_trip_and_delete_with_if_match(player: Xapi) -> None:
    url = f"/xapi/agents/profile?agent={AGENT}&profileId=prefs"
    etag = player.put(url, {"lang": "ml"}, **{"If-None-Match": "*"})["ETag"]

    assert player.delete(url, **{"If-Match": '"stale"'}).status_code == 412
    assert player.delete(url, **{"If-Match": etag}).status_code == 204
    assert not Document.objects.exists()


def test_activities_and_agents_resources(player: Xapi, make_xapi: Callable[..., Xapi]) -> None:
    writer = make_xapi(Client.Scope.STATEMENTS_WRITE)
    writer.post(
        "/xapi/statements",
        {
            "actor": {"mbox": "mailto:asha@example.org"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/launched"},
            "object": {"id": ACTIVITY, "definition": {"name": {"en": "RTI"}}},
        },
    )

    activity = player.get("/xapi/activities", {"activityId": ACTIVITY}).json()
    person = player.get("/xapi/agents", {"agent": AGENT}).json()

    assert activity["definition"] == {"name": {"en": "RTI"}}
    assert person == {"objectType": "Person", "mbox": ["mailto:asha@example.org"]}
