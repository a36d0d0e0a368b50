"""Check that every tally agrees with a recount of its table; with --repair, count again the
ones that do not. The triggers keep the tallies in step with every write; this is the check
after a restore of part of the data, a trigger disabled by hand, or a doubt (Celery beat runs
it with --repair every night: `apps.core.tasks.tallies_check_task`)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from apps.core.tally import tallies_check


class Command(BaseCommand):
    help = "Check every tally against a recount of its table (PostgreSQL); --repair counts the wrong ones again."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="count again every tally that disagrees")

    def handle(self, *args, repair=False, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Tallies are kept on PostgreSQL only; this database counts the rows themselves.")
            return
        found = tallies_check(repair=repair)
        for table, differences in found.items():
            if not differences:
                self.stdout.write(f"{table}: in step")
            elif repair:
                self.stdout.write(self.style.WARNING(f"{table}: {differences} groups differed; counted again"))
            else:
                self.stdout.write(self.style.ERROR(f"{table}: {differences} groups differ from a recount"))
        wrong = [table for table, differences in found.items() if differences]
        if wrong and not repair:
            raise CommandError(f"{len(wrong)} tallies differ: {', '.join(wrong)} (manage.py tally_check --repair)")
