from django.urls import include, path
from rest_framework.routers import DefaultRouter

from govtrain.api.v1 import accounts, audit, organisation, people

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

urlpatterns = [
    path("me/", accounts.me, name="me"),
    path("", include(router.urls)),
]
