import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.reminders import reminders_on


class Command(BaseCommand):
    help = "Ghi các nhắc việc (sắp đến hạn, đến hạn, quá hạn, sắp đến kỳ báo cáo) của một ngày; mỗi nhắc việc một lần."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày dd/mm/yyyy (mặc định: hôm nay).")

    def handle(self, *args, **options):
        day = timezone.localdate()
        if options["date"]:
            try:
                day = datetime.datetime.strptime(options["date"], "%d/%m/%Y").date()
            except ValueError as error:
                raise CommandError(f"Ngày “{options['date']}” không đúng dạng dd/mm/yyyy.") from error
        written = reminders_on(day)
        self.stdout.write(f"Ngày {day:%d/%m/%Y}: ghi {written} nhắc việc mới.")
