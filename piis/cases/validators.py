"""The Belgian national register number (NRN): 11 digits YYMMDDSSSCC, CC a modulo-97 check."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalize_nrn(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def nrn_is_valid(value: str) -> bool:
    digits = normalize_nrn(value)
    if not re.fullmatch(r"[0-9]{11}", digits):
        return False
    body, check = int(digits[:9]), int(digits[9:])
    # People born in 2000 or later have a "2" prefixed to the nine digits before the check.
    return check in {97 - body % 97, 97 - int("2" + digits[:9]) % 97}


def validate_nrn(value: str) -> None:
    if not nrn_is_valid(value):
        raise ValidationError(
            _("This is not a valid national register number (11 digits with a correct check number)."),
            code="invalid_nrn",
        )


def nrn_with_check(birth_date: datetime.date, serial: int) -> str:
    """Build a valid NRN from a birth date and a serial (odd for men, even for women). Used by demo data."""
    body = f"{birth_date:%y%m%d}{serial:03d}"
    base = int(("2" if birth_date.year >= 2000 else "") + body)
    return f"{body}{97 - base % 97:02d}"


def mask_nrn(value: str) -> str:
    """What lists show: only the last four digits."""
    digits = normalize_nrn(value)
    return "•••••••" + digits[-4:] if digits else ""
