from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from html import escape
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from govtrain.catalog.models import COURSE_LANGUAGE_NAMES, Course
from govtrain.catalog.selectors import CatalogChoices, CatalogFilters
from govtrain.people.models import ServiceClass

MONTHS_AHEAD = 12


def months_from(today: dt.date, count: int = MONTHS_AHEAD) -> list[tuple[str, str]]:
    """(value, label) of this month and the next ones: "2026-12", "December 2026"."""
    months = []
    year, month = today.year, today.month
    for _n in range(count):
        months.append((f"{year}-{month:02d}", f"{MONTHS[month]} {year}"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class QuickSelect(forms.Select):
    """A <select> written out in Python. Django renders each option through a template
    (~40 µs an option), which made the catalog's filters a fifth of the page's time.

    `options_html`, when set (`CatalogForm.use_options`), is the options as rendered with
    nothing selected, to which only the chosen values' `selected` are added."""

    options_html: str | None = None

    def render_options(self, chosen: Collection[str] = ()) -> str:
        return "".join(
            f'<option value="{escape(str(code))}"{" selected" if str(code) in chosen else ""}>'
            f"{escape(str(label))}</option>"
            for code, label in self.choices
        )

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = set(self.format_value(value))
        if self.options_html is None:
            options = self.render_options(chosen)
        else:
            options = self.options_html
            for code in chosen:
                plain = f'<option value="{escape(code)}">'
                options = options.replace(plain, f'<option value="{escape(code)}" selected>', 1)
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{options}</select>')  # noqa: S308 - every value escaped above


class CatalogForm(forms.Form):
    """The catalog's search box and filters, all optional; codes in the URL."""

    q = forms.CharField(
        label=_("Search courses"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "enterkeyhint": "search",
                "aria-describedby": "catalog-search-help",
            }
        ),
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False, widget=QuickSelect)
    provider = forms.ChoiceField(label=_("Provider"), required=False, widget=QuickSelect)
    centre = forms.ChoiceField(label=_("Centre"), required=False, widget=QuickSelect)
    modality = forms.ChoiceField(label=_("Mode"), required=False, widget=QuickSelect)
    group = forms.ChoiceField(label=_("Group"), required=False, widget=QuickSelect)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=QuickSelect)
    month = forms.ChoiceField(label=_("Batch starts in"), required=False, widget=QuickSelect)
    eligible = forms.BooleanField(label=_("Only courses meant for me"), required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        choices: CatalogChoices,
        today: dt.date,
        is_learner: bool,
    ) -> None:
        super().__init__(data)
        ml = get_language() == "ml"

        def named(rows: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
            return [
                (code, (name_ml if ml and name_ml else name_en)) for code, name_en, name_ml in rows
            ]

        self._set_choices("topic", named(choices.topics))
        self._set_choices("provider", named(choices.providers))
        self._set_choices("centre", named(choices.centres))
        self._set_choices("modality", Course.Modality.choices)
        self._set_choices("group", ServiceClass.NationalGroup.choices)
        self._set_choices(
            "language", ((code, str(name)) for code, name in COURSE_LANGUAGE_NAMES.items())
        )
        self._set_choices("month", months_from(today))
        if not is_learner:
            del self.fields["eligible"]  # only an employee has targets to match

    def _set_choices(self, name: str, items: Iterable[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [("", _("Any")), *items]

    def options(self) -> dict[str, str]:
        """Each filter's options as HTML with nothing selected, for `use_options`."""
        return {
            name: field.widget.render_options()
            for name, field in self.fields.items()
            if isinstance(field.widget, QuickSelect)
        }

    def use_options(self, options: dict[str, str]) -> None:
        """Render the filters from `options` (from a form with the same choices) instead
        of writing every option out again."""
        for name, html in options.items():
            widget = self.fields[name].widget
            assert isinstance(widget, QuickSelect)  # noqa: S101 - as options() made them
            widget.options_html = html

    @property
    def offers_eligible(self) -> bool:
        return "eligible" in self.fields

    @property
    def filter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in ("q", "eligible")]

    @property
    def active_filters(self) -> int:
        """How many filters (not the search text) narrow the list."""
        if not self.is_bound:
            return 0
        return sum(1 for name in self.fields if name != "q" and self.data.get(name))

    def filters(self) -> CatalogFilters:
        """What the reader asked for; a value that is not a choice is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        month = data.get("month") or ""
        return CatalogFilters(
            q=data.get("q", ""),
            topic=data.get("topic", ""),
            provider=data.get("provider", ""),
            centre=data.get("centre", ""),
            modality=data.get("modality", ""),
            group=data.get("group", ""),
            language=data.get("language", ""),
            month=dt.date.fromisoformat(f"{month}-01") if month else None,
            eligible=bool(data.get("eligible")),
        )
