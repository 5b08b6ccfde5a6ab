"""The two exceptions of the rules core: a broken rule (`RuleViolation`) and impossible input (`InvalidInput`)."""

from __future__ import annotations

__all__ = ["InvalidInput", "RuleViolation"]


class RuleViolation(Exception):
    """A legal rule is broken: stable machine `code`, the `rule` ID it comes from, a plain-English `message`.

    The message is English; the user interface translates it by its code.
    """

    code: str
    rule: str
    message: str

    def __init__(self, code: str, rule: str, message: str) -> None:
        super().__init__(f"{code} ({rule}): {message}")
        self.code = code
        self.rule = rule
        self.message = message


class InvalidInput(ValueError):
    """Input that cannot be right (a share outside (0, 1], an end before its start …), with a stable `code`."""

    code: str
    message: str

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
