"""Writes to the Learning Record Store: statements, documents and client credentials.

The HTTP resources (views.py) and the platform's own events (`statement_record`) store
statements through `statements_store`, so both are validated alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govtrain.accounts.models import User
from govtrain.audit.services import audit_record
from govtrain.lrs import validation
from govtrain.lrs.models import Activity, Client, Document, Statement, StatementLink
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


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def key_hash(key: str) -> int:
    """64 bits of BLAKE2b as a signed integer: the indexed form of an IRI or agent key.
    Two different keys share a hash with probability ~1e-19 per pair; filters accept that."""
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


def _walk_agents(agent: Mapping[str, Any]) -> Iterator[str]:
    yield agent_key(agent)
    for member in agent.get("member", []) or []:
        yield agent_key(member)


def _links(statement: Json) -> tuple[set[int], set[int]]:
    """Hashes of every agent and activity in a statement (xAPI 1.0.3 7.2.3 related_*)."""
    agents: set[int] = set()
    activities: set[int] = set()

    def body(part: Json) -> None:
        agents.update(key_hash(k) for k in _walk_agents(part["actor"]))
        obj = part["object"]
        object_type = obj.get("objectType", "Activity")
        if object_type == "Activity":
            activities.add(key_hash(obj["id"]))
        elif object_type in {"Agent", "Group"}:
            agents.update(key_hash(k) for k in _walk_agents(obj))
        elif object_type == "SubStatement":
            body(obj)
        context = part.get("context") or {}
        for key in ("instructor", "team"):
            if key in context:
                agents.update(key_hash(k) for k in _walk_agents(context[key]))
        for entries, name in (
            (context.get("contextAgents"), "agent"),
            (context.get("contextGroups"), "group"),
        ):
            for entry in entries or []:
                agents.update(key_hash(k) for k in _walk_agents(entry[name]))
        for items in (context.get("contextActivities") or {}).values():
            activities.update(key_hash(item["id"]) for item in items)

    body(statement)
    if "authority" in statement:
        agents.update(key_hash(k) for k in _walk_agents(statement["authority"]))
    return agents, activities


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
    seen: set[str] = set()
    sent_ids: list[bool] = []
    for index, raw in enumerate(statements):
        single = None if len(statements) == 1 else index
        stmt = validation.statement(raw, version=version, index=single)
        sent_id = stmt.get("id")
        sent_ids.append(sent_id is not None)
        if sent_id is None:
            stmt["id"] = str(uuid.uuid4())
        elif sent_id in seen:
            raise ValidationError(
                _("The statement id %(id)s appears twice in the batch.") % {"id": sent_id}
            )
        seen.add(stmt["id"])
        cleaned.append(stmt)

    native_uuid = connection.features.has_native_uuid_field

    def db_uuid(value: str | None) -> Any:
        if value is None:
            return None
        return uuid.UUID(value) if native_uuid else uuid.UUID(value).hex

    stored_db = connection.ops.adapt_datetimefield_value(now)
    client_id = client.pk if client is not None else None
    with transaction.atomic():
        # Only a client-given id can already be stored; the LRS's own are new uuid4s.
        given = [s for s, had in zip(cleaned, sent_ids, strict=True) if had]
        existing = _existing(given) if given else {}
        rows: list[tuple[Any, ...]] = []
        links: list[tuple[set[int], set[int]]] = []
        voids: list[str] = []
        definitions: dict[str, Json] = {}
        kept: list[Json] = []
        for stmt in cleaned:
            old = existing.get(stmt["id"])
            if old is not None:
                if not _same(stmt, old):
                    raise Conflict(stmt["id"])
                continue
            had_timestamp = "timestamp" in stmt
            ordered: Json = {"id": stmt["id"]}
            for key in ("actor", "verb", "object", "result", "context"):
                if key in stmt:
                    ordered[key] = stmt[key]
            ordered["timestamp"] = stmt["timestamp"] if had_timestamp else stored_text
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
            if object_type == "Activity" and "definition" in obj and define:
                definitions[obj["id"]] = obj["definition"]
            context = stmt.get("context") or {}
            rows.append(
                (
                    db_uuid(stmt["id"]),
                    key_hash(agent_key(stmt["actor"])),
                    key_hash(stmt["verb"]["id"]),
                    key_hash(obj["id"]) if object_type == "Activity" else None,
                    key_hash(agent_key(obj)) if object_type in {"Agent", "Group"} else None,
                    db_uuid(obj["id"]) if object_type == "StatementRef" else None,
                    db_uuid(context.get("registration")),
                    stored_db,
                    False,
                    client_id,
                    body,
                )
            )
            links.append(_links(ordered))
            kept.append(ordered)
        if voids:
            _void(voids, kept)
        if rows:
            if given:
                try:
                    # A savepoint: another writer may insert the same id between the check
                    # above and this insert; the unique index decides, and the loser
                    # reports a conflict.
                    with transaction.atomic():
                        seqs = _insert(rows)
                except IntegrityError:
                    raise Conflict(", ".join(s["id"] for s in kept)) from None
            else:
                seqs = _insert(rows)  # fresh uuid4s: no conflict to catch
            _insert_links(
                [
                    (seq, kind, h, stored_db)
                    for seq, (agents, activities) in zip(seqs, links, strict=True)
                    for kind, hashes in (
                        (StatementLink.Kind.AGENT, agents),
                        (StatementLink.Kind.ACTIVITY, activities),
                    )
                    for h in hashes
                ]
            )
        if definitions:
            _define(definitions)
    return StoreOutcome(ids=[s["id"] for s in cleaned], existing=frozenset(existing))


_COLUMNS = (
    "statement_id, actor_hash, verb_hash, activity_hash, object_agent_hash, ref_id,"
    " registration, stored, voided, client_id, body"
)


def _values(table_columns: str, rows: list[tuple[Any, ...]], returning: str = "") -> str:
    width = len(rows[0])
    row = "(" + ", ".join(["%s"] * width) + ")"
    sql = f"INSERT INTO {table_columns} VALUES " + ", ".join([row] * len(rows))  # noqa: S608 - our fixed names, values as parameters
    return sql + (f" RETURNING {returning}" if returning else "")


# Rows per INSERT: well under SQLite's 32,766 parameters and PostgreSQL's 65,535.
_ROWS_PER_INSERT = 500


def _insert(rows: list[tuple[Any, ...]]) -> list[int]:
    """Insert statement rows with multi-row INSERTs; their seqs in the same order. Not
    bulk_create: it spent more time compiling SQL than the database spent storing (ADR
    0002); not executemany: psycopg sends one statement per row."""
    seqs: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[start : start + _ROWS_PER_INSERT]
            cursor.execute(
                _values(f"lrs_statement ({_COLUMNS})", chunk, "statement_id, seq"),
                [value for row in chunk for value in row],
            )
            seqs.update((str(sid), int(seq)) for sid, seq in cursor.fetchall())
    return [seqs[str(row[0])] for row in rows]


def _insert_links(rows: list[tuple[Any, ...]]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _ROWS_PER_INSERT * 2):
            chunk = rows[start : start + _ROWS_PER_INSERT * 2]
            cursor.execute(
                _values("lrs_statementlink (statement_id, kind, key_hash, stored)", chunk),
                [value for row in chunk for value in row],
            )


def _existing(cleaned: list[Json]) -> dict[str, Json]:
    ids = [s["id"] for s in cleaned]
    found: dict[str, Json] = {}
    for start in range(0, len(ids), 500):
        for statement_id, body in Statement.objects.filter(
            statement_id__in=ids[start : start + 500]
        ).values_list("statement_id", "body"):
            found[str(statement_id)] = json.loads(body)
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
        if json.loads(body)["verb"]["id"] == validation.VOIDED:
            raise ValidationError(_("A voiding statement cannot be voided."))
    Statement.objects.filter(statement_id__in=target_ids).update(voided=True)


# Definitions this process has stored or seen stored, so that the usual statement, which
# repeats its activity's definition, costs no query. Another process's later change is
# overwritten by the next statement that differs from it.
_defined: dict[str, Json] = {}


def _define(definitions: dict[str, Json]) -> None:
    """Keep the latest definition of each activity (xAPI 1.0.3 2.4.4.1: the LRS may update
    its canonical definition); most statements repeat a known one, so read first and
    write only what changed."""
    keys = {
        hashlib.sha256(a.encode()).hexdigest(): a
        for a, d in definitions.items()
        if _defined.get(a) != d
    }
    if not keys:
        return
    known = dict(Activity.objects.filter(key__in=keys).values_list("key", "definition"))
    changed = {k: a for k, a in keys.items() if known.get(k) != definitions[a]}
    seen = {a: definitions[a] for a in keys.values()}

    def remember() -> None:
        if len(_defined) > 20_000:
            _defined.clear()
        _defined.update(seen)

    # Only once committed: a rolled-back transaction must not leave the cache claiming it.
    transaction.on_commit(remember)
    if not changed:
        return
    now = timezone.now()
    Activity.objects.bulk_create(
        [
            Activity(
                key=key,
                activity_id=activity_id,
                definition=definitions[activity_id],
                created_at=now,
                updated_at=now,
            )
            for key, activity_id in changed.items()
        ],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["definition", "updated_at"],
    )


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
        statements=[json.loads(dumps(s)) for s in statements], client=None, version="1.0.3"
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
            value = json.loads(data)
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
