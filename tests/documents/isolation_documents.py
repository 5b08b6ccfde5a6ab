"""Tenant isolation of documents and letters (collected by tests/core/test_isolation.py)."""

from django.urls import reverse

from piis.accounts.enums import Role
from tests.documents.builders import (
    make_document,
    make_explanation,
    make_letter,
    make_letter_template,
    make_outcome,
)

BUILDERS = {
    "documents.document": make_document,
    "documents.letter": make_letter,
    "documents.lettertemplate": make_letter_template,
    "documents.explanation": make_explanation,
    "documents.contractoutcome": make_outcome,
}
URLS = {
    "documents.document": [
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("documents:download", args=[o.pk])),
        (Role.SOCIAL_WORKER, "post", lambda o: reverse("documents:remove", args=[o.pk])),
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("documents:file", args=[o.beneficiary_id])),
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("documents:add", args=[o.beneficiary_id])),
    ],
    "documents.letter": [
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("documents:letter_pdf", args=[o.pk])),
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("documents:letter_new", args=[o.beneficiary_id, o.kind])),
    ],
    # A template is reached by kind and language inside the current CPAS only: no id to cross.
    "documents.lettertemplate": [],
    "documents.explanation": [
        (
            Role.SOCIAL_WORKER,
            "get",
            lambda o: reverse("documents:handover_explained", args=[o.contract_id, o.version_id]),
        ),
        (
            Role.SOCIAL_WORKER,
            "post",
            lambda o: reverse("documents:handover_explained", args=[o.contract_id, o.version_id]),
        ),
    ],
    "documents.contractoutcome": [
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("documents:outcome", args=[o.contract_id])),
        (Role.SOCIAL_WORKER, "post", lambda o: reverse("documents:outcome", args=[o.contract_id])),
    ],
}
