"""`manage.py bench_capacity`: gunicorn started with the production command, loaded by concurrent clients
on a tiny province built in a database of the command's own."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from demo import bench_capacity
from demo.bench_capacity import CAPACITY_PAGES, MIX_LABEL
from tests.test_bench import TINY_SCALE
from tests.test_compose import commands_written_in_compose

ROOT = Path(__file__).resolve().parent.parent


def scratch_database_url(tmp_path) -> str:
    """A configured database the command builds its own next to: a SQLite file here, or a name of the
    PostgreSQL server the suite runs on (only `<name>_bench` is ever created, and dropped after)."""
    configured = settings.DATABASES["default"]
    if configured["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{tmp_path / 'capacity.sqlite3'}"
    user = configured["USER"] + (f":{configured['PASSWORD']}" if configured["PASSWORD"] else "")
    port = f":{configured['PORT']}" if configured["PORT"] else ""
    return f"postgres://{user}@{configured['HOST'] or 'localhost'}{port}/{configured['NAME']}_capacity"


def run_capacity(tmp_path, *options: str) -> subprocess.CompletedProcess:
    scale = [
        f"--{name.replace('_', '-')}={getattr(TINY_SCALE, name)}"
        for name in (
            "agencies",
            "departments",
            "users",
            "years",
            "tasks",
            "big_plan",
            "busy_reports",
            "huge_plan",
        )
    ]
    env = {
        **os.environ,
        "DATABASE_URL": scratch_database_url(tmp_path),
        "CCHC_VAR_DIR": str(tmp_path / "var"),
    }
    env.pop("DATABASE_URL_FILE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "bench_capacity", *scale, *options],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def table_rows(output: str) -> dict[str, list[str]]:
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Trang ") and "Yêu cầu/s" in line)
    rows = {}
    for line in lines[header + 2 :]:
        cells = [cell.strip() for cell in line.split(" | ")]
        if len(cells) == 7:
            rows[cells[0]] = cells[1:]
    return rows


def test_it_serves_every_main_page_through_the_production_gunicorn_and_prints_its_throughput(tmp_path):
    finished = run_capacity(tmp_path, "--clients=2", "--seconds=0.4", "--warmup=0.2")

    assert finished.returncode == 0, finished.stdout + finished.stderr
    output = finished.stdout
    rows = table_rows(output)
    assert list(rows) == [page.label for page in CAPACITY_PAGES] + [MIX_LABEL]
    for label, (role, requests, per_second, median, p95, errors) in rows.items():
        assert role, label
        assert int(requests) > 0 and float(per_second) > 0, label
        assert 0 < float(median) <= float(p95), label
        assert errors == "0", label
    assert rows["Gửi báo cáo tiến độ (ghi)"][0] == "chuyên viên"
    assert rows["Tổng quan kế hoạch"][0] == "lãnh đạo"
    # the node is the web service of docker-compose.yml, only bound to loopback
    node = next(line for line in output.splitlines() if line.startswith("Nút web: "))
    production = shlex.split(commands_written_in_compose()["web"])
    printed = shlex.split(node.removeprefix("Nút web: ").split(" – ")[0])
    bind = production.index("--bind")
    assert printed[:bind] + printed[bind + 2 :] == production[:bind] + production[bind + 2 :]
    assert re.fullmatch(r"127\.0\.0\.1:\d+", printed[bind + 1])
    workers = production[production.index("--workers") + 1]
    assert f"{workers} worker sync × 1 luồng; máy có {bench_capacity.cpu_count()} CPU" in node
    assert "2 người dùng đồng thời mỗi trang" in output


def test_it_refuses_a_run_without_clients(tmp_path):
    finished = run_capacity(tmp_path, "--clients=0")

    assert finished.returncode != 0
    assert "--clients must be at least 1" in finished.stderr
