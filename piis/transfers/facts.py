"""The one adapter between the transfer app and the rules core (R21, R51, R52, R54).

Views and services never restate these rules: they ask here.
"""

from __future__ import annotations

from datetime import date

from piis.contracts.enums import Orientation
from piis.contracts.models import Contract
from piis.rules import transfers as law

__all__ = ["content_allowed", "forward_by", "is_study_piis", "transfer_applies"]


def is_study_piis(contract: Contract) -> bool:
    """A study PIIS (R21): the contract's orientation is full-time studies."""
    return Orientation.STUDIES in (contract.orientations or [])


def transfer_applies(contract: Contract, *, studies_uninterrupted: bool) -> bool:
    """R51, R21: whether the person's move transfers this PIIS to the newly competent CPAS."""
    return law.transfer_applies(study_piis=is_study_piis(contract), studies_uninterrupted=studies_uninterrupted)


def content_allowed(*, refused: bool) -> bool:
    """R52: whether the new CPAS may receive and see the PIIS content."""
    return law.transfer_content_allowed(refusal_recorded=refused)


def forward_by(received_on: date) -> date:
    """R54: the date by which the request is forwarded to the CPAS deemed competent."""
    return law.forward_request_deadline(received_on)
