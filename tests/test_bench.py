"""`manage.py bench` on a tiny province built inside the test database (--in-place)."""

import datetime
import io
from collections import Counter

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from cchc.formatting import roman
from demo import bench, bench_tasks
from demo.management.commands.bench import PAGES
from plans.models import Plan, PlanSection
from plans.services import section_sort_key
from tasks.models import ProgressUpdate, Task, TaskDeadline
from tasks.selectors import OPEN_STATES
from tasks.services import search_text, sort_key
from tasks.status import Status, with_status

# Big enough that the measured plan has more than one page (50 a page) and the measured task's
# timeline more than the detail page shows at first (30 entries).
TINY = {
    "agencies": 2,
    "departments": 2,
    "users": 5,
    "years": 2,
    "tasks": 6,
    "big_plan": 60,
    "busy_reports": 35,
    "huge_plan": 80,
    "import_rows": 0,
    "update_rows": 0,
    "reminder_tasks": 300,
    "digests": 5,
    "documents": False,
    "repeat": 2,
}
TINY_SCALE = bench.Scale(
    agencies=2, departments=2, users=5, years=2, tasks=6, big_plan=60, busy_reports=35, huge_plan=80
)


def run_bench(**options) -> str:
    out = io.StringIO()
    call_command("bench", stdout=out, **{**TINY, **options})
    return out.getvalue()


@pytest.mark.django_db
def test_it_prints_every_page_with_its_time_ratio_and_query_count():
    output = run_bench(in_place=True)

    assert (
        "Quy mô: 4 cơ quan (2 + 1 cơ quan đối chứng + tỉnh), 5 phòng, 14 người dùng, 5 kế hoạch (2025–2026)"
        in output
    )
    assert f"{bench_tasks.expected_tasks(TINY_SCALE)} nhiệm vụ" in output
    assert "(60 nhiệm vụ); nhiệm vụ 1.1 (35 báo cáo)" in output
    assert "Gấp sàn" in output and "Truy vấn" in output
    for page in PAGES:
        assert page.label in output
    floor_row = next(line for line in output.splitlines() if line.startswith(PAGES[0].label))
    assert "1.00×" in floor_row


@pytest.mark.django_db
def test_query_counts_do_not_grow_from_the_small_agency_to_the_full_one():
    output = run_bench(in_place=True)

    comparison = output.split("Số truy vấn không được tăng theo dữ liệu")[1]
    assert "TĂNG" not in comparison
    assert sum(page.label in comparison for page in PAGES) == len(PAGES)


@pytest.mark.django_db
def test_it_refuses_to_build_in_place_outside_the_test_suite(monkeypatch):
    monkeypatch.delattr(mail, "outbox")

    with pytest.raises(CommandError, match="only for the test suite"):
        run_bench(in_place=True)


@pytest.mark.django_db
def test_it_refuses_nonsense_scales():
    with pytest.raises(CommandError, match="at least 1"):
        run_bench(in_place=True, agencies=0)


@pytest.mark.django_db
def test_it_times_the_import_of_an_xlsx_annex():
    output = run_bench(in_place=True, import_rows=20)

    line = next(line for line in output.splitlines() if line.startswith("Nhập 20 dòng .xlsx:"))
    assert "(mục tiêu ≤ 10 s)" in line


@pytest.mark.django_db
def test_it_times_the_plan_pdf_against_a_naive_render_and_the_redownload():
    output = run_bench(in_place=True, documents=True)

    lines = output.split("In văn bản")[1].splitlines()
    assert "cùng 60 dòng in thô thành một bảng HTML" in lines[1]
    assert "(mục tiêu ≤ 0.7× và ≤ 2 s)" in lines[1]
    assert lines[2].startswith("  PDF kế hoạch 60 nhiệm vụ") and "MB" in lines[2]
    assert "Tải lại văn bản không đổi" in lines[3] and "(trung vị 10 lần; mục tiêu ≤ 50 ms)" in lines[3]


@pytest.fixture
def built(db):
    bench.build(TINY_SCALE)
    return bench.scenes()


def test_the_build_writes_tasks_as_the_services_would(built):
    assert Task.objects.count() == bench_tasks.expected_tasks(TINY_SCALE)
    for task in Task.objects.select_related("section"):
        assert task.sort_key == sort_key(task.number, task.section)
        assert task.search_text == search_text(task)
    first_deadlines = TaskDeadline.objects.filter(valid_from__isnull=True)
    assert first_deadlines.count() == Task.objects.count()
    assert not first_deadlines.exclude(due_date=F("task__due_date")).exists()
    for report in ProgressUpdate.objects.all():
        assert report.reported_on == timezone.localdate(report.reported_at)
        assert (report.reviewed_at is not None) == (report.review in ("approved", "returned"))
    for task in Task.objects.filter(state=Task.State.COMPLETED):
        completing = task.progress_updates.get(review=ProgressUpdate.Review.APPROVED)
        assert completing.reported_on == task.completed_on and completing.percent == 100


def test_the_newest_plans_are_written_in_sections_and_the_huge_one_has_sub_sections(built):
    full, small = built
    newest = max(Plan.objects.values_list("year", flat=True))
    assert not Task.objects.filter(plan__year=newest, section__isnull=True).exists()
    assert not Task.objects.filter(plan__year__lt=newest, section__isnull=False).exists()
    for section in PlanSection.objects.select_related("parent__area", "area"):
        assert section.sort_key == section_sort_key(section.parent, section.position)
        assert section.depth == (section.parent.depth + 1 if section.parent else 0)
        if section.parent is None:
            assert section.label == roman(section.area.position + 1)
        else:
            assert section.label.startswith(f"{section.parent.label}.") and section.area is None
    for task in Task.objects.filter(section__isnull=False).select_related("section__parent__area", "area"):
        assert task.area == task.section.effective_area
    subs = full.huge.sections.filter(depth=1)
    assert subs.exists() and {s.parent.label for s in subs} == {"II", "IV", "VI"}
    # tasks numbered anew in each sub-section, listed in the written order of the plan
    first = full.huge.tasks.filter(section=subs.order_by("sort_key").first()).order_by("sort_key")
    assert first.first().number == "1"
    ordered = list(full.huge.tasks.order_by("sort_key").values_list("section__sort_key", flat=True))
    assert ordered == sorted(ordered)
    assert full.task.section.label == "I" and small.task.section.label == "II"
    assert not full.plan.sections.filter(depth=1).exists()


def test_the_measured_pages_have_the_data_they_are_measured_on(built):
    full, small = built
    assert full.plan.tasks.count() == TINY_SCALE.big_plan
    assert full.task.progress_updates.count() == TINY_SCALE.busy_reports
    assert full.task.lead_department_id == full.staff.department_id
    # The measured plan is the agency's only issued one, so its open tasks are all of "Việc của tôi".
    assert not full.agency.plans.filter(status=Plan.Status.ISSUED).exclude(pk=full.plan.pk).exists()
    mine = full.plan.tasks.filter(lead_department=full.staff.department, state__in=OPEN_STATES)
    assert mine.count() == bench_tasks.MY_OPEN_TASKS
    assert small.plan.tasks.count() == 3 and small.task.progress_updates.count() == 1
    assert small.task.lead_department_id == small.staff.department_id


def test_the_synthetic_history_has_every_status(built):
    today = timezone.localdate()
    statuses = Counter(with_status(Task.objects.all(), today).values_list("status", flat=True))
    past = Counter(
        with_status(Task.objects.filter(plan__year__lt=today.year), today).values_list("status", flat=True)
    )
    assert set(statuses) == set(Status.values)
    assert past[Status.DONE_ON_TIME] > past[Status.OPEN_OVERDUE]
    assert not ProgressUpdate.objects.filter(reported_at__gt=timezone.now() + datetime.timedelta(minutes=1))


@pytest.mark.django_db
def test_the_second_agencys_newest_plan_is_the_huge_one_and_its_pages_are_measured():
    output = run_bench(in_place=True)
    full, small = bench.scenes()
    assert full.huge.agency.code == bench.HUGE_CODE
    assert full.huge.tasks.count() == TINY_SCALE.huge_plan
    assert full.huge.status == Plan.Status.ISSUED
    assert small.huge == small.plan  # the control agency compares its own small plan
    assert f"kế hoạch lớn: {full.huge} (80 nhiệm vụ)" in output
    assert "Kế hoạch lớn: tổng quan, lần đầu" in output
