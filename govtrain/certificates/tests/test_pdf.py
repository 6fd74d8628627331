"""The certificate and transcript PDFs: what they say, in which fonts, with which glyphs,
on how many pages. Read back with pypdf; the embedded fonts with fontTools."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from govtrain.certificates import fonts, pdf

VERIFY_URL = "https://govtrain.example/verify/9m1UqWcXr4tYb7ZkP2aLs8"
CERTIFICATE_ID = "in.gov.kerala.govtrain-TRCER-IMG20260100042"
HEADING_ML = "പൂർത്തീകരണ സർട്ടിഫിക്കറ്റ്"
FOOTER_ML = "ഐ.എം.ജി., വികാസ് ഭവൻ പി.ഒ., തിരുവനന്തപുരം 695033"
NAME_ML = "അനിത കെ. നായർ"


def make_style(**changes: Any) -> pdf.CertificateStyle:
    fields: dict[str, Any] = {
        "heading_en": "Certificate of completion",
        "heading_ml": HEADING_ML,
        "accent": "#0b5370",
        "signatory_name_en": "Dr. K. Jayakumar",
        "signatory_name_ml": "ഡോ. കെ. ജയകുമാർ",
        "signatory_title_en": "Director",
        "signatory_title_ml": "ഡയറക്ടർ",
        "footer_en": "Vikas Bhavan P.O., Thiruvananthapuram 695033",
        "footer_ml": FOOTER_ML,
    }
    return pdf.CertificateStyle(**(fields | changes))


def make_certificate(**changes: Any) -> pdf.CertificateDocument:
    fields: dict[str, Any] = {
        "certificate_id": CERTIFICATE_ID,
        "recipient_en": "Anitha K. Nair",
        "recipient_ml": NAME_ML,
        "pen": "123456",
        "course_en": "RTI Act 2005 for public information officers",
        "course_ml": "വിവരാവകാശ നിയമം 2005",
        "provider_en": "Institute of Management in Government",
        "provider_ml": "ഇൻസ്റ്റിറ്റ്യൂട്ട് ഓഫ് മാനേജ്മെന്റ് ഇൻ ഗവൺമെന്റ്",
        "hours": Decimal("6.00"),
        "completed_on": dt.date(2026, 11, 20),
        "issued_on": dt.date(2026, 12, 3),
        "verify_url": VERIFY_URL,
        "style": make_style(),
    }
    return pdf.CertificateDocument(**(fields | changes))


def make_transcript(count: int) -> pdf.TranscriptDocument:
    lines = tuple(
        pdf.TranscriptLine(
            course_en=f"Course {n}: " + ("e-Office file management" if n % 2 else "RTI Act 2005"),
            course_ml="ഇ-ഓഫീസ് ഫയൽ മാനേജ്മെന്റ്" if n % 2 else "",
            provider_en="Institute of Management in Government",
            provider_ml="",
            modality="Online",
            completed_on=dt.date(2020, 1, 1) + dt.timedelta(days=7 * n),
            hours=Decimal("6.5") if n % 3 else Decimal(2),
            certificate_id=f"IMG2026{n:07d}",
        )
        for n in range(1, count + 1)
    )
    return pdf.TranscriptDocument(
        recipient_en="Anitha K. Nair",
        recipient_ml=NAME_ML,
        pen="123456",
        office_en="Collectorate, Thiruvananthapuram",
        designation_en="Junior Superintendent",
        lines=lines,
        total_hours=sum((line.hours for line in lines), start=Decimal(0)),
        generated_on=dt.date(2026, 12, 5),
        verify_note_en="Each certificate number can be verified at https://govtrain.example/verify/.",
        verify_note_ml=(
            "ഓരോ സർട്ടിഫിക്കറ്റ് നമ്പറും https://govtrain.example/verify/ എന്ന വിലാസത്തിൽ പരിശോധിക്കാം."
        ),
    )


def read(data: bytes) -> PdfReader:
    return PdfReader(BytesIO(data))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def embedded_fonts(reader: PdfReader) -> Iterator[Any]:
    seen = set()
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if id(font) not in seen:
                seen.add(id(font))
                yield font


def to_unicode(reader: PdfReader) -> list[str]:
    """What each glyph of every embedded font stands for, from the fonts' ToUnicode maps."""
    mapped = []
    for font in embedded_fonts(reader):
        cmap = font["/ToUnicode"].get_data().decode("ascii")
        for target in re.findall(r"<[0-9A-F]{4}> <([0-9A-F]+)>", cmap):
            mapped.append(bytes.fromhex(target).decode("utf-16-be"))
    return mapped


def font_program(font: Any) -> TTFont:
    descendant = font["/DescendantFonts"][0].get_object()
    return TTFont(BytesIO(descendant["/FontDescriptor"]["/FontFile2"].get_data()))


def outlines(font: TTFont) -> set[tuple[tuple[int, int], ...]]:
    glyf = font["glyf"]
    return {tuple(glyf[name].getCoordinates(glyf)[0]) for name in font.getGlyphOrder()}


def test_a_certificate_is_one_a4_landscape_page_with_its_metadata() -> None:
    data = pdf.render_certificate(make_certificate())

    reader = read(data)
    assert data.startswith(b"%PDF-")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4, in points
    assert reader.metadata is not None
    assert reader.metadata.title == "Certificate of completion: Anitha K. Nair"
    assert reader.metadata.author == "Institute of Management in Government"
    assert reader.metadata.creation_date == dt.datetime(2026, 12, 3, tzinfo=dt.UTC)
    assert reader.trailer["/Root"]["/Lang"] == "en-IN"


def test_a_certificate_says_who_completed_what_and_where_to_verify_it() -> None:
    text = text_of(read(pdf.render_certificate(make_certificate())))

    for expected in (
        "INSTITUTE OF MANAGEMENT IN GOVERNMENT",
        "CERTIFICATE OF COMPLETION",
        "This is to certify that",
        "Anitha K. Nair",
        "PEN 123456",
        "RTI Act 2005 for public information officers",
        "of 6 hours\N{RIGHT SINGLE QUOTATION MARK} duration, on 20 November 2026.",
        CERTIFICATE_ID,
        "3 December 2026",
        VERIFY_URL,
        "Dr. K. Jayakumar",
        # Malayalam that text extraction gives back whole (see the next test for the rest):
        HEADING_ML,
        "തിരുവനന്തപുരം",
        "2026 ഡിസംബർ 3",
    ):
        assert expected in text


def test_the_verify_url_is_a_link_on_the_qr_code_and_on_the_printed_url() -> None:
    page = read(pdf.render_certificate(make_certificate())).pages[0]

    annotations: Any = page["/Annots"]
    links = [a.get_object() for a in annotations]
    assert [link["/A"]["/URI"] for link in links] == [VERIFY_URL, VERIFY_URL]
    qr = links[0]["/Rect"]
    assert round(float(qr[2]) - float(qr[0])) == round(28 / 25.4 * 72)  # the 28 mm QR code


def test_the_noto_fonts_are_embedded_as_subsets() -> None:
    data = pdf.render_certificate(make_certificate())

    embedded = list(embedded_fonts(read(data)))
    assert {str(font["/BaseFont"]) for font in embedded} == {
        "/MPDFAA+NotoSansMalayalam",
        "/MPDFAA+NotoSansMalayalamBold",
    }
    assert len(embedded) == 4  # Latin and Malayalam, regular and bold; no Latin Extended
    malayalam_bold = TTFont(fonts.ttf_path("malayalam", 700))
    assert all(
        font_program(font)["maxp"].numGlyphs < malayalam_bold["maxp"].numGlyphs for font in embedded
    )
    assert len(data) < 60_000


def test_malayalam_is_shaped_into_the_fonts_conjuncts_never_boxes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        reader = read(pdf.render_certificate(make_certificate()))

    assert not [r for r in caplog.records if "missing" in r.getMessage()]
    mapped = to_unicode(reader)
    # Every Malayalam letter of the names and headings is drawn by some glyph: a character
    # the fonts lack would be left out (fpdf2 draws nothing for .notdef) and not map.
    drawn = {char for text in mapped for char in text}
    for text in (NAME_ML, HEADING_ML, FOOTER_ML):
        assert {char for char in text if pdf.is_malayalam(char)} <= drawn
    # The conjuncts are the font's own glyphs, which only HarfBuzz's shaping selects: ട്ട
    # (in the bold heading) and ന്ത (in the regular footer's തിരുവനന്തപുരം).
    embedded = [outlines(font_program(font)) for font in embedded_fonts(reader)]
    for weight, glyph in ((700, "ttattamlym"), (400, "natamlym")):
        source = TTFont(fonts.ttf_path("malayalam", weight))
        conjunct = tuple(source["glyf"][glyph].getCoordinates(source["glyf"])[0])
        assert any(conjunct in font for font in embedded), glyph
    assert any(len(text) > 1 and "ട്ട" in text for text in mapped)


def test_latin_extended_letters_bring_in_the_latin_extended_font() -> None:
    reader = read(pdf.render_certificate(make_certificate(recipient_en="Łukasz Świątek")))

    assert "Łukasz Świątek" in text_of(reader)
    assert len(list(embedded_fonts(reader))) == 5


def test_an_empty_malayalam_field_leaves_only_the_english_line() -> None:
    doc = make_certificate(
        recipient_ml="",
        course_ml="",
        provider_ml="",
        style=make_style(
            heading_ml="",
            signatory_name_en="",
            signatory_name_ml="",
            signatory_title_en="",
            signatory_title_ml="",
            footer_en="",
            footer_ml="",
        ),
    )

    text = text_of(read(pdf.render_certificate(doc)))

    assert "Anitha K. Nair" in text
    assert "Issued by" in text  # no signatory: the institute is named instead
    assert "ജയകുമാർ" not in text
    assert HEADING_ML not in text


def test_the_same_certificate_renders_to_the_same_bytes() -> None:
    assert pdf.render_certificate(make_certificate()) == pdf.render_certificate(make_certificate())


def test_a_document_embeds_only_its_own_glyphs_though_fonts_are_reused() -> None:
    pdf.render_certificate(make_certificate(recipient_ml="ഋഷികേശ് കെ."))  # ഋ: U+0D0B

    reader = read(pdf.render_certificate(make_certificate()))

    assert "\u0d0b" not in "".join(to_unicode(reader))


def test_certificates_rendered_in_threads_are_the_same_as_one_by_one() -> None:
    docs = [make_certificate(pen=str(100000 + n), recipient_en=f"Person {n}") for n in range(8)]
    expected = [pdf.render_certificate(doc) for doc in docs]

    with ThreadPoolExecutor(max_workers=4) as pool:
        rendered = list(pool.map(pdf.render_certificate, docs))

    assert rendered == expected


def test_a_long_transcript_runs_over_pages_each_with_the_header_row_and_its_number() -> None:
    doc = make_transcript(120)

    reader = read(pdf.render_transcript(doc))

    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) > 3
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Course and institute" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait
    listed = [m for text in pages for m in re.findall(r"IMG2026\d{7}", text)]
    assert listed == [line.certificate_id for line in doc.lines]  # all, once, in order


def test_a_transcript_totals_its_hours() -> None:
    doc = make_transcript(120)  # 40 courses of 2 hours and 80 of 6.5

    text = text_of(read(pdf.render_transcript(doc)))

    assert "120 courses, 600 hours" in text
    assert re.search(r"Total / \S+ 120 courses\s+600\b", text)  # the total row


def test_an_empty_transcript_says_so_on_one_page() -> None:
    reader = read(pdf.render_transcript(make_transcript(0)))

    assert len(reader.pages) == 1
    assert "No completed courses yet." in text_of(reader)
    assert "Page 1 of 1" in text_of(reader)


@pytest.mark.parametrize(
    ("hours", "text"),
    [("6.00", "6"), ("7.50", "7.5"), ("10", "10"), ("1E+1", "10"), ("0.25", "0.25")],
)
def test_hours_are_written_without_trailing_zeros(hours: str, text: str) -> None:
    assert pdf.format_hours(Decimal(hours)) == text
