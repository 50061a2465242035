"""Trigram indexes for the search box, on PostgreSQL only (nothing happens on SQLite, where
search.expressions registers cchc_unaccent on each connection instead).

cchc_unaccent is IMMUTABLE (unaccent itself is only STABLE, because its dictionary could change): it
names its dictionary explicitly, so that it may stand in an index expression. The queries of
search.queries filter with exactly these expressions."""

from django.db import migrations


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that runs on PostgreSQL and does nothing on another database."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    CREATE OR REPLACE FUNCTION cchc_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$
    """,
    "CREATE INDEX search_task_text_trgm ON tasks_task USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX search_plan_title_trgm ON plans_plan USING gin (cchc_unaccent(title) gin_trgm_ops)",
    "CREATE INDEX search_document_number_trgm ON plans_legaldocument USING gin (cchc_unaccent(number) gin_trgm_ops)",
    "CREATE INDEX search_document_summary_trgm ON plans_legaldocument USING gin (cchc_unaccent(summary) gin_trgm_ops)",
    "CREATE INDEX search_document_issuer_trgm ON plans_legaldocument USING gin (cchc_unaccent(issuer) gin_trgm_ops)",
]
# The extensions stay: other schemas or databases objects may use them.
BACKWARDS = [
    "DROP INDEX IF EXISTS search_document_issuer_trgm",
    "DROP INDEX IF EXISTS search_document_summary_trgm",
    "DROP INDEX IF EXISTS search_document_number_trgm",
    "DROP INDEX IF EXISTS search_plan_title_trgm",
    "DROP INDEX IF EXISTS search_task_text_trgm",
    "DROP FUNCTION IF EXISTS cchc_unaccent(text)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_plans_legal_bases_reform_areas"),
        ("tasks", "0001_tasks_progress_history"),
    ]

    operations = [PostgreSQLOnly(sql=FORWARDS, reverse_sql=BACKWARDS)]
