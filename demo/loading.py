"""Demo data: Sở Kế hoạch và Đầu tư tỉnh Vĩnh Phúc and its 2019 CCHC plan 14/KH-SKHĐT.

The plan's facts come from the seed article (DOMAIN.md §3). The other agencies, the people, the
signer, the plan's sections, tasks and their history (demo.tasks) are illustrative, and so is the
agency's plan of the current year (05/KH-SKHĐT, NQ 76 areas) whose tasks stand in every status
relative to the day of loading. Loading is idempotent: running it twice, the same day or another,
leaves the same data; a plan's sections, tasks and history are written only while it has no task.
"""

import datetime
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, Department, Role, User
from demo import tasks as demo_tasks
from demo.evaluations import load_evaluations
from demo.ratings import load_ratings
from plans.models import LegalDocument, Plan, PlanLegalBasis, ReformAreaSet

PROVINCE = {
    "code": "UBND",
    "name": "Ủy ban nhân dân tỉnh Vĩnh Phúc",
    "short_name": "Ủy ban nhân dân tỉnh Vĩnh Phúc",
    "parent_body": "",
    "place_name": "Vĩnh Phúc",
}

AGENCIES = [
    {
        "code": "SKHĐT",
        "name": "Sở Kế hoạch và Đầu tư tỉnh Vĩnh Phúc",
        "short_name": "Sở Kế hoạch và Đầu tư",
        "parent_body": "UBND tỉnh Vĩnh Phúc",
        "place_name": "Vĩnh Phúc",
        "departments": [
            ("VP", "Văn phòng Sở"),
            ("TTr", "Thanh tra Sở"),
            ("THQH", "Phòng Tổng hợp, Quy hoạch"),
            ("KTN", "Phòng Kinh tế ngành"),
            ("ĐKKD", "Phòng Đăng ký kinh doanh"),
            ("KTĐN", "Phòng Kinh tế đối ngoại"),
            ("ĐTTĐ", "Phòng Đấu thầu, thẩm định và giám sát đầu tư"),
            ("KGVX", "Phòng Khoa giáo - Văn xã"),
        ],
    },
    {
        "code": "STC",
        "name": "Sở Tài chính tỉnh Vĩnh Phúc",
        "short_name": "Sở Tài chính",
        "parent_body": "UBND tỉnh Vĩnh Phúc",
        "place_name": "Vĩnh Phúc",
        "departments": [
            ("VP", "Văn phòng Sở"),
            ("TTr", "Thanh tra Sở"),
            ("NS", "Phòng Quản lý ngân sách"),
            ("TCĐT", "Phòng Tài chính đầu tư"),
            ("GCS", "Phòng Quản lý giá và công sản"),
        ],
    },
    {
        "code": "SNV",
        "name": "Sở Nội vụ tỉnh Vĩnh Phúc",
        "short_name": "Sở Nội vụ",
        "parent_body": "UBND tỉnh Vĩnh Phúc",
        "place_name": "Vĩnh Phúc",
        "departments": [("VP", "Văn phòng Sở"), ("CCHC", "Phòng Cải cách hành chính")],
    },
]

# (username, role, agency code, department code, full name, position); the people are illustrative,
# except the Phó Chánh văn phòng who signed the seed article.
USERS = [
    ("vanthu", Role.CLERK, "SKHĐT", "VP", "Phùng Thị Vân Quỳnh", "Phó Chánh văn phòng Sở"),
    ("lanhdao", Role.LEADER, "SKHĐT", None, "Nguyễn Văn Thành", "Phó Giám đốc Sở"),
    ("truongphong", Role.DEPT_HEAD, "SKHĐT", "ĐKKD", "Trần Thị Thu Hà", "Trưởng phòng Đăng ký kinh doanh"),
    ("chuyenvien", Role.STAFF, "SKHĐT", "ĐKKD", "Lê Minh Đức", "Chuyên viên"),
    ("sonoivu", Role.OVERSEER, "SNV", "CCHC", "Đỗ Thị Lan Anh", "Chuyên viên Phòng Cải cách hành chính"),
    ("quantri", Role.ADMIN, "SKHĐT", "VP", "Hoàng Văn Nam", "Quản trị hệ thống"),
    ("vanthustc", Role.CLERK, "STC", "VP", "Bùi Thị Hồng Nhung", "Chuyên viên Văn phòng Sở"),
]

# The people who report, approve and contribute: one head and one staff member per department.
# Same shape as USERS; illustrative people, signing in with the same demo password.
DEPARTMENT_PEOPLE = [
    ("tp.vp", Role.DEPT_HEAD, "SKHĐT", "VP", "Nguyễn Thị Minh Hằng", "Chánh Văn phòng Sở"),
    ("cv.vp", Role.STAFF, "SKHĐT", "VP", "Vũ Thị Thanh Huyền", "Chuyên viên Văn phòng Sở"),
    ("tp.ttr", Role.DEPT_HEAD, "SKHĐT", "TTr", "Đặng Văn Hùng", "Chánh Thanh tra Sở"),
    ("cv.ttr", Role.STAFF, "SKHĐT", "TTr", "Ngô Quốc Tuấn", "Thanh tra viên"),
    ("tp.thqh", Role.DEPT_HEAD, "SKHĐT", "THQH", "Phạm Văn Long", "Trưởng phòng Tổng hợp, Quy hoạch"),
    ("cv.thqh", Role.STAFF, "SKHĐT", "THQH", "Lê Thị Hồng Nhung", "Chuyên viên"),
    ("tp.ktn", Role.DEPT_HEAD, "SKHĐT", "KTN", "Trịnh Văn Dũng", "Trưởng phòng Kinh tế ngành"),
    ("cv.ktn", Role.STAFF, "SKHĐT", "KTN", "Hoàng Thị Thu Trang", "Chuyên viên"),
    ("cv.dkkd", Role.STAFF, "SKHĐT", "ĐKKD", "Nguyễn Thị Phương Thảo", "Chuyên viên"),
    ("tp.ktdn", Role.DEPT_HEAD, "SKHĐT", "KTĐN", "Kiều Thị Ngọc Anh", "Trưởng phòng Kinh tế đối ngoại"),
    ("cv.ktdn", Role.STAFF, "SKHĐT", "KTĐN", "Đỗ Minh Quân", "Chuyên viên"),
    (
        "tp.dttd",
        Role.DEPT_HEAD,
        "SKHĐT",
        "ĐTTĐ",
        "Bùi Văn Khoa",
        "Trưởng phòng Đấu thầu, thẩm định và giám sát đầu tư",
    ),
    ("cv.dttd", Role.STAFF, "SKHĐT", "ĐTTĐ", "Tạ Thị Lan", "Chuyên viên"),
    ("tp.kgvx", Role.DEPT_HEAD, "SKHĐT", "KGVX", "Lưu Văn Thắng", "Trưởng phòng Khoa giáo - Văn xã"),
    ("cv.kgvx", Role.STAFF, "SKHĐT", "KGVX", "Nguyễn Thị Hải Yến", "Chuyên viên"),
    ("tp.stc", Role.DEPT_HEAD, "STC", "VP", "Trần Văn Bình", "Chánh Văn phòng Sở"),
    ("cv.stc", Role.STAFF, "STC", "VP", "Phan Thị Mai", "Chuyên viên Văn phòng Sở"),
]


# (kind, number, date, issuer, summary) in the order of the plan's legal bases (DOMAIN.md §3).
LEGAL_BASES = [
    (
        "resolution",
        "30c/NQ-CP",
        datetime.date(2011, 11, 8),
        "Chính phủ",
        "ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2011 - 2020",
    ),
    ("resolution", "36a/NQ-CP", datetime.date(2015, 10, 14), "Chính phủ", "về Chính phủ điện tử"),
    (
        "resolution",
        "60/NQ-HĐND",
        datetime.date(2012, 7, 19),
        "HĐND tỉnh Vĩnh Phúc",
        "về Chương trình cải cách hành chính tỉnh Vĩnh Phúc",
    ),
    (
        "decision",
        "2757/QĐ-UBND",
        datetime.date(2017, 10, 18),
        "UBND tỉnh Vĩnh Phúc",
        "về việc ban hành Chỉ số cải cách hành chính tỉnh Vĩnh Phúc",
    ),
    (
        "decision",
        "3674/QĐ-UBND",
        datetime.date(2015, 12, 22),
        "UBND tỉnh Vĩnh Phúc",
        "ban hành Kế hoạch cải cách hành chính nhà nước tỉnh Vĩnh Phúc giai đoạn 2016 - 2020",
    ),
    (
        "plan",
        "02/KH-SKHĐT",
        datetime.date(2016, 1, 19),
        "Sở Kế hoạch và Đầu tư",
        "về cải cách hành chính Sở Kế hoạch và Đầu tư giai đoạn 2016 - 2020",
    ),
]

# The legal bases of the current year's plan (2021–2030 programme); real documents.
CURRENT_LEGAL_BASES = [
    (
        "resolution",
        "76/NQ-CP",
        datetime.date(2021, 7, 15),
        "Chính phủ",
        "ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030",
    ),
    (
        "decree",
        "61/2018/NĐ-CP",
        datetime.date(2018, 4, 23),
        "Chính phủ",
        "về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
    ),
    (
        "decree",
        "45/2020/NĐ-CP",
        datetime.date(2020, 4, 8),
        "Chính phủ",
        "về thực hiện thủ tục hành chính trên môi trường điện tử",
    ),
    (
        "decree",
        "107/2021/NĐ-CP",
        datetime.date(2021, 12, 6),
        "Chính phủ",
        "sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP",
    ),
]
CURRENT_NUMBER = 5

IMPLEMENTS = (
    "plan",
    "10041/KH-UBND",
    datetime.date(2018, 12, 17),
    "UBND tỉnh Vĩnh Phúc",
    "về kế hoạch cải cách hành chính năm 2019 của tỉnh Vĩnh Phúc",
)

PURPOSE = (
    "Tiếp tục triển khai thực hiện có hiệu quả công tác cải cách hành chính (CCHC) của Sở theo chỉ đạo của "
    "Trung ương và của tỉnh. Nâng cao chất lượng, hiệu quả của công tác CCHC, từng bước xây dựng nền hành chính "
    "theo hướng chuyên nghiệp và hiệu quả, đảm bảo tính đồng bộ, thống nhất, góp phần tạo môi trường thuận lợi "
    "thu hút đầu tư, đáp ứng yêu cầu sự nghiệp công nghiệp hoá, hiện đại hoá, hội nhập kinh tế quốc tế và nâng "
    "cao chỉ số năng lực cạnh tranh của tỉnh.\n"
    "Tiếp tục cải cách thủ tục hành chính (TTHC) và kiểm soát TTHC đảm bảo công khai, minh bạch, thuận lợi cho "
    "cá nhân, tổ chức đến giao dịch, góp phần nâng cao chỉ số hài lòng của tổ chức, cá nhân trong giải quyết các "
    "công việc thuộc thẩm quyền của Sở."
)

REQUIREMENTS = (
    "Cán bộ, công chức, viên chức, người lao động không ngừng nâng cao ý thức trách nhiệm, trình độ chuyên môn "
    "và kỹ năng giải quyết công việc, nhất là những CCVC trực tiếp tiếp xúc với người dân, doanh nghiệp.\n"
    "Các phòng, đơn vị thuộc Sở và CCVC, người lao động cần xác định CCHC là nhiệm vụ quan trọng, thường xuyên; "
    "mỗi cá nhân, tổ chức cần thực hiện đúng tiến độ và đầy đủ các nội dung được giao, xác định rõ trách nhiệm và "
    "thời gian hoàn thành công việc theo Kế hoạch. Có sự chỉ đạo, phối hợp chặt chẽ giữa các phòng, đơn vị trực "
    "thuộc Sở để thực hiện toàn diện, có chất lượng, hiệu quả các nhiệm vụ CCHC năm 2019 của Sở.\n"
    "Lãnh đạo Sở, các cá nhân phải xác định rõ trách nhiệm của mình trong việc triển khai thực hiện các nhiệm vụ "
    "CCHC. Cán bộ, CCVC, người lao động trong Sở chủ động nghiên cứu, áp dụng các giải pháp, sáng kiến trong công "
    "tác quản lý, chỉ đạo, điều hành, thực hiện nhiệm vụ tại Sở; có tinh thần, thái độ, trách nhiệm cao trong giải "
    "quyết và phối hợp giải quyết công việc đối với tổ chức, cá nhân; không gây phiền hà đối với doanh nghiệp đến "
    "giải quyết TTHC tại Sở.\n"
    "Gắn kết quả thực hiện công tác CCHC năm 2019 vào đánh giá, bình xét thi đua khen thưởng và đánh giá xếp loại "
    "CCVC hàng năm đối với tập thể, cá nhân trong Sở."
)

ARRANGEMENTS = (
    "Văn phòng Sở là đầu mối tham mưu, theo dõi, đôn đốc các phòng, đơn vị triển khai Kế hoạch; tổng hợp, báo cáo "
    "kết quả thực hiện công tác CCHC theo định kỳ quý, 6 tháng, năm.\n"
    "Trưởng các phòng, đơn vị thuộc Sở căn cứ nhiệm vụ được giao tổ chức thực hiện, báo cáo kết quả về Văn phòng "
    "Sở trước ngày 10 của tháng cuối kỳ báo cáo.\n"
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các phòng, đơn vị báo cáo Giám đốc Sở (qua Văn phòng "
    "Sở) để xem xét, giải quyết."
)

CURRENT_PURPOSE = (
    "Triển khai thực hiện có hiệu quả Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030 "
    "theo Nghị quyết số 76/NQ-CP của Chính phủ tại Sở; xây dựng nền hành chính chuyên nghiệp, hiện đại, lấy người "
    "dân, doanh nghiệp làm trung tâm phục vụ.\n"
    "Đẩy mạnh cải cách thủ tục hành chính, cung cấp dịch vụ công trực tuyến toàn trình, xây dựng Chính phủ điện tử, "
    "Chính phủ số; nâng cao chỉ số hài lòng của tổ chức, cá nhân (kế hoạch và nhiệm vụ minh họa, dữ liệu mẫu)."
)

RECIPIENTS = "UBND tỉnh (b/c)\nSở Nội vụ (b/c)\nLãnh đạo Sở\nCác phòng, đơn vị thuộc Sở\nLưu: VT, VP."


@dataclass
class DemoResult:
    password: str
    usernames: list[str]


def demo_password() -> str:
    """DEMO_PASSWORD, or one generated once and kept under var/ so every start prints the same."""
    if settings.DEMO_PASSWORD:
        return settings.DEMO_PASSWORD
    path = Path(settings.VAR_DIR) / "demo-password.txt"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(9)
    path.write_text(password + "\n", encoding="utf-8")
    path.chmod(0o600)
    return password


def _agency(data: dict, parent: Agency | None) -> Agency:
    fields = {key: data[key] for key in ("name", "short_name", "parent_body", "place_name")}
    agency, _ = Agency.objects.update_or_create(code=data["code"], defaults={**fields, "parent": parent})
    for position, (code, name) in enumerate(data.get("departments", []), start=1):
        Department.objects.update_or_create(
            agency=agency, code=code, defaults={"name": name, "position": position}
        )
    return agency


def _legal_document(agency: Agency, kind, number, issued_on, issuer, summary) -> LegalDocument:
    """The document in the agency's own list (each agency cites its own record of a number and date)."""
    document, _ = LegalDocument.objects.update_or_create(
        agency=agency,
        number=number,
        issued_on=issued_on,
        defaults={"kind": kind, "issuer": issuer, "summary": summary},
    )
    return document


def _plan(agency: Agency, bases: list[LegalDocument], **fields) -> Plan:
    """The agency's plan of that number and year; keyed so that a later load finds the same plan."""
    year = fields["year"]
    plan, _ = Plan.objects.update_or_create(
        agency=agency,
        number=fields.pop("number"),
        year=year,
        defaults={**fields, "area_set": ReformAreaSet.for_year(year)},
    )
    existing = list(plan.basis_links.order_by("position").values_list("document_id", flat=True))
    if existing != [document.pk for document in bases]:
        plan.basis_links.all().delete()
        PlanLegalBasis.objects.bulk_create(
            PlanLegalBasis(plan=plan, document=document, position=index)
            for index, document in enumerate(bases, start=1)
        )
    return plan


def _current_plan(agency: Agency, today: datetime.date) -> Plan | None:
    """This year's plan under the 2021–2030 areas, issued on 15/01 (or today, early in January)."""
    year = today.year
    if ReformAreaSet.for_year(year) is None:
        return None
    bases = [_legal_document(agency, *row) for row in CURRENT_LEGAL_BASES]
    return _plan(
        agency,
        bases,
        number=CURRENT_NUMBER,
        symbol="KH-SKHĐT",
        issued_on=min(datetime.date(year, 1, 15), today),
        place_name="Vĩnh Phúc",
        year=year,
        title=f"Cải cách hành chính năm {year} của Sở Kế hoạch và Đầu tư",
        implements=None,
        purpose=CURRENT_PURPOSE,
        requirements=REQUIREMENTS.replace("năm 2019", f"năm {year}"),
        arrangements=ARRANGEMENTS,
        signing_authority=Plan.Authority.KT,
        authority_title="GIÁM ĐỐC",
        signer_position="PHÓ GIÁM ĐỐC",
        signer_name="Nguyễn Văn Thành",
        recipients=RECIPIENTS,
        status=Plan.Status.ISSUED,
    )


def _users(agencies: dict[str, Agency], password: str) -> dict[str, User]:
    """The demo accounts, all with the demo password. Hashing is slow by design, so they share one hash:
    it is checked once against an existing account and made afresh only when the password changed."""
    departments = {(d.agency.code, d.code): d for d in Department.objects.select_related("agency")}
    users = {}
    for username, role, agency_code, department_code, full_name, position in USERS + DEPARTMENT_PEOPLE:
        users[username], _ = User.objects.update_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "position": position,
                "role": role,
                "agency": agencies[agency_code],
                "department": departments[(agency_code, department_code)] if department_code else None,
                "email": f"{username}@example.invalid",
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
    hashed = next((user for user in users.values() if user.has_usable_password() and user.password), None)
    encoded = hashed.password if hashed and hashed.check_password(password) else make_password(password)
    for user in users.values():
        if user.password != encoded:
            user.password = encoded
            user.save(update_fields=["password"])
    return users


def _people(agency: Agency, users: dict[str, User]) -> demo_tasks.People:
    """Who writes the agency's task history: its clerk, its leader, each department's head and staff."""
    mine = [user for user in users.values() if user.agency_id == agency.pk]
    first = {}
    for user in mine:
        if user.username != "chuyenvien":  # reports on the tasks assigned to them, see DemoTask.assignee
            first.setdefault((user.role, user.department_id), user)
    return demo_tasks.People(
        clerk=next(user for user in mine if user.role == Role.CLERK),
        leader=next((user for user in mine if user.role == Role.LEADER), None),
        heads={dep: user for (role, dep), user in first.items() if role == Role.DEPT_HEAD},
        staff={dep: user for (role, dep), user in first.items() if role == Role.STAFF},
        by_username=users,
    )


# Illustrative wording of the 6-month report's closing sections (the area texts are drafted from the
# progress reports of the window by reports.drafting).
REPORT_DIFFICULTIES = (
    "Một số nhiệm vụ có nội dung phức tạp, liên quan đến nhiều cơ quan, đơn vị nên tiến độ còn chậm so "
    "với kế hoạch.\nNguồn nhân lực làm công tác cải cách hành chính tại các phòng còn kiêm nhiệm."
)
REPORT_PROPOSALS = (
    "Đề nghị Sở Nội vụ tiếp tục tổ chức tập huấn nghiệp vụ cải cách hành chính cho công chức làm đầu mối "
    "tại các sở, ngành."
)


def _half_year_report(plan: Plan, clerk: User) -> None:
    """The issued report on the first six months of 2019 (figures as of 14/6/2019), once."""
    from reports import services as report_services
    from reports.models import PeriodicReport

    if PeriodicReport.objects.filter(plan=plan, period=PeriodicReport.Period.HALF_YEAR, year=2019).exists():
        return
    report = report_services.report_create(
        plan=plan,
        by=clerk,
        period=PeriodicReport.Period.HALF_YEAR,
        year=2019,
        number=112,
        issued_on=datetime.date(2019, 6, 18),
        recipients="UBND tỉnh (b/c)\nSở Nội vụ (b/c)\nLãnh đạo Sở\nLưu: VT, VP.",
        difficulties=REPORT_DIFFICULTIES,
        proposals=REPORT_PROPOSALS,
    )
    report_services.report_issue(report=report, by=clerk)


@transaction.atomic
def load_demo() -> DemoResult:
    province = _agency(PROVINCE, None)
    agencies = {data["code"]: _agency(data, province) for data in AGENCIES}
    skhdt, stc = agencies["SKHĐT"], agencies["STC"]
    now = timezone.now()

    bases = [_legal_document(skhdt, *row) for row in LEGAL_BASES]
    seed_plan = _plan(
        skhdt,
        bases,
        number=14,
        symbol="KH-SKHĐT",
        issued_on=datetime.date(2019, 1, 15),
        place_name="Vĩnh Phúc",
        year=2019,
        title="Cải cách hành chính năm 2019 của Sở Kế hoạch và Đầu tư",
        implements=_legal_document(skhdt, *IMPLEMENTS),
        purpose=PURPOSE,
        requirements=REQUIREMENTS,
        arrangements=ARRANGEMENTS,
        signing_authority=Plan.Authority.KT,
        authority_title="GIÁM ĐỐC",
        signer_position="PHÓ GIÁM ĐỐC",
        signer_name="Nguyễn Văn Thành",
        recipients=RECIPIENTS,
        status=Plan.Status.ISSUED,
    )
    # Illustrative: the second agency's plan, so that isolation between agencies is visible.
    stc_plan = _plan(
        stc,
        [_legal_document(stc, *row) for row in LEGAL_BASES[:2] + LEGAL_BASES[3:5]],
        number=9,
        symbol="KH-STC",
        issued_on=datetime.date(2019, 1, 18),
        place_name="Vĩnh Phúc",
        year=2019,
        title="Cải cách hành chính năm 2019 của Sở Tài chính",
        implements=_legal_document(stc, *IMPLEMENTS),
        purpose="Triển khai có hiệu quả công tác cải cách hành chính của Sở Tài chính năm 2019 (dữ liệu minh họa).",
        requirements="Các phòng, đơn vị thuộc Sở thực hiện đúng tiến độ các nhiệm vụ được giao.",
        signing_authority=Plan.Authority.NONE,
        signer_position="GIÁM ĐỐC",
        signer_name="Phạm Quốc Khánh",
        recipients="UBND tỉnh (b/c)\nSở Nội vụ (b/c)\nLưu: VT, VP.",
        status=Plan.Status.ISSUED,
    )

    current_plan = _current_plan(skhdt, timezone.localdate(now))

    password = demo_password()
    users = _users(agencies, password)
    people = _people(skhdt, users)
    demo_tasks.load_plan_history(
        seed_plan, demo_tasks.PLAN_2019, people, sections=demo_tasks.SECTIONS_2019, now=now
    )
    if current_plan is not None:
        demo_tasks.load_plan_history(
            current_plan, demo_tasks.CURRENT_YEAR, people, sections=demo_tasks.CURRENT_SECTIONS, now=now
        )
    demo_tasks.load_plan_history(
        stc_plan, demo_tasks.STC_2019, _people(stc, users), sections=demo_tasks.STC_SECTIONS, now=now
    )
    _half_year_report(seed_plan, users["vanthu"])
    load_evaluations(people=people, users=users, today=timezone.localdate(now))
    load_ratings(people=people, users=users, today=timezone.localdate(now))
    return DemoResult(password=password, usernames=[row[0] for row in USERS])
