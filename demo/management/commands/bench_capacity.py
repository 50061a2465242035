"""`manage.py bench_capacity`: requests per second one web node serves on the main pages.

The province is built as `manage.py bench` builds it, in the same database of its own (with --keep at
the same scale, one build serves both commands); gunicorn then serves it with the production command
(demo.bench_capacity) and concurrent clients load each page for a fixed time. The figures feed the
capacity model of the README.
"""

import secrets
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import override_settings

from cchc.formatting import vn_number
from demo import bench, bench_capacity
from demo.bench import Scale
from demo.management.commands.bench import BenchDatabase, engine_description, table


class Command(BaseCommand):
    help = (
        "Đo số yêu cầu mỗi giây một nút web (gunicorn như khi vận hành) phục vụ trên các trang chính của "
        "một tỉnh giả lập, với nhiều người dùng đồng thời, trong một cơ sở dữ liệu riêng."
    )

    def add_arguments(self, parser):
        defaults = Scale()
        for name, text in [
            ("agencies", "Số cơ quan"),
            ("departments", "Số phòng mỗi cơ quan"),
            ("users", "Số người dùng mỗi cơ quan"),
            ("years", "Số năm kế hoạch"),
            ("tasks", "Số nhiệm vụ mỗi kế hoạch"),
            ("big_plan", "Số nhiệm vụ của kế hoạch được đo"),
            ("busy_reports", "Số báo cáo tiến độ của nhiệm vụ được đo"),
            ("huge_plan", "Số nhiệm vụ của kế hoạch lớn (0: như các kế hoạch khác)"),
        ]:
            default = getattr(defaults, name)
            parser.add_argument(
                f"--{name.replace('_', '-')}",
                type=int,
                default=default,
                help=f"{text} (mặc định {vn_number(default)}).",
            )
        parser.add_argument(
            "--clients", type=int, default=8, help="Số người dùng đồng thời mỗi trang (mặc định 8)."
        )
        parser.add_argument("--seconds", type=float, default=20, help="Số giây đo mỗi trang (mặc định 20).")
        parser.add_argument(
            "--warmup", type=float, default=5, help="Số giây khởi động mỗi trang, không tính (mặc định 5)."
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Giữ cơ sở dữ liệu bench giữa các lần chạy (dùng chung với manage.py bench --keep).",
        )

    def handle(self, *args, **options):
        scale = Scale(**{name: options[name] for name in Scale.__dataclass_fields__})
        if (
            min(scale.agencies, scale.departments, scale.users, scale.years, scale.tasks, options["clients"])
            < 1
        ):
            raise CommandError(
                "--agencies, --departments, --users, --years, --tasks and --clients must be at least 1."
            )
        if scale.big_plan < 2 or scale.busy_reports < 1 or scale.huge_plan < 0:
            raise CommandError(
                "--big-plan must be at least 2, --busy-reports at least 1, --huge-plan not negative."
            )
        if options["seconds"] <= 0 or options["warmup"] < 0:
            raise CommandError("--seconds must be positive and --warmup not negative.")

        database = BenchDatabase(keep=options["keep"])
        try:
            database.open(keepdb=options["keep"])
            built = self.prepare(scale, database)
            full, _small = bench.scenes()
            secret_key = secrets.token_urlsafe(50)
            try:
                with bench_capacity.web_node(secret_key=secret_key) as node:
                    outcomes = bench_capacity.measure(
                        node,
                        full,
                        clients=options["clients"],
                        seconds=options["seconds"],
                        warmup=options["warmup"],
                        secret_key=secret_key,
                    )
            except (RuntimeError, ValueError) as error:
                raise CommandError(str(error)) from error
            self.report(scale, built, full, node, outcomes, options)
        finally:
            database.close()
        if any(outcome.errors for outcome in outcomes):
            raise CommandError(
                "Có yêu cầu lỗi: " + "; ".join(f"{o.label}: {o.first_error}" for o in outcomes if o.errors)
            )

    def prepare(self, scale: Scale, database: BenchDatabase) -> float | None:
        """Build the province, or reuse a kept build at the same scale; returns the build time."""
        if database.keep and bench.holds_bench_data(scale):
            return None
        if not bench.is_empty():
            database.open(keepdb=False)
        start = time.perf_counter()
        with override_settings(DEBUG=False):  # no query log: it would keep and quote 100,000 rows of SQL
            bench.build(scale)
        return time.perf_counter() - start

    def report(self, scale, built, full, node, outcomes, options) -> None:
        out = self.stdout.write
        connection = connections[DEFAULT_DB_ALIAS]
        counts = bench.counts()
        cache = (
            "Redis" if settings.CACHES["default"]["BACKEND"].endswith("RedisCache") else "trong tiến trình"
        )
        out(
            f"Cơ sở dữ liệu: {engine_description(connection)} – {connection.settings_dict['NAME']} "
            f"(riêng cho bench); bộ nhớ đệm: {cache}"
        )
        out(
            f"Quy mô: {counts['agencies']} cơ quan, {counts['users']} người dùng, {counts['tasks']} nhiệm vụ, "
            f"{counts['reports']} báo cáo tiến độ; "
            + (f"dựng trong {built:.1f} s" if built is not None else "dùng lại (--keep)")
        )
        out(
            f"Đo trên: {full.agency.code}, {full.plan} ({full.plan.tasks.count()} nhiệm vụ); chuyên viên "
            f"{full.staff.username}, trưởng phòng {full.head.username}, văn thư {full.clerk.username}, "
            f"lãnh đạo {full.leader.username}"
        )
        out(
            f"Nút web: {node.command_line} – {node.workers} worker {node.worker_class} × {node.threads} luồng; "
            f"máy có {bench_capacity.cpu_count()} CPU; DEBUG=False"
        )
        out(
            f"\nThông lượng: {options['clients']} người dùng đồng thời mỗi trang (mỗi người một phiên "
            f"đăng nhập), khởi động {options['warmup']:g} s rồi đo {options['seconds']:g} s"
        )
        rows = [
            [
                outcome.label,
                outcome.role,
                str(outcome.requests),
                f"{outcome.per_second:.1f}",
                f"{outcome.median_ms:.1f}",
                f"{outcome.p95_ms:.1f}",
                str(outcome.errors),
            ]
            for outcome in outcomes
        ]
        headers = ["Trang", "Vai trò", "Yêu cầu", "Yêu cầu/s", "Trung vị (ms)", "p95 (ms)", "Lỗi"]
        for line in table(headers, rows, right={2, 3, 4, 5, 6}):
            out(line)
