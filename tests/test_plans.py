import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Agency
from plans import services
from plans.models import LegalDocument, Plan, PlanChange, ReformArea
from tests.conftest import client_for, make_plan


def plan_post_data(documents=(), **overrides):
    data = {
        "number": "21",
        "symbol": "KH-SKHĐT",
        "issued_on": "05/03/2020",
        "place_name": "Vĩnh Phúc",
        "year": "2020",
        "title": "Cải cách hành chính năm 2020 của Sở Kế hoạch và Đầu tư",
        "implements": "",
        "purpose": "Mục đích thử",
        "requirements": "Yêu cầu thử",
        "arrangements": "",
        "signing_authority": "KT.",
        "authority_title": "GIÁM ĐỐC",
        "signer_position": "PHÓ GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn Thành",
        "recipients": "UBND tỉnh (b/c)\nLưu: VT, VP.",
        "bases-TOTAL_FORMS": str(max(len(documents), 2)),
        "bases-INITIAL_FORMS": "0",
        "bases-MIN_NUM_FORMS": "0",
        "bases-MAX_NUM_FORMS": "1000",
        "new_doc-kind": "",
        "new_doc-number": "",
        "new_doc-issued_on": "",
        "new_doc-issuer": "",
        "new_doc-summary": "",
        "new_doc-use_as": "basis",
    }
    for index, document in enumerate(documents):
        data[f"bases-{index}-document"] = str(document.pk)
        data[f"bases-{index}-ORDER"] = ""
    data.update(overrides)
    return data


def test_the_clerk_creates_a_draft_plan_with_ordered_legal_bases(clerk, legal_documents):
    response = client_for(clerk).post(reverse("plans:create"), plan_post_data(legal_documents))
    plan = Plan.objects.get(number=21)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert plan.status == Plan.Status.DRAFT
    assert plan.agency == clerk.agency
    assert plan.issued_on == datetime.date(2020, 3, 5)
    assert plan.area_set.code == "NQ30C"
    assert [link.document for link in plan.basis_links.order_by("position")] == legal_documents
    assert plan.changes.get().action == "Tạo kế hoạch"


def test_a_2021_plan_uses_the_reform_areas_of_resolution_76(clerk):
    client_for(clerk).post(reverse("plans:create"), plan_post_data(year="2021", issued_on="12/01/2021"))
    plan = Plan.objects.get(number=21)
    assert plan.area_set.code == "NQ76"
    assert (
        list(plan.area_set.areas.values_list("name", flat=True))[0]
        == "Công tác chỉ đạo, điều hành cải cách hành chính"
    )


def test_the_order_column_reorders_the_legal_bases(clerk, legal_documents):
    data = plan_post_data(legal_documents)
    data.update({"bases-0-ORDER": "3", "bases-1-ORDER": "1", "bases-2-ORDER": "2"})
    client_for(clerk).post(reverse("plans:create"), data)
    plan = Plan.objects.get(number=21)
    assert [link.document for link in plan.basis_links.order_by("position")] == [
        legal_documents[1],
        legal_documents[2],
        legal_documents[0],
    ]


def test_a_number_already_used_this_year_is_refused_in_vietnamese_and_the_input_is_kept(clerk, plan):
    data = plan_post_data(number="14", issued_on="20/06/2019", year="2019", title="Tiêu đề tôi đã gõ")
    response = client_for(clerk).post(reverse("plans:create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Số 14/KH-SKHĐT đã được dùng" in page
    assert "Tiêu đề tôi đã gõ" in page
    assert Plan.objects.count() == 1


def test_the_same_number_is_free_again_in_a_new_year(clerk, plan):
    response = client_for(clerk).post(
        reverse("plans:create"), plan_post_data(number="14", issued_on="10/01/2020", year="2020")
    )
    assert response.status_code == 302
    assert Plan.objects.filter(number=14).count() == 2


def test_another_agency_may_use_the_same_number(outsider, plan):
    data = plan_post_data(number="14", issued_on="20/06/2019", year="2019", symbol="KH-STC")
    assert client_for(outsider).post(reverse("plans:create"), data).status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("issued_on", "2019-01-15", "Nhập ngày theo dạng dd/mm/yyyy"),
        ("issued_on", "31/02/2019", "Nhập ngày theo dạng dd/mm/yyyy"),
        ("number", "", "Nhập số của kế hoạch."),
        ("number", "0", "Số văn bản phải từ 1 trở lên."),
        ("title", "", "Nhập trích yếu của kế hoạch."),
        ("year", "2030", "Năm kế hoạch phải gần với năm ban hành"),
        ("authority_title", "", "cần chức vụ người đứng đầu"),
        ("recipients", "UBND tỉnh (b/c)\nSở Nội vụ", "Dòng cuối của nơi nhận phải là nơi lưu văn bản"),
    ],
)
def test_bad_input_gets_a_vietnamese_message_next_to_its_field(clerk, field, value, message):
    response = client_for(clerk).post(reverse("plans:create"), plan_post_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Plan.objects.exists()


def test_a_legal_document_chosen_twice_is_refused(clerk, legal_documents):
    response = client_for(clerk).post(
        reverse("plans:create"), plan_post_data([legal_documents[0], legal_documents[0]])
    )
    assert "được chọn hai lần" in response.content.decode()
    assert not Plan.objects.exists()


def test_the_clerk_adds_a_new_legal_document_without_leaving_the_plan_form(clerk, legal_documents):
    data = plan_post_data(legal_documents[:1])
    data.update(
        {
            "new_doc-kind": "decision",
            "new_doc-number": "3674/QĐ-UBND",
            "new_doc-issued_on": "22/12/2015",
            "new_doc-issuer": "UBND tỉnh Vĩnh Phúc",
            "new_doc-summary": "ban hành Kế hoạch CCHC nhà nước tỉnh Vĩnh Phúc giai đoạn 2016 - 2020",
        }
    )
    client_for(clerk).post(reverse("plans:create"), data)
    plan = Plan.objects.get(number=21)
    added = LegalDocument.objects.get(number="3674/QĐ-UBND")
    assert [link.document for link in plan.basis_links.order_by("position")] == [legal_documents[0], added]


def test_the_new_legal_document_can_be_the_plan_being_implemented(clerk):
    data = plan_post_data(
        **{
            "new_doc-kind": "plan",
            "new_doc-number": "10041/KH-UBND",
            "new_doc-issued_on": "17/12/2018",
            "new_doc-issuer": "UBND tỉnh Vĩnh Phúc",
            "new_doc-use_as": "implements",
        }
    )
    client_for(clerk).post(reverse("plans:create"), data)
    assert Plan.objects.get(number=21).implements.number == "10041/KH-UBND"


def test_a_half_filled_new_legal_document_is_refused_and_nothing_is_saved(clerk):
    response = client_for(clerk).post(
        reverse("plans:create"), plan_post_data(**{"new_doc-number": "99/QĐ-UBND"})
    )
    page = response.content.decode()
    assert "Nhập cơ quan ban hành." in page
    assert "Chọn loại văn bản." in page
    assert not Plan.objects.exists()
    assert not LegalDocument.objects.filter(number="99/QĐ-UBND").exists()


def test_a_known_legal_document_is_reused_instead_of_duplicated(clerk, legal_documents):
    data = plan_post_data(
        **{
            "new_doc-kind": "resolution",
            "new_doc-number": "30c/NQ-CP",
            "new_doc-issued_on": "08/11/2011",
            "new_doc-issuer": "Chính phủ",
        }
    )
    client_for(clerk).post(reverse("plans:create"), data)
    assert LegalDocument.objects.filter(number="30c/NQ-CP").count() == 1
    assert Plan.objects.get(number=21).basis_links.get().document == legal_documents[0]


def test_issuing_locks_the_number_date_and_signer(clerk, draft_plan):
    client = client_for(clerk)
    client.post(reverse("plans:issue", args=[draft_plan.pk]))
    draft_plan.refresh_from_db()
    assert draft_plan.status == Plan.Status.ISSUED
    data = plan_post_data(
        [draft_plan.basis_links.get().document],
        number="99",
        issued_on="01/02/2019",
        signer_name="Người Khác",
        year="2019",
        title="Tiêu đề mới",
    )
    response = client.post(reverse("plans:update", args=[draft_plan.pk]), data)
    assert response.status_code == 302
    draft_plan.refresh_from_db()
    assert (draft_plan.number, draft_plan.issued_on, draft_plan.signer_name) == (
        20,
        datetime.date(2019, 1, 15),
        "Nguyễn Văn Thành",
    )
    assert draft_plan.title == "Tiêu đề mới"


def test_edits_are_recorded_with_who_when_and_what(clerk, plan):
    data = plan_post_data(
        list(plan.legal_bases.order_by("basis_links__position")),
        number="14",
        issued_on="15/01/2019",
        year="2019",
        purpose="Mục đích đã sửa",
    )
    client_for(clerk).post(reverse("plans:update", args=[plan.pk]), data)
    change = PlanChange.objects.filter(plan=plan, action="Sửa kế hoạch").get()
    assert change.changed_by == clerk
    fields = {item["field"]: item for item in change.changes}
    assert fields["mục đích"]["new"] == "Mục đích đã sửa"
    detail = client_for(clerk).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Mục đích đã sửa" in detail
    assert "Sửa kế hoạch" in detail


def test_a_plan_without_signer_cannot_be_issued(clerk, agency, legal_documents):
    unsigned = make_plan(agency, number=3, documents=legal_documents, signer_name="")
    response = client_for(clerk).post(reverse("plans:issue", args=[unsigned.pk]), follow=True)
    assert "thiếu người ký và chức vụ" in response.content.decode()
    unsigned.refresh_from_db()
    assert unsigned.status == Plan.Status.DRAFT


def test_closing_an_issued_plan_stops_edits(clerk, plan):
    client = client_for(clerk)
    client.post(reverse("plans:close", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED
    response = client.get(reverse("plans:update", args=[plan.pk]), follow=True)
    assert "Kế hoạch đã kết thúc, không thể sửa." in response.content.decode()


def test_the_detail_page_shows_the_official_reference_and_date_line(leader, plan):
    page = client_for(leader).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Số: 14/KH-SKHĐT" in page
    assert "Vĩnh Phúc, ngày 15 tháng 01 năm 2019" in page
    assert page.index("30c/NQ-CP") < page.index("36a/NQ-CP") < page.index("2757/QĐ-UBND")
    assert "I. Công tác chỉ đạo, điều hành cải cách hành chính" in page


def test_the_plan_list_shows_the_year_asked_for(staff, agency, plan):
    make_plan(agency, number=2, year=2020, issued_on=datetime.date(2020, 1, 10))
    client = client_for(staff)
    assert "14/KH-SKHĐT" in client.get(reverse("plans:list") + "?year=2019").content.decode()
    page_2020 = client.get(reverse("plans:list") + "?year=2020").content.decode()
    assert "02/KH-SKHĐT" in page_2020
    assert "14/KH-SKHĐT" not in page_2020


def test_the_plan_list_never_shows_another_agencys_plans(staff, plan, other_plan):
    page = client_for(staff).get(reverse("plans:list") + "?year=2019").content.decode()
    assert "09/KH-STC" not in page


def test_an_overseer_picks_an_agency_and_reads_its_plans(overseer, plan, other_plan):
    client = client_for(overseer)
    picker = client.get(reverse("plans:list")).content.decode()
    assert "Sở Kế hoạch và Đầu tư tỉnh Vĩnh Phúc" in picker
    assert "Sở Tài chính tỉnh Vĩnh Phúc" in picker
    page = client.get(reverse("plans:list") + f"?agency={plan.agency_id}&year=2019").content.decode()
    assert "14/KH-SKHĐT" in page
    assert "Tạo kế hoạch" not in page


def test_a_foreign_agency_in_the_query_string_is_404(staff, other_plan):
    assert client_for(staff).get(reverse("plans:list") + f"?agency={other_plan.agency_id}").status_code == 404
    assert client_for(staff).get(reverse("plans:list") + "?agency=abc").status_code == 404


def test_an_overseer_of_another_province_sees_nothing(db, plan):
    from accounts.models import Agency, Role
    from tests.conftest import make_user

    elsewhere = Agency.objects.create(
        code="SNVBN", name="Sở Nội vụ tỉnh Bắc Ninh", short_name="Sở Nội vụ", place_name="Bắc Ninh"
    )
    stranger = make_user("snvbn", Role.OVERSEER, elsewhere)
    client = client_for(stranger)
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    assert "Sở Kế hoạch" not in client.get(reverse("plans:list")).content.decode()


def test_the_front_door_sends_people_to_their_work_and_overseers_to_the_plans(staff, overseer):
    assert client_for(staff).get("/")["Location"] == reverse("tasks:mine")
    assert client_for(overseer).get("/")["Location"] == reverse("plans:list")


# Every write of a plan goes through plans.services.record_change ----------------------------------------


def data_version(agency) -> int:
    return Agency.objects.values_list("data_version", flat=True).get(pk=agency.pk)


def test_every_plan_write_is_recorded_and_counts_its_agency_once(clerk, agency, legal_documents):
    steps = [
        (
            "Tạo kế hoạch",
            lambda plan: services.plan_create(
                agency=agency,
                by=clerk,
                legal_bases=legal_documents[:1],
                number=30,
                symbol="KH-SKHĐT",
                issued_on=datetime.date(2019, 3, 1),
                place_name="Vĩnh Phúc",
                year=2019,
                title="Kế hoạch thử",
                signer_position="GIÁM ĐỐC",
                signer_name="Nguyễn Văn Thành",
                recipients="UBND tỉnh (b/c)\nLưu: VT, VP.",
            ),
        ),
        ("Sửa kế hoạch", lambda plan: services.plan_update(plan=plan, by=clerk, legal_bases=legal_documents)),
        ("Ban hành kế hoạch", lambda plan: services.plan_issue(plan=plan, by=clerk)),
        ("Kết thúc kế hoạch", lambda plan: services.plan_close(plan=plan, by=clerk)),
    ]
    plan = None
    for action, write in steps:
        version = data_version(agency)
        plan = write(plan)
        assert plan.changes.first().action == action
        assert data_version(agency) == version + 1, action
    assert plan.changes.count() == 4
    basis = plan.changes.get(action="Sửa kế hoạch").changes
    assert basis[0]["field"] == "căn cứ" and "36a/NQ-CP" in basis[0]["new"]


def test_an_edit_that_changes_nothing_records_and_counts_nothing(clerk, plan):
    version = data_version(plan.agency)
    services.plan_update(plan=plan, by=clerk, title=plan.title)
    assert not plan.changes.exists()
    assert data_version(plan.agency) == version


@pytest.mark.parametrize("persona", ["leader", "staff", "dept_head", "overseer", "outsider"])
def test_only_the_agencys_clerks_write_its_plans(request, persona, draft_plan):
    somebody = request.getfixturevalue(persona)
    version = data_version(draft_plan.agency)
    for write in (
        lambda: services.plan_update(plan=draft_plan, by=somebody, title="Tiêu đề khác"),
        lambda: services.plan_issue(plan=draft_plan, by=somebody),
        lambda: services.plan_create(agency=draft_plan.agency, by=somebody, number=40, year=2019),
    ):
        with pytest.raises(PermissionDenied):
            write()
    draft_plan.refresh_from_db()
    assert (draft_plan.status, draft_plan.changes.count()) == (Plan.Status.DRAFT, 0)
    assert data_version(draft_plan.agency) == version


def test_a_saved_reform_area_counts_every_agency_whose_plans_use_its_set(plan, other_plan, overseer_agency):
    make_plan(overseer_agency, number=2, year=2021, issued_on=datetime.date(2021, 1, 5))  # another set
    before = {agency.pk: data_version(agency) for agency in (plan.agency, other_plan.agency, overseer_agency)}
    area = ReformArea.objects.filter(area_set=plan.area_set).first()
    area.name = "Cải cách thể chế, pháp chế"
    services.reform_area_save(area=area)
    after = {agency.pk: data_version(agency) for agency in (plan.agency, other_plan.agency, overseer_agency)}
    assert after == {
        plan.agency_id: before[plan.agency_id] + 1,
        other_plan.agency_id: before[other_plan.agency_id] + 1,
        overseer_agency.pk: before[overseer_agency.pk],
    }


# The province's overseer reads issued and closed plans only: a draft stays inside its agency.


@pytest.fixture
def closed_plan(agency):
    return make_plan(agency, number=30, status=Plan.Status.CLOSED)


@pytest.fixture
def draft_task(draft_plan, department, clerk):
    from tests.conftest import make_task

    return make_task(draft_plan, department, by=clerk, content="Nhiệm vụ của bản dự thảo")


def _plan_pages(plan) -> list[str]:
    return [
        reverse("plans:detail", args=[plan.pk]),
        reverse("tasks:plan_tasks", args=[plan.pk]),
        reverse("tasks:export", args=[plan.pk]),
        reverse("dashboards:plan", args=[plan.pk]),
        reverse("plans:print", args=[plan.pk, "docx"]),
    ]


def test_an_overseer_never_reaches_an_agencys_draft_plan(overseer, draft_plan, draft_task):
    client = client_for(overseer)
    for url in [*_plan_pages(draft_plan), reverse("tasks:detail", args=[draft_task.pk])]:
        assert client.get(url).status_code == 404, url


def test_an_overseer_reads_issued_and_closed_plans(overseer, plan, closed_plan):
    client = client_for(overseer)
    for url in [*_plan_pages(plan), *_plan_pages(closed_plan)]:
        assert client.get(url).status_code == 200, url


def test_the_overseers_plan_list_leaves_the_drafts_out(overseer, plan, draft_plan, closed_plan):
    client = client_for(overseer)
    page = client.get(reverse("plans:list"), {"agency": plan.agency_id, "year": 2019}).content.decode()
    assert "14/KH-SKHĐT" in page
    assert "30/KH-SKHĐT" in page
    assert "20/KH-SKHĐT" not in page
    picker = client.get(reverse("plans:list")).context["agencies"]
    assert {agency.pk: agency.plan_count for agency in picker}[plan.agency_id] == 2


def test_a_draft_stays_readable_inside_its_agency(staff, clerk, leader, draft_plan, draft_task):
    for user in (staff, clerk, leader):
        client = client_for(user)
        assert client.get(reverse("plans:detail", args=[draft_plan.pk])).status_code == 200
        assert client.get(reverse("tasks:detail", args=[draft_task.pk])).status_code == 200
        page = client.get(reverse("plans:list"), {"year": 2019}).content.decode()
        assert "20/KH-SKHĐT" in page
