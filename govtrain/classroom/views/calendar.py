"""The training calendar for everyone (a month of weeks, or a list), and the same schedule
as iCalendar feeds (RFC 5545) that calendar apps subscribe to: one public feed per centre,
one private feed per employee behind a signed link."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from govtrain.accounts.access import Perm, access_for
from govtrain.catalog.models import Centre
from govtrain.classroom import selectors
from govtrain.classroom.forms import CalendarFilterForm
from govtrain.classroom.models import Batch, Session
from govtrain.core.http import AuthedRequest
from govtrain.people.models import Employee

# --- The month and the list ----------------------------------------------------------


@dataclass
class Day:
    date: dt.date
    in_month: bool
    batches: list[Batch] = field(default_factory=list)


def _month_bounds(first: dt.date) -> tuple[dt.date, dt.date]:
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    return first, last


def _shift_month(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _weeks(first: dt.date, batches: Iterable[Batch]) -> list[list[Day]]:
    """The month as weeks from Monday (as Indian wall calendars print them), each day with
    the batches that meet on it."""
    weeks = [
        [Day(date=d, in_month=d.month == first.month) for d in week]
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    days = {day.date: day for week in weeks for day in week}
    for batch in batches:
        day = max(batch.starts_on, weeks[0][0].date)
        while day <= batch.ends_on and day in days:
            days[day].batches.append(batch)
            day += dt.timedelta(days=1)
    return weeks


def _calendar_context(request: AuthedRequest, *, grid: bool) -> dict[str, Any]:
    """The month asked for, and the batches the user may see that meet in it (in the
    whole grid of weeks for the month view, whose first and last weeks spill over)."""
    data = request.GET.copy()
    if not data.get("month"):
        # The month shown stays in the form's month field, whatever else is filtered.
        data["month"] = f"{timezone.localdate():%Y-%m}"
    form = CalendarFilterForm(data)
    first = form.month_start(timezone.localdate())
    starts, ends = _month_bounds(first)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    shown = (weeks[0][0], weeks[-1][-1]) if grid else (starts, ends)
    batches = list(
        selectors.batches_visible_to(
            user=request.user, filters=form.filters(starts=shown[0], ends=shown[1])
        )
    )
    query = request.GET.copy()
    query.pop("month", None)
    access = access_for(request.user)
    managed = {
        b.pk for b in batches if access.covers_provider(Perm.CATALOG_MANAGE, b.course.provider_id)
    }
    return {
        "form": form,
        "month": first,
        "previous": _shift_month(first, -1),
        "next": _shift_month(first, 1),
        "batches": batches,
        "in_month": sum(1 for b in batches if b.ends_on >= starts and b.starts_on <= ends),
        "managed": managed,
        "query": query.urlencode(),
        "weekdays": [_weekday_names(d) for d in range(7)],
        "today": timezone.localdate(),
    }


def _weekday_names(index: int) -> tuple[str, str]:
    """The weekday's name, in full and short, in the reader's language (0: Monday)."""
    day = dt.date(2024, 1, 1) + dt.timedelta(days=index)  # 1 January 2024 was a Monday.
    return date_format(day, "l"), date_format(day, "D")


@login_required
def calendar_month(request: AuthedRequest) -> HttpResponse:
    """A month of weeks with the batches on their days, for every signed-in user."""
    context = _calendar_context(request, grid=True)
    context["weeks"] = _weeks(context["month"], context["batches"])
    if request.htmx:
        return render(request, "classroom/_calendar_month.html", context)
    return render(request, "classroom/calendar_month.html", context)


@login_required
def calendar_list(request: AuthedRequest) -> HttpResponse:
    """The same month as a list, easier to read on a phone or with a screen reader."""
    context = _calendar_context(request, grid=False)
    if request.htmx:
        return render(request, "classroom/_calendar_list.html", context)
    return render(request, "classroom/calendar_list.html", context)


# --- Subscribing: the signed link to one's own feed ----------------------------------

FEED_SALT = "govtrain.classroom.ical"


def feed_token(employee_id: int) -> str:
    """A link secret to the employee's feed; it lets calendar apps in without a login and
    tells nothing but which employee it is for."""
    return signing.Signer(salt=FEED_SALT).sign(str(employee_id))


def _employee_id_from(token: str) -> int:
    try:
        return int(signing.Signer(salt=FEED_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as exc:
        raise Http404 from exc


@login_required
def calendar_subscribe(request: AuthedRequest) -> HttpResponse:
    """The learner's personal feed address, and the public feeds of the centres."""
    employee_id = access_for(request.user).employee_id
    feed_url = None
    if employee_id is not None:
        path = reverse("classroom:my-ical", args=[feed_token(employee_id)])
        feed_url = request.build_absolute_uri(path)
    centres = [
        (c, request.build_absolute_uri(reverse("classroom:centre-ical", args=[c.code])))
        for c in Centre.objects.select_related("provider").order_by("provider__code", "code")
    ]
    return render(
        request,
        "classroom/calendar_subscribe.html",
        {
            "feed_url": feed_url,
            "webcal_url": feed_url.replace("https://", "webcal://").replace("http://", "webcal://")
            if feed_url
            else None,
            "centres": centres,
        },
    )


# --- The feeds -----------------------------------------------------------------------

KOLKATA = ZoneInfo("Asia/Kolkata")


def _event(
    session: Session, *, with_faculty: bool, host: str, stamp: dt.datetime
) -> icalendar.Event:
    batch = session.batch
    event = icalendar.Event()
    # Stable across edits: the timetable editor keeps a session while its date and start
    # stay, so calendar apps update the entry instead of adding a second one.
    event.add("uid", f"session-{session.pk}@{host}")
    # With METHOD:PUBLISH, DTSTAMP is when the feed was made (RFC 5545, 3.8.7.2).
    event.add("dtstamp", stamp)
    event.add("last-modified", session.updated_at.astimezone(dt.UTC))
    event.add("dtstart", dt.datetime.combine(session.date, session.starts_at, tzinfo=KOLKATA))
    event.add("dtend", dt.datetime.combine(session.date, session.ends_at, tzinfo=KOLKATA))
    event.add("summary", str(batch.course.title))
    event.add("location", f"{batch.venue.name}, {batch.centre.name}")
    lines = [session.title, _("Batch %(code)s") % {"code": batch.code}]
    if with_faculty and session.faculty is not None:
        lines.append(_("Faculty: %(name)s") % {"name": session.faculty.display_name})
    event.add("description", "\n".join(lines))
    cancelled = batch.status == Batch.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _feed(name: str, sessions: Iterable[Session], *, with_faculty: bool) -> bytes:
    feed = icalendar.Calendar()
    feed.add("prodid", "-//govtrain//Training calendar//EN")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", name)
    feed.add("x-wr-timezone", settings.TIME_ZONE)
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for session in sessions:
        feed.add_component(_event(session, with_faculty=with_faculty, host=host, stamp=stamp))
    feed.add_missing_timezones()  # a VTIMEZONE for Asia/Kolkata
    body: bytes = feed.to_ical()
    return body


def _ics(body: bytes, filename: str, *, private: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=900" if private else "public, max-age=900"
    if private:
        response["X-Robots-Tag"] = "noindex"
    return response


def _since() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=selectors.FEED_PAST_DAYS)


@require_GET
def centre_ical(request: HttpRequest, code: str) -> HttpResponse:
    """A centre's public schedule: sessions of its published courses. No personal data,
    not even faculty names; anyone may subscribe."""
    centre = get_object_or_404(Centre, code=code)
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        body = _feed(
            _("Training at %(centre)s") % {"centre": centre.name},
            selectors.sessions_at_centre(centre=centre, since=_since()),
            with_faculty=False,
        )
    return _ics(body, f"{centre.code}.ics", private=False)


@require_GET
def my_ical(request: HttpRequest, token: str) -> HttpResponse:
    """The employee's confirmed batches, reached by the signed link alone."""
    employee = get_object_or_404(
        Employee.objects.select_related("user"), pk=_employee_id_from(token)
    )
    language = (employee.user.language if employee.user else "") or settings.LANGUAGE_CODE
    with translation.override(language):
        body = _feed(
            _("My training"),
            selectors.sessions_of_employee(employee_id=employee.pk, since=_since()),
            with_faculty=True,
        )
    return _ics(body, "my-training.ics", private=True)
