"""`manage.py restore PATH [--force]`: an archive of `manage.py backup` restored into an empty
installation, then checked against its manifest (cchc.backups)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc import backups


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu của `manage.py backup` vào hệ thống trống (cơ sở dữ liệu chưa có tài "
        "khoản, thư mục tệp riêng trống), rồi đối chiếu số dòng từng bảng và mã SHA-256 từng tệp với bảng kê."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Tệp .tar.gz do `manage.py backup` ghi.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ghi đè lên hệ thống đang có dữ liệu: các bảng trong bản sao lưu được thay, các tệp được ghi lại.",
        )

    def handle(self, *args, path, force=False, **options):
        try:
            manifest, result = backups.restore_backup(path.expanduser(), force=force)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Đã khôi phục {backups.describe(manifest)}.")
        if result.problems:
            for problem in result.problems:
                self.stderr.write(f"  Không khớp: {problem}")
            raise CommandError(f"Kết quả khôi phục không khớp bản sao lưu: {len(result.problems)} chỗ khác.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đối chiếu xong: {result.tables} bảng ({result.rows} dòng) và {result.files} tệp khớp bản sao lưu."
            )
        )
