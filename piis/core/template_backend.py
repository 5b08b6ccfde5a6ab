"""The template backend (settings.TEMPLATES): Django's, whose check for tag libraries sharing a name (templates.W003)
allows the two that piis replaces on purpose, `{% load i18n %}` and `{% load static %}` (Django's libraries with a
literal's translation or static URL kept: core.templatetags.fast_i18n and fast_static, issue 15), and still warns
for any other clash, or for a third module under one of those names."""

from django.template.backends.django import DjangoTemplates

REPLACED = {
    "i18n": ("django.templatetags.i18n", "piis.core.templatetags.fast_i18n"),
    "static": ("django.templatetags.static", "piis.core.templatetags.fast_static"),
}
_ALLOWED = {
    f"{name!r} is used for multiple template tag modules: {', '.join(repr(path) for path in sorted(paths))}"
    for name, paths in REPLACED.items()
}


class PiisTemplates(DjangoTemplates):
    def _check_for_template_tags_with_the_same_name(self):
        return [
            warning for warning in super()._check_for_template_tags_with_the_same_name() if warning.msg not in _ALLOWED
        ]
