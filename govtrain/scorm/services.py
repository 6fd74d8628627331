"""Importing SCORM packages: validate the zip completely, then store it (docs/scorm.md)."""

from __future__ import annotations

import re
import shutil
import stat
import tempfile
import uuid
import zipfile
import zlib
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from govtrain.accounts.models import User
from govtrain.audit.services import audit_record
from govtrain.catalog.models import Provider
from govtrain.scorm import manifest as manifest_module
from govtrain.scorm.models import Package, Sco

MANIFEST = "imsmanifest.xml"
MANIFEST_MAX_BYTES = 5 * 1024 * 1024
MB = 1024 * 1024
DRIVE = re.compile(r"^[A-Za-z]:")
SPOOL = 8 * 1024 * 1024  # files up to this size are decompressed in memory


class PackageError(ValidationError):
    """The package cannot be imported; the message says why, for the person uploading it."""


def _check_name(info: zipfile.ZipInfo) -> str:
    """The entry's path, or PackageError if it could land outside the package's folder."""
    name = info.filename
    parts = name.split("/")
    mode = info.external_attr >> 16
    if (
        "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or DRIVE.match(name)
        or any(part in {"..", "."} for part in parts)
        or "" in parts[:-1]
    ):
        raise PackageError(
            _("The package contains an unsafe path: “%(name)s”.") % {"name": name[:200]}
        )
    if info.create_system == 3 and stat.S_ISLNK(mode):  # 3: Unix, where links are stored
        raise PackageError(
            _("The package contains a symbolic link: “%(name)s”.") % {"name": name[:200]}
        )
    if info.flag_bits & 0x1:
        raise PackageError(
            _("The package contains an encrypted file: “%(name)s”.") % {"name": name[:200]}
        )
    return name


def _open_zip(upload: IO[bytes]) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise PackageError(_("The file is not a zip archive.")) from error


def _validate(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Every check that needs no decompression: names, counts, sizes, ratios."""
    entries = archive.infolist()
    if len(entries) > settings.SCORM_MAX_ENTRIES:
        raise PackageError(
            _("The package has %(count)s files; at most %(limit)s are allowed.")
            % {"count": len(entries), "limit": settings.SCORM_MAX_ENTRIES}
        )
    files: list[zipfile.ZipInfo] = []
    seen: set[str] = set()
    total = 0
    for info in entries:
        name = _check_name(info)
        if info.is_dir():
            continue
        if name in seen:
            raise PackageError(_("The package contains “%(name)s” twice.") % {"name": name[:200]})
        seen.add(name)
        total += info.file_size
        # A zip bomb: a small entry that inflates far beyond any real content.
        if info.file_size > MB and info.file_size > settings.SCORM_MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise PackageError(
                _(
                    "“%(name)s” expands more than %(ratio)s times: "
                    "the package looks like a zip bomb."
                )
                % {"name": name[:200], "ratio": settings.SCORM_MAX_RATIO}
            )
        files.append(info)
    if total > settings.SCORM_MAX_UNCOMPRESSED_MB * MB:
        raise PackageError(
            _("The package expands to more than %(limit)s MB.")
            % {"limit": settings.SCORM_MAX_UNCOMPRESSED_MB}
        )
    return files


def _read_manifest(archive: zipfile.ZipFile, files: list[zipfile.ZipInfo]) -> bytes:
    info = next((entry for entry in files if entry.filename == MANIFEST), None)
    if info is None:
        raise PackageError(_("The package has no imsmanifest.xml at its top level."))
    if info.file_size > MANIFEST_MAX_BYTES:
        raise PackageError(_("imsmanifest.xml is larger than 5 MB."))
    try:
        with archive.open(info) as handle:
            return handle.read(MANIFEST_MAX_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as error:
        raise PackageError(_("imsmanifest.xml cannot be read from the zip archive.")) from error


def _extract(archive: zipfile.ZipFile, files: list[zipfile.ZipInfo], prefix: str) -> list[str]:
    """Copy every file into the default storage; on any failure remove what was copied."""
    stored: list[str] = []
    try:
        for info in files:
            # Decompress to a temporary file first: the reader stops at the declared size
            # and checks the CRC at the end, so a damaged or lying entry fails here and
            # never leaves half a file in the storage.
            with archive.open(info) as handle, tempfile.SpooledTemporaryFile(SPOOL) as copy:
                shutil.copyfileobj(handle, copy)
                copy.seek(0)
                stored.append(default_storage.save(f"{prefix}/{info.filename}", File(copy)))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as error:
        _remove(stored)
        raise PackageError(
            _("A file in the package is damaged and cannot be extracted.")
        ) from error
    except BaseException:
        _remove(stored)
        raise
    return stored


def _remove(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def package_import(
    *, upload: IO[bytes], by: User | None, provider: Provider | None = None, title: str = ""
) -> Package:
    """Validate a SCORM 1.2/2004 zip and store it; PackageError, with nothing stored, if bad.

    The caller checks that `by` may add content (Perm.CATALOG_MANAGE over `provider`, the
    institute the package belongs to; None: state-wide). Every check runs before anything
    is written.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > settings.SCORM_MAX_UPLOAD_MB * MB:
        raise PackageError(
            _("The package is larger than %(limit)s MB.") % {"limit": settings.SCORM_MAX_UPLOAD_MB}
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    archive = _open_zip(upload)
    with archive:
        files = _validate(archive)
        raw = _read_manifest(archive, files)
        names = {info.filename for info in files}
        try:
            parsed = manifest_module.parse(raw, names=names)
        except manifest_module.ManifestError as error:
            raise PackageError(error.messages[0]) from error
        package_uuid = uuid.uuid4()
        prefix = f"scorm/{package_uuid}"
        stored = _extract(archive, files, prefix)
    try:
        with transaction.atomic():
            package = Package.objects.create(
                uuid=package_uuid,
                title=(title.strip() or parsed.title or parsed.identifier or "SCORM")[:300],
                version=parsed.version,
                identifier=parsed.identifier[:255],
                storage_prefix=prefix,
                provider=provider,
                size_bytes=sum(info.file_size for info in files),
                file_count=len(files),
                uploaded_by=by,
            )
            Sco.objects.bulk_create(
                Sco(
                    package=package,
                    identifier=entry.identifier,
                    title=entry.title,
                    organisation=entry.organisation,
                    href=entry.href[:2000],
                    position=position,
                    mastery_score=entry.mastery_score,
                    completion_threshold=entry.completion_threshold,
                    scaled_passing_score=entry.scaled_passing_score,
                )
                for position, entry in enumerate(parsed.scos)
            )
            audit_record(
                actor=by,
                action="scorm.package_imported",
                target=package,
                after={
                    "title": package.title,
                    "version": package.version,
                    "scos": len(parsed.scos),
                    "files": package.file_count,
                },
            )
    except BaseException:
        # The rows were not written; neither may the files stay.
        _remove(stored)
        raise
    return package


def _remove_tree(prefix: str) -> None:
    """Delete every file under `prefix` in the default storage (also on S3, by listing)."""
    folders, files = default_storage.listdir(prefix)
    for name in files:
        default_storage.delete(f"{prefix}/{name}")
    for folder in folders:
        _remove_tree(f"{prefix}/{folder}")


@transaction.atomic
def package_delete(*, package: Package, by: User | None) -> None:
    """Remove a package that no lesson uses; PackageError if one does.

    The caller checks that `by` may manage the package's provider. The files go once the
    rows are gone for good (after the commit).
    """
    package = Package.objects.select_for_update().get(pk=package.pk)
    prefix, title = package.storage_prefix, package.title
    audit_record(actor=by, action="scorm.package_deleted", target=package, before={"title": title})
    try:
        with transaction.atomic():
            package.delete()
    except ProtectedError as error:
        raise PackageError(
            _("“%(title)s” is used by a lesson; remove it from the lesson first.")
            % {"title": title}
        ) from error
    transaction.on_commit(lambda: _remove_tree(prefix))
