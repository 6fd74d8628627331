"""Zip archives built in memory for the tests: good packages, broken and malicious ones."""

from __future__ import annotations

import io
import stat
import zipfile

SCO_HTML = b"<!doctype html><title>SCO</title><p>Hello</p>"


def manifest_12(href: str = "index.html", extra: str = "") -> bytes:
    return f"""<?xml version="1.0"?>
<manifest identifier="m1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o1"><organization identifier="o1"><title>Course</title>
    <item identifier="i1" identifierref="r1"><title>One</title></item>
  </organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco"
    href="{href}"/></resources>{extra}
</manifest>""".encode()


def make_zip(files: dict[str, bytes], *, symlinks: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            if name in symlinks:
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def upload(data: bytes, name: str = "package.zip") -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle
