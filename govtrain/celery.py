"""The Celery application: one worker pool for every app's tasks (see docs/operations.md)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govtrain.settings")

app = Celery("govtrain")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
