from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "Nhiệm vụ và tiến độ"

    def ready(self):
        from cchc.printing import registry
        from plans.models import Plan
        from tasks.documents import build_plan_document, plan_print_problems

        registry.register("plan", Plan, build_plan_document, plan_print_problems)
