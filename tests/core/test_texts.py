"""Translations kept per language (piis.core.texts): the same text as Django's gettext for every message of the
catalogues, in every language, whichever language asked first; the labels follow the active language."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext_lazy, trans_real

from piis.core import texts

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _messages() -> list[str]:
    catalogue = trans_real.translation("fr")._catalog
    return sorted({key for key, _text in catalogue.items() if isinstance(key, str) and key})


def test_every_message_of_the_catalogues_is_djangos_text_in_every_language():
    messages = _messages()
    assert len(messages) > 1000
    for language in [*LANGUAGES, *reversed(LANGUAGES)]:  # each language's texts kept, then read again
        with translation.override(language):
            for message in messages:
                assert texts.gettext(message) == translation.gettext(message), (language, message)


def test_kept_labels_follow_the_active_language():
    labels = texts.KeptLabels({"out": gettext_lazy("Log out"), "home": gettext_lazy("Home")})
    for language in ("fr", "nl", "fr", "en"):
        with translation.override(language):
            assert labels["out"] == translation.gettext("Log out")
            assert labels.get("home") == translation.gettext("Home") and labels.get("nothing", "-") == "-"
            assert dict(labels) == {"out": translation.gettext("Log out"), "home": translation.gettext("Home")}


def test_what_is_kept_is_forgotten_when_the_languages_change():
    labels = texts.KeptLabels({"out": gettext_lazy("Log out")})
    with translation.override("nl"):
        texts.gettext("Log out")
        assert labels["out"]
    with override_settings(LANGUAGES=[("nl", "Nederlands")]):
        assert not texts._BY_LANGUAGE and not labels._by_language


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_message_outside_the_catalogues_is_itself(language):
    with translation.override(language):
        assert texts.gettext("no such message, 2026") == "no such message, 2026"
