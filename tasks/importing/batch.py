"""The batch between upload and confirmation: prepare it from the file, keep the clerk's choices,
confirm it in one transaction (or discard it)."""

from django.core.exceptions import ValidationError

from accounts.services import bulk_write
from plans.models import Plan
from tasks import services
from tasks.deadlines import DeadlineError, parse_deadline
from tasks.importing.matching import ALL, SKIP, DepartmentMatcher, match_area, plain
from tasks.importing.preview import PreviewRow, build_preview
from tasks.importing.reading import COLUMN_LABELS, AnnexError, read_annex
from tasks.models import ImportBatch, Task, TaskEvent

NUMBER_MAX_LENGTH = Task._meta.get_field("number").max_length
DEADLINE_MAX_LENGTH = Task._meta.get_field("deadline_text").max_length


class AlreadyImported(Exception):
    """The batch was confirmed (or discarded) by an earlier request."""


def _check_open(plan, error_class) -> None:
    if plan.status == Plan.Status.CLOSED:
        raise error_class("Kế hoạch đã kết thúc, không nhập thêm nhiệm vụ.")


def import_prepare(*, plan, by, upload) -> ImportBatch:
    """Read the upload and keep what it says in a batch waiting for the clerk's confirmation."""
    _check_open(plan, AnnexError)
    annex = read_annex(upload)
    matcher = DepartmentMatcher(plan.agency.departments.all())
    areas = list(plan.area_set.areas.all())
    names: dict[str, dict] = {}

    def note_name(name: str, *, as_lead: bool) -> None:
        entry = names.get(name)
        if entry is None:
            department, how = matcher.match(name)
            suggestion = None
            if department is None:
                if plain(name).startswith(("cac phong", "cac don vi")):
                    suggestion = ALL
                else:
                    found = matcher.suggest(name)
                    suggestion = found.pk if found else None
            entry = names[name] = {
                "name": name,
                "department": department.pk if department else None,
                "how": how,
                "suggestion": suggestion,
                "chosen": suggestion,
                "as_lead": False,
            }
        entry["as_lead"] = entry["as_lead"] or as_lead

    rows = []
    for position, section in enumerate(annex.sections):
        area = match_area(section["title"], areas) if section["title"] else None
        rows.append(
            {
                "kind": "group",
                "section": position,
                "line": section["line"],
                "label": section["label"],
                "title": section["title"],
                "implicit": section["implicit"],
                "area": area.pk if area else None,
                "chosen_area": None,
            }
        )
    first_seen: dict[str, int] = {}
    for task in annex.tasks:
        errors, warnings = [], []
        lead_names = matcher.split(task["lead"])
        coordinating_names = matcher.split(task["coordinating"])
        if len(lead_names) > 1:
            warnings.append(
                f"Cột chủ trì ghi nhiều đơn vị: “{lead_names[0]}” chủ trì, các đơn vị còn lại được ghi là phối hợp."
            )
            coordinating_names = list(dict.fromkeys(lead_names[1:] + coordinating_names))
            lead_names = lead_names[:1]
        for name in lead_names:
            note_name(name, as_lead=True)
        for name in coordinating_names:
            note_name(name, as_lead=False)
        coordinating_names = [name for name in coordinating_names if name not in lead_names]
        if not task["content"]:
            errors.append("Thiếu nội dung nhiệm vụ.")
        if not lead_names:
            errors.append("Thiếu đơn vị chủ trì.")
        due = None
        deadline = " ".join(task["deadline"].split())
        if not deadline:
            errors.append("Thiếu thời hạn.")
        elif len(deadline) > DEADLINE_MAX_LENGTH:
            errors.append(f"Thời hạn dài quá {DEADLINE_MAX_LENGTH} ký tự; ghi gọn, ví dụ Quý II/{plan.year}.")
        else:
            try:
                due = parse_deadline(deadline, year=plan.year).due_date.isoformat()
            except DeadlineError as error:
                errors.append(str(error))
        number = task["number"]
        if len(number) > NUMBER_MAX_LENGTH:
            errors.append(f"Số thứ tự “{number}” dài quá {NUMBER_MAX_LENGTH} ký tự.")
        if number in first_seen:
            errors.append(f"Số thứ tự {number} trùng với dòng {first_seen[number]} của tệp.")
        else:
            first_seen[number] = task["line"]
        if task["auto_number"]:
            warnings.append(f"Dòng không có số thứ tự: đánh số {number} tiếp theo dòng trước trong cùng mục.")
        rows.append(
            {
                "kind": "task",
                "section": task["section"],
                "line": task["line"],
                "number": number,
                "written_number": task["written_number"],
                "content": task["content"],
                "lead": lead_names,
                "coordinating": coordinating_names,
                "deadline": deadline,
                "due": due,
                "output": task["output"],
                "notes": task["notes"],
                "errors": errors,
                "warnings": warnings,
            }
        )
    for entry in names.values():
        if entry["as_lead"] and entry["chosen"] in (SKIP, ALL):
            entry["chosen"] = None
    rows.sort(key=lambda row: (row["section"], row["kind"] != "group"))  # stable: file order within a section
    return ImportBatch.objects.create(
        plan=plan,
        uploaded_by=by,
        original_name=(upload.name or "phu-luc")[:255],
        rows=rows,
        department_names=list(names.values()),
        result={
            "columns": [name for name in COLUMN_LABELS if name in annex.columns],
            "prefixed": annex.prefixed,
            "skipped_empty": annex.skipped_empty,
            "notices": annex.notices,
        },
    )


def import_choose(*, batch: ImportBatch, departments: dict[int, str], areas: dict[int, str]) -> ImportBatch:
    """Keep the clerk's choices: a department (or SKIP/ALL) per unknown name, an area per section.
    `departments` and `areas` map the index of the name or section to the submitted value."""
    department_ids = set(batch.plan.agency.departments.values_list("pk", flat=True))
    area_ids = set(batch.plan.area_set.areas.values_list("pk", flat=True))
    for index, entry in enumerate(batch.department_names):
        if entry["department"] is not None or index not in departments:
            continue
        value = departments[index]
        allowed = {str(pk) for pk in department_ids} | (set() if entry["as_lead"] else {SKIP, ALL})
        entry["chosen"] = (int(value) if value.isdigit() else value) if value in allowed else None
    for row in batch.rows:
        if row["kind"] == "group" and row["area"] is None and row["section"] in areas:
            value = areas[row["section"]]
            row["chosen_area"] = int(value) if value.isdigit() and int(value) in area_ids else None
    batch.save(update_fields=["rows", "department_names"])
    return batch


def import_confirm(*, batch: ImportBatch, by) -> dict[str, int]:
    """Write every row of the batch in one transaction; returns the counts created/updated/unchanged.

    The batch is claimed first (preview → done in one UPDATE): of two confirmations at once only one
    imports, the other gets AlreadyImported. Any error rolls everything back, the claim included. One
    bulk write: the agency's data is counted as changed once for the whole import."""
    reason = f"Cập nhật từ phụ lục {batch.original_name}"
    with bulk_write():
        claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
            status=ImportBatch.Status.DONE
        )
        if claimed != 1:
            raise AlreadyImported
        _check_open(batch.plan, ValidationError)
        preview = build_preview(batch)
        failing = [row for row in preview.rows if row.errors]
        if failing:
            raise ValidationError(
                f"Còn {len(failing)} dòng có lỗi; sửa tệp hoặc chọn đơn vị, lĩnh vực còn thiếu rồi xác nhận lại."
            )
        new = [row for row in preview.task_rows if row.status == "new"]
        services.tasks_bulk_create(
            plan=batch.plan,
            by=by,
            items=[
                {
                    "number": row.number,
                    "area": row.area,
                    "content": row.content,
                    "lead_department": row.lead,
                    "deadline_text": row.deadline,
                    "coordinating_departments": row.coordinating,
                    "expected_output": row.output,
                    "notes": row.notes,
                }
                for row in new
            ],
            event_kind=TaskEvent.Kind.IMPORTED,
        )
        counts = {"created": len(new), "updated": 0, "unchanged": 0}
        for row in preview.task_rows:
            if row.status == "same":
                counts["unchanged"] += 1
            elif row.status == "update":
                try:
                    _update_task(row, by=by, columns=preview.columns, reason=reason)
                except ValidationError as error:
                    raise ValidationError(
                        f"Dòng {row.line} (TT {row.number}): {' '.join(error.messages)}"
                    ) from error
                counts["updated"] += 1
        batch.status = ImportBatch.Status.DONE
        batch.result = {**batch.result, **counts}
        batch.save(update_fields=["status", "result"])
    return counts


def _update_task(row: PreviewRow, *, by, columns: list[str], reason: str) -> None:
    """Bring an existing task in line with its row: lead and deadline with the import as the reason,
    then the content fields (and coordinating units, when the file has that column)."""
    task = row.task
    if task.lead_department_id != row.lead.pk:
        services.task_change_lead(task=task, by=by, department=row.lead, reason=reason)
    if (task.deadline_text, task.due_date) != (row.deadline, row.due):
        services.task_change_deadline(task=task, by=by, deadline_text=row.deadline, reason=reason)
    fields = {"area": row.area, "content": row.content}
    if "output" in columns:
        fields["expected_output"] = row.output
    if "notes" in columns:
        fields["notes"] = row.notes
    services.task_update(
        task=task,
        by=by,
        coordinating_departments=row.coordinating if "coordinating" in columns else None,
        event_kind=TaskEvent.Kind.IMPORTED,
        **fields,
    )


def import_discard(*, batch: ImportBatch) -> bool:
    """Drop a batch still waiting for confirmation; False when it was already confirmed or dropped."""
    return bool(
        ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
            status=ImportBatch.Status.DISCARDED
        )
    )
