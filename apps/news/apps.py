from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "apps.news"
    verbose_name = _("新闻公告")

    def ready(self):
        from apps.core.cache import public_data_tracks

        from .models import Article, ArticleAttachment, ArticleImage

        public_data_tracks("news", Article, ArticleImage, ArticleAttachment)
