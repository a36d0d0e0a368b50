"""The mutual-aid admin: agency points see and export only their own town/street, officers
enrol only their own union, the office decides; moves through the same service; the working
beside the claim; schemes locked once used; query counts flat from 10 to 200 rows; smoke with
odd parameters."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.accounts import roles
from apps.mutualaid.models import Claim, Enrolment, PayoutBatch, Status
from apps.mutualaid.services import payout_batch_create
from tests.factories import AgencyStaffFactory, MemberFactory, OfficerFactory, response_bytes, town

from .conftest import D, png_bytes
from .test_pages import _bulk_claims

pytestmark = pytest.mark.django_db

CLAIMS = reverse("admin:mutualaid_claim_changelist")
ENROLMENTS = reverse("admin:mutualaid_enrolment_changelist")


def change(claim):
    return reverse("admin:mutualaid_claim_change", args=[claim.pk])


@pytest.fixture
def two_towns(member, enrol, make_claim, other_agency):
    """A claim in the member's town (choucheng) and one in fotang."""
    enrol(member)
    fotang_member = MemberFactory(employer__town_street=town("fotang"))
    enrol(fotang_member)
    return make_claim(member), make_claim(fotang_member)


def xlsx_of(sheet_rows) -> bytes:
    book = Workbook()
    for row in sheet_rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class TestAgencyPointScope:
    def test_changelist_change_page_and_export_only_own_town(self, client, agency, two_towns):
        own, foreign = two_towns
        client.force_login(agency)
        response = client.get(CLAIMS)
        assert [c.pk for c in response.context["cl"].result_list] == [own.pk]
        assert client.get(change(own)).status_code == 200
        assert client.get(change(foreign)).status_code == 404
        assert client.get(reverse("admin:mutualaid_claim_history", args=[foreign.pk])).status_code == 404
        response = client.post(CLAIMS, {"action": "export_xlsx", "_selected_action": [own.pk, foreign.pk]})
        rows = list(load_workbook(io.BytesIO(response_bytes(response))).active.iter_rows(values_only=True))
        assert [r[0] for r in rows[1:]] == [own.number]
        assert "**" in rows[1][4]  # ID number masked

    def test_background_export_keeps_the_scope(self, client, agency, two_towns, django_capture_on_commit_callbacks):
        from apps.core.models import ExportJob
        from apps.core.services import export_job_run

        own, _foreign = two_towns
        client.force_login(agency)
        with django_capture_on_commit_callbacks(execute=False):
            client.post(CLAIMS, {"action": "export_background", "_selected_action": [own.pk]})
        job = export_job_run(job_id=ExportJob.objects.get(owner=agency).pk)
        assert job.status == ExportJob.Status.DONE and job.row_count == 1
        rows = list(load_workbook(job.file.open("rb")).active.iter_rows(values_only=True))
        assert [r[0] for r in rows[1:]] == [own.number]

    def test_moves_of_another_towns_claim_answer_404(self, client, agency, two_towns):
        own, foreign = two_towns
        client.force_login(agency)
        url = reverse("admin:mutualaid_claim_move", args=[foreign.pk])
        assert client.post(url, {"target": Status.CHECKED}).status_code == 404
        foreign.refresh_from_db()
        assert foreign.status == Status.SUBMITTED
        response = client.post(reverse("admin:mutualaid_claim_move", args=[own.pk]), {"target": Status.CHECKED})
        assert response.status_code == 302
        own.refresh_from_db()
        assert own.status == Status.CHECKED and own.originals_checked

    def test_bulk_check_action_only_within_scope(self, client, other_agency, two_towns):
        own, foreign = two_towns
        client.force_login(other_agency)
        client.post(CLAIMS, {"action": "check_selected", "_selected_action": [own.pk, foreign.pk]})
        assert Claim.objects.get(pk=own.pk).status == Status.SUBMITTED
        assert Claim.objects.get(pk=foreign.pk).status == Status.CHECKED

    def test_enrolments_and_receipts_scoped(self, client, agency, two_towns):
        own, foreign = two_towns
        client.force_login(agency)
        response = client.get(ENROLMENTS)
        assert [e.member_id for e in response.context["cl"].result_list] == [own.member_id]
        foreign_enrolment = Enrolment.objects.get(member=foreign.member)
        assert client.get(reverse("admin:mutualaid_enrolment_change", args=[foreign_enrolment.pk])).status_code == 404
        response = client.post(ENROLMENTS, {"action": "export_xlsx",
                                            "_selected_action": list(Enrolment.objects.values_list("pk", flat=True))})
        rows = list(load_workbook(io.BytesIO(response_bytes(response))).active.iter_rows(values_only=True))
        assert len(rows) == 2
        foreign_receipt = foreign.receipts.get()
        assert client.get(reverse("admin:mutualaid_claimreceipt_change", args=[foreign_receipt.pk])).status_code == 404

    def test_agency_point_may_not_approve_pay_or_see_batches(self, client, agency, two_towns, mutual_office):
        own, _foreign = two_towns
        client.force_login(agency)
        client.post(reverse("admin:mutualaid_claim_move", args=[own.pk]), {"target": Status.CHECKED})
        client.post(reverse("admin:mutualaid_claim_move", args=[own.pk]), {"target": Status.APPROVED})
        assert Claim.objects.get(pk=own.pk).status == Status.CHECKED
        for name in ("payoutbatch", "scheme", "benefittype", "contributionpayment"):
            assert client.get(reverse(f"admin:mutualaid_{name}_changelist")).status_code == 403, name

    def test_agency_enters_a_paper_claim_for_its_own_town_only(self, client, agency, member, enrol, today):
        enrol(member)
        stranger = MemberFactory(employer__town_street=town("fotang"))
        enrol(stranger)
        client.force_login(agency)
        admitted = today - datetime.timedelta(days=9)
        data = {
            "member": " " + member.document_number.lower(), "benefit_code": "hospital", "hospital": "义乌市妇幼保健院",
            "admitted_on": admitted.isoformat(), "discharged_on": (admitted + datetime.timedelta(days=3)).isoformat(),
            "diagnosis": "骨折", "total_cost": "8000", "insurance_paid": "5000", "out_of_pocket": "3000",
            "payee_bank": "义乌农商银行", "payee_account": "6228480012345678",
        }
        url = reverse("admin:mutualaid_claim_add")
        assert client.get(url).status_code == 200
        response = client.post(url, {**data, "member": stranger.document_number,
                                     "receipts": SimpleUploadedFile("a.png", png_bytes())})
        assert response.status_code == 200 and not Claim.objects.exists()
        assert "找不到这一身份证号码的会员" in response.content.decode()
        response = client.post(url, {**data, "receipts": SimpleUploadedFile("a.png", png_bytes())})
        claim = Claim.objects.get()
        assert response.status_code == 302
        assert (claim.channel, claim.agency_point, claim.created_by) == ("agency", agency.agency_roles.get().point,
                                                                         agency)


class TestOfficers:
    def test_officer_enrols_own_member_and_not_another_unions(self, client, officer, member, other_member, scheme):
        client.force_login(officer)
        url = reverse("admin:mutualaid_enrolment_add")
        assert client.get(url).status_code == 200
        client.post(url, {"member": other_member.pk, "year": scheme.year})
        assert not Enrolment.objects.exists()
        client.post(url, {"member": member.pk, "year": scheme.year})
        assert Enrolment.objects.get().member == member

    def test_officer_import_all_or_nothing(self, client, officer, member, other_member, scheme):
        client.force_login(officer)
        url = reverse("admin:mutualaid_enrolment_import")
        data = xlsx_of([["参保名单"], ["姓名", "身份证号码"], [member.name, member.document_number + " "],
                        [other_member.name, other_member.document_number]])
        response = client.post(url, {"year": scheme.year, "file": SimpleUploadedFile("名单.xlsx", data)})
        assert f"第 4 行【身份证号码】：{other_member.name} 不是本工会会员" in response.content.decode()
        assert not Enrolment.objects.exists()
        data = xlsx_of([["参保名单"], ["姓名", "身份证号码"], [member.name, member.document_number + " "]])
        response = client.post(url, {"year": scheme.year, "file": SimpleUploadedFile("名单.xlsx", data)})
        assert response.status_code == 302 and Enrolment.objects.get().member == member

    def test_a_long_list_is_enrolled_in_the_background_in_the_year_chosen(
        self, client, officer, member, scheme, monkeypatch, django_capture_on_commit_callbacks,
    ):
        from apps.core.models import ImportJob
        from apps.mutualaid.imports import EnrolmentImport

        monkeypatch.setattr(EnrolmentImport, "background_rows", 0)  # lists of more than 10 rows go to a job
        others = MemberFactory.create_batch(11, employer=member.employer)
        rows = [["姓名", "身份证号码"], *[[m.name, m.document_number] for m in [member, *others]]]
        client.force_login(officer)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("admin:mutualaid_enrolment_import"),
                                   {"year": scheme.year, "file": SimpleUploadedFile("名单.xlsx", xlsx_of(rows))})
        job = ImportJob.objects.get()
        assert response.status_code == 302 and response.url == reverse("core:import_job", args=[job.pk])
        job.refresh_from_db()
        assert job.options == {"year": scheme.year} and job.status == ImportJob.Status.DONE, job.report
        assert set(Enrolment.objects.values_list("year", flat=True)) == {scheme.year}
        assert Enrolment.objects.count() == 12
        # A year without a scheme is refused at once, not after the upload went to the background.
        response = client.post(reverse("admin:mutualaid_enrolment_import"),
                               {"year": scheme.year + 5, "file": SimpleUploadedFile("名单.xlsx", xlsx_of(rows))})
        assert response.status_code == 200 and str(scheme.year + 5) in response.content.decode()
        assert ImportJob.objects.count() == 1

    def test_import_template_and_refusals_without_a_scheme(self, client, officer, member, staff_of):
        from apps.accounts.roles import RIGHTS

        client.force_login(officer)
        template = client.get(reverse("admin:mutualaid_enrolment_import_template"))
        assert template.status_code == 200 and template.content[:2] == b"PK"
        data = xlsx_of([["身份证号码"], [member.document_number]])
        response = client.post(reverse("admin:mutualaid_enrolment_import"),
                               {"year": 2031, "file": SimpleUploadedFile("名单.xlsx", data)})
        assert "2031" in response.content.decode() and not Enrolment.objects.exists()
        client.force_login(staff_of(RIGHTS))
        assert client.get(reverse("admin:mutualaid_enrolment_import")).status_code == 403
        assert client.get(reverse("admin:mutualaid_enrolment_import_template")).status_code == 403

    def test_officer_sees_no_claims_and_only_own_enrolments(self, client, officer, other_officer, member,
                                                            other_member, enrol, make_claim):
        enrol(member)
        enrol(other_member)
        make_claim(member)
        client.force_login(other_officer)
        assert [e.member_id for e in client.get(ENROLMENTS).context["cl"].result_list] == [other_member.pk]
        assert client.get(CLAIMS).status_code == 403


class TestOfficeDecides:
    def test_working_beside_the_claim_and_approval(self, client, mutual_office, member, enrol, make_claim):
        enrol(member)
        claim = make_claim(member, status=Status.CHECKED, out_of_pocket=D("31000"), insurance_paid=D("0"))
        client.force_login(mutual_office)
        page = client.get(change(claim)).content.decode()
        assert "按现行已用额度试算" in page and "可报销金额" in page and "17,000.00" in page
        assert 'value="approved"' in page and 'value="declined"' in page
        client.post(reverse("admin:mutualaid_claim_move", args=[claim.pk]), {"target": Status.APPROVED})
        claim.refresh_from_db()
        assert claim.payable_amount == D("17000.00")
        page = client.get(change(claim)).content.decode()
        assert "核准时的计算过程" in page and "10,000至30,000元部分" in page

    def test_search_by_number_id_number_or_name(self, client, mutual_office, member, other_member, enrol,
                                                make_claim):
        enrol(member)
        enrol(other_member)
        mine, other = make_claim(member), make_claim(other_member)
        client.force_login(mutual_office)

        def found(q):
            return [c.pk for c in client.get(CLAIMS, {"q": q}).context["cl"].result_list]

        assert found(other.number.lower()) == [other.pk]
        assert found(member.document_number) == [mine.pk]
        assert found(member.name[:2]) == [mine.pk]
        assert found("\x00") == [other.pk, mine.pk]  # the NUL is taken out: an empty search

    def test_decline_without_reason_is_refused_with_message(self, client, mutual_office, member, enrol, make_claim):
        enrol(member)
        claim = make_claim(member, status=Status.CHECKED)
        client.force_login(mutual_office)
        response = client.post(reverse("admin:mutualaid_claim_move", args=[claim.pk]),
                               {"target": Status.DECLINED, "note": ""}, follow=True)
        assert "请填写原因或需补充的材料。" in response.content.decode()
        claim.refresh_from_db()
        assert claim.status == Status.CHECKED

    def test_batch_bank_export_and_pay(self, client, mutual_office, member, enrol, make_claim, today):
        enrol(member)
        claim = make_claim(member, status=Status.APPROVED, out_of_pocket=D("11000"))
        client.force_login(mutual_office)
        response = client.post(CLAIMS, {"action": "batch_selected", "_selected_action": [claim.pk]})
        batch = PayoutBatch.objects.get()
        assert response.status_code == 302
        bank = client.get(reverse("admin:mutualaid_payoutbatch_bank", args=[batch.pk]))
        rows = list(load_workbook(io.BytesIO(response_bytes(bank))).active.iter_rows(values_only=True))
        assert rows[1][1:5] == (member.name, "义乌农商银行", "6228480012345678", 5000)
        client.post(reverse("admin:mutualaid_payoutbatch_pay", args=[batch.pk]),
                    {"paid_on": today.isoformat(), "reference": "YH-2026-1"})
        claim.refresh_from_db()
        assert (claim.status, claim.paid_on, claim.payment_reference) == (Status.PAID, today, "YH-2026-1")
        assert client.get(reverse("admin:mutualaid_payoutbatch_change", args=[batch.pk])).status_code == 200

    def test_locked_scheme_cannot_be_changed_in_admin(self, client, mutual_office, member, enrol, scheme):
        enrol(member)
        client.force_login(mutual_office)
        url = reverse("admin:mutualaid_scheme_change", args=[scheme.pk])
        page = client.get(url).content.decode()
        assert "规则不能修改" in page
        client.post(url, {"contribution": "1", "name": "改"})
        scheme.refresh_from_db()
        assert scheme.contribution == D("60")
        response = client.post(reverse("admin:mutualaid_scheme_version", args=[scheme.pk]),
                               {"effective_from": scheme.cover_end.isoformat()})
        assert response.status_code == 302
        response = client.post(reverse("admin:mutualaid_scheme_changelist"),
                               {"action": "copy_to_next_year", "_selected_action": [scheme.pk]})
        assert response.status_code == 302

    @pytest.mark.parametrize("group", [roles.RIGHTS, roles.ORGANISATION, roles.AID, roles.COUNSELLING])
    def test_other_staff_groups_get_403(self, client, staff_of, member, enrol, make_claim, group):
        enrol(member)
        claim = make_claim(member)
        client.force_login(staff_of(group))
        assert client.get(CLAIMS).status_code == 403
        assert client.get(change(claim)).status_code in (403, 404)
        assert client.get(ENROLMENTS).status_code == 403


class TestQueryCounts:
    @pytest.mark.parametrize("who", ["office", "agency"])
    def test_claim_changelist_flat(self, client, mutual_office, member, enrol, who, django_assert_num_queries,
                                   django_assert_max_num_queries):
        enrol(member)
        user = mutual_office if who == "office" else AgencyStaffFactory(point__town_street=member.town_street).user
        client.force_login(user)
        _bulk_claims(member, 10, 0)
        client.get(CLAIMS, {"all": ""})
        with django_assert_max_num_queries(15) as small:
            client.get(CLAIMS, {"all": ""})
        _bulk_claims(member, 190, 10)
        with django_assert_num_queries(len(small.captured_queries)):
            response = client.get(CLAIMS, {"all": ""})
        assert len(response.context["cl"].result_list) == 200

    def test_payment_and_batch_changelists_flat(self, client, mutual_office, member, enrol, today,
                                                django_assert_num_queries, django_assert_max_num_queries):
        from apps.mutualaid.models import ContributionPayment
        from tests.factories import UnionFactory

        enrol(member)
        client.force_login(mutual_office)

        def add(n):
            for _ in range(n):
                ContributionPayment.objects.create(union=UnionFactory(), year=today.year, amount=D("600"),
                                                   paid_on=today, recorded_by=mutual_office)
                PayoutBatch.objects.create(number=f"BF-{PayoutBatch.objects.count() + 1}", created_by=mutual_office)

        for name in ("contributionpayment", "payoutbatch"):
            url = reverse(f"admin:mutualaid_{name}_changelist")
            add(10)
            client.get(url, {"all": ""})
            with django_assert_max_num_queries(15) as small:
                client.get(url, {"all": ""})
            add(190)
            with django_assert_num_queries(len(small.captured_queries)):
                response = client.get(url, {"all": ""})
            assert len(response.context["cl"].result_list) >= 200
            ContributionPayment.objects.all().delete()
            PayoutBatch.objects.all().delete()

    def test_enrolment_changelist_flat(self, client, scheme, enrol, django_assert_num_queries,
                                       django_assert_max_num_queries):
        officer = OfficerFactory()
        client.force_login(officer.user)
        for _ in range(10):
            enrol(MemberFactory(employer__union=officer.union))
        client.get(ENROLMENTS, {"all": ""})
        with django_assert_max_num_queries(15) as small:
            client.get(ENROLMENTS, {"all": ""})
        for _ in range(190):
            enrol(MemberFactory(employer__union=officer.union))
        with django_assert_num_queries(len(small.captured_queries)):
            response = client.get(ENROLMENTS, {"all": ""})
        assert len(response.context["cl"].result_list) == 200


def test_every_admin_page_opens_with_odd_parameters(client, mutual_office, member, enrol, make_claim):
    enrol(member)
    claim = make_claim(member, status=Status.APPROVED)
    batch = payout_batch_create(claims=Claim.objects.all(), actor=mutual_office)
    client.force_login(mutual_office)
    pages = [reverse(f"admin:mutualaid_{name}_changelist") for name in
             ("scheme", "benefittype", "enrolment", "contributionpayment", "claim", "payoutbatch")]
    pages += [reverse(f"admin:mutualaid_{name}_add") for name in
              ("scheme", "benefittype", "enrolment", "contributionpayment", "claim")]
    pages += [change(claim), reverse("admin:mutualaid_payoutbatch_change", args=[batch.pk]),
              reverse("admin:mutualaid_scheme_change", args=[claim.scheme_id]),
              reverse("admin:mutualaid_benefittype_change", args=[claim.benefit_id]),
              reverse("admin:mutualaid_enrolment_import"),
              reverse("admin:mutualaid_claimreceipt_change", args=[claim.receipts.get().pk])]
    for url in pages:
        assert client.get(url).status_code == 200, url
        for odd in ({"q": "\x00"}, {"status": "nonsense"}, {"year": "9" * 30}, {"o": "99"}):
            assert client.get(url, odd).status_code in (200, 302, 400), (url, odd)
    assert client.get(reverse("admin:mutualaid_claim_change", args=["99999999999"])).status_code in (302, 404)
    assert client.get("/admin/mutualaid/claim/%00/change/").status_code in (302, 404)


def test_wrong_receipt_is_withdrawn_with_a_reason_never_deleted(client, mutual_office, member, enrol, make_claim):
    from apps.core.errors import EvidenceIsKept

    enrol(member)
    claim = make_claim(member)
    receipt = claim.receipts.get()
    client.force_login(mutual_office)
    url = reverse("admin:mutualaid_claimreceipt_change", args=[receipt.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"reason": "不是本次住院的发票"})
    receipt.refresh_from_db()
    assert receipt.is_withdrawn and receipt.withdrawn_by == mutual_office
    assert receipt.withdrawn_reason == "不是本次住院的发票"
    with pytest.raises(EvidenceIsKept):
        receipt.delete()
    page = client.get(change(claim)).content.decode()
    assert "已撤回：不是本次住院的发票" in page
