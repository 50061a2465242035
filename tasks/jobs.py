"""Background jobs of the tasks app."""

from celery import shared_task

from accounts.models import User
from tasks.importing.batch import run_import_job


@shared_task(name="tasks.jobs.confirm_import")
def confirm_import(batch_pk: int, user_pk: int) -> None:
    """Write a large annex import the clerk confirmed (tasks.importing.start_import_job)."""
    run_import_job(batch_pk=batch_pk, by=User.objects.get(pk=user_pk))
