"""The preview of a batch: every row resolved against the plan as it is now."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from tasks.importing.matching import ALL, SKIP
from tasks.models import ImportBatch, Task


@dataclass
class PreviewRow:
    kind: str
    line: int | None
    section: int
    number: str = ""
    title: str = ""
    label: str = ""
    content: str = ""
    lead_name: str = ""
    lead: object | None = None
    coordinating: list = field(default_factory=list)
    coordinating_names: list = field(default_factory=list)
    area: object | None = None
    area_matched: bool = False
    deadline: str = ""
    due: date | None = None
    output: str = ""
    notes: str = ""
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    status: str = ""
    changes: list = field(default_factory=list)
    task: Task | None = None
    implicit: bool = False
    file_errors: bool = False  # errors in the file itself, which no choice on the preview page can fix

    STATUS_LABELS = {"new": "Mới", "update": "Cập nhật", "same": "Không đổi", "error": "Lỗi"}

    @property
    def status_label(self) -> str:
        return self.STATUS_LABELS.get(self.status, "")


@dataclass
class Preview:
    batch: ImportBatch
    rows: list[PreviewRow]
    names: list[dict]
    departments: list
    areas: list
    columns: list[str]
    missing_from_file: int = 0

    @property
    def task_rows(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.kind == "task"]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("new", "update", "same", "error"), 0)
        for row in self.task_rows:
            counts[row.status] += 1
        return counts

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


def _existing_tasks(plan) -> dict[str, Task]:
    tasks = {
        task.number: task
        for task in plan.tasks.only(
            "pk",
            "plan_id",
            "number",
            "area_id",
            "content",
            "lead_department_id",
            "deadline_text",
            "due_date",
            "expected_output",
            "notes",
        )
    }
    coordinating: dict[int, set[int]] = defaultdict(set)
    links = Task.coordinating_departments.through.objects.filter(task__plan=plan)
    for task_id, department_id in links.values_list("task_id", "department_id"):
        coordinating[task_id].add(department_id)
    for task in tasks.values():
        task.coordinating_ids = coordinating[task.pk]
    return tasks


def build_preview(batch: ImportBatch) -> Preview:
    """Every row of the batch with what it resolves to now: departments, area, status against the
    plan's tasks (new, update, unchanged) and its errors. Queries do not grow with the rows."""
    plan = batch.plan
    departments = list(plan.agency.departments.all())
    by_id = {department.pk: department for department in departments}
    areas = list(plan.area_set.areas.all())
    areas_by_id = {area.pk: area for area in areas}
    existing = _existing_tasks(plan)
    columns = batch.result.get("columns", [])
    names = []
    resolved: dict[str, object] = {}
    for index, entry in enumerate(batch.department_names):
        target = entry["department"] if entry["department"] is not None else entry["chosen"]
        value = by_id.get(target) if isinstance(target, int) else target if target in (SKIP, ALL) else None
        resolved[entry["name"]] = value
        names.append(
            {
                **entry,
                "index": index,
                "target": value,
                "suggested": by_id.get(entry["suggestion"]) if isinstance(entry["suggestion"], int) else None,
            }
        )
    rows, section_areas, section_titles = [], {}, {}
    for data in batch.rows:
        if data["kind"] != "group":
            continue
        area = areas_by_id.get(data["area"]) or areas_by_id.get(data["chosen_area"])
        section_areas[data["section"]] = area
        section_titles[data["section"]] = data["title"] or data["label"] or "các dòng chưa thuộc mục nào"
    for data in batch.rows:
        if data["kind"] == "group":
            row = PreviewRow(
                kind="group",
                line=data["line"],
                section=data["section"],
                label=data["label"],
                title=data["title"],
                implicit=data["implicit"],
                area=section_areas[data["section"]],
                area_matched=data["area"] is not None,
            )
            if row.area is None:
                row.errors.append("Chọn lĩnh vực CCHC cho mục này.")
            rows.append(row)
            continue
        rows.append(_task_row(data, resolved, section_areas, section_titles, existing, columns, departments))
    file_numbers = {row.number for row in rows if row.kind == "task"}
    return Preview(
        batch=batch,
        rows=rows,
        names=names,
        departments=departments,
        areas=areas,
        columns=columns,
        missing_from_file=len(set(existing) - file_numbers),
    )


def _task_row(data, resolved, section_areas, section_titles, existing, columns, departments) -> PreviewRow:
    row = PreviewRow(
        kind="task",
        line=data["line"],
        section=data["section"],
        number=data["number"],
        content=data["content"],
        lead_name=data["lead"][0] if data["lead"] else "",
        coordinating_names=data["coordinating"],
        area=section_areas.get(data["section"]),
        deadline=data["deadline"],
        due=date.fromisoformat(data["due"]) if data["due"] else None,
        output=data["output"],
        notes=data["notes"],
        errors=list(data["errors"]),
        warnings=list(data["warnings"]),
        file_errors=bool(data["errors"]),
    )
    if row.area is None:
        row.errors.append(f"Chưa chọn lĩnh vực CCHC cho mục “{section_titles.get(row.section, '')}”.")
    if row.lead_name:
        lead = resolved.get(row.lead_name)
        if lead is None or lead in (SKIP, ALL):
            row.errors.append(
                f"Chưa chọn đơn vị của cơ quan ứng với “{row.lead_name}” (bảng đối chiếu phía trên)."
            )
        else:
            row.lead = lead
    coordinating = []
    for name in row.coordinating_names:
        target = resolved.get(name)
        if target is None:
            row.errors.append(f"Chưa chọn đơn vị ứng với “{name}” (bảng đối chiếu phía trên).")
        elif target == ALL:
            coordinating.extend(departments)
        elif target != SKIP:
            coordinating.append(target)
    lead_pk = row.lead.pk if row.lead else None
    row.coordinating = list({d.pk: d for d in coordinating if d.pk != lead_pk}.values())
    if row.errors:
        row.status = "error"
        return row
    task = existing.get(row.number)
    row.task = task
    if task is None:
        row.status = "new"
        return row
    row.changes = _changes(row, task, columns)
    row.status = "update" if row.changes else "same"
    return row


def _changes(row: PreviewRow, task: Task, columns: list[str]) -> list[str]:
    changes = []
    if task.area_id != row.area.pk:
        changes.append("lĩnh vực")
    if task.content != row.content.strip():
        changes.append("nội dung")
    if task.lead_department_id != row.lead.pk:
        changes.append("đơn vị chủ trì")
    if "coordinating" in columns and task.coordinating_ids != {d.pk for d in row.coordinating}:
        changes.append("đơn vị phối hợp")
    if (task.deadline_text, task.due_date) != (row.deadline, row.due):
        changes.append("thời hạn")
    if "output" in columns and task.expected_output != row.output.strip():
        changes.append("sản phẩm")
    if "notes" in columns and task.notes != row.notes.strip():
        changes.append("ghi chú")
    return changes
