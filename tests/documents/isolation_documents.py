"""Tenant isolation of documents and letters (collected by tests/core/test_isolation.py)."""

from django.urls import reverse

from piis.accounts.enums import Role
from tests.documents.builders import make_document, make_letter, make_letter_template

BUILDERS = {
    "documents.document": make_document,
    "documents.letter": make_letter,
    "documents.lettertemplate": make_letter_template,
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
}
