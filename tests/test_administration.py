"""The agency administration (Quản lý): users, departments and agencies without the Django admin."""

import re

import pytest
from django.contrib.admin.utils import label_for_field
from django.test import Client
from django.urls import reverse

from accounts.models import AccountEvent, Agency, Department, Role, User
from tasks.forms_detail import LeadForm
from tasks.models import TaskEvent
from tests.conftest import PASSWORD, client_for, make_task, make_user, signs_in

Kind = AccountEvent.Kind
NEW_PASSWORD = "mat-khau-moi-2026!"


@pytest.fixture
def agency_admin(office):
    """An administrator of the demo agency only (not a superuser, not the province's)."""
    return make_user("quantriso", Role.ADMIN, office.agency, office, full_name="Lê Văn Quản")


@pytest.fixture
def province_admin(province):
    return make_user("quantritinh", Role.ADMIN, province, full_name="Trần Thị Tỉnh")


@pytest.fixture
def other_admin(outsider):
    return make_user("quantristc", Role.ADMIN, outsider.agency, outsider.department)


def link_on(response) -> str:
    return re.search(r'value="(https?://[^"]+/quen-mat-khau/[^"]+)"', response.content.decode()).group(1)


def set_password_with(url: str, password=NEW_PASSWORD):
    client = Client()
    form_page = client.get(re.sub(r"^https?://[^/]+", "", url), follow=True)
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    return client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}, follow=True
    )


def new_user_data(into, **extra):
    data = {
        "username": "chuyenvienmoi",
        "full_name": "Nguyễn Thị Mới",
        "email": "moi@skhdt.gov.vn",
        "position": "Chuyên viên",
        "department": into.pk,
        "role": Role.STAFF,
    }
    data.update(extra)
    return data


# Users -------------------------------------------------------------------------------------------


def test_the_list_shows_the_agency_users_only(agency_admin, staff, outsider, dept_head):
    page = client_for(agency_admin).get(reverse("administration:users")).content.decode()
    assert staff.full_name in page and dept_head.full_name in page
    assert outsider.full_name not in page


def test_the_list_filters_by_department_role_and_state(agency_admin, staff, dept_head, clerk):
    client = client_for(agency_admin)
    url = reverse("administration:users")
    by_department = client.get(url, {"department": staff.department_id}).content.decode()
    assert staff.full_name in by_department and clerk.full_name not in by_department
    by_role = client.get(url, {"role": Role.DEPT_HEAD}).content.decode()
    assert dept_head.full_name in by_role and staff.full_name not in by_role
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    locked = client.get(url, {"active": "0"}).content.decode()
    assert staff.full_name in locked and dept_head.full_name not in locked


def test_the_list_reads_a_fixed_number_of_queries(agency_admin, department, django_assert_max_num_queries):
    client = client_for(agency_admin)
    client.get(reverse("administration:users"))
    for number in range(15):
        make_user(f"nguoi{number}", Role.STAFF, department.agency, department)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("administration:users"))
    assert response.content.decode().count("nguoi1") >= 1


def test_creating_a_user_gives_a_one_time_link_that_sets_their_password(
    agency_admin, department, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://cchc.example.vn"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(agency_admin).post(
            reverse("administration:user_create"), new_user_data(department)
        )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    user = User.objects.get(username="chuyenvienmoi")
    assert (user.agency, user.department, user.role, user.position) == (
        agency_admin.agency,
        department,
        Role.STAFF,
        "Chuyên viên",
    )
    assert not user.has_usable_password()
    url = link_on(response)
    assert url.startswith("https://cchc.example.vn/quen-mat-khau/")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["moi@skhdt.gov.vn"]
    assert url in mailoutbox[0].body and url in mailoutbox[0].alternatives[0][0]
    assert "Tài khoản CCHC của bạn đã được tạo" in mailoutbox[0].subject
    kinds = set(AccountEvent.objects.filter(subject_user=user).values_list("kind", flat=True))
    assert kinds == {Kind.USER_CREATED, Kind.PASSWORD_RESET_LINK}
    assert (
        AccountEvent.objects.filter(subject_user=user, actor=agency_admin, agency=agency_admin.agency).count()
        == 2
    )

    done = set_password_with(url)
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")
    assert signs_in("chuyenvienmoi", NEW_PASSWORD)
    again = Client().get(re.sub(r"^https?://[^/]+", "", url), follow=True).content.decode()
    assert "Đường dẫn không còn dùng được" in again


def test_a_user_without_an_address_gets_no_mail_but_the_link(
    agency_admin, department, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(agency_admin).post(
            reverse("administration:user_create"), new_user_data(department, email="")
        )
    assert "không gửi thư" in response.content.decode()
    assert link_on(response)
    assert mailoutbox == []


def test_a_foreign_department_or_a_province_wide_role_is_refused(agency_admin, department, outsider, staff):
    users = User.objects.count()
    client = client_for(agency_admin)
    foreign = client.post(
        reverse("administration:user_create"), new_user_data(department, department=outsider.department_id)
    )
    assert foreign.status_code == 200
    assert "không thuộc cơ quan" in foreign.content.decode()
    overseer = client.post(
        reverse("administration:user_create"), new_user_data(department, role=Role.OVERSEER)
    )
    assert "Bạn không thể giao vai trò này" in overseer.content.decode()
    taken = client.post(
        reverse("administration:user_create"), new_user_data(department, username="CHUYENVIEN")
    )
    assert "Tên đăng nhập này đã có người dùng" in taken.content.decode()
    assert User.objects.count() == users
    assert not AccountEvent.objects.exists()


def test_editing_a_user_records_each_changed_field(agency_admin, staff, office):
    response = client_for(agency_admin).post(
        reverse("administration:user_update", args=[staff.pk]),
        {
            "full_name": staff.full_name,
            "email": "",
            "position": "Phó Chánh Văn phòng",
            "department": office.pk,
            "role": Role.DEPT_HEAD,
            "reason": "Quyết định điều động số 12/QĐ-SKHĐT",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.department, staff.role, staff.position) == (office, Role.DEPT_HEAD, "Phó Chánh Văn phòng")
    events = {e.field: e for e in AccountEvent.objects.filter(kind=Kind.USER_CHANGED, subject_user=staff)}
    assert set(events) == {"chức vụ", "phòng, đơn vị", "vai trò"}
    assert (events["vai trò"].old_value, events["vai trò"].new_value) == ("Chuyên viên", "Trưởng phòng")
    assert events["phòng, đơn vị"].new_value == "Văn phòng Sở"
    assert events["chức vụ"].reason == "Quyết định điều động số 12/QĐ-SKHĐT"


def test_another_agencys_user_answers_404_and_stays_unchanged(agency_admin, outsider, office):
    client = client_for(agency_admin)
    assert client.get(reverse("administration:user_update", args=[outsider.pk])).status_code == 404
    for name in ("user_deactivate", "user_password_link"):
        assert client.post(reverse(f"administration:{name}", args=[outsider.pk])).status_code == 404
    response = client.post(
        reverse("administration:user_update", args=[outsider.pk]),
        {"full_name": "Đổi", "position": "", "department": office.pk, "role": Role.STAFF},
    )
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active and outsider.full_name != "Đổi" and outsider.has_usable_password()
    assert not AccountEvent.objects.exists()


def test_a_deactivated_user_cannot_sign_in_and_is_kept(agency_admin, staff):
    client = client_for(agency_admin)
    response = client.post(reverse("administration:user_deactivate", args=[staff.pk]), {"reason": "Nghỉ hưu"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert not staff.is_active
    assert AccountEvent.objects.get(kind=Kind.USER_DEACTIVATED, subject_user=staff).reason == "Nghỉ hưu"
    login = Client().post(reverse("login"), {"username": staff.username, "password": PASSWORD})
    assert login.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in login.content.decode()
    client.post(reverse("administration:user_reactivate", args=[staff.pk]))
    staff.refresh_from_db()
    assert staff.is_active
    assert AccountEvent.objects.filter(kind=Kind.USER_REACTIVATED, subject_user=staff).exists()
    assert signs_in(staff.username, PASSWORD)


def test_an_administrator_cannot_lock_themselves(agency_admin):
    response = client_for(agency_admin).post(
        reverse("administration:user_deactivate", args=[agency_admin.pk]), follow=True
    )
    assert "không thể tự khóa" in response.content.decode()
    agency_admin.refresh_from_db()
    assert agency_admin.is_active


def test_a_password_reset_gives_a_new_link_and_ends_the_old_password(agency_admin, staff, mailoutbox):
    response = client_for(agency_admin).post(reverse("administration:user_password_link", args=[staff.pk]))
    assert response.status_code == 200
    url = link_on(response)
    assert mailoutbox == []  # the staff member has no address
    assert not signs_in(staff.username, PASSWORD)
    set_password_with(url)
    assert signs_in(staff.username, NEW_PASSWORD)
    assert AccountEvent.objects.filter(kind=Kind.PASSWORD_RESET_LINK, subject_user=staff).count() == 1


def test_other_roles_get_403(staff, leader, clerk, department):
    for person in (staff, leader, clerk):
        client = client_for(person)
        assert client.get(reverse("administration:users")).status_code == 403
        assert (
            client.post(reverse("administration:user_create"), new_user_data(department)).status_code == 403
        )
        assert (
            client.post(reverse("administration:department_close", args=[department.pk])).status_code == 403
        )
    assert not User.objects.filter(username="chuyenvienmoi").exists()


def test_the_menu_offers_the_administration_to_administrators(agency_admin, staff):
    assert (
        f'href="{reverse("administration:users")}"'
        in client_for(agency_admin).get(reverse("profile")).content.decode()
    )
    assert (
        "administration" not in client_for(staff).get(reverse("profile")).content.decode().split("</nav>")[0]
    )


# Departments -------------------------------------------------------------------------------------


def test_creating_and_renaming_a_department_is_recorded(agency_admin):
    client = client_for(agency_admin)
    response = client.post(
        reverse("administration:department_create"),
        {"name": "Phòng Kinh tế ngành", "code": "KTN", "position": 5},
    )
    assert response.status_code == 302
    department = Department.objects.get(agency=agency_admin.agency, code="KTN")
    assert AccountEvent.objects.filter(kind=Kind.DEPARTMENT_CREATED, subject_department=department).exists()
    client.post(
        reverse("administration:department_rename", args=[department.pk]),
        {"name": "Phòng Kinh tế đối ngoại", "code": "KTĐN", "position": 5},
    )
    department.refresh_from_db()
    assert (department.name, department.code) == ("Phòng Kinh tế đối ngoại", "KTĐN")
    events = AccountEvent.objects.filter(kind=Kind.DEPARTMENT_RENAMED, subject_department=department)
    assert {(e.field, e.old_value, e.new_value) for e in events} == {
        ("tên phòng, đơn vị", "Phòng Kinh tế ngành", "Phòng Kinh tế đối ngoại"),
        ("ký hiệu viết tắt", "KTN", "KTĐN"),
    }


def test_a_duplicate_department_code_is_a_form_error(agency_admin, department):
    response = client_for(agency_admin).post(
        reverse("administration:department_create"),
        {"name": "Phòng khác", "code": department.code, "position": 1},
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode() or "alert" in response.content.decode()
    assert Department.objects.filter(agency=department.agency).count() == 2  # office and department


def test_a_merge_moves_tasks_with_their_history_and_people(
    agency_admin, task, department, coordinating_department, staff, dept_head, office, plan
):
    coordinated = make_task(plan, office, number="2", coordinating=[department])
    response = client_for(agency_admin).post(
        reverse("administration:department_merge", args=[department.pk]),
        {"target": coordinating_department.pk, "reason": "Quyết định 45/QĐ-SKHĐT sáp nhập phòng"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    department.refresh_from_db()
    assert task.lead_department == coordinating_department
    assert list(task.coordinating_departments.all()) == []  # the new lead no longer coordinates itself
    assert list(coordinated.coordinating_departments.all()) == [coordinating_department]
    event = TaskEvent.objects.get(task=task, kind=TaskEvent.Kind.LEAD)
    assert event.actor == agency_admin and event.reason == "Quyết định 45/QĐ-SKHĐT sáp nhập phòng"
    assert event.changes == [
        {"field": "đơn vị chủ trì", "old": "Phòng Đăng ký kinh doanh", "new": "Phòng Tổng hợp, Quy hoạch"}
    ]
    assert set(User.objects.filter(department=coordinating_department)) >= {staff, dept_head}
    assert department.closed_at is not None and department.merged_into == coordinating_department
    assert AccountEvent.objects.filter(kind=Kind.DEPARTMENT_MERGED, subject_department=department).exists()
    assert AccountEvent.objects.filter(
        kind=Kind.USER_CHANGED, subject_user=staff, field="phòng, đơn vị"
    ).exists()
    assert department not in LeadForm(task=coordinated).fields["department"].queryset
    page = client_for(agency_admin).get(reverse("administration:departments")).content.decode()
    assert "Đã ngừng hoạt động" in page and "đã sáp nhập vào Phòng Tổng hợp, Quy hoạch" in page


def test_a_merge_into_a_foreign_or_closed_department_changes_nothing(
    agency_admin, task, department, outsider
):
    client = client_for(agency_admin)
    url = reverse("administration:department_merge", args=[department.pk])
    response = client.post(url, {"target": outsider.department_id, "reason": "Thử"})
    assert response.status_code == 200
    assert "không thuộc cơ quan" in response.content.decode()
    no_reason = client.post(url, {"target": task.coordinating_departments.get().pk, "reason": ""})
    assert "Nêu lý do sáp nhập" in no_reason.content.decode()
    task.refresh_from_db()
    department.refresh_from_db()
    assert task.lead_department == department and department.closed_at is None
    assert not TaskEvent.objects.filter(kind=TaskEvent.Kind.LEAD).exists()


def test_a_department_with_open_tasks_or_people_does_not_close(agency_admin, task, department, staff):
    client = client_for(agency_admin)
    response = client.post(reverse("administration:department_close", args=[department.pk]), follow=True)
    page = response.content.decode()
    assert "Chưa thể đóng phòng" in page and "nhiệm vụ chưa hoàn thành" in page and "người dùng" in page
    department.refresh_from_db()
    assert department.closed_at is None


def test_an_empty_department_closes_and_leaves_the_pickers(agency_admin, plan, office):
    empty = Department.objects.create(agency=office.agency, code="TTr", name="Thanh tra Sở", position=4)
    client_for(agency_admin).post(
        reverse("administration:department_close", args=[empty.pk]), {"reason": "Giải thể"}
    )
    empty.refresh_from_db()
    assert empty.closed_at is not None
    assert (
        AccountEvent.objects.get(kind=Kind.DEPARTMENT_CLOSED, subject_department=empty).reason == "Giải thể"
    )
    assert empty not in Department.objects.open()
    form_page = client_for(agency_admin).get(reverse("administration:user_create")).content.decode()
    assert "Thanh tra Sở" not in form_page


def test_another_agencys_department_answers_404(agency_admin, outsider):
    client = client_for(agency_admin)
    foreign = outsider.department
    assert client.get(reverse("administration:department_rename", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("administration:department_close", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("administration:department_merge", args=[foreign.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.closed_at is None


# Agencies ----------------------------------------------------------------------------------------


def agency_data(**extra):
    data = {
        "name": "Sở Xây dựng tỉnh Vĩnh Phúc",
        "short_name": "Sở Xây dựng",
        "code": "SXD",
        "parent_body": "UBND tỉnh Vĩnh Phúc",
        "place_name": "Vĩnh Phúc",
        "completion_requires_evidence": "on",
    }
    data.update(extra)
    return data


def test_an_agency_administrator_cannot_manage_agencies(
    agency_admin, other_agency, other_admin, province_admin
):
    client = client_for(agency_admin)
    assert client.get(reverse("administration:agencies")).status_code == 403
    assert client.post(reverse("administration:agency_create"), agency_data()).status_code == 403
    assert client.post(reverse("administration:agency_deactivate", args=[other_agency.pk])).status_code == 403
    assert client.get(reverse("administration:agency_admins", args=[other_agency.pk])).status_code == 403
    assert client.get(reverse("administration:user_update", args=[other_admin.pk])).status_code == 404
    assert client.post(reverse("administration:user_deactivate", args=[province_admin.pk])).status_code == 404
    province_admin.refresh_from_db()
    assert province_admin.is_active
    other_agency.refresh_from_db()
    assert other_agency.is_active and not Agency.objects.filter(code="SXD").exists()


def test_the_province_administrator_creates_and_changes_an_agency(province_admin, province):
    client = client_for(province_admin)
    response = client.post(reverse("administration:agency_create"), agency_data(parent=province.pk))
    agency = Agency.objects.get(code="SXD")
    assert response["Location"] == reverse("administration:agency_admins", args=[agency.pk])
    assert agency.parent == province
    assert AccountEvent.objects.filter(kind=Kind.AGENCY_CREATED, subject_agency=agency, agency=None).exists()
    client.post(
        reverse("administration:agency_update", args=[agency.pk]),
        agency_data(parent=province.pk, short_name="Sở Xây dựng tỉnh", reason="Đổi tên theo quyết định"),
    )
    agency.refresh_from_db()
    assert agency.short_name == "Sở Xây dựng tỉnh"
    change = AccountEvent.objects.get(kind=Kind.AGENCY_CHANGED, subject_agency=agency)
    assert (change.field, change.old_value, change.new_value) == (
        "tên trên văn bản",
        "Sở Xây dựng",
        "Sở Xây dựng tỉnh",
    )


def test_a_deactivated_agencys_users_cannot_sign_in(province_admin, other_agency, outsider):
    client = client_for(province_admin)
    client.post(reverse("administration:agency_deactivate", args=[other_agency.pk]), {"reason": "Hợp nhất"})
    other_agency.refresh_from_db()
    assert not other_agency.is_active
    assert AccountEvent.objects.filter(kind=Kind.AGENCY_DEACTIVATED, subject_agency=other_agency).exists()
    assert (
        not Client()
        .post(reverse("login"), {"username": outsider.username, "password": PASSWORD})
        .has_header("Location")
    )
    client.post(reverse("administration:agency_reactivate", args=[other_agency.pk]))
    assert (
        Client().post(reverse("login"), {"username": outsider.username, "password": PASSWORD}).status_code
        == 302
    )


def test_the_province_administrator_manages_an_agencys_administrators(province_admin, other_agency, outsider):
    client = client_for(province_admin)
    response = client.post(
        reverse("administration:agency_admins", args=[other_agency.pk]),
        {
            "username": "quantrimoi",
            "full_name": "Phạm Văn Quản",
            "email": "",
            "position": "",
            "role": Role.STAFF,
        },
    )
    assert response.status_code == 200 and link_on(response)
    admin = User.objects.get(username="quantrimoi")
    assert (admin.agency, admin.role) == (other_agency, Role.ADMIN)  # the role field offers nothing else
    assert client.get(reverse("administration:user_update", args=[admin.pk])).status_code == 200
    assert client.post(reverse("administration:user_deactivate", args=[admin.pk])).status_code == 302
    admin.refresh_from_db()
    assert not admin.is_active
    # Not the agency's other users: those are its own administrator's.
    assert client.get(reverse("administration:user_update", args=[outsider.pk])).status_code == 404


def test_an_agency_of_another_province_answers_404(province_admin):
    elsewhere = Agency.objects.create(
        code="UBNDHN", name="UBND thành phố Hà Nội", short_name="UBND TP", place_name="Hà Nội"
    )
    child = Agency.objects.create(
        code="SKHĐTHN", name="Sở KH&ĐT Hà Nội", short_name="Sở KH&ĐT", place_name="Hà Nội", parent=elsewhere
    )
    client = client_for(province_admin)
    assert client.get(reverse("administration:agency_update", args=[child.pk])).status_code == 404
    assert client.post(reverse("administration:agency_deactivate", args=[child.pk])).status_code == 404
    response = client.post(reverse("administration:agency_create"), agency_data(parent=child.pk))
    assert response.status_code == 200 and not Agency.objects.filter(code="SXD").exists()
    child.refresh_from_db()
    assert child.is_active
    assert "Hà Nội" not in client.get(reverse("administration:agencies")).content.decode()


# The Django admin in Vietnamese --------------------------------------------------------------------


def test_every_admin_column_and_field_has_a_vietnamese_label(rf, admin_user):
    from django.contrib import admin

    request = rf.get("/")
    request.user = admin_user
    english = []
    for model, model_admin in admin.site._registry.items():
        names = [*model_admin.get_list_display(request), *model_admin.get_readonly_fields(request)]
        for name in names:
            label = str(label_for_field(name, model, model_admin))
            if label.isascii() and label.upper() != label:
                english.append(f"{model.__name__}.{name}: {label}")
        assert not str(model._meta.verbose_name).isascii(), model
    assert not english


def test_the_django_admin_pages_open_in_vietnamese(admin_client, task):
    for name in (
        "admin:tasks_task_changelist",
        "admin:tasks_taskdeadline_changelist",
        "admin:accounts_accountevent_changelist",
    ):
        page = admin_client.get(reverse(name)).content.decode()
        assert 'lang="vi"' in page
    page = admin_client.get(reverse("admin:tasks_task_change", args=[task.pk])).content.decode()
    assert "Khóa sắp xếp" in page and "sort key" not in page.lower()
