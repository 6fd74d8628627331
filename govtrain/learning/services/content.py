"""Lesson content: Markdown rendered to sanitised HTML, and uploads checked by what they
contain (not by their name or the browser's claim) and by the size limits of the settings."""

from __future__ import annotations

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from govtrain.learning.models import Lesson

# Authors may write HTML inside Markdown; nh3 (ammonia) then keeps only harmless tags and
# attributes, drops scripts, event handlers and javascript: links, and adds rel="noopener".
_MARKDOWN = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")
_TAGS = {
    *("p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code"),
    *("em", "strong", "b", "i", "u", "s", "sub", "sup", "small", "mark", "abbr"),
    *("ul", "ol", "li", "dl", "dt", "dd", "a", "img", "figure", "figcaption"),
    *("table", "thead", "tbody", "tr", "th", "td", "caption"),
}
_ATTRIBUTES = {
    "a": {"href", "title", "lang"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "*": {"lang"},
}


def render_markdown(source: str) -> str:
    """The author's Markdown (with HTML) as HTML that is safe to show as it is."""
    html = _MARKDOWN.render(source)
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def _limit_bytes(name: str, default_mb: int) -> int:
    return int(getattr(settings, name, default_mb)) * 1024 * 1024


def _head(upload: File[bytes], size: int = 64) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return bytes(head)


def _tail(upload: File[bytes], size: int) -> bytes:
    upload.seek(max(0, (upload.size or 0) - size))
    tail = upload.read()
    upload.seek(0)
    return bytes(tail)


def _check_size(upload: File[bytes], setting: str, default_mb: int) -> None:
    limit = _limit_bytes(setting, default_mb)
    if (upload.size or 0) > limit:
        raise ValidationError(
            _("The file is larger than the %(mb)d MB allowed.") % {"mb": limit // (1024 * 1024)}
        )


# A PDF begins with "%PDF-" and ends with "%%EOF", possibly followed by a few bytes of
# padding or a newline (ISO 32000-1 7.5.2 and 7.5.5), as external.services checks too.
_PDF_TAIL = 1024


def check_pdf(upload: File[bytes]) -> None:
    """A PDF by its header and its end-of-file marker, within LEARNING_MAX_DOCUMENT_MB."""
    _check_size(upload, "LEARNING_MAX_DOCUMENT_MB", 50)
    if _head(upload, 5) != b"%PDF-" or b"%%EOF" not in _tail(upload, _PDF_TAIL):
        raise ValidationError(_("The document is not a PDF file."))


_PRINTABLE = range(0x20, 0x7F)


def _is_mp4(head: bytes, size: int) -> bool:
    """ISO/IEC 14496-12 4.2 and 4.3: the file begins with a FileTypeBox, whose big-endian
    32-bit size covers at least its own header and fits in the file, and whose major brand
    is four printable characters ("isom", "mp42"). Text such as b"1;//ftyp..." fails."""
    if len(head) < 12 or head[4:8] != b"ftyp":
        return False
    box_size = int.from_bytes(head[:4], "big")
    return 8 <= box_size <= size and all(byte in _PRINTABLE for byte in head[8:12])


def _vint(data: bytes, at: int) -> tuple[int, int] | None:
    """An EBML variable-size integer at `at` (RFC 8794 4): its value and its length."""
    if at >= len(data) or data[at] == 0:
        return None
    length = 8 - data[at].bit_length() + 1
    if at + length > len(data):
        return None
    value = data[at] & (0xFF >> length)
    for byte in data[at + 1 : at + length]:
        value = (value << 8) | byte
    return value, length


_EBML = b"\x1a\x45\xdf\xa3"
_DOCTYPE = b"\x42\x82"


def _is_webm(head: bytes) -> bool:
    """RFC 8794 and the WebM specification: the file begins with an EBML header element
    whose DocType is "webm"."""
    if not head.startswith(_EBML):
        return False
    header = _vint(head, len(_EBML))
    if header is None:
        return False
    size, length = header
    body = head[len(_EBML) + length : len(_EBML) + length + size]
    at = body.find(_DOCTYPE)
    while at != -1:
        value = _vint(body, at + len(_DOCTYPE))
        if value is not None:
            doc_size, doc_length = value
            start = at + len(_DOCTYPE) + doc_length
            if body[start : start + doc_size] == b"webm":
                return True
        at = body.find(_DOCTYPE, at + 1)
    return False


def check_video(upload: File[bytes]) -> str:
    """An MP4 or WebM video by its container's header, within LEARNING_MAX_VIDEO_MB;
    returns the type found (Lesson.VideoType)."""
    _check_size(upload, "LEARNING_MAX_VIDEO_MB", 500)
    head = _head(upload, 256)
    if _is_mp4(head, upload.size or len(head)):
        return str(Lesson.VideoType.MP4)
    if _is_webm(head):
        return str(Lesson.VideoType.WEBM)
    raise ValidationError(_("The video must be an MP4 or WebM file."))


def check_webvtt(upload: File[bytes]) -> None:
    """A WebVTT file: UTF-8 text that begins with the WEBVTT signature (W3C WebVTT 4.1)."""
    _check_size(upload, "LEARNING_MAX_CAPTIONS_MB", 2)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(_("The captions are not UTF-8 text.")) from error
    first = text.split("\n", 1)[0].rstrip("\r")
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise ValidationError(_("The captions are not a WebVTT file (it must begin with WEBVTT)."))
