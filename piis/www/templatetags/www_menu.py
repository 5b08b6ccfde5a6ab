"""{% main_menu %} (load www_menu): base.html's main menu rendered once per language, script prefix and set of menu
entries, then served from memory (issue 15: a dozen `{% url %}` and `{% translate %}` on every page, which the
framework floor does not pay). The menu holds only links and their labels, no personal data; what it shows depends
on nothing else than the key (the `nav` entries come from the member's role: www.context_processors.tenancy).
Nothing to invalidate while the process runs: URLs and translations change only with a deploy (new processes)."""

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_MENUS: dict[tuple, str] = {}
_MAX_MENUS = 256  # languages × distinct sets of entries (one per role, in practice): far below; never grows unbounded


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    nav = context.get("nav") or {}
    key = (get_language(), get_script_prefix(), frozenset(name for name, shown in nav.items() if shown))
    html = _MENUS.get(key)
    if html is None:
        html = render_to_string("www/_main_menu.html", {"nav": nav})
        if len(_MENUS) < _MAX_MENUS:
            _MENUS[key] = html
    return html


# {% language_switcher %}: components/language_switcher.html, whose only values of the request are its CSRF token and
# the path to come back to; the rest (the languages' names, the one selected) is rendered once per language and script
# prefix, with markers where those two go (a fifth of a millisecond on every page, issue 15). The same HTML.
_TOKEN, _PATH = "\x00csrf-token\x00", "\x00path\x00"
_SWITCHERS: dict[tuple, tuple[str, str, str]] = {}


class _PathOnly:
    def get_full_path(self) -> str:
        return _PATH


@register.simple_tag(takes_context=True)
def language_switcher(context) -> str:
    token, request = context.get("csrf_token"), context.get("request")
    if not token or str(token) == "NOTPROVIDED" or request is None:
        return render_to_string("components/language_switcher.html", context.flatten())
    key = (get_language(), get_script_prefix())
    parts = _SWITCHERS.get(key)
    if parts is None:
        html = render_to_string("components/language_switcher.html", {"csrf_token": _TOKEN, "request": _PathOnly()})
        head, rest = html.split(_TOKEN)
        middle, tail = rest.split(_PATH)
        parts = (head, middle, tail)
        if len(_SWITCHERS) < _MAX_MENUS:
            _SWITCHERS[key] = parts
    head, middle, tail = parts
    return mark_safe(f"{head}{escape(str(token))}{middle}{conditional_escape(request.get_full_path())}{tail}")
