"""Files chosen on the application form are never dropped silently: the good ones of a field
are kept on the draft even when another file of the same field is refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.aid.models import Application

from .conftest import EXE, png_upload

pytestmark = pytest.mark.django_db


def test_good_receipt_kept_when_another_in_the_field_is_fake(client, member, illness_aid):
    client.force_login(member.user)
    fake = SimpleUploadedFile("发票2.pdf", EXE, content_type="application/pdf")
    response = client.post(reverse("aid:apply", kwargs={"type_pk": illness_aid.pk}), {
        "diagnosis": "肺癌", "hospital": "义乌市中心医院", "treated_from": "2020-01-01", "total_cost": "1000",
        "out_of_pocket": "2000", "receipts": [png_upload("发票1.png"), fake], "save": "1",
    })
    body = response.content.decode()
    assert response.status_code == 200
    assert "发票2.pdf" in body and "只接受图片" in body
    assert "个人自付金额不能大于医疗总费用" in body
    application = Application.objects.get()
    assert list(application.documents.values_list("original_name", flat=True)) == ["发票1.png"]
    assert "已保存在申请中，无需再次选择" in body
