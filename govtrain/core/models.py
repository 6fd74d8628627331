from django.db import models


class TimeStampedModel(models.Model):
    """Every model records when it was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class BilingualNameMixin(models.Model):
    """A name in English and in Malayalam, shown in the reader's language."""

    name_en = models.CharField("name (English)", max_length=200)
    name_ml = models.CharField("name (Malayalam)", max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        if get_language() == "ml" and self.name_ml:
            return self.name_ml
        return self.name_en
