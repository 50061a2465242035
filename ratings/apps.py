from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = "Đánh giá, xếp loại công chức và thi đua"

    def ready(self):
        from cchc.printing import registry
        from ratings.documents import (
            build_decision_document,
            build_form_document,
            build_summary_document,
            decision_print_problems,
            form_print_problems,
            summary_print_problems,
        )
        from ratings.models import Rating, Round

        registry.register("rating_summary", Round, build_summary_document, summary_print_problems)
        registry.register("rating_decision", Round, build_decision_document, decision_print_problems)
        registry.register("rating_form", Rating, build_form_document, form_print_problems)
