"""A plan's tasks in the groups of its annex, as the export and the printed plan list them, and the
bodies of a task as the annex names them.

A plan written with sections (I, II, III.1 …) lists its sections as written, in the written order, each
with its own tasks and then the sections inside it (III, its tasks, III.1, III.1.1, III.2, IV …). The
tasks outside every section (those of older plans) follow, grouped by reform area in the order of the
plan's area set, as the annexes were before sections.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from plans.models import PlanSection, ReformArea
from tasks.models import Task

NO_AREA = "Chưa xếp lĩnh vực"  # the group of tasks in no section and no reform area (as the task table)


@dataclass
class Group:
    """A group row of the annex and the tasks right under it."""

    section: PlanSection | None = None  # the section as written; None for a reform-area group
    area: ReformArea | None = None  # a reform-area group's area (None: the tasks in neither)
    tasks: list[Task] = field(default_factory=list)

    @property
    def depth(self) -> int:
        """0 for a top group (I, II…), 1 for III.1, 2 for III.1.1…"""
        return self.section.depth if self.section is not None else 0

    @property
    def title(self) -> str:
        if self.section is not None:
            return self.section.title
        return self.area.name if self.area is not None else NO_AREA


def annex_groups(
    tasks: Iterable[Task], sections: Iterable[PlanSection], *, keep_empty: bool = False
) -> list[Group]:
    """`tasks` (in their sort_key order, their area selected) in the groups of the plan's annex;
    `sections` are the plan's, in any order. A section with no task, neither its own nor in the sections
    inside it, is left out unless `keep_empty`; a section with tasks comes with the sections it is in."""
    sections = sorted(sections, key=lambda section: section.sort_key)
    by_pk = {section.pk: section for section in sections}
    in_section: dict[int, list[Task]] = defaultdict(list)
    by_area: dict[int | None, list[Task]] = {}
    for task in tasks:
        if task.section_id in by_pk:
            in_section[task.section_id].append(task)
        else:
            by_area.setdefault(task.area_id, []).append(task)
    kept = set(by_pk) if keep_empty else set()
    for section_id in in_section:
        section = by_pk.get(section_id)
        while section is not None and section.pk not in kept:
            kept.add(section.pk)
            section = by_pk.get(section.parent_id)
    groups = [
        Group(section=section, tasks=in_section[section.pk]) for section in sections if section.pk in kept
    ]
    in_area_order = sorted(
        by_area.values(),
        key=lambda tasks: (tasks[0].area is None, tasks[0].area.position if tasks[0].area else 0),
    )
    groups += [Group(area=tasks[0].area, tasks=tasks) for tasks in in_area_order]
    return groups


def coordinating_lines(task: Task) -> str:
    """The coordinating departments (as prefetched), then the outside bodies as written, one a line."""
    names = [department.name for department in task.coordinating_departments.all()]
    return "\n".join(names + task.outside_coordinator_names)
