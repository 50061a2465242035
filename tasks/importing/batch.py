"""The batch between upload and confirmation: prepare it from the file, keep the clerk's choices,
confirm it in one transaction (or discard it)."""

import logging

from django.core.cache import cache
from django.core.exceptions import ValidationError

from accounts.services import bulk_write
from cchc.formatting import vn_number
from cchc.limits import LONG_TEXT_MAX
from cchc.text import name_key
from plans import services as plan_services
from plans.models import Plan, PlanSection
from tasks import services
from tasks.deadlines import Deadline, DeadlineError, DeadlineOutOfRange, parse_deadline
from tasks.importing.matching import DepartmentMatcher, match_area, plain
from tasks.importing.preview import PreviewRow, build_preview
from tasks.importing.reading import COLUMN_LABELS, AnnexError, read_annex
from tasks.models import BodyName, ImportBatch, Task, TaskEvent

logger = logging.getLogger(__name__)
NUMBER_MAX_LENGTH = Task._meta.get_field("number").max_length
DEADLINE_MAX_LENGTH = Task._meta.get_field("deadline_text").max_length
NAME_MAX_LENGTH = Task._meta.get_field("lead_name").max_length
SECTION_TITLE_MAX_LENGTH = PlanSection._meta.get_field("title").max_length
# The cells kept as a task's long texts, bounded as the task form bounds them (cchc.limits).
LONG_CELLS = {"content": "Nội dung nhiệm vụ", "output": "Sản phẩm", "notes": "Ghi chú"}


def _long_cell_errors(task: dict) -> list[str]:
    """The row's cells longer than a task may hold, refused; the batch keeps only what a task could (the
    preview page stays small), so the row cannot be confirmed until the file is shortened."""
    errors = []
    for name, label in LONG_CELLS.items():
        length = len(task[name])
        if length > LONG_TEXT_MAX:
            errors.append(
                f"Ô {label} dài {vn_number(length)} ký tự, vượt mức tối đa {vn_number(LONG_TEXT_MAX)} ký tự: "
                "rút gọn ô này trong tệp rồi tải lên lại."
            )
            task[name] = task[name][:LONG_TEXT_MAX]
    return errors


class AlreadyImported(Exception):
    """The batch was confirmed (or discarded) by an earlier request."""


def _check_open(plan, error_class) -> None:
    if plan.status == Plan.Status.CLOSED:
        raise error_class("Kế hoạch đã kết thúc, không nhập thêm nhiệm vụ.")


def read_row_deadline(text: str, *, plan, has_column: bool) -> tuple[Deadline, str]:
    """The row's deadline and the warning the preview shows with it. A phrase that names no date
    ("kịp thời") or an empty cell imports without a due date; a file without a time column assumes
    the end of the plan's year."""
    if not has_column:
        assumed = parse_deadline(f"Năm {plan.year}", year=plan.year)
        return assumed, f"Tệp không có cột thời hạn: giả định hạn cuối năm {plan.year} (31/12/{plan.year})."
    if not text:
        return Deadline.unset(), "Không ghi thời hạn: nhiệm vụ được nhập với “Chưa xác định thời hạn”."
    try:
        return parse_deadline(text, year=plan.year), ""
    except DeadlineOutOfRange as error:
        return Deadline.unset(
            text
        ), f"{error} Nhiệm vụ được nhập với “Chưa xác định thời hạn” cho đến khi đặt hạn."
    except DeadlineError:
        return (
            Deadline.unset(text),
            f"Thời hạn “{text}” không chỉ một ngày cụ thể: giữ nguyên chữ, nhiệm vụ được nhập với "
            "“Chưa xác định thời hạn” cho đến khi đặt hạn.",
        )


def import_prepare(*, plan, by, upload) -> ImportBatch:
    """Read the upload and keep what it says in a batch waiting for the clerk's confirmation."""
    _check_open(plan, AnnexError)
    annex = read_annex(upload)
    matcher = DepartmentMatcher(plan.agency.departments.open())
    remembered = {body.key: body for body in BodyName.objects.filter(agency_id=plan.agency_id)}
    areas = list(plan.area_set.areas.all())
    names: dict[str, dict] = {}

    def note_name(name: str, *, as_lead: bool) -> None:
        key = name_key(name)
        entry = names.get(key)
        if entry is None:
            entry = names[key] = _name_entry(name, key, matcher, remembered)
        entry["as_lead"] = entry["as_lead"] or as_lead

    rows = []
    for position, section in enumerate(annex.sections):
        if len(section["title"]) > SECTION_TITLE_MAX_LENGTH:
            annex.notices.append(
                f"Dòng {section['line']}: tên mục dài {vn_number(len(section['title']))} ký tự; chỉ giữ "
                f"{vn_number(SECTION_TITLE_MAX_LENGTH)} ký tự đầu."
            )
            section["title"] = section["title"][:SECTION_TITLE_MAX_LENGTH].rstrip()
        area = match_area(section["title"], areas) if section["title"] else None
        rows.append(
            {
                "kind": "group",
                "section": position,
                "line": section["line"],
                "label": section["label"],
                "title": section["title"],
                "parent": section["parent"],
                "implicit": section["implicit"],
                "area": area.pk if area else None,
                "chosen_area": None,
            }
        )
    has_deadline = "deadline" in annex.columns
    first_seen: dict[tuple[int, str], int] = {}
    for task in annex.tasks:
        errors, warnings = _long_cell_errors(task), []
        lead_names = matcher.split(task["lead"])
        coordinating_names = matcher.split(task["coordinating"])
        if any(len(name) > NAME_MAX_LENGTH for name in (*lead_names, *coordinating_names)):
            errors.append(
                f"Tên cơ quan, đơn vị dài quá {NAME_MAX_LENGTH} ký tự; ghi đúng tên cơ quan, đơn vị."
            )
            lead_names = [name[:NAME_MAX_LENGTH] for name in lead_names]
            coordinating_names = [name[:NAME_MAX_LENGTH] for name in coordinating_names]
        for name in lead_names:
            note_name(name, as_lead=True)
        for name in coordinating_names:
            note_name(name, as_lead=False)
        lead_keys = {name_key(name) for name in lead_names}
        coordinating_names = [name for name in coordinating_names if name_key(name) not in lead_keys]
        follow_up, _ = matcher.match(task["follow_up"]) if task["follow_up"] else (None, "")
        if not task["content"]:
            errors.append("Thiếu nội dung nhiệm vụ.")
        if not lead_names:
            errors.append("Thiếu cơ quan, đơn vị chủ trì.")
        deadline_text = " ".join(task["deadline"].split())
        if len(deadline_text) > DEADLINE_MAX_LENGTH:
            errors.append(f"Thời hạn dài quá {DEADLINE_MAX_LENGTH} ký tự; ghi gọn, ví dụ Quý II/{plan.year}.")
        deadline, warning = read_row_deadline(deadline_text, plan=plan, has_column=has_deadline)
        if warning:
            warnings.append(warning)
        number = task["number"]
        if len(number) > NUMBER_MAX_LENGTH:
            errors.append(f"Số thứ tự “{number}” dài quá {NUMBER_MAX_LENGTH} ký tự.")
        if (task["section"], number) in first_seen:
            errors.append(
                f"Số thứ tự {number} trùng với dòng {first_seen[(task['section'], number)]} trong cùng mục."
            )
        else:
            first_seen[(task["section"], number)] = task["line"]
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
                "follow_up": follow_up.pk if follow_up else None,
                "deadline": deadline.text,
                "due": deadline.due_date.isoformat() if deadline.due_date else None,
                "deadline_kind": deadline.kind,
                "start": deadline.start.isoformat() if deadline.start else None,
                "output": task["output"],
                "notes": task["notes"],
                "errors": errors,
                "warnings": warnings,
            }
        )
    rows.sort(key=lambda row: (row["section"], row["kind"] != "group"))  # stable: file order within a section
    return ImportBatch.objects.create(
        plan=plan,
        uploaded_by=by,
        original_name=(upload.name or "phu-luc")[:255],
        rows=rows,
        department_names=list(names.values()),
        result={
            "columns": [name for name in COLUMN_LABELS if name in annex.columns],
            "skipped_empty": annex.skipped_empty,
            "notices": annex.notices,
            "default_follow_up": None,
        },
    )


COLLECTIVE_DEPARTMENTS = ("cac phong", "cac don vi", "tat ca cac phong", "toan the cac phong")


def _name_entry(name: str, key: str, matcher: DepartmentMatcher, remembered: dict) -> dict:
    """What a body named in the file is, before the clerk's choices: one of the agency's departments
    (by its name, or as remembered from an earlier import), every department ("Các phòng, đơn vị
    thuộc Sở"), or an outside body — with a suggestion only when a department's name is really close."""
    entry = {
        "name": name,
        "key": key,
        "as_lead": False,
        "department": None,  # matched by name: no choice to make
        "how": "",
        "suggestion": None,
        "chosen": None,  # the department the name stands for (meaning "department")
        "follow_up": None,  # the department following up an outside body that leads (meaning "outside")
    }
    department, how = matcher.match(name)
    if department is not None:
        return {**entry, "department": department.pk, "how": how, "meaning": BodyName.Meaning.DEPARTMENT}
    body = remembered.get(key)
    if body is not None:
        chosen = "chosen" if body.meaning == BodyName.Meaning.DEPARTMENT else "follow_up"
        return {**entry, "how": "remembered", "meaning": body.meaning, chosen: body.department_id}
    if plain(name).startswith(COLLECTIVE_DEPARTMENTS):
        return {**entry, "meaning": BodyName.Meaning.ALL}
    suggestion = matcher.suggest(name)
    if suggestion is not None:
        return {
            **entry,
            "suggestion": suggestion.pk,
            "meaning": BodyName.Meaning.DEPARTMENT,
            "chosen": suggestion.pk,
        }
    return {**entry, "meaning": BodyName.Meaning.OUTSIDE}


def import_choose(
    *,
    batch: ImportBatch,
    names: dict[int, str],
    follow_ups: dict[int, str],
    areas: dict[int, str],
    default_follow_up=None,
) -> ImportBatch:
    """Keep the clerk's choices, each checked against the plan's agency (a foreign id is dropped):
    per name not matched by itself (`names`: its index → "outside", "all" or a department's id;
    `follow_ups`: index → the department following up an outside lead), per section its own reform area
    (`areas`: index → an area's id, or "" for none), and the department following up every outside
    lead left without one (`default_follow_up`)."""
    department_ids = {str(pk) for pk in batch.plan.agency.departments.open().values_list("pk", flat=True)}
    area_ids = {str(pk) for pk in batch.plan.area_set.areas.values_list("pk", flat=True)}
    for index, entry in enumerate(batch.department_names):
        if entry["department"] is not None:
            continue
        if index in names:
            value = names[index]
            if value in department_ids:
                entry["meaning"], entry["chosen"] = BodyName.Meaning.DEPARTMENT, int(value)
            elif value == BodyName.Meaning.OUTSIDE or (
                value == BodyName.Meaning.ALL and not entry["as_lead"]
            ):
                entry["meaning"], entry["chosen"] = value, None
        if index in follow_ups:
            value = follow_ups[index]
            entry["follow_up"] = int(value) if value in department_ids else None
    for row in batch.rows:
        if row["kind"] == "group" and row["section"] in areas:
            value = areas[row["section"]]
            row["chosen_area"] = int(value) if value in area_ids else None
            row["area_chosen"] = True
    if default_follow_up is not None:
        batch.result["default_follow_up"] = (
            int(default_follow_up) if default_follow_up in department_ids else None
        )
    batch.save(update_fields=["rows", "department_names", "result"])
    return batch


CHUNK = 250  # rows written between two reports of progress


def import_confirm(
    *, batch: ImportBatch, by, claimed_from: str = ImportBatch.Status.PREVIEW, progress=None
) -> dict[str, int]:
    """Write every row of the batch in one transaction; returns the counts created/updated/unchanged.

    The batch is claimed first (preview → done in one UPDATE; a job claims it from running, where
    start_import_job put it): of two confirmations at once only one imports, the other gets
    AlreadyImported. Any error rolls everything back, the claim included. One bulk write: the agency's
    data is counted as changed once for the whole import. The clerk's choices of names are remembered
    for the agency's next import. `progress(done, total)` is told after every chunk of rows."""
    reason = f"Cập nhật từ phụ lục {batch.original_name}"
    plan = batch.plan
    with bulk_write():
        claimed = ImportBatch.objects.filter(pk=batch.pk, status=claimed_from).update(
            status=ImportBatch.Status.DONE
        )
        if claimed != 1:
            raise AlreadyImported
        _check_open(plan, ValidationError)
        preview = build_preview(batch)
        failing = [row for row in preview.rows if row.errors]
        if failing:
            raise ValidationError(
                f"Còn {len(failing)} dòng có lỗi; sửa tệp hoặc chọn đơn vị còn thiếu rồi xác nhận lại."
            )
        sections = _write_sections(preview, by=by)
        new = [row for row in preview.task_rows if row.status == "new"]
        updated = [row for row in preview.task_rows if row.status == "update"]
        total, done = len(new) + len(updated), 0
        for start in range(0, len(new), CHUNK):
            _create(new[start : start + CHUNK], sections, plan=plan, by=by)
            done += len(new[start : start + CHUNK])
            if progress:
                progress(done, total)
        for start in range(0, len(updated), CHUNK):
            chunk = updated[start : start + CHUNK]
            services.tasks_bulk_update(
                plan=plan,
                by=by,
                updates=[_update(row, sections.get(row.section), columns=preview.columns) for row in chunk],
                reason=reason,
            )
            done += len(chunk)
            if progress:
                progress(done, total)
        counts = {
            "created": len(new),
            "updated": len(updated),
            "unchanged": sum(1 for row in preview.task_rows if row.status == "same"),
        }
        _remember_names(preview)
        batch.status = ImportBatch.Status.DONE
        batch.result = {**batch.result, **counts, "sections_created": preview.new_sections}
        batch.save(update_fields=["status", "result"])
    return counts


def _create(rows: list[PreviewRow], sections: dict, *, plan, by) -> None:
    services.tasks_bulk_create(
        plan=plan,
        by=by,
        items=[
            {
                "number": row.number,
                "section": sections.get(row.section),
                "area": row.area,
                "content": row.content,
                "lead_department": row.lead,
                "lead_name": row.outside_lead,
                "deadline": _deadline(row),
                "coordinating_departments": row.coordinating,
                "outside_coordinators": "; ".join(row.outside_coordinators),
                "expected_output": row.output,
                "notes": row.notes,
            }
            for row in rows
        ],
        event_kind=TaskEvent.Kind.IMPORTED,
    )


def _deadline(row: PreviewRow) -> Deadline:
    return Deadline(row.deadline, row.due, row.deadline_kind, row.start)


def _write_sections(preview, *, by) -> dict[int, object]:
    """The plan's sections for the file's groups: the ones already there (title and own area brought
    in line with the file), the new ones created under their parents. Maps the file's section index to
    its PlanSection; the rows before any group stay outside every section."""
    sections: dict[int, object] = {}
    data = {row["section"]: row for row in preview.batch.rows if row["kind"] == "group"}
    for row in preview.group_rows:
        if row.implicit:
            continue
        parent = sections.get(data[row.section].get("parent"))
        section = row.existing_section
        if section is None:
            section = plan_services.section_create(
                plan=preview.batch.plan, by=by, label=row.label, title=row.title, parent=parent, area=row.area
            )
        elif row.status == "update":
            section = plan_services.section_update(section=section, by=by, title=row.title, area=row.area)
        sections[row.section] = section
    return sections


def _remember_names(preview) -> None:
    """Keep what the clerk chose for each name that is no department's own name, for the next import."""
    for entry in preview.unknown_names:
        meaning = entry["meaning"]
        if meaning == BodyName.Meaning.DEPARTMENT:
            department = entry["target"]
        elif meaning == BodyName.Meaning.OUTSIDE:
            department = entry["effective_follow_up"] if entry["as_lead"] else entry["follow_up_department"]
        else:
            department = None
        BodyName.objects.update_or_create(
            agency_id=preview.batch.plan.agency_id,
            key=entry["key"],
            defaults={"name": entry["name"][:255], "meaning": meaning, "department": department},
        )


def _update(row: PreviewRow, section, *, columns: list[str]) -> dict:
    """What changes in an existing task to bring it in line with its row (services.tasks_bulk_update):
    lead and deadline, the content fields, and coordinating bodies when the file has that column."""
    task = row.task
    fields = {"area": row.area, "content": row.content}
    if section is not None:
        fields["section"] = section
    if name_key(task.lead_name) != name_key(row.outside_lead):
        fields["lead_name"] = row.outside_lead
    if "coordinating" in columns:
        outside = row.outside_coordinators
        if sorted(map(name_key, task.outside_coordinator_names)) != sorted(map(name_key, outside)):
            fields["outside_coordinators"] = "; ".join(outside)
    if "output" in columns:
        fields["expected_output"] = row.output
    if "notes" in columns:
        fields["notes"] = row.notes
    return {
        "task": task,
        "lead_department": row.lead,
        "deadline": _deadline(row),
        "fields": fields,
        "coordinating": row.coordinating if "coordinating" in columns else None,
    }


JOB_ROWS = 500  # a confirmation of more task rows runs as a job, its progress shown


def progress_key(batch_pk: int) -> str:
    return f"import:progress:{batch_pk}"


def import_progress(batch: ImportBatch) -> dict:
    """How far the job writing the batch has come: {"done": n, "total": m}, or {} before its first chunk."""
    return cache.get(progress_key(batch.pk)) or {}


def run_import_job(*, batch_pk: int, by) -> None:
    """The job's work: confirm the running batch, telling the progress through the cache; on failure the
    batch goes back to its preview with the reason, nothing written."""
    batch = ImportBatch.objects.select_related("plan", "plan__agency").get(pk=batch_pk)

    def progress(done: int, total: int) -> None:
        cache.set(progress_key(batch_pk), {"done": done, "total": total}, 3600)

    try:
        import_confirm(batch=batch, by=by, claimed_from=ImportBatch.Status.RUNNING, progress=progress)
    except AlreadyImported:
        return
    except Exception as error:
        message = " ".join(error.messages) if isinstance(error, ValidationError) else ""
        if not message:
            logger.exception("The import job of batch %s failed", batch_pk)
        ImportBatch.objects.filter(pk=batch_pk, status=ImportBatch.Status.RUNNING).update(
            status=ImportBatch.Status.PREVIEW,
            result={
                **batch.result,
                "error": message or "Máy chủ gặp lỗi khi ghi; chưa có nhiệm vụ nào được ghi. Thử lại.",
            },
        )


def import_discard(*, batch: ImportBatch) -> bool:
    """Drop a batch still waiting for confirmation; False when it was already confirmed or dropped."""
    return bool(
        ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
            status=ImportBatch.Status.DISCARDED
        )
    )
