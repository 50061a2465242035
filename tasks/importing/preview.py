"""The preview of a batch: every row resolved against the plan as it is now — its sections, the
agency's departments, the names remembered from earlier imports, the tasks already there."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from cchc.text import name_key
from plans.models import PlanSection
from tasks.importing.reading import label_key
from tasks.models import BodyName, ImportBatch, Task


@dataclass
class PreviewRow:
    kind: str
    line: int | None
    section: int
    number: str = ""
    title: str = ""
    label: str = ""
    depth: int = 0
    content: str = ""
    lead_name: str = ""  # the lead as written in the row (first name of the cell)
    lead: object | None = None  # the department that leads, or follows up an outside lead
    outside_lead: str = ""  # the outside bodies that lead, as written
    coordinating: list = field(default_factory=list)
    coordinating_names: list = field(default_factory=list)
    outside_coordinators: list = field(default_factory=list)
    area: object | None = None
    area_matched: bool = False
    deadline: str = ""
    due: date | None = None
    deadline_kind: str = ""
    start: date | None = None
    output: str = ""
    notes: str = ""
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    status: str = ""
    changes: list = field(default_factory=list)
    task: Task | None = None
    existing_section: PlanSection | None = None
    implicit: bool = False
    file_errors: bool = False  # errors in the file itself, which no choice on the preview page can fix

    STATUS_LABELS = {"new": "Mới", "update": "Cập nhật", "same": "Không đổi", "error": "Lỗi"}

    @property
    def status_label(self) -> str:
        return self.STATUS_LABELS.get(self.status, "")

    @property
    def unset_deadline(self) -> bool:
        return self.deadline_kind == Task.Kind.UNSET


@dataclass
class Preview:
    batch: ImportBatch
    rows: list[PreviewRow]
    names: list[dict]
    departments: list
    areas: list
    columns: list[str]
    default_follow_up: object | None = None
    missing_from_file: int = 0

    @property
    def task_rows(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.kind == "task"]

    @property
    def group_rows(self) -> list[PreviewRow]:
        """The file's groups, and the rows before any group (implicit: no section, an area may be chosen)."""
        return [row for row in self.rows if row.kind == "group"]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("new", "update", "same", "error"), 0)
        for row in self.task_rows:
            counts[row.status] += 1
        return counts

    @property
    def new_sections(self) -> int:
        return sum(1 for row in self.group_rows if row.status == "new" and not row.implicit)

    @property
    def unset_count(self) -> int:
        return sum(1 for row in self.task_rows if row.unset_deadline)

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)

    @property
    def file_error_count(self) -> int:
        return sum(1 for row in self.rows if row.file_errors)

    @property
    def unknown_names(self) -> list[dict]:
        return [entry for entry in self.names if entry["department"] is None]

    @property
    def matched_names(self) -> list[dict]:
        return [entry for entry in self.names if entry["department"] is not None]


def section_path(sections, index) -> tuple[str, ...] | None:
    """How a section is recognised again: the keys of its labels (or titles, for a group without a
    label) from the top down. `sections` maps an index to (label, title, parent index)."""
    if index is None:
        return None
    path = []
    while index is not None:
        label, title, parent = sections[index]
        path.append(label_key(label) if label else f"~{name_key(title)}")
        index = parent
    return tuple(reversed(path))


def _existing_sections(plan) -> dict[int, tuple]:
    """The path of each of the plan's sections, by its id."""
    sections = {section.pk: section for section in plan.sections.all()}
    shape = {pk: (s.label, s.title, s.parent_id) for pk, s in sections.items()}
    return {pk: (section_path(shape, pk), section) for pk, section in sections.items()}


def _existing_tasks(plan, paths: dict[int, tuple]) -> dict[tuple, Task]:
    """The plan's tasks by (section path, number); tasks outside any section by (None, number)."""
    tasks = {}
    coordinating: dict[int, set[int]] = defaultdict(set)
    links = Task.coordinating_departments.through.objects.filter(task__plan=plan)
    for task_id, department_id in links.values_list("task_id", "department_id"):
        coordinating[task_id].add(department_id)
    for task in plan.tasks.only(
        "pk",
        "plan_id",
        "section_id",
        "number",
        "area_id",
        "content",
        "lead_department_id",
        "lead_name",
        "outside_coordinators",
        "deadline_text",
        "due_date",
        "expected_output",
        "notes",
    ):
        task.coordinating_ids = coordinating[task.pk]
        tasks[(paths.get(task.section_id), task.number)] = task
    return tasks


def build_preview(batch: ImportBatch) -> Preview:
    """Every row of the batch with what it resolves to now: sections, departments, outside bodies,
    area, status against the plan's tasks (new, update, unchanged) and its errors. Queries do not grow
    with the rows."""
    plan = batch.plan
    departments = list(plan.agency.departments.open())
    by_id = {department.pk: department for department in departments}
    areas = list(plan.area_set.areas.all())
    areas_by_id = {area.pk: area for area in areas}
    known = _existing_sections(plan)
    existing_sections = dict(known.values())
    existing = _existing_tasks(plan, {pk: path for pk, (path, _) in known.items()})
    columns = batch.result.get("columns", [])
    default_follow_up = by_id.get(batch.result.get("default_follow_up"))
    names, resolved = _names(batch, by_id, default_follow_up)

    groups = [data for data in batch.rows if data["kind"] == "group"]
    shape = {data["section"]: (data["label"], data["title"], data.get("parent")) for data in groups}
    paths = {
        data["section"]: None if data["implicit"] else section_path(shape, data["section"]) for data in groups
    }
    # A plan whose tasks are in no section (made before sections, or by hand) exports its reform areas
    # as the groups: such a group, read back, stands for those tasks, not for a new section.
    unsectioned = {task.area_id for (path, _), task in existing.items() if path is None}
    by_area_name = {name_key(area.name): area for area in areas if area.pk in unsectioned}
    legacy = set()
    for data in groups:
        path = paths[data["section"]]
        top = data.get("parent") is None and not data["implicit"]
        if top and path not in existing_sections and name_key(data["title"]) in by_area_name:
            legacy.add(data["section"])
            paths[data["section"]] = None
    own_area, depth = {}, {}
    for data in groups:
        chosen = data.get("area_chosen")
        own_area[data["section"]] = areas_by_id.get(data["chosen_area"] if chosen else data["area"])
        parent = data.get("parent")
        depth[data["section"]] = depth[parent] + 1 if parent is not None else 0

    def effective_area(index):
        while index is not None:
            if own_area.get(index) is not None:
                return own_area[index]
            index = shape[index][2] if index in shape else None
        return None

    rows = []
    for data in batch.rows:
        if data["kind"] == "group":
            row = PreviewRow(
                kind="group",
                line=data["line"],
                section=data["section"],
                label=data["label"],
                title=data["title"],
                depth=depth[data["section"]],
                implicit=data["implicit"],
                area=own_area[data["section"]],
                area_matched=data["area"] is not None and not data.get("area_chosen"),
            )
            row.inherited_area = effective_area(data.get("parent"))
            section = existing_sections.get(paths[data["section"]])
            row.existing_section = section
            row.implicit = row.implicit or data["section"] in legacy  # no section to create
            if row.implicit:
                row.status = "same"
            elif section is None:
                row.status = "new"
            else:
                changed = section.title != data["title"] or section.area_id != (
                    row.area.pk if row.area else None
                )
                row.status = "update" if changed else "same"
            rows.append(row)
            continue
        row = _task_row(data, resolved, departments, by_id)
        row.area = effective_area(data["section"])
        path = paths.get(data["section"])
        task = existing.get((path, row.number))
        if task is None and path:  # a task of an older import, before sections: "I.1" or "1" alone
            task = existing.get((None, f"{shape[data['section']][0]}.{row.number}")) or existing.get(
                (None, row.number)
            )
        _compare(row, task, columns)
        if row.task is not None and path is not None:
            target = existing_sections.get(path)
            if target is None or row.task.section_id != target.pk:
                row.changes.append("mục")
                row.status = "update"
        rows.append(row)
    file_numbers = {
        (paths.get(data["section"]), data["number"]) for data in batch.rows if data["kind"] == "task"
    }
    matched = {row.task.pk for row in rows if row.task is not None}
    return Preview(
        batch=batch,
        rows=rows,
        names=names,
        departments=departments,
        areas=areas,
        columns=columns,
        default_follow_up=default_follow_up,
        missing_from_file=sum(
            1 for key, task in existing.items() if key not in file_numbers and task.pk not in matched
        ),
    )


def _names(batch, by_id, default_follow_up) -> tuple[list[dict], dict[str, dict]]:
    """Each name of the file with what it stands for now; `resolved` maps its key to the entry."""
    names, resolved = [], {}
    for index, entry in enumerate(batch.department_names):
        meaning = entry.get("meaning") or BodyName.Meaning.OUTSIDE
        department = by_id.get(entry["department"]) if entry["department"] is not None else None
        if department is None and meaning == BodyName.Meaning.DEPARTMENT:
            department = by_id.get(entry.get("chosen"))
            if department is None:
                meaning = BodyName.Meaning.OUTSIDE  # its department was removed since
        follow_up = by_id.get(entry.get("follow_up")) if meaning == BodyName.Meaning.OUTSIDE else None
        item = {
            **entry,
            "index": index,
            "meaning": meaning,
            "target": department,
            "follow_up_department": follow_up,
            "effective_follow_up": follow_up or default_follow_up,
            "suggested": by_id.get(entry["suggestion"]) if isinstance(entry.get("suggestion"), int) else None,
        }
        item["needs_follow_up"] = (
            meaning == BodyName.Meaning.OUTSIDE and entry["as_lead"] and item["effective_follow_up"] is None
        )
        names.append(item)
        resolved[entry.get("key") or name_key(entry["name"])] = item
    return names, resolved


def _task_row(data, resolved, departments, by_id) -> PreviewRow:
    row = PreviewRow(
        kind="task",
        line=data["line"],
        section=data["section"],
        number=data["number"],
        content=data["content"],
        lead_name=data["lead"][0] if data["lead"] else "",
        coordinating_names=data["coordinating"],
        deadline=data["deadline"],
        due=date.fromisoformat(data["due"]) if data.get("due") else None,
        deadline_kind=data.get("deadline_kind", Task.Kind.ONCE),
        start=date.fromisoformat(data["start"]) if data.get("start") else None,
        output=data["output"],
        notes=data["notes"],
        errors=list(data["errors"]),
        warnings=list(data["warnings"]),
        file_errors=bool(data["errors"]),
    )
    follow_up = by_id.get(data.get("follow_up"))
    lead_departments, outside_leads, follow_ups = [], [], []
    for name in data["lead"]:
        entry = resolved.get(name_key(name))
        if entry is not None and entry["meaning"] == BodyName.Meaning.DEPARTMENT:
            lead_departments.append(entry["target"])
        else:
            outside_leads.append(name)
            if entry is not None and entry["effective_follow_up"] is not None:
                follow_ups.append(entry["effective_follow_up"])
    extra_departments = []
    if data["lead"] and outside_leads and name_key(data["lead"][0]) == name_key(outside_leads[0]):
        # An outside body leads: kept by its name as written, followed up by one of the departments.
        row.outside_lead = "; ".join(outside_leads)
        row.lead = (
            follow_up
            or (follow_ups[0] if follow_ups else None)
            or (lead_departments[0] if lead_departments else None)
        )
        extra_departments = [d for d in lead_departments if row.lead is None or d.pk != row.lead.pk]
        if row.lead is None:
            row.errors.append(f"Chọn đơn vị theo dõi, đôn đốc nhiệm vụ do “{outside_leads[0]}” chủ trì.")
    elif lead_departments:
        row.lead = lead_departments[0]
        extra_departments = lead_departments[1:]
        if len(data["lead"]) > 1:
            row.warnings.append(
                f"Cột chủ trì ghi nhiều cơ quan, đơn vị: “{data['lead'][0]}” chủ trì, các tên còn lại được ghi là phối hợp."
            )
            row.outside_coordinators.extend(outside_leads)
    coordinating = list(extra_departments)
    for name in data["coordinating"]:
        entry = resolved.get(name_key(name))
        meaning = entry["meaning"] if entry is not None else BodyName.Meaning.OUTSIDE
        if meaning == BodyName.Meaning.DEPARTMENT:
            coordinating.append(entry["target"])
        elif meaning == BodyName.Meaning.ALL:
            coordinating.extend(departments)
        else:
            row.outside_coordinators.append(name)
    lead_pk = row.lead.pk if row.lead else None
    row.coordinating = list({d.pk: d for d in coordinating if d.pk != lead_pk}.values())
    row.outside_coordinators = list(dict.fromkeys(row.outside_coordinators))
    return row


def _compare(row: PreviewRow, task: Task | None, columns: list[str]) -> None:
    if row.errors:
        row.status = "error"
        return
    row.task = task
    if task is None:
        row.status = "new"
        return
    row.changes = _changes(row, task, columns)
    row.status = "update" if row.changes else "same"


def _keys(names) -> list[str]:
    return sorted(name_key(name) for name in names)


def _changes(row: PreviewRow, task: Task, columns: list[str]) -> list[str]:
    changes = []
    if task.area_id != (row.area.pk if row.area else None):
        changes.append("lĩnh vực")
    if task.content != row.content.strip():
        changes.append("nội dung")
    if task.lead_department_id != row.lead.pk:
        changes.append("đơn vị chủ trì" if not row.outside_lead else "đơn vị theo dõi")
    if name_key(task.lead_name) != name_key(row.outside_lead):
        changes.append("cơ quan chủ trì")
    if "coordinating" in columns:
        if task.coordinating_ids != {d.pk for d in row.coordinating}:
            changes.append("đơn vị phối hợp")
        if _keys(task.outside_coordinator_names) != _keys(row.outside_coordinators):
            changes.append("cơ quan phối hợp")
    if (task.deadline_text, task.due_date) != (row.deadline, row.due):
        changes.append("thời hạn")
    if "output" in columns and task.expected_output != row.output.strip():
        changes.append("sản phẩm")
    if "notes" in columns and task.notes != row.notes.strip():
        changes.append("ghi chú")
    return changes
