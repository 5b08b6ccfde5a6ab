"""`{% load static %}` with a `{% static "a literal" %}` that keeps its URL (TEMPLATES' `libraries`: "static").

Django's tag asks the storage for the URL on every render: the manifest's hashed name, then the URL joined and
quoted, 25-40 µs on a slow machine, and base.html has three on every page (issue 15). For a path written in the
template (no variable, no filter, no `as`), the URL is the storage's, asked once and kept; anything else is Django's
tag unchanged, as are the library's other tags. What the storage answers depends on the settings only (DEBUG serves
the unhashed name), so the kept URLs are keyed by DEBUG and forgotten when a static files setting changes."""

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags import static as django_static

register = template.Library()
register.tags.update(django_static.register.tags)
register.filters.update(django_static.register.filters)

_KEPT_NODES: list["KeptStaticNode"] = []


class KeptStaticNode(django_static.StaticNode):
    """`{% static "literal" %}`: the storage's URL for it, asked once per value of DEBUG."""

    def url(self, context):
        kept = self.__dict__.setdefault("_kept", {})
        url = kept.get(settings.DEBUG)
        if url is None:
            url = kept[settings.DEBUG] = super().url(context)
            _KEPT_NODES.append(self)
        return url


@register.tag("static")
def do_static(parser, token):
    node = django_static.do_static(parser, token)
    expression = node.path
    literal = isinstance(expression.var, str) and not expression.filters
    if literal and node.varname is None:
        node.__class__ = KeptStaticNode
    return node


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs) -> None:
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "STATICFILES_DIRS", "DEBUG", "INSTALLED_APPS"}:
        for node in _KEPT_NODES:
            node.__dict__.pop("_kept", None)
        _KEPT_NODES.clear()
