"""Tallies: small summary tables that PostgreSQL keeps in step with a large table.

A tally has one row per group of the source table (a key of a few columns) with the group's
row count `n` and, where asked, sums of numeric columns. Statement-level triggers with
transition tables add what each INSERT, UPDATE, DELETE or COPY statement changed, in the same
transaction, whatever made the write (a form, an import, `bulk_create`, a plain
`QuerySet.update`, SET NULL from a deleted row); TRUNCATE empties the tally. The dashboard
then sums a few hundred or thousand tally rows instead of scanning a year of records.

- Groups are written in key order, so two transactions touch the same tally rows in the same
  order and cannot deadlock on them.
- A statement that changes no group's count or sum (a phone number edited) writes nothing
  and takes no tally lock.
- Key expressions must not be NULL (a unique key does not match NULLs): wrap nullable columns
  in COALESCE(..., 0).

All SQL here is built from the tally definitions of each app's `tallies.py`, which are
constants, never from input (hence the `nosec B608` marks for bandit).

Only PostgreSQL keeps tallies; on SQLite (the zero-set-up default of `make run`) the
selectors count the source rows, and the tests check that both give the same figures.
"""

from dataclasses import dataclass

from django.db import migrations


@dataclass(frozen=True)
class Tally:
    name: str  # prefix of the trigger functions and triggers
    source: str  # the table counted
    table: str  # the tally table
    keys: tuple[tuple[str, str], ...]  # (tally column, SQL expression over a source row)
    sums: tuple[tuple[str, str], ...] = ()  # (tally column, numeric SQL expression, never NULL)

    def _rows(self, relation: str, sign: int) -> str:
        values = [f"{expr} AS {column}" for column, expr in self.keys]
        values.append(f"{sign} AS n")
        values += [f"{sign} * ({expr}) AS {column}" for column, expr in self.sums]
        return f"SELECT {', '.join(values)} FROM {relation}"  # nosec B608

    def add(self, *parts: tuple[str, int]) -> str:
        """The statement adding the signed rows of `parts` ((relation, +1 or -1), ...) to
        their groups."""
        keys = [column for column, _expr in self.keys]
        columns = keys + ["n"] + [column for column, _expr in self.sums]
        positions = ", ".join(str(i) for i in range(1, len(keys) + 1))
        changed = " OR ".join(f"sum({column}) <> 0" for column in columns[len(keys):])
        rows = " UNION ALL ".join(self._rows(relation, sign) for relation, sign in parts)
        updates = ", ".join(f"{column} = {self.table}.{column} + EXCLUDED.{column}" for column in columns[len(keys):])
        return (
            f"INSERT INTO {self.table} ({', '.join(columns)}) "  # nosec B608
            f"SELECT {', '.join(keys)}, {', '.join(f'sum({c})' for c in columns[len(keys):])} FROM ({rows}) AS rows "
            f"GROUP BY {positions} HAVING {changed} ORDER BY {positions} "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates};"
        )

    def install_sql(self) -> str:
        """The trigger functions and triggers, and the tally filled from the rows already there."""
        n = self.name
        return f"""
CREATE FUNCTION {n}_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {self.add(("tally_new", 1))}
    ELSIF TG_OP = 'DELETE' THEN
        {self.add(("tally_old", -1))}
    ELSE
        {self.add(("tally_old", -1), ("tally_new", 1))}
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION {n}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {self.table};
    RETURN NULL;
END
$$;
CREATE TRIGGER {n}_insert AFTER INSERT ON {self.source}
    REFERENCING NEW TABLE AS tally_new FOR EACH STATEMENT EXECUTE FUNCTION {n}_apply();
CREATE TRIGGER {n}_update AFTER UPDATE ON {self.source}
    REFERENCING OLD TABLE AS tally_old NEW TABLE AS tally_new FOR EACH STATEMENT EXECUTE FUNCTION {n}_apply();
CREATE TRIGGER {n}_delete AFTER DELETE ON {self.source}
    REFERENCING OLD TABLE AS tally_old FOR EACH STATEMENT EXECUTE FUNCTION {n}_apply();
CREATE TRIGGER {n}_truncate AFTER TRUNCATE ON {self.source}
    FOR EACH STATEMENT EXECUTE FUNCTION {n}_truncate();
DELETE FROM {self.table};
{self.add((self.source, 1))}
"""  # nosec B608

    def differences_sql(self) -> str:
        """A query giving the number of groups where the tally and a recount of the source
        disagree (a group of zero count and sums is the same as no row)."""
        keys = ", ".join(column for column, _expr in self.keys)
        counts = ["n"] + [column for column, _expr in self.sums]
        recount = (f"SELECT {keys}, {', '.join(f'sum({c})' for c in counts)} "  # nosec B608
                   f"FROM ({self._rows(self.source, 1)}) AS rows GROUP BY {keys}")
        kept = f"SELECT {keys}, {', '.join(counts)} FROM {self.table} WHERE {' OR '.join(f'{c} <> 0' for c in counts)}"  # nosec B608
        return (f"WITH recount AS ({recount}), kept AS ({kept}) SELECT count(*) FROM ("  # nosec B608
                f"SELECT {keys} FROM (SELECT * FROM recount EXCEPT SELECT * FROM kept) AS missing UNION "
                f"SELECT {keys} FROM (SELECT * FROM kept EXCEPT SELECT * FROM recount) AS extra) AS differing")

    def rebuild_sql(self) -> str:
        """The tally counted again from the source, with writes to the source held meanwhile
        (run inside a transaction)."""
        return f"LOCK TABLE {self.source} IN SHARE MODE; DELETE FROM {self.table}; {self.add((self.source, 1))}"  # nosec B608

    def drop_sql(self) -> str:
        n = self.name
        triggers = "".join(f"DROP TRIGGER IF EXISTS {n}_{op} ON {self.source};\n"
                           for op in ("insert", "update", "delete", "truncate"))
        return triggers + f"DROP FUNCTION IF EXISTS {n}_apply();\nDROP FUNCTION IF EXISTS {n}_truncate();\n"

    def operation(self) -> migrations.RunPython:
        """The migration step that installs the tally's triggers (PostgreSQL only)."""
        return migrations.RunPython(_on_postgresql(self.install_sql()), _on_postgresql(self.drop_sql()))


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


def tallies() -> list[Tally]:
    """Every tally of the installed apps (each app's `tallies` module)."""
    import importlib

    from django.apps import apps

    found = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.tallies")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tallies":
                raise
            continue
        found += [value for value in vars(module).values() if isinstance(value, Tally)]
    return found


def tallies_check(*, repair: bool = False) -> dict[str, int]:
    """{tally table: groups that differ from a recount} for every tally (0: in step); with
    `repair`, each tally that differs is counted again, in its own transaction. PostgreSQL
    only (an empty answer elsewhere)."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        return {}
    found = {}
    for tally in tallies():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(tally.differences_sql())
            (found[tally.table],) = cursor.fetchone()
            if repair and found[tally.table]:
                cursor.execute(tally.rebuild_sql())
                cursor.execute(tally.differences_sql())
                (left,) = cursor.fetchone()
                if left:
                    raise RuntimeError(f"{tally.table}: {left} groups still differ after counting again")
    return found


def tallied(model) -> bool:
    """Whether the database `model` is read from keeps tallies (PostgreSQL)."""
    from django.db import connections, router

    return connections[router.db_for_read(model)].vendor == "postgresql"
