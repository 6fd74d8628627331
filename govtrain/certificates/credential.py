"""A certificate as an Open Badges 3.0 AchievementCredential (a W3C Verifiable Credential
2.0), before it is signed.

Personal data is kept to what a stranger needs to check the certificate against the
person in front of them: the name in clear, and the PEN only as a salted SHA-256 (the
Open Badges IdentityObject), which a verifier who is told the PEN can check and nobody can
read back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

import orjson

from govtrain.certificates import identity
from govtrain.certificates.jsonld import OB_V3, VC_V2

Json = dict[str, Any]
CONTEXT = [VC_V2, OB_V3]


def dumps(document: Json) -> str:
    """Compact JSON, as credentials are stored and served (UTF-8 characters as they are)."""
    return orjson.dumps(document).decode()


def pen_hash(pen: str, salt: str) -> str:
    """Open Badges' identityHash: "sha256$" + hex SHA-256 of the PEN followed by the salt."""
    return "sha256$" + hashlib.sha256(f"{pen}{salt}".encode()).hexdigest()


def xsd_datetime(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def achievement_credential(
    *,
    public_id: str,
    provider_code: str,
    provider_name: str,
    provider_url: str,
    course_code: str,
    course_name: str,
    hours: Decimal,
    recipient_name: str,
    pen: str,
    salt: str,
    completed_on: dt.date,
    issued_at: dt.datetime,
    status_list_url: str,
    status_index: int,
) -> Json:
    """The unsigned credential of one certificate."""
    issuer: Json = {
        "id": identity.issuer_did(provider_code),
        "type": ["Profile"],
        "name": provider_name,
    }
    if provider_url:
        issuer["url"] = provider_url
    hours_text = f"{hours.normalize():f}"
    return {
        "@context": CONTEXT,
        "id": identity.verify_url(public_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": course_name,
        "issuer": issuer,
        "validFrom": xsd_datetime(issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": recipient_name,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "identifier",
                    "hashed": True,
                    "identityHash": pen_hash(pen, salt),
                    "salt": salt,
                },
            ],
            "activityEndDate": xsd_datetime(
                dt.datetime.combine(completed_on, dt.time(), tzinfo=dt.UTC)
            ),
            "creditsEarned": float(hours),
            "achievement": {
                "id": identity.achievement_url(course_code),
                "type": ["Achievement"],
                "achievementType": "Course",
                "name": course_name,
                "description": f"{course_name}, {hours_text} hours, by {provider_name}.",
                "criteria": {
                    "narrative": (
                        "Completed the course as its rule requires (attendance, lessons or "
                        f"assessment), credited with {hours_text} hours of training."
                    )
                },
                "creator": issuer,
            },
        },
        "credentialStatus": {
            "id": f"{status_list_url}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": status_list_url,
        },
    }


def status_list_credential(
    *, url: str, provider_code: str, encoded_list: str, valid_from: dt.datetime
) -> Json:
    """The unsigned BitstringStatusListCredential (VC 2.0 defines its terms)."""
    return {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": identity.issuer_did(provider_code),
        "validFrom": xsd_datetime(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }
