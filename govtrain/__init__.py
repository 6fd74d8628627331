"""govtrain: training platform for government employees."""

from govtrain.celery import app as celery_app

__all__ = ["celery_app"]
