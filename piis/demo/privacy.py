"""Demo of the retention periods (piis.privacy): in each CPAS, a meeting request withdrawn three years ago and the
record of a reminder sent eighteen months ago, so that the retention page's dry run lists something to erase; the
Flemish OCMW keeps its meeting requests one year instead of two. Idempotent (looked up before it is made)."""

import datetime

from piis.cases.models import Beneficiary
from piis.followup.enums import MeetingStatus, RequestedBy
from piis.followup.models import MeetingRequest, Reminder
from piis.privacy.enums import RecordKind
from piis.privacy.models import RetentionPeriod

OLD_SUBJECT = {"fr": "Question sur une ancienne attestation", "nl": "Vraag over een oud attest"}


def load_privacy_demo(cpas, *, language: str, today: datetime.date) -> None:
    subject = OLD_SUBJECT.get(language, OLD_SUBJECT["fr"])
    # Looked up by its subject first: the person first in order may change once later demo files are loaded.
    meeting = MeetingRequest.objects.for_cpas(cpas).filter(subject=subject).select_related("beneficiary").first()
    person = (
        meeting.beneficiary
        if meeting
        else Beneficiary.objects.for_cpas(cpas).filter(social_worker__isnull=False).order_by("national_number").first()
    )
    if person is None:
        return
    requested = today.replace(year=today.year - 3)
    if meeting is None:
        meeting = MeetingRequest.objects.create(
            cpas=cpas,
            beneficiary=person,
            requested_on=requested,
            requested_by=RequestedBy.BENEFICIARY,
            subject=subject,
            deadline=requested + datetime.timedelta(days=14),
            status=MeetingStatus.WITHDRAWN,
            withdrawn_on=requested + datetime.timedelta(days=2),
            recorded_by=person.social_worker,
        )
    due = today - datetime.timedelta(days=550)
    key = f"meeting:{meeting.pk}:{due.isoformat()}:due"
    reminder, created = Reminder.objects.get_or_create(
        cpas=cpas, user=person.social_worker, key=key, defaults={"due_on": due}
    )
    if created:
        sent = datetime.datetime.combine(due - datetime.timedelta(days=3), datetime.time(7), datetime.UTC)
        Reminder.objects.filter(pk=reminder.pk).update(sent_at=sent)
    if language == "nl":
        RetentionPeriod.objects.get_or_create(cpas=cpas, kind=RecordKind.MEETING_REQUEST, defaults={"years": 1})
