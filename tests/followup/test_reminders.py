"""send_reminders: one e-mail per worker per run, what is due soon or overdue, never twice; mail leaves only
after the transaction that records it commits."""

import io
import logging
import smtplib
import threading

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection, transaction

from piis.cases.models import Beneficiary
from piis.core.rls import set_current_cpas
from piis.followup.models import Reminder
from piis.followup.services import reminders_send
from tests.factories import make_beneficiary, make_contract, make_member, make_ri_decision
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


REFUSED = "refused@example.invalid"


class RefusingBackend(EmailBackend):
    """Delivers to the test outbox, except to REFUSED, which the SMTP server rejects."""

    def send_messages(self, messages):
        if any(REFUSED in message.to for message in messages):
            raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"5.1.1 no such mailbox")})
        return super().send_messages(messages)


def _worker_with_deadline(cpas, email: str):
    worker = make_member(cpas)
    worker.user.email = email
    worker.user.save()
    beneficiary = make_beneficiary(cpas, social_worker=worker.user)
    make_meeting_request(cpas, beneficiary=beneficiary, requested_on=D(2026, 4, 3), deadline=D(2026, 4, 13))
    return worker


def test_a_rolled_back_transaction_sends_no_mail_and_keeps_no_reminder(cpas_a):
    _worker_with_deadline(cpas_a, "worker@example.invalid")

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        set_current_cpas(cpas_a.pk)
        assert reminders_send(cpas=cpas_a, today=D(2026, 4, 10), days=3) == 1
        raise Abort

    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_mail_leaves_after_the_commit_exactly_once(cpas_a):
    _worker_with_deadline(cpas_a, "worker@example.invalid")

    with transaction.atomic():
        set_current_cpas(cpas_a.pk)
        reminders_send(cpas=cpas_a, today=D(2026, 4, 10), days=3)
        assert mail.outbox == []  # recorded, not yet sent: the transaction may still roll back

    assert [m.to for m in mail.outbox] == [["worker@example.invalid"]]
    _run(D(2026, 4, 10))
    assert len(mail.outbox) == 1


def test_a_refused_mail_is_logged_keeps_its_reminder_and_does_not_stop_the_others(cpas_a, settings, caplog):
    """Decision: a failed send is not retried. Its Reminder rows are committed, so a second run does not send it
    again (a due deadline that is then missed gets its own overdue reminder); the failure is logged."""
    settings.EMAIL_BACKEND = "tests.followup.test_reminders.RefusingBackend"
    refused = _worker_with_deadline(cpas_a, REFUSED)
    _worker_with_deadline(cpas_a, "worker@example.invalid")

    with caplog.at_level(logging.ERROR, logger="piis.followup.services"):
        _run(D(2026, 4, 10))

    assert [m.to for m in mail.outbox] == [["worker@example.invalid"]]
    assert Reminder.objects.filter(user=refused.user).count() == 1
    failure = [r for r in caplog.records if r.name == "piis.followup.services"]
    assert len(failure) == 1 and f"user {refused.user_id}" in failure[0].getMessage()
    assert isinstance(failure[0].exc_info[1], smtplib.SMTPRecipientsRefused)

    _run(D(2026, 4, 10))
    assert len(mail.outbox) == 1


@pytest.mark.postgres
def test_two_runs_at_once_send_one_mail(cpas_a):
    """The second run waits for the first to commit, then finds every deadline already told."""
    _worker_with_deadline(cpas_a, "worker@example.invalid")
    queued = []

    def second_run():
        try:
            with transaction.atomic():
                set_current_cpas(cpas_a.pk)
                queued.append(reminders_send(cpas=cpas_a, today=D(2026, 4, 10), days=3))
        finally:
            connection.close()

    with transaction.atomic():
        set_current_cpas(cpas_a.pk)
        assert reminders_send(cpas=cpas_a, today=D(2026, 4, 10), days=3) == 1
        other = threading.Thread(target=second_run)
        other.start()
        other.join(timeout=1)
        assert other.is_alive()  # blocked until this run commits
    other.join(timeout=10)

    assert queued == [0]
    assert len(mail.outbox) == 1


def test_a_deadline_told_to_one_worker_is_still_told_to_a_second_one(cpas_a):
    """The run reads only the deadlines not yet told (per worker): one told to the file's worker, then shown to a
    contract's worker too, is e-mailed to that second worker only."""
    first = _worker_with_deadline(cpas_a, "first@example.invalid")
    _run(D(2026, 4, 10))
    assert [m.to for m in mail.outbox] == [["first@example.invalid"]]
    second = make_member(cpas_a)
    second.user.email = "second@example.invalid"
    second.user.save()
    beneficiary = Beneficiary.objects.get(social_worker=first.user)
    decision = make_ri_decision(cpas_a, beneficiary=beneficiary)
    make_contract(cpas_a, ri_decision=decision, social_worker=second.user, status="draft")
    _run(D(2026, 4, 10))
    to_second = [m.body for m in mail.outbox if m.to == ["second@example.invalid"]]
    assert len(to_second) == 1 and "13/04/2026" in to_second[0]
    again_to_first = [m.body for m in mail.outbox[1:] if m.to == ["first@example.invalid"]]
    assert all("13/04/2026" not in body for body in again_to_first)  # the decision's own deadline at most
