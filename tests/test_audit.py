"""The agency's change log (Nhật ký thay đổi): every history of the agency in one list, newest first, with
who, when, what (old → new) and why; its filters, its export, its walls and its query count."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AccountEvent, Department
from evaluations import services as evaluation_services
from evaluations.models import Rubric, Scope
from plans.services import record_change
from ratings import services as rating_services
from ratings.models import Level, RatingEvent, RoundEvent
from reports.services import report_create
from tasks import services as task_services
from tests.conftest import client_for, make_task

LOG = reverse("audit:log")
EXPORT = reverse("audit:export")
VN = datetime.timezone(datetime.timedelta(hours=7))
MARCH = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=VN)


def page_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def rows_of(response) -> str:
    """The log's table only (the filters' choices name people and departments too)."""
    page = page_of(response)
    if 'id="nhat-ky-thay-doi"' not in page:
        return ""
    return page[page.index('id="nhat-ky-thay-doi"') : page.index("</table>")]


@pytest.fixture
def task(plan, department, clerk):
    return make_task(plan, department, number="2.1", by=clerk, content="Công bố thủ tục hành chính mới")


@pytest.fixture
def deadline_moved(task, clerk):
    return task_services.task_change_deadline(
        task=task, by=clerk, deadline_text="Quý III/2019", reason="Chờ văn bản hướng dẫn của Bộ", at=MARCH
    )


@pytest.fixture
def histories(deadline_moved, task, plan, clerk, leader, admin_user, staff, department, agency):
    """One change of each history of the agency."""
    task_services.direction_add(task=task, by=leader, text="Đẩy nhanh tiến độ, báo cáo trước 20/3")
    record_change(
        plan=plan,
        by=clerk,
        action="Sửa kế hoạch",
        changes=[{"field": "trích yếu", "old": "Dự thảo", "new": "Kế hoạch CCHC"}],
    )
    report = report_create(plan=plan, by=clerk, period="half_year", year=2019)
    from reports.services import report_update

    report_update(report=report, by=clerk, difficulties="Kết quả sáu tháng đã sửa")
    rubric = Rubric.objects.filter(scope=Scope.DEPARTMENTS).first()
    evaluation = evaluation_services.round_create(
        agency=agency,
        by=leader,
        rubric=rubric,
        year=2019,
        title="Chấm điểm CCHC các phòng năm 2019",
        self_from=datetime.date(2019, 11, 1),
        self_to=datetime.date(2019, 11, 30),
        appraisal_from=datetime.date(2019, 12, 1),
        appraisal_to=datetime.date(2019, 12, 10),
    )
    evaluation_services.round_move(round_=evaluation, by=leader, move="open")
    rating_round = rating_services.round_create(agency=agency, year=2019, by=clerk)
    rating = rating_round.ratings.get(person=staff)
    RatingEvent.objects.create(
        rating=rating, kind=RatingEvent.Kind.DECIDE, actor=leader, level=Level.HTT, note="Đủ tiêu chí"
    )
    RoundEvent.objects.create(
        round=rating_round, kind=RoundEvent.Kind.CAP, actor=leader, note="Phòng có nhiều sáng kiến"
    )
    AccountEvent.objects.create(
        agency=agency,
        actor=admin_user,
        kind=AccountEvent.Kind.USER_CHANGED,
        subject_user=staff,
        field="chức vụ",
        old_value="Chuyên viên",
        new_value="Chuyên viên chính",
        reason="Quyết định nâng ngạch",
    )
    return {"report": report, "evaluation": evaluation, "rating": rating}


def test_each_history_of_the_agency_appears_with_its_old_and_new_values(leader, histories, task, plan):
    rows = rows_of(client_for(leader).get(LOG))
    # a task's deadline, with its reason and its link
    assert "Đổi thời hạn" in rows and "Chờ văn bản hướng dẫn của Bộ" in rows
    assert "Quý II/2019" in rows and "Quý III/2019" in rows
    assert f'href="{reverse("tasks:detail", args=[task.pk])}"' in rows
    assert "Đẩy nhanh tiến độ, báo cáo trước 20/3" in rows  # a direction
    assert "<del>Dự thảo</del> → Kế hoạch CCHC" in rows  # the plan's change
    assert f'href="{reverse("plans:detail", args=[plan.pk])}"' in rows
    assert "Kết quả sáu tháng đã sửa" in rows  # the report's change
    assert f'href="{reverse("reports:detail", args=[histories["report"].pk])}"' in rows
    assert "Mở tự đánh giá" in rows and "<del>Dự thảo</del> → Đang tự đánh giá" in rows  # scoring
    assert "Quyết định xếp loại" in rows and "Hoàn thành tốt nhiệm vụ" in rows and "Đủ tiêu chí" in rows
    assert f'href="{reverse("ratings:rating", args=[histories["rating"].pk])}"' in rows
    assert "Phòng có nhiều sáng kiến" in rows  # the rating round's cap justification
    assert "<del>Chuyên viên</del> → Chuyên viên chính" in rows and "Quyết định nâng ngạch" in rows


def test_the_newest_change_comes_first(leader, histories):
    rows = rows_of(client_for(leader).get(LOG))
    # the account change was written last; the deadline was moved on 10/03/2026 (set by the service)
    assert rows.index("Chuyên viên chính") < rows.index("Quý III/2019")
    assert "09:30 10/03/2026" in rows


def test_another_agencys_changes_never_appear(
    leader, admin_user, histories, other_plan, outsider, other_agency
):
    foreign = make_task(other_plan, outsider.department, number="7", by=outsider)
    task_services.task_change_deadline(
        task=foreign, by=outsider, deadline_text="Quý IV/2019", reason="Việc của Sở khác"
    )
    record_change(
        plan=other_plan,
        by=outsider,
        action="Sửa kế hoạch",
        changes=[{"field": "x", "old": "a", "new": "Bí mật Sở Tài chính"}],
    )
    AccountEvent.objects.create(
        agency=other_agency,
        actor=outsider,
        kind=AccountEvent.Kind.USER_CREATED,
        field="họ tên",
        new_value="Người Sở khác",
    )
    for reader in (leader, admin_user):
        client = client_for(reader)
        rows = rows_of(client.get(LOG))
        assert "Quý III/2019" in rows
        for secret in ("Việc của Sở khác", "Bí mật Sở Tài chính", "Người Sở khác"):
            assert secret not in rows
            assert secret not in rows_of(client.get(LOG, {"q": secret}))
        # another agency's person is no choice of the filter: the value is refused, the log stays its own
        page = page_of(client.get(LOG, {"actor": outsider.pk}))
        assert "Người này không thuộc cơ quan." in page and "Việc của Sở khác" not in page
        assert "Việc của Sở khác" not in _export_text(client.get(EXPORT))


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"subject": "plan"}, ["Kế hoạch CCHC"], ["Quý III/2019", "Chuyên viên chính"]),
        ({"subject": "account"}, ["Chuyên viên chính"], ["Quý III/2019", "Kế hoạch CCHC"]),
        ({"subject": "rating"}, ["Đủ tiêu chí", "Phòng có nhiều sáng kiến"], ["Quý III/2019"]),
        ({"subject": "evaluation"}, ["Mở tự đánh giá"], ["Quý III/2019"]),
        ({"subject": "task"}, ["Quý III/2019", "Đẩy nhanh tiến độ"], ["Kế hoạch CCHC", "Đủ tiêu chí"]),
        ({"q": "văn bản hướng dẫn"}, ["Quý III/2019"], ["Kế hoạch CCHC", "Chuyên viên chính"]),
        ({"q": "Quý III"}, ["Quý III/2019"], ["Kế hoạch CCHC"]),  # a value inside the recorded changes
        ({"q": "cong bo thu tuc"}, ["Quý III/2019"], ["Kế hoạch CCHC"]),  # the task's content, unaccented
        (
            {"since": "01/03/2026", "until": "31/03/2026"},
            ["Quý III/2019"],
            ["Kế hoạch CCHC", "Chuyên viên chính"],
        ),
        ({"until": "09/03/2026"}, [], ["Quý III/2019"]),
    ],
)
def test_the_filters_narrow_the_log(leader, histories, query, shown, hidden):
    rows = rows_of(client_for(leader).get(LOG, query))
    for text in shown:
        assert text in rows, (query, text)
    for text in hidden:
        assert text not in rows, (query, text)


def test_the_person_and_department_filters(leader, clerk, admin_user, histories, department, agency):
    client = client_for(leader)
    by_clerk = rows_of(client.get(LOG, {"actor": clerk.pk}))
    assert "Quý III/2019" in by_clerk and "Kế hoạch CCHC" in by_clerk
    assert "Chuyên viên chính" not in by_clerk and "Đẩy nhanh tiến độ" not in by_clerk
    by_admin = rows_of(client.get(LOG, {"actor": admin_user.pk}))
    assert "Chuyên viên chính" in by_admin and "Quý III/2019" not in by_admin
    # the department: its tasks, its people, its ratings; agency-wide changes (plans, reports) are left out
    of_department = rows_of(client.get(LOG, {"department": department.pk}))
    for text in ("Quý III/2019", "Chuyên viên chính", "Đủ tiêu chí"):
        assert text in of_department
    assert "Kế hoạch CCHC" not in of_department
    elsewhere = Department.objects.create(agency=agency, code="TTr", name="Thanh tra Sở", position=5)
    assert "Quý III/2019" not in rows_of(client.get(LOG, {"department": elsewhere.pk}))


def test_the_log_pages_fifty_changes_at_a_time(leader, task, clerk):
    for week in range(55):
        task_services.task_change_deadline(
            task=task,
            by=clerk,
            deadline_text=f"Trước {1 + week % 28:02d}/{1 + week // 28}/2020",
            reason=f"Lần {week}",
            at=MARCH + datetime.timedelta(hours=week),
        )
    client = client_for(leader)
    first = rows_of(client.get(LOG))
    assert first.count("<tr data-subject") == 50 and "Lần 54" in first and "Lần 4<" not in first
    second = rows_of(client.get(LOG, {"page": 2}))
    assert "Lần 4<" in second and "Lần 54" not in second


def _export_text(response) -> str:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)


def test_the_export_holds_the_filtered_rows_and_says_so(leader, histories, clerk):
    response = client_for(leader).get(EXPORT, {"subject": "task", "actor": clerk.pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value.startswith("NHẬT KÝ THAY ĐỔI")
    assert "loại đối tượng: Nhiệm vụ" in sheet["A2"].value
    assert f"người thực hiện: {clerk}" in sheet["A2"].value
    assert [cell.value for cell in sheet[4]][:2] == ["Thời gian", "Người thực hiện"]
    text = _export_text(response)
    assert (
        "thời hạn: Quý II/2019" in text and "Quý III/2019" in text and "Chờ văn bản hướng dẫn của Bộ" in text
    )
    assert "Kế hoạch CCHC" not in text and "Chuyên viên chính" not in text and "Đẩy nhanh" not in text
    moved = next(row for row in sheet.iter_rows(min_row=5) if row[7].value == "Chờ văn bản hướng dẫn của Bộ")
    assert moved[0].value == datetime.datetime(2026, 3, 10, 9, 30)  # the agency's time, a real Excel date
    everything = _export_text(client_for(leader).get(EXPORT))
    assert "Không lọc" in everything and "Chuyên viên chính" in everything


def test_the_export_writes_user_text_as_text_never_as_a_formula(leader, admin_user, staff, agency):
    dangerous = ['=HYPERLINK("http://x.example","bấm")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\r=1"]
    for text in dangerous:
        AccountEvent.objects.create(
            agency=agency,
            actor=admin_user,
            kind=AccountEvent.Kind.USER_CHANGED,
            subject_user=staff,
            field="ghi chú",
            old_value="",
            new_value="x",
            reason=text,
        )
    response = client_for(leader).get(EXPORT)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=5) for cell in row if cell.value is not None]
    assert not [cell for cell in cells if cell.data_type == "f"]
    reasons = {cell.value: cell for cell in cells if cell.column == 8}
    for text in dangerous:
        assert reasons[text].data_type == "s" and reasons[text].quotePrefix, text


@pytest.mark.parametrize("persona", ["staff", "dept_head", "clerk", "overseer", "outsider"])
def test_only_leaders_and_the_administrator_read_the_log(personas, persona):
    assert client_for(personas[persona]).get(LOG).status_code == 403


@pytest.mark.parametrize(
    "persona", ["staff", "dept_head", "leader", "clerk", "admin", "overseer", "outsider"]
)
def test_the_menu_offers_the_log_exactly_when_it_opens(personas, persona):
    client = client_for(personas[persona])
    menu = page_of(client.get(reverse("profile")))
    assert (f'href="{LOG}"' in menu) == (client.get(LOG).status_code == 200), persona


def test_the_query_count_does_not_grow_with_the_changes(
    leader,
    histories,
    task,
    clerk,
    staff,
    admin_user,
    agency,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    client = client_for(leader)
    with django_assert_num_queries(QUERIES):  # every source has a row on the page
        page_of(client.get(LOG))
    for index in range(30):
        task_services.direction_add(task=task, by=leader, text=f"Chỉ đạo số {index}")
        AccountEvent.objects.create(
            agency=agency,
            actor=admin_user,
            kind=AccountEvent.Kind.USER_CHANGED,
            subject_user=staff,
            field="điện thoại",
            old_value=str(index),
            new_value="1",
        )
        record_change(
            plan=task.plan,
            by=clerk,
            action="Sửa kế hoạch",
            changes=[{"field": "f", "old": "", "new": str(index)}],
        )
    shown = {"": 50, "page=2": 50, "q=Chỉ đạo": 30, f"department={staff.department_id}": 50}
    for query, count in shown.items():
        with django_assert_max_num_queries(QUERIES):
            rows = rows_of(client.get(f"{LOG}?{query}"))
        assert rows.count("<tr data-subject") == count, query


# the session, the user, their agency, the filters' people and departments, the count, the page's keys
# (one UNION ALL of every source) and one query per source on the page (eight)
QUERIES = 15


def test_a_leader_with_no_changes_sees_an_empty_log(leader):
    assert "Chưa có thay đổi nào được ghi lại." in page_of(client_for(leader).get(LOG))


def test_a_persons_page_is_linked_for_the_administrator_only(leader, admin_user, histories, staff):
    person = f'href="{reverse("administration:user_update", args=[staff.pk])}"'
    assert person in rows_of(client_for(admin_user).get(LOG))
    assert person not in rows_of(client_for(leader).get(LOG))
    assert client_for(leader).get(reverse("administration:user_update", args=[staff.pk])).status_code == 403


def test_a_filter_it_cannot_use_is_named_and_the_others_still_apply(leader, histories):
    page = page_of(
        client_for(leader).get(LOG, {"since": "01/03/2026", "until": "01/01/2026", "subject": "task"})
    )
    assert "“Đến ngày” phải trùng hoặc sau “Từ ngày”." in page
    rows = page[page.index('id="nhat-ky-thay-doi"') :]
    assert "Quý III/2019" in rows and "Kế hoạch CCHC" not in rows  # from 01/03/2026, tasks only
    page = page_of(client_for(leader).get(LOG, {"since": "31/02/2026", "subject": "plan"}))
    assert "Nhập ngày theo dạng dd/mm/yyyy" in page and "Kế hoạch CCHC" in page
