"""Store every phone, document number and membership number in its normalised spelling.

Before the validators applied Unicode NFKC, a full-width ID number with an ASCII X was accepted
and stored full-width, and phones were kept with spaces: search and duplicate checks missed
them. A row whose normalised value already belongs to another row is left as it is and listed:
that is a duplicate for staff to merge (会员合并), not something to overwrite here.
"""

import re

from django.db import IntegrityError, migrations, transaction

from apps.core.validators import normalize_document_number, normalize_digits, normalize_phone

CLEAN = re.compile(r"^[0-9A-Z]*$")

# (app, model, field, normaliser)
COLUMNS = [
    ("members", "Member", "document_number", normalize_document_number),
    ("members", "Member", "phone", normalize_phone),
    ("members", "Member", "membership_number", normalize_digits),
    ("membership", "JoinRequest", "document_number", normalize_document_number),
    ("membership", "JoinRequest", "phone", normalize_phone),
    ("membership", "ProfileChangeRequest", "new_document_number", normalize_document_number),
    ("rights", "RightsCase", "worker_phone", normalize_phone),
    ("rights", "RightsCase", "worker_id_number", normalize_document_number),
]


def normalise_rows(apps, schema_editor):
    for app_label, model_name, field, normalise in COLUMNS:
        model = apps.get_model(app_label, model_name)
        dirty = model.objects.exclude(**{f"{field}__regex": CLEAN.pattern}).exclude(**{f"{field}__isnull": True})
        for pk, value in dirty.values_list("pk", field).iterator():
            fixed = normalise(value)
            if fixed == value:
                continue
            try:
                with transaction.atomic():
                    model.objects.filter(pk=pk).update(**{field: fixed})
            except IntegrityError:
                print(f"\n  {app_label}.{model_name} #{pk}: {field} duplicates another row; merge it in admin")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_allowance_ledger"),
        ("members", "0002_name_prefix_index"),
        ("membership", "0001_initial"),
        ("rights", "0002_default_time_limits"),
    ]

    operations = [migrations.RunPython(normalise_rows, migrations.RunPython.noop)]
