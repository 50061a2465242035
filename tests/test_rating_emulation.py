"""The emulation page of a rating round through the test client: who sees it, the records
(registrations, initiatives, discipline) with their refusals, the departments' levels, the council, the
titles proposed with their reasons, the council's ballot, the leader's decision and its reopen, and the
page read-only once the titles are decided."""

import datetime
import html

import pytest
from django.urls import reverse

from accounts.models import Department
from ratings import services
from ratings.models import (
    Discipline,
    Initiative,
    Level,
    Nomination,
    Rating,
    Registration,
    Round,
    RoundEvent,
    Title,
    UnitLevel,
)
from tests.conftest import client_for

YEAR = 2025


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def flash(client, response) -> str:
    """The messages a redirect leaves, read on the page it leads to."""
    assert response.status_code == 302, response.status_code
    return text_of(client.get(response["Location"]))


@pytest.fixture
def round_(agency, department, staff, dept_head, clerk, leader):
    return services.round_create(agency=agency, year=YEAR, by=clerk)


def decide_all(round_, level=Level.HTT, **levels):
    """Every rating decided at `level`, or at levels[username]."""
    for rating in round_.ratings.select_related("person"):
        rating.status = Rating.Status.DECIDED
        rating.decided_level = levels.get(rating.person.username, level)
        rating.save(update_fields=["status", "decided_level"])


def url(name, pk):
    return reverse(f"ratings:{name}", args=[pk])


# Who sees the page ------------------------------------------------------------------------------------


def test_the_office_and_the_leaders_see_every_section(round_, clerk, leader):
    for user in (clerk, leader):
        response = client_for(user).get(url("emulation", round_.pk))
        assert response.status_code == 200
        page = text_of(response)
        for heading in (
            "Đăng ký thi đua",
            "Sáng kiến",
            "Kỷ luật",
            "Xếp loại tập thể",
            "Hội đồng thi đua, khen thưởng",
            "Xét danh hiệu",
            "Danh sách đề nghị",
            "Quyết định công nhận",
        ):
            assert heading in page
        assert reverse("ratings:detail", args=[round_.pk]) in page


def test_it_returns_403_to_a_staff_member_and_a_head(round_, staff, dept_head):
    assert client_for(staff).get(url("emulation", round_.pk)).status_code == 403
    assert client_for(dept_head).get(url("emulation", round_.pk)).status_code == 403
    response = client_for(staff).post(url("council", round_.pk), {"council_members": "5"})
    assert response.status_code == 403
    assert Round.objects.get(pk=round_.pk).council_members == 0


def test_it_returns_404_to_another_agency_and_an_overseer(round_, outsider, overseer):
    assert client_for(outsider).get(url("emulation", round_.pk)).status_code == 404
    assert client_for(overseer).get(url("emulation", round_.pk)).status_code == 404
    response = client_for(outsider).post(url("council", round_.pk), {"council_members": "5"})
    assert response.status_code == 404


def test_anonymous_visitors_go_to_the_login_page(round_):
    response = client_for(None).get(url("emulation", round_.pk))
    assert response.status_code == 302
    assert "login" in response["Location"] or "dang-nhap" in response["Location"]


def test_the_writes_refuse_get(round_, clerk):
    assert client_for(clerk).get(url("registration_add", round_.pk)).status_code == 405


def test_only_a_leader_decides_the_titles(round_, clerk):
    response = client_for(clerk).post(
        url("titles_decide", round_.pk), {"decision_number": "12/QĐ-SKHĐT", "decision_date": "20/12/2025"}
    )
    assert response.status_code == 403
    page = text_of(client_for(clerk).get(url("emulation", round_.pk)))
    assert 'id="decision-form"' not in page
    assert 'id="registration-form"' in page


# Records ----------------------------------------------------------------------------------------------


def test_a_clerk_registers_a_person_and_a_department(round_, clerk, staff, department):
    client = client_for(clerk)
    response = client.post(
        url("registration_add", round_.pk),
        {"person": staff.pk, "title": Title.CSTDCS, "registered_on": "10/01/2025"},
    )
    assert "Đã ghi đăng ký thi đua." in flash(client, response)
    response = client.post(
        url("registration_add", round_.pk),
        {"department": department.pk, "title": Title.TT_LDTT, "registered_on": "10/01/2025"},
    )
    assert response.status_code == 302
    rows = Registration.objects.filter(round=round_)
    assert rows.count() == 2
    page = text_of(client.get(url("emulation", round_.pk)))
    assert staff.full_name in page and "Tập thể Phòng Đăng ký kinh doanh" in page
    assert "Đăng ký: Chiến sĩ thi đua cơ sở" in page and "Đăng ký: Tập thể lao động tiên tiến" in page


def test_a_registration_is_refused_twice_for_a_foreign_person_or_a_wrong_date(round_, clerk, staff, outsider):
    client = client_for(clerk)
    Registration.objects.create(
        round=round_,
        person=staff,
        title=Title.LDTT,
        registered_on=datetime.date(2025, 1, 5),
        registered_by=clerk,
    )
    response = client.post(
        url("registration_add", round_.pk),
        {"person": staff.pk, "title": Title.CSTDCS, "registered_on": "10/01/2025"},
    )
    assert response.status_code == 200
    assert f"{staff.full_name} đã đăng ký thi đua trong năm 2025." in text_of(response)
    response = client.post(
        url("registration_add", round_.pk),
        {"person": outsider.pk, "title": Title.LDTT, "registered_on": "10/01/2025"},
    )
    assert "Người được chọn không thuộc cơ quan của đợt đánh giá." in text_of(response)
    response = client.post(
        url("registration_add", round_.pk),
        {"title": Title.LDTT, "registered_on": "10/01/2019"},
    )
    page = text_of(response)
    assert "Ngày đăng ký phải trong năm 2025 hoặc cuối năm 2024." in page
    assert Registration.objects.filter(round=round_).count() == 1


def test_a_person_registers_for_a_personal_title_only(round_, clerk, staff):
    response = client_for(clerk).post(
        url("registration_add", round_.pk),
        {"person": staff.pk, "title": Title.TT_LDXS, "registered_on": "10/01/2025"},
    )
    assert "Cá nhân đăng ký Lao động tiên tiến hoặc Chiến sĩ thi đua cơ sở." in text_of(response)
    assert not Registration.objects.exists()


def test_a_foreign_department_is_refused(round_, clerk, other_agency):
    foreign = Department.objects.create(agency=other_agency, code="KT", name="Phòng Kế toán")
    client = client_for(clerk)
    response = client.post(
        url("registration_add", round_.pk),
        {"department": foreign.pk, "title": Title.TT_LDTT, "registered_on": "10/01/2025"},
    )
    assert "Phòng được chọn không thuộc cơ quan của đợt đánh giá." in text_of(response)
    assert not Registration.objects.exists()
    response = client.post(url("unit_level", round_.pk), {"department": foreign.pk, "level": Level.HTT})
    assert "Phòng được chọn không thuộc cơ quan của đợt đánh giá." in flash(client, response)
    response = client.post(url("nominate", round_.pk), {"department": foreign.pk, "title": Title.TT_LDTT})
    assert "Phòng được chọn không thuộc cơ quan của đợt đánh giá." in flash(client, response)
    assert not UnitLevel.objects.exists() and not Nomination.objects.exists()


def test_a_clerk_records_an_initiative_of_the_year(round_, clerk, staff):
    client = client_for(clerk)
    response = client.post(
        url("initiative_add", round_.pk),
        {
            "person": staff.pk,
            "title": "Số hóa hồ sơ đăng ký doanh nghiệp",
            "recognised_on": "15/11/2025",
            "level": Initiative.Level.BASE,
            "decision": "45/QĐ-SKHĐT",
        },
    )
    assert "Đã ghi sáng kiến." in flash(client, response)
    initiative = Initiative.objects.get()
    assert initiative.agency_id == round_.agency_id and initiative.recorded_by == clerk
    assert "Số hóa hồ sơ đăng ký doanh nghiệp" in text_of(client.get(url("emulation", round_.pk)))


def test_an_initiative_outside_the_year_is_refused(round_, clerk, staff):
    response = client_for(clerk).post(
        url("initiative_add", round_.pk),
        {"person": staff.pk, "title": "Sáng kiến cũ", "recognised_on": "15/11/2019", "level": "base"},
    )
    assert response.status_code == 200
    assert "Ngày được công nhận phải trong năm 2025" in text_of(response)
    assert not Initiative.objects.exists()


def test_a_clerk_records_a_discipline_and_a_foreign_person_is_refused(round_, clerk, staff, outsider):
    client = client_for(clerk)
    response = client.post(
        url("discipline_add", round_.pk),
        {
            "person": staff.pk,
            "form": Discipline.Form.REPRIMAND,
            "decided_on": "01/06/2025",
            "decision": "7/QĐ",
        },
    )
    assert "Đã ghi kỷ luật." in flash(client, response)
    response = client.post(
        url("discipline_add", round_.pk),
        {"person": outsider.pk, "form": Discipline.Form.WARNING, "decided_on": "01/06/2025"},
    )
    assert "Người được chọn không thuộc cơ quan của đợt đánh giá." in text_of(response)
    response = client.post(
        url("discipline_add", round_.pk),
        {"person": staff.pk, "form": Discipline.Form.WARNING, "decided_on": "01/06/2030"},
    )
    assert "Ngày quyết định kỷ luật phải trong năm 2025" in text_of(response)
    assert Discipline.objects.count() == 1


# Unit levels, the council ------------------------------------------------------------------------------


def test_a_department_level_is_set_with_the_heads_level_as_a_hint(round_, clerk, dept_head, department):
    decide_all(round_, truongphong=Level.HTXS)
    client = client_for(clerk)
    page = text_of(client.get(url("emulation", round_.pk)))
    assert f"{dept_head.full_name}: Hoàn thành xuất sắc nhiệm vụ" in page
    response = client.post(
        url("unit_level", round_.pk),
        {
            "prefix": f"unit-{department.pk}",
            f"unit-{department.pk}-department": department.pk,
            f"unit-{department.pk}-level": Level.HTXS,
        },
    )
    assert "Đã ghi xếp loại tập thể của Phòng Đăng ký kinh doanh" in flash(client, response)
    assert UnitLevel.objects.get(department=department).level == Level.HTXS


def test_the_council_size_is_recorded_and_a_bad_one_refused(round_, clerk):
    client = client_for(clerk)
    response = client.post(url("council", round_.pk), {"council_members": "7"})
    assert "Hội đồng thi đua, khen thưởng có 7 thành viên." in flash(client, response)
    response = client.post(url("council", round_.pk), {"council_members": "0"})
    assert "Hội đồng có ít nhất 1 thành viên." in flash(client, response)
    assert Round.objects.get(pk=round_.pk).council_members == 7


# Nominations and the ballot ---------------------------------------------------------------------------


def test_the_page_shows_eligibility_with_reasons_and_a_button(round_, clerk, staff):
    decide_all(round_, chuyenvien=Level.HTXS)
    page = text_of(client_for(clerk).get(url("emulation", round_.pk)))
    assert "Xếp loại HTXS." in page
    assert "Hoàn thành xuất sắc nhiệm vụ." in page  # the reason for CSTĐCS
    assert "Chưa có xếp loại tập thể của phòng." in page
    assert f'name="person" value="{staff.pk}"' in page


def test_an_ineligible_nomination_is_refused_with_the_reasons(round_, clerk, staff):
    decide_all(round_, chuyenvien=Level.HTNV)
    client = client_for(clerk)
    response = client.post(url("nominate", round_.pk), {"person": staff.pk, "title": Title.LDTT})
    page = flash(client, response)
    assert "chưa đủ tiêu chuẩn Lao động tiên tiến" in page
    assert "Xếp loại HTNV" in page
    assert not Nomination.objects.exists()


def test_a_nomination_the_ballot_and_its_withdrawal(round_, clerk, staff):
    decide_all(round_, chuyenvien=Level.HTXS)
    services.set_council(round_, members=5)
    client = client_for(clerk)
    response = client.post(url("nominate", round_.pk), {"person": staff.pk, "title": Title.CSTDCS})
    assert f"Đã đề nghị Chiến sĩ thi đua cơ sở cho {staff.full_name}." in flash(client, response)
    nomination = Nomination.objects.get()
    response = client.post(url("ballot", nomination.pk), {f"ballot-{nomination.pk}-votes_for": "3"})
    page = flash(client, response)
    assert "3/5 thành viên đồng ý" in page and "chưa đạt 80 % tổng số thành viên" in page
    response = client.post(url("ballot", nomination.pk), {f"ballot-{nomination.pk}-votes_for": "9"})
    assert "Số phiếu đồng ý phải từ 0 đến 5" in flash(client, response)
    nomination.refresh_from_db()
    assert nomination.votes_for == 3
    response = client.post(url("ballot", nomination.pk), {f"ballot-{nomination.pk}-votes_for": "4"})
    assert "4/5 thành viên đồng ý" in flash(client, response)
    response = client.post(url("withdraw", nomination.pk))
    assert "Đã rút đề nghị Chiến sĩ thi đua cơ sở." in flash(client, response)
    assert not Nomination.objects.exists()


def test_another_agency_cannot_touch_a_nomination(round_, outsider, staff):
    decide_all(round_)
    nomination = services.nominate(round_, by=None, title=Title.LDTT, person=staff)
    assert client_for(outsider).post(url("withdraw", nomination.pk)).status_code == 404
    assert client_for(outsider).post(url("ballot", nomination.pk), {}).status_code == 404
    assert Nomination.objects.filter(pk=nomination.pk).exists()


# The decision -----------------------------------------------------------------------------------------


def test_a_cstdcs_under_80_percent_is_refused_at_the_decision(round_, leader, staff):
    decide_all(round_, chuyenvien=Level.HTXS)
    services.set_council(round_, members=5)
    nomination = services.nominate(round_, by=leader, title=Title.CSTDCS, person=staff)
    services.record_ballot(nomination, votes_for=3)
    response = client_for(leader).post(
        url("titles_decide", round_.pk), {"decision_number": "125/QĐ-SKHĐT", "decision_date": "20/12/2025"}
    )
    assert response.status_code == 200
    assert "3/5 phiếu, cần từ 80 % tổng số thành viên Hội đồng" in text_of(response)
    round_.refresh_from_db()
    assert not round_.titles_decided
    assert not Nomination.objects.filter(awarded=True).exists()


def test_a_leader_decides_the_titles_then_the_page_is_read_only_until_the_reopen(
    round_, leader, clerk, staff, department
):
    decide_all(round_, chuyenvien=Level.HTXS)
    services.set_council(round_, members=5)
    cstdcs = services.nominate(round_, by=clerk, title=Title.CSTDCS, person=staff)
    services.record_ballot(cstdcs, votes_for=4)
    services.nominate(round_, by=clerk, title=Title.LDTT, person=staff)
    client = client_for(leader)
    response = client.post(
        url("titles_decide", round_.pk), {"decision_number": "125/QĐ-SKHĐT", "decision_date": "20/12/2025"}
    )
    page = flash(client, response)
    assert "Đã quyết định công nhận 2 danh hiệu thi đua." in page
    assert "Quyết định số 125/QĐ-SKHĐT" in page
    for fmt in ("pdf", "docx", "xlsx"):
        assert reverse("ratings:decision_print", args=[round_.pk, fmt]) in page
    assert 'id="reopen-form"' in page
    assert 'id="registration-form"' not in page and 'name="person" value=' not in page
    assert Nomination.objects.filter(awarded=True).count() == 2

    office = client_for(clerk)
    response = office.post(
        url("registration_add", round_.pk),
        {"person": staff.pk, "title": Title.LDTT, "registered_on": "10/01/2025"},
    )
    assert "Danh hiệu thi đua của năm đã được quyết định" in flash(office, response)
    response = office.post(url("council", round_.pk), {"council_members": "9"})
    assert "Danh hiệu thi đua của năm đã được quyết định" in flash(office, response)
    response = office.post(url("withdraw", cstdcs.pk))
    assert "Danh hiệu thi đua của năm đã được quyết định" in flash(office, response)
    response = office.post(url("ballot", cstdcs.pk), {f"ballot-{cstdcs.pk}-votes_for": "5"})
    assert "Danh hiệu thi đua của năm đã được quyết định" in flash(office, response)
    response = office.post(url("unit_level", round_.pk), {"department": department.pk, "level": Level.HTT})
    assert "Danh hiệu thi đua của năm đã được quyết định" in flash(office, response)
    response = office.post(url("nominate", round_.pk), {"person": staff.pk, "title": Title.LDTT})
    assert "Danh hiệu thi đua của năm đã được quyết định" in flash(office, response)
    assert Nomination.objects.get(pk=cstdcs.pk).votes_for == 4
    assert not UnitLevel.objects.exists()
    response = office.post(
        url("initiative_add", round_.pk),
        {"person": staff.pk, "title": "Muộn", "recognised_on": "15/11/2025", "level": "base"},
    )
    assert response.status_code == 302
    assert not Registration.objects.exists() and not Initiative.objects.exists()
    assert Round.objects.get(pk=round_.pk).council_members == 5
    assert Nomination.objects.count() == 2

    response = client.post(url("titles_reopen", round_.pk), {"reason": ""})
    assert "Hãy ghi lý do mở lại." in text_of(response)
    assert Round.objects.get(pk=round_.pk).titles_decided
    response = client.post(url("titles_reopen", round_.pk), {"reason": "Sai tên người được công nhận."})
    assert "Đã mở lại danh hiệu thi đua của năm để sửa." in flash(client, response)
    round_.refresh_from_db()
    assert not round_.titles_decided
    assert RoundEvent.objects.filter(round=round_, kind=RoundEvent.Kind.REOPEN_TITLES).get().note == (
        "Sai tên người được công nhận."
    )
    assert not Nomination.objects.filter(awarded=True).exists()


def test_a_clerk_cannot_reopen(round_, clerk):
    assert client_for(clerk).post(url("titles_reopen", round_.pk), {"reason": "x"}).status_code == 403


def test_the_page_queries_do_not_grow_with_the_people(
    round_, clerk, leader, department, django_assert_max_num_queries
):
    from accounts.models import Role
    from tests.conftest import make_user

    decide_all(round_)
    client = client_for(leader)
    with django_assert_max_num_queries(40) as first:
        client.get(url("emulation", round_.pk))
    for index in range(6):
        person = make_user(f"nguoi{index}", Role.STAFF, department.agency, department)
        Rating.objects.create(
            round=round_,
            person=person,
            department=department,
            status=Rating.Status.DECIDED,
            decided_level=Level.HTT,
        )
        services.nominate(round_, by=leader, title=Title.LDTT, person=person)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url("emulation", round_.pk))
