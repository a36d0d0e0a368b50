"""Flag overdue join requests now (the same work as the daily Celery beat task)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from apps.membership.services import join_requests_escalate


class Command(BaseCommand):
    help = "将超过15个工作日未办结的入会申请标记为已上报组织部（与每日定时任务相同）。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按指定日期（YYYY-MM-DD）判断是否超期，默认今天")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD") from exc
        count = join_requests_escalate(today=day)
        self.stdout.write(f"已上报 {count} 份超期入会申请。")
