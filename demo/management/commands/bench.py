"""`manage.py bench`: server time and query counts of the main pages on a synthetic province.

The province is built in a database of its own, never the configured one: a temporary SQLite file
(var/bench.sqlite3 with --keep) when the configured database is SQLite, `<name>_bench` on the same
PostgreSQL server otherwise. Each page is requested in-process through django.test.Client, so the time
is the whole Django stack (middleware, view, queries, template) without the network.

To measure another page, add a row to PAGES. The import of a 1,000-row .xlsx annex is timed by
tasks.importing.measure_import and printed after the tables.
"""

import argparse
import contextlib
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.formatting import vn_number
from demo import bench, bench_evaluation_pages
from demo.bench import Scale, Scene

WARMUP = 2
# Targets, as ratios to the floor page's median in the same run.
SERVED_FROM_CACHE = 3.0  # every page, as it is served from the cache (or needs none)
LIST_COLD = 8.0  # lists and the task page with an empty cache
DASHBOARD_COLD = 25.0  # dashboards with an empty cache
HUGE_DASHBOARD_COLD = 100.0  # the dashboard of the 22,000-task plan with an empty cache
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@dataclass(frozen=True)
class Page:
    label: str
    url: Callable[[Scene], str]
    user: str = "clerk"  # the Scene attribute naming who requests the page
    max_ratio: float | None = SERVED_FROM_CACHE  # at most this many times the floor's median; None: the floor
    # measured with a cache that keeps nothing: the first view of a page after a change
    cold: bool = False


def _plan_tasks(s: Scene) -> str:
    return reverse("tasks:plan_tasks", args=[s.plan.pk])


def _dashboard(s: Scene) -> str:
    return reverse("dashboards:plan", args=[s.plan.pk])


def _ranking(s: Scene) -> str:
    return reverse("evaluations:detail", args=[bench_evaluation_pages.round_of(s).pk])


def _grid(s: Scene) -> str:
    return reverse("evaluations:unit", args=[bench_evaluation_pages.unit_of(s).pk])


PAGES = [
    Page("Tài khoản (sàn)", lambda s: reverse("profile"), max_ratio=None),
    Page("Danh sách kế hoạch – văn thư", lambda s: f"{reverse('plans:list')}?year={s.year}"),
    Page("Chọn cơ quan – Sở Nội vụ", lambda s: reverse("plans:list"), user="overseer"),
    Page(
        "Danh sách kế hoạch – Sở Nội vụ",
        lambda s: f"{reverse('plans:list')}?year={s.year}&agency={s.agency.pk}",
        user="overseer",
    ),
    Page("Chi tiết kế hoạch – văn thư", lambda s: reverse("plans:detail", args=[s.plan.pk])),
    Page("Việc của tôi – chuyên viên", lambda s: reverse("tasks:mine"), user="staff"),
    Page("Nhiệm vụ của kế hoạch – trang 1", _plan_tasks),
    Page("Nhiệm vụ của kế hoạch – lọc quá hạn", lambda s: f"{_plan_tasks(s)}?status=open_overdue"),
    Page(
        "Chi tiết nhiệm vụ – chuyên viên", lambda s: reverse("tasks:detail", args=[s.task.pk]), user="staff"
    ),
    Page(
        "Việc của tôi – lần đầu",
        lambda s: reverse("tasks:mine"),
        user="staff",
        max_ratio=LIST_COLD,
        cold=True,
    ),
    Page(
        "Phòng của tôi – trưởng phòng, lần đầu",
        lambda s: reverse("tasks:department"),
        user="head",
        max_ratio=LIST_COLD,
        cold=True,
    ),
    Page("Nhiệm vụ của kế hoạch – trang 1, lần đầu", _plan_tasks, max_ratio=LIST_COLD, cold=True),
    Page(
        "Chi tiết nhiệm vụ – lần đầu",
        lambda s: reverse("tasks:detail", args=[s.task.pk]),
        user="staff",
        max_ratio=LIST_COLD,
        cold=True,
    ),
    Page("Tổng quan kế hoạch – lãnh đạo", _dashboard, user="leader"),
    Page(
        "Tổng quan kế hoạch – lãnh đạo, đến 14/6",
        lambda s: f"{_dashboard(s)}?as_of=14/06/{s.year}",
        user="leader",
    ),
    Page(
        "Tổng quan kế hoạch – lãnh đạo, lần đầu",
        _dashboard,
        user="leader",
        max_ratio=DASHBOARD_COLD,
        cold=True,
    ),
    Page(
        "Tổng quan kế hoạch – đến 14/6, lần đầu",
        lambda s: f"{_dashboard(s)}?as_of=14/06/{s.year}",
        user="leader",
        max_ratio=DASHBOARD_COLD,
        cold=True,
    ),
    Page(
        "Tổng quan tỉnh – Sở Nội vụ",
        lambda s: f"{reverse('dashboards:province')}?year={s.year}",
        user="overseer",
    ),
    Page(
        "Tổng quan tỉnh – Sở Nội vụ, lần đầu",
        lambda s: f"{reverse('dashboards:province')}?year={s.year}",
        user="overseer",
        max_ratio=DASHBOARD_COLD,
        cold=True,
    ),
    # The plan of 22,000 tasks (Scene.huge, read by the province's overseer).
    Page(
        "Kế hoạch lớn: nhiệm vụ – trang 1",
        lambda s: reverse("tasks:plan_tasks", args=[s.huge.pk]),
        user="overseer",
    ),
    Page(
        "Kế hoạch lớn: nhiệm vụ – trang 1, lần đầu",
        lambda s: reverse("tasks:plan_tasks", args=[s.huge.pk]),
        user="overseer",
        max_ratio=LIST_COLD,
        cold=True,
    ),
    Page(
        "Kế hoạch lớn: tổng quan, lần đầu",
        lambda s: reverse("dashboards:plan", args=[s.huge.pk]),
        user="overseer",
        max_ratio=HUGE_DASHBOARD_COLD,
        cold=True,
    ),
    # The top bar's search over every task the province's overseer reads (the 22,000 of the huge plan
    # and those of every other issued or closed plan); nothing of it is cached.
    Page(
        "Tìm kiếm cả tỉnh – Sở Nội vụ, “đơn giản hóa thủ tục”",
        lambda s: f"{reverse('search:results')}?{urlencode({'q': 'đơn giản hóa thủ tục'})}",
        user="overseer",
        max_ratio=LIST_COLD,
    ),
    # The year-end scoring (demo.bench_evaluation_pages), read by the overseer who appraises the round.
    Page("Chấm điểm: xếp hạng 35 cơ quan × 60 tiêu chí", _ranking, user="overseer", max_ratio=LIST_COLD),
    Page("Chấm điểm: bảng điểm một đơn vị", _grid, user="overseer", max_ratio=LIST_COLD),
    Page(
        "Chấm điểm: xếp hạng 35 cơ quan × 60 tiêu chí, lần đầu",
        _ranking,
        user="overseer",
        max_ratio=LIST_COLD,
        cold=True,
    ),
    Page("Chấm điểm: bảng điểm một đơn vị, lần đầu", _grid, user="overseer", max_ratio=LIST_COLD, cold=True),
]
IMPORT_TARGET_SECONDS = 10
REMINDER_SCAN_TARGET_SECONDS = 5


@dataclass(frozen=True)
class Result:
    page: Page
    median_ms: float
    queries: int


class BenchDatabase:
    """Points the default connection at the bench's own database for the rest of the process.

    It relies on the test-database machinery (connection.creation), which creates the database next to
    the configured one without connecting to it (PostgreSQL goes through the `postgres` maintenance
    database), migrates it, and restores the original name when it is destroyed.
    """

    def __init__(self, *, keep: bool):
        self.keep = keep
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.original_name = self.connection.settings_dict["NAME"]
        self.tmpdir = None
        if self.connection.vendor == "sqlite":
            if keep:
                Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
                self.name = str(Path(settings.VAR_DIR) / "bench.sqlite3")
            else:
                self.tmpdir = tempfile.mkdtemp(prefix="cchc-bench-")
                self.name = os.path.join(self.tmpdir, "bench.sqlite3")
        else:
            self.name = f"{self.original_name}_bench"
        if str(self.name) == str(self.original_name):
            raise CommandError(f"The bench database would be the configured one ({self.name}); refusing.")

    def open(self, *, keepdb: bool) -> None:
        self.connection.close()
        self.connection.settings_dict["TEST"]["NAME"] = self.name
        self.connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=keepdb)

    def close(self) -> None:
        # destroy_test_db drops whatever NAME holds: if creating failed before the switch, that is the
        # configured database, so drop only when the connection really points at the bench's own.
        if self.connection.settings_dict["NAME"] == self.name:
            self.connection.creation.destroy_test_db(self.original_name, verbosity=0, keepdb=self.keep)
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)


def engine_description(connection) -> str:
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{minor}"
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    return connection.display_name


def fetch(client: Client, page: Page, url: str):
    response = client.get(url, secure=True)  # secure: no HTTPS redirect when the settings ask for one
    if response.status_code != 200:
        location = f" → {response['Location']}" if response.has_header("Location") else ""
        raise CommandError(
            f"{page.label}: GET {url} answered {response.status_code}{location}, expected 200."
        )
    return response


def without_cache(page: Page):
    """For a cold page, a cache that keeps nothing (the other pages' entries stay where they are)."""
    return override_settings(CACHES=NO_CACHE) if page.cold else contextlib.nullcontext()


def measure(pages: list[Page], scene: Scene, clients: dict[int, Client], repeat: int) -> list[Result]:
    """Warm every page up, count one request's queries, then time `repeat` rounds over all pages.

    Rounds interleave the pages, so a burst of load on the machine slows every page alike and the
    ratios to the floor stay meaningful even when the absolute times wander.
    """
    targets = []
    for page in pages:
        user = getattr(scene, page.user)
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        targets.append((page, clients[user.pk], page.url(scene)))
    for page, client, url in targets:
        for _ in range(WARMUP):
            fetch(client, page, url)
    connection = connections[DEFAULT_DB_ALIAS]
    queries = []
    for page, client, url in targets:
        with without_cache(page), CaptureQueriesContext(connection) as captured:
            fetch(client, page, url)
        queries.append(len(captured))  # now: the next request resets the connection's query log
    timings = [[] for _ in targets]
    for _ in range(repeat):
        for samples, (page, client, url) in zip(timings, targets, strict=True):
            with without_cache(page):
                start = time.perf_counter()
                fetch(client, page, url)
                samples.append(time.perf_counter() - start)
    return [
        Result(page=page, median_ms=statistics.median(samples) * 1000, queries=count)
        for (page, _, _), samples, count in zip(targets, timings, queries, strict=True)
    ]


def table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells):
        cells = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return " | ".join(cells).rstrip()

    return [line(headers), "-+-".join("-" * w for w in widths), *(line(row) for row in rows)]


class Command(BaseCommand):
    help = (
        "Đo thời gian xử lý (trung vị) và số truy vấn SQL của các trang chính trên một tỉnh giả lập, "
        "trong một cơ sở dữ liệu riêng (không chạm vào cơ sở dữ liệu đã cấu hình)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agencies", type=int, default=35, help="Số cơ quan (mặc định 35).")
        parser.add_argument("--departments", type=int, default=10, help="Số phòng mỗi cơ quan (mặc định 10).")
        parser.add_argument("--users", type=int, default=25, help="Số người dùng mỗi cơ quan (mặc định 25).")
        parser.add_argument(
            "--years", type=int, default=5, help=f"Số năm kế hoạch, đến {bench.LAST_YEAR} (mặc định 5)."
        )
        parser.add_argument("--tasks", type=int, default=60, help="Số nhiệm vụ mỗi kế hoạch (mặc định 60).")
        parser.add_argument(
            "--big-plan",
            type=int,
            default=1000,
            help="Số nhiệm vụ của kế hoạch được đo (mặc định 1.000).",
        )
        parser.add_argument(
            "--huge-plan",
            type=int,
            default=22000,
            help="Số nhiệm vụ của kế hoạch lớn (kế hoạch mới nhất của cơ quan S02; mặc định 22.000; 0: như các kế hoạch khác).",
        )
        parser.add_argument(
            "--busy-reports",
            type=int,
            default=100,
            help="Số báo cáo tiến độ của nhiệm vụ được đo (mặc định 100).",
        )
        parser.add_argument(
            "--import-rows",
            type=int,
            default=1000,
            help="Số dòng của tệp .xlsx khi đo thời gian nhập phụ lục (mặc định 1.000; 0: không đo).",
        )
        parser.add_argument(
            "--update-rows",
            type=int,
            default=2000,
            help="Số dòng nhập lại (mỗi dòng đổi nội dung) khi đo thời gian cập nhật bằng nhập lại (mặc định 2.000; 0: không đo).",
        )
        parser.add_argument(
            "--reminder-tasks",
            type=int,
            default=100_000,
            help="Số nhiệm vụ chưa xong khi đo thời gian quét nhắc việc hằng ngày (mặc định 100.000; 0: không đo).",
        )
        parser.add_argument(
            "--documents",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="Đo thời gian in PDF kế hoạch 100 và 1.000 nhiệm vụ, và tải lại văn bản không đổi (mặc định: có).",
        )
        parser.add_argument("--repeat", type=int, default=30, help="Số lần đo mỗi trang (mặc định 30).")
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Giữ cơ sở dữ liệu bench giữa các lần chạy (SQLite: var/bench.sqlite3; PostgreSQL: <tên>_bench).",
        )
        parser.add_argument(
            "--in-place",
            action="store_true",
            help="Dựng dữ liệu ngay trong cơ sở dữ liệu hiện tại; chỉ dành cho bộ kiểm thử.",
        )
        parser.add_argument("--strict", action="store_true", help="Thoát với lỗi khi có trang vượt mục tiêu.")
        parser.add_argument(
            "--digests",
            type=int,
            default=1000,
            help="Số thư tổng hợp gửi tới máy chủ SMTP nội bộ khi đo gửi thư và chuông thông báo (mặc định 1.000; 0: không đo).",
        )

    def handle(self, *args, **options):
        scale = Scale(
            agencies=options["agencies"],
            departments=options["departments"],
            users=options["users"],
            years=options["years"],
            tasks=options["tasks"],
            big_plan=options["big_plan"],
            busy_reports=options["busy_reports"],
            huge_plan=options["huge_plan"],
        )
        if min(scale.agencies, scale.departments, scale.users, scale.years, options["repeat"]) < 1:
            raise CommandError("--agencies, --departments, --users, --years and --repeat must be at least 1.")
        if (
            min(scale.tasks, scale.busy_reports, options["import_rows"] + 1, scale.huge_plan + 1) < 1
            or scale.big_plan < 2
        ):
            raise CommandError(
                "--tasks and --busy-reports must be at least 1, --big-plan at least 2, --import-rows and "
                "--huge-plan not negative."
            )
        if scale.years > bench.LAST_YEAR - 2011 + 1:
            raise CommandError("--years goes back at most to 2011, the first year with reform areas.")
        if options["in_place"] and not hasattr(mail, "outbox"):
            raise CommandError(
                "--in-place writes into the configured database; it is only for the test suite."
            )

        database = None if options["in_place"] else BenchDatabase(keep=options["keep"])
        try:
            if database:
                database.open(keepdb=options["keep"])
            built = self.prepare(scale, database)
            with override_settings(DEBUG=False):
                bench_evaluation_pages.ensure()  # also into a data set kept from before these pages
            full, small = bench.scenes()
            with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]), warnings.catch_warnings():
                # WhiteNoise warns when STATIC_ROOT has not been collected; the bench serves no static file.
                warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
                clients: dict[int, Client] = {}
                results = measure(PAGES, full, clients, options["repeat"])
                small_results = measure(PAGES, small, clients, 1)
            over = self.report(scale, built, full, results, small_results, database, options["repeat"])
            over += self.report_import(full, options["import_rows"])
            over += self.report_update(full, options["update_rows"])
            over += self.report_reminders(options["reminder_tasks"])
            over += self.report_mail(options["digests"])
            over += self.report_evaluations()
            if options["documents"]:
                with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]), warnings.catch_warnings():
                    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
                    over += self.report_documents(full)
        finally:
            if database:
                database.close()
        if over and options["strict"]:
            raise CommandError(f"{over} trang vượt mục tiêu.")

    def prepare(self, scale: Scale, database: BenchDatabase | None) -> float | None:
        """Build the province; with --keep, reuse a complete build at the same scale. Returns the build time."""
        if database and database.keep and bench.holds_bench_data(scale):
            return None
        if not bench.is_empty():
            if database is None:
                raise CommandError("--in-place needs an empty database.")
            database.open(keepdb=False)  # a kept database at another scale: start again from scratch
        start = time.perf_counter()
        with override_settings(DEBUG=False):  # no query log: it would keep and quote 100,000 rows of SQL
            bench.build(scale)
        return time.perf_counter() - start

    def report(self, scale, built, full: Scene, results, small_results, database, repeat: int) -> int:
        """Print the figures; return how many pages miss their target."""
        connection = connections[DEFAULT_DB_ALIAS]
        counts = bench.counts()
        name = connection.settings_dict["NAME"]
        where = f"{name} (riêng cho bench)" if database else f"{name} (tại chỗ)"
        out = self.stdout.write
        out(f"Cơ sở dữ liệu: {engine_description(connection)} – {where}")
        out(
            f"Quy mô: {counts['agencies']} cơ quan ({scale.agencies} + 1 cơ quan đối chứng + tỉnh), "
            f"{counts['departments']} phòng, {counts['users']} người dùng, {counts['plans']} kế hoạch "
            f"({scale.plan_years.start}–{scale.plan_years.stop - 1}), {counts['legal_bases']} căn cứ "
            f"trên {counts['legal_documents']} văn bản, {counts['plan_changes']} thay đổi, "
            f"{counts['tasks']} nhiệm vụ, {counts['reports']} báo cáo tiến độ"
        )
        out(f"Dữ liệu: dựng trong {built:.1f} s" if built is not None else "Dữ liệu: dùng lại (--keep)")
        out(
            f"Đo trên: {full.agency.code} ({full.agency.short_name}), {full.plan}, năm {full.year} "
            f"({full.plan.tasks.count()} nhiệm vụ); nhiệm vụ {full.task.number} "
            f"({full.task.progress_updates.count()} báo cáo); văn thư {full.clerk.username}, chuyên viên "
            f"{full.staff.username}, Sở Nội vụ {full.overseer.username}; kế hoạch lớn: {full.huge} "
            f"({full.huge.tasks.count()} nhiệm vụ)"
        )
        floor = next(result for result in results if result.page.max_ratio is None and not result.page.cold)
        out(
            f"\nThời gian xử lý phía máy chủ: trung vị của {repeat} lần đo sau {WARMUP} lần khởi động, DEBUG=False"
        )
        over, rows = 0, []
        for result in results:
            ratio = result.median_ms / floor.median_ms
            if result.page.max_ratio is None:
                target, verdict = "mốc so sánh", "–"
            else:
                target = f"≤ {result.page.max_ratio:g}× sàn"
                verdict = "OK" if ratio <= result.page.max_ratio else "VƯỢT"
                over += verdict != "OK"
            rows.append(
                [
                    result.page.label,
                    f"{result.median_ms:.1f}",
                    f"{ratio:.2f}×",
                    str(result.queries),
                    target,
                    verdict,
                ]
            )
        headers = ["Trang", "Trung vị (ms)", "Gấp sàn", "Truy vấn", "Mục tiêu", "Kết quả"]
        self.print_table(headers, rows, right={1, 2, 3})

        out(
            f"\nSố truy vấn không được tăng theo dữ liệu: cơ quan đối chứng (1 phòng, 1 kế hoạch, 1 căn cứ, "
            f"1 thay đổi, 3 nhiệm vụ, 1 báo cáo mỗi nhiệm vụ) so với {full.agency.code} "
            f"({scale.departments} phòng, {scale.years} kế hoạch, {bench.BASES_PER_PLAN} căn cứ mỗi kế hoạch, "
            f"{scale.big_plan} nhiệm vụ trong kế hoạch được đo, {scale.busy_reports} báo cáo của nhiệm vụ được đo):"
        )
        rows = []
        for small, big in zip(small_results, results, strict=True):
            verdict = "OK" if big.queries <= small.queries else "TĂNG"
            over += verdict != "OK"
            rows.append([big.page.label, str(small.queries), str(big.queries), verdict])
        self.print_table(["Trang", "Đối chứng", "Đầy đủ", "Kết quả"], rows, right={1, 2})
        return over

    def report_import(self, full: Scene, rows: int) -> int:
        """Time the import of an .xlsx annex of `rows` tasks into the measured plan (rolled back after);
        returns 1 when it misses its target."""
        if not rows:
            return 0
        from tasks import importing  # the import pipeline, loaded only when it is measured

        if not hasattr(importing, "measure_import"):
            self.stdout.write("\nNhập phụ lục .xlsx: chưa có tasks.importing.measure_import, bỏ qua.")
            return 0
        timings = importing.measure_import(full.plan, full.clerk, rows=rows)
        total = timings.get("total", sum(timings.values()))
        parts = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items() if name != "total")
        ok = total <= IMPORT_TARGET_SECONDS
        verdict = self.style.SUCCESS("OK") if ok else self.style.ERROR("VƯỢT")
        count = f"{rows:,}".replace(",", ".")
        self.stdout.write(
            f"\nNhập {count} dòng .xlsx: {total:.1f} s (mục tiêu ≤ {IMPORT_TARGET_SECONDS} s) – {verdict}"
        )
        if parts:
            self.stdout.write(f"  ({parts})")
        return 0 if ok else 1

    def report_reminders(self, open_tasks: int) -> int:
        """Time the reminder scan of a working day (the job runs it every 15 minutes) over `open_tasks`
        open tasks, the data set topped up inside a transaction rolled back after, and count its queries
        there and at the data set's own size; returns 1 when it misses its target."""
        if open_tasks <= 0:
            return 0
        from demo import bench_reminders

        figures = bench_reminders.measure_scan(open_tasks)
        fast = figures.seconds <= REMINDER_SCAN_TARGET_SECONDS
        flat = figures.queries <= figures.own_queries
        if not fast:
            verdict = self.style.ERROR("VƯỢT")
        elif not flat:
            verdict = self.style.ERROR("TĂNG")
        else:
            verdict = self.style.SUCCESS("OK")
        self.stdout.write(
            f"Quét nhắc việc ngày {figures.day:%d/%m/%Y} trên {vn_number(figures.tasks)} nhiệm vụ chưa xong: "
            f"{figures.seconds:.1f} s, {vn_number(figures.notices)} nhắc việc; "
            f"{vn_number(figures.own_tasks)} → {vn_number(figures.tasks)} nhiệm vụ: "
            f"{figures.own_queries} → {figures.queries} truy vấn (mục tiêu ≤ {REMINDER_SCAN_TARGET_SECONDS} s, "
            "số truy vấn không tăng theo số nhiệm vụ) – "
            f"{verdict}"
        )
        return 0 if fast and flat else 1

    def report_update(self, full: Scene, rows: int) -> int:
        """Time a re-import that updates `rows` tasks of the measured plan (rolled back after); returns 1
        when it misses its target."""
        if not rows:
            return 0
        from tasks import importing

        timings = importing.measure_update(full.plan, full.clerk, rows=rows)
        total = timings.pop("total")
        ok = total <= IMPORT_TARGET_SECONDS
        verdict = self.style.SUCCESS("OK") if ok else self.style.ERROR("VƯỢT")
        count = f"{rows:,}".replace(",", ".")
        self.stdout.write(
            f"Cập nhật {count} nhiệm vụ bằng nhập lại .xlsx: {total:.1f} s (mục tiêu ≤ {IMPORT_TARGET_SECONDS} s)"
            f" – {verdict}"
        )
        self.stdout.write(
            "  (" + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()) + ")"
        )
        return 0 if ok else 1

    def report_evaluations(self) -> int:
        """Time the criteria computed from the task record for a round over every agency of the
        province in the year of the largest plan (the job's work); returns 1 when it misses its target."""
        from demo import bench_evaluations

        figures = bench_evaluations.measure_computed()
        ok = figures.seconds <= bench_evaluations.TARGET_SECONDS
        verdict = self.style.SUCCESS("OK") if ok else self.style.ERROR("VƯỢT")
        self.stdout.write(
            f"Tiêu chí tính từ nhiệm vụ: {vn_number(figures.units)} đơn vị, {vn_number(figures.tasks)} nhiệm vụ "
            f"năm {figures.year}, {vn_number(figures.scores)} điểm: {figures.seconds:.1f} s, {figures.queries} truy vấn "
            f"(mục tiêu ≤ {bench_evaluations.TARGET_SECONDS} s) – {verdict}"
        )
        return 0 if ok else 1

    def report_mail(self, count: int) -> int:
        """Time the daily digests of `count` people sent by one worker to an SMTP server on the loopback
        interface, and count the queries the bell adds to a page; returns how many miss their target."""
        if count <= 0:
            return 0
        from demo import bench_mail

        digests = bench_mail.measure_digests(count)
        fast = digests.total_seconds <= bench_mail.DIGEST_TARGET_SECONDS
        complete = digests.received == digests.sent == digests.claimed == count
        if not complete:
            verdict = self.style.ERROR(f"THIẾU: máy chủ nhận {vn_number(digests.received)} thư")
        else:
            verdict = self._verdict(fast)
        self.stdout.write(
            f"Gửi {vn_number(count)} thư tổng hợp tới máy chủ SMTP nội bộ (một worker): "
            f"claim {digests.claim_seconds:.1f} s, gửi {digests.send_seconds:.1f} s, "
            f"tổng {digests.total_seconds:.1f} s (mục tiêu ≤ {bench_mail.DIGEST_TARGET_SECONDS} s) – {verdict}"
        )
        self.stdout.write(
            f"  (ngày {digests.day:%d/%m/%Y}; claim {digests.claim_queries} truy vấn; "
            f"{vn_number(digests.sent)} thư đã gửi, máy chủ nhận {vn_number(digests.received)} thư)"
        )
        bell = bench_mail.measure_bell()
        light = bell.added <= bench_mail.BELL_TARGET_QUERIES
        self.stdout.write(
            f"Chuông thông báo: thêm {bell.added} truy vấn mỗi trang (mục tiêu ≤ {bench_mail.BELL_TARGET_QUERIES})"
            f" – {self._verdict(light)}"
        )
        pages = "; ".join(f"{label} {without} → {with_bell}" for label, without, with_bell in bell.pages)
        self.stdout.write(
            f"  ({bell.user}, {bell.unread} thông báo chưa đọc; truy vấn không chuông → có chuông: {pages})"
        )
        return (not (fast and complete)) + (not light)

    def report_documents(self, full: Scene) -> int:
        """Time the plan's PDF against a naive render, the long plan's PDF and a re-download; returns
        how many of them miss their target."""
        from demo import bench_documents as documents

        figures = documents.measure(full.plan, full.clerk)
        fast = (
            figures.ratio <= documents.PDF_RATIO_TARGET
            and figures.pdf_seconds <= documents.PDF_SECONDS_TARGET
        )
        quick = figures.redownload_ms <= documents.REDOWNLOAD_MS_TARGET
        out = self.stdout.write
        out(f"\nIn văn bản (WeasyPrint, lần nhanh nhất trong {documents.RUNS} lần):")
        out(
            f"  PDF kế hoạch {figures.tasks} nhiệm vụ ({figures.pages} trang): {figures.pdf_seconds:.2f} s; "
            f"cùng {figures.tasks} dòng in thô thành một bảng HTML: {figures.naive_seconds:.2f} s; "
            f"tỷ lệ {figures.ratio:.2f}× (mục tiêu ≤ {documents.PDF_RATIO_TARGET:g}× và ≤ "
            f"{documents.PDF_SECONDS_TARGET:g} s) – {self._verdict(fast)}"
        )
        out(
            f"  PDF kế hoạch {vn_number(figures.big_tasks)} nhiệm vụ ({figures.big_pages} trang): "
            f"{figures.big_seconds:.1f} s, bộ nhớ tăng thêm tối đa {figures.big_peak_mb:.0f} MB "
            "(dàn trang trong tiến trình riêng)"
        )
        out(
            f"  Tải lại văn bản không đổi: {figures.redownload_ms:.1f} ms (trung vị 10 lần; mục tiêu ≤ "
            f"{documents.REDOWNLOAD_MS_TARGET} ms) – {self._verdict(quick)}"
        )
        return (not fast) + (not quick)

    def _verdict(self, ok: bool) -> str:
        return self.style.SUCCESS("OK") if ok else self.style.ERROR("VƯỢT")

    def print_table(self, headers, rows, right):
        lines = table(headers, rows, right)
        for line in lines[:2]:
            self.stdout.write(line)
        for line, row in zip(lines[2:], rows, strict=True):
            verdict = row[-1]
            style = {"OK": self.style.SUCCESS, "VƯỢT": self.style.ERROR, "TĂNG": self.style.ERROR}.get(
                verdict, str
            )
            self.stdout.write(line[: len(line) - len(verdict)] + style(verdict))
