"""Reference data: Yiwu's 8 streets (街道) and 6 towns (镇)."""

from django.db import migrations

TOWN_STREETS = [
    ("choucheng", "稠城", "street"), ("beiyuan", "北苑", "street"), ("choujiang", "稠江", "street"),
    ("jiangdong", "江东", "street"), ("houzhai", "后宅", "street"), ("chengxi", "城西", "street"),
    ("niansanli", "廿三里", "street"), ("futian", "福田", "street"),
    ("fotang", "佛堂", "town"), ("chian", "赤岸", "town"), ("yiting", "义亭", "town"),
    ("shangxi", "上溪", "town"), ("suxi", "苏溪", "town"), ("dachen", "大陈", "town"),
]


def create(apps, schema_editor):
    TownStreet = apps.get_model("orgs", "TownStreet")
    for order, (code, name, kind) in enumerate(TOWN_STREETS, start=1):
        TownStreet.objects.update_or_create(code=code, defaults={"name": name, "kind": kind, "sort_order": order})


def town_streets_ensure(**kwargs):
    """post_migrate: put the reference rows back after a flush (transactional tests flush)."""
    from django.apps import apps as global_apps

    create(global_apps, None)


def remove(apps, schema_editor):
    apps.get_model("orgs", "TownStreet").objects.filter(code__in=[t[0] for t in TOWN_STREETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
