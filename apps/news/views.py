"""Public news pages (cached whole for anonymous visitors) and the files they show."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.core.cache import public_page

from .models import Article, ArticleAttachment, ArticleImage, Category, Kind
from .selectors import article_public, articles_public, articles_related, public_page_seconds

PER_PAGE = 12


@require_GET
@public_page("news", seconds=public_page_seconds)
def article_list(request):
    kind = request.GET.get("kind", "")
    category = request.GET.get("category", "")
    query = request.GET.get("q", "")
    page = Paginator(articles_public(kind=kind, category=category, query=query), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "news/list.html", {
        "page": page, "kind": kind if kind in Kind.values else "", "category": category if category in Category.values else "",
        "query": query.replace("\x00", "").strip()[:50], "categories": Category.choices, "kinds": Kind.choices,
    })


@require_GET
@public_page("news", seconds=public_page_seconds)
def article_detail(request, pk):
    article = article_public(pk)
    if article is None:
        raise Http404
    return render(request, "news/detail.html", {
        "article": article, "related": articles_related(article),
        "attachments": list(article.attachments.all()),
    })


def _may_preview(request, article: Article) -> bool:
    return article.is_public or (request.user.is_authenticated and request.user.has_perm("news.view_article"))


def _send(field, content_type="image/jpeg", filename=None):
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404
    response = FileResponse(handle, content_type=content_type, as_attachment=filename is not None, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def cover(request, pk, size="full"):
    article = Article.objects.filter(pk=pk).first()
    if article is None or not _may_preview(request, article):
        raise Http404
    return _send(article.cover_thumbnail if size == "thumb" else article.cover)


@require_GET
def image(request, pk):
    picture = ArticleImage.objects.select_related("article").filter(pk=pk).first()
    if picture is None or not _may_preview(request, picture.article):
        raise Http404
    return _send(picture.image)


@require_GET
def attachment(request, pk):
    item = ArticleAttachment.objects.select_related("article").filter(pk=pk).first()
    if item is None or not _may_preview(request, item.article):
        raise Http404
    return _send(item.file, content_type=item.content_type, filename=item.name)
