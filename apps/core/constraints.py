"""Database constraints shared by the apps."""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.db import DEFAULT_DB_ALIAS, connections


class PostgresExclusionConstraint(ExclusionConstraint):
    """An ExclusionConstraint that exists only on PostgreSQL.

    On SQLite (`make run` without DATABASE_URL) it is left out of the schema and its validation
    is skipped: the app's service checks under a row lock are the guard there. A form that
    leaves out one of `fields_read` cannot evaluate it either (the service's check and the
    database still apply). Subclasses name the fields they read."""

    fields_read: frozenset[str] = frozenset()

    def _on_postgres(self, schema_editor) -> bool:
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if self._on_postgres(schema_editor) else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if self._on_postgres(schema_editor) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if self._on_postgres(schema_editor) else None

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if exclude and self.fields_read & set(exclude):
            return
        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)
