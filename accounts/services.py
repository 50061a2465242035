"""Writes of agencies and departments (the admin's reference data), and the one function that counts a
change of an agency's data for the caches.

Every cached page of an agency (the plan's task table, the dashboards, the province view) is kept under
its Agency.data_version. Whatever changes what such a page shows calls count_data_change() inside its
transaction: the services of tasks and plans, and the admin through the services below when it saves a
department or an agency.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from accounts.models import Agency, Department

# The agencies whose data changed inside the running bulk_write() block, counted once when it ends.
_bulk_agencies: ContextVar[set[int] | None] = ContextVar("bulk_agencies", default=None)


def count_data_change(*agency_ids: int) -> None:
    """Count one more change of the agencies' data (Agency.bump_data_version), or, inside bulk_write(),
    note them to be counted once when the block ends."""
    pending = _bulk_agencies.get()
    if pending is None:
        Agency.bump_data_version(*agency_ids)
    else:
        pending.update(agency_ids)


@contextmanager
def bulk_write() -> Iterator[None]:
    """One transaction for a write of many rows (a bulk action on tasks, an import, a rollover): every
    change is recorded as usual, and each agency's data_version is counted once, at the end, instead
    of once per row. Usable as a decorator; a block inside another leaves the counting to the outer one."""
    if _bulk_agencies.get() is not None:
        with transaction.atomic():
            yield
        return
    agency_ids: set[int] = set()
    token = _bulk_agencies.set(agency_ids)
    try:
        with transaction.atomic():
            yield
            Agency.bump_data_version(*agency_ids)
    finally:
        _bulk_agencies.reset(token)


@transaction.atomic
def agency_save(*, agency: Agency) -> Agency:
    """Save an agency as the admin edited it: its name and code head its pages."""
    agency.full_clean()
    agency.save()
    count_data_change(agency.pk)
    return agency


@transaction.atomic
def department_save(*, department: Department) -> Department:
    """Save a department as the admin edited it (or a new one): the task tables and dashboards of its
    agency name it, so they are computed afresh; a department moved to another agency leaves both."""
    before = Department.objects.filter(pk=department.pk).values_list("agency_id", flat=True).first()
    department.full_clean()
    department.save()
    count_data_change(*{department.agency_id, before} - {None})
    return department


@transaction.atomic
def department_delete(*, department: Department) -> None:
    """Delete a department no task or user refers to (the database protects the others)."""
    agency_id = department.agency_id
    department.delete()
    count_data_change(agency_id)
