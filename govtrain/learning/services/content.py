"""Lesson content: Markdown rendered to sanitised HTML, and uploads checked by what they
contain (not by their name or the browser's claim) and by the size limits of the settings."""

from __future__ import annotations

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

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


def _check_size(upload: File[bytes], setting: str, default_mb: int) -> None:
    limit = _limit_bytes(setting, default_mb)
    if (upload.size or 0) > limit:
        raise ValidationError(
            _("The file is larger than the %(mb)d MB allowed.") % {"mb": limit // (1024 * 1024)}
        )


def check_pdf(upload: File[bytes]) -> None:
    """A PDF by its signature, within LEARNING_MAX_DOCUMENT_MB."""
    _check_size(upload, "LEARNING_MAX_DOCUMENT_MB", 50)
    if not _head(upload, 1024).lstrip().startswith(b"%PDF-"):
        raise ValidationError(_("The document is not a PDF file."))


def check_video(upload: File[bytes]) -> None:
    """An MP4 or WebM video by its container signature, within LEARNING_MAX_VIDEO_MB."""
    _check_size(upload, "LEARNING_MAX_VIDEO_MB", 500)
    head = _head(upload)
    is_mp4 = head[4:8] == b"ftyp"
    is_webm = head[:4] == b"\x1a\x45\xdf\xa3"  # EBML, the container of WebM
    if not (is_mp4 or is_webm):
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
