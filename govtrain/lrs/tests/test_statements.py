import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from govtrain.lrs.models import Client, Statement, StatementLink
from govtrain.lrs.tests.conftest import Xapi

URL = "/xapi/statements"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ACTIVITY = "https://example.org/courses/rti"


def make_statement(**overrides: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "actor": {"objectType": "Agent", "name": "Asha", "mbox": "mailto:asha@example.org"},
        "verb": {"id": COMPLETED, "display": {"en-US": "completed", "ml": "പൂർത്തിയാക്കി"}},
        "object": {
            "objectType": "Activity",
            "id": ACTIVITY,
            "definition": {"name": {"en": "RTI"}},
        },
    }
    statement.update(overrides)
    return statement


def test_a_client_posts_a_statement_and_reads_it_back_with_lrs_properties(writer: Xapi) -> None:
    response = writer.post(URL, make_statement())

    assert response.status_code == 200
    assert response["X-Experience-API-Version"] == "1.0.3"
    [statement_id] = response.json()
    got = writer.get(URL, {"statementId": statement_id})
    assert got.status_code == 200
    body = got.json()
    assert body["id"] == statement_id
    assert body["version"] == "1.0.0"
    assert body["authority"]["account"]["name"] == writer.client.key
    assert body["stored"].endswith("Z")
    assert body["timestamp"] == body["stored"]
    assert got["Last-Modified"]
    assert got["X-Experience-API-Consistent-Through"]


def test_a_batch_is_stored_whole_and_returns_ids_in_order(writer: Xapi) -> None:
    ids = [str(uuid.uuid4()) for _ in range(3)]

    response = writer.post(URL, [make_statement(id=i) for i in ids])

    assert response.status_code == 200
    assert response.json() == ids
    assert Statement.objects.count() == 3


def test_one_bad_statement_refuses_the_whole_batch(writer: Xapi) -> None:
    bad = make_statement(verb={"id": "not an iri"})

    response = writer.post(URL, [make_statement(), bad])

    assert response.status_code == 400
    assert "statements[1].verb.id" in response.json()["error"]
    assert Statement.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"actor": {"mbox": "asha@example.org"}}, "mailto:"),
        ({"actor": {"mbox": "mailto:a@b.org", "openid": "https://a.org/"}}, "exactly one"),
        ({"actor": {"name": "nobody"}}, "exactly one"),
        ({"actor": {"mbox_sha1sum": "xyz"}}, "40 hexadecimal"),
        ({"id": "not-a-uuid"}, "UUID"),
        ({"timestamp": "yesterday"}, "ISO 8601"),
        ({"timestamp": "2026-01-01T10:00:00-00:00"}, "-00:00"),
        ({"result": {"duration": "10 minutes"}}, "duration"),
        ({"result": {"score": {"scaled": 1.5}}}, "between -1 and 1"),
        ({"result": {"score": {"raw": 120, "min": 0, "max": 100}}}, "above max"),
        ({"result": {"score": {"min": 10, "max": 5}}}, "min must be less"),
        ({"result": {"success": "yes"}}, "true or false"),
        ({"context": {"registration": "abc"}}, "UUID"),
        (
            {
                "object": {"objectType": "Agent", "mbox": "mailto:x@y.org"},
                "context": {"platform": "x"},
            },
            "only allowed",
        ),
        ({"verb": {"id": COMPLETED, "display": {"not a tag!": "x"}}}, "language tag"),
        ({"colour": "blue"}, "unknown properties"),
        ({"version": "0.95"}, "version"),
        (
            {
                "object": {
                    "objectType": "SubStatement",
                    "actor": {"mbox": "mailto:a@b.org"},
                    "verb": {"id": COMPLETED},
                    "object": {"objectType": "SubStatement"},
                }
            },
            "another SubStatement",
        ),
    ],
)
def test_invalid_statements_get_a_400_naming_the_problem(
    writer: Xapi, change: dict[str, Any], message: str
) -> None:
    response = writer.post(URL, make_statement(**change))

    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Statement.objects.exists()


def test_the_xapi_2_timestamp_needs_an_offset_but_1_0_3_does_not(
    make_xapi: Callable[..., Xapi],
) -> None:
    v1 = make_xapi(Client.Scope.STATEMENTS_WRITE, version="1.0.3")
    v2 = make_xapi(Client.Scope.STATEMENTS_WRITE, version="2.0.0")
    naive = make_statement(timestamp="2026-01-01T10:00:00")

    assert v1.post(URL, naive).status_code == 200
    response = v2.post(URL, naive)
    assert response.status_code == 400
    assert response["X-Experience-API-Version"] == "2.0.0"


def test_a_statement_posted_under_2_0_records_version_2(make_xapi: Callable[..., Xapi]) -> None:
    v2 = make_xapi(Client.Scope.STATEMENTS_WRITE, Client.Scope.STATEMENTS_READ_MINE, version="2.0")

    [statement_id] = v2.post(URL, make_statement()).json()

    assert v2.get(URL, {"statementId": statement_id}).json()["version"] == "2.0.0"


@pytest.mark.parametrize("header", [None, "0.9", "3.0.0", "1.1.0"])
def test_a_missing_or_unknown_version_header_is_refused(writer: Xapi, header: str | None) -> None:
    headers = dict(writer.headers)
    del headers["X-Experience-API-Version"]
    if header is not None:
        headers["X-Experience-API-Version"] = header

    response = writer.http.post(
        URL, make_statement(), content_type="application/json", headers=headers
    )

    assert response.status_code == 400
    assert not Statement.objects.exists()


def test_an_authority_sent_by_a_client_is_replaced_by_the_client_itself(writer: Xapi) -> None:
    forged = {"objectType": "Agent", "mbox": "mailto:director@example.org"}

    [statement_id] = writer.post(URL, make_statement(authority=forged)).json()

    stored = json.loads(Statement.objects.get().body)
    assert stored["id"] == statement_id
    assert stored["authority"]["account"]["name"] == writer.client.key


def test_put_stores_under_the_given_id_and_repeating_it_is_a_no_op(writer: Xapi) -> None:
    statement_id = str(uuid.uuid4())

    first = writer.put(f"{URL}?statementId={statement_id}", make_statement())
    again = writer.put(f"{URL}?statementId={statement_id}", make_statement())

    assert first.status_code == 204
    assert again.status_code == 204
    assert Statement.objects.get().statement_id == uuid.UUID(statement_id)


def test_a_different_statement_under_an_existing_id_is_a_conflict(writer: Xapi) -> None:
    statement_id = str(uuid.uuid4())
    writer.put(f"{URL}?statementId={statement_id}", make_statement())

    put = writer.put(
        f"{URL}?statementId={statement_id}", make_statement(result={"completion": True})
    )
    post = writer.post(URL, make_statement(id=statement_id, result={"completion": True}))

    assert put.status_code == 409
    assert post.status_code == 409
    assert json.loads(Statement.objects.get().body).get("result") is None


def test_posting_an_identical_statement_again_stores_nothing_new(writer: Xapi) -> None:
    statement = make_statement(id=str(uuid.uuid4()))
    writer.post(URL, statement)

    response = writer.post(URL, statement)

    assert response.status_code == 200
    assert Statement.objects.count() == 1


def test_put_without_id_or_with_a_different_id_is_refused(writer: Xapi) -> None:
    assert writer.put(URL, make_statement()).status_code == 400
    other = make_statement(id=str(uuid.uuid4()))
    assert writer.put(f"{URL}?statementId={uuid.uuid4()}", other).status_code == 400


def test_a_batch_repeating_an_id_is_refused(writer: Xapi) -> None:
    statement_id = str(uuid.uuid4())

    response = writer.post(URL, [make_statement(id=statement_id), make_statement(id=statement_id)])

    assert response.status_code == 400
    assert "twice" in response.json()["error"]


def test_voiding_hides_the_target_from_queries_but_not_from_voided_statement_id(
    writer: Xapi,
) -> None:
    [target] = writer.post(URL, make_statement()).json()
    voiding = make_statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": target},
    )

    [voiding_id] = writer.post(URL, voiding).json()

    assert writer.get(URL, {"statementId": target}).status_code == 404
    assert writer.get(URL, {"voidedStatementId": target}).json()["id"] == target
    assert writer.get(URL, {"voidedStatementId": voiding_id}).status_code == 404
    listed = [s["id"] for s in writer.get(URL).json()["statements"]]
    assert listed == [voiding_id]


def test_a_voiding_statement_cannot_be_voided(writer: Xapi) -> None:
    [target] = writer.post(URL, make_statement()).json()
    void = {"id": "http://adlnet.gov/expapi/verbs/voided"}
    [voiding] = writer.post(
        URL, make_statement(verb=void, object={"objectType": "StatementRef", "id": target})
    ).json()

    response = writer.post(
        URL, make_statement(verb=void, object={"objectType": "StatementRef", "id": voiding})
    )

    assert response.status_code == 400


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [s["id"] for s in response.json()["statements"]]


def test_filters_by_agent_verb_activity_and_registration(writer: Xapi, reader: Xapi) -> None:
    registration = str(uuid.uuid4())
    ravi = {"mbox": "mailto:ravi@example.org"}
    [a] = writer.post(URL, make_statement()).json()
    [b] = writer.post(
        URL, make_statement(actor=ravi, context={"registration": registration})
    ).json()
    [c] = writer.post(
        URL,
        make_statement(
            actor=ravi,
            verb={"id": "http://adlnet.gov/expapi/verbs/passed"},
            object={"id": "https://example.org/quiz"},
        ),
    ).json()

    assert _ids(reader.get(URL, {"agent": json.dumps(ravi)})) == [c, b]
    assert _ids(reader.get(URL, {"verb": COMPLETED})) == [b, a]
    assert _ids(reader.get(URL, {"activity": ACTIVITY})) == [b, a]
    assert _ids(reader.get(URL, {"registration": registration})) == [b]
    assert _ids(reader.get(URL, {"agent": json.dumps(ravi), "verb": COMPLETED})) == [b]
    assert _ids(reader.get(URL, {"ascending": "true"})) == [a, b, c]


def test_related_filters_reach_context_activities_and_instructors(
    writer: Xapi, reader: Xapi
) -> None:
    course = "https://example.org/courses/parent"
    teacher = {"mbox": "mailto:teacher@example.org"}
    [a] = writer.post(
        URL,
        make_statement(
            context={"contextActivities": {"parent": {"id": course}}, "instructor": teacher}
        ),
    ).json()
    writer.post(URL, make_statement())

    assert _ids(reader.get(URL, {"activity": course})) == []
    assert _ids(reader.get(URL, {"activity": course, "related_activities": "true"})) == [a]
    assert _ids(reader.get(URL, {"agent": json.dumps(teacher)})) == []
    assert _ids(reader.get(URL, {"agent": json.dumps(teacher), "related_agents": "true"})) == [a]
    stored = json.loads(Statement.objects.get(statement_id=a).body)
    assert stored["context"]["contextActivities"]["parent"] == [{"id": course}]
    assert StatementLink.objects.filter(statement__statement_id=a).exists()


def test_related_filters_merge_objects_and_mentions_newest_first_across_pages(
    writer: Xapi, reader: Xapi
) -> None:
    course = "https://example.org/courses/parent"
    asha = {"objectType": "Agent", "mbox": "mailto:asha@example.org"}
    in_context = {"contextActivities": {"parent": [{"id": course}]}}
    ids = [
        writer.post(URL, make_statement(object={"id": course})).json()[0],
        writer.post(URL, make_statement(context=in_context)).json()[0],
        writer.post(URL, make_statement(object={"id": course}, context=in_context)).json()[0],
        # Asha as actor and object at once: found once, not twice.
        writer.post(URL, make_statement(actor=asha, object=asha)).json()[0],
    ]
    params = {"activity": course, "related_activities": "true", "limit": 2}

    first = reader.get(URL, params).json()
    second = reader.get(first["more"]).json()

    assert [s["id"] for s in first["statements"]] == [ids[2], ids[1]]
    assert [s["id"] for s in second["statements"]] == [ids[0]]
    assert second["more"] == ""
    found = _ids(reader.get(URL, {"agent": json.dumps(asha), "related_agents": "true"}))
    assert found == list(reversed(ids))
    assert _ids(reader.get(URL, {"agent": json.dumps(asha), "activity": course})) == [
        ids[2],
        ids[0],
    ]


def test_since_and_until_bound_the_stored_time(writer: Xapi, reader: Xapi) -> None:
    [a] = writer.post(URL, make_statement()).json()
    stored_a = reader.get(URL, {"statementId": a}).json()["stored"]
    [b] = writer.post(URL, make_statement()).json()

    assert _ids(reader.get(URL, {"since": stored_a})) == [b]
    assert _ids(reader.get(URL, {"until": stored_a})) == [a]


def test_more_links_page_through_everything_once(writer: Xapi, reader: Xapi) -> None:
    ids = writer.post(URL, [make_statement() for _ in range(5)]).json()

    seen: list[str] = []
    page = reader.get(URL, {"limit": 2}).json()
    while True:
        seen += [s["id"] for s in page["statements"]]
        if not page["more"]:
            break
        page = reader.get(page["more"]).json()

    assert sorted(seen) == sorted(ids)
    assert len(seen) == 5


def test_a_tampered_more_link_is_refused(writer: Xapi, reader: Xapi) -> None:
    writer.post(URL, [make_statement() for _ in range(3)])
    more = reader.get(URL, {"limit": 1}).json()["more"]

    response = reader.get(more[:-3] + "abc")

    assert response.status_code == 400


def test_format_ids_and_canonical(writer: Xapi, reader: Xapi) -> None:
    [a] = writer.post(URL, make_statement()).json()

    ids = reader.get(URL, {"statementId": a, "format": "ids"}).json()
    canonical = reader.get(
        URL, {"statementId": a, "format": "canonical"}, **{"Accept-Language": "ml"}
    ).json()

    assert ids["verb"] == {"id": COMPLETED}
    assert ids["object"] == {"objectType": "Activity", "id": ACTIVITY}
    assert "name" not in ids["actor"]
    assert canonical["verb"]["display"] == {"ml": "പൂർത്തിയാക്കി"}


def test_statement_id_takes_no_other_filter(writer: Xapi, reader: Xapi) -> None:
    [a] = writer.post(URL, make_statement()).json()

    assert reader.get(URL, {"statementId": a, "verb": COMPLETED}).status_code == 400
    assert reader.get(URL, {"statementId": "nope"}).status_code == 400
    assert reader.get(URL, {"statementId": str(uuid.uuid4())}).status_code == 404
    assert reader.get(URL, {"colour": "blue"}).status_code == 400


def test_context_agents_are_xapi_2_only(make_xapi: Callable[..., Xapi]) -> None:
    context = {
        "contextAgents": [
            {"objectType": "contextAgent", "agent": {"mbox": "mailto:mentor@example.org"}}
        ]
    }
    v1 = make_xapi(Client.Scope.STATEMENTS_WRITE, version="1.0.3")
    v2 = make_xapi(Client.Scope.STATEMENTS_WRITE, version="2.0.0")

    assert v1.post(URL, make_statement(context=context)).status_code == 400
    assert v2.post(URL, make_statement(context=context)).status_code == 200


def test_an_oversized_statement_is_refused(writer: Xapi) -> None:
    huge = make_statement(result={"response": "x" * 200_000})

    response = writer.post(URL, huge)

    assert response.status_code == 400
    assert "larger than" in response.json()["error"]
    assert not Statement.objects.exists()


def test_head_answers_like_get_without_a_body(writer: Xapi) -> None:
    [statement_id] = writer.post(URL, make_statement()).json()

    response = writer.http.head(URL, {"statementId": statement_id}, headers=writer.headers)

    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Experience-API-Version"] == "1.0.3"


def test_a_non_json_body_is_refused(writer: Xapi) -> None:
    assert writer.post(URL, "{not json", content_type="application/json").status_code == 400
    assert writer.post(URL, "a=b", content_type="text/plain").status_code == 400


def test_xapi_requests_skip_the_page_middleware_but_keep_security_headers(
    writer: Xapi, settings: Any
) -> None:
    response = writer.post(URL, make_statement())

    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in response  # a page's header, not an API's
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_an_xapi_request_for_an_unknown_host_is_refused(writer: Xapi) -> None:
    response = writer.post(URL, make_statement(), Host="evil.example")

    assert response.status_code == 400
    assert not Statement.objects.exists()
