"""{% url %} in every template (a builtin, settings.TEMPLATES): Django's tag, but a URL whose arguments are whole
numbers (primary keys, as nearly all of ours) and strings written in the template is made from its path, reversed
once per URL name and kept, with the numbers put in their places. Django's resolves the pattern on every call: about
15 µs, and the file and contract pages have a dozen to twenty of them (issue 15). Anything else (keyword arguments,
`as var`, a string from a variable, another kind of value, a pattern whose path does not show a number as given)
goes through Django's tag unchanged.

What is kept is a path, its name and the template's own strings: no value of a request. The key holds everything
reverse() reads besides the arguments (the URL configuration of the thread, the script prefix, the language, the
current application), so nothing is to invalidate while the process runs: URL patterns change only with a deploy."""

from collections.abc import Callable

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

# Numbers no real primary key reaches, one per argument, none a part of another.
_PLACEHOLDERS = tuple(str(8642097531 + index) for index in range(4))
_PATHS: dict[tuple, tuple[str, ...] | None] = {}
_MAX_PATHS = 2048  # URL names × languages × script prefixes: far below; never grows unbounded


def _current_app(context):
    """The current application as Django's URLNode finds it (request.current_app, else the resolved namespace)."""
    request = getattr(context, "request", None)
    current = getattr(request, "current_app", None)
    if current is None:
        match = getattr(request, "resolver_match", None)
        current = getattr(match, "namespace", None)
    return current


def _split_path(view_name: str, shape: tuple, current_app) -> tuple[str, ...] | None:
    """The path of `view_name` reversed with `shape` (a template's string, or None where a number goes), cut where
    each number goes; None when the pattern does not show each number once, as given (reverse() is then used)."""
    args = [_PLACEHOLDERS[index] if kept is None else kept for index, kept in enumerate(shape)]
    path = reverse(
        view_name,
        args=[int(a) if kept is None else a for a, kept in zip(args, shape, strict=True)],
        current_app=current_app,
    )
    pieces = []
    for index, kept in enumerate(shape):
        if kept is not None:
            continue
        placeholder = _PLACEHOLDERS[index]
        if path.count(placeholder) != 1:
            return None
        head, _placeholder, path = path.partition(placeholder)
        pieces.append(head)
    pieces.append(path)
    return tuple(pieces)


def numbered_url(view_name: str, args: tuple = (), current_app=None) -> str:
    """reverse(view_name, args=args, current_app=current_app), made from the path kept per name when the arguments
    are whole numbers and codes (strings, which are kept in the key: a record's kind, a literal of a template, never
    a person's data); reverse() itself otherwise. For {% url %} and the rows made in Python (www.rows, www tags)."""
    if len(args) == 1 and type(args[0]) is int and args[0] >= 0:  # one key, as most: without the general loops
        pieces = _pieces(view_name, (None,), current_app)
        if pieces is not None:
            return f"{pieces[0]}{args[0]}{pieces[1]}"
    numbers = [arg for arg in args if not isinstance(arg, str)]
    if len(args) > len(_PLACEHOLDERS) or not all(type(number) is int and number >= 0 for number in numbers):
        return reverse(view_name, args=list(args), current_app=current_app)
    shape = tuple(arg if isinstance(arg, str) else None for arg in args)
    pieces = _pieces(view_name, shape, current_app)
    if pieces is None:
        return reverse(view_name, args=list(args), current_app=current_app)
    url = pieces[0]
    for number, piece in zip(numbers, pieces[1:], strict=True):
        url = f"{url}{number}{piece}"
    return url


def _pieces(view_name: str, shape: tuple, current_app) -> tuple[str, ...] | None:
    key = (view_name, shape, get_urlconf(), get_script_prefix(), get_language(), current_app)
    if key in _PATHS:
        return _PATHS[key]
    pieces = _split_path(view_name, shape, current_app)  # NoReverseMatch raised as reverse() raises it
    if len(_PATHS) < _MAX_PATHS:
        _PATHS[key] = pieces
    return pieces


def pk_url_maker(view_name: str) -> Callable[[int], str]:
    """numbered_url(view_name, (pk,)) as a function of the key, for the rows of one page: the kept path is looked up
    once (the URL configuration, script prefix and language as they are now), not once per row (16 µs a row on a
    slow machine, two per agenda line, issue 15). Build it where the page is rendered, never keep it longer."""
    pieces = _pieces(view_name, (None,), None)

    def make(pk) -> str:
        if pieces is None or type(pk) is not int or pk < 0:
            return numbered_url(view_name, (int(pk),))
        return f"{pieces[0]}{pk}{pieces[1]}"

    return make


class FastURLNode(URLNode):
    def __init__(self, view_name, args, kwargs, asvar):
        super().__init__(view_name, args, kwargs, asvar)
        # Each argument: its string when the template writes one (a literal, no filter), else None (resolved).
        self.literals = tuple(arg.var if isinstance(arg.var, str) and not arg.filters else None for arg in args)

    def render(self, context):
        if self.asvar or self.kwargs:
            return super().render(context)
        args = tuple(
            arg.resolve(context) if literal is None else literal
            for arg, literal in zip(self.args, self.literals, strict=True)
        )
        resolved = [arg for arg, literal in zip(args, self.literals, strict=True) if literal is None]
        if not all(type(value) is int for value in resolved):  # a string from a variable is not kept
            return super().render(context)
        url = numbered_url(self.view_name.resolve(context), args, _current_app(context))
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's {% url %} (its syntax, its errors), rendered by FastURLNode."""
    node = django_url(parser, token)
    return FastURLNode(node.view_name, node.args, node.kwargs, node.asvar)
