"""The beat schedule of cchc.celery, run in this process: the scheduler `make run` starts beside the
development server when no broker is configured, so that reminders and mail go out with nothing more
to install. With a broker, Celery beat and a worker do this instead (docker-compose.yml).

Where Redis is configured it holds the same lock as beat (cchc.beat): beside a running beat, or a second
run_schedule, it waits and runs nothing while the other holds it."""

import logging
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from cchc.beat import RETRY_SECONDS, beat_lock

logger = logging.getLogger(__name__)
LONGEST_SLEEP = 60.0  # seconds: a clock changed under the process is noticed within a minute


class Command(BaseCommand):
    help = (
        "Chạy lịch công việc nền (nhắc việc, thư tổng hợp, thư báo ngay) ngay trong tiến trình này, "
        "không cần Redis hay Celery worker: mỗi việc chạy khi đến giờ như trong cchc/celery.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Chạy mỗi việc một lần rồi dừng.")

    def handle(self, *args, once=False, verbosity=1, **options):
        from cchc.celery import app

        self.verbosity = verbosity
        app.loader.import_default_modules()  # the jobs.py modules of every app
        entries = app.conf.beat_schedule
        lock = beat_lock()
        try:
            self._loop(app, entries, lock, once)
        finally:
            if lock is not None:
                lock.release()

    def _loop(self, app, entries: dict, lock, once: bool) -> None:
        last_run = {}
        while True:
            if lock is not None and not lock.hold():
                if once:
                    self.stderr.write(
                        f"Một bộ lập lịch khác ({lock.holder() or 'không rõ'}) đang chạy lịch công việc nền; "
                        "lần này không chạy việc nào."
                    )
                    return
                time.sleep(RETRY_SECONDS)
                continue
            now = timezone.now()
            waits = []
            for name, entry in entries.items():
                due, wait = (True, 0.0) if name not in last_run else entry["schedule"].is_due(last_run[name])
                if due:
                    self._run(app, name, entry["task"])
                    last_run[name] = now
                    wait = entry["schedule"].remaining_estimate(now).total_seconds()
                waits.append(wait)
            if once:
                return
            longest = RETRY_SECONDS if lock is not None else LONGEST_SLEEP  # the lock is renewed in time
            time.sleep(max(1.0, min(min(waits), longest)))

    def _run(self, app, name: str, task_name: str) -> None:
        started = time.perf_counter()
        try:
            result = app.tasks[task_name].apply(throw=True).get()
        except Exception:  # one failing job must not stop the others: logged, tried at its next time
            logger.exception("Scheduled job %s failed", task_name)
            return
        if self.verbosity > 1 or (result and name != "beat-heartbeat"):
            seconds = time.perf_counter() - started
            self.stdout.write(f"{timezone.localtime():%H:%M} {name}: {result} ({seconds:.1f} s)")
