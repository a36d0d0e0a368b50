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

All SQL here is filled in from the tally definitions of each app's `tallies.py`, which are
constants, never from input.

Only PostgreSQL keeps tallies; on SQLite (the zero-set-up default of `make run`) the
selectors count the source rows, and the tests check that both give the same figures.
"""

from dataclasses import dataclass
from string import Template

from django.db import migrations

# The statements, as templates filled from a tally's definition (string.Template: `$name`).
ROWS = Template("SELECT $values FROM $relation")
ADD = Template(
    "INSERT INTO $table ($columns) SELECT $keys, $totals FROM ($rows) AS rows "
    "GROUP BY $positions HAVING $changed ORDER BY $positions "
    "ON CONFLICT ($keys) DO UPDATE SET $updates;"
)
INSTALL = Template("""
CREATE FUNCTION ${name}_apply() RETURNS trigger LANGUAGE plpgsql AS $$$$
BEGIN
    IF TG_OP = 'INSERT' THEN
        $add_new
    ELSIF TG_OP = 'DELETE' THEN
        $add_old
    ELSE
        $add_both
    END IF;
    RETURN NULL;
END
$$$$;
CREATE FUNCTION ${name}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$$$
BEGIN
    DELETE FROM $table;
    RETURN NULL;
END
$$$$;
CREATE TRIGGER ${name}_insert AFTER INSERT ON $source
    REFERENCING NEW TABLE AS tally_new FOR EACH STATEMENT EXECUTE FUNCTION ${name}_apply();
CREATE TRIGGER ${name}_update AFTER UPDATE ON $source
    REFERENCING OLD TABLE AS tally_old NEW TABLE AS tally_new FOR EACH STATEMENT EXECUTE FUNCTION ${name}_apply();
CREATE TRIGGER ${name}_delete AFTER DELETE ON $source
    REFERENCING OLD TABLE AS tally_old FOR EACH STATEMENT EXECUTE FUNCTION ${name}_apply();
CREATE TRIGGER ${name}_truncate AFTER TRUNCATE ON $source
    FOR EACH STATEMENT EXECUTE FUNCTION ${name}_truncate();
DELETE FROM $table;
$backfill
""")
DIFFERENCES = Template(
    "WITH recount AS (SELECT $keys, $totals FROM ($rows) AS rows GROUP BY $keys), "
    "kept AS (SELECT $keys, $counts FROM $table WHERE $nonzero) SELECT count(*) FROM ("
    "SELECT $keys FROM (SELECT * FROM recount EXCEPT SELECT * FROM kept) AS missing UNION "
    "SELECT $keys FROM (SELECT * FROM kept EXCEPT SELECT * FROM recount) AS extra) AS differing"
)
REBUILD = Template("LOCK TABLE $source IN SHARE MODE; DELETE FROM $table; $backfill")


@dataclass(frozen=True)
class Tally:
    name: str  # prefix of the trigger functions and triggers
    source: str  # the table counted
    table: str  # the tally table
    keys: tuple[tuple[str, str], ...]  # (tally column, SQL expression over a source row)
    sums: tuple[tuple[str, str], ...] = ()  # (tally column, numeric SQL expression, never NULL)

    @property
    def _keys(self) -> str:
        return ", ".join(column for column, _expr in self.keys)

    @property
    def _counts(self) -> list[str]:
        return ["n"] + [column for column, _expr in self.sums]

    @property
    def _totals(self) -> str:
        return ", ".join(f"sum({c})" for c in self._counts)

    def _rows(self, relation: str, sign: int) -> str:
        values = [f"{expr} AS {column}" for column, expr in self.keys]
        values.append(f"{sign} AS n")
        values += [f"{sign} * ({expr}) AS {column}" for column, expr in self.sums]
        return ROWS.substitute(values=", ".join(values), relation=relation)

    def add(self, *parts: tuple[str, int]) -> str:
        """The statement adding the signed rows of `parts` ((relation, +1 or -1), ...) to
        their groups."""
        counts = self._counts
        return ADD.substitute(
            table=self.table, columns=f"{self._keys}, {', '.join(counts)}", keys=self._keys, totals=self._totals,
            rows=" UNION ALL ".join(self._rows(relation, sign) for relation, sign in parts),
            positions=", ".join(str(i) for i in range(1, len(self.keys) + 1)),
            changed=" OR ".join(f"sum({c}) <> 0" for c in counts),
            updates=", ".join(f"{c} = {self.table}.{c} + EXCLUDED.{c}" for c in counts),
        )

    def install_sql(self) -> str:
        """The trigger functions and triggers, and the tally filled from the rows already there."""
        return INSTALL.substitute(
            name=self.name, table=self.table, source=self.source, add_new=self.add(("tally_new", 1)),
            add_old=self.add(("tally_old", -1)), add_both=self.add(("tally_old", -1), ("tally_new", 1)),
            backfill=self.add((self.source, 1)),
        )

    def differences_sql(self) -> str:
        """A query giving the number of groups where the tally and a recount of the source
        disagree (a group of zero count and sums is the same as no row)."""
        counts = self._counts
        return DIFFERENCES.substitute(
            keys=self._keys, totals=self._totals, rows=self._rows(self.source, 1),
            counts=", ".join(counts), table=self.table, nonzero=" OR ".join(f"{c} <> 0" for c in counts),
        )

    def rebuild_sql(self) -> str:
        """The tally counted again from the source, with writes to the source held meanwhile
        (run inside a transaction)."""
        return REBUILD.substitute(source=self.source, table=self.table, backfill=self.add((self.source, 1)))

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
