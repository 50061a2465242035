"""The cache of the task lists: a page of the plan's task table, and the lists of "Việc của tôi",
kept as rendered.

The page is kept under a key that names what it shows (the plan, the filters, the page, the date of
the statuses, whether rows have checkboxes, today's date) together with the version of the agency's
data, Agency.data_version, which the database counts up with every recorded change of the agency's
tasks (a report, review, deadline, lead department, content change, cancellation, a new task) and of
its plans' sections (their group rows and the section filter: plans.reference.plan_sections), and
the names of the departments and reform areas the rows show (kept in the cache by plans.reference,
which drops them whenever one is saved). The plan comes with its agency (plans.access), so the key
costs no query; any change gives a new key, and the old entry is never read again (it expires on its
own). "Việc của tôi" is kept the same way, for each user (my_tasks_key). The dashboards keep their
rendered parts under Agency.data_version too (cchc.fragments).
tests/test_figures_cache.py makes each change and compares the page with a fresh computation.
"""

import hashlib

from django.utils import timezone

from cchc import fragments

TIMEOUT = 24 * 60 * 60  # the key holds today's date, so nothing is served past the day anyway


def reference_stamp(departments, areas) -> str:
    """What a plan's pages show of its departments and reform areas (plans.reference.plan_lists)."""
    return repr([(item.pk, item.name, item.position) for item in (*departments, *areas)])


def table_key(plan, lists, *parts) -> str:
    """The key of a page of the plan's task table showing `parts` (its filters, page, date…);
    `lists`: the plan's departments and reform areas as the page read them (plans.reference)."""
    version = (plan.pk, plan.agency.data_version, reference_stamp(*lists), timezone.localdate())
    raw = "|".join(str(part) for part in (*version, *parts))
    return f"task-table:{hashlib.sha256(raw.encode()).hexdigest()}"


def my_tasks_key(user, *parts) -> str:
    """The key of the lists of "Việc của tôi" of `user` showing `parts` (the view, the page): who they
    are (the scope follows their role and department) and the version of their agency's data."""
    version = (user.pk, user.role, user.department_id, user.agency.data_version, timezone.localdate())
    raw = "|".join(str(part) for part in (*version, *parts))
    return f"my-tasks:{hashlib.sha256(raw.encode()).hexdigest()}"


def cached(cache_key: str, build):
    """The value kept under `cache_key`, or `build()`'s (cchc.fragments.cached: built afresh when the
    cache cannot be reached)."""
    return fragments.cached(cache_key, build, TIMEOUT)
