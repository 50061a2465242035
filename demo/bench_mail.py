"""The benchmark's figures for e-mail: the daily digests of 1,000 people sent by one worker to an SMTP
server on the loopback interface, and what the bell in the top bar adds to a page.

Digests. `count` people are added to one agency of the data set (the one with the most departments):
each with an address and a few notices not yet mailed on the agency's tasks, of mixed kinds, mostly
staff, one in HEAD_EVERY a head of department (whose digest holds the department's state) and one in
LEADER_EVERY a leader. On the latest first working day of a week (the leaders' digest then holds the
week's summary), at the agency's digest hour (time_machine), claim_digests and deliver_due run in this
process, one after the other, as one worker runs them, against an aiosmtpd server on 127.0.0.1 that
counts the messages it accepts. Everyone already in the database is recorded as mailed that day, so
that the run sends exactly the people added. The writes are committed as the job commits them (a
transaction around the run would leave the commits out of the time) and deleted afterwards; the
messages the server received cannot be unsent, and need not be.

Bell. The bell reads User.unread_notifications, a column of the user row the authentication middleware
loads anyway. Ordinary pages are requested by a person with unread notices twice: as they are, and with
a copy of templates/base.html without the bell; the difference in queries is what the bell adds.
"""

import copy
import datetime
import logging
import random
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.template.loader import get_template
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agency, Department, Role, User
from cchc import periods
from notifications import receivers, reminders
from notifications.mailing import claim_digests, deliver_due
from notifications.models import DEFAULT_DIGEST_TIME, AgencySettings, Mail, Notification
from notifications.services import Notice, notify
from tasks.models import Task
from tasks.selectors import OPEN_STATES, live_plans

DIGESTS = 1000
DIGEST_TARGET_SECONDS = 60
BELL_TARGET_QUERIES = 1
HEAD_EVERY = 10  # one person added in ten heads a department
LEADER_EVERY = 50  # one in fifty is a leader of the agency
NOTICES = (2, 6)  # notices of each person added: at least, at most
NOTICED_BEFORE = datetime.timedelta(hours=1)  # the notices are written this long before the hour
USERNAME_PREFIX = "bench_mail_"
BATCH = 1000
PENDING = (Mail.Status.PENDING, Mail.Status.RETRY, Mail.Status.SENDING)

Kind = Notification.Kind
# The kinds written, in the words the app writes them (notifications.receivers, notifications.reminders).
TEXTS = {
    kind: (receivers.TEXTS | reminders.TEXTS)[kind]
    for kind in (
        Kind.ASSIGNED,
        Kind.UPCOMING,
        Kind.DUE_TODAY,
        Kind.OVERDUE,
        Kind.DIRECTION,
        Kind.DEADLINE_CHANGED,
        Kind.REPORT_APPROVED,
        Kind.UPDATE_DUE,
    )
}
INFO_KINDS = (Kind.UPCOMING, Kind.OVERDUE)  # also told "để biết" to a coordinating department

BELL_TEMPLATE = "notifications/_bell.html"  # the bell of the top bar, included by base.html
BELL_PAGES = [
    ("Việc của tôi", "tasks:mine"),
    ("Danh sách kế hoạch", "plans:list"),
    ("Tài khoản", "profile"),
]


@dataclass(frozen=True)
class DigestFigures:
    count: int  # people added, each due a digest
    day: datetime.date
    claimed: int  # mails claim_digests wrote
    claim_seconds: float
    send_seconds: float
    claim_queries: int
    sent: int  # mails deliver_due marked sent
    received: int  # messages the SMTP server accepted

    @property
    def total_seconds(self) -> float:
        return self.claim_seconds + self.send_seconds


@dataclass(frozen=True)
class BellFigures:
    user: str
    unread: int
    pages: list[tuple[str, int, int]]  # label, queries without the bell, with it

    @property
    def added(self) -> int:
        """The most queries the bell adds to any of the pages."""
        return max(with_bell - without for _label, without, with_bell in self.pages)


# Digests -------------------------------------------------------------------------------------------


class _Counting:
    """An aiosmtpd handler that accepts every message and counts them."""

    def __init__(self):
        self.received = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.received += 1
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _smtp_server():
    try:
        from aiosmtpd.controller import Controller
    except ImportError as error:
        raise RuntimeError(
            "Đo gửi thư cần aiosmtpd (gói kiểm thử): chạy `make install-test` rồi chạy lại."
        ) from error
    handler = _Counting()
    return Controller(handler, hostname="127.0.0.1", port=_free_port()), handler


def _time_machine():
    try:
        import time_machine
    except ImportError as error:
        raise RuntimeError(
            "Đo gửi thư cần time-machine (gói kiểm thử): chạy `make install-test` rồi chạy lại."
        ) from error
    return time_machine


def measured_agency() -> Agency:
    """The agency with the most departments (the first of them) that has tasks."""
    agency = (
        Agency.objects.filter(Exists(Task.objects.filter(plan__agency=OuterRef("pk"))))
        .annotate(departments_count=Count("departments"))
        .order_by("-departments_count", "pk")
        .first()
    )
    if agency is None:
        raise ValueError("The data set has no agency with tasks to write notices on.")
    return agency


def digest_day(agency_id: int, today: datetime.date | None = None) -> datetime.date:
    """The latest first working day of a week up to `today` (the local date by default)."""
    calendar = periods.WorkingCalendar(agency_id)
    day = today or timezone.localdate()
    while True:
        monday = day - datetime.timedelta(days=day.weekday())
        if calendar.is_working_day(day) and not any(
            calendar.is_working_day(monday + datetime.timedelta(days=n)) for n in range(day.weekday())
        ):
            return day
        day -= periods.ONE_DAY


def _mark_others_mailed(day: datetime.date) -> None:
    """Record every person already in the database as sent the digest of `day`, but those who have
    one (the keys begin with USERNAME_PREFIX)."""
    mailed = Mail.objects.filter(kind=Mail.Kind.DIGEST, day=day).values("recipient_id")
    rows = [
        Mail(
            recipient_id=pk,
            kind=Mail.Kind.DIGEST,
            day=day,
            key=f"{USERNAME_PREFIX}{pk}:{day.isoformat()}",
            address=email,
            status=Mail.Status.SENT,
        )
        for pk, email in User.objects.exclude(pk__in=mailed).values_list("pk", "email")
    ]
    Mail.objects.bulk_create(rows, batch_size=BATCH)


def add_people(agency: Agency, count: int, day: datetime.date, *, seed: int = 2026) -> list[int]:
    """Write `count` people of `agency` with addresses and each a few notices on the agency's open
    tasks of the plans in hand on `day` (those their department leads, when it leads some): news a
    digest carries (mailing.still_news). Returns their ids."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    departments = list(Department.objects.filter(agency=agency).order_by("position", "pk"))
    if not departments:
        raise ValueError(f"{agency} has no department to add people to.")
    tasks = list(
        Task.objects.filter(
            plan__in=live_plans(day), plan__agency=agency, state__in=OPEN_STATES, due_date__isnull=False
        )
        .order_by("-plan__year", "sort_key", "pk")
        .values("pk", "number", "content", "due_date", "lead_department_id")[:5000]
    )
    if not tasks:
        raise ValueError(f"{agency} has no open task with a due date in a live plan to write notices on.")
    led: dict[int, list[dict]] = {}
    for task in tasks:
        led.setdefault(task["lead_department_id"], []).append(task)
    actor = User.objects.filter(agency=agency, role__in=(Role.LEADER, Role.CLERK)).order_by("-role").first()

    password = make_password(None)
    people = []
    for index in range(count):
        if index % LEADER_EVERY == LEADER_EVERY - 1:
            role, department = Role.LEADER, None
        elif index % HEAD_EVERY == HEAD_EVERY - 1:
            role, department = Role.DEPT_HEAD, departments[index // HEAD_EVERY % len(departments)]
        else:
            role, department = Role.STAFF, departments[index % len(departments)]
        username = f"{USERNAME_PREFIX}{index + 1:05d}"
        people.append(
            User(
                username=username,
                email=f"{username}@so.example.vn",
                password=password,
                full_name=f"Người nhận thư {index + 1}",
                position="Chuyên viên",
                role=role,
                agency=agency,
                department=department,
            )
        )
    User.objects.bulk_create(people, batch_size=BATCH)
    people = list(User.objects.filter(username__startswith=USERNAME_PREFIX).order_by("pk"))

    kinds = list(TEXTS)
    notices = []
    for person in people:
        own = led.get(person.department_id) or tasks
        for kind in rng.sample(kinds, rng.randint(*NOTICES)):
            task = rng.choice(own)
            info = kind in INFO_KINDS and rng.random() < 0.3
            due = f"{task['due_date']:%d/%m/%Y}"
            text = TEXTS[kind].format(  # the words each kind's text asks for; the others go unused
                actor=actor.full_name if actor else "Lãnh đạo cơ quan",
                number=task["number"],
                due=due,
                deadline=due,
                content=reminders.short(task["content"]),
                offset=3,
                late=2,
                text="Đề nghị khẩn trương hoàn thành.",
                reason="Điều chỉnh kế hoạch.",
                department="đơn vị chủ trì",
            )
            notices.append(
                Notice(
                    recipient_id=person.pk,
                    kind=kind,
                    text=reminders.INFO + text if info else text,
                    key=f"{USERNAME_PREFIX}{kind}:{person.pk}:{task['pk']}",
                    task_id=task["pk"],
                    actor_id=actor.pk if actor and kind in (Kind.ASSIGNED, Kind.DIRECTION) else None,
                    info=info,
                )
            )
    for start in range(0, len(notices), BATCH):
        notify(notices[start : start + BATCH])
    return [person.pk for person in people]


def _digest_hour(agency: Agency, day: datetime.date) -> datetime.datetime:
    hour = (
        AgencySettings.objects.filter(agency=agency).values_list("digest_time", flat=True).first()
        or DEFAULT_DIGEST_TIME
    )
    return timezone.make_aware(datetime.datetime.combine(day, hour))


def _clean_up() -> None:
    """Delete what a run wrote, found by name: the people added (with their notices and mails) and the
    mails recorded for the others, even when the run stopped half-way."""
    Mail.objects.filter(key__startswith=USERNAME_PREFIX).delete()
    people = User.objects.filter(username__startswith=USERNAME_PREFIX)
    while batch := list(people.values_list("pk", flat=True)[:BATCH]):
        User.objects.filter(pk__in=batch).delete()


def measure_digests(
    count: int = DIGESTS, *, today: datetime.date | None = None, seed: int = 2026
) -> DigestFigures:
    """Time claim_digests and deliver_due, in this process, for the digests of `count` people added to
    the data set, sent to an SMTP server on 127.0.0.1; everything written is deleted afterwards."""
    if count < 1:
        raise ValueError("count must be at least 1.")
    if (
        User.objects.filter(username__startswith=USERNAME_PREFIX).exists()
        or Mail.objects.filter(key__startswith=USERNAME_PREFIX).exists()
    ):
        raise ValueError(f"The database holds rows named {USERNAME_PREFIX}…: left by an earlier run?")
    if Mail.objects.filter(status__in=PENDING).exists():
        raise ValueError("The database holds mails waiting to be sent: they would be sent with the digests.")
    time_machine = _time_machine()
    server, handler = _smtp_server()
    agency = measured_agency()
    day = digest_day(agency.pk, today)
    hour = _digest_hour(agency, day)
    smtp = override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST=server.hostname,
        EMAIL_PORT=server.port,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=30,
    )
    quiet = logging.getLogger("mail.log")  # aiosmtpd logs every SMTP command at INFO
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    server.start()
    try:
        with override_settings(DEBUG=False), smtp:  # DEBUG off: no query log but the claim's
            with time_machine.travel(hour - NOTICED_BEFORE, tick=True):
                _mark_others_mailed(day)
                add_people(agency, count, day, seed=seed)
            with time_machine.travel(hour, tick=True):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    claimed = claim_digests(timezone.now())
                    claim_seconds = time.perf_counter() - started
                started = time.perf_counter()
                result = deliver_due()
                send_seconds = time.perf_counter() - started
    finally:
        server.stop()
        quiet.setLevel(level)
        _clean_up()
    return DigestFigures(
        count=count,
        day=day,
        claimed=len(claimed),
        claim_seconds=claim_seconds,
        send_seconds=send_seconds,
        claim_queries=len(queries),
        sent=result.sent,
        received=handler.received,
    )


# The bell ------------------------------------------------------------------------------------------


def _without_bell(directory: Path) -> dict:
    """TEMPLATES with `directory` searched first, where the bell's template is empty."""
    if f'{{% include "{BELL_TEMPLATE}" %}}' not in Path(get_template("base.html").origin.name).read_text(
        "utf-8"
    ):
        raise RuntimeError(f"base.html does not include {BELL_TEMPLATE}: see demo.bench_mail.BELL_TEMPLATE.")
    (directory / BELL_TEMPLATE).parent.mkdir(parents=True, exist_ok=True)
    (directory / BELL_TEMPLATE).write_text("", encoding="utf-8")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [directory, *templates[0].get("DIRS", [])]
    return templates


def _queries(client: Client, url: str, *, bell: bool) -> int:
    """Queries of one request of `url` after one to warm it up."""
    for warm in (True, False):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, secure=True)  # secure: no HTTPS redirect when the settings ask
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}, expected 200.")
        if not warm:
            content = response.content.decode()
            if bell != ("data-unread" in content):
                raise RuntimeError(f"GET {url}: the bell's count is {'missing' if bell else 'still there'}.")
    return len(queries)


def bell_user() -> User:
    """The staff member with the most tasks assigned (the first of them)."""
    user = (
        User.objects.filter(role=Role.STAFF, is_active=True, agency__isnull=False)
        .annotate(assigned=Count("assigned_tasks"))
        .order_by("-assigned", "pk")
        .first()
    )
    if user is None:
        raise ValueError("The data set has no staff member to request pages as.")
    return user


def measure_bell(user: User | None = None, *, notices: int = 3) -> BellFigures:
    """The queries of ordinary pages for `user` with `notices` unread notices, with and without the
    bell; the notices are rolled back."""
    user = user or bell_user()
    with transaction.atomic(), tempfile.TemporaryDirectory(prefix="cchc-bell-") as directory:
        notify(
            Notice(
                recipient_id=user.pk, kind=Kind.ASSIGNED, text=f"Thông báo thử {n}.", key=f"bench-bell:{n}"
            )
            for n in range(notices)
        )
        user.refresh_from_db(fields=["unread_notifications"])
        client = Client()
        client.force_login(user)
        pages = []
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            for label, name in BELL_PAGES:
                url = reverse(name)
                with_bell = _queries(client, url, bell=True)
                with override_settings(TEMPLATES=_without_bell(Path(directory))):
                    without = _queries(client, url, bell=False)
                pages.append((label, without, with_bell))
        unread = user.unread_notifications
        transaction.set_rollback(True)
    return BellFigures(user=user.username, unread=unread, pages=pages)
