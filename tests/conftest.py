"""Personas: one user per role of the demo agency, an outsider from another agency, an anonymous visitor."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import Agency, Department, Role, User
from demo.loading import LEGAL_BASES
from plans.models import LegalDocument, Plan, PlanLegalBasis, ReformAreaSet

PASSWORD = "mật-khẩu-thử-9"


@pytest.fixture
def province(db):
    return Agency.objects.create(
        code="UBND",
        name="Ủy ban nhân dân tỉnh Vĩnh Phúc",
        short_name="UBND tỉnh Vĩnh Phúc",
        place_name="Vĩnh Phúc",
    )


@pytest.fixture
def agency(province):
    return Agency.objects.create(
        code="SKHĐT",
        name="Sở Kế hoạch và Đầu tư tỉnh Vĩnh Phúc",
        short_name="Sở Kế hoạch và Đầu tư",
        parent_body="UBND tỉnh Vĩnh Phúc",
        place_name="Vĩnh Phúc",
        parent=province,
    )


@pytest.fixture
def other_agency(province):
    return Agency.objects.create(
        code="STC",
        name="Sở Tài chính tỉnh Vĩnh Phúc",
        short_name="Sở Tài chính",
        parent_body="UBND tỉnh Vĩnh Phúc",
        place_name="Vĩnh Phúc",
        parent=province,
    )


@pytest.fixture
def overseer_agency(province):
    return Agency.objects.create(
        code="SNV",
        name="Sở Nội vụ tỉnh Vĩnh Phúc",
        short_name="Sở Nội vụ",
        parent_body="UBND tỉnh Vĩnh Phúc",
        place_name="Vĩnh Phúc",
        parent=province,
    )


@pytest.fixture
def office(agency):
    return Department.objects.create(agency=agency, code="VP", name="Văn phòng Sở", position=1)


@pytest.fixture
def department(agency):
    return Department.objects.create(agency=agency, code="ĐKKD", name="Phòng Đăng ký kinh doanh", position=2)


def demo_settings(tmp_path):
    """The settings under which the demo loads into a test database, its files kept under tmp_path."""
    return override_settings(
        DEMO_ALLOWED=True,
        DEMO_PASSWORD="demo-pass-123",
        VAR_DIR=tmp_path,
        PRIVATE_STORAGE_ROOT=tmp_path / "private",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )


def make_user(username, role, agency, department=None, **extra):
    user = User(
        username=username,
        full_name=extra.pop("full_name", username.title()),
        role=role,
        agency=agency,
        department=department,
        **extra,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def staff(department):
    return make_user("chuyenvien", Role.STAFF, department.agency, department)


@pytest.fixture
def dept_head(department):
    return make_user("truongphong", Role.DEPT_HEAD, department.agency, department)


@pytest.fixture
def leader(agency):
    return make_user("lanhdao", Role.LEADER, agency)


@pytest.fixture
def clerk(office):
    return make_user("vanthu", Role.CLERK, office.agency, office, full_name="Phùng Thị Vân Quỳnh")


@pytest.fixture
def admin_user(office):
    return make_user("quantri", Role.ADMIN, office.agency, office, is_staff=True, is_superuser=True)


@pytest.fixture
def overseer(overseer_agency):
    department = Department.objects.create(
        agency=overseer_agency, code="CCHC", name="Phòng Cải cách hành chính"
    )
    return make_user("sonoivu", Role.OVERSEER, overseer_agency, department)


@pytest.fixture
def outsider(other_agency):
    department = Department.objects.create(agency=other_agency, code="VP", name="Văn phòng Sở")
    return make_user("vanthustc", Role.CLERK, other_agency, department)


@pytest.fixture
def personas(staff, dept_head, leader, clerk, admin_user, overseer, outsider):
    return {
        "anonymous": None,
        "staff": staff,
        "dept_head": dept_head,
        "leader": leader,
        "clerk": clerk,
        "admin": admin_user,
        "overseer": overseer,
        "outsider": outsider,
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def signs_in(username: str, password: str, client: Client | None = None) -> bool:
    """Whether the login page accepts the username and password, as a browser would post them
    (Client.login cannot: django-axes needs the request to count failures)."""
    client = client or Client()
    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def make_legal_documents(agency) -> list[LegalDocument]:
    """30c/NQ-CP, 36a/NQ-CP and 2757/QĐ-UBND of the seed plan, in the agency's own list."""
    rows = [LEGAL_BASES[0], LEGAL_BASES[1], LEGAL_BASES[3]]
    return [
        LegalDocument.objects.create(agency=agency, kind=k, number=n, issued_on=d, issuer=i, summary=s)
        for k, n, d, i, s in rows
    ]


@pytest.fixture
def legal_documents(agency):
    return make_legal_documents(agency)


def make_plan(agency, number=14, year=2019, issued_on=datetime.date(2019, 1, 15), documents=(), **fields):
    defaults = {
        "symbol": f"KH-{agency.code}",
        "place_name": agency.place_name,
        "title": f"Cải cách hành chính năm {year} của {agency.short_name}",
        "signer_position": "PHÓ GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn Thành",
        "signing_authority": Plan.Authority.KT,
        "authority_title": "GIÁM ĐỐC",
        "recipients": "UBND tỉnh (b/c)\nLưu: VT, VP.",
    }
    defaults.update(fields)
    plan = Plan.objects.create(
        agency=agency,
        number=number,
        year=year,
        issued_on=issued_on,
        area_set=ReformAreaSet.for_year(year),
        **defaults,
    )
    for position, document in enumerate(documents, start=1):
        PlanLegalBasis.objects.create(plan=plan, document=document, position=position)
    return plan


@pytest.fixture
def plan(agency, legal_documents):
    return make_plan(agency, documents=legal_documents, status=Plan.Status.ISSUED)


@pytest.fixture
def draft_plan(agency, legal_documents):
    return make_plan(agency, number=20, documents=legal_documents[:1])


@pytest.fixture
def other_plan(other_agency):
    """The other agency's plan cites the same numbers from its own list (plans.models.LegalDocument)."""
    documents = make_legal_documents(other_agency)[:2]
    return make_plan(other_agency, number=9, documents=documents, status=Plan.Status.ISSUED)


@pytest.fixture(autouse=True)
def _reference_data(request, django_db_blocker):
    """A transactional test ends by emptying every table, the migrations' reference data with them;
    tests that use the database start with the reform areas in place whatever ran before."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if uses_db:
        request.getfixturevalue("django_db_setup")  # the test database, never the configured one
        from plans.models import ReformAreaSet
        from plans.reform_areas import ensure_area_sets

        with django_db_blocker.unblock():
            if not ReformAreaSet.objects.exists():
                ensure_area_sets()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids and timestamps repeat from one test database to the
    next, so an entry of an earlier test could otherwise answer for this one."""
    cache.clear()


# Tasks -------------------------------------------------------------------------------------------


@pytest.fixture
def coordinating_department(agency):
    return Department.objects.create(agency=agency, code="THQH", name="Phòng Tổng hợp, Quy hoạch", position=3)


@pytest.fixture
def coordinator(coordinating_department):
    return make_user("phoihop", Role.STAFF, coordinating_department.agency, coordinating_department)


@pytest.fixture
def other_department(agency):
    """A department of the agency that neither leads nor coordinates the personas' tasks."""
    return Department.objects.create(agency=agency, code="KTN", name="Phòng Kinh tế ngành", position=4)


@pytest.fixture
def other_head(other_department):
    return make_user("truongphongktn", Role.DEPT_HEAD, other_department.agency, other_department)


def make_task(
    plan,
    lead,
    *,
    number="1",
    deadline_text="Quý II/2019",
    by=None,
    coordinating=(),
    area_position=2,
    **fields,
):
    """A task created through the service, as the clerk would, with its first deadline recorded."""
    from plans.models import ReformArea
    from tasks import services

    by = (
        by
        or User.objects.filter(agency=plan.agency, role=Role.CLERK).first()
        or make_user(f"clerk{plan.agency_id}", Role.CLERK, plan.agency)
    )
    area = ReformArea.objects.get(area_set=plan.area_set, position=area_position)
    defaults = {
        "content": f"Rà soát, đơn giản hóa thủ tục hành chính số {number}",
        "expected_output": "Báo cáo kết quả rà soát",
    }
    defaults.update(fields)
    return services.task_create(
        plan=plan,
        by=by,
        number=number,
        area=area,
        lead_department=lead,
        deadline_text=deadline_text,
        coordinating_departments=list(coordinating),
        **defaults,
    )


@pytest.fixture
def task(plan, department, coordinating_department, clerk):
    return make_task(plan, department, by=clerk, coordinating=[coordinating_department])


@pytest.fixture
def other_task(other_plan, outsider):
    lead = outsider.department
    return make_task(other_plan, lead, by=outsider)


def pdf_upload(name="bao-cao-ket-qua.pdf", size=2000):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = b"%PDF-1.4\n" + b"0" * max(size - 9, 1)
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Evidence and printed documents of a test go to its own folder, never to var/."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture
def pending_report(task, staff, private_storage):
    from tasks import services

    return services.progress_report(
        task=task,
        by=staff,
        percent=100,
        narrative="Đã hoàn thành rà soát",
        result="Báo cáo số 12/BC-ĐKKD",
        files=[pdf_upload()],
    )
