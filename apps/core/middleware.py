"""Middleware of the project's own."""

import re

from .uploads import request_too_large


class RequestSizeLimitMiddleware:
    """Refuse (413) a request announcing a body above UPLOAD_MAX_REQUEST_BYTES before anything
    reads it: Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves uploaded files out of its count."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return request_too_large(request) or self.get_response(request)


class NulByteRejectMiddleware:
    """Take NUL bytes (%00) out of the query string before any view reads request.GET:
    PostgreSQL refuses NUL in any string, so such a value reaching a filter would otherwise be
    a 500 on every page that reads it (searches, filters, admin changelists). A NUL is never
    part of what a person typed, so the rest of the value is kept and the page answers as usual."""

    _NUL = re.compile(r"%00|\x00", re.IGNORECASE)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            request.META["QUERY_STRING"] = self._NUL.sub("", query)
        return self.get_response(request)
