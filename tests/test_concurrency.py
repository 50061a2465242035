"""Two people at the same moment: both reports are kept; of two approvals one wins.

These need a database that takes concurrent connections (PostgreSQL, as in CI); SQLite's test database
is one shared in-memory file where threads would only take turns.
"""

import threading

import pytest
from django.db import connection, connections

from tasks import services
from tasks.models import ProgressUpdate, TaskEvent
from tests.conftest import make_task, pdf_upload

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL for concurrent connections"
)


def run_together(*calls):
    """Run the calls in threads released at the same instant; return (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def worker(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as error:  # noqa: BLE001 – collected for the assertions
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_reports_at_the_same_moment_are_both_kept(plan, department, clerk, staff, dept_head):
    task = make_task(plan, department, by=clerk)
    results, errors = run_together(
        lambda: services.progress_report(
            task=task, by=staff, percent=40, narrative="Báo cáo của chuyên viên"
        ),
        lambda: services.progress_report(
            task=task, by=dept_head, percent=50, narrative="Báo cáo của trưởng phòng"
        ),
    )
    assert errors == []
    assert ProgressUpdate.objects.filter(task=task).count() == 2


@pytest.mark.django_db(transaction=True)
def test_of_two_approvals_at_once_one_wins_and_the_other_is_told(
    plan, department, clerk, staff, dept_head, private_storage
):
    task = make_task(plan, department, by=clerk)
    report = services.progress_report(
        task=task, by=staff, percent=100, narrative="Xong", result="Kết quả", files=[pdf_upload()]
    )
    results, errors = run_together(
        lambda: services.progress_approve(report=report, by=dept_head),
        lambda: services.progress_approve(report=report, by=dept_head),
    )
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], services.AlreadyReviewed)
    assert TaskEvent.objects.filter(task=task, kind=TaskEvent.Kind.APPROVED).count() == 1
