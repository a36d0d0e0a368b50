from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def cell(value):
    """A figure as a table shows it: money with two decimals, counts with separators."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=2, force_grouping=True)
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    return value
