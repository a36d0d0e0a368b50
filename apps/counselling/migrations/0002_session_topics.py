"""A session records one or more topic categories (SessionTopic) instead of one; each existing
session keeps its category as its first row."""

import django.db.models.deletion
from django.db import migrations, models


def topics_copy(apps, schema_editor):
    Session = apps.get_model("counselling", "Session")
    SessionTopic = apps.get_model("counselling", "SessionTopic")
    rows = []
    for pk, topic in Session.objects.exclude(topic="").values_list("pk", "topic").iterator(chunk_size=5000):
        rows.append(SessionTopic(session_id=pk, topic=topic))
        if len(rows) >= 5000:
            SessionTopic.objects.bulk_create(rows)
            rows = []
    SessionTopic.objects.bulk_create(rows)


def topics_back(apps, schema_editor):
    Session = apps.get_model("counselling", "Session")
    SessionTopic = apps.get_model("counselling", "SessionTopic")
    first = SessionTopic.objects.filter(session=models.OuterRef("pk")).order_by("topic").values("topic")[:1]
    Session.objects.update(topic=models.functions.Coalesce(models.Subquery(first), models.Value("other")))


class Migration(migrations.Migration):

    dependencies = [
        ('counselling', '0001_counselling_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='SessionTopic',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('topic', models.CharField(choices=[('work', '工作压力'), ('family', '家庭'), ('relations', '人际关系'), ('emotions', '情绪'), ('other', '其他')], max_length=10, verbose_name='主题类别')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='topics', to='counselling.session', verbose_name='咨询记录')),
            ],
            options={
                'verbose_name': '主题类别',
                'verbose_name_plural': '主题类别',
                'ordering': ['session', 'topic'],
            },
        ),
        migrations.AddIndex(
            model_name='sessiontopic',
            index=models.Index(fields=['topic', 'session'], name='counselling_topic_session_idx'),
        ),
        migrations.AddConstraint(
            model_name='sessiontopic',
            constraint=models.UniqueConstraint(fields=('session', 'topic'), name='counselling_session_topic_once'),
        ),
        migrations.RunPython(topics_copy, topics_back),
        migrations.RemoveField(
            model_name='historicalsession',
            name='topic',
        ),
        migrations.RemoveField(
            model_name='session',
            name='topic',
        ),
    ]
