"""Default time limits in working days, per category x grade x step (staff edit them in admin).

Acceptance within 3 working days for every case; the handling steps after the national 12351
practice of general / difficult / very complex cases. The values are copied here, not imported,
so this migration keeps meaning what it meant when it ran.
"""

from django.db import migrations

CATEGORIES = ["contract", "wages", "insurance", "injury", "dismissal", "other"]
LIMITS = {  # step: (general, difficult, very complex)
    "accept": (3, 3, 3),
    "assign": (2, 3, 5),
    "mediation": (15, 30, 45),
    "legal_aid": (20, 40, 60),
    "arbitration": (45, 60, 90),
    "return_visit": (5, 5, 10),
}
GRADES = ["general", "difficult", "complex"]


def enter(apps, schema_editor):
    TimeLimit = apps.get_model("rights", "TimeLimit")
    rows = [
        TimeLimit(category=category, grade=grade, step=step, workdays=days[i])
        for category in CATEGORIES
        for step, days in LIMITS.items()
        for i, grade in enumerate(GRADES)
    ]
    TimeLimit.objects.bulk_create(rows, ignore_conflicts=True)


def remove(apps, schema_editor):
    apps.get_model("rights", "TimeLimit").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("rights", "0001_initial")]

    operations = [migrations.RunPython(enter, remove)]


def time_limits_ensure(**kwargs):
    """post_migrate: put the defaults back after a flush (transactional tests flush); rows
    staff already have are left as they are."""
    from django.apps import apps as global_apps

    enter(global_apps, None)
