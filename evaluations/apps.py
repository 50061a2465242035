from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "Chấm điểm cải cách hành chính"

    def ready(self):
        from cchc.printing import registry
        from evaluations.documents import (
            build_round_document,
            build_unit_document,
            round_print_problems,
            unit_print_problems,
        )
        from evaluations.models import Round, Unit

        registry.register("evaluation_unit", Unit, build_unit_document, unit_print_problems)
        registry.register("evaluation_round", Round, build_round_document, round_print_problems)
