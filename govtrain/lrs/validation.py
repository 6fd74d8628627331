"""Statement validation per xAPI 1.0.3 (part two, section 2) and xAPI 2.0 (IEEE 9274.1.1).

Every check raises `ValidationError` with a message that names the offending property, so a
client sees which part of which statement was refused. Validation returns the statement as
it will be stored (ids lower-cased); the caller adds id, stored, authority and version.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

Json = dict[str, Any]

# An IRI needs a scheme and no white space (RFC 3987); that is what the spec's
# conformance suite checks, without resolving anything.
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
_IRL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$", re.IGNORECASE)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_VERSION = re.compile(r"^(1\.0(\.\d+)?|2\.0(\.\d+)?)$")
# ISO 8601 date-time in the extended format; the offset is optional only in 1.0.x.
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(?P<tz>Z|[+-]\d\d(:?\d\d)?)?$")
# ISO 8601 durations: PnYnMnDTnHnMnS (the last unit may be a decimal) or PnW.
_DURATION = re.compile(
    r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?D)?"
    r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$|^P\d+(\.\d+)?W$"
)
_email = EmailValidator()

STATEMENT_KEYS = frozenset(
    {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
     "version", "attachments"}
)  # fmt: skip
SUBSTATEMENT_KEYS = frozenset(
    {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
)
AGENT_KEYS = frozenset({"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"})
GROUP_KEYS = AGENT_KEYS | {"member"}
IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")
CONTEXT_KEYS_1 = frozenset(
    {"registration", "instructor", "team", "contextActivities", "revision", "platform",
     "language", "statement", "extensions"}
)  # fmt: skip
CONTEXT_KEYS_2 = CONTEXT_KEYS_1 | {"contextAgents", "contextGroups"}
RESULT_KEYS = frozenset({"score", "success", "completion", "response", "duration", "extensions"})
SCORE_KEYS = frozenset({"scaled", "raw", "min", "max"})
ACTIVITY_KEYS = frozenset({"objectType", "id", "definition"})
DEFINITION_KEYS = frozenset(
    {"name", "description", "type", "moreInfo", "extensions", "interactionType",
     "correctResponsesPattern", "choices", "scale", "source", "target", "steps"}
)  # fmt: skip
INTERACTION_TYPES = frozenset(
    {"true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
     "sequencing", "likert", "numeric", "other"}
)  # fmt: skip
ATTACHMENT_KEYS = frozenset(
    {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
)
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def _fail(path: str, message: str) -> ValidationError:
    return ValidationError(f"{path}: {message}")


def _object(value: Any, path: str, allowed: frozenset[str]) -> Json:
    if not isinstance(value, dict):
        raise _fail(path, _("must be a JSON object."))
    if not allowed.issuperset(value):
        extra = set(value) - allowed
        raise _fail(path, _("unknown properties %(names)s.") % {"names": ", ".join(sorted(extra))})
    return value


def _dict(value: Any, path: str) -> Json:
    if not isinstance(value, dict):
        raise _fail(path, _("must be a JSON object."))
    return cast(Json, value)


# Statements repeat their verbs, activity ids and types, and language tags: each distinct
# string is matched against its pattern once per process.
@lru_cache(maxsize=65_536)
def _is_iri(value: str) -> bool:
    return _IRI.match(value) is not None


@lru_cache(maxsize=1024)
def _is_language_tag(value: str) -> bool:
    return _LANG.match(value) is not None


def _string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise _fail(path, _("must be a string."))
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(path, _("must be true or false."))
    return value


def _number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(path, _("must be a number."))
    return float(value)


def iri(value: Any, path: str) -> str:
    if not isinstance(value, str) or not _is_iri(value):
        raise _fail(path, _("must be an absolute IRI."))
    return value


def irl(value: Any, path: str) -> str:
    if not isinstance(value, str) or not _IRL.match(value):
        raise _fail(path, _("must be an http(s) URL."))
    return value


def uuid_string(value: Any, path: str) -> str:
    if not isinstance(value, str) or not _UUID.match(value):
        raise _fail(path, _("must be a UUID."))
    return value.lower()


def timestamp(value: Any, path: str, version: str) -> str:
    if not isinstance(value, str):
        raise _fail(path, _("must be an ISO 8601 timestamp."))
    match = _TIMESTAMP.match(value)
    if match is None:
        raise _fail(path, _("must be an ISO 8601 timestamp."))
    tz = match.group("tz")
    if tz is None and version.startswith("2"):
        raise _fail(path, _("must include a time zone offset (xAPI 2.0)."))
    if tz in {"-00", "-0000", "-00:00"}:
        raise _fail(path, _("must not use the offset -00:00."))
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _fail(path, _("is not a valid date and time.")) from None
    return value


def language_map(value: Any, path: str) -> Json:
    texts = _dict(value, path)
    for tag, text in texts.items():
        if not _is_language_tag(tag):
            raise _fail(path, _("%(tag)s is not a language tag.") % {"tag": tag})
        if not isinstance(text, str):
            raise _fail(f"{path}.{tag}", _("must be a string."))
    return texts


def extensions(value: Any, path: str) -> Json:
    value = _dict(value, path)
    for key in value:
        iri(key, f"{path} key")
    return cast(Json, value)


def agent(value: Any, path: str, *, group_allowed: bool = True, ifi_required: bool = True) -> Json:
    """An Agent or Group with at most one inverse functional identifier (IFI)."""
    if not isinstance(value, dict):
        raise _fail(path, _("must be an Agent or Group object."))
    object_type = value.get("objectType", "Agent")
    if object_type == "Group":
        if not group_allowed:
            raise _fail(path, _("must be an Agent, not a Group."))
        _object(value, path, GROUP_KEYS)
    elif object_type == "Agent":
        _object(value, path, AGENT_KEYS)
    else:
        raise _fail(path, _("objectType must be Agent or Group."))
    ifis = [key for key in IFI_KEYS if key in value]
    if len(ifis) > 1:
        raise _fail(
            path, _("must have exactly one identifier (mbox, mbox_sha1sum, openid or account).")
        )
    if "name" in value:
        _string(value["name"], f"{path}.name")
    if object_type == "Group":
        members = value.get("member")
        if not ifis and not isinstance(members, list):
            raise _fail(path, _("an anonymous Group must list its members."))
        if members is not None:
            if not isinstance(members, list):
                raise _fail(f"{path}.member", _("must be a list."))
            for i, member in enumerate(members):
                agent(member, f"{path}.member[{i}]", group_allowed=False)
        if ifis:
            _ifi(value, ifis[0], path)
        return value
    if not ifis:
        if ifi_required:
            raise _fail(
                path, _("must have exactly one identifier (mbox, mbox_sha1sum, openid or account).")
            )
        return value
    _ifi(value, ifis[0], path)
    return value


def _ifi(value: Json, key: str, path: str) -> None:
    ifi = value[key]
    if key == "mbox":
        if not isinstance(ifi, str) or not ifi.startswith("mailto:"):
            raise _fail(f"{path}.mbox", _("must be a mailto: IRI."))
        try:
            _email(ifi[len("mailto:") :])
        except ValidationError:
            raise _fail(f"{path}.mbox", _("is not a valid e-mail address.")) from None
    elif key == "mbox_sha1sum":
        if not isinstance(ifi, str) or not _SHA1.match(ifi):
            raise _fail(f"{path}.mbox_sha1sum", _("must be 40 hexadecimal characters."))
    elif key == "openid":
        iri(ifi, f"{path}.openid")
    else:
        account = _object(ifi, f"{path}.account", frozenset({"homePage", "name"}))
        if "homePage" not in account or "name" not in account:
            raise _fail(f"{path}.account", _("needs homePage and name."))
        irl(account["homePage"], f"{path}.account.homePage")
        _string(account["name"], f"{path}.account.name")


def verb(value: Any, path: str) -> Json:
    value = _object(value, path, frozenset({"id", "display"}))
    if "id" not in value:
        raise _fail(path, _("needs an id."))
    iri(value["id"], f"{path}.id")
    if "display" in value:
        language_map(value["display"], f"{path}.display")
    return cast(Json, value)


def activity(value: Any, path: str) -> Json:
    value = _object(value, path, ACTIVITY_KEYS)
    if value.get("objectType", "Activity") != "Activity":
        raise _fail(path, _("objectType must be Activity."))
    if "id" not in value:
        raise _fail(path, _("needs an id."))
    iri(value["id"], f"{path}.id")
    if "definition" in value:
        definition = _object(value["definition"], f"{path}.definition", DEFINITION_KEYS)
        for key in ("name", "description"):
            if key in definition:
                language_map(definition[key], f"{path}.definition.{key}")
        if "type" in definition:
            iri(definition["type"], f"{path}.definition.type")
        if "moreInfo" in definition:
            irl(definition["moreInfo"], f"{path}.definition.moreInfo")
        if "extensions" in definition:
            extensions(definition["extensions"], f"{path}.definition.extensions")
        if (
            "interactionType" in definition
            and definition["interactionType"] not in INTERACTION_TYPES
        ):
            raise _fail(f"{path}.definition.interactionType", _("is not an interaction type."))
        if "correctResponsesPattern" in definition:
            pattern = definition["correctResponsesPattern"]
            if not isinstance(pattern, list) or not all(isinstance(p, str) for p in pattern):
                raise _fail(
                    f"{path}.definition.correctResponsesPattern", _("must be a list of strings.")
                )
        for key in ("choices", "scale", "source", "target", "steps"):
            if key in definition:
                components = definition[key]
                if not isinstance(components, list):
                    raise _fail(f"{path}.definition.{key}", _("must be a list."))
                for i, component in enumerate(components):
                    part = _object(
                        component, f"{path}.definition.{key}[{i}]", frozenset({"id", "description"})
                    )
                    _string(part.get("id"), f"{path}.definition.{key}[{i}].id")
                    if "description" in part:
                        language_map(
                            part["description"], f"{path}.definition.{key}[{i}].description"
                        )
    return cast(Json, value)


def statement_ref(value: Any, path: str) -> Json:
    value = _object(value, path, frozenset({"objectType", "id"}))
    if value.get("objectType") != "StatementRef":
        raise _fail(path, _("objectType must be StatementRef."))
    value["id"] = uuid_string(value.get("id"), f"{path}.id")
    return cast(Json, value)


def result(value: Any, path: str) -> Json:
    value = _object(value, path, RESULT_KEYS)
    if "score" in value:
        score = _object(value["score"], f"{path}.score", SCORE_KEYS)
        numbers = {key: _number(score[key], f"{path}.score.{key}") for key in score}
        if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
            raise _fail(f"{path}.score.scaled", _("must be between -1 and 1."))
        low, high = numbers.get("min"), numbers.get("max")
        if low is not None and high is not None and low >= high:
            raise _fail(f"{path}.score", _("min must be less than max."))
        if "raw" in numbers:
            if low is not None and numbers["raw"] < low:
                raise _fail(f"{path}.score.raw", _("must not be below min."))
            if high is not None and numbers["raw"] > high:
                raise _fail(f"{path}.score.raw", _("must not be above max."))
    for key in ("success", "completion"):
        if key in value:
            _bool(value[key], f"{path}.{key}")
    if "response" in value:
        _string(value["response"], f"{path}.response")
    if "duration" in value and (
        not isinstance(value["duration"], str) or not _DURATION.match(value["duration"])
    ):
        raise _fail(f"{path}.duration", _("must be an ISO 8601 duration."))
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")
    return cast(Json, value)


def context(value: Any, path: str, *, version: str, object_is_activity: bool) -> Json:
    value = _object(value, path, CONTEXT_KEYS_2 if version.startswith("2") else CONTEXT_KEYS_1)
    if "registration" in value:
        value["registration"] = uuid_string(value["registration"], f"{path}.registration")
    if "instructor" in value:
        agent(value["instructor"], f"{path}.instructor")
    if "team" in value:
        team = agent(value["team"], f"{path}.team")
        if team.get("objectType") != "Group":
            raise _fail(f"{path}.team", _("must be a Group."))
    if "contextActivities" in value:
        kinds = _object(
            value["contextActivities"],
            f"{path}.contextActivities",
            frozenset({"parent", "grouping", "category", "other"}),
        )
        for kind, activities in list(kinds.items()):
            # A single activity is allowed and stored as a list of one (xAPI 1.0.3 4.1.6.2).
            items = activities if isinstance(activities, list) else [activities]
            kinds[kind] = [
                activity(item, f"{path}.contextActivities.{kind}[{i}]")
                for i, item in enumerate(items)
            ]
    for key in ("revision", "platform"):
        if key in value:
            _string(value[key], f"{path}.{key}")
            # xAPI 1.0.3 4.1.6: only meaningful when the object is an Activity.
            if not object_is_activity:
                raise _fail(f"{path}.{key}", _("is only allowed when the object is an Activity."))
    if "language" in value and (
        not isinstance(value["language"], str) or not _is_language_tag(value["language"])
    ):
        raise _fail(f"{path}.language", _("must be a language tag."))
    if "statement" in value:
        statement_ref(value["statement"], f"{path}.statement")
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")
    for key, kind_name in (("contextAgents", "agent"), ("contextGroups", "group")):
        if key in value:
            if not isinstance(value[key], list):
                raise _fail(f"{path}.{key}", _("must be a list."))
            for i, item in enumerate(value[key]):
                entry = _object(
                    item,
                    f"{path}.{key}[{i}]",
                    frozenset({"objectType", "relevantTypes", kind_name}),
                )
                if kind_name not in entry:
                    raise _fail(f"{path}.{key}[{i}]", _("needs %(name)s.") % {"name": kind_name})
                agent(entry[kind_name], f"{path}.{key}[{i}].{kind_name}")
                for type_iri in entry.get("relevantTypes", []):
                    iri(type_iri, f"{path}.{key}[{i}].relevantTypes")
    return cast(Json, value)


def attachments(value: Any, path: str) -> list[Json]:
    if not isinstance(value, list):
        raise _fail(path, _("must be a list."))
    for i, item in enumerate(value):
        part = _object(item, f"{path}[{i}]", ATTACHMENT_KEYS)
        for key in ("usageType", "display", "contentType", "length", "sha2"):
            if key not in part:
                raise _fail(f"{path}[{i}]", _("needs %(name)s.") % {"name": key})
        iri(part["usageType"], f"{path}[{i}].usageType")
        language_map(part["display"], f"{path}[{i}].display")
        if "description" in part:
            language_map(part["description"], f"{path}[{i}].description")
        _string(part["contentType"], f"{path}[{i}].contentType")
        if not isinstance(part["length"], int) or isinstance(part["length"], bool):
            raise _fail(f"{path}[{i}].length", _("must be an integer."))
        _string(part["sha2"], f"{path}[{i}].sha2")
        if "fileUrl" not in part:
            # Attachments sent in the request itself need multipart/mixed, which this LRS
            # does not accept; a fileUrl points to content held elsewhere.
            raise _fail(f"{path}[{i}]", _("attachments must give a fileUrl."))
        iri(part["fileUrl"], f"{path}[{i}].fileUrl")
    return value


def _statement_object(value: Any, path: str, *, version: str, sub: bool) -> Json:
    if not isinstance(value, dict):
        raise _fail(path, _("must be a JSON object."))
    object_type = value.get("objectType", "Activity")
    if object_type == "Activity":
        return activity(value, path)
    if object_type in {"Agent", "Group"}:
        return agent(value, path)
    if object_type == "StatementRef":
        return statement_ref(value, path)
    if object_type == "SubStatement":
        if sub:
            raise _fail(path, _("a SubStatement cannot contain another SubStatement."))
        return _statement_body(value, path, version=version, sub=True)
    raise _fail(path, _("has an unknown objectType."))


def _statement_body(value: Json, path: str, *, version: str, sub: bool) -> Json:
    _object(value, path, SUBSTATEMENT_KEYS if sub else STATEMENT_KEYS)
    for key in ("actor", "verb", "object"):
        if key not in value:
            raise _fail(path, _("needs %(name)s.") % {"name": key})
    agent(value["actor"], f"{path}.actor")
    verb(value["verb"], f"{path}.verb")
    obj = _statement_object(value["object"], f"{path}.object", version=version, sub=sub)
    if "result" in value:
        result(value["result"], f"{path}.result")
    if "context" in value:
        is_activity = obj.get("objectType", "Activity") == "Activity"
        context(
            value["context"], f"{path}.context", version=version, object_is_activity=is_activity
        )
    if "timestamp" in value:
        timestamp(value["timestamp"], f"{path}.timestamp", version)
    if "attachments" in value:
        attachments(value["attachments"], f"{path}.attachments")
    return value


def statement(value: Any, *, version: str, index: int | None = None) -> Json:
    """Validate one statement as sent by a client; return it ready to store."""
    path = "statement" if index is None else f"statements[{index}]"
    if not isinstance(value, dict):
        raise _fail(path, _("must be a JSON object."))
    _statement_body(value, path, version=version, sub=False)
    if "id" in value:
        value["id"] = uuid_string(value["id"], f"{path}.id")
    if "version" in value and (
        not isinstance(value["version"], str) or not _VERSION.match(value["version"])
    ):
        raise _fail(f"{path}.version", _("must be a 1.0.x or 2.0.x version."))
    if "authority" in value:
        agent(value["authority"], f"{path}.authority")
    if "stored" in value:
        timestamp(value["stored"], f"{path}.stored", "1.0.3")
    if value["verb"]["id"] == VOIDED:
        obj = value["object"]
        if obj.get("objectType") != "StatementRef":
            raise _fail(f"{path}.object", _("a voiding statement's object must be a StatementRef."))
    return value


def parse_agent_param(value: Mapping[str, Any] | Any, path: str = "agent") -> Json:
    """An `agent` query parameter: an Agent or identified Group."""
    return agent(value, path)


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return bool(_UUID.match(value))
