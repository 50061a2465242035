"""Query counts of list and detail pages are pinned and do not grow with the data."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import LegalDocument, PlanChange
from tests.conftest import client_for, make_plan


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_plan_list_queries_do_not_grow_with_plans(clerk, agency):
    client = client_for(clerk)
    url = reverse("plans:list") + "?year=2019"
    make_plan(agency, number=1)
    few = count_queries(client, url)
    for number in range(2, 30):
        make_plan(agency, number=number)
    assert count_queries(client, url) == few


def test_plan_list_query_count_is_pinned(clerk, agency, django_assert_num_queries):
    make_plan(agency, number=1)
    client = client_for(clerk)
    client.get(reverse("plans:list"))  # the session and user are loaded once per request either way
    with django_assert_num_queries(5):
        client.get(reverse("plans:list") + "?year=2019")


def test_plan_detail_queries_do_not_grow_with_legal_bases_or_history(clerk, agency, legal_documents):
    client = client_for(clerk)
    small = make_plan(agency, number=1, documents=legal_documents[:1])
    client.get(reverse("plans:detail", args=[small.pk]))  # the reform areas now in the cache
    few = count_queries(client, reverse("plans:detail", args=[small.pk]))
    extra = [
        LegalDocument.objects.create(
            agency=agency,
            kind="decision",
            number=f"{n}/QĐ-UBND",
            issued_on=datetime.date(2018, 1, n),
            issuer="UBND tỉnh",
        )
        for n in range(1, 20)
    ]
    big = make_plan(agency, number=2, documents=legal_documents + extra)
    PlanChange.objects.bulk_create(
        PlanChange(plan=big, changed_by=clerk, action="Sửa kế hoạch", changes=[]) for _ in range(40)
    )
    assert count_queries(client, reverse("plans:detail", args=[big.pk])) == few


def test_plan_detail_query_count_is_pinned(clerk, plan, django_assert_num_queries):
    client = client_for(clerk)
    # session, user, plan, the number of its tasks in each reform area (the areas themselves come from
    # the cache, filled by the first request), legal bases, history
    client.get(reverse("plans:detail", args=[plan.pk]))
    with django_assert_num_queries(6):
        client.get(reverse("plans:detail", args=[plan.pk]))


def test_overseer_agency_picker_queries_do_not_grow_with_agencies(
    overseer, province, django_assert_max_num_queries
):
    from accounts.models import Agency

    client = client_for(overseer)
    few = count_queries(client, reverse("plans:list"))
    for n in range(15):
        Agency.objects.create(
            code=f"S{n:02d}",
            name=f"Sở số {n}",
            short_name=f"Sở số {n}",
            place_name="Vĩnh Phúc",
            parent=province,
        )
    assert count_queries(client, reverse("plans:list")) == few
