"""Tenant isolation of what the person writes on the portal (collected by tests/core/test_isolation.py): their
comments on evaluations and their amendment requests, through the staff pages that show them. (The portal's own
pages reach them only through the person's file: tests/portal/test_actions.py.)"""

import datetime

from django.urls import reverse

from piis.accounts.enums import Role
from piis.contracts.models import AmendmentRequest
from piis.followup.models import EvaluationComment
from tests.factories import make_contract
from tests.followup.builders import make_evaluation
from tests.portal_person import make_person_user


def make_evaluation_comment(cpas, **kwargs) -> EvaluationComment:
    evaluation = kwargs.pop("evaluation", None) or make_evaluation(cpas)
    defaults = {"text": "Je ne suis pas d'accord.", "disagrees": True}
    return EvaluationComment.objects.create(
        cpas=cpas,
        evaluation=evaluation,
        beneficiary=evaluation.contract.beneficiary,
        written_by=make_person_user(),
        **{**defaults, **kwargs},
    )


def make_amendment_request(cpas, **kwargs) -> AmendmentRequest:
    contract = kwargs.pop("contract", None) or make_contract(
        cpas, status="in_force", signed_on=datetime.date(2026, 1, 15)
    )
    defaults = {"text": "Moins d'heures de formation.", "requested_on": datetime.date(2026, 5, 4)}
    return AmendmentRequest.objects.create(
        cpas=cpas,
        contract=contract,
        beneficiary=contract.beneficiary,
        requested_by=make_person_user(),
        **{**defaults, **kwargs},
    )


BUILDERS = {
    "followup.evaluationcomment": make_evaluation_comment,
    "contracts.amendmentrequest": make_amendment_request,
}
URLS = {
    "followup.evaluationcomment": [
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("followup:evaluation_print", args=[o.evaluation_id])),
        (Role.TEAM_LEAD, "get", lambda o: reverse("contracts:detail", args=[o.evaluation.contract_id])),
    ],
    "contracts.amendmentrequest": [
        (
            Role.SOCIAL_WORKER,
            "get",
            lambda o: reverse("contracts:amendment_request_answer", args=[o.contract_id, o.pk]),
        ),
        (
            Role.SOCIAL_WORKER,
            "post",
            lambda o: reverse("contracts:amendment_request_answer", args=[o.contract_id, o.pk]),
        ),
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("contracts:detail", args=[o.contract_id])),
    ],
}
