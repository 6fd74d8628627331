from django.urls import include, path
from rest_framework.routers import DefaultRouter

from govtrain.api.v1 import (
    accounts,
    assessments,
    attendance,
    audit,
    catalog,
    certificates,
    classroom,
    external,
    learning,
    lrs,
    nominations,
    organisation,
    people,
    records,
    scorm,
)

router = DefaultRouter()
router.register("districts", organisation.DistrictViewSet, basename="district")
router.register("departments", organisation.DepartmentViewSet, basename="department")
router.register("local-bodies", organisation.LocalBodyViewSet, basename="local-body")
router.register("offices", organisation.OfficeViewSet, basename="office")
router.register("service-classes", people.ServiceClassViewSet, basename="service-class")
router.register("designations", people.DesignationViewSet, basename="designation")
router.register("cadres", people.CadreViewSet, basename="cadre")
router.register("employees", people.EmployeeViewSet, basename="employee")
router.register("imports", people.ImportJobViewSet, basename="import")
router.register("role-assignments", accounts.RoleAssignmentViewSet, basename="role-assignment")
router.register("audit-events", audit.AuditEventViewSet, basename="audit-event")
router.register("nominations", nominations.NominationViewSet, basename="nomination")
router.register("batches", classroom.BatchViewSet, basename="batch")
router.register("courses", catalog.CourseViewSet, basename="course")

urlpatterns = [
    path("me/", accounts.me, name="me"),
    path(
        "providers/<slug:code>/approval-policy/",
        nominations.approval_policy,
        name="approval-policy",
    ),
    path("", include(router.urls)),
]

# Attendance, feedback and the training record (issue #3).
urlpatterns += [
    path("sessions/<int:pk>/attendance/", attendance.session_attendance, name="session-attendance"),
    path("batches/<str:code>/feedback/", attendance.batch_feedback, name="batch-feedback"),
    path(
        "batches/<str:code>/feedback/summary/",
        attendance.batch_feedback_summary,
        name="batch-feedback-summary",
    ),
    path(
        "employees/<str:pen>/training-record/",
        records.training_record,
        name="employee-training-record",
    ),
]

# Online learning, SCORM, external courses and the LRS's own management (issue #4): each
# area keeps its routes in its module. The xAPI resources live under /xapi/ (govtrain.lrs).
urlpatterns += [
    *learning.urlpatterns,
    *scorm.urlpatterns,
    *external.urlpatterns,
    *lrs.urlpatterns,
]

# Assessments and certificates (issue #5).
urlpatterns += [*assessments.urlpatterns, *certificates.urlpatterns]
