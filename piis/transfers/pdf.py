"""The letter telling the person that their PIIS will move to the new CPAS and that they may refuse (R51, R52,
S-Info 24), in the person's language, laid out by the contract PDF machinery after the request's transaction."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from piis.transfers.models import Transfer


def letter_html(transfer: Transfer) -> str:
    with translation.override(transfer.language):
        return render_to_string(
            "transfers/pdf/letter.html",
            {
                "transfer": transfer,
                "beneficiary": transfer.beneficiary,
                "cpas": transfer.cpas,
                "letter_date": transfer.letter_sent_on or timezone.localdate(),
                "worker": transfer.contract.social_worker,
            },
        )
