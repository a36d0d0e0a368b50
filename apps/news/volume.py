"""A year of news for benchmarks (`manage.py generate_volume --year`): about two items a working
day, as a city federation's site publishes them, each with its review and publish rows."""

import datetime
import random

from django.utils import timezone

from apps.accounts import roles
from apps.core.cache import public_data_changed
from apps.members.management.volume import volume_year_register

from .models import Article, ArticleStatusChange, Category, Kind, Status

DEPARTMENTS = [roles.OFFICE, roles.ORGANISATION, roles.RIGHTS, roles.ECONOMIC, roles.AID]
TOPICS = ["基层工会换届选举", "职工技能比武", "夏送清凉慰问一线职工", "工会法律援助进企业", "金秋助学资助发放",
          "职工医疗互助报销", "心灵港湾心理讲座", "最美职工事迹分享", "劳动合同签订专项检查", "职工疗休养"]


@volume_year_register("news")
def news_year(*, year_start: datetime.date, seed: int) -> int:
    """About 500 published articles between `year_start` and today."""
    rng = random.Random(f"{seed}:news:{year_start}")
    days = max(1, (timezone.localdate() - year_start).days)
    articles = []
    for n in range(500):
        day = year_start + datetime.timedelta(days=rng.randrange(days))
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randrange(8, 18), rng.randrange(60))))
        topic = rng.choice(TOPICS)
        articles.append(Article(
            kind=Kind.NOTICE if n % 5 == 0 else Kind.ARTICLE, category=rng.choice(Category.values),
            title=f"{topic}（{day:%m月%d日}）", summary=f"{topic}相关情况。",
            body=f"<p>{topic}工作于{day:%Y年%m月%d日}开展。</p>", department=rng.choice(DEPARTMENTS),
            status=Status.PUBLISHED, publish_at=at,
        ))
    created = Article.objects.bulk_create(articles, batch_size=500)
    ArticleStatusChange.objects.bulk_create([
        ArticleStatusChange(article=a, from_status=src, to_status=dst, at=a.publish_at)
        for a in created for src, dst in ((Status.DRAFT, Status.REVIEW), (Status.REVIEW, Status.PUBLISHED))
    ], batch_size=1000)
    public_data_changed("news")
    return len(created)
