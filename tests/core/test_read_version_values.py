"""The read version writes each stored value as json.dumps(…, sort_keys=True, default=str) writes it (its fast paths
for the common types included), so that a page read before a deploy is not refused after it. The digests are
salted_hmac's: tests/core/test_read_version.py."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

import pytest

from piis.core import concurrency


class _Kind(StrEnum):
    A = "a"


VALUES = [
    None, True, False, 0, -7, 2**70, "", "é ü — \\" + '"', "x" * 300, date(2026, 11, 28),
    datetime(2026, 11, 28, 13, 5, 1, 7, tzinfo=UTC), Decimal("12.50"), UUID(int=5), 1.5, float("nan"), [1, "a", None],
    {"b": 1, "a": [date(2020, 1, 1)]}, _Kind.A,
]  # fmt: skip


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_value_is_written_as_json_dumps_writes_it(value):
    assert concurrency._encoded(value) == json.dumps(value, sort_keys=True, default=str)
