"""Everything that changes award data: roll entry photos, nominations (draft, submit within
window and quota), the one nomination transition (review, notice, decision), the notice."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.evidence import evidence_withdraw
from apps.core.limits import Limit, limit_release, limits_lock, limits_take
from apps.core.masking import mask_name
from apps.core.uploads import CleanDocument, CleanPhoto, photo_clean
from apps.core.validators import normalise_document_number
from apps.core.workflow import IllegalTransition
from apps.members.models import Member
from apps.notices.models import NoticeKind, PublicNotice
from apps.notices.services import ItemSpec, notice_clearance_check, notice_publish
from apps.notify.services import decision_key, member_notify, sms_queue
from apps.notify.texts import sms_template_register
from apps.orgs.models import Employer
from apps.orgs.selectors import agency_town_ids, officer_union_ids

from .errors import (
    AlreadyNominated,
    DeedsTooShort,
    DocumentsRequired,
    FileNotWithdrawable,
    ManualEntryRefused,
    MemberAwardNeedsMember,
    NotAMember,
    NothingToNotice,
    NotNominator,
    PhotoRequired,
    TeamAwardNeedsTeam,
    WindowClosed,
)
from .models import (
    AwardProgramme,
    HonourEntry,
    Nomination,
    NominationChannel,
    NominationFile,
    NominationStatus,
    NominationStatusChange,
)
from .workflows import NOMINATION_FLOW, is_nominator


def honour_entry_photo_set(*, entry: HonourEntry, upload) -> HonourEntry:
    """Validate `upload` by content (raises ValidationError with a Chinese message), store it
    re-encoded as JPEG with a thumbnail, and delete the previous files after commit."""
    clean = photo_clean(upload)
    old = [name for name in (entry.photo.name, entry.photo_thumbnail.name) if name]
    with transaction.atomic():
        entry.photo.save(clean.image.name, clean.image, save=False)
        entry.photo_thumbnail.save(clean.thumbnail.name, clean.thumbnail, save=False)
        entry.save(update_fields=["photo", "photo_thumbnail"])
        storage = entry.photo.storage
        for name in old:
            transaction.on_commit(lambda name=name: storage.delete(name))
    return entry


def honour_entry_photo_remove(*, entry: HonourEntry) -> HonourEntry:
    """Take the photo off an entry; the files go once the transaction commits."""
    old = [name for name in (entry.photo.name, entry.photo_thumbnail.name) if name]
    with transaction.atomic():
        entry.photo = ""
        entry.photo_thumbnail = ""
        entry.save(update_fields=["photo", "photo_thumbnail"])
        storage = entry.photo.storage
        for name in old:
            transaction.on_commit(lambda name=name: storage.delete(name))
    return entry


# --- Nominations --------------------------------------------------------------------------

def _quota_limits(nomination: Nomination) -> list[Limit]:
    """The limits a submitted nomination takes a place in: the programme's overall quota and
    the quota of the nominating union (or of the recommending town/street)."""
    programme = nomination.programme
    limits = []
    if programme.quota is not None:
        limits.append(Limit(f"awards.quota:programme={programme.pk}", programme.quota,
                            label=_("“%(title)s”总名额") % {"title": programme.title}))
    if nomination.channel == NominationChannel.TOWN:
        row = programme.quotas.filter(town_street_id=nomination.town_street_id).first()
        if row is not None:
            limits.append(Limit(f"awards.quota:programme={programme.pk}:town={nomination.town_street_id}",
                                row.places, label=_("本镇街推荐名额")))
    else:
        row = programme.quotas.filter(union_id=nomination.union_id).first()
        places = row.places if row is not None else programme.union_places
        if places is not None:
            limits.append(Limit(f"awards.quota:programme={programme.pk}:union={nomination.union_id}",
                                places, label=_("本单位工会推荐名额")))
    return limits


def _nominee_member(*, programme: AwardProgramme, document_number: str, actor, channel: str) -> Member:
    """The member an officer names by ID number, refused unless they are an active member of
    the officer's own union (or live in the recommending town/street)."""
    number = normalise_document_number(document_number)
    member = Member.objects.filter(document_number=number).select_related("union").first() if number else None
    if member is None or member.status != Member.Status.ACTIVE:
        raise NotAMember()
    if channel == NominationChannel.TOWN:
        if member.town_street_id not in agency_town_ids(actor):
            raise NotNominator()
    elif member.union_id not in officer_union_ids(actor):
        raise NotNominator()
    return member


def nomination_draft_save(
    *, actor, programme: AwardProgramme, nomination: Nomination | None = None, channel: str = NominationChannel.UNION,
    document_number: str = "", team_name: str = "", team_employer: Employer | None = None,
    team_size: int | None = None, team_leader: str = "", deeds: str = "", contact_phone: str = "",
    photo: CleanPhoto | None = None, documents: list[CleanDocument] = (),
) -> Nomination:
    """Create or update a draft nomination by `actor` (an officer of the member's union, or a
    town/street login for a recommendation). Uploads must already be checked by content
    (`photo_clean` / `document_clean`). Raises NotNominator, NotAMember, MemberAwardNeedsMember,
    TeamAwardNeedsTeam or AlreadyNominated; nothing is written then."""
    if nomination is not None and nomination.status != NominationStatus.DRAFT:
        raise IllegalTransition(NominationStatus(nomination.status), NominationStatus.DRAFT)
    if not (agency_town_ids(actor) if channel == NominationChannel.TOWN else officer_union_ids(actor)):
        raise NotNominator()
    with transaction.atomic():
        if nomination is None:
            nomination = Nomination(programme=programme, channel=channel, nominated_by=actor)
        else:
            nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
            if not is_nominator(actor, nomination):
                raise NotNominator()
        if programme.for_members:
            if not (document_number or "").strip():
                raise MemberAwardNeedsMember()
            member = _nominee_member(programme=programme, document_number=document_number, actor=actor,
                                     channel=channel)
            nomination.member = member
            nomination.town_street_id = member.town_street_id
            nomination.union_id = member.union_id
        else:
            if not (team_name.strip() and team_employer and team_size and team_leader.strip()):
                raise TeamAwardNeedsTeam()
            if channel == NominationChannel.TOWN:
                if team_employer.town_street_id not in agency_town_ids(actor):
                    raise NotNominator()
                nomination.union_id = team_employer.union_id
            else:
                if team_employer.union_id not in officer_union_ids(actor):
                    raise NotNominator()
                nomination.union_id = team_employer.union_id
            nomination.team_name = team_name.strip()
            nomination.team_employer = team_employer
            nomination.team_size = team_size
            nomination.team_leader = team_leader.strip()
            nomination.town_street_id = team_employer.town_street_id
        nomination.deeds = deeds.strip()
        nomination.contact_phone = contact_phone
        if nomination.member_id and Nomination.objects.filter(
            programme=programme, member_id=nomination.member_id
        ).exclude(status=NominationStatus.WITHDRAWN).exclude(pk=nomination.pk).exists():
            raise AlreadyNominated()
        created = nomination.pk is None
        nomination.save()
        if photo is not None:
            nomination.photo.save(photo.image.name, photo.image, save=False)
            nomination.photo_thumbnail.save(photo.thumbnail.name, photo.thumbnail, save=False)
            nomination.save(update_fields=["photo", "photo_thumbnail"])
        for document in documents:
            evidence = NominationFile(
                nomination=nomination, kind=document.kind, content_type=document.content_type,
                original_name=document.original_name[:100], uploaded_by=actor,
            )
            evidence.file.save(document.content.name, document.content, save=False)
            evidence.save()
        if created:
            NominationStatusChange.objects.create(
                nomination=nomination, from_status="", to_status=NominationStatus.DRAFT, actor=actor,
                member=nomination.member, note=_("保存草稿"),
            )
    return nomination


def _recently_awarded(nomination: Nomination) -> bool:
    programme = nomination.programme
    if not programme.repeat_years:
        return False
    earlier = HonourEntry.objects.filter(
        programme__kind=programme.kind, programme__year__lt=programme.year,
        programme__year__gte=programme.year - programme.repeat_years,
    )
    if nomination.member_id:
        return earlier.filter(Q(member_id=nomination.member_id) | Q(member__isnull=True, name=nomination.member.name,
                                                                   employer_id=nomination.member.employer_id)).exists()
    return earlier.filter(name=nomination.team_name).exists()


def nomination_submit(*, nomination: Nomination, actor, today=None) -> Nomination:
    """Submit a draft: only its nominator, only inside the programme's window, with deeds of
    the programme's minimum length, a photo, the required documents, and a place left in the
    programme's and the union's (or town's) quota. The places are taken with
    `apps.core.limits` under row locks, so two officers submitting for the last place at the
    same moment get one success and one LimitExceeded. Flags a nominee who already holds the
    same title from the last `repeat_years` years. Raises the errors above; nothing changes then."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = (
            Nomination.objects.select_for_update(of=("self",)).select_related("programme", "member")
            .get(pk=nomination.pk)
        )
        NOMINATION_FLOW.check(obj=locked, current=locked.status, target=NominationStatus.SUBMITTED, actor=actor)
        programme = locked.programme
        if not programme.window_open(today):
            raise WindowClosed()
        length = len("".join(locked.deeds.split()))
        if length < programme.deeds_min_length:
            raise DeedsTooShort(programme.deeds_min_length, length)
        if not locked.photo:
            raise PhotoRequired()
        if programme.document_list() and not locked.files.filter(withdrawn_at__isnull=True).exists():
            raise DocumentsRequired()
        limits = _quota_limits(locked)
        if limits:
            limits_take(limits_lock(limits), amount=1, ref=locked.ref, actor=actor)
        locked.recently_awarded = _recently_awarded(locked)
        locked.status = NominationStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at", "recently_awarded"])
        NominationStatusChange.objects.create(
            nomination=locked, from_status=NominationStatus.DRAFT, to_status=NominationStatus.SUBMITTED,
            actor=actor, member=locked.member,
        )
    return locked


def _entry_from(nomination: Nomination) -> HonourEntry:
    """The public roll entry of an awarded nomination, with the nomination's photo copied."""
    member = nomination.member
    employer = member.employer if member else nomination.team_employer
    entry = HonourEntry.objects.create(
        programme=nomination.programme, name=nomination.nominee_name, employer=employer,
        union=nomination.union, town_street=nomination.town_street, deeds=nomination.deeds,
        member=member, is_published=True,
        sort_order=nomination.programme.entries.count(),
    )
    if nomination.photo:
        with nomination.photo.open("rb") as full, nomination.photo_thumbnail.open("rb") as thumb:
            entry.photo.save(f"honour-{entry.pk}.jpg", ContentFile(full.read()), save=False)
            entry.photo_thumbnail.save(f"honour-{entry.pk}-thumb.jpg", ContentFile(thumb.read()), save=False)
        entry.save(update_fields=["photo", "photo_thumbnail"])
    return entry


DECISION_MESSAGES = {
    NominationStatus.SHORTLISTED: _("已入围"),
    NominationStatus.REJECTED: _("未入围"),
    NominationStatus.ON_NOTICE: _("已进入公示"),
    NominationStatus.AWARDED: _("已授予荣誉"),
    NominationStatus.NOT_AWARDED: _("未授予荣誉"),
    NominationStatus.WITHDRAWN: _("已撤回"),
}


# The SMS texts of a nomination's decisions, editable in admin (SmsTemplate).
SMS_NOMINATOR = sms_template_register(
    "awards.nomination_decided", name="荣誉推荐进展（推荐人）", text="“{programme}”推荐：{name}{what}。{reason}",
    placeholders=["programme", "name", "what", "reason"],
)
SMS_NOMINEE = sms_template_register(
    "awards.nominee_decided", name="荣誉评选结果（被推荐会员）", text="“{programme}”推荐：{name}{what}。{reason}",
    placeholders=["programme", "name", "what", "reason"],
)


def _tell(nomination: Nomination, target: str, reason: str) -> None:
    """The nominator by SMS (their contact phone) and, for a final decision, the member nominee
    (inbox + SMS). Runs inside the deciding transaction; texts go after commit."""
    title = _("“%(programme)s”推荐：%(name)s%(what)s") % {
        "programme": nomination.programme.title, "name": nomination.nominee_name, "what": DECISION_MESSAGES[target],
    }
    values = {"programme": nomination.programme.title, "name": nomination.nominee_name,
              "what": DECISION_MESSAGES[target], "reason": reason}
    if nomination.contact_phone:
        sms_queue(phone=nomination.contact_phone, template=SMS_NOMINATOR, values=values, purpose="notice",
                  dedupe_key=decision_key(nomination, target, "nominator"))
    if nomination.member_id and target in (NominationStatus.AWARDED, NominationStatus.NOT_AWARDED):
        link = reverse("awards_portal:my_honours") if target == NominationStatus.AWARDED else ""
        member_notify(member=nomination.member, title=title, body=reason, link=link,
                      sms_template=SMS_NOMINEE, sms_values=values, dedupe_key=decision_key(nomination, target))


def nomination_transition(*, nomination: Nomination, target: str, actor, reason: str = "", today=None) -> Nomination:
    """The one way a submitted nomination moves (shortlist, reject, notice, award, not award,
    withdraw): locks the row, checks the move (NOMINATION_FLOW), refuses a decision while its
    public notice runs or an objection is open (`notice_clearance_check`), writes the status and
    a status-change row, gives the quota place back on withdrawal, creates the roll entry on
    award, and tells the nominator (and the member nominee of a decision)."""
    with transaction.atomic():
        locked = Nomination.objects.select_for_update(of=("self",)).select_related(
            "programme", "member__employer", "team_employer", "union", "town_street"
        ).get(pk=nomination.pk)
        current = locked.status
        NOMINATION_FLOW.check(obj=locked, current=current, target=target, actor=actor, details={"reason": reason})
        if target in (NominationStatus.AWARDED, NominationStatus.NOT_AWARDED):
            notice_clearance_check(ref=locked.ref, today=today)
            locked.decided_at = timezone.now()
            locked.decision_note = reason[:200]
        if target == NominationStatus.AWARDED:
            locked.entry = _entry_from(locked)
            if not locked.programme.is_published:
                AwardProgramme.objects.filter(pk=locked.programme_id).update(is_published=True)
                locked.programme.is_published = True
        if target == NominationStatus.WITHDRAWN:
            limit_release(ref=locked.ref, note=str(_("推荐撤回")))
        if target == NominationStatus.REJECTED:
            locked.decision_note = reason[:200]
        locked.status = target
        locked.save(update_fields=["status", "decided_at", "decision_note", "entry"])
        NominationStatusChange.objects.create(
            nomination=locked, from_status=current, to_status=target, actor=actor, member=locked.member,
            note=reason,
        )
        _tell(locked, target, reason)
    return locked


def nomination_file_withdraw(*, nomination: Nomination, evidence: NominationFile, actor, reason: str,
                             as_staff: bool = False) -> NominationFile:
    """Withdraw a wrong or replaced supporting file of `nomination` with a reason. The file is
    kept as evidence (`apps.core.evidence`: who, when, why) and no longer counts towards the
    programme's required documents; the nomination's history gets a line naming it. The
    nominator may do so only while the nomination is a draft (FileNotWithdrawable); staff
    (`as_staff`) at any stage. Raises WithdrawReasonRequired."""
    with transaction.atomic():
        locked = Nomination.objects.select_for_update(of=("self",)).get(pk=nomination.pk)
        if evidence.nomination_id != locked.pk:
            raise FileNotWithdrawable()
        if not as_staff and locked.status != NominationStatus.DRAFT:
            raise FileNotWithdrawable()
        withdrawn = evidence_withdraw(evidence=evidence, actor=actor, reason=reason)
        NominationStatusChange.objects.create(
            nomination=locked, from_status=locked.status, to_status=locked.status, actor=actor,
            member_id=locked.member_id,
            note=_("撤回材料“%(name)s”：%(reason)s") % {"name": withdrawn.original_name,
                                                  "reason": withdrawn.withdrawn_reason},
        )
    return withdrawn


def programme_notice_publish(*, programme: AwardProgramme, actor, starts_on=None) -> PublicNotice:
    """Put every shortlisted nomination of `programme` on a public notice (公示) for the
    programme's number of working days: names masked, no ID number, no phone. Each moves to
    ON_NOTICE through `nomination_transition`. Raises NothingToNotice."""
    with transaction.atomic():
        AwardProgramme.objects.select_for_update().get(pk=programme.pk)
        shortlisted = list(
            programme.nominations.filter(status=NominationStatus.SHORTLISTED)
            .select_related("member__employer", "team_employer", "union").order_by("id")
        )
        if not shortlisted:
            raise NothingToNotice()
        items = []
        for nomination in shortlisted:
            if nomination.member_id:
                name = mask_name(nomination.member.name)
                organisation = nomination.member.employer.name if nomination.member.employer_id else ""
            else:
                name = nomination.team_name
                organisation = nomination.team_employer.name if nomination.team_employer_id else ""
            items.append(ItemSpec(ref=nomination.ref, display_name=name, organisation=organisation,
                                  summary=programme.get_kind_display()))
        notice = notice_publish(
            kind=NoticeKind.AWARD, source=f"awards.programme:{programme.pk}",
            title=_("%(title)s拟表彰对象公示") % {"title": programme.title}, items=items,
            workdays=programme.notice_workdays, actor=actor, starts_on=starts_on,
            body=_("公示期内，对公示对象有异议的，可在本页提出，请留下联系方式以便核实。"),
        )
        for nomination in shortlisted:
            nomination_transition(nomination=nomination, target=NominationStatus.ON_NOTICE, actor=actor)
    return notice


def honour_entry_add_check(*, programme: AwardProgramme) -> None:
    """A hand-made roll entry is refused for a programme that runs nominations: its roll comes
    only from decided nominations, so its window and quota cannot be bypassed."""
    if programme.runs_nominations:
        raise ManualEntryRefused()
