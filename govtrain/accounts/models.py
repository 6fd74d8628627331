"""Login accounts and the roles they hold, each scoped to part of the organisation."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govtrain.core.models import TimeStampedModel


class User(AbstractUser):
    """A login. Employees log in with their PEN as username; service accounts (an HR
    system) have no employee. Personal details live on `people.Employee`, not here."""

    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )


class Role(models.TextChoices):
    NODAL_OFFICER = "nodal_officer", _("Controlling / nodal officer")
    COORDINATOR = "coordinator", _("Institute coordinator")
    FACULTY = "faculty", _("Faculty")
    PATHWAY_MANAGER = "pathway_manager", _("Pathway manager")
    STATE_ADMIN = "state_admin", _("State administrator")
    AUDITOR = "auditor", _("Auditor")
    HR_INTEGRATION = "hr_integration", _("HR system integration")


# Which scope each role takes: one part of the organisation tree, one provider, or none.
# Tuples, not sets: the check constraint below must come out the same in every process.
ORG_ROLES = (Role.NODAL_OFFICER,)
PROVIDER_ROLES = (Role.COORDINATOR, Role.FACULTY, Role.PATHWAY_MANAGER)
GLOBAL_ROLES = (Role.STATE_ADMIN, Role.AUDITOR, Role.HR_INTEGRATION)
ORG_SCOPE_FIELDS = ("department", "district", "local_body", "office")


class RoleAssignment(TimeStampedModel):
    """`user` holds `role` over exactly the scope its role takes (see the constraint)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    district = models.ForeignKey(
        "organisation.District",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    local_body = models.ForeignKey(
        "organisation.LocalBody",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("local body"),
    )
    office = models.ForeignKey(
        "organisation.Office",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("office and the offices under it"),
    )
    provider = models.ForeignKey(
        "catalog.Provider",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="role_scope_fits_role",
                condition=(
                    Q(
                        role__in=[r.value for r in GLOBAL_ROLES],
                        department=None,
                        district=None,
                        local_body=None,
                        office=None,
                        provider=None,
                    )
                    | Q(
                        role__in=[r.value for r in PROVIDER_ROLES],
                        provider__isnull=False,
                        department=None,
                        district=None,
                        local_body=None,
                        office=None,
                    )
                    | (
                        Q(role__in=[r.value for r in ORG_ROLES], provider=None)
                        & (
                            Q(department__isnull=False, district=None, local_body=None, office=None)
                            | Q(
                                district__isnull=False,
                                department=None,
                                local_body=None,
                                office=None,
                            )
                            | Q(
                                local_body__isnull=False,
                                department=None,
                                district=None,
                                office=None,
                            )
                            | Q(
                                office__isnull=False,
                                department=None,
                                district=None,
                                local_body=None,
                            )
                        )
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.scope_label}"

    @property
    def scope_label(self) -> str:
        for field in (*ORG_SCOPE_FIELDS, "provider"):
            target = getattr(self, field)
            if target is not None:
                return str(target)
        return str(_("everywhere"))
