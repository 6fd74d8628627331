"""The sample packages are built from the repository's sources, the same every time."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from govtrain.scorm import samples


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_sample_is_a_zip_with_the_versions_manifest_and_the_sco(version: str) -> None:
    data = samples.build(version)

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
        manifest = archive.read("imsmanifest.xml").decode()
    assert names == ["imsmanifest.xml", "sco/index.html", "sco/sco.css", "sco/sco.js"]
    assert f"<schemaversion>{'1.2' if version == '1.2' else '2004 4th Edition'}" in manifest
    assert samples.build(version) == data  # reproducible bytes


def test_an_unknown_version_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown SCORM version"):
        samples.build("1.3")


def test_the_command_writes_a_sample_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "rti.zip"

    call_command("build_scorm_sample", "2004", str(out), stdout=io.StringIO())

    assert out.read_bytes() == samples.build("2004")
