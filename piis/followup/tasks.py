"""Background tasks of the follow-up (Django's task framework, settings.TASKS; run by `manage.py db_worker`)."""

from datetime import date

from django_tasks import task

from piis.accounts.models import Cpas
from piis.followup.deadlines import refresh_stale_for_cpas
from piis.followup.services import reminders_send
from piis.jobs.services import in_cpas


@task()
def send_cpas_reminders(cpas_id: int, today: str, days: int) -> int:
    """One CPAS's reminders as on `today` (ISO date), in one transaction with that CPAS set for row-level security;
    the e-mails leave when it commits. Safe to run twice: every item sent is recorded (Reminder) and not sent again.
    Returns the number of e-mails sent."""
    cpas = Cpas.objects.get(pk=cpas_id)
    with in_cpas(cpas_id):  # first the files whose day has come (followup.deadlines), committed on its own
        refresh_stale_for_cpas(cpas=cpas, today=date.fromisoformat(today), limit=None)
    with in_cpas(cpas_id):
        return reminders_send(cpas=cpas, today=date.fromisoformat(today), days=days)
