"""The xAPI resources under /xapi/ (xAPI 1.0.3 and 2.0, chosen by the version header).

Plain Django views rather than DRF: the resources speak the specification's own headers,
status codes and error bodies, and a statement batch is parsed once, straight from the body.
Clients authenticate with HTTP Basic (a `Client`'s key and secret); sessions and CSRF play
no part, so the views are CSRF-exempt.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from govtrain.lrs import selectors, services, validation
from govtrain.lrs.models import Client, Document

View = Callable[..., HttpResponse]
_V1 = re.compile(r"^1\.0(\.\d+)?$")
_V2 = re.compile(r"^2\.0(\.\d+)?$")
# Failed Basic logins per client address before the address waits (HTTP 429).
AUTH_FAILURES_ALLOWED = 10
AUTH_FAILURE_WINDOW = 300
READ_ALL = {Client.Scope.ALL, Client.Scope.ALL_READ, Client.Scope.STATEMENTS_READ}


class XapiRequest(HttpRequest):
    xapi_version: str
    client: Client


def _error(status: int, message: str, version: str = "1.0.3") -> HttpResponse:
    response = JsonResponse({"error": message}, status=status)
    response["X-Experience-API-Version"] = version
    return response


def _served_version(header: str | None) -> str | None:
    if header is None:
        return None
    if _V1.match(header):
        return "1.0.3"
    if _V2.match(header):
        return "2.0.0"
    return None


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _authenticate(request: HttpRequest) -> Client | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        key, _sep, secret = base64.b64decode(encoded.strip()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return services.client_authenticate(key=key, secret=secret)


def xapi_resource(*, scopes: Callable[[str], set[str]]) -> Callable[[View], View]:
    """Version header, Basic authentication with its throttle, and the scope check.
    `scopes(method)` names the scopes, any of which lets a client make that request."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            version = _served_version(request.headers.get("X-Experience-API-Version"))
            if version is None:
                return _error(400, _("X-Experience-API-Version must be 1.0.x or 2.0.x."))
            throttle_key = f"lrs-auth-fail:{_client_address(request)}"
            if (cache.get(throttle_key) or 0) >= AUTH_FAILURES_ALLOWED:
                return _error(429, _("Too many failed logins; try again later."), version)
            client = _authenticate(request)
            if client is None:
                try:
                    cache.incr(throttle_key)
                except ValueError:
                    cache.set(throttle_key, 1, AUTH_FAILURE_WINDOW)
                response = _error(401, _("Valid HTTP Basic credentials are required."), version)
                response["WWW-Authenticate"] = 'Basic realm="xAPI"'
                return response
            method = "GET" if request.method == "HEAD" else str(request.method)
            if not set(client.scopes) & (scopes(method) | {Client.Scope.ALL}):
                return _error(403, _("This client's scopes do not allow this request."), version)
            xrequest: Any = request
            xrequest.xapi_version = version
            xrequest.client = client
            response = view(xrequest, *args, **kwargs)
            response["X-Experience-API-Version"] = version
            if request.method == "HEAD":
                response.content = b""
            return response

        return wrapped

    return decorate


def _json_param(request: HttpRequest, name: str) -> Any:
    try:
        return json.loads(request.GET[name])
    except ValueError:
        raise ValidationError(_("%(name)s is not valid JSON.") % {"name": name}) from None


def _time_param(request: HttpRequest, name: str, version: str) -> dt.datetime | None:
    if name not in request.GET:
        return None
    value = validation.timestamp(request.GET[name], name, version)
    return services._parse_time(value)


def _body_json(request: HttpRequest) -> Any:
    if not (request.content_type or "").startswith("application/json"):
        raise ValidationError(_("Statements must be sent as application/json."))
    try:
        return services.loads(request.body)
    except ValueError:
        raise ValidationError(_("The request body is not valid JSON.")) from None


# --- About ---------------------------------------------------------------------------------


@csrf_exempt
def about(request: HttpRequest) -> HttpResponse:
    """xAPI 1.0.3 part three 2.8: the versions served; no authentication."""
    if request.method not in {"GET", "HEAD"}:
        return _error(405, _("Only GET is allowed here."))
    response = JsonResponse({"version": ["1.0.3", "2.0.0"], "extensions": {}})
    response["X-Experience-API-Version"] = "2.0.0"
    return response


# --- Statements ----------------------------------------------------------------------------


def _statement_scopes(method: str) -> set[str]:
    if method == "GET":
        return set(READ_ALL) | {Client.Scope.STATEMENTS_READ_MINE}
    return {Client.Scope.STATEMENTS_WRITE}


@xapi_resource(scopes=_statement_scopes)
def statements(request: XapiRequest) -> HttpResponse:
    try:
        if request.method in {"GET", "HEAD"}:
            return _statements_get(request)
        if request.method == "PUT":
            return _statements_put(request)
        if request.method == "POST":
            return _statements_post(request)
    except ValidationError as error:
        return _error(400, " ".join(error.messages), request.xapi_version)
    except services.Conflict as conflict:
        return _error(
            409,
            _("A different statement is already stored with the id %(id)s.") % {"id": conflict},
            request.xapi_version,
        )
    return _error(405, _("This method is not allowed here."), request.xapi_version)


def _statements_put(request: XapiRequest) -> HttpResponse:
    statement_id = request.GET.get("statementId")
    if statement_id is None:
        raise ValidationError(_("PUT needs the statementId parameter."))
    statement_id = validation.uuid_string(statement_id, "statementId")
    body = _body_json(request)
    if not isinstance(body, dict):
        raise ValidationError(_("PUT takes a single statement."))
    if "id" in body and str(body["id"]).lower() != statement_id:
        raise ValidationError(_("The statement's id differs from statementId."))
    body["id"] = statement_id
    services.statements_store(
        statements=[body], client=request.client, version=request.xapi_version
    )
    return HttpResponse(status=204)


def _statements_post(request: XapiRequest) -> HttpResponse:
    body = _body_json(request)
    batch = body if isinstance(body, list) else [body]
    outcome = services.statements_store(
        statements=batch, client=request.client, version=request.xapi_version
    )
    return HttpResponse(services.dumps(outcome.ids), content_type="application/json")


_BY_ID_ALLOWED = {"statementId", "voidedStatementId", "format", "attachments"}


def _can_read_all(client: Client) -> bool:
    return bool(set(client.scopes) & (READ_ALL | {Client.Scope.ALL}))


def _statements_get(request: XapiRequest) -> HttpResponse:
    version = request.xapi_version
    fmt = request.GET.get("format", "exact")
    if fmt not in {"exact", "ids", "canonical"}:
        raise ValidationError(_("format must be ids, exact or canonical."))
    mine = None if _can_read_all(request.client) else request.client.pk
    now = timezone.now()
    by_id = {"statementId", "voidedStatementId"} & set(request.GET)
    if by_id:
        if len(by_id) > 1 or set(request.GET) - _BY_ID_ALLOWED:
            raise ValidationError(
                _("statementId and voidedStatementId take no other parameter than format.")
            )
        name = by_id.pop()
        statement_id = uuid.UUID(validation.uuid_string(request.GET[name], name))
        body = selectors.statement_body(
            statement_id=statement_id, voided=name == "voidedStatementId", client_id=mine
        )
        if body is None:
            return _error(404, _("No such statement."), version)
        statement = json.loads(body)
        response = HttpResponse(
            body if fmt == "exact" else services.dumps(_shaped(statement, fmt, request)),
            content_type="application/json",
        )
        response["Last-Modified"] = http_date(services._parse_time(statement["stored"]).timestamp())
        response["X-Experience-API-Consistent-Through"] = services.iso(now)
        return response

    if "more" in request.GET:
        try:
            f, fmt, after = selectors.more_parse(request.GET["more"])
        except (signing.BadSignature, KeyError, ValueError, TypeError):
            raise ValidationError(_("The more link is not valid.")) from None
        if f.client_id != mine:
            raise ValidationError(_("The more link is not valid."))
    else:
        f = _filter_from(request, mine)
        after = None
    rows = selectors.statements_matching(f, after=after)
    page, more = rows[: f.limit], len(rows) > f.limit
    if fmt == "exact":
        items = ",".join(body for _seq, _stored, body in page)
    else:
        items = ",".join(services.dumps(_shaped(json.loads(b), fmt, request)) for _s, _t, b in page)
    more_url = ""
    if more:
        last = page[-1]
        more_url = "/xapi/statements?" + urlencode(
            {"more": selectors.more_token(f, fmt, (last[1], last[0]))}
        )
    content = '{"statements":[' + items + '],"more":' + json.dumps(more_url) + "}"
    response = HttpResponse(content, content_type="application/json")
    response["X-Experience-API-Consistent-Through"] = services.iso(now)
    newest = max((stored for _s, stored, _b in page), default=now)
    response["Last-Modified"] = http_date(newest.timestamp())
    return response


_FILTERS = {
    "agent", "verb", "activity", "registration", "related_activities", "related_agents",
    "since", "until", "limit", "format", "attachments", "ascending",
}  # fmt: skip


def _bool_param(request: HttpRequest, name: str) -> bool:
    value = request.GET.get(name, "false")
    if value not in {"true", "false"}:
        raise ValidationError(_("%(name)s must be true or false.") % {"name": name})
    return value == "true"


def _filter_from(request: XapiRequest, mine: int | None) -> selectors.StatementFilter:
    unknown = set(request.GET) - _FILTERS
    if unknown:
        raise ValidationError(
            _("Unknown parameters: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    agent = None
    if "agent" in request.GET:
        agent = validation.parse_agent_param(_json_param(request, "agent"))
    verb = validation.iri(request.GET["verb"], "verb") if "verb" in request.GET else None
    activity = (
        validation.iri(request.GET["activity"], "activity") if "activity" in request.GET else None
    )
    registration = None
    if "registration" in request.GET:
        registration = uuid.UUID(
            validation.uuid_string(request.GET["registration"], "registration")
        )
    try:
        limit = int(request.GET.get("limit", selectors.DEFAULT_LIMIT))
    except ValueError:
        raise ValidationError(_("limit must be a whole number.")) from None
    if limit < 0:
        raise ValidationError(_("limit must not be negative."))
    # xAPI 1.0.3 7.2.3: limit 0 means the server's maximum.
    limit = selectors.MAX_LIMIT if limit == 0 else min(limit, selectors.MAX_LIMIT)
    return selectors.StatementFilter(
        agent=agent,
        verb=verb,
        activity=activity,
        registration=registration,
        related_activities=_bool_param(request, "related_activities"),
        related_agents=_bool_param(request, "related_agents"),
        since=_time_param(request, "since", request.xapi_version),
        until=_time_param(request, "until", request.xapi_version),
        limit=limit,
        ascending=_bool_param(request, "ascending"),
        client_id=mine,
    )


def _ids_agent(agent: dict[str, Any]) -> dict[str, Any]:
    shaped = {k: v for k, v in agent.items() if k in {"objectType", *validation.IFI_KEYS}}
    if "member" in agent and not any(k in agent for k in validation.IFI_KEYS):
        shaped["member"] = [_ids_agent(m) for m in agent["member"]]
    return shaped


def _ids(statement: dict[str, Any]) -> dict[str, Any]:
    """format=ids: agents by identifier only, activities and verbs by id only."""
    shaped = dict(statement)
    shaped["actor"] = _ids_agent(statement["actor"])
    shaped["verb"] = {"id": statement["verb"]["id"]}
    obj = statement["object"]
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        shaped["object"] = {"objectType": "Activity", "id": obj["id"]}
    elif kind in {"Agent", "Group"}:
        shaped["object"] = _ids_agent(obj)
    elif kind == "SubStatement":
        shaped["object"] = _ids(obj)
    if "authority" in statement:
        shaped["authority"] = _ids_agent(statement["authority"])
    if "context" in statement:
        context = dict(statement["context"])
        for key in ("instructor", "team"):
            if key in context:
                context[key] = _ids_agent(context[key])
        if "contextActivities" in context:
            context["contextActivities"] = {
                kind: [{"objectType": "Activity", "id": a["id"]} for a in items]
                for kind, items in context["contextActivities"].items()
            }
        shaped["context"] = context
    return shaped


_MAP_KEYS = {"display", "name", "description"}


def _canonical(value: Any, languages: list[str]) -> Any:
    """format=canonical: each language map cut to the reader's best language."""
    if isinstance(value, list):
        return [_canonical(v, languages) for v in value]
    if not isinstance(value, dict):
        return value
    shaped: dict[str, Any] = {}
    for key, item in value.items():
        if (
            key in _MAP_KEYS
            and isinstance(item, dict)
            and item
            and all(isinstance(t, str) for t in item.values())
        ):
            chosen = next((lang for lang in languages if lang in item), next(iter(item)))
            shaped[key] = {chosen: item[chosen]}
        else:
            shaped[key] = _canonical(item, languages)
    return shaped


def _shaped(statement: dict[str, Any], fmt: str, request: HttpRequest) -> dict[str, Any]:
    if fmt == "ids":
        return _ids(statement)
    languages = [
        part.split(";")[0].strip()
        for part in request.headers.get("Accept-Language", "").split(",")
        if part.strip()
    ]
    return dict(_canonical(statement, languages))


# --- Activities and Agents -----------------------------------------------------------------


def _define_scopes(method: str) -> set[str]:
    return {Client.Scope.DEFINE} | ({Client.Scope.ALL_READ} if method == "GET" else set())


@xapi_resource(scopes=_define_scopes)
def activities(request: XapiRequest) -> HttpResponse:
    if request.method not in {"GET", "HEAD"}:
        return _error(405, _("Only GET is allowed here."), request.xapi_version)
    try:
        activity_id = validation.iri(request.GET.get("activityId"), "activityId")
    except ValidationError as error:
        return _error(400, " ".join(error.messages), request.xapi_version)
    return JsonResponse(selectors.activity_definition(activity_id=activity_id))


@xapi_resource(scopes=_define_scopes)
def agents(request: XapiRequest) -> HttpResponse:
    """xAPI 1.0.3 part three 2.6: the Person object; this LRS knows one identifier each."""
    if request.method not in {"GET", "HEAD"}:
        return _error(405, _("Only GET is allowed here."), request.xapi_version)
    try:
        if "agent" not in request.GET:
            raise ValidationError(_("The agent parameter is required."))
        agent = validation.parse_agent_param(_json_param(request, "agent"))
    except ValidationError as error:
        return _error(400, " ".join(error.messages), request.xapi_version)
    person: dict[str, Any] = {"objectType": "Person"}
    for key in ("name", *validation.IFI_KEYS):
        if key in agent:
            person[key] = [agent[key]]
    return JsonResponse(person)


# --- Documents: State, Activity Profile, Agent Profile -------------------------------------


def _state_scopes(method: str) -> set[str]:
    return {Client.Scope.STATE} | ({Client.Scope.ALL_READ} if method == "GET" else set())


def _document_response(document: Document) -> HttpResponse:
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["ETag"] = f'"{document.etag}"'
    response["Last-Modified"] = http_date(document.updated.timestamp())
    return response


def _documents(
    request: XapiRequest,
    *,
    kind: str,
    id_param: str,
    activity_id: str = "",
    agent: str = "",
    registration: str = "",
    list_needs_no_id: bool = True,
) -> HttpResponse:
    doc_id = request.GET.get(id_param)
    scope_key, doc_key = services.document_keys(
        kind=kind,
        activity_id=activity_id,
        agent=agent,
        registration=registration,
        doc_id=doc_id or "",
    )
    method = request.method
    if method in {"GET", "HEAD"}:
        if doc_id is None:
            since = _time_param(request, "since", request.xapi_version)
            return JsonResponse(
                selectors.document_ids(scope_key=scope_key, since=since), safe=False
            )
        document = selectors.document_get(doc_key=doc_key)
        if document is None:
            return _error(404, _("No such document."), request.xapi_version)
        return _document_response(document)
    if method == "DELETE":
        if doc_id is None and not list_needs_no_id:
            raise ValidationError(_("%(name)s is required.") % {"name": id_param})
        services.documents_delete(
            scope_key=scope_key,
            doc_key=doc_key if doc_id is not None else None,
            if_match=request.headers.get("If-Match"),
            if_none_match=request.headers.get("If-None-Match"),
        )
        return HttpResponse(status=204)
    if method in {"PUT", "POST"}:
        if doc_id is None:
            raise ValidationError(_("%(name)s is required.") % {"name": id_param})
        # xAPI 1.0.3 part three 1.3: a PUT that would overwrite without If-Match or
        # If-None-Match is refused (409) for profiles; xAPI 2.0 asks it of State too.
        require = method == "PUT" and (
            kind != Document.Kind.STATE or request.xapi_version.startswith("2")
        )
        document = services.document_put(
            kind=kind,
            scope_key=scope_key,
            doc_key=doc_key,
            doc_id=doc_id,
            content=request.body,
            content_type=request.content_type or "application/octet-stream",
            merge=method == "POST",
            if_match=request.headers.get("If-Match"),
            if_none_match=request.headers.get("If-None-Match"),
            require_precondition=require,
        )
        response = HttpResponse(status=204)
        response["ETag"] = f'"{document.etag}"'
        return response
    return _error(405, _("This method is not allowed here."), request.xapi_version)


def _document_errors(view: View) -> View:
    @wraps(view)
    def wrapped(request: XapiRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ValidationError as error:
            return _error(400, " ".join(error.messages), request.xapi_version)
        except services.PreconditionFailed:
            return _error(412, _("The document's ETag does not match."), request.xapi_version)
        except services.Conflict:
            return _error(
                409,
                _("The document exists; send If-Match or If-None-Match to change it."),
                request.xapi_version,
            )

    return wrapped


def _agent_param(request: HttpRequest) -> str:
    if "agent" not in request.GET:
        raise ValidationError(_("The agent parameter is required."))
    return services.agent_key(validation.parse_agent_param(_json_param(request, "agent")))


def _activity_param(request: HttpRequest) -> str:
    return validation.iri(request.GET.get("activityId"), "activityId")


@xapi_resource(scopes=_state_scopes)
@_document_errors
def state(request: XapiRequest) -> HttpResponse:
    registration = request.GET.get("registration", "")
    if registration:
        registration = validation.uuid_string(registration, "registration")
    return _documents(
        request,
        kind=Document.Kind.STATE,
        id_param="stateId",
        activity_id=_activity_param(request),
        agent=_agent_param(request),
        registration=registration,
    )


@xapi_resource(scopes=_define_scopes)
@_document_errors
def activity_profile(request: XapiRequest) -> HttpResponse:
    return _documents(
        request,
        kind=Document.Kind.ACTIVITY_PROFILE,
        id_param="profileId",
        activity_id=_activity_param(request),
        list_needs_no_id=False,
    )


@xapi_resource(scopes=_define_scopes)
@_document_errors
def agent_profile(request: XapiRequest) -> HttpResponse:
    return _documents(
        request,
        kind=Document.Kind.AGENT_PROFILE,
        id_param="profileId",
        agent=_agent_param(request),
        list_needs_no_id=False,
    )


def endpoint() -> str:
    return f"{settings.SITE_URL.rstrip('/')}/xapi/"
