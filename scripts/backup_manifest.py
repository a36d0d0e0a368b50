"""The database half of a backup and the manifest (scripts/backup.sh, scripts/restore.sh).

    backup_manifest.py dump DATABASE_URL FOLDER    pg_dump -Fc into FOLDER/database.dump and the
                                                   row count and checksum of every table, both
                                                   from one snapshot (what the dump holds)
    backup_manifest.py finish FOLDER               sha256 of every file in FOLDER/media.tar;
                                                   writes FOLDER/manifest.json
    backup_manifest.py ensure DATABASE_URL         creates the database if it does not exist;
                                                   prints how many tables it has
    backup_manifest.py check DATABASE_URL MEDIA_ROOT MANIFEST
                                                   the same facts of a restored database and
                                                   media folder, compared; exit 1 on any
                                                   difference, each one printed

A table's checksum is md5 over its rows as text, sorted, read with TimeZone UTC, so it is the
same on any server of the same major version whatever the physical order of the rows.
"""

import datetime
import hashlib
import json
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2


def tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    )
    return [row[0] for row in cursor.fetchall()]


def _facts(cursor) -> dict:
    facts = {}
    cursor.execute("SET TimeZone = 'UTC'")
    for name in tables(cursor):
        quoted = '"' + name.replace('"', '""') + '"'
        cursor.execute(
            # bandit: the table name comes from pg_tables and is quoted as an identifier
            f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {quoted} t"  # nosec B608
        )
        count, checksum = cursor.fetchone()
        facts[name] = {"rows": count, "md5": checksum}
    return facts


def table_facts(database_url: str) -> dict:
    connection = psycopg2.connect(database_url)
    try:
        with connection.cursor() as cursor:
            return _facts(cursor)
    finally:
        connection.close()


def dump(database_url: str, folder: str) -> None:
    """pg_dump and the table facts read in one REPEATABLE READ snapshot, so the manifest
    describes exactly what the dump holds even while the portal keeps writing."""
    out = Path(folder)
    connection = psycopg2.connect(database_url)
    try:
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            subprocess.run(  # pg_dump with an argument list, no shell
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                 f"--dbname={database_url}", f"--file={out / 'database.dump'}"],
                check=True,
            )
            facts = _facts(cursor)
    finally:
        connection.close()
    (out / "tables.json").write_text(json.dumps(facts, indent=1, sort_keys=True))


def tar_facts(path: Path) -> dict:
    files = {}
    with tarfile.open(path) as archive:
        for member in archive:
            if member.isfile():
                digest = hashlib.sha256()
                handle = archive.extractfile(member)
                while block := handle.read(1 << 20):
                    digest.update(block)
                files[str(Path(member.name))] = digest.hexdigest()
    return dict(sorted(files.items()))


def finish(folder: str) -> dict:
    out = Path(folder)
    facts = {
        "taken_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "tables": json.loads((out / "tables.json").read_text()),
        "media": tar_facts(out / "media.tar"),
    }
    (out / "manifest.json").write_text(json.dumps(facts, ensure_ascii=False, indent=1, sort_keys=True))
    (out / "tables.json").unlink()
    return facts


def ensure(database_url: str) -> int:
    """Create the database named by the URL when it is missing; return its number of tables."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    try:
        connection = psycopg2.connect(database_url)
    except psycopg2.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
        admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
        admin.autocommit = True
        with admin.cursor() as cursor:
            # the database name is quoted as an identifier
            cursor.execute('CREATE DATABASE "%s"' % name.replace('"', '""'))
        admin.close()
        connection = psycopg2.connect(database_url)
    try:
        with connection.cursor() as cursor:
            return len(tables(cursor))
    finally:
        connection.close()


def media_facts(media_root: str) -> dict:
    root = Path(media_root)
    files = {}
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            files[str(path.relative_to(root))] = digest.hexdigest()
    return files




def differences(expected: dict, found: dict) -> list[str]:
    problems = []
    for kind in ("tables", "media"):
        want, got = expected[kind], found[kind]
        for name in sorted(set(want) | set(got)):
            if name not in got:
                problems.append(f"{kind}: {name} is missing after the restore")
            elif name not in want:
                problems.append(f"{kind}: {name} was not in the backup")
            elif want[name] != got[name]:
                problems.append(f"{kind}: {name} differs: backup {want[name]}, restored {got[name]}")
    return problems


def main(argv: list[str]) -> int:
    action = argv[1] if len(argv) > 1 else ""
    if action == "dump" and len(argv) == 4:
        dump(argv[2], argv[3])
        return 0
    if action == "finish" and len(argv) == 3:
        facts = finish(argv[2])
        print(f"manifest: {len(facts['tables'])} tables, {sum(t['rows'] for t in facts['tables'].values())} rows, "
              f"{len(facts['media'])} media files")
        return 0
    if action == "ensure" and len(argv) == 3:
        print(ensure(argv[2]))
        return 0
    if action != "check" or len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    database_url, media_root, path = argv[2:]
    facts = {"tables": table_facts(database_url), "media": media_facts(media_root)}
    problems = differences(json.loads(Path(path).read_text()), facts)
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        print(f"restore check: {len(problems)} differences from the manifest", file=sys.stderr)
        return 1
    print(f"restore check: {len(facts['tables'])} tables and {len(facts['media'])} media files match the manifest")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
