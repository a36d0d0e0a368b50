"""The move to several topic categories keeps each existing session's category."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone


@pytest.mark.django_db(transaction=True)
def test_existing_session_topic_becomes_its_first_category(django_user_model):
    executor = MigrationExecutor(connection)
    before = [("counselling", "0001_counselling_initial")]
    after = [("counselling", "0002_session_topics")]
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        TownStreet = apps.get_model("orgs", "TownStreet")
        Studio = apps.get_model("counselling", "Studio")
        Counsellor = apps.get_model("counselling", "Counsellor")
        Session = apps.get_model("counselling", "Session")
        town = TownStreet.objects.first() or TownStreet.objects.create(name="稠城", code="choucheng")
        studio = Studio.objects.create(name="迁移测试工作室", town_street=town, address="地址", phone="0579-1")
        user = django_user_model.objects.create(username="migration-counsellor", is_staff=True)
        counsellor = Counsellor.objects.create(user_id=user.pk, name="咨询师", qualification="c3")
        held = timezone.now() - datetime.timedelta(days=3)
        session = Session.objects.create(counsellor=counsellor, studio=studio, held_at=held, topic="family")
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        apps = executor.loader.project_state(after).apps
        SessionTopic = apps.get_model("counselling", "SessionTopic")
        assert list(SessionTopic.objects.filter(session_id=session.pk).values_list("topic", flat=True)) == ["family"]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
