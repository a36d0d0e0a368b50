"""Amounts, phones and ID numbers of the rights forms as people type them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.core.tests.test_validators import full_width
from apps.rights.forms import CaseDetailsForm, WorkerCaseForm
from tests.factories import resident_id


@pytest.mark.parametrize("typed,amount", [("１，２００．５０元", Decimal("1200.50")), ("¥ 3,000", Decimal("3000")),
                                          ("", None)])
def test_amount_owed_reads_full_width_digits_and_separators(typed, amount):
    assert CaseDetailsForm().fields["amount_owed"].clean(typed) == amount


def test_negative_amount_is_refused_in_chinese():
    with pytest.raises(ValidationError) as info:
        CaseDetailsForm().fields["amount_owed"].clean("－５")
    assert info.value.messages == ["涉及金额不能为负数。"]


@pytest.mark.django_db
def test_worker_form_takes_pasted_phone_and_full_width_id_number():
    form = WorkerCaseForm()
    assert form.fields["phone"].clean("+86 138-0579-1234") == "13805791234"
    assert form.fields["id_number"].clean(full_width(resident_id(4))) == resident_id(4)
    assert 'maxlength' not in str(form["phone"]) and 'maxlength' not in str(form["id_number"])
