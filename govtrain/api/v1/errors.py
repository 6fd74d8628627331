"""Service errors as API errors."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError


def as_drf(exc: DjangoValidationError) -> ValidationError:
    """A service's ValidationError as DRF's (400): per field when the service named fields."""
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
