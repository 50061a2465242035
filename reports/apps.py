from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Báo cáo định kỳ"

    def ready(self):
        from cchc.printing import registry
        from reports.document import build_report_document, report_print_problems
        from reports.models import PeriodicReport

        registry.register("report", PeriodicReport, build_report_document, report_print_problems)
