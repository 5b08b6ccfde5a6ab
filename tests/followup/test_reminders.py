"""send_reminders: one e-mail per worker per run, what is due soon or overdue, never twice."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from piis.followup.models import Reminder
from tests.factories import make_beneficiary, make_member, make_ri_decision
from tests.followup.builders import D, make_meeting_request

pytestmark = pytest.mark.django_db(transaction=True)


def _run(day, days=3):
    call_command("send_reminders", "--date", day.isoformat(), "--days", str(days), stdout=io.StringIO())


def test_sends_one_email_per_worker_and_nothing_new_the_second_time(cpas_a, cpas_b):
    worker = make_member(cpas_a)
    worker.user.email = "worker@example.invalid"
    worker.user.save()
    mine = make_beneficiary(cpas_a, social_worker=worker.user, first_name="Zoé", last_name="Lambert")
    make_meeting_request(cpas_a, beneficiary=mine, requested_on=D(2026, 4, 3), deadline=D(2026, 4, 13))
    make_meeting_request(cpas_a, beneficiary=mine, requested_on=D(2026, 3, 20), deadline=D(2026, 3, 27))
    make_meeting_request(cpas_a, beneficiary=mine, requested_on=D(2026, 4, 30), deadline=D(2026, 5, 8))  # later
    other = make_member(cpas_b)
    other.user.email = "other@example.invalid"
    other.user.save()
    make_meeting_request(
        cpas_b, beneficiary=make_beneficiary(cpas_b, social_worker=other.user), deadline=D(2026, 4, 10)
    )

    _run(D(2026, 4, 10))
    assert sorted(m.to[0] for m in mail.outbox) == ["other@example.invalid", "worker@example.invalid"]
    body = next(m.body for m in mail.outbox if m.to == ["worker@example.invalid"])
    assert "13/04/2026" in body and "27/03/2026" in body and "08/05/2026" not in body
    assert "Lambert" not in body and "Z. L." in body  # no full name in an e-mail
    assert Reminder.objects.filter(user=worker.user).count() == 2

    _run(D(2026, 4, 10))
    assert len(mail.outbox) == 2  # nothing new

    _run(D(2026, 4, 14))  # the 13/04 meeting is now overdue: one more e-mail, for it only
    to_worker = [m for m in mail.outbox if m.to == ["worker@example.invalid"]]
    assert len(to_worker) == 2
    assert "13/04/2026" in to_worker[-1].body and "27/03/2026" not in to_worker[-1].body


def test_a_worker_without_email_or_deadlines_gets_nothing(cpas_a):
    silent = make_member(cpas_a)
    make_ri_decision(cpas_a, beneficiary=make_beneficiary(cpas_a, social_worker=silent.user))
    make_member(cpas_a)  # no files
    _run(D(2026, 4, 9))
    assert mail.outbox == []
    assert not Reminder.objects.exists()
