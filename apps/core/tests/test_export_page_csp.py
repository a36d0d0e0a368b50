"""django-import-export's export page works under the CSP: its select-all toggle is wired by
a static script (its inline onchange attribute is blocked)."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import UserFactory


@pytest.mark.django_db
def test_member_export_page_loads_the_static_select_all_script(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:members_member_export"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'src="/static/core/export_select_all.js"' in body
    assert "select-toggle" in body
    script = open(finders.find("core/export_select_all.js"), encoding="utf-8").read()
    assert 'addEventListener("change"' in script and "selectable-field-export-row" in script


@pytest.mark.django_db
def test_export_with_unknown_filters_goes_back_to_the_list(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:members_member_export"), {"year": "10000"})
    assert response.status_code == 302 and response.url.endswith("?e=1")
