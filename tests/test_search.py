"""The top bar's search: tasks, plans and legal documents of every year the user may read, found
without regard to case or diacritics, grouped by plan, never another agency's."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from cchc.text import fold
from plans.models import LegalDocument, Plan
from search.highlight import marked
from search.queries import (
    TASKS_PER_PAGE,
    documents_holding,
    matching_plans,
    matching_tasks,
    plans_holding,
    search_terms,
    task_text_q,
)
from tasks.models import Task
from tests.conftest import client_for, make_plan, make_task

URL = reverse("search:results")


def found(user, query, **more):
    response = client_for(user).get(URL, {"q": query, **more})
    assert response.status_code == 200
    return response


@pytest.fixture
def reform_tasks(plan, department, office, clerk):
    return {
        "tthc": make_task(
            plan, department, number="1", by=clerk, content="Đẩy mạnh cải cách thủ tục hành chính"
        ),
        "dkkd": make_task(
            plan,
            office,
            number="2",
            by=clerk,
            content="Số hóa hồ sơ Đăng ký kinh doanh trên Cổng dịch vụ công",
        ),
        "other": make_task(plan, office, number="3", by=clerk, content="Tuyên truyền về chỉ số hài lòng"),
    }


def test_search_terms_keep_short_syllables_with_the_next_word():
    assert search_terms("  Cải   cách ") == ["cai", "cach"]
    assert search_terms("kế hoạch số 14") == ["ke hoach", "hoach so", "so 14"]
    assert search_terms("dang ky kinh doanh") == ["dang ky", "kinh", "doanh"]
    assert search_terms("hồ sơ dịch vụ") == ["ho so", "dich vu"]
    assert search_terms("Đăng ký") == ["dang ky"]
    assert search_terms("ab") == []
    assert search_terms("a b c") == ["a b", "b c"]


def test_marked_finds_the_terms_without_diacritics_in_the_original_text():
    assert marked("Đẩy mạnh Cải  cách thủ tục", ["cai cach"]) == [
        ("Đẩy mạnh ", False),
        ("Cải  cách", True),
        (" thủ tục", False),
    ]


def test_cchc_unaccent_folds_like_the_search_text_on_this_database(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT cchc_unaccent(%s)", ["Đăng KÝ Kinh doanh, Cải cách"])
        assert cursor.fetchone()[0] == "dang ky kinh doanh, cai cach"


def test_it_finds_tasks_without_diacritics_grouped_by_plan_with_the_match_marked(staff, plan, reform_tasks):
    response = found(staff, "cai cach")
    body = response.content.decode()
    assert reform_tasks["tthc"] in [
        hit.item for group in response.context["found"].groups for hit in group.tasks
    ]
    assert "<mark>cải cách</mark>" in body
    assert f"Kế hoạch số {plan.number_symbol}</a>" in body
    assert f"năm {plan.year}" in body
    assert reverse("tasks:detail", args=[reform_tasks["tthc"].pk]) in body
    assert reverse("tasks:detail", args=[reform_tasks["other"].pk]) not in body

    tasks = [hit.item for group in found(staff, "dang ky").context["found"].groups for hit in group.tasks]
    assert tasks == [reform_tasks["dkkd"]]  # đ is d
    tasks = [
        hit.item for group in found(staff, "ĐĂNG KÝ KINH").context["found"].groups for hit in group.tasks
    ]
    assert tasks == [reform_tasks["dkkd"]]


def test_the_phrase_comes_first_then_every_word_anywhere(staff, reform_tasks):
    exact = found(staff, "cai cach thu tuc").context["found"]
    assert not exact.loose
    assert [hit.item for group in exact.groups for hit in group.tasks] == [reform_tasks["tthc"]]

    response = found(staff, "ho so dich vu")  # "hồ sơ Đăng ký kinh doanh trên Cổng dịch vụ công"
    loose = response.context["found"]
    assert loose.loose
    assert [hit.item for group in loose.groups for hit in group.tasks] == [reform_tasks["dkkd"]]
    assert "dưới đây là kết quả chứa đủ các từ của nó" in response.content.decode()
    assert not found(staff, "cai cach kinh doanh").context["found"].groups  # every word must occur


def test_plans_of_every_year_are_grouped_each_with_its_year(
    staff, clerk, agency, plan, department, reform_tasks
):
    older = make_plan(
        agency, number=3, year=2018, issued_on=datetime.date(2018, 1, 10), status=Plan.Status.ISSUED
    )
    make_task(
        older, department, number="2", by=clerk, deadline_text="Quý II/2018", content="Cải cách thể chế"
    )
    make_task(older, department, number="1", by=clerk, deadline_text="Quý I/2018", content="Cải cách TTHC")
    groups = found(staff, "cai cach").context["found"].groups
    # the plan entered last first, each plan's tasks in their written order
    assert [(group.plan, group.plan.year) for group in groups] == [(older, 2018), (plan, 2019)]
    assert [hit.item.number for hit in groups[0].tasks] == ["1", "2"]


def test_more_tasks_than_the_cap_are_counted_as_more(staff, clerk, plan, department, monkeypatch):
    monkeypatch.setattr("search.queries.COUNT_CAP", 3)
    for number in range(1, 6):
        make_task(plan, department, number=str(number), by=clerk, content=f"Cải cách thủ tục số {number}")
    response = found(staff, "cai cach")
    assert response.context["found"].more_tasks
    assert response.context["page"].paginator.count == 3
    assert "hơn 3</strong> nhiệm vụ" in response.content.decode()


def test_the_plans_and_the_legal_documents_are_found_too(staff, plan, reform_tasks):
    response = found(staff, "cai cach hanh chinh nam 2019")
    assert [hit.item for hit in response.context["found"].plans] == [plan]
    documents = found(staff, "2757").context["found"].documents
    assert [hit.item.number for hit in documents] == ["2757/QĐ-UBND"]
    assert [citing.pk for citing in documents[0].item.readable_citing] == [plan.pk]
    assert "<mark>2757</mark>" in found(staff, "2757").content.decode()


def test_another_agencys_tasks_plans_and_documents_never_appear(
    outsider, staff, plan, reform_tasks, other_task
):
    assert not found(outsider, "cai cach thu tuc").context["found"].groups
    assert [hit.item for hit in found(outsider, "cai cach").context["found"].plans] == [other_task.plan]
    assert not found(outsider, "2757").context["found"].documents  # cited by the other agency's plan only
    mine = [hit.item for group in found(staff, "ra soat").context["found"].groups for hit in group.tasks]
    assert other_task not in mine
    assert all(task.plan.agency_id == staff.agency_id for task in matching_tasks(staff, ["thu tuc"]))


def test_an_overseer_finds_the_issued_plans_of_the_province_never_a_draft(
    overseer, clerk, plan, draft_plan, department, reform_tasks, other_task
):
    hidden = make_task(
        draft_plan, department, number="1", by=clerk, content="Cải cách tài chính công dự thảo"
    )
    seen = {hit.item for group in found(overseer, "cai cach").context["found"].groups for hit in group.tasks}
    assert reform_tasks["tthc"] in seen
    assert hidden not in seen
    assert draft_plan not in list(matching_plans(overseer, ["cai cach"]))
    assert plan in list(matching_plans(overseer, ["cai cach"]))
    assert other_task in list(matching_tasks(overseer, ["ra soat"]))
    # the draft stays inside its agency: its clerk finds it
    assert hidden in list(matching_tasks(clerk, ["du thao"]))


def test_an_empty_or_too_short_query_explains_itself(staff):
    assert "Nhập nội dung cần tìm" in found(staff, "").content.decode()
    body = found(staff, "ab").content.decode()
    assert "quá ngắn để tìm" in body
    assert "ít nhất 3 chữ cái" in body
    assert "Không tìm thấy" in found(staff, "khong co gi ca").content.decode()


def test_results_are_paginated_with_a_count(staff, clerk, plan, department):
    for number in range(1, TASKS_PER_PAGE + 6):
        make_task(plan, department, number=str(number), by=clerk, content=f"Cải cách thủ tục số {number}")
    first = found(staff, "cai cach")
    assert first.context["page"].paginator.count == TASKS_PER_PAGE + 5
    assert sum(len(group.tasks) for group in first.context["found"].groups) == TASKS_PER_PAGE
    assert "trang 1/2" in first.content.decode()
    assert "q=cai+cach&amp;page=2" in first.content.decode()
    second = found(staff, "cai cach", page=2)
    assert sum(len(group.tasks) for group in second.context["found"].groups) == 5


def test_the_query_count_does_not_grow_with_the_results(
    staff, clerk, plan, department, django_assert_max_num_queries
):
    for number in range(1, 12):
        make_task(plan, department, number=str(number), by=clerk, content=f"Cải cách thủ tục số {number}")
    client = client_for(staff)
    # session, user, the notification bell's count, tasks counted and read, plans, documents and
    # the plans citing them
    with django_assert_max_num_queries(10):
        assert client.get(URL, {"q": "cai cach"}).status_code == 200


def test_the_navbar_has_the_search_box_for_agencies_and_overseers(staff, overseer):
    for user in (staff, overseer):
        body = client_for(user).get(reverse("profile")).content.decode()
        assert f'action="{URL}"' in body


def _plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram indexes exist on PostgreSQL only")
def test_on_postgresql_the_search_reads_the_trigram_indexes(staff, plan, department, reform_tasks):
    area = reform_tasks["tthc"].area
    Task.objects.bulk_create(
        Task(
            plan=plan,
            area=area,
            lead_department=department,
            number=f"9.{index}",
            sort_key=f"9.{index:05d}",
            content=f"Nhiệm vụ thường xuyên mã {index:05d} của lĩnh vực {index % 97}",
            search_text=fold(f"Nhiệm vụ thường xuyên mã {index:05d} của lĩnh vực {index % 97}"),
        )
        for index in range(3000)
    )
    with connection.cursor() as cursor:
        for table in ("tasks_task", "plans_plan", "plans_legaldocument"):
            cursor.execute(f"ANALYZE {table}")
        # Tables this small are cheaper to read whole (or, for one agency's tasks, through the plan's
        # index); what matters here is that the planner can read the trigram index for the expression
        # the queries filter with, which it could not for any other. The bench measures its choice on
        # the province's 33,000 tasks.
        cursor.execute("SET LOCAL enable_seqscan = off")
        tasks = _plan_of(Task.objects.filter(task_text_q(["cai cach"])).order_by())
        plans = _plan_of(plans_holding(Plan.objects.order_by(), ["cai cach"]))
        documents = _plan_of(documents_holding(LegalDocument.objects.order_by(), ["2757"]))
    assert "search_task_text_trgm" in tasks, tasks
    assert "search_plan_title_trgm" in plans, plans
    assert "search_document_number_trgm" in documents, documents
    assert "search_document_summary_trgm" in documents
