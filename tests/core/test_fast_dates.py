"""A day's text is kept per language and format (piis.core.templatetags.fast_dates): the same text as Django's
`date` filter and date_format for every format the templates use, in every language; a datetime is Django's."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.template.defaultfilters import date as django_date
from django.test import override_settings
from django.utils import formats, timezone, translation

from piis.core.templatetags import fast_dates

FORMATS = sorted(
    {
        match
        for path in (Path(settings.BASE_DIR) / "piis").glob("**/templates/**/*.html")
        for match in re.findall(r'\|date:"([^"]*)"', path.read_text())
    }
)
DAYS = [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 400, 37)] + [date(1950, 2, 28), date(2030, 12, 31)]


def test_the_templates_use_formats_to_check():
    assert {"SHORT_DATE_FORMAT", "DATE_FORMAT", "d/m/Y"} <= set(FORMATS)


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_a_days_text_is_djangos_in_every_format_used(language):
    with translation.override(language):
        for day in DAYS:
            for format in [None, *FORMATS]:
                try:
                    expected = formats.date_format(day, format)
                except TypeError:  # a time in the format of a day: Django refuses it, and so does this one
                    with pytest.raises(TypeError):
                        fast_dates.date(day, format)
                    continue
                assert fast_dates.date_format(day, format) == expected
                assert fast_dates.date_format(day, format) == expected  # the kept text
                assert fast_dates.date(day, format) == django_date(day, format)


def test_the_templates_date_filter_is_this_one():
    template = engines["django"].from_string('{{ day|date:"SHORT_DATE_FORMAT" }}|{{ moment|date:"d/m/Y H:i" }}')
    moment = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)  # shown in the site's time zone, as Django does
    with translation.override("fr"):
        day = formats.date_format(date(2026, 11, 28), "SHORT_DATE_FORMAT")
        shown = template.render({"day": date(2026, 11, 28), "moment": moment})
        assert shown == f"{day}|{django_date(timezone.localtime(moment), 'd/m/Y H:i')}"
    assert engines["django"].engine.template_builtins[-1].filters["date"] is fast_dates.date


def test_the_kept_texts_are_forgotten_when_a_format_setting_changes():
    with translation.override("en"):
        fast_dates.date_format(date(2026, 11, 28), "SHORT_DATE_FORMAT")
    assert fast_dates._KEPT
    with override_settings(SHORT_DATE_FORMAT="Y~m~d"):
        assert not fast_dates._KEPT
