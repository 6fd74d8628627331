"""Sample SCORM packages the project builds from its own sources (tests, demo).

`build("1.2")` and `build("2004")` zip `src/sco/` with the version's manifest; nothing
binary is kept in the repository.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "src"
MANIFESTS = {"1.2": "imsmanifest_12.xml", "2004": "imsmanifest_2004.xml"}
# A fixed timestamp keeps the bytes the same from one build to the next.
FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def build(version: str) -> bytes:
    """The zip of the sample package for SCORM `version` ("1.2" or "2004")."""
    if version not in MANIFESTS:
        raise ValueError(f"Unknown SCORM version {version!r}: use one of {sorted(MANIFESTS)}.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, "imsmanifest.xml", (SOURCE / MANIFESTS[version]).read_bytes())
        for path in sorted((SOURCE / "sco").iterdir()):
            _add(archive, f"sco/{path.name}", path.read_bytes())
    return buffer.getvalue()
