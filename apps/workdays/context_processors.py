from django.utils import timezone
from django.utils.translation import gettext as _

from .calendar import library_covers
from .models import CalendarYear


def calendar_notice(request):
    """From November until next year's official calendar is known, staff pages say so: every
    deadline reaching into that year counts plain weekdays until then."""
    # the admin index only: every other staff page keeps its own query count
    if request.path != "/admin/" or not getattr(request, "user", None) or not request.user.is_staff:
        return {}
    today = timezone.localdate()
    next_year = today.year + 1
    # Read afresh on every staff page (one indexed query in Nov/Dec): the banner goes the moment
    # the year is confirmed, and every admin page costs the same number of queries.
    if today.month < 11 or library_covers(next_year) or CalendarYear.objects.filter(year=next_year).exists():
        return {}
    return {
        "calendar_notice": _(
            "%(year)d 年的法定节假日和调休安排尚未录入：跨入该年的办理时限按周一至周五暂算并标注“暂定”。"
            "国务院公布后，请在“工作日历调整”中录入调整日期，并在“全年工作日历确认”中确认该年度，系统将自动重算。"
        ) % {"year": next_year}
    }
