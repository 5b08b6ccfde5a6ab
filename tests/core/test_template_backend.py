"""The template backend allows the two tag libraries piis replaces on purpose (i18n, static) and still warns, as
Django's check does (templates.W003), for any other library that shares a name."""

from django.template import engines

from piis.core.template_backend import PiisTemplates


def _backend(libraries: dict) -> PiisTemplates:
    return PiisTemplates({"NAME": "checked", "DIRS": [], "APP_DIRS": True, "OPTIONS": {"libraries": libraries}})


def test_the_sites_templates_pass_the_check_with_the_two_replaced_libraries():
    assert isinstance(engines["django"], PiisTemplates)
    assert engines["django"].engine.libraries["i18n"] == "piis.core.templatetags.fast_i18n"
    assert engines["django"].engine.libraries["static"] == "piis.core.templatetags.fast_static"
    assert engines["django"].check() == []


def test_any_other_library_sharing_a_name_is_still_warned_of():
    warned = _backend(
        {"i18n": "piis.core.templatetags.fast_dates", "legal": "piis.core.templatetags.fast_url"}
    ).check()
    assert {warning.id for warning in warned} == {"templates.W003"}
    assert len(warned) == 2  # i18n by another module than fast_i18n, and the project's own "legal"
