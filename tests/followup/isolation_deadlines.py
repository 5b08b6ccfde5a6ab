"""Tenant isolation of the deadline table (collected by tests/core/test_isolation.py). Its rows have no page of
their own: the agenda, the home page and the team view read them inside the reader's CPAS (tests/followup)."""

from piis.followup.models import Deadline, DeadlineFile
from tests.factories import make_beneficiary, make_member
from tests.followup.builders import D


def make_deadline(cpas) -> Deadline:
    worker = make_member(cpas).user
    person = make_beneficiary(cpas, social_worker=worker)
    return Deadline.objects.create(
        cpas=cpas, beneficiary=person, worker=worker, kind="meeting", due_on=D(2026, 4, 13), object_id=1
    )


def make_deadline_file(cpas) -> DeadlineFile:
    # Saving a file already gives it its row (piis.followup.signals): that is the one returned.
    return DeadlineFile.objects.get(beneficiary=make_beneficiary(cpas))


BUILDERS = {"followup.deadline": make_deadline, "followup.deadlinefile": make_deadline_file}
URLS: dict = {"followup.deadline": [], "followup.deadlinefile": []}
