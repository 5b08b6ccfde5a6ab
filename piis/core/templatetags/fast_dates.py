"""The `date` filter (a builtin, after Django's: TEMPLATES' `builtins`) and `date_format` for Python-built rows, with
a day's text kept per language and format.

Django's `formats.date_format` looks the format up and walks it character by character on every call: about 25 µs
on a slow machine, and the home page shows ten dates, the contract page fourteen (issue 15). A day (a `date`, never a
`datetime`, whose text also depends on its time zone) is written by Django's function once per language, format and
day, then kept; anything else is Django's filter unchanged. The same text. The kept texts are dates and nothing else
(no name, no file), bounded in number, and forgotten when a setting that shapes them changes (the tests' overrides).
"""

from datetime import date as Day

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()

_KEPT: dict[tuple, str] = {}
_MAX_KEPT = 50_000  # languages × formats × days: a few years of days in four languages and three formats


def date_format(value, format: str | None = None) -> str:
    """django.utils.formats.date_format(value, format), kept for a day (see the module)."""
    if type(value) is not Day:
        return formats.date_format(value, format)
    key = (get_language(), format, value)
    text = _KEPT.get(key)
    if text is None:
        text = formats.date_format(value, format)
        if len(_KEPT) >= _MAX_KEPT:
            _KEPT.clear()
        _KEPT[key] = text
    return text


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's `date` filter; a day's text kept (date_format above)."""
    if type(value) is Day:
        return date_format(value, arg)
    return defaultfilters.date(value, arg)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs) -> None:
    if setting.endswith("_FORMAT") or setting in {"LANGUAGE_CODE", "LANGUAGES", "FORMAT_MODULE_PATH", "USE_L10N"}:
        _KEPT.clear()
