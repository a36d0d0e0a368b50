"""A leader opens the dashboard on a phone (390x844, Chromium via Playwright) and sees the
ECharts charts drawn with the year's data, the tables beside them, and the work report."""


import pytest

from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_sees_rendered_charts_on_a_phone(page, live_server, world, leader, shots):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    sign_in(page, live_server, leader)
    page.goto(f"{live_server.url}/dashboard/?year={world.year}")
    page.wait_for_selector("#chart-rights_category[data-rendered='1'] canvas")
    charts = page.locator(".dashboard-chart[data-rendered='1'] canvas")
    assert charts.count() == page.locator(".dashboard-chart").count() >= 15
    # the chart really holds the data: ECharts reports the series it drew
    drawn = page.evaluate("""() => {
        const chart = echarts.getInstanceByDom(document.getElementById('chart-rights_category'));
        return chart.getOption().series[0].data;
    }""")
    assert drawn == [1, 2, 1, 1]  # contract, wages, injury, other (in the categories' order)
    pie = page.evaluate("""() => echarts.getInstanceByDom(document.getElementById('chart-stars_level'))
        .getOption().series[0].data.map(d => [d.name, d.value])""")
    assert pie == [["三星级", 1], ["五星级", 1]]
    assert page.get_by_role("heading", name="社会化维权").is_visible()
    assert page.get_by_role("cell", name="6,200.50").first.is_visible() or page.locator("td", has_text="6,200.50").count()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone
    shots(page, "phone")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.wait_for_timeout(400)
    shots(page, "desktop")
    # the meeting-room screen: the Fullscreen API on the dashboard, charts redrawn larger
    page.get_by_role("button", name="全屏").click()
    page.wait_for_selector("#dashboard.is-fullscreen")
    assert page.evaluate("document.fullscreenElement && document.fullscreenElement.id") == "dashboard"
    shots(page, "fullscreen")
    page.get_by_role("button", name="退出全屏").click()
    page.wait_for_selector("#dashboard:not(.is-fullscreen)")
    page.get_by_role("link", name="年度工作数据").click()
    page.wait_for_url(f"{live_server.url}/dashboard/report/*")
    assert page.get_by_role("heading", name="一、工会社会化维权").is_visible()
    shots(page, "report")
    assert errors == []
