"""The home page's news block: the latest articles, current notices and open public notices."""

from django import template

from apps.notices.models import NoticeStatus, PublicNotice

from ..models import Kind
from ..selectors import articles_public

register = template.Library()

HOME_ITEMS = 5


@register.inclusion_tag("news/_home.html")
def news_home():
    return {
        "latest": list(articles_public(kind=Kind.ARTICLE)[:HOME_ITEMS]),
        "notices": list(articles_public(kind=Kind.NOTICE)[:HOME_ITEMS]),
        "public_notices": list(
            PublicNotice.objects.filter(status=NoticeStatus.OPEN).only("id", "title", "ends_on")
            .order_by("-starts_on", "-id")[:3]
        ),
    }
