"""Backups that restore: the database and the private files (evidence, printed documents) in one
.tar.gz, with a manifest to check a restore against.

The archive holds `manifest.json`, the database (`database.dump`, pg_dump's custom format, for
PostgreSQL; `database.sqlite3`, a copy made with SQLite's backup API) and `private/…`, the files of the
private storage (cchc.storage: the folder PRIVATE_STORAGE_ROOT or the bucket), read and restored through
it. The manifest names the application's version and the database vendor, counts the
rows of every table as the dump holds them (PostgreSQL: counted in the snapshot pg_dump reads), and
gives each file's size and SHA-256. `manage.py backup` writes it, `manage.py restore` restores it into
an empty installation and compares the result with the manifest.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files import File
from django.db import connection
from django.utils import timezone

from cchc import storage

FORMAT = 1
MANIFEST = "manifest.json"
FILES_DIR = "private"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """What stops a backup or a restore, in words for the operator (Vietnamese)."""


@dataclass
class Verification:
    tables: int = 0
    rows: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)


def app_version() -> str:
    try:
        with open(settings.BASE_DIR / "pyproject.toml", "rb") as project:
            return tomllib.load(project)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stored_digest(name: str) -> tuple[int, str]:
    """The size and SHA-256 of a file of the private storage."""
    with storage.open_file(name) as handle:
        size = 0
        digest = hashlib.sha256()
        while chunk := handle.read(CHUNK):
            size += len(chunk)
            digest.update(chunk)
    return size, digest.hexdigest()


def count_rows(cursor, quote, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 – names from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


def live_counts() -> dict[str, int]:
    """The rows of every table of the configured database, now."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return count_rows(cursor, connection.ops.quote_name, tables)


def _vendor() -> str:
    if connection.vendor not in DUMPS:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}: chỉ PostgreSQL và SQLite.")
    return connection.vendor


def _pg_command(program: str) -> tuple[list[str], dict]:
    """The program with the connection's host, port and user; the password goes in PGPASSWORD, never
    on the command line (where `ps` shows it)."""
    db = connection.settings_dict
    argv = [program]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            argv.append(f"{option}={db[key]}")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    if sslmode := db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return argv, env


def _run(argv: list[str], env: dict, what: str) -> None:
    if shutil.which(argv[0]) is None:
        raise BackupError(f"Không tìm thấy chương trình {argv[0]} (gói postgresql-client) để {what}.")
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{argv[0]} không {what} được:\n{result.stderr.strip()}")


def _dump_postgresql(target: Path) -> dict[str, int]:
    """pg_dump of the database and the row counts, both read in one snapshot: a write during the
    backup is in neither or in both."""
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("Không sao lưu được trong một giao dịch đang mở.")
    argv, env = _pg_command("pg_dump")
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            argv += ["--format=custom", f"--snapshot={snapshot}", f"--file={target}"]
            _run([*argv, f"--dbname={connection.settings_dict['NAME']}"], env, "sao lưu cơ sở dữ liệu")
            tables = connection.introspection.table_names(cursor)
            counts = count_rows(cursor, connection.ops.quote_name, tables)
        finally:
            cursor.execute("COMMIT")
    return counts


def _dump_sqlite(target: Path) -> dict[str, int]:
    """A copy through SQLite's backup API (consistent even while the application writes), counted in
    the copy itself."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        tables = [
            name
            for (name,) in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return count_rows(copy.cursor(), connection.ops.quote_name, tables)
    finally:
        copy.close()


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    member = tarfile.TarInfo(name)
    member.size = len(data)
    member.mtime = int(timezone.now().timestamp())
    member.mode = 0o600
    archive.addfile(member, io.BytesIO(data))


def write_backup(output: Path) -> dict:
    """Write the archive to `output` (via a temporary file beside it, so a half-written archive never
    bears the name) and return its manifest."""
    vendor = _vendor()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / DUMPS[vendor]
        counts = _dump_postgresql(dump) if vendor == "postgresql" else _dump_sqlite(dump)
        files = {}
        for name in storage.names():
            size, digest = stored_digest(name)
            files[name] = {"size": size, "sha256": digest}
        manifest = {
            "format": FORMAT,
            "app_version": app_version(),
            "created_at": timezone.now().isoformat(),
            "database": {"vendor": vendor, "file": DUMPS[vendor], "sha256": sha256_of(dump)},
            "counts": counts,
            "files": files,
        }
        handle, partial = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
                archive.add(dump, arcname=DUMPS[vendor])
                for name, entry in files.items():
                    _add_stored(archive, name, entry["size"])
            os.chmod(partial, 0o600)  # the archive holds every account's password hash
            os.replace(partial, output)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return manifest


def _add_stored(archive: tarfile.TarFile, name: str, size: int) -> None:
    """The stored file as `private/<name>`, read through the storage (the same bytes the manifest
    describes: a stored file is never changed, only replaced by one of another name)."""
    member = tarfile.TarInfo(f"{FILES_DIR}/{name}")
    member.size = size
    member.mtime = int(timezone.now().timestamp())
    member.mode = 0o600
    with storage.open_file(name) as handle:
        archive.addfile(member, handle)


def default_output() -> Path:
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"cchc-{stamp}.tar.gz"


# Restoring --------------------------------------------------------------------------------------


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, AttributeError, ValueError) as error:
        raise BackupError(
            "Tệp không phải bản sao lưu của hệ thống: không có manifest.json hợp lệ."
        ) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Bản sao lưu có định dạng {manifest.get('format')!r}, không đọc được.")
    return manifest


def installation_has_data() -> list[str]:
    """What is already there: accounts in the database, files in the private storage."""
    found = []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    user_table = get_user_model()._meta.db_table
    if user_table in tables and get_user_model()._base_manager.exists():
        found.append(f"cơ sở dữ liệu đã có {get_user_model()._base_manager.count()} tài khoản")
    if files := storage.names():
        found.append(f"kho tệp {storage.describe()} đã có {len(files)} tệp")
    return found


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or len(path.parts) < 2 or path.parts[0] != FILES_DIR:
        raise BackupError(f"Bản sao lưu có tệp mang tên không hợp lệ: {name}")
    return PurePosixPath(*path.parts[1:])


def _restore_postgresql(dump: Path) -> None:
    connection.close()  # pg_restore replaces the tables this connection may hold locks on
    argv, env = _pg_command("pg_restore")
    argv += ["--no-owner", "--no-acl", "--clean", "--if-exists", "--single-transaction", "--exit-on-error"]
    _run([*argv, f"--dbname={connection.settings_dict['NAME']}", str(dump)], env, "khôi phục cơ sở dữ liệu")


def _restore_sqlite(dump: Path) -> None:
    """The copy written page by page over the configured database, through SQLite's backup API."""
    connection.close()
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def restore_backup(path: Path, *, force: bool = False) -> tuple[dict, Verification]:
    """Restore the archive at `path` into this installation, then compare it with the manifest."""
    vendor = _vendor()
    try:
        archive = tarfile.open(path, mode="r:gz")  # noqa: SIM115 – closed by the `with` below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Không mở được bản sao lưu {path}: {error}") from error
    with archive, tempfile.TemporaryDirectory() as scratch:
        manifest = _read_manifest(archive)
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                f"Bản sao lưu là của {manifest['database']['vendor']}, cơ sở dữ liệu đang cấu hình là {vendor}."
            )
        _check_members(archive, manifest)
        if not force and (found := installation_has_data()):
            raise BackupError(
                "Không khôi phục đè lên một hệ thống đang có dữ liệu (" + "; ".join(found) + "). "
                "Khôi phục vào cơ sở dữ liệu và thư mục tệp trống, hoặc thêm --force để ghi đè."
            )
        dump = Path(scratch) / "database"
        try:
            source = archive.extractfile(manifest["database"]["file"])
        except KeyError as error:
            raise BackupError("Bản sao lưu thiếu tệp cơ sở dữ liệu.") from error
        with open(dump, "wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        if sha256_of(dump) != manifest["database"]["sha256"]:
            raise BackupError("Tệp cơ sở dữ liệu trong bản sao lưu bị hỏng (mã SHA-256 không khớp).")
        if vendor == "postgresql":
            _restore_postgresql(dump)
        else:
            _restore_sqlite(dump)
        _extract_files(archive)
    # Cached pages are keyed on ids and data versions that the restored rows may repeat with other
    # content: none of them may be served for the restored data.
    cache.clear()
    return manifest, verify(manifest)


def _check_members(archive: tarfile.TarFile, manifest: dict) -> None:
    """Before anything is restored: every member is the manifest, the database or a plain file named
    inside the private folder."""
    known = {MANIFEST, manifest["database"]["file"]}
    for member in archive.getmembers():
        if member.name in known and member.isfile():
            continue
        _safe_name(member.name)
        if not member.isfile():
            raise BackupError(f"Bản sao lưu có mục không phải tệp: {member.name}")


def _extract_files(archive: tarfile.TarFile) -> None:
    """Every file of the archive written back through the private storage, under its own name."""
    for member in archive.getmembers():
        if not member.name.startswith(f"{FILES_DIR}/"):
            continue
        with archive.extractfile(member) as source:
            storage.write(_safe_name(member.name).as_posix(), File(source))


def verify(manifest: dict) -> Verification:
    """The installation as it stands against the manifest: every table's rows, every file's digest."""
    result = Verification()
    counts = live_counts()
    for table, expected in sorted(manifest["counts"].items()):
        got = counts.get(table)
        if got != expected:
            result.problems.append(
                f"bảng {table}: {got if got is not None else 'không có'} dòng, sao lưu có {expected}"
            )
        result.tables += 1
        result.rows += expected
    for name, expected in sorted(manifest["files"].items()):
        try:
            _, digest = stored_digest(name)
        except FileNotFoundError:
            result.problems.append(f"tệp {name}: không có")
        else:
            if digest != expected["sha256"]:
                result.problems.append(f"tệp {name}: nội dung khác bản sao lưu (SHA-256)")
        result.files += 1
    return result


def describe(manifest: dict) -> str:
    created = datetime.datetime.fromisoformat(manifest["created_at"])
    rows = sum(manifest["counts"].values())
    return (
        f"bản sao lưu lúc {timezone.localtime(created):%H:%M ngày %d/%m/%Y}, phiên bản {manifest['app_version']}, "
        f"{manifest['database']['vendor']}: {len(manifest['counts'])} bảng, {rows} dòng, "
        f"{len(manifest['files'])} tệp"
    )
