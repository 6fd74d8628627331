"""How the catalog shows a course: its facts as text in the reader's language.

The catalog page is the platform's busiest page, and a page of twenty cards spent most of
its time asking for the active language (a context-local lookup, ~4 µs each) and
formatting dates through Django's date format (~50 µs). Here a page's translated words
are looked up once (`Texts`) and each card is a plain dict, which templates read fastest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypedDict
from urllib.parse import quote

from django import template
from django.utils.dates import MONTHS_3
from django.utils.translation import get_language, gettext, ngettext

from govtrain.catalog.models import COURSE_LANGUAGE_NAMES, Course

register = template.Library()


class Texts:
    """The words of one page in the active language, looked up once."""

    def __init__(self) -> None:
        self.ml = get_language() == "ml"
        self.other_language = "en" if self.ml else "ml"
        self.hours = gettext("%(hours)s hours")
        self.free = gettext("Free")
        self.next_batch = gettext("Next batch: %(date)s, %(centre)s")
        self.no_batch = gettext("No batch scheduled yet.")
        self.modalities = {value: str(label) for value, label in Course.Modality.choices}
        self.languages = {code: str(name) for code, name in COURSE_LANGUAGE_NAMES.items()}
        # As Django's "j M Y", without its per-call lookups.
        self.months = ["", *(str(MONTHS_3[m]).title() for m in range(1, 13))]

    def name(self, thing: Any) -> str:
        """A provider's, topic's or centre's name in the reader's language."""
        return str((self.ml and thing.name_ml) or thing.name_en)

    def date(self, day: dt.date) -> str:
        return f"{day.day} {self.months[day.month]} {day.year}"

    def titles(self, course: Course) -> tuple[str, str]:
        """The title to show, and the other language's title when it differs."""
        if self.ml and course.title_ml:
            return course.title_ml, course.title_en
        other = course.title_ml if course.title_ml != course.title_en else ""
        return course.title_en, other

    def hours_of(self, course: Course) -> str:
        # 12.0 -> "12", 12.5 -> "12.5"
        return self.hours % {"hours": format(Decimal(course.hours).normalize(), "f")}

    def fee_of(self, course: Course) -> str:
        if not course.fee:
            return self.free
        fee = Decimal(course.fee)
        amount = f"{fee:,.0f}" if fee == fee.to_integral_value() else f"{fee:,.2f}"
        return f"{course.fee_currency} {amount}"

    def languages_of(self, course: Course) -> str:
        return ", ".join(self.languages.get(code, code) for code in course.languages)

    def modality_of(self, course: Course) -> str:
        return self.modalities.get(course.modality, course.modality)

    def next_batch_of(self, course: Course) -> str:
        """From the batches that `selectors.courses_search` put on the course."""
        batches = getattr(course, "upcoming_batches", None)
        if not batches:
            return self.no_batch
        first = batches[0]
        text = self.next_batch % {
            "date": self.date(first.starts_on),
            "centre": self.name(first.centre),
        }
        if len(batches) > 1:
            more = ngettext(
                "%(count)s batch scheduled", "%(count)s batches scheduled", len(batches)
            )
            text += " · " + more % {"count": len(batches)}
        return text


class Card(TypedDict):
    url: str
    title: str
    other_title: str
    provider: str
    topic: str
    modality: str
    hours: str
    languages: str
    fee: str
    next_batch: str


@register.simple_tag
def course_cards(courses: Iterable[Course], catalog_url: str) -> list[Card]:
    """`{% course_cards page catalog_url as cards %}`: one card per course of the page.

    Course pages live under the catalog's URL (catalog/urls.py), so one reverse() serves
    every link.
    """
    texts = Texts()
    cards = []
    for course in courses:
        title, other_title = texts.titles(course)
        cards.append(
            Card(
                url=f"{catalog_url}{quote(course.code)}/",
                title=title,
                other_title=other_title,
                provider=texts.name(course.provider),
                topic=texts.name(course.topic),
                modality=texts.modality_of(course),
                hours=texts.hours_of(course),
                languages=texts.languages_of(course),
                fee=texts.fee_of(course),
                next_batch=texts.next_batch_of(course),
            )
        )
    return cards


class Facts(TypedDict):
    modality: str
    hours: str
    languages: str
    fee: str


@register.simple_tag
def course_facts(course: Course) -> Facts:
    """`{% course_facts course as facts %}`: the course page's facts, in one lookup."""
    texts = Texts()
    return Facts(
        modality=texts.modality_of(course),
        hours=texts.hours_of(course),
        languages=texts.languages_of(course),
        fee=texts.fee_of(course),
    )
