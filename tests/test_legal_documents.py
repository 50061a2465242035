"""What one agency types into its legal documents never changes what another agency reads or prints:
each agency has its own record of a document, even of the same number and date."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from plans import services
from plans.models import LegalDocument, Plan
from search.queries import search
from tasks.documents import build_plan_document
from tests.conftest import client_for, make_plan
from tests.test_plans import plan_post_data

NUMBER, ISSUED_ON = "1291/QĐ-TTg", "07/10/2019"
STC_SUMMARY = "về việc phê duyệt đề án của Bộ Tài chính (văn bản Sở Tài chính nhập)"
SKHDT_SUMMARY = "phê duyệt danh mục dự án đầu tư công (văn bản Sở Kế hoạch và Đầu tư nhập)"


def with_new_document(issuer, summary, **overrides):
    return plan_post_data(
        **{
            "new_doc-kind": "decision",
            "new_doc-number": NUMBER,
            "new_doc-issued_on": ISSUED_ON,
            "new_doc-issuer": issuer,
            "new_doc-summary": summary,
            **overrides,
        }
    )


@pytest.fixture
def two_plans(clerk, outsider):
    """Sở Tài chính enters 1291/QĐ-TTg with its issuer and summary; Sở KH&ĐT then types the same
    number and date with its own (the reported case)."""
    stc = client_for(outsider).post(
        reverse("plans:create"),
        with_new_document(
            "Thủ tướng Chính phủ", STC_SUMMARY, symbol="KH-STC", title="Cải cách hành chính của Sở Tài chính"
        ),
    )
    skhdt = client_for(clerk).post(
        reverse("plans:create"), with_new_document("Thủ tướng Chính phủ (bản Sở KH&ĐT)", SKHDT_SUMMARY)
    )
    assert (stc.status_code, skhdt.status_code) == (302, 302)
    return Plan.objects.get(agency=clerk.agency), Plan.objects.get(agency=outsider.agency)


def test_each_agency_keeps_its_own_record_of_the_same_number_and_date(two_plans):
    mine, theirs = two_plans
    assert LegalDocument.objects.filter(number=NUMBER).count() == 2
    assert mine.basis_links.get().document.agency == mine.agency
    assert theirs.basis_links.get().document.agency == theirs.agency
    assert theirs.basis_links.get().document.summary == STC_SUMMARY  # unchanged by the second entry


def test_each_plan_prints_its_own_text(two_plans):
    mine, theirs = two_plans
    printed_mine = " ".join(build_plan_document(mine).legal_bases)
    printed_theirs = " ".join(build_plan_document(theirs).legal_bases)
    assert SKHDT_SUMMARY in printed_mine and STC_SUMMARY not in printed_mine
    assert STC_SUMMARY in printed_theirs and SKHDT_SUMMARY not in printed_theirs


def test_editing_one_agencys_record_leaves_the_other_plan_as_printed(two_plans):
    mine, theirs = two_plans
    before = build_plan_document(theirs).legal_bases
    document = mine.basis_links.get().document
    document.summary = "trích yếu đã sửa"
    document.save()
    assert build_plan_document(theirs).legal_bases == before


def test_the_agencys_own_record_is_still_reused(two_plans, clerk):
    client_for(clerk).post(
        reverse("plans:create"), with_new_document("Ai đó", "Khác", number="22", title="Kế hoạch khác")
    )
    assert LegalDocument.objects.filter(number=NUMBER, agency=clerk.agency).count() == 1
    second = Plan.objects.get(agency=clerk.agency, number=22)
    assert (
        second.basis_links.get().document
        == Plan.objects.get(agency=clerk.agency, number=21).legal_bases.get()
    )


def test_the_plan_form_offers_the_agencys_own_documents_only(two_plans, clerk):
    mine, theirs = two_plans
    page = client_for(clerk).get(reverse("plans:create"))
    offered = {str(choice[0]) for choice in page.context["form"].fields["implements"].choices}
    assert str(mine.basis_links.get().document_id) in offered
    assert str(theirs.basis_links.get().document_id) not in offered
    basis_choices = page.context["bases"].forms[0].fields["document"].queryset
    assert set(basis_choices) == {mine.basis_links.get().document}


def test_another_agencys_document_posted_as_a_basis_is_refused_and_nothing_is_saved(two_plans, clerk):
    _mine, theirs = two_plans
    foreign = theirs.basis_links.get().document
    response = client_for(clerk).post(
        reverse("plans:create"), plan_post_data([foreign], number="30", title="Kế hoạch thử")
    )
    assert response.status_code == 200
    assert not Plan.objects.filter(agency=clerk.agency, number=30).exists()


def test_the_service_refuses_another_agencys_document(two_plans, clerk, agency):
    _mine, theirs = two_plans
    foreign = theirs.basis_links.get().document
    fields = {
        "number": 31,
        "symbol": "KH-SKHĐT",
        "issued_on": datetime.date(2020, 3, 5),
        "place_name": "Vĩnh Phúc",
        "year": 2020,
        "title": "Kế hoạch thử",
    }
    with pytest.raises(ValidationError, match="danh mục văn bản của cơ quan"):
        services.plan_create(agency=agency, by=clerk, legal_bases=[foreign], **fields)
    with pytest.raises(ValidationError, match="danh mục văn bản của cơ quan"):
        services.plan_create(agency=agency, by=clerk, implements=foreign, **fields)
    assert not Plan.objects.filter(number=31).exists()


def test_a_clerk_of_another_agency_cannot_add_to_this_agencys_list(agency, outsider):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.legal_document_create(
            agency=agency,
            by=outsider,
            kind="decision",
            number="5/QĐ-UBND",
            issued_on=datetime.date(2020, 1, 2),
            issuer="UBND tỉnh",
        )
    assert not LegalDocument.objects.filter(number="5/QĐ-UBND").exists()


# The search box ----------------------------------------------------------------------------------


@pytest.fixture
def issued_pair(agency, other_agency):
    def own(agency, summary):
        return LegalDocument.objects.create(
            agency=agency,
            kind="decision",
            number=NUMBER,
            issued_on=datetime.date(2019, 10, 7),
            issuer="Thủ tướng Chính phủ",
            summary=summary,
        )

    mine = make_plan(agency, documents=[own(agency, SKHDT_SUMMARY)], status=Plan.Status.ISSUED)
    theirs = make_plan(
        other_agency, number=9, documents=[own(other_agency, STC_SUMMARY)], status=Plan.Status.ISSUED
    )
    return mine, theirs


def found_documents(user, query="1291"):
    return {(hit.item.agency_id, hit.item.summary) for hit in search(user, query).documents}


def test_the_search_finds_the_agencys_own_record_only(issued_pair, staff, outsider):
    mine, theirs = issued_pair
    assert found_documents(staff) == {(mine.agency_id, SKHDT_SUMMARY)}
    assert found_documents(outsider) == {(theirs.agency_id, STC_SUMMARY)}
    [hit] = search(staff, "1291").documents
    assert [plan.pk for plan in hit.item.readable_citing] == [mine.pk]


def test_the_search_does_not_find_another_agencys_wording(issued_pair, staff):
    assert not search(staff, "Bộ Tài chính").documents


def test_the_overseer_finds_each_agencys_record_of_issued_plans(issued_pair, overseer):
    mine, theirs = issued_pair
    assert found_documents(overseer) == {(mine.agency_id, SKHDT_SUMMARY), (theirs.agency_id, STC_SUMMARY)}
    Plan.objects.filter(pk=theirs.pk).update(status=Plan.Status.DRAFT)
    assert found_documents(overseer) == {(mine.agency_id, SKHDT_SUMMARY)}


# The migration -----------------------------------------------------------------------------------

BEFORE = [("plans", "0004_plan_addressees_issued_snapshot")]
AFTER = [("plans", "0007_legal_document_agency_required")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.migrate(targets).apps  # every other app as the database holds it


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_each_agency_its_own_copy_and_every_plan_prints_the_same():
    old = migrate(BEFORE)
    try:
        Agency = old.get_model("accounts", "Agency")
        Document = old.get_model("plans", "LegalDocument")
        OldPlan = old.get_model("plans", "Plan")
        Basis = old.get_model("plans", "PlanLegalBasis")
        area_set = old.get_model("plans", "ReformAreaSet").objects.get(
            first_year__lte=2019, last_year__gte=2019
        )
        stc = Agency.objects.create(
            code="STC", name="Sở Tài chính", short_name="Sở Tài chính", place_name="VP"
        )
        skhdt = Agency.objects.create(code="SKHĐT", name="Sở KH&ĐT", short_name="Sở KH&ĐT", place_name="VP")
        shared = Document.objects.create(
            kind="decision",
            number=NUMBER,
            issued_on=datetime.date(2019, 10, 7),
            issuer="TTg",
            summary=STC_SUMMARY,
        )
        province_plan = Document.objects.create(
            kind="plan", number="10041/KH-UBND", issued_on=datetime.date(2018, 12, 17), issuer="UBND tỉnh"
        )
        unused = Document.objects.create(
            kind="decision", number="1/QĐ-UBND", issued_on=datetime.date(2019, 1, 2), issuer="UBND tỉnh"
        )
        plans = {}
        for agency, number in ((stc, 9), (skhdt, 14)):  # Sở Tài chính entered it first
            plans[agency.code] = OldPlan.objects.create(
                agency=agency,
                number=number,
                symbol=f"KH-{agency.code}",
                issued_on=datetime.date(2019, 1, 15),
                year=2019,
                title="Cải cách hành chính năm 2019",
                area_set=area_set,
                implements=province_plan,
            )
            Basis.objects.create(plan=plans[agency.code], document=shared, position=1)
        only_stc = Document.objects.create(
            kind="decision", number="2/QĐ-STC", issued_on=datetime.date(2019, 1, 3), issuer="Sở Tài chính"
        )
        Basis.objects.create(plan=plans["STC"], document=only_stc, position=2)
    finally:
        migrate(AFTER)

    stc_plan, skhdt_plan = Plan.objects.get(pk=plans["STC"].pk), Plan.objects.get(pk=plans["SKHĐT"].pk)
    stc_bases = [link.document for link in stc_plan.basis_links.order_by("position")]
    skhdt_bases = [link.document for link in skhdt_plan.basis_links.order_by("position")]
    assert [document.pk for document in stc_bases] == [shared.pk, only_stc.pk]  # the first agency keeps them
    assert skhdt_bases[0].pk != shared.pk and skhdt_bases[0].agency_id == skhdt.pk
    assert skhdt_bases[0].citation() == stc_bases[0].citation()  # prints what it printed
    assert {document.agency_id for document in stc_bases} == {stc.pk}
    assert stc_plan.implements.agency_id == stc.pk and skhdt_plan.implements.agency_id == skhdt.pk
    assert stc_plan.implements.citation() == skhdt_plan.implements.citation()
    assert set(LegalDocument.objects.filter(number=unused.number).values_list("agency_id", flat=True)) == {
        stc.pk,
        skhdt.pk,
    }
    assert LegalDocument.objects.count() == 2 + 2 + 2 + 1
