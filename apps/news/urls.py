from django.urls import path

from apps.core.cache import public_page

from . import views
from .feeds import LatestArticlesAtomFeed, LatestArticlesFeed
from .selectors import public_page_seconds

app_name = "news"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("feed/", public_page("news", seconds=public_page_seconds)(LatestArticlesFeed()), name="feed"),
    path("feed/atom/", public_page("news", seconds=public_page_seconds)(LatestArticlesAtomFeed()), name="atom"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("<int:pk>/cover/", views.cover, name="cover"),
    path("<int:pk>/cover/thumb/", views.cover, {"size": "thumb"}, name="cover_thumb"),
    path("images/<int:pk>/", views.image, name="image"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
