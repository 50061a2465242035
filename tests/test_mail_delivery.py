"""Mail delivered to a real SMTP server on loopback (aiosmtpd): the parts that arrive, a refused address,
an hour without the server, and, where CI runs the real broker on PostgreSQL, a real worker process
killed mid-send and Redis dropping every connection. Nothing is lost, nothing is doubled but the one mail
the server had already accepted when its worker died, under the same Message-ID.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import environ
import pytest
import redis
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from cchc.celery import app as celery_app
from notifications import jobs, mailing
from notifications.models import Mail, Preference
from notifications.reminders import reminders_on
from notifications.services import Notice, notify
from tests.conftest import make_task, make_user
from tests.smtp_server import REFUSAL, SMTPServer

ROOT = Path(__file__).resolve().parent.parent
VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime.date(2019, 7, 1)  # a working day, the first of its week
DELIVER = "notifications.jobs.deliver_mail"
WORKER = [sys.executable, "-m", "celery", "-A", "cchc", "worker", "--pool=solo", "--concurrency=1"]
WORKER += ["--loglevel=INFO", "--without-mingle"]


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN)


def job(now: datetime.datetime) -> None:
    """What beat runs at `now`: the delivery every minute, the reminders' job first at each quarter."""
    with time_machine.travel(now, tick=False):
        if now.minute % 15 == 0:
            jobs.send_reminders()
        jobs.deliver_mail()


def tell(now: datetime.datetime, users, kind: str = "assigned") -> None:
    with time_machine.travel(now, tick=False):
        notify(
            [
                Notice(
                    recipient_id=user.pk,
                    kind=kind,
                    text=f"Được giao nhiệm vụ {user.pk}.",
                    key=f"{kind}-{user.pk}",
                )
                for user in users
            ]
        )


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, and Django's SMTP backend pointed at it as EMAIL_URL
    smtp://127.0.0.1:PORT points it (cchc.settings: EMAIL_CONFIG), without TLS."""
    server = SMTPServer()
    server.start()
    for name, value in environ.Env.email_url_config(f"smtp://127.0.0.1:{server.port}").items():
        setattr(settings, name, value)
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    yield server
    server.stop()


@pytest.fixture
def mailed(staff, dept_head, leader):
    for user in (staff, dept_head, leader):
        user.email = f"{user.username}@so.example.vn"
        user.save(update_fields=["email"])
    return staff, dept_head, leader


@pytest.fixture
def overdue(plan, department, clerk, mailed):
    return make_task(
        plan, department, by=clerk, number="7", deadline_text="28/6/2019", content="Rà soát văn bản"
    )


@pytest.fixture
def three_digests(overdue, mailed):
    """Monday's digests of a staff member (a notice), the head (the overdue task) and the leader (the
    week's summary)."""
    staff, _dept_head, _leader = mailed
    tell(at(MONDAY, 6, 0), [staff])
    return mailed


# In process, against the real SMTP server ----------------------------------------------------------


def test_a_digest_arrives_with_its_vietnamese_parts_and_its_message_id(smtp_server, overdue, dept_head):
    job(at(MONDAY, 7, 30))
    [received] = [message for message in smtp_server.messages if message.to == dept_head.email]
    sent = Mail.objects.get(recipient=dept_head)
    assert (sent.status, sent.attempts) == ("sent", 1)
    assert received.recipients == ("truongphong@so.example.vn",)
    assert received.subject == "[CCHC] 1 việc cần xử lý – ngày 01/07/2019"
    assert (
        received.message_id == sent.message_id == f"<cchc-mail-{sent.pk}@{settings.MAIL_MESSAGE_ID_DOMAIN}>"
    )
    assert received.text.startswith("Kính gửi Truongphong,")
    assert "Nhiệm vụ 7 đã quá hạn 1 ngày làm việc (hạn 28/06/2019): Rà soát văn bản" in received.text
    assert "TÌNH HÌNH NHIỆM VỤ CỦA PHÒNG ĐĂNG KÝ KINH DOANH" in received.text
    assert "Cần xử lý (1)" in received.html and "Rà soát văn bản" in received.html
    assert f"{settings.SITE_URL}/thong-bao/" in received.html
    job(at(MONDAY, 7, 45))
    assert [message.to for message in smtp_server.messages].count(dept_head.email) == 1


def test_an_address_the_server_refuses_is_recorded_and_the_others_arrive(smtp_server, three_digests):
    with time_machine.travel(at(MONDAY, 7, 30), tick=False):
        reminders_on(MONDAY)
        claimed = sorted(mailing.claim_digests(), key=lambda mail: mail.pk)
    assert len(claimed) == 3
    refused = claimed[0]  # the first of the run: the others go after it on the same connection
    smtp_server.mailbox.refused = {refused.address}
    job(at(MONDAY, 7, 31))
    problem = Preference.objects.get(user_id=refused.recipient_id)
    assert problem.address_problem == f"Máy chủ thư từ chối địa chỉ {refused.address} ({REFUSAL})."
    assert problem.problem_address == refused.address
    assert Mail.objects.get(pk=refused.pk).status == "failed"
    others = [mail.address for mail in claimed[1:]]
    assert sorted(message.to for message in smtp_server.messages) == sorted(others)
    assert set(Mail.objects.exclude(pk=refused.pk).values_list("status", flat=True)) == {"sent"}


def test_an_hour_without_the_smtp_server_is_retried_with_backoff_then_each_mail_arrives_once(
    smtp_server, three_digests, settings
):
    """The server stops at 07:30, when the digests are due, and comes back at 08:31. Each run of that
    hour (every minute, and the reminders' job at each quarter) finds the server gone: the mail it
    tries is marked for a retry later and later, the rest wait their turn. Back, the server receives
    each mail once, by the time of its next retry."""
    smtp_server.stop()
    start = at(MONDAY, 7, 30)
    tried: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = {}
    attempts: dict[int, int] = {}
    for minute in range(61):
        now = start + datetime.timedelta(minutes=minute)
        job(now)
        for pk, count, status, next_attempt_at in Mail.objects.values_list(
            "pk", "attempts", "status", "next_attempt_at"
        ):
            assert status in ("pending", "retry")
            if count != attempts.get(pk, 0):
                assert count == attempts.get(pk, 0) + 1  # one attempt per run at most
                attempts[pk] = count
                tried.setdefault(pk, []).append((now, next_attempt_at))
    assert smtp_server.messages == []
    mails = list(Mail.objects.order_by("pk"))
    assert len(mails) == 3
    assert {mail.status for mail in mails} == {"retry"}
    cap = settings.MAIL_RETRY_MAX_SECONDS
    for mail in mails:
        times = tried[mail.pk]
        waits = [(next_at - attempted).total_seconds() for attempted, next_at in times]
        assert waits == [min(60 * 2**n, cap) for n in range(len(times))]  # 1, 2, 4, 8, 15, 15 … minutes
        assert waits[-1] == cap
        for (_attempted, next_at), (again, _) in zip(times, times[1:], strict=False):
            assert again >= next_at  # never before its time
        assert len(times) <= 10  # a handful of attempts in the hour, not one a minute

    smtp_server.start()
    back = start + datetime.timedelta(minutes=61)
    for minute in range(cap // 60 + 2):
        job(back + datetime.timedelta(minutes=minute))
    mails = list(Mail.objects.order_by("pk"))
    assert {mail.status for mail in mails} == {"sent"}
    assert all(mail.sent_at <= back + datetime.timedelta(seconds=cap) for mail in mails)
    received = smtp_server.messages
    assert Counter(message.message_id for message in received) == {mail.message_id: 1 for mail in mails}
    assert Counter(message.to for message in received) == {mail.address: 1 for mail in mails}


# A real worker process on the real broker (CI: PostgreSQL and Redis) --------------------------------


def worker_database_url() -> str:
    """The test database, for a process of its own: the worker reads DATABASE_URL."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class Worker:
    process: subprocess.Popen
    name: str
    queue: str
    log: Path

    def run(self, task_name: str):
        return celery_app.send_task(task_name, queue=self.queue)


@pytest.fixture
def start_workers(smtp_server, tmp_path):
    """Start Celery worker subprocesses side by side, on the test database, sending through the test's
    SMTP server with a lease of 3 s, each on a queue of its own; each ends with the test (if not killed
    before)."""
    environment = os.environ.copy()
    environment.update(
        DATABASE_URL=worker_database_url(),
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
        MAIL_LEASE_SECONDS="3",
    )
    processes = []

    def start(count: int = 1) -> list[Worker]:
        workers = []
        for _ in range(count):
            tag = uuid.uuid4().hex[:8]
            name, queue = f"pytest-mail-{tag}@localhost", f"mail-delivery-{tag}"
            log_path = tmp_path / f"worker-{tag}.log"
            command = [*WORKER, "-Q", queue, f"--hostname={name}"]
            with log_path.open("wb") as log:
                process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log)
            processes.append(process)
            workers.append(Worker(process, name, queue, log_path))
        deadline = time.monotonic() + 30
        for worker in workers:
            while not answers(worker.name):
                if worker.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"The Celery worker did not start:\n{worker.log.read_text(errors='replace')}")
        return workers

    yield start
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def answers(name: str) -> bool:
    try:
        return bool(celery_app.control.ping(destination=[name], timeout=1))
    except redis.ConnectionError:
        return False  # this process's connection was dropped too: the next call opens a new one


def people(department, count: int):
    return [
        make_user(
            f"canbo{number:02}",
            Role.STAFF,
            department.agency,
            department,
            full_name=f"Nguyễn Thị Hồng Nhung {number:02}",
            email=f"canbo{number:02}@so.example.vn",
        )
        for number in range(1, count + 1)
    ]


def claim_mondays_digests(users) -> list[Mail]:
    tell(at(MONDAY, 6, 0), users)
    with time_machine.travel(at(MONDAY, 7, 30), tick=False):
        claimed = mailing.claim_digests()
    assert len(claimed) == len(users)
    return claimed


def kill_mid_send(worker: Worker, mailbox, *, message: int, answered: bool) -> None:
    """Send the delivery job to `worker` and kill it (SIGKILL) while it sends the server's `message`-th
    message: before the server answers (the connection drops, the server discards the message) or,
    `answered`, once the server has accepted the message and before its 250 reaches the worker."""

    def kill():
        if len(mailbox.messages) == (message if answered else message - 1):
            worker.process.kill()
            worker.process.wait()  # dead before the server goes on: it never reads an answer

    if answered:
        mailbox.on_accept = lambda _received: kill()
    else:
        mailbox.on_data = kill
    try:
        worker.run(DELIVER)
        worker.process.wait(timeout=30)
    finally:
        mailbox.on_data = mailbox.on_accept = None
    assert worker.process.returncode == -signal.SIGKILL, worker.log.read_text(errors="replace")
    time.sleep(mailbox.delay + 0.2)  # a message left unanswered is dropped, not accepted late


def result_of(job, timeout: float = 30):
    """A job's return value, read from the key the worker stores it under. Not by job.get(), which
    waits on a pub/sub channel: when Redis dropped this process's subscription, redis-py may reconnect
    it without Celery noticing, and a result published meanwhile never reaches it (seen here)."""
    deadline = time.monotonic() + timeout
    while not job.ready():
        assert time.monotonic() < deadline, f"no result for {job.id} within {timeout} s"
        time.sleep(0.1)
    return job.result


def after_lease(mail: Mail) -> None:
    mail.refresh_from_db()
    while timezone.now() <= mail.lease_until:
        time.sleep(0.1)


@pytest.mark.services
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="CELERY_BROKER_URL is not set")
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the worker process reaches the test database on PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
class TestAWorkerProcess:
    def test_workers_killed_mid_send_lose_nothing_and_double_at_most_the_mail_in_flight(
        self, smtp_server, start_workers, department
    ):
        """30 digests and a slow server. The first worker is killed (SIGKILL) while it sends the 10th
        mail, the server holding the message unanswered: the connection drops, the server discards
        the message. Once the lease of the 10th has run out, a second worker sends it and the next
        ones, and is killed while it sends the 20th, just after the server accepted the message and
        before the 250 reached the worker. Once that lease has run out, a third worker sends the rest.
        Every mail ends sent, every recipient has its digest, and the 20th arrived twice, under the same
        Message-ID.

        Only a mail in flight when its worker dies can arrive twice, and only when the server had
        accepted it. A mail is taken (its lease written) before it is sent and marked sent as soon
        as the server answers 250: a mail marked sent is never taken again, and a mail not yet taken
        was never sent. The one mail in between is the one the worker was sending: when the server
        had not answered, nothing was delivered (the 10th); when it had answered 250 and the row was
        not yet marked, the server holds a copy the row does not know of, and the next attempt sends
        another (the 20th). That attempt carries the mail's Message-ID, the same on every attempt, so
        that the receiving mail system can collapse the two copies into one mail."""
        claimed = claim_mondays_digests(people(department, 30))
        first, second, third = start_workers(3)  # started together, each woken by a job on its queue
        mailbox = smtp_server.mailbox
        mailbox.delay = 0.3

        kill_mid_send(first, mailbox, message=10, answered=False)
        assert len(smtp_server.messages) == 9
        unanswered = Mail.objects.get(status=Mail.Status.SENDING)
        assert unanswered.message_id not in {message.message_id for message in smtp_server.messages}
        statuses = Counter(Mail.objects.values_list("status", flat=True))
        assert statuses == {"sent": 9, "sending": 1, "pending": 20}

        after_lease(unanswered)
        mailbox.delay = 0.1
        kill_mid_send(second, mailbox, message=20, answered=True)
        accepted = smtp_server.messages
        assert len(accepted) == 20
        answered = Mail.objects.get(status=Mail.Status.SENDING)
        assert accepted[-1].message_id == answered.message_id  # the server has it, the row does not know
        statuses = Counter(Mail.objects.values_list("status", flat=True))
        assert statuses == {"sent": 19, "sending": 1, "pending": 10}

        after_lease(answered)
        third.run(DELIVER).get(timeout=30)
        assert set(Mail.objects.values_list("status", flat=True)) == {"sent"}
        attempts = dict(Mail.objects.values_list("pk", "attempts"))
        assert attempts == {mail.pk: 2 if mail.pk in (unanswered.pk, answered.pk) else 1 for mail in claimed}
        received = smtp_server.messages
        assert len(received) == 31
        assert Counter(message.message_id for message in received) == {
            mail.message_id: 2 if mail.pk == answered.pk else 1 for mail in claimed
        }
        assert Counter(message.to for message in received) == {
            mail.address: 2 if mail.pk == answered.pk else 1 for mail in claimed
        }

    def test_it_reconnects_after_redis_drops_every_connection(self, smtp_server, start_workers, department):
        """Redis drops every client's connection (as a restart does, without emptying a shared server)
        while the worker sends 10 digests: the batch goes on (the database holds the state), the worker
        reconnects to the broker and runs the next job, which claims and sends the urgent mails
        written meanwhile. Each of the 20 mails arrives once."""
        users = people(department, 10)
        digests = claim_mondays_digests(users)
        [worker] = start_workers()
        mailbox = smtp_server.mailbox
        mailbox.delay = 0.2
        first = worker.run(DELIVER)
        mailbox.wait_for(3, timeout=30)
        broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        dropped = broker.client_kill_filter(_type="normal") + broker.client_kill_filter(_type="pubsub")
        broker.close()
        assert dropped >= 2  # at least the worker's broker connection and its control channel
        assert len(mailbox.wait_for(10, timeout=30)) == 10
        assert result_of(first) == 10
        deadline = time.monotonic() + 20
        while not answers(worker.name):
            assert worker.process.poll() is None, worker.log.read_text(errors="replace")
            assert time.monotonic() < deadline, "the worker did not reconnect to the broker"
        tell(timezone.now(), users, kind="report_returned")
        assert result_of(worker.run(DELIVER)) == 10
        mails = list(Mail.objects.all())
        assert len(mails) == 20 and {mail.status for mail in mails} == {"sent"}
        assert Counter(mail.kind for mail in mails) == {"digest": 10, "urgent": 10}
        received = smtp_server.messages
        assert Counter(message.message_id for message in received) == {mail.message_id: 1 for mail in mails}
        assert Counter(message.to for message in received) == {mail.address: 2 for mail in digests}
        assert worker.process.poll() is None
