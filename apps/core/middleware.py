"""Middleware of the project's own."""

from .uploads import request_too_large


class RequestSizeLimitMiddleware:
    """Refuse (413) a request announcing a body above UPLOAD_MAX_REQUEST_BYTES before anything
    reads it: Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves uploaded files out of its count."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return request_too_large(request) or self.get_response(request)
