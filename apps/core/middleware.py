"""Middleware of the project's own."""

from urllib.parse import unquote

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

from .uploads import request_too_large


class RequestSizeLimitMiddleware:
    """Refuse (413) a request announcing a body above UPLOAD_MAX_REQUEST_BYTES before anything
    reads it: Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves uploaded files out of its count."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return request_too_large(request) or self.get_response(request)


class NulByteRejectMiddleware:
    """Answer 400 to a query string carrying a NUL byte (%00): PostgreSQL refuses NUL in any
    string, so such a value reaching a filter would otherwise be a 500 on every page that
    reads request.GET (searches, filters, admin changelists)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            return HttpResponseBadRequest(_("请求中含有无效字符。"), content_type="text/plain; charset=utf-8")
        return self.get_response(request)
