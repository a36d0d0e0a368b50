"""The one rule for an article body: a small HTML allow-list, applied with nh3 on every save.

Kept: headings, paragraphs, lists, emphasis, quotes, tables, links (http, https, mailto and
the site's own paths) and images whose address is one of this site's uploaded pictures
(/news/images/<pk>/). Dropped: script and style elements with their content, every event
handler and `style`/`class` attribute (the CSP allows no inline style), other images, iframes,
forms. The result is what is stored, so a page renders it as is.
"""

import html as html_lib
import re

import nh3

TAGS = {
    "h2", "h3", "h4", "p", "br", "hr", "strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote",
    "ul", "ol", "li", "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td",
    "caption", "span",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
LOCAL_IMAGE = re.compile(r"^/news/images/\d{1,10}/$")
WHOLE_SIZE = re.compile(r"^\d{1,4}$")


def _attribute_filter(tag: str, attribute: str, value: str):
    if tag == "img" and attribute == "src":
        return value if LOCAL_IMAGE.match(value) else None
    if tag == "img" and attribute in ("width", "height"):
        return value if WHOLE_SIZE.match(value) else None
    if tag == "a" and attribute == "href":
        # protocol-relative addresses (//elsewhere) are foreign hosts in disguise
        return None if value.startswith("//") or value.startswith("\\") else value
    return value


BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|figcaption|td|th|div)>|<br\s*/?>", re.IGNORECASE)
EMPTY_BLOCK = re.compile(r"<(p|figcaption)>\s*</\1>")
IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def body_clean(html: str) -> str:
    """Return `html` reduced to the allow-list (module doc)."""
    cleaned = nh3.clean(
        html or "",
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # a foreign picture leaves an <img> without an address: take it away whole
    # and the empty paragraphs and captions an editor leaves around a picture
    return EMPTY_BLOCK.sub("", IMG_WITHOUT_SRC.sub("", cleaned)).strip()


def body_text(html: str, length: int = 120) -> str:
    """The body's words without markup, for a summary or an og:description."""
    spaced = BLOCK_END.sub(" ", html or "")  # "<h2>标题</h2><p>正文" reads "标题 正文", not "标题正文"
    text = re.sub(r"\s+", " ", html_lib.unescape(nh3.clean(spaced, tags=set()))).strip()
    return text[:length]
