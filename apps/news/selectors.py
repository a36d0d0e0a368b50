"""What the public pages read: only published articles whose time has come."""

import math

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Article, Category, Kind, Status

LIST_FIELDS = ("id", "kind", "category", "title", "summary", "department", "publish_at", "cover_thumbnail")


def articles_public(*, kind: str = "", category: str = "", query: str = ""):
    """Public articles, newest first, optionally of one kind or category or matching `query`
    (title, summary or body; unknown kinds and categories are ignored)."""
    queryset = Article.objects.public().only(*LIST_FIELDS)
    if kind in Kind.values:
        queryset = queryset.filter(kind=kind)
    if category in Category.values:
        queryset = queryset.filter(category=category)
    query = (query or "").replace("\x00", "").strip()[:50]
    if query:
        queryset = queryset.filter(Q(title__icontains=query) | Q(summary__icontains=query) | Q(body__icontains=query))
    return queryset.order_by("-publish_at", "-id")


def article_public(pk: int) -> Article | None:
    return Article.objects.public().filter(pk=pk).first()


def articles_related(article: Article, limit: int = 4) -> list[Article]:
    """Other public articles of the same category, newest first."""
    return list(
        Article.objects.public().filter(category=article.category).exclude(pk=article.pk)
        .only(*LIST_FIELDS).order_by("-publish_at", "-id")[:limit]
    )


def public_page_seconds() -> int:
    """How long a rendered public page may be kept: no later than the next scheduled publication,
    so a scheduled item appears at its time (whatever the page cache holds)."""
    default = getattr(settings, "PUBLIC_PAGE_SECONDS", 600)
    now = timezone.now()
    upcoming = (
        Article.objects.filter(status=Status.PUBLISHED, publish_at__gt=now)
        .order_by("publish_at").values_list("publish_at", flat=True).first()
    )
    if upcoming is None:
        return default
    return max(0, min(default, math.floor((upcoming - now).total_seconds())))
