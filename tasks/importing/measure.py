"""Timing the import of a large annex, for `manage.py bench`."""

import io
import time

import openpyxl
from django.db import transaction
from django.template.loader import render_to_string

from cchc.formatting import roman
from cchc.xlsx_style import keep_text
from tasks.importing.batch import import_confirm, import_prepare
from tasks.importing.choices import ImportChoicesForm
from tasks.importing.preview import build_preview
from tasks.importing.reading import COLUMN_LABELS


def sample_annex(plan, rows: int = 1000) -> bytes:
    """An .xlsx annex of `rows` tasks for `plan`, spread over its reform areas and departments."""
    areas = list(plan.area_set.areas.all())
    departments = list(plan.agency.departments.all())
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([f"PHỤ LỤC NHIỆM VỤ KẾ HOẠCH {plan.number_symbol}"])
    sheet.append(list(COLUMN_LABELS.values()))
    per_area = -(-rows // len(areas))
    number = 0
    for position, area in enumerate(areas, start=1):
        sheet.append([roman(position), area.name])
        for _ in range(per_area):
            if number == rows:
                break
            number += 1
            lead = departments[number % len(departments)]
            other = departments[(number + 1) % len(departments)]
            sheet.append(
                [
                    str(number),
                    f"Nhiệm vụ số {number}: rà soát, đánh giá và báo cáo kết quả thực hiện\n- nội dung chi tiết",
                    lead.name,
                    other.name if other.pk != lead.pk else "",
                    f"Quý {roman(number % 4 + 1)}/{plan.year}",
                    "Báo cáo kết quả",
                    "",
                ]
            )
    for cells in sheet.iter_rows():
        for cell in cells:
            keep_text(cell)  # a department's name is the agency's text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measure_import(plan, by, rows: int = 1000) -> dict[str, float]:
    """Seconds to import an .xlsx annex of `rows` tasks into `plan` as `by` (a clerk of its agency):
    parse (read and keep the batch), preview (match and render the page), confirm (write the tasks).
    Everything is rolled back afterwards, so the plan is left as it was."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import RequestFactory

    content = sample_annex(plan, rows)
    upload = SimpleUploadedFile("phu-luc-do-thoi-gian.xlsx", content)
    request = RequestFactory().get("/")
    request.user = by
    timings = {}
    with transaction.atomic():
        started = time.perf_counter()
        batch = import_prepare(plan=plan, by=by, upload=upload)
        timings["parse"] = time.perf_counter() - started
        mark = time.perf_counter()
        preview = build_preview(batch)
        choices = ImportChoicesForm(preview)
        render_to_string(
            "tasks/import_preview.html",
            {
                "plan": plan,
                "batch": batch,
                "preview": preview,
                "default_follow_up": choices["default_follow_up"],
            },
            request=request,
        )
        timings["preview"] = time.perf_counter() - mark
        mark = time.perf_counter()
        import_confirm(batch=batch, by=by)
        timings["confirm"] = time.perf_counter() - mark
        timings["total"] = time.perf_counter() - started
        transaction.set_rollback(True)
    return timings


def revised(content: bytes) -> bytes:
    """The same annex with the content of every task changed: a re-import then updates every row."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active
    for number, text, *_ in sheet.iter_rows(min_row=3):
        if number.value and str(number.value).isdigit() and text.value:
            text.value = f"{text.value} (sửa đổi)"
            keep_text(text)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measure_update(plan, by, rows: int = 2000) -> dict[str, float]:
    """Seconds to re-import an annex of `rows` tasks already in `plan` with every content changed:
    parse, preview (matched against the plan's tasks) and confirm (2,000 updates with their records).
    Rolled back afterwards, so the plan is left as it was."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = sample_annex(plan, rows)
    timings = {}
    with transaction.atomic():
        first = import_prepare(plan=plan, by=by, upload=SimpleUploadedFile("phu-luc.xlsx", content))
        import_confirm(batch=first, by=by)
        started = time.perf_counter()
        batch = import_prepare(
            plan=plan, by=by, upload=SimpleUploadedFile("phu-luc-sua.xlsx", revised(content))
        )
        timings["parse"] = time.perf_counter() - started
        mark = time.perf_counter()
        build_preview(batch)
        timings["preview"] = time.perf_counter() - mark
        mark = time.perf_counter()
        counts = import_confirm(batch=batch, by=by)
        timings["confirm"] = time.perf_counter() - mark
        timings["total"] = time.perf_counter() - started
        if counts["updated"] != rows:
            raise AssertionError(f"expected {rows} updates, got {counts}")
        transaction.set_rollback(True)
    return timings
