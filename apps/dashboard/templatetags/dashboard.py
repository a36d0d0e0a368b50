from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def cell(value):
    """A figure as a table shows it: money with two decimals, counts with thousands separators
    (as the federation's financial tables write them, in every language)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return value
