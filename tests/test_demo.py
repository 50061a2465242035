import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Agency, Department, Role, User
from plans.models import LegalDocument, Plan, PlanLegalBasis


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.DEMO_ALLOWED = True
    settings.DEMO_PASSWORD = "demo-pass-123"
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=StringIO())


def snapshot():
    models = [Agency, Department, User, LegalDocument, Plan, PlanLegalBasis]
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in models}


def test_loading_twice_leaves_the_same_data(demo):
    before = snapshot()
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == before


def test_the_seed_plan_has_the_facts_of_the_article(demo):
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


def test_there_is_one_demo_user_per_role_who_can_log_in(demo):
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
        assert Client().login(username=username, password="demo-pass-123")


def test_a_second_agency_of_the_province_is_isolated(demo):
    clerk = User.objects.get(username="vanthu")
    assert Agency.objects.filter(parent__code="UBND").count() >= 3
    client = Client()
    client.force_login(clerk)
    foreign = Plan.objects.get(agency__code="STC")
    assert client.get(f"/ke-hoach/{foreign.pk}/").status_code == 404


def test_the_demo_is_refused_under_production_settings(db, settings):
    settings.DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="sản xuất"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_a_generated_password_is_kept_between_runs(db, settings, tmp_path):
    settings.DEMO_ALLOWED = True
    settings.DEMO_PASSWORD = None
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=StringIO())
    first = (tmp_path / "demo-password.txt").read_text().strip()
    call_command("load_demo", stdout=StringIO())
    assert (tmp_path / "demo-password.txt").read_text().strip() == first
    assert Client().login(username="vanthu", password=first)
