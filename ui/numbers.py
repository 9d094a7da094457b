"""Numbers written the way the chosen language writes them.

Python writes ``1234.5`` as ``1,234.5``; Polish writes ``1 234,5``, with a decimal comma and a
non-breaking space between thousands. Page text, tables, LaTeX and charts follow the language
of the page; CSV files keep Python's form, so that any program reads them the same way.
"""

from __future__ import annotations

import numbers
import string
from typing import Any

from ui.state import language

DECIMAL_MARK = {"en": ".", "pl": ","}
THOUSANDS_SEPARATOR = {"en": ",", "pl": "\u00a0"}
# between numbers in a running list: a comma would be read as a decimal mark in Polish
LIST_SEPARATOR = {"en": ", ", "pl": "; "}


def localise(text: str, lang: str) -> str:
    """A number as Python formats it (``-1,234.5``) rewritten with ``lang``'s marks."""
    marks = {",": THOUSANDS_SEPARATOR[lang], ".": DECIMAL_MARK[lang]}
    return text.translate(str.maketrans(marks))


def format_number(value: float, spec: str, lang: str) -> str:
    """``format(value, spec)`` in ``lang``'s way of writing numbers."""
    return localise(format(value, spec), lang)


def number(value: float, spec: str = "") -> str:
    """``format(value, spec)`` in the language the sidebar has chosen."""
    return format_number(value, spec, language())


def number_list(values: Any, spec: str = "") -> str:
    """Several numbers in a running text, e.g. ``0.50, -1.20`` or, in Polish, ``0,50; -1,20``."""
    lang = language()
    return LIST_SEPARATOR[lang].join(format_number(value, spec, lang) for value in values)


def localise_cells(rows: list[list[str]], lang: str) -> list[list[str]]:
    """Table cells with every cell that is a plain number rewritten in ``lang``'s marks."""
    return [[localise(cell, lang) if is_number(cell) else cell for cell in row] for row in rows]


def is_number(text: str) -> bool:
    """Whether ``text`` is one number as Python writes it (``12.5``, ``-3``, ``1e-05``)."""
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower() not in {"nan", "inf", "-inf", "infinity"}


def plotly_separators(lang: str) -> str:
    """Plotly's ``layout.separators`` for ``lang``: the decimal mark, then the thousands mark."""
    return DECIMAL_MARK[lang] + THOUSANDS_SEPARATOR[lang]


class NumberFormatter(string.Formatter):
    """``str.format`` that writes every number field in one language's way."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            return localise(text, self.lang)
        return text
