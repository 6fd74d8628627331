"""Stream rows out of an HR/payroll export (CSV or XLSX), one at a time.

Nothing here holds the whole file: CSV is decoded line by line (so one badly encoded
line is one row's error, not the file's), XLSX is read with openpyxl's read-only mode.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

# Column name in the export -> our field. HR systems name columns in many ways; these are
# the ones we accept (case and spaces do not matter).
COLUMN_ALIASES = {
    "pen": "pen",
    "pen_no": "pen",
    "permanent_employee_number": "pen",
    "name_en": "name_en",
    "name": "name_en",
    "name_english": "name_en",
    "name_ml": "name_ml",
    "name_malayalam": "name_ml",
    "gender": "gender",
    "sex": "gender",
    "service_class": "service_class",
    "class": "service_class",
    "cadre": "cadre",
    "designation": "designation",
    "designation_code": "designation",
    "office": "office",
    "office_code": "office",
    "date_of_joining": "date_of_joining",
    "doj": "date_of_joining",
    "status": "status",
    "email": "email",
    "official_email": "email",
    "phone": "phone",
    "mobile": "phone",
    "controlling_officer_pen": "controlling_officer_pen",
    "controlling_officer": "controlling_officer_pen",
}
REQUIRED_COLUMNS = ("pen", "name_en", "service_class", "designation", "office")
# XLSX is a zip: refuse archives that would inflate past this (a zip bomb).
XLSX_MAX_INFLATED_BYTES = 2 * 1024**3
XLSX_MAX_RATIO = 200


class FileRejected(Exception):
    """The file as a whole cannot be read; no row was looked at."""


@dataclass
class RawRow:
    number: int  # the row's number as a spreadsheet shows it (header is row 1)
    values: dict[str, object]
    encoding_error: bool = False


def _normalise_header(name: object) -> str:
    return "_".join(str(name or "").strip().lower().replace("-", " ").split())


def map_columns(header: list[object]) -> list[str | None]:
    mapped = [COLUMN_ALIASES.get(_normalise_header(h)) for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in mapped]
    if missing:
        raise FileRejected(_("Required columns are missing: %s.") % ", ".join(missing))
    seen: set[str] = set()
    for column in mapped:
        if column and column in seen:
            raise FileRejected(_("The column %s appears twice.") % column)
        if column:
            seen.add(column)
    return mapped


def count_rows(path: Path, fmt: str) -> int:
    """Data rows in the file, cheaply, for the progress bar (an estimate for CSV)."""
    if fmt == "xlsx":
        workbook = _open_workbook(path)
        try:
            return max((workbook.worksheets[0].max_row or 1) - 1, 0)
        finally:
            workbook.close()
    lines = 0
    last = b"\n"
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    if last != b"\n":
        lines += 1
    return max(lines - 1, 0)


def check_xlsx_archive(stream: IO[bytes], size: int) -> None:
    """Reject an XLSX that is not a zip, or whose members inflate absurdly."""
    try:
        with zipfile.ZipFile(stream) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
            names = archive.namelist()
    except zipfile.BadZipFile as exc:
        raise FileRejected(_("This is not an XLSX workbook.")) from exc
    if "[Content_Types].xml" not in names:
        raise FileRejected(_("This is not an XLSX workbook."))
    if inflated > XLSX_MAX_INFLATED_BYTES or inflated > max(size, 1) * XLSX_MAX_RATIO:
        raise FileRejected(_("The workbook expands to an unreasonable size; it was not opened."))


def iter_rows(path: Path, fmt: str) -> Iterator[RawRow]:
    if fmt == "xlsx":
        yield from _iter_xlsx(path)
    else:
        yield from _iter_csv(path)


class _LineDecoder:
    """Feeds csv.reader decoded lines and remembers which lines were not UTF-8."""

    def __init__(self, binary: IO[bytes]) -> None:
        self.binary = binary
        self.bad_lines: set[int] = set()
        self.line = 0

    def __iter__(self) -> Iterator[str]:
        for raw in self.binary:
            self.line += 1
            if self.line == 1:
                if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                    raise FileRejected(
                        _("The file is UTF-16 text. Save it as “CSV UTF-8” and upload again.")
                    )
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                self.bad_lines.add(self.line)
                yield raw.decode("utf-8", errors="replace")


def _iter_csv(path: Path) -> Iterator[RawRow]:
    with path.open("rb") as binary:
        decoder = _LineDecoder(binary)
        reader = csv.reader(decoder)
        try:
            header = next(reader)
        except StopIteration:
            raise FileRejected(_("The file is empty.")) from None
        except csv.Error as exc:
            raise FileRejected(_("The file is not CSV: %s") % exc) from exc
        if 1 in decoder.bad_lines:
            raise FileRejected(_("The header row is not UTF-8 text. Save the file as “CSV UTF-8”."))
        columns = map_columns(list(header))
        previous_line = reader.line_num
        number = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise FileRejected(
                    _("Line %(line)s cannot be read as CSV: %(error)s")
                    % {"line": reader.line_num, "error": exc}
                ) from exc
            number += 1
            lines = range(previous_line + 1, reader.line_num + 1)
            previous_line = reader.line_num
            if not any(cells):
                continue
            bad = bool(decoder.bad_lines) and any(line in decoder.bad_lines for line in lines)
            yield RawRow(number, _zip_columns(columns, cells), encoding_error=bad)


def _open_workbook(path: Path) -> Any:
    from openpyxl import load_workbook

    with path.open("rb") as f:
        check_xlsx_archive(f, path.stat().st_size)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise FileRejected(_("The workbook cannot be opened: %s") % exc) from exc


def _iter_xlsx(path: Path) -> Iterator[RawRow]:
    workbook = _open_workbook(path)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        try:
            header = next(rows)
        except StopIteration:
            raise FileRejected(_("The file is empty.")) from None
        columns = map_columns(list(header))
        for number, cells in enumerate(rows, start=2):
            if not any(c not in (None, "") for c in cells):
                continue
            yield RawRow(number, _zip_columns(columns, list(cells)))
    finally:
        workbook.close()


def _zip_columns(columns: list[str | None], cells: Sequence[object]) -> dict[str, object]:
    return {column: cell for column, cell in zip(columns, cells, strict=False) if column}


def cell_text(value: object) -> str:
    """A cell as text: spreadsheets hand PENs over as numbers and dates as datetimes."""
    if type(value) is str:  # every CSV cell: the fast path of half a million rows
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def write_error_csv(target: io.TextIOBase) -> csv.DictWriter[str]:
    writer = csv.DictWriter(target, fieldnames=["row", "pen", "column", "message"])
    writer.writeheader()
    return writer
