"""The body's editor in admin: Trix (npm `trix`, copied to static/vendor/trix by the Makefile).

Trix keeps the HTML in a hidden input that the form posts as `body`; the server sanitises it
(`apps.news.sanitize.body_clean`) whatever the browser sends. Pictures dropped or chosen in the
editor go to the article's upload address (`data-upload-url`), which checks and re-encodes them
like every other upload; without that address (an article not saved yet) the editor refuses files.
"""

from django import forms


class RichTextEditor(forms.Textarea):
    template_name = "news/widgets/rich_text.html"

    class Media:
        css = {"all": ["vendor/trix/trix.css", "news/editor.css"]}
        # editor-csp.js must run before Trix, editor.js after it (order kept by Django's Media)
        js = ["news/editor-csp.js", "vendor/trix/trix.umd.min.js", "news/editor.js"]

    def __init__(self, attrs=None, upload_url: str = ""):
        super().__init__(attrs)
        self.upload_url = upload_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["upload_url"] = self.upload_url
        return context
