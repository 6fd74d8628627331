"""Forms for classroom pages: parsing and messages only; the rules live in services."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from govtrain.catalog.models import COURSE_LANGUAGES, Centre, Course, Provider, Topic, Venue
from govtrain.classroom.models import Attendance, Batch, FeedbackQuestion
from govtrain.classroom.selectors import AttendanceSheet, BatchFilters, SheetRow
from govtrain.classroom.services.attendance import DEFAULT_LATE_BY, mark_minutes
from govtrain.classroom.services.feedback import MAX_COMMENT, answer_key
from govtrain.classroom.services.nominations import DECISIONS
from govtrain.organisation.models import Department
from govtrain.people.models import Employee, ServiceClass

# --- Nominations ---------------------------------------------------------------------


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in DECISIONS], widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.TextInput,
        help_text=_("Required to reject; the employee sees it."),
    )


class NominateForm(forms.Form):
    """Pick staff from the search below, or paste PENs (one per line or comma-separated)."""

    employees = forms.TypedMultipleChoiceField(
        label=_("Staff"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    pens = forms.CharField(
        label=_("PENs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One PEN per line, or separated by commas or spaces."),
    )
    reason = forms.CharField(label=_("Note to the institute"), max_length=500, required=False)
    skip_ineligible = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's loose kwargs
        self.fields["employees"].choices = choices  # type: ignore[attr-defined]  # ChoiceField

    def clean_pens(self) -> list[str]:
        return [p for p in re.split(r"[\s,;]+", self.cleaned_data["pens"]) if p]

    def clean(self) -> dict[str, object] | None:
        cleaned = super().clean()
        if cleaned is not None and not cleaned.get("employees") and not cleaned.get("pens"):
            raise forms.ValidationError(_("Choose at least one person."))
        return cleaned


class StaffSearchForm(forms.Form):
    q = forms.CharField(label=_("Find staff by name or PEN"), required=False, max_length=100)


# --- Batches -------------------------------------------------------------------------


class _PensField(forms.CharField):
    """PENs separated by commas, spaces or new lines, read as employees."""

    def clean(self, value: Any) -> list[Employee]:
        text = super().clean(value)
        pens = list(dict.fromkeys(p for p in re.split(r"[\s,;]+", text or "") if p))
        found = {e.pen: e for e in Employee.objects.filter(pen__in=pens)}
        unknown = [p for p in pens if p not in found]
        if unknown:
            raise forms.ValidationError(
                _("No employee has the PEN %(pens)s.") % {"pens": ", ".join(unknown)}
            )
        return [found[p] for p in pens]


class _VenueChoiceField(forms.ModelChoiceField[Venue]):
    def label_from_instance(self, obj: Venue) -> str:
        return _("%(venue)s · %(seats)s seats · %(centre)s") % {
            "centre": obj.centre.name,
            "venue": obj.name,
            "seats": obj.capacity,
        }


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class BatchForm(forms.Form):
    """A batch's dates, room and seats; the rules (room free, faculty free, window before
    the start) are checked by the service when it is saved."""

    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    code = forms.CharField(
        label=_("Batch code"), max_length=40, help_text=_("For example RTI-2025-03.")
    )
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=Centre.objects.none())
    venue = _VenueChoiceField(label=_("Room"), queryset=Venue.objects.none())
    starts_on = forms.DateField(label=_("Starts on"), widget=_date_input())
    ends_on = forms.DateField(label=_("Ends on"), widget=_date_input())
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=1000)
    nominations_open_on = forms.DateField(label=_("Nominations open on"), widget=_date_input())
    nominations_close_on = forms.DateField(
        label=_("Nominations close on"),
        widget=_date_input(),
        help_text=_("Early enough for the approval chain: usually a week before the start."),
    )
    language = forms.ChoiceField(label=_("Language of instruction"), choices=[])
    faculty = _PensField(
        label=_("Faculty (PENs)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Separated by commas or spaces. Session faculty are added automatically."),
    )

    def __init__(
        self,
        *args: Any,
        courses: QuerySet[Course],
        centres: QuerySet[Centre],
        batch: Batch | None = None,
        **kwargs: Any,
    ) -> None:
        if batch is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "course": batch.course_id,
                "code": batch.code,
                "centre": batch.centre_id,
                "venue": batch.venue_id,
                "starts_on": batch.starts_on,
                "ends_on": batch.ends_on,
                "capacity": batch.capacity,
                "nominations_open_on": batch.nominations_open_on,
                "nominations_close_on": batch.nominations_close_on,
                "language": batch.language,
                "faculty": " ".join(e.pen for e in batch.faculty.all()),
            }
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["course"].queryset = courses.filter(  # type: ignore[attr-defined]  # ModelChoiceField
            modality__in=[Course.Modality.CLASSROOM, Course.Modality.BLENDED]
        )
        fields["centre"].queryset = centres  # type: ignore[attr-defined]  # ModelChoiceField
        fields["venue"].queryset = (  # type: ignore[attr-defined]  # ModelChoiceField
            Venue.objects.filter(centre__in=centres)
            .select_related("centre")
            .order_by("centre__code", "code")
        )
        names = dict(settings.LANGUAGES) | {"hi": _("Hindi"), "ta": _("Tamil")}
        fields["language"].choices = [  # type: ignore[attr-defined]  # ChoiceField
            (code, names.get(code, code)) for code in COURSE_LANGUAGES
        ]
        if batch is not None:
            # Nominations were made to this course: the course of a batch stays.
            fields["course"].disabled = True

    def batch_fields(self) -> dict[str, Any]:
        """What the service takes, without the course and faculty."""
        return {
            name: self.cleaned_data[name]
            for name in (
                "code",
                "centre",
                "venue",
                "starts_on",
                "ends_on",
                "capacity",
                "nominations_open_on",
                "nominations_close_on",
                "language",
            )
        }


class SessionForm(forms.Form):
    """One row of the timetable."""

    date = forms.DateField(label=_("Date"), widget=_date_input())
    starts_at = forms.TimeField(label=_("From"), widget=_time_input())
    ends_at = forms.TimeField(label=_("To"), widget=_time_input())
    title = forms.CharField(label=_("Topic of the session"), max_length=200)
    faculty = forms.ModelChoiceField(
        label=_("Faculty PEN"),
        queryset=Employee.objects.all(),
        to_field_name="pen",
        required=False,
        widget=forms.TextInput(attrs={"size": 10}),
        error_messages={"invalid_choice": _("No employee has this PEN.")},
    )


class QuotaForm(forms.Form):
    """One seat quota: at most `seats` for people matching every criterion chosen."""

    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.order_by("name_en"), required=False
    )
    service_class = forms.ModelChoiceField(
        label=_("Service class"), queryset=ServiceClass.objects.all(), required=False
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", _("Any")), *Employee.Gender.choices], required=False
    )
    seats = forms.IntegerField(label=_("Seats at most"), min_value=1, max_value=1000)


def session_formset(
    data: Any = None, *, batch: Batch | None = None, extra: int = 6
) -> forms.BaseFormSet[SessionForm]:
    """The timetable editor: the batch's sessions and a few empty rows to fill in."""
    initial = [
        {
            "date": s.date,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "title": s.title,
            "faculty": s.faculty.pen if s.faculty else "",
        }
        for s in (batch.sessions.select_related("faculty") if batch else [])
    ]
    formset_class = forms.formset_factory(SessionForm, extra=extra, can_delete=True)
    return formset_class(data, initial=initial, prefix="sessions")


def quota_formset(
    data: Any = None, *, batch: Batch | None = None, extra: int = 2
) -> forms.BaseFormSet[QuotaForm]:
    initial = [
        {
            "department": q.department_id,
            "service_class": q.service_class_id,
            "gender": q.gender,
            "seats": q.seats,
        }
        for q in (batch.quotas.all() if batch else [])
    ]
    formset_class = forms.formset_factory(QuotaForm, extra=extra, can_delete=True)
    return formset_class(data, initial=initial, prefix="quotas")


def filled_rows(formset: forms.BaseFormSet[Any]) -> list[dict[str, Any]]:
    """The rows of a valid formset that are kept: every row shown filled in (changed or
    not) and every extra row filled in, less those marked for deletion."""
    initial = formset.initial_form_count()
    return [
        form.cleaned_data
        for i, form in enumerate(formset.forms)
        if (i < initial or form.has_changed())
        and form.cleaned_data
        and not form.cleaned_data.get("DELETE")
    ]


class BatchCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the batch cancelled?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Everyone nominated is told, with this reason."),
    )


def _month(value: str) -> dt.date | None:
    """The first day of a month written as YYYY-MM (what <input type="month"> sends)."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", value or "")
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and 1900 <= year <= 2999):
        return None
    return dt.date(year, month, 1)


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def clean(self, value: Any) -> dt.date | None:
        text = super().clean(value)
        if not text:
            return None
        month = _month(text)
        if month is None:
            raise forms.ValidationError(_("Give the month as YYYY-MM."))
        return month


class BatchFilterForm(forms.Form):
    """The coordinator's batch list: by centre, status and month."""

    centre = forms.ModelChoiceField(
        label=_("Centre"), queryset=Centre.objects.none(), required=False, empty_label=_("Any")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Batch.Status.choices], required=False
    )
    month = MonthField(label=_("Month"), required=False)

    def __init__(self, *args: Any, centres: QuerySet[Centre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres  # type: ignore[attr-defined]  # ModelChoiceField

    def filters(self) -> BatchFilters:
        if not self.is_valid():
            return BatchFilters()
        data = self.cleaned_data
        month = data.get("month")
        return BatchFilters(
            centre=data["centre"].pk if data.get("centre") else None,
            status=data.get("status") or "",
            starts=month,
            ends=_month_end(month) if month else None,
        )


def _month_end(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


class CalendarFilterForm(forms.Form):
    """The training calendar: which month, and narrowed by centre, provider or topic."""

    month = MonthField(label=_("Month"), required=False)
    centre = forms.ModelChoiceField(
        label=_("Centre"),
        queryset=Centre.objects.select_related("provider"),
        required=False,
        empty_label=_("Any"),
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Provider.objects.all(), required=False, empty_label=_("Any")
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.all(), required=False, empty_label=_("Any")
    )

    def month_start(self, today: dt.date) -> dt.date:
        if self.is_valid() and self.cleaned_data.get("month"):
            month: dt.date = self.cleaned_data["month"]
            return month
        return today.replace(day=1)

    def filters(self, *, starts: dt.date, ends: dt.date) -> BatchFilters:
        data = self.cleaned_data if self.is_valid() else {}

        def pk(name: str) -> int | None:
            return data[name].pk if data.get(name) else None

        return BatchFilters(
            centre=pk("centre"),
            provider=pk("provider"),
            topic=pk("topic"),
            starts=starts,
            ends=ends,
        )


# --- Attendance and feedback (issue #3) ----------------------------------------------


class AttendanceSheetForm(forms.Form):
    """The whole session on one form: a status (present unless changed) and, for late or
    partly present, the minutes present of every participant."""

    late_by = forms.IntegerField(
        label=_("Late arrivals missed (minutes)"),
        min_value=0,
        initial=DEFAULT_LATE_BY,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Used for anyone marked late without minutes of their own."),
    )
    reason = forms.CharField(
        label=_("Reason for corrections"),
        max_length=500,
        required=False,
        help_text=_("Recorded with every change to a mark already made."),
    )

    def __init__(self, *args: Any, sheet: AttendanceSheet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        length = sheet.session.minutes
        for row in sheet.rows:
            pk = row.enrolment.employee_id
            mark = row.mark
            self.fields[f"status_{pk}"] = forms.ChoiceField(
                label=str(row.employee),
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                initial=mark.status if mark else Attendance.Status.PRESENT,
            )
            self.fields[f"minutes_{pk}"] = forms.IntegerField(
                label=_("Minutes present, if late or partly present"),
                required=False,
                min_value=0,
                max_value=length,
                initial=mark.minutes if mark and mark.status in _SOME_MINUTES else None,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    statuses = Attendance.Status.choices

    def rows(self) -> list[SheetFormRow]:
        """What the template needs of each person, read from the form without rendering a
        widget per radio button (300 of them for 60 people cost a quarter of a second)."""
        rows = []
        for row in self.sheet.rows:
            pk = row.enrolment.employee_id
            status, minutes = self[f"status_{pk}"], self[f"minutes_{pk}"]
            rows.append(
                SheetFormRow(
                    row=row,
                    pk=pk,
                    status=str(status.value() or ""),
                    minutes="" if minutes.value() is None else str(minutes.value()),
                    status_errors=[str(e) for e in status.errors],
                    minutes_errors=[str(e) for e in minutes.errors],
                )
            )
        return rows

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned is None or self.errors:
            return cleaned
        length = self.sheet.session.minutes
        for employee_id, (status, minutes) in self.marks().items():
            try:
                mark_minutes(
                    status=status,
                    minutes=minutes,
                    session_minutes=length,
                    late_by=cleaned["late_by"],
                )
            except forms.ValidationError as e:
                field = f"minutes_{employee_id}" if status in _SOME_MINUTES else "late_by"
                self.add_error(field, e)
        return cleaned

    def marks(self) -> dict[int, tuple[str, int | None]]:
        """Employee id to (status, minutes); minutes only where the status takes them."""
        data = self.cleaned_data
        marks: dict[int, tuple[str, int | None]] = {}
        for row in self.sheet.rows:
            pk = row.enrolment.employee_id
            status = data[f"status_{pk}"]
            marks[pk] = (status, data.get(f"minutes_{pk}") if status in _SOME_MINUTES else None)
        return marks

    def add_service_errors(self, error: forms.ValidationError) -> None:
        """Errors of `attendance_mark`, keyed by employee id, onto the person's minutes."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            field = f"minutes_{key}" if f"minutes_{key}" in self.fields else key
            self.add_error(field if field in self.fields else None, errors)


_SOME_MINUTES = (Attendance.Status.LATE, Attendance.Status.PARTIAL)


@dataclass(frozen=True)
class SheetFormRow:
    row: SheetRow
    pk: int
    status: str
    minutes: str
    status_errors: list[str]
    minutes_errors: list[str]

    @property
    def employee(self) -> Employee:
        return self.row.employee


RATING_CHOICES = [
    ("1", _("1 — Poor")),
    ("2", _("2 — Fair")),
    ("3", _("3 — Good")),
    ("4", _("4 — Very good")),
    ("5", _("5 — Excellent")),
]


class FeedbackAnswersForm(forms.Form):
    """A participant's answers: a 1-5 rating per rating question (per faculty member for
    faculty ratings) and comments."""

    def __init__(
        self,
        *args: Any,
        questions: list[FeedbackQuestion],
        faculty: list[Employee],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.keys: dict[str, tuple[int, int | None]] = {}
        K = FeedbackQuestion.Kind
        for q in questions:
            if q.kind == K.TEXT:
                self._add(
                    answer_key(q.pk),
                    (q.pk, None),
                    forms.CharField(
                        label=q.text,
                        required=q.required,
                        max_length=MAX_COMMENT,
                        widget=forms.Textarea(attrs={"rows": 4}),
                    ),
                )
                continue
            for person in faculty if q.kind == K.FACULTY_RATING else [None]:
                label = q.text if person is None else f"{q.text} — {person.display_name}"
                self._add(
                    answer_key(q.pk, person.pk if person else None),
                    (q.pk, person.pk if person else None),
                    forms.ChoiceField(
                        label=label,
                        choices=RATING_CHOICES,
                        required=q.required,
                        widget=forms.RadioSelect,
                    ),
                )

    def _add(self, name: str, key: tuple[int, int | None], field: forms.Field) -> None:
        self.fields[name] = field
        self.keys[name] = key

    def answers(self) -> dict[tuple[int, int | None], str | None]:
        return {key: self.cleaned_data.get(name) or None for name, key in self.keys.items()}

    def add_service_errors(self, error: forms.ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            self.add_error(key if key in self.fields else None, errors)


class FeedbackQuestionForm(forms.ModelForm[FeedbackQuestion]):
    class Meta:
        model = FeedbackQuestion
        fields = ["position", "kind", "text_en", "text_ml", "required"]
        widgets = {
            "position": forms.NumberInput(attrs={"size": 3, "inputmode": "numeric"}),
            "text_en": forms.TextInput(attrs={"lang": "en"}),
            "text_ml": forms.TextInput(attrs={"lang": "ml"}),
        }


FeedbackQuestionFormSet = forms.modelformset_factory(
    FeedbackQuestion, form=FeedbackQuestionForm, extra=2, can_delete=True
)


# --- Approval policies ---------------------------------------------------------------


class ApprovalPolicyForm(forms.Form):
    """Which approvals a nomination needs before the institute decides."""

    course = forms.CharField(
        label=_("Course code"),
        required=False,
        max_length=30,
        help_text=_("Empty: the chain for every course of the institute."),
    )
    controlling_officer = forms.BooleanField(
        label=_("The employee's controlling officer approves"), required=False
    )
    department = forms.BooleanField(
        label=_("The head of department (nodal officer) approves"), required=False
    )
    lead_days = forms.IntegerField(
        label=_("Nominations close this many days before the start"), min_value=0, max_value=90
    )

    def steps(self) -> list[str]:
        chosen = [s for s in ("controlling_officer", "department") if self.cleaned_data.get(s)]
        return [*chosen, "institute"]
