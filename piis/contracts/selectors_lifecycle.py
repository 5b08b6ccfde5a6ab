"""Reads for the lifecycle part of the contract page."""


def lifecycle_context(**kwargs) -> dict:
    """Template context for the lifecycle sections of contracts/detail.html."""
    return {}
