"""The news feeds, RSS 2.0 and Atom: the latest public articles and notices."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .selectors import articles_public

FEED_ITEMS = 30


class LatestArticlesFeed(Feed):
    title = _("义乌市总工会 · 新闻动态与通知公告")
    description = _("义乌市总工会发布的新闻动态和通知公告")
    author_name = _("义乌市总工会")

    def link(self):
        return reverse("news:list")

    def items(self):
        return articles_public()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return reverse("news:detail", kwargs={"pk": item.pk})

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.publish_at  # a published text never changes: it is withdrawn and reviewed again

    def item_author_name(self, item):
        return item.department

    def item_categories(self, item):
        return [item.get_category_display()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description

    def feed_url(self):
        return reverse("news:atom")
