"""Writes to the organisation tree."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govtrain.organisation.models import Department, District, LocalBody, Office


@transaction.atomic
def office_create(
    *,
    code: str,
    name_en: str,
    department: Department,
    district: District,
    name_ml: str = "",
    local_body: LocalBody | None = None,
    parent: Office | None = None,
) -> Office:
    """Create an office under `parent`; its local body must lie in its district."""
    if local_body is not None and local_body.district_id != district.pk:
        raise ValidationError(_("The local body is not in the office's district."))
    office = Office(
        code=code,
        name_en=name_en,
        name_ml=name_ml,
        department=department,
        district=district,
        local_body=local_body,
        parent=parent,
        path=Office.path_for(code=code, parent=parent),
    )
    office.full_clean()
    office.save()
    return office
