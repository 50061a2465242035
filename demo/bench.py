"""A synthetic province for `manage.py bench`: many agencies, their people and several years of plans.

Everything is written with bulk_create, so the default scale (35 agencies × 10 departments × 25 users,
5 years of plans of about 60 tasks, about 100,000 progress reports, and one plan of 1,000 tasks) builds
in well under a minute. The names are illustrative; the province is fictional. The tasks and their
history are written by demo.bench_tasks.

Besides the full agencies the province holds one small control agency (one department, a clerk, a
staff member and their head, one plan with one legal basis and three tasks): the same pages measured on
it and on a full agency show whether a page's query count grows with the data. The second agency's
newest plan holds `Scale.huge_plan` tasks (22,000), for the pages of a very large plan.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import Agency, Department, Role, User
from demo import bench_tasks
from plans.models import LegalDocument, Plan, PlanChange, PlanLegalBasis, ReformAreaSet
from tasks.models import ProgressUpdate, Task

LAST_YEAR = 2026
LEGAL_POOL_SIZE = 50  # documents in each agency's own list
LEGAL_FIELDS = ("kind", "number", "issued_on", "issuer", "summary")
BASES_PER_PLAN = 6
PROVINCE_CODE = "BENCH"
SMALL_CODE = "S00"
HUGE_CODE = "S02"  # the agency whose newest plan holds Scale.huge_plan tasks
PLACE = "An Bình"  # a fictional province, so nobody mistakes the figures for real data
PROVINCE_NAME = f"Ủy ban nhân dân tỉnh {PLACE}"

AGENCY_NAMES = [
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Giao thông vận tải",
    "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Ngoại vụ",
    "Thanh tra tỉnh",
    "Văn phòng UBND tỉnh",
    "Ban Dân tộc",
    "Ban Quản lý các khu công nghiệp",
    "UBND thành phố An Bình",
    "UBND thành phố Bình Sơn",
    "UBND huyện Đông Hòa",
    "UBND huyện Tây Giang",
    "UBND huyện Nam Phước",
    "UBND huyện Bắc Lâm",
    "UBND huyện Phú Điền",
    "UBND huyện Tân Lập",
    "UBND huyện Yên Thành",
]
OVERSEER_AGENCY = "Sở Nội vụ"

DEPARTMENT_NAMES = [
    ("VP", "Văn phòng"),
    ("TTr", "Thanh tra"),
    ("KHTC", "Phòng Kế hoạch - Tài chính"),
    ("TCCB", "Phòng Tổ chức cán bộ"),
    ("PC", "Phòng Pháp chế"),
    ("QLCL", "Phòng Quản lý chất lượng"),
    ("TH", "Phòng Tổng hợp"),
    ("NV", "Phòng Nghiệp vụ"),
    ("CNTT", "Phòng Công nghệ thông tin"),
    ("HTQT", "Phòng Hợp tác quốc tế"),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Quốc", "Thanh", "Hữu", "Ngọc", "Đức", "Hồng"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Mai", "Nam", "Sơn", "Yến"]

LEGAL_KINDS = [
    ("resolution", "NQ-CP", "Chính phủ", "về Chương trình tổng thể cải cách hành chính nhà nước"),
    ("decree", "NĐ-CP", "Chính phủ", "quy định về công tác văn thư"),
    ("directive", "CT-TTg", "Thủ tướng Chính phủ", "về đẩy mạnh cải cách thủ tục hành chính"),
    ("decision", "QĐ-TTg", "Thủ tướng Chính phủ", "phê duyệt Đề án chuyển đổi số"),
    ("circular", "TT-BNV", "Bộ Nội vụ", "hướng dẫn xác định Chỉ số cải cách hành chính"),
    ("resolution", "NQ-HĐND", f"HĐND tỉnh {PLACE}", "về Chương trình cải cách hành chính của tỉnh"),
    ("decision", "QĐ-UBND", f"UBND tỉnh {PLACE}", "ban hành Bộ chỉ số cải cách hành chính của tỉnh"),
    (
        "plan",
        "KH-UBND",
        f"UBND tỉnh {PLACE}",
        "về cải cách hành chính nhà nước của tỉnh giai đoạn 2021 - 2030",
    ),
]

PURPOSE = (
    "Tiếp tục triển khai có hiệu quả công tác cải cách hành chính (CCHC) theo chỉ đạo của Trung ương và của "
    "tỉnh; xây dựng nền hành chính chuyên nghiệp, hiện đại, phục vụ người dân và doanh nghiệp.\n"
    "Cải cách thủ tục hành chính, công khai, minh bạch; nâng cao chỉ số hài lòng của tổ chức, cá nhân."
)
REQUIREMENTS = (
    "Các phòng, đơn vị xác định CCHC là nhiệm vụ trọng tâm, thường xuyên; thực hiện đúng tiến độ các nội dung "
    "được giao.\nGắn kết quả thực hiện CCHC với bình xét thi đua, khen thưởng và đánh giá, xếp loại công chức, "
    "viên chức hằng năm."
)
RECIPIENTS = "UBND tỉnh (b/c)\nSở Nội vụ (b/c)\nLãnh đạo cơ quan\nCác phòng, đơn vị\nLưu: VT, VP."


@dataclass(frozen=True)
class Scale:
    agencies: int = 35
    departments: int = 10
    users: int = 25
    years: int = 5
    tasks: int = 60  # per plan
    big_plan: int = 1000  # tasks of the measured agency's newest plan
    busy_reports: int = 100  # reports of the task whose page is measured
    huge_plan: int = 22000  # tasks of the second agency's newest plan (0: an ordinary plan)

    @property
    def plan_years(self) -> range:
        return range(LAST_YEAR - self.years + 1, LAST_YEAR + 1)

    def expected_counts(self) -> dict[str, int]:
        """Row counts of a complete build: the province, the full agencies and the small control agency."""
        return {
            "agencies": self.agencies + 2,
            "departments": self.agencies * self.departments + 1,
            "users": self.agencies * self.users + 4,
            "plans": self.agencies * self.years + 1,
            "legal_bases": self.agencies * self.years * BASES_PER_PLAN + 1,
            "tasks": bench_tasks.expected_tasks(self),
        }


@dataclass(frozen=True)
class Scene:
    """What a measured page is about: one agency, its newest plan and its task 1.1, and who looks at them."""

    agency: Agency
    plan: Plan
    clerk: User
    overseer: User
    staff: User  # a staff member of the department that leads `task`, and assigned to it
    task: Task
    leader: User  # a leader of the agency; the control agency has none, so its clerk reads the dashboard
    head: User  # the head of the staff member's department
    huge: Plan  # the plan of Scale.huge_plan tasks (the second agency's newest; the control agency: its plan)

    @property
    def year(self) -> int:
        return self.plan.year


def counts() -> dict[str, int]:
    return {
        "agencies": Agency.objects.count(),
        "departments": Department.objects.count(),
        "users": User.objects.count(),
        "plans": Plan.objects.count(),
        "legal_bases": PlanLegalBasis.objects.count(),
        "legal_documents": LegalDocument.objects.count(),
        "plan_changes": PlanChange.objects.count(),
        "tasks": Task.objects.count(),
        "reports": ProgressUpdate.objects.count(),
    }


def holds_bench_data(scale: Scale) -> bool:
    """True when the database already holds a complete build at this scale (reused with --keep)."""
    if not Agency.objects.filter(code=PROVINCE_CODE).exists():
        return False
    actual = counts()
    return all(actual[key] == value for key, value in scale.expected_counts().items())


def is_empty() -> bool:
    return not (Agency.objects.exists() or User.objects.exists() or LegalDocument.objects.exists())


def scenes() -> tuple[Scene, Scene]:
    """The full agency S01 and the small control agency, each with its newest plan; S02's newest plan
    is the huge one (Scale.huge_plan tasks), read by the province's overseer."""
    overseer = User.objects.get(username="bench_overseer")
    huge_agency = Agency.objects.filter(code=HUGE_CODE).first()
    huge = huge_agency.plans.order_by("-year").first() if huge_agency else None

    def scene(code: str, huge: Plan | None) -> Scene:
        agency = Agency.objects.get(code=code)
        plan = agency.plans.order_by("-year").first()
        task = plan.tasks.get(number=bench_tasks.BUSY_NUMBER)
        staff = task.assignees.get()
        return Scene(
            agency=agency,
            plan=plan,
            clerk=User.objects.get(agency=agency, role=Role.CLERK),
            overseer=overseer,
            staff=staff,
            task=task,
            leader=User.objects.filter(agency=agency, role__in=[Role.LEADER, Role.CLERK])
            .order_by("-role")
            .first(),
            head=User.objects.get(department_id=staff.department_id, role=Role.DEPT_HEAD),
            huge=huge or plan,
        )

    return scene("S01", huge), scene(SMALL_CODE, None)


def _agency_name(index: int) -> str:
    if index <= len(AGENCY_NAMES):
        return AGENCY_NAMES[index - 1]
    return f"Cơ quan thử nghiệm số {index}"


def _department_name(position: int) -> tuple[str, str]:
    if position <= len(DEPARTMENT_NAMES):
        return DEPARTMENT_NAMES[position - 1]
    return f"P{position:02d}", f"Phòng chuyên môn số {position}"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _roles(count: int, departments: list[Department]) -> list[tuple[str, Department | None, str]]:
    """Roles of an agency's people: one clerk, one leader, a head per department, the rest staff."""
    office = departments[0]
    people = [(Role.CLERK, office, "Chuyên viên Văn phòng"), (Role.LEADER, None, "Phó Giám đốc")]
    people += [
        (Role.DEPT_HEAD, department, f"Trưởng {department.name.lower()}") for department in departments
    ]
    staff = 0
    while len(people) < count:
        people.append((Role.STAFF, departments[staff % len(departments)], "Chuyên viên"))
        staff += 1
    return people[:count]


def _legal_pool(rng: random.Random) -> list[LegalDocument]:
    documents = []
    for index in range(LEGAL_POOL_SIZE):
        kind, suffix, issuer, summary = LEGAL_KINDS[index % len(LEGAL_KINDS)]
        issued_on = datetime.date(2011 + index % 15, 1 + index % 12, 1 + rng.randrange(28))
        documents.append(
            LegalDocument(
                kind=kind, number=f"{index + 1}/{suffix}", issued_on=issued_on, issuer=issuer, summary=summary
            )
        )
    return documents


def _provincial_plans(years: range) -> dict[int, LegalDocument]:
    """The province's plan of each year, which every agency's plan of that year implements."""
    return {
        year: LegalDocument(
            kind="KH",
            number=f"{1000 + year % 100}/KH-UBND",
            issued_on=datetime.date(year - 1, 12, 17),
            issuer=f"UBND tỉnh {PLACE}",
            summary=f"về cải cách hành chính nhà nước năm {year} của tỉnh {PLACE}",
        )
        for year in years
    }


def _plan(
    agency: Agency, year: int, number: int, status: str, area_set: ReformAreaSet, implements: LegalDocument
) -> Plan:
    return Plan(
        agency=agency,
        number=number,
        symbol=f"KH-{agency.code}",
        issued_on=datetime.date(year, 1, 5 + number % 20),
        place_name=agency.place_name,
        year=year,
        title=f"Cải cách hành chính năm {year} của {agency.short_name}",
        area_set=area_set,
        implements=implements,
        purpose=PURPOSE,
        requirements=REQUIREMENTS,
        arrangements="Văn phòng là đầu mối theo dõi, đôn đốc, tổng hợp, báo cáo kết quả theo quý, 6 tháng, năm.",
        signing_authority=Plan.Authority.KT,
        authority_title="GIÁM ĐỐC",
        signer_position="PHÓ GIÁM ĐỐC",
        signer_name="Nguyễn Văn Thành",
        recipients=RECIPIENTS,
        status=status,
    )


def _history(plan: Plan, clerk: User) -> list[PlanChange]:
    changes = [
        PlanChange(plan=plan, changed_by=clerk, action="Tạo kế hoạch"),
        PlanChange(
            plan=plan,
            changed_by=clerk,
            action="Sửa kế hoạch",
            changes=[{"field": "trích yếu", "old": "Dự thảo", "new": plan.title}],
        ),
    ]
    if plan.status != Plan.Status.DRAFT:
        changes.append(
            PlanChange(
                plan=plan,
                changed_by=clerk,
                action="Ban hành kế hoạch",
                changes=[{"field": "trạng thái", "old": "Dự thảo", "new": "Đã ban hành"}],
            )
        )
    if plan.status == Plan.Status.CLOSED:
        changes.append(
            PlanChange(
                plan=plan,
                changed_by=clerk,
                action="Kết thúc kế hoạch",
                changes=[{"field": "trạng thái", "old": "Đã ban hành", "new": "Đã kết thúc"}],
            )
        )
    return changes


@transaction.atomic
def build(scale: Scale, seed: int = 2026) -> None:
    """Write the province into the current database, which must hold no agencies, users or documents."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    area_sets = {year: ReformAreaSet.for_year(year) for year in scale.plan_years}
    missing = [year for year, area_set in area_sets.items() if area_set is None]
    if missing:
        raise ValueError(f"No reform area set covers the years {missing}; see plans/migrations/0002.")
    password = make_password(None)  # unusable: the bench signs in with force_login

    province = Agency.objects.create(
        code=PROVINCE_CODE, name=PROVINCE_NAME, short_name=PROVINCE_NAME, parent_body="", place_name=PLACE
    )
    Agency.objects.bulk_create(
        Agency(
            code=f"S{index:02d}",
            name=f"{_agency_name(index)} tỉnh {PLACE}",
            short_name=_agency_name(index),
            parent_body=f"UBND tỉnh {PLACE}",
            place_name=PLACE,
            parent=province,
        )
        for index in range(scale.agencies + 1)  # S00 is the small control agency
    )
    agencies = list(Agency.objects.filter(parent=province).order_by("code"))

    Department.objects.bulk_create(
        Department(agency=agency, code=code, name=name, position=position)
        for agency in agencies
        for position in range(1, (1 if agency.code == SMALL_CODE else scale.departments) + 1)
        for code, name in [_department_name(position)]
    )
    departments: dict[int, list[Department]] = {}
    for department in Department.objects.order_by("agency_id", "position"):
        departments.setdefault(department.agency_id, []).append(department)

    users = []
    for agency in agencies:
        if agency.code == SMALL_CODE:
            office = departments[agency.pk][0]
            roles = [
                (Role.CLERK, office, "Chuyên viên Văn phòng"),
                (Role.STAFF, office, "Chuyên viên"),
                (Role.DEPT_HEAD, office, "Chánh Văn phòng"),
            ]
        else:
            roles = _roles(scale.users, departments[agency.pk])
        for number, (role, department, position) in enumerate(roles, start=1):
            users.append(
                User(
                    username=f"{agency.code.lower()}_{number:03d}",
                    email=f"{agency.code.lower()}_{number:03d}@example.invalid",
                    password=password,
                    full_name=_person(rng),
                    position=position,
                    role=role,
                    agency=agency,
                    department=department,
                )
            )
    overseer_agency = next((a for a in agencies if a.short_name == OVERSEER_AGENCY), agencies[-1])
    users.append(
        User(
            username="bench_overseer",
            email="bench_overseer@example.invalid",
            password=password,
            full_name=_person(rng),
            position="Chuyên viên Phòng Cải cách hành chính",
            role=Role.OVERSEER,
            agency=overseer_agency,
            department=departments[overseer_agency.pk][0],
        )
    )
    User.objects.bulk_create(users)
    clerks = {user.agency_id: user for user in User.objects.filter(role=Role.CLERK)}

    # Every agency cites the same numbers from its own list (plans.models.LegalDocument).
    pool_rows = _legal_pool(rng)
    provincial_rows = _provincial_plans(scale.plan_years)
    LegalDocument.objects.bulk_create(
        LegalDocument(agency=agency, **{name: getattr(row, name) for name in LEGAL_FIELDS})
        for agency in agencies
        for row in [*pool_rows, *provincial_rows.values()]
    )
    documents = {(d.agency_id, d.number, d.issued_on): d for d in LegalDocument.objects.all()}
    pool = {
        agency.pk: [documents[(agency.pk, d.number, d.issued_on)] for d in pool_rows] for agency in agencies
    }
    provincial = {
        (agency.pk, year): documents[(agency.pk, d.number, d.issued_on)]
        for agency in agencies
        for year, d in provincial_rows.items()
    }

    plans = []
    for index, agency in enumerate(agencies):
        years = [LAST_YEAR] if agency.code == SMALL_CODE else scale.plan_years
        for year in years:
            if year < LAST_YEAR:
                status = Plan.Status.CLOSED
            else:
                measured = agency.code in (
                    "S01",
                    HUGE_CODE,
                    SMALL_CODE,
                )  # the pages measured need issued plans
                status = Plan.Status.DRAFT if index % 3 == 0 and not measured else Plan.Status.ISSUED
            plans.append(
                _plan(agency, year, rng.randint(1, 40), status, area_sets[year], provincial[agency.pk, year])
            )
    Plan.objects.bulk_create(plans)
    plans = list(Plan.objects.all())

    small = next(agency for agency in agencies if agency.code == SMALL_CODE)
    links, history = [], []
    for plan in plans:
        chosen = rng.sample(pool[plan.agency_id], 1 if plan.agency_id == small.pk else BASES_PER_PLAN)
        links += [
            PlanLegalBasis(plan=plan, document=document, position=n)
            for n, document in enumerate(chosen, start=1)
        ]
        history += _history(plan, clerks[plan.agency_id])[: 1 if plan.agency_id == small.pk else None]
    PlanLegalBasis.objects.bulk_create(links)
    PlanChange.objects.bulk_create(history)

    def newest(code: str) -> Plan | None:
        agency = next((agency for agency in agencies if agency.code == code), None)
        return max((p for p in plans if p.agency_id == agency.pk), key=lambda p: p.year) if agency else None

    bench_tasks.build(
        plans=plans,
        scene_plan=newest("S01"),
        small_plan=next(p for p in plans if p.agency_id == small.pk),
        huge_plan=newest(HUGE_CODE),
        scale=scale,
        seed=seed,
    )
