"""The two short lists every task page of a plan reads: the agency's departments and the reform areas of
the plan's set. They change a few times a year, through the admin, so they are kept in the cache and
dropped whenever a department or an area is saved or deleted (the receivers below, connected in
PlansConfig.ready): one cache round trip instead of two queries on every page."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from accounts.models import Department
from cchc import fragments
from plans.models import PlanSection, ReformArea

TIMEOUT = 24 * 60 * 60


def _departments_key(agency_id: int) -> str:
    return f"reference:departments:{agency_id}"


def _areas_key(area_set_id: int) -> str:
    return f"reference:areas:{area_set_id}"


def areas_of(area_set_id: int) -> list[ReformArea]:
    """The reform areas of a set, in their order."""
    key = _areas_key(area_set_id)
    areas = cache.get(key)
    if areas is None:
        areas = list(ReformArea.objects.filter(area_set_id=area_set_id).order_by("position"))
        cache.set(key, areas, TIMEOUT)
    return areas


def plan_lists(plan) -> tuple[list[Department], list[ReformArea]]:
    """The departments of the plan's agency (in their order) and the areas of its set (in theirs)."""
    keys = _departments_key(plan.agency_id), _areas_key(plan.area_set_id)
    found = cache.get_many(keys)
    departments = found.get(keys[0])
    if departments is None:
        departments = list(
            Department.objects.open().filter(agency_id=plan.agency_id).order_by("position", "name")
        )
        cache.set(keys[0], departments, TIMEOUT)
    areas = found.get(keys[1])
    if areas is None:
        areas = list(ReformArea.objects.filter(area_set_id=plan.area_set_id).order_by("position"))
        cache.set(keys[1], areas, TIMEOUT)
    return departments, areas


def plan_sections(plan) -> list[PlanSection]:
    """The sections of the plan's annex in their written order, each parent before its children. Kept
    in the cache under the plan's agency's data version, which every write of a section counts up
    (plans.services), so that a page reads them once whatever it shows of them; the plan comes with
    its agency (plans.access), so the key costs no query."""
    key = f"reference:sections:{plan.pk}:{plan.agency.data_version}"
    return fragments.cached(key, lambda: list(plan.sections.order_by("sort_key")), TIMEOUT)


def _department_changed(sender, instance, **kwargs):
    cache.delete(_departments_key(instance.agency_id))


def _area_changed(sender, instance, **kwargs):
    cache.delete(_areas_key(instance.area_set_id))


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_department_changed, sender=Department, dispatch_uid="reference-departments")
        signal.connect(_area_changed, sender=ReformArea, dispatch_uid="reference-areas")
