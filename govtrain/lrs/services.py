"""Writes to the Learning Record Store: statements, documents and client credentials.

The HTTP resources (views.py) and the platform's own events (`statement_record`) store
statements through `statements_store`, so both are validated alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govtrain.accounts.models import User
from govtrain.audit.services import audit_record
from govtrain.lrs import validation
from govtrain.lrs.models import Client, Document, Statement, StatementLink
from govtrain.people.models import Employee

Json = dict[str, Any]

VERBS: dict[str, str] = {
    "launched": "http://adlnet.gov/expapi/verbs/launched",
    "initialized": "http://adlnet.gov/expapi/verbs/initialized",
    "progressed": "http://adlnet.gov/expapi/verbs/progressed",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "scored": "http://adlnet.gov/expapi/verbs/scored",
    "terminated": "http://adlnet.gov/expapi/verbs/terminated",
    "registered": "http://adlnet.gov/expapi/verbs/registered",
    "attended": "http://adlnet.gov/expapi/verbs/attended",
    # ADL's vocabulary has no verb for a credential; the xAPI registry's "earned" is common.
    "earned": "http://id.tincanapi.com/verb/earned",
    "voided": validation.VOIDED,
}
# A statement's compact JSON may not exceed this; a batch is bounded by Django's
# DATA_UPLOAD_MAX_MEMORY_SIZE and BATCH_LIMIT.
STATEMENT_MAX_CHARS = 128 * 1024
BATCH_LIMIT = 1000


class Conflict(Exception):
    """A statement id already holds a different statement (xAPI: 409 Conflict)."""


class PreconditionFailed(Exception):
    """A document's ETag did not match If-Match / If-None-Match (412)."""


def loads(data: bytes | str) -> Any:
    """Parse JSON with orjson: a batch of statements parses several times faster than with
    the standard library, and ingestion is the LRS's hot path."""
    return orjson.loads(data)


def dumps(value: Any) -> str:
    """Compact JSON text (UTF-8 characters as they are), as statements are stored."""
    return orjson.dumps(value).decode()


@lru_cache(maxsize=65_536)
def key_hash(key: str) -> int:
    """64 bits of BLAKE2b as a signed integer: the indexed form of an IRI or agent key.
    Two different keys share a hash with probability ~1e-19 per pair; filters accept that.
    Cached: verbs, activities and agents repeat from statement to statement."""
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def agent_key(agent: Mapping[str, Any]) -> str:
    """The canonical text of an Agent's or identified Group's IFI."""
    if "mbox" in agent:
        return f"mbox:{agent['mbox'].lower()}"
    if "mbox_sha1sum" in agent:
        return f"sha1:{agent['mbox_sha1sum'].lower()}"
    if "openid" in agent:
        return f"openid:{agent['openid']}"
    if "account" in agent:
        account = agent["account"]
        return f"account:{account['homePage']}|{account['name']}"
    # An anonymous Group is identified by its members.
    members = sorted(agent_key(m) for m in agent.get("member", []))
    return "group:" + "\n".join(members)


def new_statement_ids(count: int) -> list[uuid.UUID]:
    """Ids for statements sent without one: UUID version 7 (RFC 9562 5.7), whose first 48
    bits are the time in milliseconds, so that the unique index on ids grows at its end
    instead of on a random page per statement. One clock read and one read of the random
    source for the whole batch (the uuid6 package's uuid7() costs 3 us an id)."""
    millis = time.time_ns() // 1_000_000
    head = (millis & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | 0b10 << 62
    noise = os.urandom(10 * count)
    ids = []
    for n in range(count):
        rand = int.from_bytes(noise[10 * n : 10 * n + 10], "big")
        # 12 random bits after the version, 62 after the variant.
        ids.append(uuid.UUID(int=head | (rand >> 62 & 0xFFF) << 64 | rand & (1 << 62) - 1))
    return ids


def activity_iri(*parts: str) -> str:
    """A stable IRI for a platform object, e.g. activity_iri("course", "RTI-01")."""
    return f"{settings.SITE_URL.rstrip('/')}/xapi/activities/" + "/".join(parts)


def agent_for(employee: Employee) -> Json:
    """An employee as an xAPI Agent identified by an account: the PEN on this site."""
    return {
        "objectType": "Agent",
        "name": employee.name_en,
        "account": {"homePage": settings.SITE_URL, "name": employee.pen},
    }


def platform_authority() -> Json:
    return {
        "objectType": "Agent",
        "name": "govtrain",
        "account": {"homePage": settings.SITE_URL, "name": "govtrain"},
    }


def client_authority(client: Client) -> Json:
    return {
        "objectType": "Agent",
        "name": client.name,
        "account": {"homePage": f"{settings.SITE_URL}/lrs/clients", "name": client.key},
    }


# --- statements --------------------------------------------------------------------------


def _add_agent(agent: Mapping[str, Any], into: set[int]) -> None:
    """An Agent or Group, and a Group's members."""
    into.add(key_hash(agent_key(agent)))
    for member in agent.get("member") or ():
        into.add(key_hash(agent_key(member)))


def _collect(part: Json, agents: set[int], activities: set[int]) -> None:
    """Every agent and activity of a statement or SubStatement (xAPI 1.0.3 7.2.3)."""
    _add_agent(part["actor"], agents)
    obj = part["object"]
    object_type = obj.get("objectType", "Activity")
    if object_type == "Activity":
        activities.add(key_hash(obj["id"]))
    elif object_type in {"Agent", "Group"}:
        _add_agent(obj, agents)
    elif object_type == "SubStatement":
        _collect(obj, agents, activities)
    context = part.get("context")
    if not context:
        return
    for key in ("instructor", "team"):
        if key in context:
            _add_agent(context[key], agents)
    for entry in context.get("contextAgents") or ():
        _add_agent(entry["agent"], agents)
    for entry in context.get("contextGroups") or ():
        _add_agent(entry["group"], agents)
    for items in (context.get("contextActivities") or {}).values():
        for item in items:
            activities.add(key_hash(item["id"]))


@dataclass(frozen=True)
class IndexKeys:
    """What a statement is found by: its own columns, and its other agents and activities
    (the link rows of the `related_*` filters, xAPI 1.0.3 7.2.3), which leave out the
    actor and the object because the columns already find them."""

    actor: int
    activity: int | None
    object_agent: int | None
    linked_agents: frozenset[int]
    linked_activities: frozenset[int]


def index_keys(statement: Json) -> IndexKeys:
    """The index keys of a validated statement."""
    agents: set[int] = set()
    activities: set[int] = set()
    _collect(statement, agents, activities)
    if "authority" in statement:
        _add_agent(statement["authority"], agents)
    actor = key_hash(agent_key(statement["actor"]))
    obj = statement["object"]
    object_type = obj.get("objectType", "Activity")
    activity = key_hash(obj["id"]) if object_type == "Activity" else None
    object_agent = key_hash(agent_key(obj)) if object_type in {"Agent", "Group"} else None
    agents.discard(actor)
    if object_agent is not None:
        agents.discard(object_agent)
    if activity is not None:
        activities.discard(activity)
    return IndexKeys(actor, activity, object_agent, frozenset(agents), frozenset(activities))


# The properties a client sets; the LRS's own (stored, authority, version) and a timestamp
# the LRS filled in do not make two statements different (xAPI 1.0.3 2.3.1 immutability).
_COMPARED = ("actor", "verb", "object", "result", "context", "attachments")


def _same(sent: Json, stored: Json) -> bool:
    if any(sent.get(key) != stored.get(key) for key in _COMPARED):
        return False
    return "timestamp" not in sent or _same_time(sent["timestamp"], stored.get("timestamp"))


def _same_time(a: str, b: str | None) -> bool:
    if b is None:
        return False
    try:
        return _parse_time(a) == _parse_time(b)
    except ValueError:
        return a == b


def _parse_time(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class StoreOutcome:
    ids: list[str]
    # Ids that were already stored with the same content (a repeated PUT or POST).
    existing: frozenset[str]


def statements_store(
    *,
    statements: Sequence[Any],
    client: Client | None,
    version: str,
    define: bool = True,
) -> StoreOutcome:
    """Validate and store statements, all or nothing. Raises ValidationError (400) or
    Conflict (409). A statement whose id holds an identical statement is not stored again."""
    if not statements:
        raise ValidationError(_("No statement was sent."))
    if len(statements) > BATCH_LIMIT:
        raise ValidationError(
            _("At most %(n)d statements may be sent at once.") % {"n": BATCH_LIMIT}
        )
    now = timezone.now()
    # The statement shows `stored` to the millisecond (xAPI 1.0.3 4.1.7); the column holds
    # the same instant, so that since/until given from a statement's stored are exact.
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    stored_text = iso(now)
    authority = platform_authority() if client is None else client_authority(client)
    stmt_version = "2.0.0" if version.startswith("2") else "1.0.0"
    cleaned: list[Json] = []
    given: list[Json] = []  # the statements that came with an id
    seen: set[str] = set()
    single = len(statements) == 1
    for index, raw in enumerate(statements):
        stmt = validation.statement(raw, version=version, index=None if single else index)
        sent_id = stmt.get("id")
        if sent_id is not None:
            if sent_id in seen:
                raise ValidationError(
                    _("The statement id %(id)s appears twice in the batch.") % {"id": sent_id}
                )
            seen.add(sent_id)
            given.append(stmt)
        cleaned.append(stmt)
    if len(given) < len(cleaned):
        fresh = iter(new_statement_ids(len(cleaned) - len(given)))
        for stmt in cleaned:
            if "id" not in stmt:
                stmt["id"] = str(next(fresh))

    with transaction.atomic():
        # Only a client-given id can already be stored; the LRS's own are new.
        existing = _existing(given) if given else {}
        rows: list[tuple[Any, ...]] = []
        keys: list[IndexKeys] = []
        voids: list[str] = []
        definitions: dict[str, Json] = {}
        kept: list[Json] = []
        for stmt in cleaned:
            old = existing.get(stmt["id"])
            if old is not None:
                if not _same(stmt, old):
                    raise Conflict(stmt["id"])
                continue
            ordered: Json = {"id": stmt["id"]}
            for key in ("actor", "verb", "object", "result", "context"):
                if key in stmt:
                    ordered[key] = stmt[key]
            ordered["timestamp"] = stmt.get("timestamp", stored_text)
            ordered["stored"] = stored_text
            # xAPI 1.0.3 2.4.9: the LRS sets the authority from the credentials used; a
            # client cannot claim to be someone else.
            ordered["authority"] = authority
            ordered["version"] = stmt.get("version", stmt_version)
            if "attachments" in stmt:
                ordered["attachments"] = stmt["attachments"]
            body = dumps(ordered)
            if len(body) > STATEMENT_MAX_CHARS:
                raise ValidationError(
                    _("Statement %(id)s is larger than %(kb)d KiB.")
                    % {"id": stmt["id"], "kb": STATEMENT_MAX_CHARS // 1024}
                )
            obj = stmt["object"]
            object_type = obj.get("objectType", "Activity")
            if stmt["verb"]["id"] == validation.VOIDED:
                voids.append(obj["id"])
            if define and object_type == "Activity" and "definition" in obj:
                definitions[obj["id"]] = obj["definition"]
            found = index_keys(ordered)
            context = stmt.get("context")
            rows.append(
                (
                    stmt["id"],
                    found.actor,
                    key_hash(stmt["verb"]["id"]),
                    found.activity,
                    found.object_agent,
                    obj["id"] if object_type == "StatementRef" else None,
                    context.get("registration") if context else None,
                    body,
                )
            )
            keys.append(found)
            kept.append(ordered)
        if voids:
            _void(voids, kept)
        if rows:
            writer = _PostgresWriter() if connection.vendor == "postgresql" else _SqliteWriter()
            if given:
                try:
                    # A savepoint: another writer may insert the same id between the check
                    # above and this insert; the unique index decides, and the loser
                    # reports a conflict.
                    with transaction.atomic():
                        seqs = writer.statements(rows, stored=now, client=client)
                except IntegrityError:
                    raise Conflict(", ".join(s["id"] for s in kept)) from None
            else:
                seqs = writer.statements(rows, stored=now, client=client)  # new ids only
            links: list[tuple[int, int, int]] = [
                (seq, kind, h)
                for seq, found in zip(seqs, keys, strict=True)
                for kind, hashes in (
                    (StatementLink.Kind.AGENT, found.linked_agents),
                    (StatementLink.Kind.ACTIVITY, found.linked_activities),
                )
                for h in hashes
            ]
            if links:
                writer.links(links, stored=now)
        if definitions:
            _define(definitions)
    return StoreOutcome(ids=[s["id"] for s in cleaned], existing=frozenset(existing))


_COLUMNS = (
    "statement_id, actor_hash, verb_hash, activity_hash, object_agent_hash, ref_id,"
    " registration, body, stored, voided, client_id"
)
_LINK_COLUMNS = "statement_id, kind, key_hash, stored"


class _SqliteWriter:
    """One executemany per table: SQLite's fastest way in, with no SQL to build per row.
    The seqs are consecutive: SQLite gives a new row the largest rowid plus one, and the
    transaction holds the only write lock from the first insert on."""

    def statements(
        self, rows: list[tuple[Any, ...]], *, stored: dt.datetime, client: Client | None
    ) -> list[int]:
        stored_db = connection.ops.adapt_datetimefield_value(stored)
        client_id = client.pk if client is not None else None
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO lrs_statement ({_COLUMNS}) VALUES ({', '.join(['%s'] * 11)})",  # noqa: S608 - fixed columns
                [
                    (
                        # UUIDField on SQLite: 32 hexadecimal characters.
                        sid.replace("-", ""),
                        actor,
                        verb,
                        activity,
                        agent,
                        ref.replace("-", "") if ref else None,
                        registration.replace("-", "") if registration else None,
                        body,
                        stored_db,
                        False,
                        client_id,
                    )
                    for sid, actor, verb, activity, agent, ref, registration, body in rows
                ],
            )
            cursor.execute("SELECT last_insert_rowid()")
            last = int(cursor.fetchone()[0])
        return list(range(last - len(rows) + 1, last + 1))

    def links(self, links: list[tuple[int, int, int]], *, stored: dt.datetime) -> None:
        stored_db = connection.ops.adapt_datetimefield_value(stored)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO lrs_statementlink ({_LINK_COLUMNS}) VALUES (%s, %s, %s, %s)",  # noqa: S608 - fixed columns
                [(seq, kind, h, stored_db) for seq, kind, h in links],
            )


class _PostgresWriter:
    """COPY, PostgreSQL's bulk path, with the seqs drawn from the table's sequence first
    (COPY returns nothing). A multi-row INSERT spent more time in psycopg splitting its
    thousand placeholders than PostgreSQL spent storing the rows."""

    def statements(
        self, rows: list[tuple[Any, ...]], *, stored: dt.datetime, client: Client | None
    ) -> list[int]:
        client_id = client.pk if client is not None else None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('lrs_statement', 'seq'))"
                " FROM generate_series(1, %s)",
                [len(rows)],
            )
            seqs = [int(seq) for (seq,) in cursor.fetchall()]
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY lrs_statement (seq, {_COLUMNS}) FROM STDIN") as copy,
            ):
                for seq, row in zip(seqs, rows, strict=True):
                    copy.write_row((seq, *row, stored, False, client_id))
        return seqs

    def links(self, links: list[tuple[int, int, int]], *, stored: dt.datetime) -> None:
        with (
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY lrs_statementlink ({_LINK_COLUMNS}) FROM STDIN") as copy,
        ):
            for seq, kind, h in links:
                copy.write_row((seq, kind, h, stored))


def _existing(cleaned: list[Json]) -> dict[str, Json]:
    ids = [s["id"] for s in cleaned]
    found: dict[str, Json] = {}
    for start in range(0, len(ids), 500):
        for statement_id, body in Statement.objects.filter(
            statement_id__in=ids[start : start + 500]
        ).values_list("statement_id", "body"):
            found[str(statement_id)] = loads(body)
    return found


def _void(target_ids: list[str], batch: list[Json]) -> None:
    """Mark voided targets. xAPI 1.0.3 2.3.2: a voiding statement cannot itself be voided."""
    for target in batch:
        if target["id"] in target_ids:
            raise ValidationError(_("A statement cannot be voided in the batch that sends it."))
    voiding_targets = Statement.objects.filter(
        statement_id__in=target_ids, ref_id__isnull=False
    ).values_list("body", flat=True)
    for body in voiding_targets:
        if loads(body)["verb"]["id"] == validation.VOIDED:
            raise ValidationError(_("A voiding statement cannot be voided."))
    Statement.objects.filter(statement_id__in=target_ids).update(voided=True)


# Activity definitions this process has stored or found stored: the hash of an activity's
# id to the hash of its definition's JSON, so that the usual statement, which repeats its
# activity's definition, costs no query. Another process's later change is overwritten by
# the next statement that differs from it.
_defined: dict[int, int] = {}
_DEFINED_MAX = 100_000


def _define(definitions: dict[str, Json]) -> None:
    """Keep the latest definition of each activity (xAPI 1.0.3 2.4.4.1: the LRS may update
    its canonical definition). Definitions this process does not know go to one upsert
    that writes only those that changed."""
    todo: list[tuple[str, str, int, int]] = []
    for activity_id, definition in definitions.items():
        text = dumps(definition)
        if _defined.get(key_hash(activity_id)) != hash(text):
            todo.append((activity_id, text, key_hash(activity_id), hash(text)))
    if not todo:
        return
    now = timezone.now()
    keys = [hashlib.sha256(a.encode()).hexdigest() for a, _t, _k, _h in todo]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement with arrays: psycopg's executemany costs ~40 us a row.
            cursor.execute(
                "INSERT INTO lrs_activity (key, activity_id, definition, created_at, updated_at)"
                " SELECT k, a, d::jsonb, %s, %s FROM unnest(%s::text[], %s::text[], %s::text[])"
                " AS t(k, a, d) ON CONFLICT (key) DO UPDATE"
                " SET definition = excluded.definition, updated_at = excluded.updated_at"
                " WHERE lrs_activity.definition IS DISTINCT FROM excluded.definition",
                [now, now, keys, [a for a, *_ in todo], [t for _a, t, *_ in todo]],
            )
        else:
            stamp = connection.ops.adapt_datetimefield_value(now)
            cursor.executemany(
                "INSERT INTO lrs_activity (key, activity_id, definition, created_at, updated_at)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (key) DO UPDATE"
                " SET definition = excluded.definition, updated_at = excluded.updated_at"
                " WHERE lrs_activity.definition <> excluded.definition",
                [(k, a, t, stamp, stamp) for k, (a, t, _k, _h) in zip(keys, todo, strict=True)],
            )

    def remember() -> None:
        if len(_defined) > _DEFINED_MAX:
            _defined.clear()
        _defined.update((k, h) for _a, _t, k, h in todo)

    # Only once committed: a rolled-back transaction must not leave the cache claiming it.
    transaction.on_commit(remember)


def statement_record(
    *,
    employee: Employee,
    verb: str,
    activity_id: str,
    activity_name: str = "",
    activity_type: str = "",
    result: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
    timestamp: dt.datetime | None = None,
    statement_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Record one of the platform's own learning events, with the platform as authority.
    Joins the caller's transaction; raises ValidationError on a malformed statement."""
    definition: Json = {}
    if activity_name:
        definition["name"] = {"en": activity_name}
    if activity_type:
        definition["type"] = activity_type
    obj: Json = {"objectType": "Activity", "id": activity_id}
    if definition:
        obj["definition"] = definition
    statement: Json = {
        "id": str(statement_id or uuid.uuid4()),
        "actor": agent_for(employee),
        "verb": {"id": VERBS.get(verb, verb), "display": {"en": verb if verb in VERBS else ""}},
        "object": obj,
        "timestamp": iso(timestamp or timezone.now()),
    }
    if not statement["verb"]["display"]["en"]:
        del statement["verb"]["display"]
    if result:
        statement["result"] = dict(result)
    if context:
        statement["context"] = dict(context)
    outcome = statements_store(statements=[statement], client=None, version="1.0.3")
    return uuid.UUID(outcome.ids[0])


def statements_record(*, statements: Sequence[Mapping[str, Any]]) -> list[uuid.UUID]:
    """Record whole statements in xAPI form (a SCORM runtime's results), all or nothing."""
    outcome = statements_store(
        statements=[loads(dumps(s)) for s in statements], client=None, version="1.0.3"
    )
    return [uuid.UUID(i) for i in outcome.ids]


# --- documents ---------------------------------------------------------------------------


def document_keys(
    *, kind: str, activity_id: str = "", agent: str = "", registration: str = "", doc_id: str = ""
) -> tuple[str, str]:
    scope = hashlib.sha256(
        "\x1f".join((kind, activity_id, agent, registration)).encode()
    ).hexdigest()
    return scope, hashlib.sha256(f"{scope}\x1f{doc_id}".encode()).hexdigest()


def _etag(content: bytes) -> str:
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


def _check_preconditions(
    existing: Document | None, if_match: str | None, if_none_match: str | None
) -> None:
    if if_match is not None:
        tags = {t.strip().strip('"') for t in if_match.split(",")}
        if existing is None or ("*" not in tags and existing.etag not in tags):
            raise PreconditionFailed
    if if_none_match is not None:
        tags = {t.strip().strip('"') for t in if_none_match.split(",")}
        if existing is not None and ("*" in tags or existing.etag in tags):
            raise PreconditionFailed


@transaction.atomic
def document_put(
    *,
    kind: str,
    scope_key: str,
    doc_key: str,
    doc_id: str,
    content: bytes,
    content_type: str,
    merge: bool,
    if_match: str | None,
    if_none_match: str | None,
    require_precondition: bool,
) -> Document:
    """Store a document (PUT replaces; POST merges JSON objects, xAPI 1.0.3 part three 1.3).
    Raises PreconditionFailed (412), Conflict (409: an existing document changed without a
    precondition where the spec asks for one) or ValidationError (400: POST of non-JSON)."""
    existing = Document.objects.select_for_update().filter(doc_key=doc_key).first()
    _check_preconditions(existing, if_match, if_none_match)
    if require_precondition and existing is not None and if_match is None and if_none_match is None:
        raise Conflict(doc_id)
    if merge:
        content, content_type = _merged(existing, content, content_type)
    now = timezone.now()
    if existing is None:
        try:
            with transaction.atomic():
                return Document.objects.create(
                    kind=kind,
                    scope_key=scope_key,
                    doc_key=doc_key,
                    doc_id=doc_id,
                    content=content,
                    content_type=content_type,
                    etag=_etag(content),
                    updated=now,
                )
        except IntegrityError:
            # Another request created it first: the precondition no longer holds.
            raise PreconditionFailed from None
    existing.content = content
    existing.content_type = content_type
    existing.etag = _etag(content)
    existing.updated = now
    existing.save(update_fields=["content", "content_type", "etag", "updated"])
    return existing


def _merged(existing: Document | None, content: bytes, content_type: str) -> tuple[bytes, str]:
    def as_object(data: bytes, what: str) -> Json:
        try:
            value = loads(data)
        except ValueError:
            raise ValidationError(
                _("The %(what)s document is not JSON.") % {"what": what}
            ) from None
        if not isinstance(value, dict):
            raise ValidationError(_("The %(what)s document is not a JSON object.") % {"what": what})
        return value

    if not content_type.startswith("application/json"):
        raise ValidationError(_("A POSTed document must be a JSON object (application/json)."))
    sent = as_object(content, _("sent"))
    if existing is None:
        return dumps(sent).encode(), "application/json"
    if not existing.content_type.startswith("application/json"):
        raise ValidationError(_("The stored document is not JSON, so it cannot be merged."))
    merged = as_object(bytes(existing.content), _("stored"))
    merged.update(sent)  # top-level properties only, as the specification says
    return dumps(merged).encode(), "application/json"


@transaction.atomic
def documents_delete(
    *, scope_key: str, doc_key: str | None, if_match: str | None, if_none_match: str | None
) -> int:
    """Delete one document, or every document of a scope (State without stateId)."""
    if doc_key is not None:
        existing = Document.objects.select_for_update().filter(doc_key=doc_key).first()
        _check_preconditions(existing, if_match, if_none_match)
        if existing is None:
            return 0
        existing.delete()
        return 1
    deleted, _counts = Document.objects.filter(scope_key=scope_key).delete()
    return deleted


# --- clients -----------------------------------------------------------------------------


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def client_create(*, name: str, scopes: Sequence[str], by: User) -> tuple[Client, str]:
    """Issue credentials; returns the client and its secret, which is never stored."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the client a name."))
    unknown = set(scopes) - set(Client.Scope.values)
    if unknown or not scopes:
        raise ValidationError(_("Choose at least one of the listed scopes."))
    secret = secrets.token_urlsafe(32)
    client = Client.objects.create(
        name=name,
        key=secrets.token_hex(10),
        secret_hash=secret_hash(secret),
        scopes=sorted(set(scopes)),
        created_by=by,
    )
    audit_record(
        actor=by, action="lrs.client.created", target=client, after={"scopes": client.scopes}
    )
    return client, secret


@transaction.atomic
def client_revoke(*, client: Client, by: User, reason: str = "") -> Client:
    """Revoke a client's credentials; its statements stay. Revoking twice changes nothing."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is not None:
        return client
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at", "updated_at"])
    _verified.pop(client.key, None)
    audit_record(actor=by, action="lrs.client.revoked", target=client, reason=reason)
    return client


# Clients verified recently, by key: (when, secret hash, client). Every xAPI request
# authenticates, and the lookup cost as much as storing a statement. A revocation clears
# this process's entries at once; other server processes notice within AUTH_CACHE_SECONDS.
AUTH_CACHE_SECONDS = 10.0
_verified: dict[str, tuple[float, str, Client]] = {}


def client_authenticate(*, key: str, secret: str) -> Client | None:
    """The active client with these credentials, or None."""
    hashed = secret_hash(secret)
    cached = _verified.get(key)
    if cached is not None and time.monotonic() - cached[0] < AUTH_CACHE_SECONDS:
        return cached[2] if hmac.compare_digest(cached[1], hashed) else None
    client = Client.objects.filter(key=key, revoked_at__isnull=True).first()
    # Compare even when there is no such client, so timing does not tell keys apart.
    expected = client.secret_hash if client else "0" * 64
    if not hmac.compare_digest(expected, hashed) or client is None:
        return None
    if len(_verified) > 1000:
        _verified.clear()
    _verified[key] = (time.monotonic(), client.secret_hash, client)
    return client
