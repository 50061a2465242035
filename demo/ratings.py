"""Demo rating rounds (ratings): loaded at the end of load_demo, after the evaluation rounds.

- The 2019 round of Sở KH&ĐT (criteria scheme of NĐ 90/2020 as amended by NĐ 48/2023), built from the
  demo's 2019 tasks through the services: in January 2019 each department's head assigned the plan's
  tasks that had no assignee to the department's staff member (assign_2019), so every person's record is
  counted from the tasks as they went (demo.tasks; a head's record is the department's); each form
  self-assessed and submitted, each proposal (a leader's for a head of department) the rules' suggestion
  except where DEPARTURES_2019 writes a reason, the cap on HTXS exceeded and justified, a staff member
  who joined on 01/08/2019 not rated, the levels decided; then the registrations of January 2019, an
  initiative, a reprimand, the departments' own levels, the council's ballot and the decision recognising
  the titles. Under NĐ 90/48 HTT needs every task on time and, short of HTXS, some returned or fewer
  than half ahead of time (by 5 days); the seed plan's on-time tasks were mostly done well ahead and only
  3.1 was returned (with 7.2 late beside it), so the rules give HTXS or HTNV and the two HTT are a
  proposal with its reason (task 7.7's contractor).
- A round for the current year (points scheme of NĐ 335/2025 from 2026), open: chuyenvien's form still a
  draft, some forms submitted, two proposed by their head, nothing decided.

The people's stories (months worked, initiative, discipline, comments) are illustrative. Idempotent: a
round already there (same agency and year) is left as it is; the 2019 assignments are written only for
tasks that still have no assignee.
"""

import datetime
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from accounts.models import Agency, Department, Role, User
from demo.tasks import People
from plans.models import Plan
from ratings import services
from ratings.models import (
    Discipline,
    Initiative,
    Level,
    Nomination,
    Rating,
    RatingEvent,
    Registration,
    Round,
    RoundEvent,
    Title,
)
from ratings.rules import POINTS_FROM
from tasks import services as task_services
from tasks.models import Task

ASSIGNED_ON = datetime.date(2019, 1, 17)


def _at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


# The tasks of the 2019 plan its clerk (vanthu, Văn phòng Sở) worked on with the office's staff member: the
# propaganda plan and the self-assessment of the CCHC index. The plan itself (1.1) the Chánh Văn phòng
# drafted in person: nobody is assigned (a head answers for the department's tasks in any case).
CLERK_TASKS = ("1.2", "1.5")
KEPT_BY_THE_HEAD = ("1.1",)


def assign_2019(plan: Plan, people: People) -> int:
    """Each task of the 2019 plan with nobody assigned (but KEPT_BY_THE_HEAD) goes to its lead department's
    staff member (and the clerk, for CLERK_TASKS), as its head assigned it in January 2019. The current
    year's plan is left as it is."""
    tasks = (
        plan.tasks.annotate(assigned=Count("assignees"))
        .filter(assigned=0)
        .exclude(state=Task.State.CANCELLED)
        .exclude(number__in=KEPT_BY_THE_HEAD)
        .order_by("pk")
    )
    done = 0
    for index, task in enumerate(tasks):
        staff = people.staff.get(task.lead_department_id)
        head = people.heads.get(task.lead_department_id)
        if staff is None or head is None:
            continue
        assignees = [staff]
        if task.number in CLERK_TASKS and task.lead_department_id == people.clerk.department_id:
            assignees.append(people.clerk)
        task_services.task_assign(task=task, by=head, assignees=assignees, at=_at(ASSIGNED_ON, 9, index % 60))
        done += 1
    return done


# The staff member who joined Phòng Đăng ký kinh doanh on 01/08/2019: 5 months worked, not rated in 2019.
NEWCOMER = ("cv2.dkkd", "ĐKKD", "Đinh Quang Huy", "Chuyên viên", Decimal(5))
NEWCOMER_NOTE = "Được tuyển dụng, nhận công tác tại Phòng Đăng ký kinh doanh từ ngày 01/08/2019."

# The 2019 calendar: forms, proposals and decisions before 15/12 (DOMAIN.md §8), titles in January.
REGISTERED_ON = datetime.date(2019, 1, 25)
CREATED_ON = datetime.date(2019, 12, 2)
SUBMITTED_ON = datetime.date(2019, 12, 5)
PROPOSED_ON = datetime.date(2019, 12, 10)
CAP_ON = datetime.date(2019, 12, 12)
DECIDED_ON = datetime.date(2019, 12, 13)
TITLES_ON = datetime.date(2020, 1, 10)
TITLES_NUMBER = "15/QĐ-SKHĐT"
COUNCIL_MEMBERS = 9

# Where a proposal departs from the rules' suggestion, the proposer's reason (username → (level, reason)).
# Task 7.7 of Phòng Tổng hợp, Quy hoạch is overdue only because the contractor was late delivering the
# software (the deadline change the Director accepted is in the task's history).
DEPARTURES_2019 = {
    "tp.thqh": (
        Level.HTT,
        "Nhiệm vụ 7.7 chưa hoàn thành do nhà thầu chậm bàn giao phần mềm (nguyên nhân khách quan, Giám đốc "
        "Sở đã đồng ý lùi thời hạn); các nhiệm vụ còn lại hoàn thành trước hạn, đạt yêu cầu.",
    ),
    "cv.thqh": (
        Level.HTT,
        "Nhiệm vụ 7.7 chưa hoàn thành do nhà thầu chậm bàn giao phần mềm (nguyên nhân khách quan, Giám đốc "
        "Sở đã đồng ý lùi thời hạn); các nhiệm vụ còn lại hoàn thành trước hạn, đạt yêu cầu.",
    ),
}

# Self-assessment: the level each person gives themselves (default: the level proposed).
SELF_LEVELS_2019 = {"cv.vp": Level.HTT, "chuyenvien": Level.HTT, "cv2.dkkd": Level.HTT}
SELF_REVIEW = {
    Level.HTXS: (
        "Chấp hành tốt chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước; có ý thức tổ chức "
        "kỷ luật. Hoàn thành các nhiệm vụ được giao đúng và trước thời hạn, bảo đảm chất lượng; chủ động đề "
        "xuất giải pháp nâng cao hiệu quả công việc. Khuyết điểm: cần tiếp tục nâng cao kỹ năng ngoại ngữ."
    ),
    Level.HTT: (
        "Chấp hành tốt chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước; có ý thức tổ chức "
        "kỷ luật, tinh thần trách nhiệm trong công việc. Hoàn thành các nhiệm vụ được giao, bảo đảm chất "
        "lượng. Khuyết điểm: có lúc còn chậm trong tổng hợp, báo cáo."
    ),
    Level.HTNV: (
        "Chấp hành chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước. Hoàn thành các nhiệm vụ "
        "được giao; một số nhiệm vụ còn chậm so với thời hạn của Kế hoạch. Sẽ khắc phục trong năm tới."
    ),
    Level.KHTNV: (
        "Chấp hành chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước. Nhiều nhiệm vụ được "
        "giao còn chậm, chưa hoàn thành; nghiêm túc rút kinh nghiệm."
    ),
}
COMMENT = {
    Level.HTXS: "Hoàn thành xuất sắc các nhiệm vụ được giao, đúng và trước thời hạn, đạt yêu cầu ngay lần đầu.",
    Level.HTT: "Hoàn thành tốt các nhiệm vụ được giao; có tinh thần trách nhiệm, phối hợp tốt.",
    Level.HTNV: "Hoàn thành nhiệm vụ được giao; một số nhiệm vụ còn chậm tiến độ, cần khắc phục.",
    Level.KHTNV: "Nhiều nhiệm vụ được giao chưa bảo đảm tiến độ, chất lượng; cần nghiêm túc rút kinh nghiệm.",
}
NOT_RATED_COMMENT = (
    "Công tác tại Sở từ ngày 01/08/2019, chưa đủ 6 tháng trong năm: kiểm điểm thời gian công tác, không xếp "
    "loại chất lượng năm 2019. Bước đầu tiếp cận công việc nhanh, chịu khó học hỏi."
)
CAP_JUSTIFICATION = (
    "Phòng Kinh tế đối ngoại hoàn thành 100 % nhiệm vụ cải cách hành chính năm 2019 trước thời hạn, đạt yêu "
    "cầu ngay lần đầu; Lãnh đạo Sở thống nhất giữ mức hoàn thành xuất sắc nhiệm vụ cho Trưởng phòng và "
    "chuyên viên của phòng, vượt tỷ lệ 20 % số người hoàn thành tốt nhiệm vụ của cơ quan."
)

INITIATIVE = (
    "cv.thqh",
    "Bảng tổng hợp tự động tiến độ giải ngân vốn đầu tư công theo từng chủ đầu tư, phục vụ báo cáo hằng quý",
    datetime.date(2019, 11, 20),
    "Quyết định số 210/QĐ-SKHĐT ngày 20/11/2019 của Giám đốc Sở",
)
DISCIPLINE = (
    "cv.dttd",
    Discipline.Form.REPRIMAND,
    datetime.date(2019, 9, 16),
    "Quyết định số 168/QĐ-SKHĐT ngày 16/9/2019",
    "Chậm thẩm định hồ sơ dự án quá thời hạn quy định, không báo cáo Lãnh đạo phòng (dữ liệu minh họa).",
)
# The departments' own levels for 2019, as the leader recorded them.
UNIT_LEVELS_2019 = {
    "VP": Level.HTT,
    "TTr": Level.HTT,
    "THQH": Level.HTT,
    "KTN": Level.HTNV,
    "ĐKKD": Level.HTT,
    "KTĐN": Level.HTXS,
    "ĐTTĐ": Level.HTNV,
    "KGVX": Level.HTNV,
}
# Registrations at the start of 2019 (default Lao động tiên tiến; these people aimed higher).
REGISTERED_CSTDCS = ("cv.thqh", "cv.ktdn", "tp.ktdn", "truongphong")
REGISTERED_LDXS = ("KTĐN", "ĐKKD")
# The council's ballot on Chiến sĩ thi đua cơ sở (votes for, of COUNCIL_MEMBERS).
BALLOT = {"cv.ktdn": 8, "cv.thqh": 9}


def _newcomer(agency: Agency, password_of: User) -> User:
    username, department_code, full_name, position, _ = NEWCOMER
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "position": position,
            "role": Role.STAFF,
            "agency": agency,
            "department": Department.objects.get(agency=agency, code=department_code),
            "email": f"{username}@example.invalid",
            "password": password_of.password,
        },
    )
    return user


def _rater(rating: Rating, people: People) -> User:
    if rating.is_head:
        return people.leader
    return people.heads[rating.department_id]


def _ratings(round_: Round) -> list[Rating]:
    return list(round_.ratings.select_related("person", "department", "round"))


def _registrations(round_: Round, ratings: list[Rating], people: People) -> None:
    rows = [
        Registration(
            round=round_,
            person=rating.person,
            title=Title.CSTDCS if rating.person.username in REGISTERED_CSTDCS else Title.LDTT,
            registered_on=REGISTERED_ON,
            registered_by=people.heads.get(rating.department_id, people.leader),
        )
        for rating in ratings
        if rating.person.username != NEWCOMER[0]  # joined in August
    ]
    for department in Department.objects.filter(agency_id=round_.agency_id).order_by("position"):
        rows.append(
            Registration(
                round=round_,
                department=department,
                title=Title.TT_LDXS if department.code in REGISTERED_LDXS else Title.TT_LDTT,
                registered_on=REGISTERED_ON,
                registered_by=people.heads.get(department.pk, people.leader),
            )
        )
    Registration.objects.bulk_create(rows)


def _emulation_facts(agency: Agency, users: dict[str, User], clerk: User) -> None:
    username, title, recognised_on, decision = INITIATIVE
    Initiative.objects.get_or_create(
        agency=agency,
        person=users[username],
        title=title,
        defaults={"recognised_on": recognised_on, "decision": decision, "recorded_by": clerk},
    )
    username, form, decided_on, decision, reason = DISCIPLINE
    Discipline.objects.get_or_create(
        agency=agency,
        person=users[username],
        decided_on=decided_on,
        defaults={"form": form, "decision": decision, "reason": reason, "recorded_by": clerk},
    )


def _rate_2019(round_: Round, ratings: list[Rating], people: People) -> None:
    """Each form submitted, each proposal (the rules' suggestion unless DEPARTURES_2019 says otherwise),
    the cap justified, each level decided."""
    leader = people.leader
    for rating in ratings:
        if rating.person.username == NEWCOMER[0]:
            services.set_time_worked(rating, by=leader, months_worked=NEWCOMER[4], maternity=False)
            rating.months_worked = NEWCOMER[4]
        rating.general_met = True  # every head finds the general criteria met (see propose below)
    suggested = services.suggestions(round_, ratings)
    proposals = {}
    for rating in ratings:
        username = rating.person.username
        level, reason = DEPARTURES_2019.get(username, (suggested[rating.pk].level or "", ""))
        proposals[rating.pk] = (level, reason)
        self_level = SELF_LEVELS_2019.get(username, level)
        services.self_assess(
            rating, by=rating.person, self_review=SELF_REVIEW[self_level], self_level=self_level, submit=True
        )
    for rating in ratings:
        level, reason = proposals[rating.pk]
        comment = COMMENT[level] if level else NOT_RATED_COMMENT
        services.propose(
            rating, by=_rater(rating, people), level=level, comment=comment, reason=reason, general_met=True
        )
    services.justify_cap(round_, by=leader, text=CAP_JUSTIFICATION)
    for rating in ratings:
        level, _ = proposals[rating.pk]
        services.decide(rating, by=leader, level=level)


def _titles_2019(round_: Round, ratings: list[Rating], people: People) -> None:
    """The departments' levels, the nominations, the council's ballot and the leader's decision."""
    leader = people.leader
    departments = {d.code: d for d in Department.objects.filter(agency_id=round_.agency_id)}
    for code, level in UNIT_LEVELS_2019.items():
        services.set_unit_level(round_, department=departments[code], level=level, by=leader)
    services.set_council(round_, members=COUNCIL_MEMBERS)
    good = [rating for rating in ratings if rating.decided_level in (Level.HTXS, Level.HTT)]
    for rating in good:
        services.nominate(round_, by=_rater(rating, people), title=Title.LDTT, person=rating.person)
    by_username = {rating.person.username: rating.person for rating in ratings}
    for username, votes in BALLOT.items():
        nomination = services.nominate(round_, by=leader, title=Title.CSTDCS, person=by_username[username])
        services.record_ballot(nomination, votes_for=votes)
    services.nominate(round_, by=leader, title=Title.TT_LDTT, department=departments["THQH"])
    services.nominate(round_, by=leader, title=Title.TT_LDXS, department=departments["KTĐN"])
    services.decide_titles(round_, by=leader, number=TITLES_NUMBER, date=TITLES_ON)


def _date_2019(round_: Round) -> None:
    """Date the round's records back to when they happened (the services stamp the real time)."""
    Round.objects.filter(pk=round_.pk).update(
        created_at=_at(CREATED_ON, 8), titles_decided_at=_at(TITLES_ON, 15)
    )
    ratings = Rating.objects.filter(round=round_)
    ratings.update(
        submitted_at=_at(SUBMITTED_ON, 10),
        proposed_at=_at(PROPOSED_ON, 15),
        decided_at=_at(DECIDED_ON, 16),
        counted_at=_at(PROPOSED_ON, 15),
    )
    events = RatingEvent.objects.filter(rating__round=round_)
    for kind, day, hour in (
        (RatingEvent.Kind.SUBMIT, SUBMITTED_ON, 10),
        (RatingEvent.Kind.PROPOSE, PROPOSED_ON, 15),
        (RatingEvent.Kind.DECIDE, DECIDED_ON, 16),
    ):
        events.filter(kind=kind).update(created_at=_at(day, hour))
    round_events = RoundEvent.objects.filter(round=round_)
    round_events.filter(kind=RoundEvent.Kind.CAP).update(created_at=_at(CAP_ON, 14))
    round_events.filter(kind=RoundEvent.Kind.TITLES).update(created_at=_at(TITLES_ON, 15))
    Nomination.objects.filter(round=round_).update(proposed_at=_at(TITLES_ON - datetime.timedelta(days=3), 9))


def load_2019(agency: Agency, people: People, users: dict[str, User]) -> Round | None:
    """The decided 2019 round with its titles (see the module's docstring); None when it is there."""
    plan = Plan.objects.filter(agency=agency, year=2019, number=14).first()
    if plan is not None:
        assign_2019(plan, people)
    if Round.objects.filter(agency=agency, year=2019).exists():
        return None
    round_ = services.round_create(agency=agency, year=2019, by=people.leader)
    ratings = _ratings(round_)
    _registrations(round_, ratings, people)
    _emulation_facts(agency, users, people.clerk)
    _rate_2019(round_, ratings, people)
    _titles_2019(round_, _ratings(round_), people)
    _date_2019(round_)
    return round_


# The current year's round: the forms submitted, and those their head proposed with (general points, task
# points the head enters when nothing was assigned). chuyenvien's form is left a draft.
CURRENT_SUBMITTED = ("cv.dkkd", "cv.vp", "cv.ttr", "cv.thqh", "cv.ktdn")
CURRENT_PROPOSED = {"cv.dkkd": (Decimal(27), Decimal(60)), "cv.vp": (Decimal(27), Decimal(56))}
CURRENT_SELF_LEVEL = Level.HTT


def load_current_year(agency: Agency, people: People, today: datetime.date) -> Round | None:
    """This year's open round (module docstring); None when it is there."""
    year = today.year
    if year < POINTS_FROM or Round.objects.filter(agency=agency, year=year).exists():
        return None
    round_ = services.round_create(agency=agency, year=year, by=people.leader)
    ratings = {rating.person.username: rating for rating in _ratings(round_)}
    for username in CURRENT_SUBMITTED:
        rating = ratings[username]
        services.self_assess(
            rating,
            by=rating.person,
            self_review=SELF_REVIEW[CURRENT_SELF_LEVEL],
            self_level=CURRENT_SELF_LEVEL,
            submit=True,
        )
    for username, (general, task_points) in CURRENT_PROPOSED.items():
        rating = ratings[username]
        rating.general_points = general
        if not rating.assigned:
            rating.task_points = task_points
        found = services.suggestion(rating)
        services.propose(
            rating,
            by=_rater(rating, people),
            level=found.level,
            comment=COMMENT[found.level],
            general_points=general,
            entered_task_points=task_points if not rating.assigned else None,
        )
    return round_


def load_ratings(*, people: People, users: dict[str, User], today: datetime.date) -> None:
    """The demo's two rating rounds (module docstring); `people` are those of Sở KH&ĐT."""
    agency = people.clerk.agency
    _newcomer(agency, users["chuyenvien"])
    load_2019(agency, people, users)
    load_current_year(agency, people, today)
