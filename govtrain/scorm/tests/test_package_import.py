"""A coordinator uploads SCORM packages: good ones are stored, bad ones leave no trace."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from govtrain.audit.models import AuditEvent
from govtrain.people.models import Employee
from govtrain.scorm import samples
from govtrain.scorm.models import Package
from govtrain.scorm.services import PackageError, package_import
from govtrain.scorm.tests.zips import SCO_HTML, make_zip, manifest_12, upload

pytestmark = pytest.mark.django_db


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_coordinator_imports_the_scorm_12_sample(coordinator: Employee) -> None:
    package = package_import(upload=upload(samples.build("1.2")), by=coordinator.user)

    assert package.version == Package.Version.SCORM_12
    assert package.title == "Right to Information: the basics (SCORM 1.2)"
    sco = package.default_sco
    assert sco is not None
    assert (sco.identifier, sco.href) == ("item_rti", "sco/index.html?lang=en")
    assert sco.mastery_score == Decimal(66)
    assert sco.completion_threshold is None
    assert package.file_count == 4
    assert (
        default_storage.open(f"{package.storage_prefix}/sco/index.html")
        .read()
        .startswith(b"<!doctype html>")
    )
    event = AuditEvent.objects.get(action="scorm.package_imported")
    assert event.actor == coordinator.user
    assert event.target_id == str(package.pk)


def test_coordinator_imports_the_scorm_2004_sample(coordinator: Employee) -> None:
    package = package_import(upload=upload(samples.build("2004")), by=coordinator.user)

    assert package.version == Package.Version.SCORM_2004
    sco = package.default_sco
    assert sco is not None
    assert sco.organisation == "org_rti"
    assert sco.completion_threshold == Decimal("1.0")
    assert sco.scaled_passing_score == Decimal("0.66")
    assert sco.mastery_score is None
    assert len(stored_files()) == 4


def test_the_default_organisation_comes_first_and_items_keep_their_order(
    coordinator: Employee,
) -> None:
    manifest = b"""<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <organizations default="main">
    <organization identifier="other"><title>Other</title>
      <item identifier="x" identifierref="r1"><title>X</title></item></organization>
    <organization identifier="main"><title>Main</title>
      <item identifier="chapter"><title>Chapter</title>
        <item identifier="a" identifierref="r1" parameters="page=1"><title>A</title></item>
        <item identifier="b" identifierref="r2"><title>B</title></item>
        <item identifier="asset" identifierref="r3"><title>Asset</title></item>
      </item></organization>
  </organizations>
  <resources xml:base="content/">
    <resource identifier="r1" adlcp:scormType="sco" type="webcontent" href="a.html?x=1"/>
    <resource identifier="r2" adlcp:scormType="sco" type="webcontent" href="b%20c.html"/>
    <resource identifier="r3" adlcp:scormType="asset" type="webcontent" href="logo.png"/>
  </resources>
</manifest>"""
    data = make_zip(
        {
            "imsmanifest.xml": manifest,
            "content/a.html": SCO_HTML,
            "content/b c.html": SCO_HTML,
            "content/logo.png": b"png",
        }
    )

    package = package_import(upload=upload(data), by=coordinator.user, title="My title")

    assert package.version == "2004"
    assert package.title == "My title"
    scos = list(package.scos.values_list("identifier", "organisation", "href"))
    assert scos == [
        ("a", "main", "content/a.html?x=1&page=1"),
        ("b", "main", "content/b%20c.html"),
        ("x", "other", "content/a.html?x=1"),
    ]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<manifest>&lol2;</manifest>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><manifest>&x;</manifest>"""
NO_VERSION = b"""<?xml version="1.0"?><manifest identifier="m"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"><organizations/><resources/></manifest>"""


def bomb() -> bytes:
    return make_zip(
        {
            "imsmanifest.xml": manifest_12(),
            "index.html": SCO_HTML,
            "big.txt": b"\0" * (5 * 1024 * 1024),
        }
    )


CASES: list[tuple[str, Any, str, dict[str, Any]]] = [
    ("not a zip", b"%PDF-1.4 not a zip", "not a zip archive", {}),
    ("empty file", b"", "not a zip archive", {}),
    ("no manifest", make_zip({"index.html": SCO_HTML}), "no imsmanifest.xml", {}),
    (
        "manifest in a folder",
        make_zip({"course/imsmanifest.xml": manifest_12(), "course/index.html": SCO_HTML}),
        "no imsmanifest.xml",
        {},
    ),
    (
        "malformed manifest",
        make_zip({"imsmanifest.xml": b"<manifest><organizations>", "index.html": SCO_HTML}),
        "not well-formed",
        {},
    ),
    ("entity expansion", make_zip({"imsmanifest.xml": BILLION_LAUGHS}), "DTD or entities", {}),
    ("external entity", make_zip({"imsmanifest.xml": EXTERNAL_ENTITY}), "DTD or entities", {}),
    ("neither version", make_zip({"imsmanifest.xml": NO_VERSION}), "neither SCORM 1.2 nor", {}),
    (
        "no SCO",
        make_zip(
            {
                "imsmanifest.xml": manifest_12().replace(b'scormtype="sco"', b'scormtype="asset"'),
                "index.html": SCO_HTML,
            }
        ),
        "declares no SCO",
        {},
    ),
    (
        "missing launch file",
        make_zip({"imsmanifest.xml": manifest_12(href="start.html"), "index.html": SCO_HTML}),
        "“start.html” of “i1” is not in the package",
        {},
    ),
    (
        "parent directory",
        make_zip({"imsmanifest.xml": manifest_12(), "index.html": SCO_HTML, "../evil.html": b"x"}),
        "unsafe path: “../evil.html”",
        {},
    ),
    (
        "nested parent directory",
        make_zip({"imsmanifest.xml": manifest_12(), "a/../../evil.html": b"x"}),
        "unsafe path",
        {},
    ),
    (
        "absolute path",
        make_zip({"imsmanifest.xml": manifest_12(), "/etc/cron.d/evil": b"x"}),
        "unsafe path",
        {},
    ),
    (
        "backslash",
        make_zip({"imsmanifest.xml": manifest_12(), "..\\evil.html": b"x"}),
        "unsafe path",
        {},
    ),
    (
        "drive letter",
        make_zip({"imsmanifest.xml": manifest_12(), "C:evil": b"x"}),
        "unsafe path",
        {},
    ),
    (
        "symbolic link",
        make_zip(
            {"imsmanifest.xml": manifest_12(), "index.html": b"/etc/passwd"},
            symlinks=("index.html",),
        ),
        "symbolic link",
        {},
    ),
    (
        "too many files",
        make_zip({"imsmanifest.xml": manifest_12(), "index.html": SCO_HTML, "a.txt": b"a"}),
        "at most 2 are allowed",
        {"SCORM_MAX_ENTRIES": 2},
    ),
    (
        "too large when expanded",
        bomb(),
        "expands to more than 4 MB",
        {"SCORM_MAX_UNCOMPRESSED_MB": 4, "SCORM_MAX_RATIO": 100_000},
    ),
    ("compression ratio", bomb(), "looks like a zip bomb", {}),
    (
        "upload too large",
        make_zip({"imsmanifest.xml": manifest_12(), "index.html": SCO_HTML}),
        "larger than 0 MB",
        {"SCORM_MAX_UPLOAD_MB": 0},
    ),
]


@pytest.mark.parametrize(
    ("data", "message", "overrides"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_a_bad_package_is_refused_with_a_clear_message_and_nothing_is_stored(
    coordinator: Employee, settings: Any, data: bytes, message: str, overrides: dict[str, Any]
) -> None:
    for name, value in overrides.items():
        setattr(settings, name, value)
    handle = upload(data)
    handle.size = len(data)  # type: ignore[attr-defined]  # as an UploadedFile has

    with pytest.raises(PackageError) as caught:
        package_import(upload=handle, by=coordinator.user)

    assert message in caught.value.messages[0]
    assert Package.objects.count() == 0
    assert stored_files() == []
    assert not AuditEvent.objects.filter(action="scorm.package_imported").exists()


def test_a_damaged_file_inside_the_zip_is_refused_and_what_was_extracted_is_removed(
    coordinator: Employee,
) -> None:
    data = bytearray(
        make_zip({"imsmanifest.xml": manifest_12(), "index.html": SCO_HTML, "z.txt": b"z" * 1000})
    )
    # Corrupt z.txt's compressed bytes: its CRC check fails while extracting, after the
    # manifest and index.html were already copied.
    with zipfile.ZipFile(upload(bytes(data))) as archive:
        info = archive.getinfo("z.txt")
    start = info.header_offset + 30 + len(info.filename)
    data[start + 2] ^= 0xFF

    with pytest.raises(PackageError) as caught:
        package_import(upload=upload(bytes(data)), by=coordinator.user)

    assert "damaged" in caught.value.messages[0]
    assert Package.objects.count() == 0
    assert stored_files() == []
