"""Belgian national register numbers (NRN) and BIS numbers, checked with python-stdnum (stdnum.be.nn, stdnum.be.bis).

Both have 11 digits YYMMDDSSSCC: the date of birth, a serial (odd for men, even for women) and a modulo-97 check,
computed on "2" followed by the first nine digits for people born in 2000 or later. A BIS number adds 20 (sex not
known when it was issued) or 40 (sex known) to the month. A month or day of 00 means that part of the date of birth
was not known (or the serials of that day ran out); 00 00 01 means nothing of it was known. A BIS number identifies
a beneficiary as well as a national register number does.
"""

import datetime
import re
from dataclasses import dataclass
from types import ModuleType

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.be import bis, nn


def normalize_nrn(value: str) -> str:
    """The digits as stored: without the spaces, dots and dashes of "85.07.30-033.28"."""
    return re.sub(r"[\s.\-]", "", value or "")


def _scheme(digits: str) -> ModuleType:
    """A month of 20 or more is a BIS number's; anything else is checked as a national register number."""
    return bis if len(digits) == 11 and digits.isdigit() and int(digits[2:4]) >= 20 else nn


def validate_nrn(value: str) -> None:
    """A valid national register number or BIS number: 11 digits, a possible date of birth, the right check."""
    digits = normalize_nrn(value)
    try:
        _scheme(digits).validate(digits)
    except (stdnum_errors.InvalidFormat, stdnum_errors.InvalidLength):
        raise ValidationError(_("A national register or BIS number has 11 digits."), code="nrn_format") from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("The check number (the last two digits) does not match the other digits: please check the number."),
            code="nrn_checksum",
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("The first six digits of this number do not form a possible date of birth."), code="nrn_birth_date"
        ) from None


def nrn_is_valid(value: str) -> bool:
    try:
        validate_nrn(value)
    except ValidationError:
        return False
    return True


@dataclass(frozen=True)
class EncodedBirthDate:
    """The part of the date of birth a number tells; None where it was not known when the number was issued."""

    year: int | None
    month: int | None
    day: int | None

    def agrees_with(self, birth_date: datetime.date) -> bool:
        told = ((self.year, birth_date.year), (self.month, birth_date.month), (self.day, birth_date.day))
        return all(known is None or known == actual for known, actual in told)

    def as_text(self) -> str:
        """What is known, in the active language's formats: "30/07/1985", "July 1985", "1985" or "" (nothing)."""
        if self.year is None:
            return ""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return date_format(datetime.date(self.year, self.month, 1), "YEAR_MONTH_FORMAT")
        return date_format(datetime.date(self.year, self.month, self.day), "DATE_FORMAT")


def encoded_birth_date(value: str) -> EncodedBirthDate | None:
    """What a valid number says of the date of birth; None for an invalid number."""
    digits = normalize_nrn(value)
    if not nrn_is_valid(digits):
        return None
    scheme = _scheme(digits)
    full = scheme.get_birth_date(digits)
    return EncodedBirthDate(scheme.get_birth_year(digits), scheme.get_birth_month(digits), full.day if full else None)


def validate_birth_date_agrees(number: str, birth_date: datetime.date | None) -> None:
    """The date of birth entered must agree with what the number tells of it (all, year and month, year, nothing).

    Raises a ValidationError on both fields. An invalid number or a missing date is not compared: each is refused
    on its own.
    """
    known = encoded_birth_date(number)
    if known is None or birth_date is None or known.agrees_with(birth_date):
        return
    if known.day is not None:
        message = _("This date of birth does not agree with the national register number, which gives %(told)s.")
    else:
        message = _(
            "This date of birth does not agree with the national register number, which gives a birth in %(told)s."
        )
    raise ValidationError(
        {
            "birth_date": ValidationError(message, code="nrn_birth_date_mismatch", params={"told": known.as_text()}),
            "national_number": ValidationError(
                _("This number does not agree with the date of birth."), code="nrn_birth_date_mismatch"
            ),
        }
    )


def nrn_with_check(birth_date: datetime.date, serial: int) -> str:
    """Build a valid national register number agreeing with a birth date, from a serial in 1..997 (odd for men,
    even for women). Used by demo data and tests."""
    if not 1 <= serial <= 997:
        raise ValueError(f"a national register number's serial is 1..997, not {serial}")
    body = f"{birth_date:%y%m%d}{serial:03d}"
    base = int(("2" if birth_date.year >= 2000 else "") + body)
    return f"{body}{97 - base % 97:02d}"


def mask_nrn(value: str) -> str:
    """What lists show: only the last four digits."""
    digits = normalize_nrn(value)
    return "•••••••" + digits[-4:] if digits else ""
