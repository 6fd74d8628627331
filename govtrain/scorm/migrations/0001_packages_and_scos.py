import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalog", "0007_course_search_no_fastupdate"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Package",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                (
                    "version",
                    models.CharField(
                        choices=[("1.2", "SCORM 1.2"), ("2004", "SCORM 2004")],
                        max_length=4,
                        verbose_name="SCORM version",
                    ),
                ),
                (
                    "identifier",
                    models.CharField(
                        blank=True, max_length=255, verbose_name="manifest identifier"
                    ),
                ),
                ("storage_prefix", models.CharField(editable=False, max_length=100, unique=True)),
                ("size_bytes", models.BigIntegerField(verbose_name="size (bytes, uncompressed)")),
                ("file_count", models.PositiveIntegerField(verbose_name="files")),
                (
                    "provider",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.provider",
                        verbose_name="provider",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "SCORM package",
                "verbose_name_plural": "SCORM packages",
                "ordering": ["-created_at"],
            },
        ),
        migrations.CreateModel(
            name="Sco",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("identifier", models.CharField(max_length=255, verbose_name="identifier")),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                ("organisation", models.CharField(max_length=255, verbose_name="organisation")),
                ("href", models.CharField(max_length=2000, verbose_name="launch path")),
                ("position", models.PositiveIntegerField(verbose_name="position")),
                (
                    "mastery_score",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=6,
                        null=True,
                        verbose_name="mastery score",
                    ),
                ),
                (
                    "completion_threshold",
                    models.DecimalField(
                        blank=True,
                        decimal_places=4,
                        max_digits=5,
                        null=True,
                        verbose_name="completion threshold",
                    ),
                ),
                (
                    "scaled_passing_score",
                    models.DecimalField(
                        blank=True,
                        decimal_places=4,
                        max_digits=5,
                        null=True,
                        verbose_name="scaled passing score",
                    ),
                ),
                (
                    "package",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scos",
                        to="scorm.package",
                    ),
                ),
            ],
            options={
                "verbose_name": "SCO",
                "verbose_name_plural": "SCOs",
                "ordering": ["package", "position"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("package", "identifier"), name="scorm_sco_identifier_unique"
                    )
                ],
            },
        ),
    ]
