"""Notices by e-mail: which mails are due, claimed in the sent log before they are sent, and sent.

Two kinds of mail (Mail.Kind):
  - the daily digest, on each working day of the person's agency at their hour (Preference.digest_time,
    else AgencySettings.digest_time, else 07:30 Vietnam time): the notices not yet mailed, those that
    must be acted on first by urgency, then those "để biết"; for a head of department the state of the
    department (overdue, due soon, waiting approval); for a leader, on the first working day of the
    week, the week's summary by department. Nothing is sent when all of that is empty.
  - the urgent mail: a report returned or waiting for approval goes at once (within the minute the
    delivery job runs), but a person gets at most one such mail per URGENT_GAP; what comes in between
    waits for the next one, so that ten returns in a minute are one mail.

Exactly once: claim_digests and claim_urgent write a Mail row with a unique key (kind, person, day or
minute) and attach the notices it carries (Notification.mail) in one transaction; a notice is carried by
one mail only. deliver_due sends the rows due, each taken first with a conditional UPDATE (a lease): a
second worker finds it taken, a worker killed mid-send leaves a lease that expires, and the next run sends
it again. A mail is marked sent once the SMTP server has accepted it; it keeps its Message-ID on every
attempt, so that the one mail a worker killed after the server's answer sends twice is one message for
the mail system. An SMTP failure is retried with backoff (1, 2, 4 … minutes, at most
MAIL_RETRY_MAX_SECONDS apart, for MAIL_RETRY_FOR_SECONDS); a refused or malformed address is recorded on
the person's Preference (shown to the agency's administrator), and the others go on.
"""

import datetime
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Case, Count, F, Min, OuterRef, Q, Subquery, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from accounts.models import Role, User
from cchc import periods
from notifications.models import DEFAULT_DIGEST_TIME, Mail, Notification, Preference, address_failing
from tasks.models import Task
from tasks.selectors import due_within, listed, live_plans
from tasks.status import Status

Kind = Notification.Kind

URGENT_KINDS = (Kind.REPORT_RETURNED, Kind.REPORT_PENDING)
URGENT_GAP = datetime.timedelta(minutes=15)
# A notice older than this when its mail is composed is not mailed any more (it stays in the app): a
# person given an address after months is not sent months of reminders.
LOOKBACK = datetime.timedelta(days=7)
# The order of a digest: what is late first, then what waits on the reader, then what is coming.
URGENCY = [
    Kind.ESCALATION,
    Kind.OVERDUE,
    Kind.REPORT_RETURNED,
    Kind.DUE_TODAY,
    Kind.REPORT_PENDING,
    Kind.UPCOMING,
    Kind.UPDATE_DUE,
    Kind.DIRECTION,
    Kind.DIRECTION_REPLIED,
    Kind.DEADLINE_CHANGED,
    Kind.LEAD_CHANGED,
    Kind.ASSIGNED,
    Kind.CONTRIBUTION_ASKED,
    Kind.REPORT_APPROVED,
]
RANK = {kind: rank for rank, kind in enumerate(URGENCY)}
REMINDER_KINDS = (Kind.UPCOMING, Kind.DUE_TODAY, Kind.OVERDUE, Kind.ESCALATION, Kind.UPDATE_DUE)
SUMMARY_LENGTH = 160  # characters of a task's content quoted under an event's line
SECTION_ROWS = 10  # tasks listed per group of a head's department section (the rest by a link)


# Claiming -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    pk: int
    agency_id: int
    role: str
    email: str
    digest_time: datetime.time


def _people(users, now: datetime.datetime) -> list[_Person]:
    """Those of `users` who can be mailed: active, in an agency, not an overseer, with an address, mail
    not turned off, the address not recorded as failing. One query."""
    rows = (
        users.filter(is_active=True, agency__isnull=False)
        .exclude(role=Role.OVERSEER)
        .exclude(email="")
        .exclude(notification_preference__mail_enabled=False)
        .values_list(
            "pk",
            "agency_id",
            "role",
            "email",
            "notification_preference__digest_time",
            "agency__notification_settings__digest_time",
            "notification_preference__address_problem",
            "notification_preference__problem_address",
        )
    )
    people = []
    for pk, agency_id, role, email, own, agency, problem, problem_address in rows:
        if address_failing(problem, problem_address, email):
            continue
        people.append(_Person(pk, agency_id, role, email, own or agency or DEFAULT_DIGEST_TIME))
    return people


def _working_today(agency_ids, today: datetime.date) -> set[int]:
    return {agency_id for agency_id in agency_ids if periods.is_working_day(today, agency_id)}


def _first_working_day_of_week(agency_id: int, today: datetime.date) -> bool:
    calendar = periods.WorkingCalendar(agency_id)
    monday = today - datetime.timedelta(days=today.weekday())
    day = monday
    while day < today and not calendar.is_working_day(day):
        day += periods.ONE_DAY
    return day == today and calendar.is_working_day(today)


def _unmailed(now: datetime.datetime):
    return Notification.objects.filter(mail__isnull=True, created_at__lte=now)


@transaction.atomic
def _claim(mails: list[Mail], now: datetime.datetime, kinds=None) -> list[Mail]:
    """Write the mails whose key is new and attach to each the notices of its recipient not yet
    mailed (of `kinds`, when given). Returns the mails written."""
    Mail.objects.bulk_create(mails, ignore_conflicts=True)
    keys = [mail.key for mail in mails]
    # the rows just written (a key written by a concurrent run is that run's, sent by it)
    written = Mail.objects.filter(key__in=keys, status=Mail.Status.PENDING, attempts=0)
    carried = _unmailed(now).filter(recipient_id__in=written.values("recipient_id"))
    if kinds is not None:
        carried = carried.filter(kind__in=kinds)
    # one UPDATE for every mail: each notice to the one mail of its recipient among the keys
    carried.update(mail=Subquery(written.filter(recipient_id=OuterRef("recipient_id")).values("pk")[:1]))
    return list(written)


def claim_digests(now: datetime.datetime | None = None) -> list[Mail]:
    """The daily digests due at `now` and not yet claimed today, for those whose hour has come on a
    working day of their agency: who has notices not yet mailed from before today's hour (what comes
    after it waits for tomorrow's), every head of department (the department's state), and the leaders
    on the first working day of the week (the week's summary). A run after downtime claims the digests
    of the hours it missed; the unique key (person, day) makes a second claim of a day nothing."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    today = local.date()
    first_notice = dict(
        _unmailed(now)
        .order_by()
        .values("recipient_id")
        .annotate(first=Min("created_at"))
        .values_list("recipient_id", "first")
    )
    users = User.objects.filter(
        Q(pk__in=_unmailed(now).values("recipient_id")) | Q(role__in=(Role.DEPT_HEAD, Role.LEADER))
    ).exclude(pk__in=Mail.objects.filter(kind=Mail.Kind.DIGEST, day=today).values("recipient_id"))
    people = [person for person in _people(users, now) if person.digest_time <= local.time()]
    working = _working_today({person.agency_id for person in people}, today)
    weekly_agencies = {agency_id for agency_id in working if _first_working_day_of_week(agency_id, today)}
    mails = []
    for person in people:
        if person.agency_id not in working:
            continue
        hour = timezone.make_aware(datetime.datetime.combine(today, person.digest_time))
        noticed = person.pk in first_notice and first_notice[person.pk] < hour
        weekly = person.role == Role.LEADER and person.agency_id in weekly_agencies
        if not (noticed or weekly or person.role == Role.DEPT_HEAD):
            continue
        mails.append(
            Mail(
                recipient_id=person.pk,
                kind=Mail.Kind.DIGEST,
                day=today,
                key=f"digest:{person.pk}:{today.isoformat()}",
                weekly=weekly,
                address=person.email,
            )
        )
    return _claim(mails, now) if mails else []


def claim_urgent(now: datetime.datetime | None = None) -> list[Mail]:
    """One urgent mail for each person with urgent notices not yet mailed whose last urgent mail is at
    least URGENT_GAP old: it carries all of them."""
    now = now or timezone.now()
    waiting = _unmailed(now).filter(kind__in=URGENT_KINDS, created_at__gte=now - LOOKBACK)
    recent = Mail.objects.filter(kind=Mail.Kind.URGENT, created_at__gt=now - URGENT_GAP)
    users = User.objects.filter(pk__in=waiting.values("recipient_id")).exclude(
        pk__in=recent.values("recipient_id")
    )
    stamp = timezone.localtime(now).strftime("%Y-%m-%dT%H:%M")
    mails = [
        Mail(
            recipient_id=person.pk,
            kind=Mail.Kind.URGENT,
            day=timezone.localdate(now),
            key=f"urgent:{person.pk}:{stamp}",
            address=person.email,
        )
        for person in _people(users, now)
    ]
    return _claim(mails, now, kinds=URGENT_KINDS) if mails else []


# Composing ------------------------------------------------------------------------------------------


@dataclass
class Line:
    """One line of a mail: a notice, its task and a link that opens it (and marks it read)."""

    text: str
    kind_label: str
    url: str
    task_number: str = ""
    due: datetime.date | None = None
    task_summary: str = ""  # the task's content, for a notice whose words do not hold it


@dataclass
class DepartmentSection:
    """A head's department on the digest's day: each group's count and its first rows."""

    name: str
    url: str
    groups: list[tuple[str, int, list[Line]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(count for _label, count, _rows in self.groups)


@dataclass
class WeekRow:
    department: str
    overdue: int
    due_soon: int
    pending: int


@dataclass
class Composed:
    subject: str
    text: str
    html: str
    included: list[int] = field(default_factory=list)  # the notices whose lines the mail holds


def _url(path: str) -> str:
    return settings.SITE_URL + path


def _lines(notices) -> list[Line]:
    return [
        Line(
            text=notice.text,
            kind_label=notice.get_kind_display(),
            url=_url(reverse("notifications:open", args=[notice.pk])),
            task_number=notice.task.number if notice.task else "",
            due=notice.task.due_date if notice.task and notice.kind not in REMINDER_KINDS else None,
            task_summary=_summary(notice),
        )
        for notice in notices
    ]


def _summary(notice: Notification) -> str:
    if notice.task is None or notice.kind in REMINDER_KINDS:
        return ""  # a reminder quotes the task's content itself
    return Truncator(" ".join(notice.task.content.split())).chars(SUMMARY_LENGTH)


def _department_tasks(department_id: int, today: datetime.date):
    tasks = Task.objects.filter(plan__in=live_plans(today), lead_department_id=department_id)
    return listed(tasks, today)


def department_section(user: User, today: datetime.date) -> DepartmentSection | None:
    """What a head of department reads of the department each morning; None when nothing is in it."""
    if user.role != Role.DEPT_HEAD or user.department_id is None:
        return None
    tasks = _department_tasks(user.department_id, today)
    groups = [
        ("Quá hạn", tasks.filter(status=Status.OPEN_OVERDUE).order_by("due_on", "sort_key")),
        ("Sắp đến hạn", due_within(tasks, settings.DUE_SOON_DAYS, today).order_by("next_on", "sort_key")),
        ("Chờ duyệt báo cáo", tasks.filter(state=Task.State.PENDING).order_by("sort_key")),
    ]
    section = DepartmentSection(name=user.department.name, url=_url(reverse("tasks:department")))
    for label, group in groups:
        count = group.count()
        if count:
            rows = [
                Line(
                    text=task.content,
                    kind_label=label,
                    url=_url(reverse("tasks:detail", args=[task.pk])),
                    task_number=task.number,
                    due=task.due_date,
                )
                for task in group[:SECTION_ROWS]
            ]
            section.groups.append((label, count, rows))
    return section if section.total else None


def week_summary(agency_id: int, today: datetime.date) -> list[WeekRow]:
    """The leaders' weekly summary: by lead department, its overdue tasks, those due soon and those
    waiting approval, counted in one query."""
    tasks = listed(Task.objects.filter(plan__in=live_plans(today), plan__agency_id=agency_id), today)
    soon = due_within(tasks, settings.DUE_SOON_DAYS, today).values("pk")
    rows = (
        tasks.values(department=F("lead_department__name"))
        .annotate(
            overdue=Count("pk", filter=Q(status=Status.OPEN_OVERDUE)),
            due_soon=Count("pk", filter=Q(pk__in=soon)),
            pending=Count("pk", filter=Q(state=Task.State.PENDING)),
        )
        .order_by("department")
    )
    return [WeekRow(**row) for row in rows if row["overdue"] or row["due_soon"] or row["pending"]]


def still_news(notice: Notification, day: datetime.date) -> bool:
    """Whether a notice is worth mailing now: a report waiting for approval that was approved or
    returned meanwhile is not, nor a reminder of a task since completed or cancelled."""
    task = notice.task
    if task is None:
        return True
    if task.plan.year < day.year - 1:
        return False  # a task of a plan of years ago: history, not news
    if notice.kind == Kind.REPORT_APPROVED:
        return True
    if notice.kind == Kind.REPORT_PENDING:
        return task.state == Task.State.PENDING
    return task.state not in (Task.State.COMPLETED, Task.State.CANCELLED)


def _due_of(notice: Notification) -> datetime.date:
    return (notice.task.due_date if notice.task else None) or datetime.date.max


def compose(mail: Mail) -> Composed | None:
    """The mail's subject and parts, from what it carries now: a notice read meanwhile, of a kind the
    person keeps in the app, or overtaken by events (still_news) is left out. None when there is nothing
    to send."""
    user = mail.recipient
    preference = Preference.objects.filter(user=user).first()
    not_mailed = set(preference.not_mailed) if preference else set()
    notices = [
        notice
        for notice in mail.notifications.filter(
            read_at__isnull=True, created_at__gte=mail.created_at - LOOKBACK
        )
        .select_related("task", "task__plan")
        .order_by("created_at", "pk")
        if notice.kind not in not_mailed and still_news(notice, mail.day)
    ]
    notices.sort(key=lambda notice: (RANK.get(notice.kind, len(RANK)), _due_of(notice)))
    act = _lines(notice for notice in notices if not notice.info)
    info = _lines(notice for notice in notices if notice.info)
    section = department_section(user, mail.day) if mail.kind == Mail.Kind.DIGEST else None
    week = week_summary(user.agency_id, mail.day) if mail.weekly else []
    if not (act or info or section or week):
        return None
    context = {
        "user": user,
        "mail": mail,
        "act": act,
        "info": info,
        "section": section,
        "week": week,
        "list_url": _url(reverse("notifications:list")),
        "settings_url": _url(reverse("notifications:preferences")),
        "site_url": settings.SITE_URL,
    }
    name = "digest" if mail.kind == Mail.Kind.DIGEST else "urgent"
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    context["subject"] = subject
    return Composed(
        subject=subject,
        text=render_to_string(f"emails/{name}-body.txt", context),
        html=render_to_string(f"emails/{name}-body.html", context),
        included=[notice.pk for notice in notices],
    )


# Sending --------------------------------------------------------------------------------------------


def _due(now: datetime.datetime) -> Q:
    return (
        Q(status=Mail.Status.PENDING)
        | Q(status=Mail.Status.RETRY, next_attempt_at__lte=now)
        | Q(status=Mail.Status.SENDING, lease_until__lt=now)
    )


def _backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), settings.MAIL_RETRY_MAX_SECONDS))


def _record_address_problem(user_id: int, address: str, problem: str, now: datetime.datetime) -> None:
    Preference.objects.update_or_create(
        user_id=user_id,
        defaults={"address_problem": problem[:300], "address_problem_at": now, "problem_address": address},
    )


class _ServerDown(Exception):
    """The SMTP server cannot be reached: the run stops and leaves the rest for the next."""


@dataclass
class DeliveryResult:
    sent: int = 0
    empty: int = 0
    retry: int = 0
    failed: int = 0

    def __bool__(self):
        return bool(self.sent or self.empty or self.retry or self.failed)


def deliver_due() -> DeliveryResult:
    """Send the mails due (pending, a retry whose time has come, or a send whose lease ran out) over
    one SMTP connection. Each is taken at the moment it is sent, so that its lease runs from then
    however long the run has lasted."""
    result = DeliveryResult()
    pks = list(Mail.objects.filter(_due(timezone.now())).order_by("pk").values_list("pk", flat=True))
    if not pks:
        return result
    connection = get_connection()  # SMTP: EMAIL_TIMEOUT bounds each wait on the server
    try:
        for pk in pks:
            try:
                _deliver(pk, connection, timezone.now(), result)
            except _ServerDown:
                break
    finally:
        _reset(connection)
    return result


def _take(pk: int, now: datetime.datetime) -> bool:
    lease = now + datetime.timedelta(seconds=settings.MAIL_LEASE_SECONDS)
    return bool(
        Mail.objects.filter(_due(now), pk=pk).update(
            status=Mail.Status.SENDING, lease_until=lease, attempts=F("attempts") + 1
        )
    )


def _deliver(pk: int, connection, now: datetime.datetime, result: DeliveryResult) -> None:
    if not _take(pk, now):
        return  # another worker has it, or it was sent meanwhile
    mail = Mail.objects.select_related("recipient", "recipient__department").get(pk=pk)
    address = mail.recipient.email or mail.address
    try:
        validate_email(address)
    except ValidationError:
        _record_address_problem(mail.recipient_id, address, "Địa chỉ thư điện tử không hợp lệ.", now)
        _finish(mail, Mail.Status.FAILED, error="Địa chỉ thư điện tử không hợp lệ.", address=address)
        result.failed += 1
        return
    composed = compose(mail)
    if composed is None:
        with transaction.atomic():
            _finish(mail, Mail.Status.EMPTY, address=address)
            Notification.objects.filter(mail=mail).update(in_mail=False)
        result.empty += 1
        return
    message = EmailMultiAlternatives(
        subject=composed.subject,
        body=composed.text,
        to=[address],
        headers={"Message-ID": mail.message_id},
        connection=connection,
    )
    message.attach_alternative(composed.html, "text/html")
    try:
        connection.open()  # once for the run (again after a failure closed it): not once per mail
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        problem = _refusal(error, address)
        _record_address_problem(mail.recipient_id, address, problem, now)
        _finish(mail, Mail.Status.FAILED, error=problem, subject=composed.subject, address=address)
        result.failed += 1
    except (smtplib.SMTPException, OSError) as error:
        _retry_later(mail, now, error, composed.subject, address)
        result.retry += 1
        _reset(connection)
        if isinstance(error, (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)):
            raise _ServerDown from error
    else:
        with transaction.atomic():  # one commit: the mail sent and which of its notices it held
            _finish(mail, Mail.Status.SENT, subject=composed.subject, address=address, sent_at=timezone.now())
            Notification.objects.filter(mail=mail).update(
                in_mail=Case(When(pk__in=composed.included, then=Value(True)), default=Value(False))
            )
        result.sent += 1


def _refusal(error: smtplib.SMTPRecipientsRefused, address: str) -> str:
    code, text = next(iter(error.recipients.values()), (0, b""))
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"Máy chủ thư từ chối địa chỉ {address} ({code} {text})."


def _reset(connection) -> None:
    """Close a connection that failed, so that the next mail opens a new one."""
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        connection.connection = None


def _retry_later(mail: Mail, now, error: Exception, subject: str, address: str) -> None:
    given_up = now - mail.created_at >= datetime.timedelta(seconds=settings.MAIL_RETRY_FOR_SECONDS)
    text = f"{type(error).__name__}: {error}"[:1000]
    if given_up:
        _finish(mail, Mail.Status.FAILED, error=text, subject=subject, address=address)
    else:
        _finish(
            mail,
            Mail.Status.RETRY,
            error=text,
            subject=subject,
            address=address,
            next_attempt_at=now + _backoff(mail.attempts),
        )


def _finish(mail: Mail, status: str, **values) -> None:
    """Record the outcome of an attempt, only while the attempt still holds the mail."""
    Mail.objects.filter(pk=mail.pk, status=Mail.Status.SENDING).update(
        status=status, lease_until=None, **values
    )
