"""Tenant isolation of the follow-up models (collected by tests/core/test_isolation.py)."""

from django.urls import reverse

from piis.accounts.enums import Role
from tests.followup.builders import (
    make_commitment_review,
    make_evaluation,
    make_meeting_request,
    make_objective_progress,
    make_reminder,
)

BUILDERS = {
    "followup.evaluation": make_evaluation,
    "followup.objectiveprogress": make_objective_progress,
    "followup.commitmentreview": make_commitment_review,
    "followup.meetingrequest": make_meeting_request,
    "followup.reminder": make_reminder,
}
URLS = {
    "followup.evaluation": [
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("followup:evaluation_edit", args=[o.pk])),
        (Role.SOCIAL_WORKER, "post", lambda o: reverse("followup:evaluation_edit", args=[o.pk])),
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("followup:evaluation_print", args=[o.pk])),
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("followup:evaluation_add", args=[o.contract_id])),
    ],
    # Progress and commitment reviews are shown and edited only through their evaluation.
    "followup.objectiveprogress": [
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("followup:evaluation_edit", args=[o.evaluation_id])),
        (Role.TEAM_LEAD, "get", lambda o: reverse("followup:evaluation_print", args=[o.evaluation_id])),
    ],
    "followup.commitmentreview": [
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("followup:evaluation_edit", args=[o.evaluation_id])),
        (Role.TEAM_LEAD, "get", lambda o: reverse("followup:evaluation_print", args=[o.evaluation_id])),
    ],
    "followup.meetingrequest": [
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("followup:meeting_held", args=[o.pk])),
        (Role.SOCIAL_WORKER, "post", lambda o: reverse("followup:meeting_held", args=[o.pk])),
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("followup:meeting_withdraw", args=[o.pk])),
        (Role.SOCIAL_WORKER, "post", lambda o: reverse("followup:meeting_withdraw", args=[o.pk])),
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("followup:meeting_add", args=[o.beneficiary_id])),
    ],
    # Reminders have no page: they are the memory of send_reminders (tests/followup/test_reminders.py).
    "followup.reminder": [],
    # A commitment's delivery is recorded from the follow-up (the clause itself is registered by tests/contracts).
    "contracts.clause": [
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("followup:commitment_delivery", args=[o.pk])),
        (Role.SOCIAL_WORKER, "post", lambda o: reverse("followup:commitment_delivery", args=[o.pk])),
    ],
}
