"""Reading `imsmanifest.xml`: the version, the organisations and their SCOs.

Elements are matched by local name, not namespace: authoring tools often declare the
namespaces loosely, and SCORM's own conformance suite accepts that. The version comes from
`metadata/schemaversion` (ADL CAM 1.2 section 2.3.2; SCORM 2004 CAM 3.4.1.3), and failing
that from which ADL namespace the manifest declares.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


class ManifestError(ValidationError):
    """The manifest cannot be used; the message says why, for the person uploading."""


@dataclass(frozen=True)
class ScoEntry:
    identifier: str
    title: str
    organisation: str
    href: str  # path inside the package, with the item's parameters
    path: str  # the launch file's path inside the package (no query, unquoted)
    mastery_score: Decimal | None = None
    completion_threshold: Decimal | None = None
    scaled_passing_score: Decimal | None = None


@dataclass(frozen=True)
class Organisation:
    identifier: str
    title: str


@dataclass
class Manifest:
    version: str  # "1.2" or "2004"
    identifier: str
    title: str
    organisations: list[Organisation] = field(default_factory=list)
    scos: list[ScoEntry] = field(default_factory=list)


def _local(tag: object) -> str:
    text = str(tag)
    return text.rsplit("}", 1)[-1] if text.startswith("{") else text


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: Element, name: str) -> Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _attr(element: Element, name: str) -> str:
    """An attribute by local name, whatever its namespace prefix."""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value.strip()
    return ""


def _decimal(value: str, *, low: Decimal, high: Decimal, what: str | Promise) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or not low <= number <= high:
        raise ManifestError(
            _(
                "The manifest gives %(what)s as “%(value)s”, "
                "which is not between %(low)s and %(high)s."
            )
            % {"what": what, "value": value[:40], "low": low, "high": high}
        )
    return number


def _detect_version(root: Element, raw: bytes) -> str:
    metadata = _child(root, "metadata")
    schema = _text(_child(metadata, "schemaversion") if metadata is not None else None).lower()
    if schema == "1.2":
        return "1.2"
    if schema.startswith("2004") or schema == "cam 1.3":
        return "2004"
    if ADLCP_2004.encode() in raw:
        return "2004"
    if ADLCP_12.encode() in raw:
        return "1.2"
    raise ManifestError(
        _("The manifest is neither SCORM 1.2 nor SCORM 2004 (no schema version or ADL namespace).")
    )


def _join_base(*parts: str) -> str:
    """IMS CP xml:base: each base is a directory prefix of what follows."""
    path = ""
    for part in parts:
        if not part:
            continue
        path = (
            part if not path else posixpath.join(path if path.endswith("/") else path + "/", part)
        )
    return path


def _with_parameters(href: str, parameters: str) -> str:
    """Append an item's `parameters` to its launch href (SCORM 2004 CAM 3.4.1.9)."""
    parameters = parameters.strip()
    if not parameters:
        return href
    if parameters.startswith("#"):
        return href if "#" in href else href + parameters
    parameters = parameters.lstrip("?&")
    return f"{href}{'&' if '?' in href else '?'}{parameters}"


def parse(raw: bytes, *, names: set[str]) -> Manifest:
    """Parse a manifest; `names` are the package's file paths, to check launch files exist."""
    try:
        # defusedxml refuses DTDs, entity declarations and external references.
        root = SafeET.fromstring(raw, forbid_dtd=True)
    except DefusedXmlException as error:
        raise ManifestError(
            _("The manifest declares a DTD or entities, which are not allowed.")
        ) from error
    except SafeET.ParseError as error:
        raise ManifestError(
            _("imsmanifest.xml is not well-formed XML (%(detail)s).") % {"detail": str(error)}
        ) from error
    if _local(root.tag) != "manifest":
        raise ManifestError(_("imsmanifest.xml does not start with a <manifest> element."))
    version = _detect_version(root, raw)

    resources: dict[str, tuple[str, str]] = {}  # identifier -> (href, scorm type)
    resources_el = _child(root, "resources")
    resources_base = _attr(resources_el, "base") if resources_el is not None else ""
    for resource in _children(resources_el, "resource") if resources_el is not None else []:
        identifier = _attr(resource, "identifier")
        href = _attr(resource, "href")
        if identifier and href:
            resources[identifier] = (
                _join_base(resources_base, resource.get(XML_BASE, ""), href),
                _attr(resource, "scormtype").lower(),
            )

    organisations_el = _child(root, "organizations")
    organisation_els = (
        _children(organisations_el, "organization") if organisations_el is not None else []
    )
    if not organisation_els:
        raise ManifestError(_("The manifest has no organisation (no course structure)."))
    default = _attr(organisations_el, "default") if organisations_el is not None else ""
    # The default organisation comes first: a lesson plays its first SCO.
    organisation_els.sort(key=lambda org: _attr(org, "identifier") != default)

    manifest = Manifest(version=version, identifier=_attr(root, "identifier"), title="")
    seen: set[str] = set()
    for organisation_el in organisation_els:
        organisation = Organisation(
            identifier=_attr(organisation_el, "identifier"),
            title=_text(_child(organisation_el, "title")),
        )
        manifest.organisations.append(organisation)
        for item in organisation_el.iter():
            if _local(item.tag) != "item" or item is organisation_el:
                continue
            launch = resources.get(_attr(item, "identifierref"))
            if launch is None or launch[1] != "sco":
                continue
            identifier = _attr(item, "identifier")[:255]  # as stored: unique per package
            if not identifier or identifier in seen:
                continue
            seen.add(identifier)
            manifest.scos.append(_sco(item, launch[0], organisation, version, names))
    if not manifest.scos:
        raise ManifestError(_("The manifest declares no SCO: nothing in it can be played."))
    manifest.title = (
        manifest.organisations[0].title or manifest.scos[0].title or manifest.identifier
    )
    return manifest


def _sco(
    item: Element, href: str, organisation: Organisation, version: str, names: set[str]
) -> ScoEntry:
    path = unquote(urlsplit(href).path)
    if path not in names:
        raise ManifestError(
            _("The launch file “%(path)s” of “%(item)s” is not in the package.")
            % {"path": path[:200], "item": _attr(item, "identifier")[:100]}
        )
    mastery = threshold = passing = None
    if version == "1.2":
        mastery = _decimal(
            _text(_child(item, "masteryscore")),
            low=Decimal(0),
            high=Decimal(100),
            what=_("a mastery score"),
        )
    else:
        threshold_el = _child(item, "completionThreshold")
        if threshold_el is not None:
            # 2004 3rd edition: the element's text; 4th edition: minProgressMeasure.
            raw = _attr(threshold_el, "minProgressMeasure") or _text(threshold_el)
            threshold = _decimal(
                raw, low=Decimal(0), high=Decimal(1), what=_("a completion threshold")
            )
        sequencing = _child(item, "sequencing")
        objectives = _child(sequencing, "objectives") if sequencing is not None else None
        primary = _child(objectives, "primaryObjective") if objectives is not None else None
        if primary is not None and _attr(primary, "satisfiedByMeasure").lower() == "true":
            passing = _decimal(
                _text(_child(primary, "minNormalizedMeasure")) or "1.0",
                low=Decimal(-1),
                high=Decimal(1),
                what=_("a passing score"),
            )
    return ScoEntry(
        identifier=_attr(item, "identifier")[:255],
        title=(_text(_child(item, "title")) or _attr(item, "identifier"))[:300],
        organisation=organisation.identifier[:255],
        href=_with_parameters(href, _attr(item, "parameters")),
        path=path,
        mastery_score=mastery,
        completion_threshold=threshold,
        scaled_passing_score=passing,
    )
