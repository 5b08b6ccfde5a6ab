"""Every route of the app, from the URL resolver (piis/urls.py), and the forms its pages carry (parsed from the HTML,
so a field added to a template or a form class is fuzzed without anyone listing it here)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", for reverse()
    params: tuple[str, ...]  # the URL's keyword parameters, sorted

    def url(self, kwargs: dict) -> str:
        return reverse(self.name, kwargs=kwargs)


def _params(pattern) -> list[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters is not None:
        return list(converters)
    return list(pattern.pattern.regex.groupindex)


def discover_routes() -> list[Route]:
    """Every named route with its parameters. A route without a name cannot be fuzzed (nor linked): it fails here."""
    routes = []

    def walk(patterns, namespaces: tuple[str, ...], params: tuple[str, ...]):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                spaces = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
                walk(pattern.url_patterns, spaces, (*params, *_params(pattern)))
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"route {pattern.pattern} has no name"
                name = ":".join((*namespaces, pattern.name))
                routes.append(Route(name=name, params=tuple(sorted((*params, *_params(pattern))))))

    walk(get_resolver().url_patterns, (), ())
    # The REST API (namespace "api", /api/v1/) answers JSON to a Bearer token, never pages to a session: it has no
    # forms to crawl and its own suite (tests/api: every operation crossed CPAS-wise, schemathesis on its OpenAPI).
    routes = [route for route in routes if not route.name.startswith("api:")]
    return sorted(set(routes), key=lambda r: r.name)


def resolve_url(url: str) -> tuple[str, dict] | None:
    """The route name and keyword arguments of a URL of this site, or None."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name, match.kwargs


@dataclass(frozen=True)
class Field:
    name: str
    kind: (
        str  # input type (text, date, number, checkbox, radio, hidden, file…), "select", "select-multiple", "textarea"
    )
    value: str = ""  # what the page put there (an edit form's current value)
    options: tuple[str, ...] = ()  # a select's option values, a checkbox's or radio's value(s)


@dataclass
class Form:
    action: str  # as written in the page ("" = the page itself)
    method: str  # "get" or "post"
    fields: dict[str, Field] = field(default_factory=dict)
    multipart: bool = False

    def key(self) -> tuple:
        return (self.method, tuple(sorted((f.name, f.kind) for f in self.fields.values())))


_SKIPPED_INPUTS = {"submit", "button", "reset", "image"}


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[str] = []
        self._selected: str = ""
        self._option: tuple[str | None, str] | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and "?" in a.get("href", ""):
            self.links.append(a["href"])
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                multipart=a.get("enctype", "") == "multipart/form-data",
            )
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and a.get("type", "text").lower() not in _SKIPPED_INPUTS:
            kind = a.get("type", "text").lower()
            name = a["name"]
            previous = self._form.fields.get(name)
            if kind in ("checkbox", "radio"):
                options = (*(previous.options if previous else ()), a.get("value", "on"))
                value = a.get("value", "on") if "checked" in a else (previous.value if previous else "")
                self._form.fields[name] = Field(name, kind, value, options)
            else:
                self._form.fields[name] = Field(name, kind, a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], "multiple" in a)
            self._options, self._selected = [], ""
        elif tag == "option" and self._select:
            self._option = (a.get("value"), "selected" if "selected" in a else "")
            self._text = []
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._text = []

    def handle_data(self, data):
        if self._option is not None or self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            value, selected = self._option
            value = "".join(self._text).strip() if value is None else value
            self._options.append(value)
            if selected and not self._selected:
                self._selected = value
            self._option = None
        elif tag == "select" and self._select and self._form is not None:
            name, multiple = self._select
            kind = "select-multiple" if multiple else "select"
            value = self._selected or (self._options[0] if self._options and not multiple else "")
            self._form.fields[name] = Field(name, kind, value, tuple(self._options))
            self._select = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            self._form.fields[self._textarea] = Field(self._textarea, "textarea", "".join(self._text).strip("\n"))
            self._textarea = None
        elif tag == "form":
            self._form = None


def parse_page(html: str) -> tuple[list[Form], list[str]]:
    """The page's forms, and its links that carry a query string."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms, parser.links
