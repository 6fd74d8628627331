"""The certificate and the training record (transcript) as PDF, in English and Malayalam.

Drawn with fpdf2. Malayalam needs text shaping (HarfBuzz, through fpdf2's
`set_text_shaping`) for its conjuncts, chillus and vowel signs. The Noto Sans Malayalam
subsets (fonts.py) are combined with fpdf2's fallback fonts, so one line may mix both
scripts. The QR code is drawn as vector rectangles (segno gives the modules): no image and
no temporary file. fpdf2 embeds only the glyphs a document uses.

Text is wrapped here, word by word, rather than by `multi_cell`: fpdf2's line breaker
shapes the line again for every character it adds, which made a certificate's two wrapped
paragraphs cost more than everything else together.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Literal

import segno
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.drawing import PaintedPath
from fpdf.enums import Align, PathPaintRule
from fpdf.fonts import SubsetMap, TTFFont

from govtrain.certificates import fonts

LATIN = fonts.family_name("latin")
MALAYALAM = fonts.family_name("malayalam")
LATIN_EXT = fonts.family_name("latin-ext")

DEFAULT_ACCENT = "#0b5370"
INK = "#1b1f24"
MUTED = "#48535e"
FAINT = "#75808a"
PT = 25.4 / 72  # millimetres in a point
APOSTROPHE = "\N{RIGHT SINGLE QUOTATION MARK}"

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTHS_ML = (
    "ജനുവരി", "ഫെബ്രുവരി", "മാർച്ച്", "ഏപ്രിൽ", "മേയ്", "ജൂൺ",
    "ജൂലൈ", "ഓഗസ്റ്റ്", "സെപ്റ്റംബർ", "ഒക്ടോബർ", "നവംബർ", "ഡിസംബർ",
)  # fmt: skip


@dataclass(frozen=True)
class CertificateStyle:
    """An institute's design (its CertificateTemplate); signatory and footer may be empty."""

    heading_en: str
    heading_ml: str
    accent: str  # "#0b5370"
    signatory_name_en: str
    signatory_name_ml: str
    signatory_title_en: str
    signatory_title_ml: str
    footer_en: str
    footer_ml: str


@dataclass(frozen=True)
class CertificateDocument:
    """What one certificate says; where a Malayalam field is empty the English one stands
    alone."""

    certificate_id: str
    recipient_en: str
    recipient_ml: str
    pen: str
    course_en: str
    course_ml: str
    provider_en: str
    provider_ml: str
    hours: Decimal
    completed_on: dt.date
    issued_on: dt.date
    verify_url: str
    style: CertificateStyle


@dataclass(frozen=True)
class TranscriptLine:
    course_en: str
    course_ml: str
    provider_en: str
    provider_ml: str
    modality: str
    completed_on: dt.date
    hours: Decimal
    certificate_id: str  # empty when the course has no (unrevoked) certificate


@dataclass(frozen=True)
class TranscriptDocument:
    recipient_en: str
    recipient_ml: str
    pen: str
    office_en: str
    designation_en: str
    lines: tuple[TranscriptLine, ...]
    total_hours: Decimal
    generated_on: dt.date
    verify_note_en: str
    verify_note_ml: str


def render_certificate(doc: CertificateDocument) -> bytes:
    """One A4 landscape page. The same document always gives the same bytes."""
    pdf = _Pdf("landscape", texts=_texts(doc) + _texts(doc.style))
    pdf.describe(
        title=f"{doc.style.heading_en}: {doc.recipient_en}",
        author=doc.provider_en or "govtrain",
        subject=doc.course_en,
        keywords=doc.certificate_id,
        created_on=doc.issued_on,
    )
    pdf.add_page()
    _Certificate(pdf, doc).draw()
    return pdf.finish()


def render_transcript(doc: TranscriptDocument) -> bytes:
    """A4 portrait, as many pages as the record needs, the table's header row on each."""
    texts = _texts(doc) + tuple(text for line in doc.lines for text in _texts(line))
    pdf = _TranscriptPdf(doc, texts=texts)
    pdf.describe(
        title=f"Training record: {doc.recipient_en} (PEN {doc.pen})",
        author="govtrain",
        subject="Training record",
        keywords=doc.pen,
        created_on=doc.generated_on,
    )
    pdf.draw()
    return pdf.finish()


# Words and numbers --------------------------------------------------------------------------


def format_hours(hours: Decimal) -> str:
    """6.00 → "6", 7.50 → "7.5", 10 → "10": hours as a person writes them."""
    return format(hours.normalize(), "f")


def hours_en(hours: Decimal) -> str:
    return f"{format_hours(hours)} hour" + ("" if hours == 1 else "s")


def date_en(day: dt.date) -> str:
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def date_short(day: dt.date) -> str:
    return f"{day.day} {MONTHS_EN[day.month - 1][:3]} {day.year}"


def date_ml(day: dt.date) -> str:
    """Year, month, day, the order Malayalam writes a date in (2026 നവംബർ 20)."""
    return f"{day.year} {MONTHS_ML[day.month - 1]} {day.day}"


def is_malayalam(text: str) -> bool:
    return any("\u0d00" <= char <= "\u0d7f" for char in text)


def _texts(obj: object) -> tuple[str, ...]:
    return tuple(value for value in vars(obj).values() if isinstance(value, str))


def _tint(colour: str, strength: float) -> str:
    """`colour` mixed with white: strength 1 is the colour, 0 is white."""
    rgb = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * strength):02x}" for c in rgb)


# Fonts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ParsedFont:
    key: str  # fpdf2's font key: family and style, "noto-malayalamB"
    family: str
    data: bytes
    font: TTFFont


# Parsing a font (its cmap, metrics, the HarfBuzz face and shaping plans) is done once per
# thread and reused by every document; what fpdf2 changes while writing one is made anew for
# each (`_Pdf._add_parsed_font`). One set per thread, not per process, because fpdf2 sets
# the point size on the HarfBuzz font before each shaping call. Gunicorn's sync workers have
# a single thread: one set per worker process.
_parsed = threading.local()


def _parsed_fonts() -> tuple[_ParsedFont, ...]:
    cached: tuple[_ParsedFont, ...] | None = getattr(_parsed, "fonts", None)
    if cached is None:
        scratch = FPDF()
        parsed = []
        for face in fonts.font_faces():
            scratch.add_font(face.family, face.style, face.path)
            font = scratch.fonts[face.family + face.style]
            if not isinstance(font, TTFFont):
                raise TypeError(f"{face.path} is not a TrueType font")
            _ = font.hbfont  # made now, so that every document shares it
            font.ttfont.close()  # a lazy TTFont keeps its file open; documents read their own
            parsed.append(_ParsedFont(font.fontkey, face.family, _for_embedding(face.path), font))
        cached = _parsed.fonts = tuple(parsed)
    return cached


# Tables fpdf2 drops from the fonts it embeds (output.py, `_add_fonts`). HarfBuzz shapes with
# its own copy of the font, read from the file; dropped before subsetting, the subsetter
# need not read the layout tables only to throw them away.
LAYOUT_TABLES = ("GDEF", "GPOS", "GSUB")


def _for_embedding(path: Path) -> bytes:
    font = TTFont(path, recalcTimestamp=False, recalcBBoxes=False)
    for tag in LAYOUT_TABLES:
        if tag in font:
            del font[tag]
    data = BytesIO()
    font.save(data)
    return data.getvalue()


class _Pdf(FPDF):
    """fpdf2 with the Noto fonts, text shaping, and text helpers in millimetres."""

    def __init__(self, orientation: Literal["portrait", "landscape"], *, texts: Iterable[str]):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        families = self._families_for(texts)
        for parsed in _parsed_fonts():
            if parsed.family in families:
                self._add_parsed_font(parsed)
        self.set_text_shaping(True)
        self.set_fallback_fonts(families)
        self.set_auto_page_break(auto=False)
        self.c_margin = 0
        self._wrapped: dict[tuple[str, str, str, float, float, float], list[str]] = {}
        self.set_creator("govtrain")
        self.set_lang("en-IN")

    @staticmethod
    def _families_for(texts: Iterable[str]) -> list[str]:
        """Latin and Malayalam always; Latin Extended only when some text needs it (each
        font registered is embedded, used or not)."""
        parsed = {p.family: p.font for p in _parsed_fonts() if not p.font.emphasis}
        common = set(parsed[LATIN].cmap) | set(parsed[MALAYALAM].cmap)
        rare = {ord(char) for text in texts for char in text} - common
        return [LATIN, MALAYALAM] + ([LATIN_EXT] if rare else [])

    def _add_parsed_font(self, parsed: _ParsedFont) -> None:
        """A shallow copy of the parsed font: it shares the tables fpdf2 only reads and gets
        its own of what it changes while writing (the subset of glyphs used, and the
        fontTools TTFont, which fpdf2 subsets in place on output). The TTFont is lazy: only
        the tables the subsetter needs are read. Its bounding boxes are not recomputed on
        output, which is most of the cost of writing a font; subsetting leaves the glyphs
        as they are, so the boxes stay right."""
        font = copy.copy(parsed.font)
        font.i = len(self.fonts) + 1
        font.ttfont = TTFont(
            BytesIO(parsed.data), recalcTimestamp=False, recalcBBoxes=False, lazy=True
        )
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font.subset = SubsetMap(font)
        self.fonts[parsed.key] = font

    def describe(
        self, *, title: str, author: str, subject: str, keywords: str, created_on: dt.date
    ) -> None:
        self.set_title(title)
        self.set_author(author)
        self.set_subject(subject)
        self.set_keywords(keywords)
        # The document's own date, not the clock's, so that it renders to the same bytes.
        self.set_creation_date(dt.datetime.combine(created_on, dt.time(), tzinfo=dt.UTC))

    def finish(self) -> bytes:
        return bytes(self.output())

    def use(self, text: str, size: float, *, bold: bool = False, colour: str = INK) -> None:
        """The font for `text`. Malayalam text is set in the Malayalam face, so that its
        spaces and punctuation shape in one run with the letters; fallbacks do the rest."""
        self.set_font(MALAYALAM if is_malayalam(text) else LATIN, "B" if bold else "", size)
        self.set_text_color(colour)

    def wrap(self, text: str, width: float) -> list[str]:
        """`text` broken into lines of at most `width` in the current font, at spaces, or
        anywhere in a word (a URL, a number) longer than a line."""
        key = (text, self.font_family, self.font_style, self.font_size_pt, self.char_spacing, width)
        cached = self._wrapped.get(key)
        if cached is None:
            cached = self._wrapped[key] = self._wrap(text, width)
        return cached

    def _wrap(self, text: str, width: float) -> list[str]:
        if self.get_string_width(text) <= width:
            return [text]
        lines: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            if self.get_string_width(candidate) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while len(word) > 1 and self.get_string_width(word) > width:
                cut = self._longest_prefix(word, width)
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        if current:
            lines.append(current)
        return lines

    def _longest_prefix(self, word: str, width: float) -> int:
        low, high = 1, len(word) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.get_string_width(word[:middle]) <= width:
                low = middle
            else:
                high = middle - 1
        return low

    def text_block(
        self,
        text: str,
        *,
        x: float,
        y: float,
        width: float,
        size: float,
        bold: bool = False,
        colour: str = INK,
        align: Align = Align.C,
        spacing: float = 0,
        leading: float = 1.4,
        link: str = "",
        draw: bool = True,
    ) -> float:
        """A paragraph from (`x`, `y`), `width` wide; returns the y below it. With
        draw=False only measures it."""
        if not text:
            return y
        self.use(text, size, bold=bold, colour=colour)
        self.set_char_spacing(spacing)
        height = size * PT * leading
        for line in self.wrap(text, width):
            if draw:
                self.set_xy(x, y)
                self.cell(width, height, line, align=align, link=link)
            y += height
        self.set_char_spacing(0)
        return y


# The certificate ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Para:
    text: str
    size: float
    bold: bool = False
    colour: str = INK
    space_before: float = 0
    spacing: float = 0


class _Certificate:
    """A4 landscape: a double rule frame; the institute and the heading; the statement,
    centred in the space left; below, the QR code with the certificate's number and dates
    on the left and the signatory on the right; the footer."""

    MARGIN = 24.0  # the text area's left and right
    BOTTOM_BLOCK = 157.0  # where the QR code and the signatory start

    def __init__(self, pdf: _Pdf, doc: CertificateDocument) -> None:
        self.pdf = pdf
        self.doc = doc
        self.style = doc.style
        self.accent = doc.style.accent or DEFAULT_ACCENT
        self.width = pdf.w - 2 * self.MARGIN

    def draw(self) -> None:
        self._frame()
        y = self._heading()
        self._statement(top=y, bottom=self.BOTTOM_BLOCK - 5)
        self._verification()
        self._signatory()
        self._footer()

    def _frame(self) -> None:
        pdf = self.pdf
        pdf.set_draw_color(self.accent)
        pdf.set_line_width(1.4)
        pdf.rect(7, 7, pdf.w - 14, pdf.h - 14)
        pdf.set_line_width(0.3)
        pdf.rect(10.5, 10.5, pdf.w - 21, pdf.h - 21)
        pdf.set_fill_color(self.accent)
        for x in (10.5, pdf.w - 10.5):
            for y in (10.5, pdf.h - 10.5):
                self._diamond(x, y, 2.2)

    def _diamond(self, x: float, y: float, r: float) -> None:
        self.pdf.polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], style="F")

    def _ornament(self, y: float, width: float) -> None:
        pdf = self.pdf
        middle = pdf.w / 2
        pdf.set_draw_color(self.accent)
        pdf.set_line_width(0.35)
        pdf.line(middle - width / 2, y, middle - 3.5, y)
        pdf.line(middle + 3.5, y, middle + width / 2, y)
        pdf.set_fill_color(self.accent)
        self._diamond(middle, y, 1.6)

    def _centred(self, para: _Para, y: float, scale: float = 1, *, draw: bool = True) -> float:
        return self.pdf.text_block(
            para.text,
            x=self.MARGIN,
            y=y + para.space_before * scale,
            width=self.width,
            size=para.size * scale,
            bold=para.bold,
            colour=para.colour,
            spacing=para.spacing,
            draw=draw,
        )

    def _heading(self) -> float:
        doc, style = self.doc, self.style
        y = 19.0
        y = self._centred(
            _Para(doc.provider_en.upper(), 15, bold=True, colour=self.accent, spacing=0.5), y
        )
        y = self._centred(_Para(doc.provider_ml, 12.5, bold=True, colour=self.accent), y)
        self._ornament(y + 3.5, 110)
        y = self._centred(_Para(style.heading_en.upper(), 25, bold=True, spacing=1.2), y + 8)
        return self._centred(_Para(style.heading_ml, 16, bold=True, colour=MUTED), y)

    def _statement_paras(self) -> list[_Para]:
        doc = self.doc
        hours = format_hours(doc.hours)
        duration = hours_en(doc.hours) + APOSTROPHE + ("s" if doc.hours == 1 else "")
        return [
            _Para("This is to certify that", 12, colour=MUTED),
            _Para(doc.recipient_en, 23, bold=True, space_before=1.5),
            _Para(doc.recipient_ml, 15, bold=True),
            _Para(f"PEN {doc.pen}", 10, colour=MUTED, space_before=0.5, spacing=0.4),
            _Para("has completed the programme", 12, colour=MUTED, space_before=2.5),
            _Para(doc.course_en, 16.5, bold=True, colour=self.accent, space_before=1.5),
            _Para(doc.course_ml, 13, bold=True, colour=self.accent),
            _Para(
                f"of {duration} duration, on {date_en(doc.completed_on)}.",
                12,
                colour=MUTED,
                space_before=1.5,
            ),
            _Para(
                f"മുകളിൽ പേരു ചേർത്തിരിക്കുന്നയാൾ {hours} മണിക്കൂർ ദൈർഘ്യമുള്ള ഈ പരിശീലന പരിപാടി "
                f"{date_ml(doc.completed_on)}-ന് പൂർത്തിയാക്കിയതായി സാക്ഷ്യപ്പെടുത്തുന്നു.",
                11,
                colour=MUTED,
                space_before=1,
            ),
        ]

    def _statement(self, *, top: float, bottom: float) -> None:
        """The statement, centred between the heading and the bottom block; set smaller
        when long names or titles would not fit."""
        paras = [para for para in self._statement_paras() if para.text]
        for scale in (1.0, 0.93, 0.86, 0.8, 0.74, 0.68):
            height = self._height(paras, scale)
            if height <= bottom - top:
                break
        y = top + max(0.0, (bottom - top - height) / 2)
        for para in paras:
            y = self._centred(para, y, scale)

    def _height(self, paras: list[_Para], scale: float) -> float:
        y = 0.0
        for para in paras:
            y = self._centred(para, y, scale, draw=False)
        return y

    def _verification(self) -> None:
        """The QR code and, beside it, the certificate number, the date of issue and the
        verification link."""
        pdf, doc = self.pdf, self.doc
        size = 28.0
        x, y = self.MARGIN, self.BOTTOM_BLOCK
        _draw_qr(pdf, doc.verify_url, x=x, y=y, size=size, colour=INK)
        pdf.link(x, y, size, size, doc.verify_url)
        left, width = x + size + 4.5, 100.0
        rows = (
            ("Certificate No. / സർട്ടിഫിക്കറ്റ് നമ്പർ", doc.certificate_id, ""),
            (
                "Date of issue / നൽകിയ തീയതി",
                f"{date_en(doc.issued_on)}  ·  {date_ml(doc.issued_on)}",
                "",
            ),
            ("Verify at / പരിശോധിക്കാൻ", doc.verify_url, doc.verify_url),
        )
        y += 0.6
        for label, value, link in rows:
            y = pdf.text_block(
                label, x=left, y=y, width=width, size=7.5, colour=FAINT, align=Align.L
            )
            y = pdf.text_block(
                value,
                x=left,
                y=y,
                width=width,
                size=8.5 if link else 9,
                bold=not link,
                colour=self.accent if link else INK,
                align=Align.L,
                link=link,
            )
            y += 1.2

    def _signatory(self) -> None:
        pdf, style, doc = self.pdf, self.style, self.doc
        width = 96.0
        x = pdf.w - self.MARGIN - width
        y = self.BOTTOM_BLOCK + 9
        lines = [
            _Para(style.signatory_name_en, 10.5, bold=True),
            _Para(style.signatory_name_ml, 9.5, bold=True),
            _Para(style.signatory_title_en, 9, colour=MUTED),
            _Para(style.signatory_title_ml, 8.5, colour=MUTED),
        ]
        if any(line.text for line in lines):
            pdf.set_draw_color(MUTED)
            pdf.set_line_width(0.3)
            pdf.line(x + 12, y - 1.5, x + width - 12, y - 1.5)
        else:
            # No one signs: the credential is signed; the institute is named as the issuer.
            lines = [
                _Para("Issued by / നൽകിയത്", 7.5, colour=FAINT),
                _Para(doc.provider_en, 10, bold=True),
                _Para(doc.provider_ml, 9, bold=True),
            ]
        for line in lines:
            y = pdf.text_block(
                line.text,
                x=x,
                y=y,
                width=width,
                size=line.size,
                bold=line.bold,
                colour=line.colour,
            )

    def _footer(self) -> None:
        pdf, style = self.pdf, self.style
        y = pdf.h - 18.5
        for text in (style.footer_en, style.footer_ml):
            y = pdf.text_block(
                text, x=self.MARGIN, y=y, width=self.width, size=7.5, colour=FAINT, leading=1.3
            )


def _draw_qr(pdf: FPDF, data: str, *, x: float, y: float, size: float, colour: str) -> None:
    """The QR code of `data`, `size` mm square without its quiet zone (the page's white
    around it is one), as one filled path: one path, so that viewers show no seams
    between the modules."""
    matrix = segno.make(data, error="m", micro=False).matrix
    module = size / len(matrix)
    path = PaintedPath()
    path.style.fill_color = colour
    path.style.paint_rule = PathPaintRule.FILL_NONZERO
    for row_index, row in enumerate(matrix):
        for start, length in _runs(row):
            path.rectangle(x + start * module, y + row_index * module, length * module, module)
    with pdf.drawing_context() as context:
        context.add_item(path, clone=False)  # built here, not shared: no defensive copy


def _runs(row: bytearray) -> Iterator[tuple[int, int]]:
    """The runs of dark modules in a row of a QR code: (first column, length)."""
    start = None
    for index, dark in enumerate(row):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            yield start, index - start
            start = None
    if start is not None:
        yield start, len(row) - start


# The transcript -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    title_en: str
    title_ml: str
    width: float
    align: Align = Align.L


COLUMNS = (
    _Column("No.", "ക്ര.നം.", 11),
    _Column("Course and institute", "കോഴ്സും സ്ഥാപനവും", 81),
    _Column("Mode", "രീതി", 19),
    _Column("Completed", "തീയതി", 21),
    _Column("Hours", "മണിക്കൂർ", 16, Align.R),
    _Column("Certificate No.", "സർട്ടിഫിക്കറ്റ് നമ്പർ", 32),
)
PAD = 1.5  # a table cell's padding at the top and the bottom
INSET = 1.5  # and at the sides


class _TranscriptPdf(_Pdf):
    """A4 portrait: the employee, a table of every completed course, the total, and how to
    verify a certificate. Each page has the table's header row and "Page n of N"."""

    MARGIN = 15.0
    BOTTOM = 297 - 20.0  # rows end above the footer

    def __init__(self, doc: TranscriptDocument, *, texts: Iterable[str]) -> None:
        super().__init__("portrait", texts=texts)
        self.doc = doc
        self.accent = DEFAULT_ACCENT
        self.set_margins(self.MARGIN, self.MARGIN, self.MARGIN)
        self.table_width = sum(column.width for column in COLUMNS)

    def draw(self) -> None:
        self.add_page()
        y = self._heading()
        y = self._table_header(y)
        for number, line in enumerate(self.doc.lines, start=1):
            cells = self._cells(number, line)
            height = self._row_height(cells)
            if y + height > self.BOTTOM:
                self.add_page()
                y = self._table_header(self.MARGIN)
            if number % 2 == 0:
                self.set_fill_color(_tint(self.accent, 0.06))
                self.rect(self.MARGIN, y, self.table_width, height, style="F")
            self._row(cells, y)
            y += height
            self.set_draw_color(_tint(self.accent, 0.25))
            self.set_line_width(0.15)
            self.line(self.MARGIN, y, self.MARGIN + self.table_width, y)
        if not self.doc.lines:
            y = self.text_block(
                "No completed courses yet. / പൂർത്തിയാക്കിയ കോഴ്സുകളൊന്നുമില്ല.",
                x=self.MARGIN,
                y=y + PAD,
                width=self.table_width,
                size=9,
                colour=MUTED,
            )
        y = self._total(y)
        self._verify_note(y + 6)

    def _heading(self) -> float:
        doc = self.doc
        x, width = self.MARGIN, self.epw
        self.set_fill_color(self.accent)
        self.rect(0, 0, self.w, 4, style="F")
        y = self.text_block(
            "TRAINING RECORD",
            x=x,
            y=12,
            width=width,
            size=18,
            bold=True,
            colour=self.accent,
            align=Align.L,
            spacing=0.8,
        )
        y = self.text_block(
            "പരിശീലന രേഖ", x=x, y=y, width=width, size=12, bold=True, colour=MUTED, align=Align.L
        )
        generated = f"Generated on {date_en(doc.generated_on)}"
        self.text_block(generated, x=x, y=13.5, width=width, size=8, colour=FAINT, align=Align.R)
        self.text_block(
            f"തയ്യാറാക്കിയത്: {date_ml(doc.generated_on)}",
            x=x,
            y=17.5,
            width=width,
            size=8,
            colour=FAINT,
            align=Align.R,
        )
        y += 3
        self.set_draw_color(self.accent)
        self.set_line_width(0.4)
        self.line(x, y, x + width, y)
        y += 4
        name = doc.recipient_en + (f"  ·  {doc.recipient_ml}" if doc.recipient_ml else "")
        details = (
            ("Name / പേര്", name, True),
            ("PEN", doc.pen, False),
            ("Designation / തസ്തിക", doc.designation_en, False),
            ("Office / ഓഫീസ്", doc.office_en, False),
            (
                "Completed / പൂർത്തിയാക്കിയത്",
                f"{len(doc.lines)} course{'' if len(doc.lines) == 1 else 's'}, "
                f"{hours_en(doc.total_hours)}",
                True,
            ),
        )
        label_width = 46.0
        for label, value, bold in details:
            if not value:
                continue
            self.text_block(
                label, x=x, y=y + 0.4, width=label_width, size=8, colour=FAINT, align=Align.L
            )
            y = self.text_block(
                value,
                x=x + label_width,
                y=y,
                width=width - label_width,
                size=10 if bold else 9.5,
                bold=bold,
                align=Align.L,
            )
            y += 0.8
        return y + 5

    def _table_header(self, y: float) -> float:
        height = 2 * PAD + 8 * PT * 1.35 + 7 * PT * 1.35
        self.set_fill_color(self.accent)
        self.rect(self.MARGIN, y, self.table_width, height, style="F")
        x = self.MARGIN
        for column in COLUMNS:
            inner_x, inner_w = self._inner(x, column)
            below = self.text_block(
                column.title_en,
                x=inner_x,
                y=y + PAD,
                width=inner_w,
                size=8,
                bold=True,
                colour="#ffffff",
                align=column.align,
                leading=1.35,
            )
            self.text_block(
                column.title_ml,
                x=inner_x,
                y=below,
                width=inner_w,
                size=7,
                colour=_tint("#ffffff", 0.85),
                align=column.align,
                leading=1.35,
            )
            x += column.width
        return y + height

    @staticmethod
    def _inner(x: float, column: _Column) -> tuple[float, float]:
        return x + INSET, column.width - 2 * INSET

    def _cells(self, number: int, line: TranscriptLine) -> list[list[_Para]]:
        provider = line.provider_en + (f" · {line.provider_ml}" if line.provider_ml else "")
        return [
            [_Para(str(number), 8, colour=FAINT)],
            [
                _Para(line.course_en, 8.5, bold=True),
                _Para(line.course_ml, 8),
                _Para(provider, 7.5, colour=MUTED),
            ],
            [_Para(line.modality, 8)],
            [_Para(date_short(line.completed_on), 8)],
            [_Para(format_hours(line.hours), 8.5, bold=True)],
            [_Para(line.certificate_id or "—", 7.5, colour=INK if line.certificate_id else FAINT)],
        ]

    def _cell_text(
        self, paras: list[_Para], x: float, y: float, column: _Column, *, draw: bool
    ) -> float:
        inner_x, inner_w = self._inner(x, column)
        y += PAD
        for para in paras:
            y = self.text_block(
                para.text,
                x=inner_x,
                y=y,
                width=inner_w,
                size=para.size,
                bold=para.bold,
                colour=para.colour,
                align=column.align,
                leading=1.35,
                draw=draw,
            )
        return y + PAD

    def _row_height(self, cells: list[list[_Para]]) -> float:
        return max(
            self._cell_text(paras, 0, 0, column, draw=False)
            for paras, column in zip(cells, COLUMNS, strict=True)
        )

    def _row(self, cells: list[list[_Para]], y: float) -> None:
        x = self.MARGIN
        for paras, column in zip(cells, COLUMNS, strict=True):
            self._cell_text(paras, x, y, column, draw=True)
            x += column.width

    def _total(self, y: float) -> float:
        height = 2 * PAD + 9 * PT * 1.35
        if y + height > self.BOTTOM:
            self.add_page()
            y = self._table_header(self.MARGIN)
        self.set_fill_color(_tint(self.accent, 0.14))
        self.rect(self.MARGIN, y, self.table_width, height, style="F")
        hours_x = self.MARGIN + sum(c.width for c in COLUMNS[:4])
        count = len(self.doc.lines)
        self.text_block(
            f"Total / ആകെ: {count} course{'' if count == 1 else 's'}",
            x=self.MARGIN + COLUMNS[0].width + INSET,
            y=y + PAD,
            width=COLUMNS[1].width,
            size=9,
            bold=True,
            align=Align.L,
            leading=1.35,
        )
        self.text_block(
            format_hours(self.doc.total_hours),
            x=hours_x + INSET,
            y=y + PAD,
            width=COLUMNS[4].width - 2 * INSET,
            size=9,
            bold=True,
            align=Align.R,
            leading=1.35,
        )
        self.set_draw_color(self.accent)
        self.set_line_width(0.4)
        self.line(self.MARGIN, y + height, self.MARGIN + self.table_width, y + height)
        return y + height

    def _verify_note(self, y: float) -> None:
        paras = (
            _Para(self.doc.verify_note_en, 8.5, colour=MUTED),
            _Para(self.doc.verify_note_ml, 8.5, colour=MUTED),
        )
        height = sum(
            self.text_block(p.text, x=0, y=0, width=self.table_width, size=p.size, draw=False)
            for p in paras
        )
        if y + height > self.BOTTOM:
            self.add_page()
            y = self.MARGIN
        for para in paras:
            y = self.text_block(
                para.text,
                x=self.MARGIN,
                y=y,
                width=self.table_width,
                size=para.size,
                colour=para.colour,
                align=Align.L,
            )

    def footer(self) -> None:
        doc = self.doc
        y = self.h - 13
        self.set_draw_color(_tint(self.accent, 0.4))
        self.set_line_width(0.2)
        self.line(self.MARGIN, y - 2, self.w - self.MARGIN, y - 2)
        who = f"Training record of {doc.recipient_en} (PEN {doc.pen})"
        self.text_block(
            who, x=self.MARGIN, y=y, width=self.epw, size=7.5, colour=FAINT, align=Align.L
        )
        self.text_block(
            f"Page {self.page_no()} of {{nb}}",
            x=self.MARGIN,
            y=y,
            width=self.epw,
            size=7.5,
            colour=FAINT,
            align=Align.R,
        )
