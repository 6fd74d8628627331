from django.urls import URLPattern, path

from govtrain.classroom.views import (
    attendance,
    batches,
    calendar,
    feedback,
    nominations,
    policies,
)

app_name = "classroom"

# Each area adds its pages here; paths use plural nouns (STYLE.md section 8).
urlpatterns: list[URLPattern] = [
    path("nominations/", nominations.nomination_list, name="nomination-list"),
    path("nominations/<int:pk>/", nominations.nomination_detail, name="nomination-detail"),
    path("nominations/<int:pk>/decide/", nominations.nomination_decide, name="nomination-decide"),
    path("batches/<int:pk>/request/", nominations.nomination_request, name="nomination-request"),
    path("batches/<int:pk>/nominate/", nominations.batch_nominate, name="batch-nominate"),
    path("batches/<int:pk>/confirm/", nominations.batch_confirm, name="batch-confirm"),
]

# Attendance, feedback and completion (issue #3).
urlpatterns += [
    path("batches/<int:pk>/attendance/", attendance.attendance_sheet, name="attendance-sheet"),
    path("batches/<int:pk>/complete/", attendance.batch_complete, name="batch-complete"),
    path("batches/<int:pk>/feedback/", feedback.feedback_form, name="feedback-form"),
    path("batches/<int:pk>/feedback/summary/", feedback.feedback_summary, name="feedback-summary"),
    path(
        "providers/<int:pk>/feedback-questions/",
        feedback.feedback_questions,
        name="feedback-questions",
    ),
    path(
        "providers/<int:pk>/feedback-questions/own/",
        feedback.feedback_form_create,
        name="feedback-form-create",
    ),
]

# Batches and the training calendar (issue #3).
urlpatterns += [
    path("batches/", batches.batch_list, name="batch-list"),
    path("batches/new/", batches.batch_create, name="batch-create"),
    path("batches/<int:pk>/", batches.batch_detail, name="batch-detail"),
    path("batches/<int:pk>/edit/", batches.batch_edit, name="batch-edit"),
    path("batches/<int:pk>/cancel/", batches.batch_cancel, name="batch-cancel"),
    path("calendar/", calendar.calendar_month, name="calendar"),
    path("calendar/list/", calendar.calendar_list, name="calendar-list"),
    path("calendar/subscribe/", calendar.calendar_subscribe, name="calendar-subscribe"),
    path("calendar/centres/<slug:code>.ics", calendar.centre_ical, name="centre-ical"),
    path("calendar/feeds/<str:token>.ics", calendar.my_ical, name="my-ical"),
]

# Approval chains (issue #3).
urlpatterns += [
    path("providers/<slug:code>/approval/", policies.approval_policy, name="approval-policy"),
]
