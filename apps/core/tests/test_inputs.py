"""The stored rows normalised by the data migration, the 404 and 500 pages, and SITE_URL."""

import importlib
import os
import subprocess
import sys

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection
from django.template import loader
from django.test import RequestFactory
from django.utils import translation

from apps.core.tests.test_validators import full_width
from apps.members.models import Member
from tests.factories import MemberFactory, resident_id

migration = importlib.import_module("apps.core.migrations.0004_normalise_stored_numbers")


def raw_update(member, **values):
    columns = ", ".join(f"{name} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE members_member SET {columns} WHERE id = %s", [*values.values(), member.pk])


@pytest.mark.django_db
def test_data_migration_normalises_stored_full_width_and_spaced_numbers():
    number = next(resident_id(n) for n in range(900, 2000) if resident_id(n).endswith("X"))
    spelled = MemberFactory(phone="13700001111", membership_number="YW2020000777")
    clash_number = resident_id(2001)
    clash, other = MemberFactory(document_number=clash_number), MemberFactory(document_number=resident_id(2002))
    # What the old validators let through, written in SQL: the fields normalise every ORM write.
    raw_update(spelled, document_number=full_width(number[:17]) + "X", phone=full_width("13700001111"),
               membership_number=full_width("YW2020000777"))
    raw_update(clash, document_number=full_width(clash_number))
    raw_update(other, document_number=clash_number)

    migration.normalise_rows(django_apps, None)

    assert Member.objects.filter(pk=spelled.pk).values_list("document_number", "phone", "membership_number").get() == (
        number, "13700001111", "YW2020000777"
    )
    # The normalised value belongs to another member: left for staff to merge, not overwritten.
    assert Member.objects.filter(pk=clash.pk).values_list("document_number", flat=True).get() == full_width(clash_number)


@pytest.mark.django_db
@pytest.mark.parametrize("language,heading,home", [("zh-hans", "您要找的页面不存在", "返回首页"),
                                                   ("en", "The page you are looking for does not exist", "Back to the home page")])
def test_404_page_is_the_sites_own_in_both_languages(client, language, heading, home):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for path in ("/no-such-page/", "/me/rights/X%00Y/", "/honours/9999999999999999999/"):
        response = client.get(path)
        assert response.status_code == 404
        page = response.content.decode()
        assert heading in page and home in page, path
        assert f'<html lang="{language}">' in page and 'name="viewport"' in page
        assert 'href="/"' in page and "bootstrap.min.css" in page


@pytest.mark.parametrize("language,heading", [("zh-hans", "服务器暂时出错"), ("en", "The server ran into an error")])
def test_500_page_renders_without_request_context_or_database(language, heading):
    """No django_db mark: any database access here raises."""
    from django.views.defaults import server_error

    with translation.override(language):
        response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert heading in page and f'<html lang="{language}">' in page and 'name="viewport"' in page
    assert 'href="/"' in page and "12351" in page
    # Nothing in it reads the request, the user or the database.
    assert "{{" not in loader.get_template("500.html").template.source.split("{% endcomment %}")[1].replace(
        "{{ LANGUAGE_CODE }}", ""
    )


def _site_url(**env) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "HOST", "PORT"}}
    clean.update(DJANGO_SETTINGS_MODULE="yiwu_union.settings", DEBUG="true", **env)
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    result = subprocess.run([sys.executable, "-c", code], env=clean, cwd=settings.BASE_DIR,
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_site_url_follows_host_and_port_of_make_run_unless_given():
    assert _site_url(PORT="8102") == "http://127.0.0.1:8102"
    assert _site_url(HOST="192.168.1.20", PORT="8102") == "http://192.168.1.20:8102"
    assert _site_url() == "http://127.0.0.1:8000"
    assert _site_url(SITE_URL="https://union.example.cn/", PORT="8102") == "https://union.example.cn"


def test_make_run_passes_host_and_port_to_the_server():
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    assert "HOST=$(HOST) PORT=$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)" in makefile
