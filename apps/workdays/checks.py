from django.core.checks import Warning, register
from django.utils import timezone

from .calendar import library_covers


@register()
def next_year_known(app_configs, **kwargs):
    """From December on, warn when next year's official calendar is in neither the library
    nor the staff's CalendarDay rows: deadlines would then count plain weekdays."""
    today = timezone.localdate()
    if today.month < 12 or library_covers(today.year + 1):
        return []
    from django.db import DatabaseError

    from .models import CalendarDay

    try:
        entered = CalendarDay.objects.filter(date__year=today.year + 1).exists()
    except DatabaseError:
        return []
    if entered:
        return []
    return [
        Warning(
            f"{today.year + 1} 年的法定节假日与调休安排尚未录入，工作日将按周一至周五计算。",
            hint="升级 chinesecalendar，或在后台“工作日历调整”中录入国务院公布的安排。",
            id="workdays.W001",
        )
    ]
