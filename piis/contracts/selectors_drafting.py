"""Reads for the drafting part of the contract page."""


def drafting_context(**kwargs) -> dict:
    """Template context for the drafting sections of contracts/detail.html."""
    return {}
