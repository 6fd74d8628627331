"""Reads from the Learning Record Store: statements by id and by the standard filters."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet

from govtrain.lrs.models import Activity, Client, Document, Statement, StatementLink
from govtrain.lrs.services import agent_key, key_hash

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
_MORE_SALT = "govtrain.lrs.more"


@dataclass(frozen=True)
class StatementFilter:
    """The xAPI 1.0.3 7.2.3 query parameters, already parsed."""

    agent: dict[str, Any] | None = None
    verb: str | None = None
    activity: str | None = None
    registration: uuid.UUID | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    limit: int = DEFAULT_LIMIT
    ascending: bool = False
    # Only statements this client stored (scope statements/read/mine).
    client_id: int | None = None


def statement_body(*, statement_id: uuid.UUID, voided: bool, client_id: int | None) -> str | None:
    """One statement's JSON by id; `voided` asks for a voided one (voidedStatementId)."""
    rows = Statement.objects.filter(statement_id=statement_id, voided=voided)
    if client_id is not None:
        rows = rows.filter(client_id=client_id)
    return rows.values_list("body", flat=True).first()


# The fields a page is ordered and bounded on: the statement's own, or, when its rows come
# through a link, the link's copy of them, which the link table's index holds in order.
_ON_STATEMENT = ("stored", "seq")
_ON_LINK = ("links__stored", "links__statement")


@dataclass(frozen=True)
class _FoundBy:
    """One way a filter value finds statements: a column of theirs, or their link rows."""

    drive: Q  # the condition when these rows are the ones read in order
    check: Q  # the same condition as a test on a statement read another way
    fields: tuple[str, str]


def _column(**lookup: Any) -> _FoundBy:
    return _FoundBy(Q(**lookup), Q(**lookup), _ON_STATEMENT)


def _link(kind: int, hash_: int) -> _FoundBy:
    linked = StatementLink.objects.filter(kind=kind, key_hash=hash_).values("statement_id")
    return _FoundBy(Q(links__kind=kind, links__key_hash=hash_), Q(seq__in=linked), _ON_LINK)


def _any(ways: list[_FoundBy]) -> Q:
    check = Q()
    for way in ways:
        check |= way.check
    return check


def statements_matching(
    f: StatementFilter, *, after: tuple[dt.datetime, int] | None = None
) -> list[tuple[int, dt.datetime, str]]:
    """One page (limit + 1 rows, to tell whether there is more) of non-voided statements,
    newest first unless ascending, as (seq, stored, body)."""
    queries = statements_queries(f, after=after)
    if len(queries) == 1:
        return list(queries[0])
    # Each query reads its page in order from its own index; the page is their merge.
    rows = {row[0]: row for query in queries for row in query}
    ordered = sorted(rows.values(), key=lambda row: (row[1], row[0]), reverse=not f.ascending)
    return ordered[: f.limit + 1]


def statements_queries(
    f: StatementFilter, *, after: tuple[dt.datetime, int] | None = None
) -> list[QuerySet[Statement, tuple[int, dt.datetime, str]]]:
    """The queries of `statements_matching`, one for each way the leading filter finds
    statements (the `related_*` filters read the statements' columns and their links),
    each limited to a page; also for EXPLAIN in the bench."""
    conds: list[Q] = [Q(voided=False)]
    agent_ways: list[_FoundBy] = []
    activity_ways: list[_FoundBy] = []
    if f.agent is not None:
        agent_h = key_hash(agent_key(f.agent))
        agent_ways = [_column(actor_hash=agent_h), _column(object_agent_hash=agent_h)]
        if f.related_agents:
            agent_ways.append(_link(StatementLink.Kind.AGENT, agent_h))
    if f.activity is not None:
        activity_h = key_hash(f.activity)
        activity_ways = [_column(activity_hash=activity_h)]
        if f.related_activities:
            activity_ways.append(_link(StatementLink.Kind.ACTIVITY, activity_h))
    # The activity leads when it is the broader filter or the only one; the other filter
    # is then a condition on the statements read.
    if activity_ways and (f.related_activities or not agent_ways):
        lead, other = activity_ways, agent_ways
    elif agent_ways:
        lead, other = agent_ways, activity_ways
    else:
        lead, other = [_FoundBy(Q(), Q(), _ON_STATEMENT)], []
    if other:
        conds.append(_any(other))
    if f.verb is not None:
        conds.append(Q(verb_hash=key_hash(f.verb)))
    if f.registration is not None:
        conds.append(Q(registration=f.registration))
    if f.client_id is not None:
        conds.append(Q(client_id=f.client_id))
    return [_page(f, [*conds, way.drive], way.fields, after) for way in lead]


def _page(
    f: StatementFilter,
    conds: list[Q],
    fields: tuple[str, str],
    after: tuple[dt.datetime, int] | None,
) -> QuerySet[Statement, tuple[int, dt.datetime, str]]:
    stored_field, seq_field = fields
    conds = list(conds)
    # xAPI 1.0.3 7.2.3: since is exclusive, until inclusive, both on `stored`.
    if f.since is not None:
        conds.append(Q(**{f"{stored_field}__gt": f.since}))
    if f.until is not None:
        conds.append(Q(**{f"{stored_field}__lte": f.until}))
    if after is not None:
        stored, seq = after
        # The plain bound on the time lets each filter's (x, stored, seq) index seek to the
        # page's start; the OR alone made PostgreSQL scan the stored index and filter.
        op, strict = ("gte", "gt") if f.ascending else ("lte", "lt")
        conds.append(Q(**{f"{stored_field}__{op}": stored}))
        conds.append(
            Q(**{f"{stored_field}__{strict}": stored})
            | Q(**{stored_field: stored, f"{seq_field}__{strict}": seq})
        )
    # Every condition goes into one filter() call: Django joins the link table once for
    # all conditions on it only within the same call.
    rows = Statement.objects.filter(*conds)
    order = (stored_field, seq_field) if f.ascending else (f"-{stored_field}", f"-{seq_field}")
    return rows.order_by(*order).values_list("seq", "stored", "body")[: f.limit + 1]


def more_token(f: StatementFilter, fmt: str, last: tuple[dt.datetime, int]) -> str:
    """An opaque, signed continuation: the filter and where the page ended."""
    payload = {
        "a": f.agent,
        "v": f.verb,
        "ac": f.activity,
        "r": str(f.registration) if f.registration else None,
        "ra": f.related_activities,
        "rg": f.related_agents,
        "s": f.since.isoformat() if f.since else None,
        "u": f.until.isoformat() if f.until else None,
        "l": f.limit,
        "asc": f.ascending,
        "c": f.client_id,
        "f": fmt,
        "k": [last[0].isoformat(), last[1]],
    }
    return signing.dumps(payload, salt=_MORE_SALT, compress=True)


def more_parse(token: str) -> tuple[StatementFilter, str, tuple[dt.datetime, int]]:
    """Raises signing.BadSignature for a token this LRS did not issue (or that was altered)."""
    p = signing.loads(token, salt=_MORE_SALT)

    def moment(value: str | None) -> dt.datetime | None:
        return dt.datetime.fromisoformat(value) if value else None

    f = StatementFilter(
        agent=p["a"],
        verb=p["v"],
        activity=p["ac"],
        registration=uuid.UUID(p["r"]) if p["r"] else None,
        related_activities=p["ra"],
        related_agents=p["rg"],
        since=moment(p["s"]),
        until=moment(p["u"]),
        limit=p["l"],
        ascending=p["asc"],
        client_id=p["c"],
    )
    last_stored = dt.datetime.fromisoformat(p["k"][0])
    return f, p["f"], (last_stored, int(p["k"][1]))


def activity_definition(*, activity_id: str) -> dict[str, Any]:
    row = Activity.objects.filter(key=hashlib.sha256(activity_id.encode()).hexdigest()).first()
    result: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    if row is not None and row.definition:
        result["definition"] = row.definition
    return result


def document_get(*, doc_key: str) -> Document | None:
    return Document.objects.filter(doc_key=doc_key).first()


def document_ids(*, scope_key: str, since: dt.datetime | None) -> list[str]:
    rows = Document.objects.filter(scope_key=scope_key)
    if since is not None:
        rows = rows.filter(updated__gt=since)
    return list(rows.order_by("doc_id").values_list("doc_id", flat=True))


def clients_all() -> QuerySet[Client]:
    return Client.objects.select_related("created_by").order_by("revoked_at", "name")
