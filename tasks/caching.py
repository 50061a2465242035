"""The cache of the dashboards' figures, and the fingerprint that makes every change invalidate it.

A dashboard's body (headline figures, tables, trend and lists) is kept under a key that names what it
shows (the plan or the province's year, the date, the part and the order) together with a fingerprint
of the data it is computed from, read in one small query: how many tasks there are, how many changes
they have recorded (Task.revision: every service that records a report, review, deadline, lead
department, content change or cancellation counts one more, in the database, whatever the clock says),
the latest save of any of them (an edit in the admin) and of their plans, and the names of the
departments and reform areas the tables show (kept in the cache by plans.reference, which drops them
whenever one is saved). So any change that could alter a figure gives a new key, and the old entry is
never read again (it expires on its own). The plan's task table keeps its page of rows the same way.
tests/test_figures_cache.py makes each such change and compares the page with a fresh computation.
"""

import datetime
import hashlib

from django.core.cache import cache
from django.db.models import Count, Max, Sum

from plans import reference
from tasks.models import Task

TIMEOUT = 24 * 60 * 60  # the key holds today's date, so nothing is served past the day anyway


def _stamp(values: dict) -> str:
    return "|".join(f"{name}={values[name]}" for name in sorted(values))


def plan_fingerprint(plan) -> str:
    """What the plan's dashboard reads: the tasks of the agency's plans of the plan's year and the
    year before (the trend compares the two), their plans, and the agency's departments and the plan's
    reform areas as they stand (plans.reference: their names head the tables)."""
    tasks = Task.objects.filter(plan__agency_id=plan.agency_id, plan__year__in=(plan.year - 1, plan.year))
    task_stamp = tasks.aggregate(
        tasks=Count("pk"), revisions=Sum("revision"), changed=Max("updated_at"), plans=Max("plan__updated_at")
    )
    return _stamp({**task_stamp, "plan": plan.updated_at, "names": reference_stamp(plan)})


def reference_stamp(plan) -> str:
    """The departments and reform areas a plan's pages name, from the cache (plans.reference)."""
    departments, areas = reference.plan_lists(plan)
    return repr([(item.pk, item.name, item.position) for item in (*departments, *areas)])


def table_fingerprint(plan) -> str:
    """What the plan's task table reads of its tasks: how many there are, how many changes they have
    recorded (Task.revision, counted by the database: independent of the clock) and the latest save."""
    return _stamp(
        Task.objects.filter(plan_id=plan.pk).aggregate(
            tasks=Count("pk"), revisions=Sum("revision"), changed=Max("updated_at")
        )
    )


def province_fingerprint(agency_ids: list[int], year: int) -> str:
    """What the province view's figures are counted from: the tasks of the agencies' plans of the year
    and their plans (the agencies' names come from the page's own query, outside the cache)."""
    tasks = Task.objects.filter(plan__agency_id__in=agency_ids, plan__year=year)
    return _stamp(
        tasks.aggregate(tasks=Count("pk"), changed=Max("updated_at"), plans=Max("plan__updated_at"))
    )


def key(kind: str, *parts, today: datetime.date, fingerprint: str) -> str:
    raw = "|".join(str(part) for part in (kind, *parts, today, fingerprint))
    return f"figures:{kind}:{hashlib.sha256(raw.encode()).hexdigest()}"


def cached(cache_key: str, build):
    """The value kept under `cache_key`, or `build()`'s, kept for next time."""
    value = cache.get(cache_key)
    if value is None:
        value = build()
        cache.set(cache_key, value, TIMEOUT)
    return value
