"""Translations kept per language, for the rows and sections built in Python (issue 15).

Django's gettext finds the active language through a context-local variable and walks the catalogue's fallbacks on
every call: about 5 µs (10 on a slow machine), and the contract page asked it some eighty times for the same
literals and labels. Here each language's texts are worked out by gettext once per process and then read from a
dict, the same text. Nothing to invalidate while the process runs: the catalogues change only with a deploy; a
setting that changes the languages (the tests' overrides) forgets them, as Django forgets its catalogues.

- `gettext(message)`: Django's, for a literal, kept (makemessages reads the calls as Django's); `kept_gettext()`
  gives the active language's texts once for a loop.
- `KeptLabels(labels)`: a dict of lazy labels (a kind's, a status's), read as the active language's strings.
- `choice_labels(field)`: a field's choices so (core.models.ChoiceDisplay's get_FOO_display()).
"""

from collections.abc import Mapping
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext as django_gettext


class _Texts(dict):
    """One language's translations: texts(message) or texts[message]. Read while that language is active."""

    def __missing__(self, message: str) -> str:
        text = django_gettext(message)
        if len(self) < _MAX_TEXTS:  # literals only, in practice; never grows unbounded whatever is passed
            self[message] = text
        return text

    __call__ = dict.__getitem__


_MAX_TEXTS = 5000


_BY_LANGUAGE: dict[str | None, _Texts] = {}


def kept_gettext() -> _Texts:
    """gettext for literals, kept for the active language (see the module)."""
    language = get_language()
    texts = _BY_LANGUAGE.get(language)
    if texts is None:
        texts = _BY_LANGUAGE[language] = _Texts()
    return texts


def gettext(message: str) -> str:
    """Django's gettext of a literal, kept for the active language: `from piis.core.texts import gettext` where HTML
    is built in Python (makemessages reads these calls as it reads Django's)."""
    return kept_gettext()(message)


class KeptLabels(Mapping):
    """A mapping of keys to lazy labels, read as strings in the active language (str(label)), each language's
    strings made once. `get` and `[]` as a dict's."""

    def __init__(self, labels: Mapping[Any, Any]) -> None:
        self._labels = labels
        self._by_language: dict[str | None, dict[Any, str]] = {}
        _ALL_LABELS.append(self)

    def _strings(self) -> dict[Any, str]:
        language = get_language()
        strings = self._by_language.get(language)
        if strings is None:
            strings = self._by_language[language] = {key: str(label) for key, label in self._labels.items()}
        return strings

    def __getitem__(self, key: Any) -> str:
        return self._strings()[key]

    def __iter__(self):
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def forget(self) -> None:
        self._by_language.clear()


_ALL_LABELS: list[KeptLabels] = []


def choice_labels(field) -> dict[Any, str]:
    """A field's choices as {value: label in the active language} (as Django's get_FOO_display() writes each
    label), made once per field and language; choices given by a callable are read again on every call."""
    key = (field, get_language())
    labels = _CHOICES.get(key)
    if labels is None:
        labels = {value: force_str(label, strings_only=True) for value, label in make_hashable(field.flatchoices)}
        if not isinstance(field.choices, CallableChoiceIterator):
            _CHOICES[key] = labels
    return labels


_CHOICES: dict[tuple, dict[Any, str]] = {}


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _BY_LANGUAGE.clear()
        _CHOICES.clear()
        for labels in _ALL_LABELS:
            labels.forget()
