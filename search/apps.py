from django.apps import AppConfig
from django.db.backends.signals import connection_created


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Tìm kiếm"

    def ready(self):
        from search.expressions import register_sqlite_unaccent

        connection_created.connect(register_sqlite_unaccent, dispatch_uid="search_sqlite_unaccent")
