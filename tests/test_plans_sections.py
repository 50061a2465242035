"""The plan's page outlines the sections of its annex as written, each with its tasks counted and a
link to the task table filtered by it."""

import html
import re

import pytest
from django.urls import reverse

from tests.conftest import client_for, make_task
from tests.test_task_lists import in_section, make_sections


@pytest.fixture
def sections(plan, clerk):
    return make_sections(plan, clerk)


def outline(page: str) -> str:
    start = page.index(">", page.index('data-testid="section-outline"')) + 1
    part = page[start : page.index("</section>", start)]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part)).split())


def test_the_plan_page_outlines_its_sections_in_written_order_with_their_task_counts(
    leader, plan, sections, department
):
    in_section(plan, department, sections["III"], "1")
    in_section(plan, department, sections["III.1"], "1")
    in_section(plan, department, sections["III.1.1"], "1")
    in_section(plan, department, sections["III.1.1"], "2")
    in_section(plan, department, sections["V"], "2.10")
    page = client_for(leader).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert outline(page).startswith(
        "III. Cải cách thủ tục hành chính · 4 nhiệm vụ"  # with the tasks of the sections inside it
        " III.1. Kiểm soát thủ tục hành chính · 3 nhiệm vụ"
        " III.1.1. Rà soát, đơn giản hóa · 2 nhiệm vụ"
        " V. Cải cách chế độ công vụ · 1 nhiệm vụ"
        " IX. Công tác chỉ đạo, điều hành · chưa có nhiệm vụ"
    )
    url = reverse("tasks:plan_tasks", args=[plan.pk])
    assert f'href="{url}?section={sections["III.1"].pk}">3 nhiệm vụ</a>' in page
    assert "II. Nhiệm vụ theo các mục của kế hoạch" in page


def test_a_sub_section_is_listed_inside_its_parent(leader, plan, sections, department):
    in_section(plan, department, sections["III.1.1"], "1")
    page = client_for(leader).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    part = page[page.index('data-testid="section-outline"') :]
    parent = part.index("III. Cải cách thủ tục hành chính")
    inner = part.index("III.1. Kiểm soát thủ tục hành chính")
    closes = part.index("</li>", parent)
    assert parent < part.index('<ul class="list-unstyled mb-0 ms-4">', parent) < inner < closes


def test_tasks_outside_every_section_are_still_counted_by_area(leader, plan, sections, department):
    in_section(plan, department, sections["V"], "1")
    task = make_task(plan, department, number="7", area_position=1)
    page = client_for(leader).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    url = reverse("tasks:plan_tasks", args=[plan.pk])
    assert "Nhiệm vụ chưa xếp vào mục, theo lĩnh vực CCHC" in page
    assert f'href="{url}?area={task.area_id}">1 nhiệm vụ</a>' in page
    assert "Chưa có nhiệm vụ trong lĩnh vực này." not in page  # only the areas with such tasks


def test_a_plan_without_sections_lists_its_reform_areas(leader, task):
    page = client_for(leader).get(reverse("plans:detail", args=[task.plan_id])).content.decode()
    assert "II. Nhiệm vụ theo lĩnh vực CCHC" in page
    assert 'data-testid="section-outline"' not in page


def test_the_outline_costs_no_query_once_the_sections_are_in_the_cache(
    clerk, plan, sections, department, django_assert_num_queries
):
    in_section(plan, department, sections["III.1.1"], "1")
    client = client_for(clerk)
    client.get(reverse("plans:detail", args=[plan.pk]))
    # as tests/test_queries.py pins a plan's page: session, user, plan, the task counts, legal bases,
    # history; the areas and the sections come from the cache
    with django_assert_num_queries(6):
        page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "III.1.1. Rà soát, đơn giản hóa · 1 nhiệm vụ" in outline(page)
