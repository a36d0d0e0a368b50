import datetime
import io
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from apps.accounts import roles
from apps.news.models import Article, Category, Kind, Status
from apps.news.services import article_save, article_transition
from tests.factories import StaffFactory


def png_upload(name="cover.png", size=(800, 600), colour=(200, 30, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


class _FormReader(HTMLParser):
    """The values a browser would send from the admin change form (inputs, selects, textareas)."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea, self._text = {}, None, None, ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file", "button"):
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data[self._textarea] = self._text.lstrip("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


def admin_form_data(html: str, **changes) -> dict:
    reader = _FormReader()
    reader.feed(html)
    data = {k: v for k, v in reader.data.items() if k not in ("csrfmiddlewaretoken", "_save", "_continue")}
    data.update(changes)
    return data


@pytest.fixture
def writer(db):
    return StaffFactory(groups=[roles.RIGHTS])


@pytest.fixture
def publisher(db):
    return StaffFactory(groups=[roles.OFFICE])


@pytest.fixture
def make_article(publisher):
    """A published article (or at `status`), `publish_at` relative to now."""

    def make(title="测试新闻", *, status=Status.PUBLISHED, ago=datetime.timedelta(hours=1), kind=Kind.ARTICLE,
             category=Category.UNION, body="<p>职工服务平台上线。</p>"):
        article = article_save(article=Article(
            title=title, kind=kind, category=category, department=roles.OFFICE, body=body,
            publish_at=timezone.now() - ago if ago is not None else None,
        ), actor=publisher)
        if status in (Status.REVIEW, Status.PUBLISHED, Status.WITHDRAWN):
            article_transition(article=article, target=Status.REVIEW, actor=publisher)
        if status in (Status.PUBLISHED, Status.WITHDRAWN):
            article_transition(article=article, target=Status.PUBLISHED, actor=publisher)
        if status == Status.WITHDRAWN:
            article_transition(article=article, target=Status.WITHDRAWN, actor=publisher, reason="内容有误")
        return article

    return make
