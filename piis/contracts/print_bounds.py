"""How much text one contract PDF prints, so that printing stays bounded in time and size.

A 200 KB commitment once made a 136-page PDF that took about a minute to lay out. WeasyPrint's layout time grows
faster than the length of one block (measured on one commitment: 40 KB, 30 pages in 2.6 s; 200 KB, 136 pages in
54 s), so there is a bound per text as well as in total. Lengths are counted in printed characters: a line break
starts a new line, so it counts as a whole line (`LINE_CHARS`).

A draft beyond these bounds cannot be handed over (selectors_drafting.drafting_problems); the PDF of a version
beyond them (one saved before the bounds existed) is refused with a page saying which text to shorten, never cut
short in silence (pdf.contract_html). The time of the rendering itself is bounded too, by PDF_RENDER_TIMEOUT
(pdf.html_to_pdf).
"""

from collections.abc import Iterable

from piis.core.errors import ServiceError

__all__ = ["LINE_CHARS", "MAX_TEXT_CHARS", "MAX_TOTAL_CHARS", "print_length_problem", "printed_length"]

MAX_TEXT_CHARS = 10_000  # one text (a commitment, the person's comments…): about four printed pages
MAX_TOTAL_CHARS = 60_000  # every text of one version together: about forty pages with the fixed sections
LINE_CHARS = 80  # a line of the contract's body text
QUOTE_CHARS = 60  # how much of a text the refusal quotes to say which one it is


def printed_length(text: str) -> int:
    """The length of `text` once printed, in characters: each line break counts as a full line."""
    return len(text) + text.count("\n") * LINE_CHARS


def _quote(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= QUOTE_CHARS else words[:QUOTE_CHARS].rstrip() + "…"


def print_length_problem(texts: Iterable[str]) -> ServiceError | None:
    """The first bound the texts of a contract exceed, as a ServiceError (PRINT_TEXT_TOO_LONG quoting the start of
    the text, or PRINT_TOO_LONG for the total); None when the contract can be printed."""
    total = 0
    for text in texts:
        length = printed_length(text)
        if length > MAX_TEXT_CHARS:
            params = {"start": _quote(text), "length": length, "limit": MAX_TEXT_CHARS}
            return ServiceError("PRINT_TEXT_TOO_LONG", params=params)
        total += length
    if total > MAX_TOTAL_CHARS:
        return ServiceError("PRINT_TOO_LONG", params={"length": total, "limit": MAX_TOTAL_CHARS})
    return None
