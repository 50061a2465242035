"""Throughput of one web node (`manage.py bench_capacity`): gunicorn as production starts it, loaded by
concurrent clients on loopback.

The node is started with the `command:` of the `web` service of docker-compose.yml (its workers, its
timeout), only bound to a free loopback port, with DEBUG off and the database the bench built. Each
client is a thread with http.client holding its own session of the page's role (sessions written into
the session store the node reads, as a login leaves them), sending what the production proxy adds
(`X-Forwarded-Proto: https`, `X-Forwarded-For`). Each page is loaded for a warm-up, then for a fixed
duration; a last row mixes every page, each client going round them from its own starting point.
"""

import contextlib
import http.client
import importlib.util
import logging
import os
import secrets
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from demo.bench import Scene
from tasks.forms_detail import ProgressForm
from tasks.models import Task

COMPOSE_HELPER = Path(settings.BASE_DIR) / "scripts" / "compose_commands.py"
HOST = "127.0.0.1"
START_SECONDS = 60  # the node must answer /healthz within this
REQUEST_TIMEOUT = 120  # longer than gunicorn's --timeout: a killed worker shows as an error, not a hang
WRITE_NOTE = "Báo cáo tiến độ (đo thông lượng): tiếp tục triển khai theo kế hoạch."
WRITE_DONE = "Đã ghi nhận tiến độ"  # the message of an accepted report


@dataclass(frozen=True)
class CapacityPage:
    label: str
    role: str  # the Scene attribute naming whose session requests the page
    url: Callable[[Scene], str]
    write: bool = False  # a progress report posted on one of the staff member's own open tasks


CAPACITY_PAGES = [
    CapacityPage("Việc của tôi", "staff", lambda s: reverse("tasks:mine")),
    CapacityPage("Chi tiết nhiệm vụ", "staff", lambda s: reverse("tasks:detail", args=[s.task.pk])),
    CapacityPage("Thông báo (chuông)", "staff", lambda s: reverse("notifications:list")),
    CapacityPage("Phòng của tôi", "head", lambda s: reverse("tasks:department")),
    CapacityPage("Nhiệm vụ của kế hoạch", "clerk", lambda s: reverse("tasks:plan_tasks", args=[s.plan.pk])),
    CapacityPage("Tổng quan kế hoạch", "leader", lambda s: reverse("dashboards:plan", args=[s.plan.pk])),
    CapacityPage("Gửi báo cáo tiến độ (ghi)", "staff", lambda s: "", write=True),
]
MIX_LABEL = "Trộn các trang trên"
ROLE_NAMES = {"staff": "chuyên viên", "head": "trưởng phòng", "clerk": "văn thư", "leader": "lãnh đạo"}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""
    expect: str = ""  # text the answer must hold (a write's confirmation)


@dataclass
class Outcome:
    label: str
    role: str
    clients: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # of the answers that were right
    errors: int = 0
    first_error: str = ""

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else 0.0

    @property
    def p95_ms(self) -> float:
        if len(self.latencies) < 2:
            return self.median_ms
        return statistics.quantiles(self.latencies, n=20, method="inclusive")[18] * 1000


@dataclass(frozen=True)
class Node:
    port: int
    argv: list[str]
    workers: int
    threads: int
    worker_class: str
    log: Path

    @property
    def command_line(self) -> str:
        return shlex.join(["gunicorn", *self.argv[3:]])  # argv: python -m gunicorn …


def production_web_argv(port: int) -> list[str]:
    """The words of the `web` service's command in docker-compose.yml, bound to HOST:port instead."""
    spec = importlib.util.spec_from_file_location("compose_commands", COMPOSE_HELPER)
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    words = shlex.split(helper.command_of("web"))
    if words[0] != "gunicorn":
        raise ValueError(f"The web service of docker-compose.yml does not run gunicorn: {words[0]}")
    words = words[1:]
    for index, word in enumerate(words):
        if word in ("--bind", "-b"):
            words[index + 1] = f"{HOST}:{port}"
            break
        if word.startswith("--bind="):
            words[index] = f"--bind={HOST}:{port}"
            break
    else:
        words += ["--bind", f"{HOST}:{port}"]
    return [sys.executable, "-m", "gunicorn", *words]


def _option(argv: list[str], names: tuple[str, ...], default: str) -> str:
    for index, word in enumerate(argv):
        if word in names and index + 1 < len(argv):
            return argv[index + 1]
        for name in names:
            if name.startswith("--") and word.startswith(f"{name}="):
                return word.split("=", 1)[1]
    return default


def database_url() -> str:
    """The URL of the database the default connection points at now (the bench's own)."""
    db = connections[DEFAULT_DB_ALIAS].settings_dict
    if connections[DEFAULT_DB_ALIAS].vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        raise ValueError("The throughput bench runs on SQLite or PostgreSQL.")
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"] or "localhost", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def collect_static(root: Path) -> None:
    """The manifest the production static storage needs with DEBUG off; no compressed copies (the bench
    requests no static file), so it takes a second instead of twenty."""
    manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    with override_settings(STATIC_ROOT=root, STORAGES={**settings.STORAGES, "staticfiles": manifest}):
        call_command("collectstatic", interactive=False, verbosity=0)


@contextlib.contextmanager
def web_node(*, secret_key: str) -> Iterator[Node]:
    """gunicorn with the production command on a free loopback port, serving the current database;
    stopped (its own process group only) on exit."""
    with tempfile.TemporaryDirectory(prefix="cchc-capacity-") as scratch:
        scratch = Path(scratch)
        collect_static(scratch / "static")
        port = _free_port()
        argv = production_web_argv(port)
        env = {name: value for name, value in os.environ.items() if not name.endswith("_FILE")}
        env.update(
            DEBUG="false",
            SECRET_KEY=secret_key,
            ALLOWED_HOSTS=HOST,
            DATABASE_URL=database_url(),
            STATIC_ROOT=str(scratch / "static"),
            CACHE_KEY_PREFIX=f"bench-capacity-{secrets.token_hex(4)}",  # nothing cached by another run
            DEMO_ALLOWED="false",
            LOG_LEVEL="WARNING",
        )
        log = scratch / "gunicorn.log"
        with open(log, "wb") as log_file:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn, no shell
                argv,
                cwd=settings.BASE_DIR,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        node = Node(
            port=port,
            argv=argv,
            workers=int(_option(argv, ("--workers", "-w"), "1")),
            threads=int(_option(argv, ("--threads",), "1")),
            worker_class=_option(argv, ("--worker-class", "-k"), "sync"),
            log=log,
        )
        try:
            _wait_until_serving(node, process)
            yield node
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_until_serving(node: Node, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start:\n{node.log.read_text(errors='replace')[-3000:]}")
        with contextlib.suppress(OSError):
            status, _body = _send(node.port, Request("GET", "/healthz", _base_headers(node.port)))
            if status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz within {START_SECONDS} s.")


def _base_headers(port: int) -> dict[str, str]:
    # What the production reverse proxy adds: the request came over HTTPS, from this client address.
    return {"Host": f"{HOST}:{port}", "X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}


def _send(port: int, request: Request) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(request.method, request.path, body=request.body or None, headers=request.headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def session_cookie(user, *, secret_key: str) -> str:
    """A session of `user` in the configured session store, signed with the node's key, as a login
    would leave it."""
    client = Client()
    axes = logging.getLogger("axes")  # it logs every login at INFO; thirty of them say nothing here
    level = axes.level
    axes.setLevel(logging.WARNING)
    try:
        with override_settings(SECRET_KEY=secret_key):
            client.force_login(user)
    finally:
        axes.setLevel(level)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def write_tasks(scene: Scene) -> list[Task]:
    """The staff member's open tasks of the measured plan, each reported on by one client."""
    tasks = list(
        Task.objects.filter(
            plan=scene.plan,
            assignees=scene.staff,
            state__in=(Task.State.NOT_STARTED, Task.State.IN_PROGRESS),
            percent__lt=100,
        )
        .select_related("plan")
        .order_by("pk")
    )
    if not tasks:
        raise ValueError(f"{scene.staff.username} has no open task to report on in {scene.plan}.")
    return tasks


def _write_request(port: int, cookie: str, task: Task) -> Request:
    """The task page's progress form as htmx posts it: the task's own percent (no decrease), a note,
    the cause of the delay when the task is overdue."""
    csrf = get_random_string(
        CSRF_SECRET_LENGTH
    )  # a secret of the CSRF cookie's form, sent back as the header
    fields = {"percent": task.percent, "narrative": WRITE_NOTE}
    if ProgressForm(task=task, today=timezone.localdate()).overdue:
        fields["delay_cause"] = "Khối lượng hồ sơ lớn trong kỳ báo cáo."
    headers = {
        **_base_headers(port),
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}; {settings.CSRF_COOKIE_NAME}={csrf}",
        "Origin": f"https://{HOST}:{port}",
        "X-CSRFToken": csrf,
        "HX-Request": "true",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return Request(
        "POST",
        reverse("tasks:progress", args=[task.pk]),
        headers,
        body=urlencode(fields).encode(),
        expect=WRITE_DONE,
    )


def build_requests(
    node: Node, scene: Scene, clients: int, *, secret_key: str
) -> dict[str, list[list[Request]]]:
    """For each page, one request per client, each client with its own sessions; a write goes to one of
    the staff member's tasks per client."""
    users = {role: getattr(scene, role) for role in {page.role for page in CAPACITY_PAGES}}
    own = write_tasks(scene) if any(page.write for page in CAPACITY_PAGES) else []
    plan = {page.label: [] for page in CAPACITY_PAGES}
    for index in range(clients):
        cookies = {role: session_cookie(user, secret_key=secret_key) for role, user in users.items()}
        for page in CAPACITY_PAGES:
            cookie = cookies[page.role]
            if page.write:
                request = _write_request(node.port, cookie, own[index % len(own)])
            else:
                headers = {**_base_headers(node.port), "Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
                request = Request("GET", page.url(scene), headers)
            plan[page.label].append([request])
    return plan


def _load(port: int, per_client: list[list[Request]], seconds: float, outcome: Outcome | None) -> None:
    """Each client sends its requests in turn, one at a time, until `seconds` have passed; with an
    outcome, every answer is recorded in it."""
    lock = threading.Lock()
    start = threading.Barrier(len(per_client) + 1)
    finished = []

    def client(requests: list[Request]) -> None:
        start.wait()
        deadline = time.perf_counter() + seconds
        turn = 0
        while time.perf_counter() < deadline:
            request = requests[turn % len(requests)]
            turn += 1
            began = time.perf_counter()
            try:
                status, body = _send(port, request)
                error = "" if status == 200 else f"HTTP {status} {request.method} {request.path}"
                if not error and request.expect and request.expect.encode() not in body:
                    error = f"{request.method} {request.path}: refused"
            except OSError as failure:
                error = f"{request.method} {request.path}: {failure}"
            elapsed = time.perf_counter() - began
            if outcome is not None:
                with lock:
                    if error:
                        outcome.errors += 1
                        outcome.first_error = outcome.first_error or error
                    else:
                        outcome.latencies.append(elapsed)
        with lock:
            finished.append(time.perf_counter())

    threads = [threading.Thread(target=client, args=(requests,), daemon=True) for requests in per_client]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    if outcome is not None:
        outcome.seconds = max(finished) - began


def measure(
    node: Node, scene: Scene, *, clients: int, seconds: float, warmup: float, secret_key: str
) -> list[Outcome]:
    """Every page of CAPACITY_PAGES, then their mix, each loaded by `clients` at once."""
    plan = build_requests(node, scene, clients, secret_key=secret_key)
    outcomes = []
    for page in CAPACITY_PAGES:
        per_client = plan[page.label]
        _load(node.port, per_client, warmup, None)
        outcome = Outcome(page.label, ROLE_NAMES[page.role], clients)
        _load(node.port, per_client, seconds, outcome)
        outcomes.append(outcome)
    # The mix: client i goes round the pages starting from page i, so every page is requested at once.
    pages = [plan[page.label] for page in CAPACITY_PAGES]
    mixed = []
    for index in range(clients):
        own = [requests[index][0] for requests in pages]
        shift = index % len(own)
        mixed.append(own[shift:] + own[:shift])
    _load(node.port, mixed, warmup, None)
    outcome = Outcome(MIX_LABEL, "cả bốn vai trò", clients)
    _load(node.port, mixed, seconds, outcome)
    outcomes.append(outcome)
    return outcomes


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
