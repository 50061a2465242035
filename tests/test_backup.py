"""`manage.py backup` and `manage.py restore`: an archive of the database and the private files that
restores into a second, empty installation with the same rows and the same files, on the database the
tests run on (SQLite by default, PostgreSQL when DATABASE_URL names one, as in CI)."""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cchc import backups
from tasks.models import Evidence

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads only what is committed

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data(pending_report, private_storage):
    """A plan, a task and a completion report with its evidence file; a printed document beside it."""
    (private_storage / "documents").mkdir(parents=True, exist_ok=True)
    (private_storage / "documents" / "ke-hoach-14.pdf").write_bytes(b"%PDF-1.4 in ke hoach")
    return pending_report


@pytest.fixture
def archive(data, tmp_path):
    path = tmp_path / "backups" / "cchc.tar.gz"
    call_command("backup", output=path, stdout=io.StringIO())
    return path


@pytest.fixture
def second_installation(tmp_path):
    """The environment of an empty installation: its own database (a new SQLite file, or a new
    PostgreSQL database beside the test one) and its own private folder; no cache, no broker."""
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "CELERY_BROKER_URL")}
    env |= {
        "CCHC_VAR_DIR": str(tmp_path / "second"),
        "PRIVATE_STORAGE_ROOT": str(tmp_path / "second" / "private"),
    }
    if connection.vendor == "sqlite":
        database = tmp_path / "second" / "db.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{database}"
        yield env, lambda: sqlite3.connect(database)
        return
    import psycopg2

    db = connection.settings_dict
    name = f"{db['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    server = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None}
    server["password"] = db["PASSWORD"] or None
    admin = psycopg2.connect(dbname="postgres", **server)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    user = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    address = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env["DATABASE_URL"] = f"postgres://{user}{'@' if user else ''}{address}/{name}"
    opened = []

    def connect():
        opened.append(psycopg2.connect(dbname=name, **server))
        return opened[-1]

    yield env, connect
    for each in opened:
        each.close()
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def manage(env, *argv):
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *argv], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def read_manifest(path: Path) -> dict:
    with tarfile.open(path) as archive:
        return json.load(archive.extractfile("manifest.json"))


def rewrite(path: Path, target: Path, change) -> Path:
    """A copy of the archive at `path` whose manifest `change` edited, its other members as they were."""
    with tarfile.open(path) as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


def digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_the_archive_holds_the_database_the_files_and_a_manifest(archive, data, private_storage):
    manifest = read_manifest(archive)
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["app_version"] == "0.1.0"
    assert manifest["counts"]["tasks_task"] == 1
    assert manifest["counts"]["tasks_evidence"] == 1
    assert manifest["counts"] == backups.live_counts()
    stored = Evidence.objects.get().stored_name
    evidence = f"evidence/{stored[:2]}/{stored}"
    assert {name: entry["sha256"] for name, entry in manifest["files"].items()} == digests(private_storage)
    assert evidence in manifest["files"]
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert manifest["database"]["file"] in names
    assert f"private/{evidence}" in names
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # every account's password hash is inside


def test_it_restores_into_an_empty_installation_with_the_same_rows_and_files(
    archive, second_installation, private_storage, tmp_path
):
    env, connect = second_installation
    result = manage(env, "restore", str(archive))
    assert result.returncode == 0, result.stderr
    assert "khớp bản sao lưu" in result.stdout
    # compared here too, not only by the command: the second database read directly
    counts = backups.live_counts()
    restored = connect().cursor()
    for table in ("accounts_user", "plans_plan", "tasks_task", "tasks_progressupdate", "tasks_evidence"):
        restored.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
        assert restored.fetchone()[0] == counts[table] > 0, table
    assert digests(tmp_path / "second" / "private") == digests(private_storage)


def test_it_refuses_an_installation_that_has_data_unless_forced(archive):
    with pytest.raises(CommandError, match="Không khôi phục đè lên một hệ thống đang có dữ liệu"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_a_restore_that_does_not_match_the_manifest_fails(archive, second_installation, tmp_path):
    def change(manifest):
        manifest["counts"]["tasks_task"] += 1
        name = next(iter(manifest["files"]))
        manifest["files"][name]["sha256"] = "0" * 64

    env, _ = second_installation
    result = manage(env, "restore", str(rewrite(archive, tmp_path / "changed.tar.gz", change)))
    assert result.returncode != 0
    assert "bảng tasks_task: 1 dòng, sao lưu có 2" in result.stderr
    assert "nội dung khác bản sao lưu" in result.stderr


def test_a_file_named_outside_the_private_folder_is_refused_before_anything_is_restored(archive, tmp_path):
    crafted = tmp_path / "crafted.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(crafted, "w:gz") as out:
        for member in source:
            out.addfile(member, source.extractfile(member))
        evil = tarfile.TarInfo("private/../../outside.txt")
        evil.size = 4
        out.addfile(evil, io.BytesIO(b"evil"))
    before = backups.live_counts()
    with pytest.raises(CommandError, match="tên không hợp lệ"):
        call_command("restore", str(crafted), force=True, stdout=io.StringIO())
    assert backups.live_counts() == before
    assert not (tmp_path / "outside.txt").exists()


def test_the_database_password_goes_in_the_environment_never_on_the_command_line(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "HOST", "db.internal")
    monkeypatch.setitem(connection.settings_dict, "PORT", "5433")
    monkeypatch.setitem(connection.settings_dict, "USER", "cchc")
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "mật-khẩu-csdl")
    argv, env = backups._pg_command("pg_dump")
    assert argv == ["pg_dump", "--host=db.internal", "--port=5433", "--username=cchc"]
    assert env["PGPASSWORD"] == "mật-khẩu-csdl"
    assert not any("mật-khẩu-csdl" in word for word in argv)
