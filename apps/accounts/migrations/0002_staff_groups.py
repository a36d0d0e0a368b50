"""The federation's staff groups; their permissions are applied after migrate (roles.py)."""

from django.db import migrations

GROUPS = [
    "权益保障部", "组织部", "经济技术部", "困难职工帮扶中心", "互助保障办公室", "心灵港湾工作室",
    "心理咨询督导", "领导", "基层工会干部", "镇街代办点",
]


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create, remove)]
