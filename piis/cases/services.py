from django.db import transaction

from piis.audit.services import audited_save
from piis.cases.models import Beneficiary


@transaction.atomic
def beneficiary_save(*, membership, beneficiary: Beneficiary, context: str = "") -> Beneficiary:
    """Create or update a file in the membership's CPAS; the audit row records every changed field."""
    beneficiary.cpas = membership.cpas
    audited_save(actor=membership.user, cpas=membership.cpas, instance=beneficiary, context=context)
    # The file's own id is known only after the first save; the read/write history is keyed by it.
    return beneficiary
