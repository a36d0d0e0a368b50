from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..calendar import is_provisional

register = template.Library()


@register.filter
def deadline(value, fmt="Y-m-d"):
    """A deadline date, marked “暂定” when its year's official calendar is not known yet."""
    if not value:
        return ""
    shown = date_format(value, fmt)
    if not is_provisional(value):
        return shown
    return format_html(
        '{} <span class="badge text-bg-warning" title="{}">{}</span>', shown,
        _("该年度法定节假日安排尚未公布，时限按周一至周五暂算，公布后自动重算。"), _("暂定"),
    )
