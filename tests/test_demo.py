import datetime
import zoneinfo
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.models import Agency, Department, Role, User
from cchc.storage import private_storage as private_files
from demo.loading import USERS
from plans.models import LegalDocument, Plan, PlanLegalBasis, PlanSection
from reports.models import PeriodicReport
from tasks import evidence
from tasks.access import can_review
from tasks.deadlines import parse_deadline
from tasks.models import Contribution, Direction, Evidence, ProgressUpdate, Task, TaskDeadline, TaskEvent
from tasks.status import COMPLETED, Status, with_status
from tests.conftest import demo_settings, signs_in

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# The demo's "today": a fixed day, so that the statuses relative to today do not depend on the calendar.
TODAY = datetime.date(2026, 10, 15)


def load(when=datetime.datetime(2026, 10, 15, 10, 0, tzinfo=HANOI)):
    with time_machine.travel(when, tick=False):
        call_command("load_demo", stdout=StringIO())


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for the read-only tests of TestTheLoadedDemo (a load takes seconds), loaded
    again the same day and on another day, with a snapshot after each load; rolled back afterwards."""
    root = tmp_path_factory.mktemp("demo")
    with django_db_blocker.unblock(), demo_settings(root), transaction.atomic():
        load()
        first = snapshot()
        load()
        same_day = snapshot()
        load(when=datetime.datetime(2026, 11, 20, 16, 0, tzinfo=HANOI))
        yield {"first": first, "same day": same_day, "another day": snapshot(), "storage": root / "private"}
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db, settings):
    settings.PRIVATE_STORAGE_ROOT = loaded["storage"]  # where the demo's evidence files were written
    return loaded


def seed_plan() -> Plan:
    return Plan.objects.get(agency__code="SKHĐT", number=14, year=2019)


def current_plan() -> Plan:
    return Plan.objects.get(agency__code="SKHĐT", number=5, year=TODAY.year)


def snapshot():
    models = [
        Agency,
        Department,
        User,
        LegalDocument,
        Plan,
        PlanLegalBasis,
        PlanSection,
        Task,
        Task.coordinating_departments.through,
        Task.assignees.through,
        TaskDeadline,
        ProgressUpdate,
        Evidence,
        Contribution,
        Direction,
        TaskEvent,
    ]
    rows = {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in models}
    rows["task states"] = sorted(
        Task.objects.values_list("pk", "state", "percent", "completed_on", "due_date")
    )
    rows["reviews"] = sorted(ProgressUpdate.objects.values_list("pk", "review", "reviewed_at"))
    rows["evidence files"] = sorted(Evidence.objects.values_list("stored_name", flat=True))
    rows["passwords"] = sorted(User.objects.values_list("username", "password"))
    return rows


def statuses(plan: Plan, as_of: datetime.date) -> Counter:
    return Counter(with_status(plan.tasks.all(), as_of).values_list("status", flat=True))


class TestTheLoadedDemo:
    """Tests that only read the demo share one load (see `loaded`)."""

    def test_loading_twice_leaves_the_same_data(self, demo):
        assert demo["first"]["Task"] and demo["first"]["Evidence"]
        assert demo["same day"] == demo["first"]

    def test_loading_again_on_another_day_adds_nothing(self, demo):
        assert demo["another day"] == demo["first"]

    def test_the_seed_plan_has_illustrative_tasks_in_every_area_and_department(self, demo):
        plan = seed_plan()
        tasks = plan.tasks.all()
        assert 40 <= tasks.count() <= 60
        assert set(tasks.values_list("area", flat=True)) == set(
            plan.area_set.areas.values_list("pk", flat=True)
        )
        assert set(tasks.values_list("lead_department", flat=True)) == set(
            plan.agency.departments.values_list("pk", flat=True)
        )
        assert all(
            notes == "Nhiệm vụ minh họa (dữ liệu mẫu)." for notes in tasks.values_list("notes", flat=True)
        )
        first = tasks.get(number="1.1")
        assert first.area.position == 0 and "Kế hoạch cải cách hành chính năm 2019" in first.content

    def test_the_seed_plans_tasks_stand_in_its_sections_one_per_reform_area(self, demo):
        plan = seed_plan()
        sections = list(plan.sections.order_by("sort_key"))
        assert [(s.label, s.depth, s.area.position) for s in sections] == [
            (label, 0, position) for position, label in enumerate(["I", "II", "III", "IV", "V", "VI", "VII"])
        ]
        assert sections[0].title == "Công tác chỉ đạo, điều hành cải cách hành chính"
        assert not plan.tasks.filter(section__isnull=True).exists()
        for task in plan.tasks.select_related("section"):
            assert task.area_id == task.section.area_id
            assert task.number.split(".")[0] == str(sections.index(task.section) + 1)  # 3.x in III
        outside = plan.tasks.exclude(outside_coordinators="")
        assert outside.count() >= 2 and not plan.tasks.exclude(lead_name="").exists()

    def test_the_current_plan_has_sub_sections_and_a_task_led_by_an_outside_body(self, demo):
        plan = current_plan()
        sections = {section.label: section for section in plan.sections.select_related("parent")}
        assert list(sections) == ["I", "II", "III", "III.1", "III.2", "IV", "V", "VI", "VII"]
        for label in ("III.1", "III.2"):
            section = sections[label]
            assert (section.parent.label, section.depth, section.area) == ("III", 1, None)
            assert section.tasks.exists() and section.effective_area == sections["III"].area
        assert not sections["III"].tasks.exists()
        assert set(sections["III.1"].tasks.values_list("area", flat=True)) == {sections["III"].area_id}
        led = plan.tasks.exclude(lead_name="").select_related("lead_department").get()
        assert led.lead_display == "Trung tâm Phục vụ hành chính công tỉnh"
        assert led.lead_department.name == "Văn phòng Sở"  # follows the task up
        ordered = [task.number for task in plan.tasks.order_by("sort_key")]
        assert ordered.index("2.3") < ordered.index("3.1") < ordered.index("4.1")

    def test_sở_tài_chính_numbers_its_tasks_anew_in_each_section(self, demo):
        plan = Plan.objects.get(agency__code="STC")
        rows = list(plan.tasks.order_by("sort_key").values_list("section__label", "number"))
        assert rows == [("I", "1"), ("II", "1"), ("III", "1"), ("IV", "1"), ("V", "1"), ("VI", "1")]
        assert PlanSection.objects.get(plan=plan, label="IV").area.position == 4

    def test_the_seed_plan_has_its_issued_half_year_report_as_of_14_june(self, demo):
        from dashboards.figures import summary
        from reports.snapshot import read_snapshot

        report = PeriodicReport.objects.get(
            plan=seed_plan(), period=PeriodicReport.Period.HALF_YEAR, year=2019
        )
        assert report.status == PeriodicReport.Status.ISSUED
        assert report.number_symbol == "112/BC-SKHĐT"
        assert (report.starts_on, report.ends_on) == (datetime.date(2018, 12, 15), datetime.date(2019, 6, 14))
        figures = read_snapshot(report).figures
        expected = summary(seed_plan().tasks.all(), datetime.date(2019, 6, 14)).plan
        assert (figures.total, figures.done, figures.open_overdue) == (
            expected.total,
            expected.done,
            expected.open_overdue,
        )

    def test_the_seed_plan_uses_every_form_of_deadline(self, demo):
        texts = set(seed_plan().tasks.values_list("deadline_text", flat=True))
        for form in ("Quý ", "Tháng ", "Trước ", "6 tháng đầu năm", "Năm 2019", "Thường xuyên", "Hàng quý"):
            assert any(text.startswith(form) for text in texts), form
        for text in texts:
            parse_deadline(text, year=2019)

    def test_the_seed_plans_year_end_figures_are_realistic(self, demo):
        plan = seed_plan()
        year_end = statuses(plan, datetime.date(2019, 12, 14))
        assert set(year_end) == set(Status.values)
        done = sum(year_end[status] for status in COMPLETED)
        assert 0.75 <= done / plan.tasks.count() <= 0.85
        assert year_end[Status.DONE_ON_TIME] > year_end[Status.DONE_LATE] > 0
        assert 1 <= year_end[Status.OPEN_OVERDUE] <= 5
        assert year_end[Status.CANCELLED] == 1

        mid_year = statuses(plan, datetime.date(2019, 6, 14))
        assert {Status.DONE_ON_TIME, Status.OPEN_ON_TIME, Status.OPEN_OVERDUE, Status.NOT_STARTED} <= set(
            mid_year
        )

    def test_the_seed_plans_history_has_returns_changes_directions_and_contributions(self, demo):
        plan = seed_plan()
        events = Counter(TaskEvent.objects.filter(task__plan=plan).values_list("kind", flat=True))
        assert events[TaskEvent.Kind.RETURNED] >= 1
        assert events[TaskEvent.Kind.DEADLINE] >= 2
        assert events[TaskEvent.Kind.CANCELLED] == 1
        assert (
            TaskEvent.objects.filter(task__plan=plan, kind=TaskEvent.Kind.DEADLINE).exclude(reason="").count()
            >= 2
        )

        returned = ProgressUpdate.objects.get(task__plan=plan, review=ProgressUpdate.Review.RETURNED)
        assert returned.return_reason
        assert returned.task.state == Task.State.COMPLETED  # resubmitted, then approved
        assert returned.task.progress_updates.filter(
            reported_at__gt=returned.reviewed_at, percent=100
        ).exists()

        directions = Direction.objects.filter(task__plan=plan)
        assert directions.exists() and {d.author.username for d in directions} == {"lanhdao"}
        assert all(d.created_at.year == 2019 for d in directions)
        contributions = Contribution.objects.filter(task__plan=plan).select_related("task", "author")
        assert contributions.exists()
        for contribution in contributions:
            assert contribution.task.coordinating_departments.filter(pk=contribution.department_id).exists()
            assert contribution.author.department_id == contribution.department_id

    def test_the_seed_plans_reports_come_from_the_lead_department_and_heads_approve(self, demo):
        reports = ProgressUpdate.objects.filter(task__plan=seed_plan()).select_related(
            "task", "reported_by", "reviewed_by"
        )
        assert reports.count() >= 100
        for report in reports:
            assert report.reported_at.year == 2019
            assert report.reported_by.department_id == report.task.lead_department_id
            if report.review in (ProgressUpdate.Review.APPROVED, ProgressUpdate.Review.RETURNED):
                assert can_review(report.reviewed_by, report.task)
                assert report.reviewed_at > report.reported_at
        assert reports.filter(reported_by__username="chuyenvien").exists()
        assert reports.filter(reviewed_by__username="truongphong").exists()

    def test_every_completion_has_a_real_pdf_in_private_storage(self, demo, settings):
        completions = ProgressUpdate.objects.filter(percent=100).prefetch_related("evidence")
        assert completions.exists()
        for report in completions:
            assert report.evidence.exists()
        for item in Evidence.objects.all():
            path = Path(private_files().path(evidence.name_of(item.stored_name)))
            assert path.is_relative_to(settings.PRIVATE_STORAGE_ROOT)
            body = path.read_bytes()
            assert body.startswith(b"%PDF-1.4") and body.rstrip().endswith(b"%%EOF")
            assert item.original_name.endswith(".pdf") and item.size == len(body)

    def test_the_current_year_plan_has_tasks_in_every_status_as_of_today(self, demo):
        plan = current_plan()
        assert plan.area_set.code == "NQ76"
        assert plan.status == Plan.Status.ISSUED
        assert "76/NQ-CP" in plan.basis_links.values_list("document__number", flat=True)
        assert 25 <= plan.tasks.count() <= 35
        assert set(statuses(plan, TODAY)) == set(Status.values)
        assert set(plan.tasks.values_list("area", flat=True)) == set(
            plan.area_set.areas.values_list("pk", flat=True)
        )
        for task in plan.tasks.all():
            assert task.due_date.year == TODAY.year
        assert not ProgressUpdate.objects.filter(task__plan=plan, reported_on__gt=TODAY).exists()

    def test_chuyenvien_has_work_and_truongphong_has_approvals_waiting(self, demo):
        chuyenvien = User.objects.get(username="chuyenvien")
        truongphong = User.objects.get(username="truongphong")
        mine = with_status(Task.objects.filter(plan=current_plan(), assignees=chuyenvien), TODAY)
        assert {Status.OPEN_OVERDUE, Status.OPEN_ON_TIME, Status.NOT_STARTED} <= set(
            mine.values_list("status", flat=True)
        )
        waiting = ProgressUpdate.objects.filter(
            task__plan=current_plan(), review=ProgressUpdate.Review.PENDING
        )
        assert [r for r in waiting.select_related("task__plan") if can_review(truongphong, r.task)]
        returned = Task.objects.get(
            plan=current_plan(), progress_updates__review=ProgressUpdate.Review.RETURNED
        )
        assert (
            returned.state == Task.State.IN_PROGRESS and returned.assignees.filter(pk=chuyenvien.pk).exists()
        )

    def test_sở_tài_chính_has_tasks_the_other_agency_cannot_open(self, demo):
        plan = Plan.objects.get(agency__code="STC")
        assert plan.tasks.count() >= 5
        client = Client()
        client.force_login(User.objects.get(username="vanthu"))
        assert client.get(reverse("tasks:detail", args=[plan.tasks.first().pk])).status_code == 404
        assert client.get(reverse("tasks:plan_tasks", args=[plan.pk])).status_code == 404

    def test_the_seed_plan_has_the_facts_of_the_article(self, demo):
        plan = Plan.objects.get(agency__code="SKHĐT", number=14)
        assert plan.number_symbol == "14/KH-SKHĐT"
        assert plan.issued_on == datetime.date(2019, 1, 15)
        assert plan.title == "Cải cách hành chính năm 2019 của Sở Kế hoạch và Đầu tư"
        assert plan.agency.name == "Sở Kế hoạch và Đầu tư tỉnh Vĩnh Phúc"
        assert plan.agency.parent_body == "UBND tỉnh Vĩnh Phúc"
        assert plan.place_name == "Vĩnh Phúc"
        assert (plan.implements.number, plan.implements.issued_on) == (
            "10041/KH-UBND",
            datetime.date(2018, 12, 17),
        )
        bases = [
            (link.document.number, link.document.issued_on)
            for link in plan.basis_links.select_related("document")
        ]
        assert bases == [
            ("30c/NQ-CP", datetime.date(2011, 11, 8)),
            ("36a/NQ-CP", datetime.date(2015, 10, 14)),
            ("60/NQ-HĐND", datetime.date(2012, 7, 19)),
            ("2757/QĐ-UBND", datetime.date(2017, 10, 18)),
            ("3674/QĐ-UBND", datetime.date(2015, 12, 22)),
            ("02/KH-SKHĐT", datetime.date(2016, 1, 19)),
        ]
        assert "chỉ số hài lòng" in plan.purpose
        assert "đánh giá xếp loại" in plan.requirements
        assert plan.area_set.code == "NQ30C"

    def test_there_is_one_demo_user_per_role_who_can_log_in(self, demo):
        assert [row[0] for row in USERS[:6]] == [
            "vanthu",
            "lanhdao",
            "truongphong",
            "chuyenvien",
            "sonoivu",
            "quantri",
        ]
        expected = {
            "vanthu": Role.CLERK,
            "lanhdao": Role.LEADER,
            "truongphong": Role.DEPT_HEAD,
            "chuyenvien": Role.STAFF,
            "sonoivu": Role.OVERSEER,
            "quantri": Role.ADMIN,
        }
        for username, role in expected.items():
            assert User.objects.get(username=username).role == role
            assert signs_in(username, "demo-pass-123")
        truongphong = User.objects.get(username="truongphong")
        assert (truongphong.department.code, truongphong.agency.code) == ("ĐKKD", "SKHĐT")

    def test_every_department_has_a_head_and_a_staff_member_who_can_log_in(self, demo):
        for department in Department.objects.filter(agency__code="SKHĐT"):
            roles = set(department.users.values_list("role", flat=True))
            assert {Role.DEPT_HEAD, Role.STAFF} <= roles, department
        assert signs_in("cv.vp", "demo-pass-123")
        assert signs_in("tp.kgvx", "demo-pass-123")

    def test_a_second_agency_of_the_province_is_isolated(self, demo):
        clerk = User.objects.get(username="vanthu")
        assert Agency.objects.filter(parent__code="UBND").count() >= 3
        client = Client()
        client.force_login(clerk)
        foreign = Plan.objects.get(agency__code="STC")
        assert client.get(f"/ke-hoach/{foreign.pk}/").status_code == 404


def test_early_in_january_the_current_plan_keeps_its_deadlines_in_its_year(db, tmp_path):
    with demo_settings(tmp_path):
        load(when=datetime.datetime(2027, 1, 3, 9, 0, tzinfo=HANOI))
    plan = Plan.objects.get(agency__code="SKHĐT", number=5, year=2027)
    assert plan.issued_on <= datetime.date(2027, 1, 3)
    assert {task.due_date.year for task in plan.tasks.all()} == {2027}
    latest = max(ProgressUpdate.objects.filter(task__plan=plan).values_list("reported_at", flat=True))
    assert latest <= datetime.datetime(2027, 1, 3, 9, 0, tzinfo=HANOI)


def test_the_demo_is_refused_under_production_settings(db, settings):
    settings.DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="sản xuất"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_a_generated_password_is_kept_between_runs(db, settings, tmp_path):
    settings.DEMO_ALLOWED = True
    settings.DEMO_PASSWORD = None
    settings.VAR_DIR = tmp_path
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    call_command("load_demo", stdout=StringIO())
    first = (tmp_path / "demo-password.txt").read_text().strip()
    call_command("load_demo", stdout=StringIO())
    assert (tmp_path / "demo-password.txt").read_text().strip() == first
    assert signs_in("vanthu", first)
