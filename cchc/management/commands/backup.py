"""`manage.py backup [--output PATH]`: the database and the private files in one archive (cchc.backups)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc import backups


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu (PostgreSQL bằng pg_dump, SQLite bằng API sao lưu) và các tệp riêng "
        "(minh chứng, văn bản đã in) vào một tệp .tar.gz kèm bảng kê: số dòng mỗi bảng, mã SHA-256 mỗi tệp."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Tệp sao lưu sẽ ghi (mặc định: <CCHC_VAR_DIR>/backups/cchc-<ngày giờ>.tar.gz).",
        )

    def handle(self, *args, output=None, **options):
        output = (output or backups.default_output()).expanduser().resolve()
        try:
            manifest = backups.write_backup(output)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Đã sao lưu vào {output}"))
        self.stdout.write(f"  {backups.describe(manifest)}")
