"""Crisis alerts go through the shared staff notices (apps.notify.StaffNotice, staff_notify):
an alert of an open crisis that its supervisor had not seen yet becomes an urgent unread notice;
the counselling-only alert table goes. The crisis flags themselves stay."""

from django.db import migrations


def alerts_to_notices(apps, schema_editor):
    CrisisAlert = apps.get_model("counselling", "CrisisAlert")
    StaffNotice = apps.get_model("notify", "StaffNotice")
    notices = []
    alerts = CrisisAlert.objects.filter(seen_at__isnull=True, flag__is_open=True).select_related("flag")
    for alert in alerts.iterator(chunk_size=2000):
        flag = alert.flag
        subject = f"咨询记录 #{flag.session_id}" if flag.session_id else f"匿名求助 #{flag.request_id}"
        notices.append(StaffNotice(
            user_id=alert.supervisor_id, urgent=True, created_at=alert.created_at,
            title=f"危机预警 #{flag.pk}：{subject}",
            body=f"{subject} 被标记为危机（对自己或他人有风险），请立即处理；须由督导填写说明后才能解除。",
            link=f"/admin/counselling/crisisflag/{flag.pk}/change/",
        ))
    StaffNotice.objects.bulk_create(notices, batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('counselling', '0002_session_topics'),
        ('notify', '0003_staff_notices'),
    ]

    operations = [
        migrations.RunPython(alerts_to_notices, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='CrisisAlert',
        ),
    ]
