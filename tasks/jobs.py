"""Background jobs of the tasks app, and starting them."""

import logging

from celery import shared_task
from django.core.cache import cache

from accounts.models import User
from tasks.importing.batch import progress_key, run_import_job
from tasks.models import ImportBatch

logger = logging.getLogger(__name__)


@shared_task(name="tasks.jobs.confirm_import")
def confirm_import(batch_pk: int, user_pk: int) -> None:
    """Write a large annex import the clerk confirmed (start_import_job)."""
    run_import_job(batch_pk=batch_pk, by=User.objects.get(pk=user_pk))


def start_import_job(*, batch: ImportBatch, by) -> bool:
    """Hand the confirmation of a large batch to a worker: claimed now (preview → running, so a second
    submit does nothing), written by tasks.jobs.confirm_import. Without a broker the job runs in this
    process and is finished on return; with a broker out of reach it runs here too, so that the
    confirmation is never lost. False when the batch was already claimed."""
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
        status=ImportBatch.Status.RUNNING
    )
    if claimed != 1:
        return False
    cache.delete(progress_key(batch.pk))
    try:
        confirm_import.delay(batch.pk, by.pk)
    except Exception:
        logger.exception("Could not start the import job of batch %s; running it in the request", batch.pk)
        run_import_job(batch_pk=batch.pk, by=by)
    return True
