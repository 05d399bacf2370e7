"""What the service accepts from people and files: one module, asked by every door.

Web forms, the autosave endpoint, the CSV imports (upload and commands), Django admin and the URL
guard all use these rules, so a value refused in one place is refused everywhere.

- **Case references** are letters, digits, `-`, `_` and `.`, starting with a letter or a digit, at
  most 60 characters. A reference is part of every case page's address, so `/` cannot be allowed
  (write `CRN/2007/0456` as `CRN-2007-0456`); starting with a letter or digit means it never begins
  with `=`, `+`, `-` or `@`, which spreadsheets read as a formula.
- **Text** has a maximum length per kind (an evidence note 10,000 characters) and may not contain
  NUL or other control characters (tab and line breaks are allowed where a text has several lines).
- **Imports** have a byte limit, checked before the file is read, and row limits, checked while it
  is split into rows; settings IMPORT_MAX_BYTES, IMPORT_MAX_CASES and IMPORT_MAX_ANSWER_ROWS.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

CASE_REF_MAX = 60
CASE_REF_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
CASE_REF_RULE = "use only letters, digits, '-', '_' and '.', starting with a letter or a digit"

# Maximum lengths in characters.
NOTE_MAX = 10_000  # an evidence note on an answer
REASON_MAX = 2_000  # a reason or review comment: returning, reopening, finalising, a judgement
EVIDENCE_MAX = 10_000  # a judgement's evidence notes
NARRATIVE_MAX = 50_000  # one field of the report narrative
LINE_MAX = 300  # a one-line text: a title, a file name
ATTRIBUTE_TEXT_MAX = 200  # a case attribute value in an import
CODE_MAX = 60  # a question, criterion or option code

# Tab, line feed and carriage return are allowed in texts of several lines; nothing else below U+0020.
_MULTILINE_ALLOWED = {"\t", "\n", "\r"}


def control_character(text: str, *, multiline: bool = True) -> str | None:
    """A description of the first control character in text, or None if there is none.

    Control characters (Unicode category Cc: NUL, escape, DEL, C1 codes) cannot be typed, are not
    shown, and PostgreSQL refuses NUL outright; tab and line breaks are fine in multi-line text.
    """
    for character in text:
        if unicodedata.category(character) == "Cc" and not (multiline and character in _MULTILINE_ALLOWED):
            if character == "\x00":
                return "a NUL character"
            return f"a control character (U+{ord(character):04X})"
    return None


def text_problem(text: str, *, max_length: int, multiline: bool = True, what: str = "The text") -> str | None:
    """Why text cannot be stored, in words for the person who typed it, or None."""
    if len(text) > max_length:
        return f"{what} must be {max_length:,} characters or fewer (it has {len(text):,})"
    found = control_character(text, multiline=multiline)
    if found:
        return f"{what} contains {found}: remove it and try again"
    return None


def case_ref_problem(case_ref: str) -> str | None:
    """Why a case reference is not acceptable, or None."""
    if not case_ref:
        return "empty: every case needs a reference"
    if len(case_ref) > CASE_REF_MAX:
        return f"{shown(case_ref, 20)} is longer than {CASE_REF_MAX} characters"
    if not CASE_REF_PATTERN.fullmatch(case_ref):
        hint = f" (for example {case_ref.replace('/', '-')})" if "/" in case_ref and _fixable(case_ref) else ""
        return f"{shown(case_ref)} is not a valid case reference: {CASE_REF_RULE}{hint}"
    return None


def _fixable(case_ref: str) -> bool:
    return bool(CASE_REF_PATTERN.fullmatch(case_ref.replace("/", "-")))


def visible(text: str, limit: int = 40) -> str:
    """Text for a message: control characters made visible, long text cut short."""
    text = "".join(f"\\x{ord(c):02x}" if unicodedata.category(c) == "Cc" else c for c in text)
    return text[:limit] + "…" if len(text) > limit else text


def shown(text: str, limit: int = 40) -> str:
    """Text quoted for a message, as visible() makes it."""
    return f"'{visible(text, limit)}'"


def printable(text: str, limit: int = LINE_MAX) -> str:
    """Text with control characters removed and cut to limit: for a name shown back (a file name)."""
    return "".join(c for c in text if unicodedata.category(c) != "Cc")[:limit]


# --- Django validators: for model fields (Django admin) and form fields --------------------------


def validate_case_ref(value: str) -> None:
    problem = case_ref_problem(value)
    if problem:
        raise ValidationError(problem[0].upper() + problem[1:])


@deconstructible
class TextRule:
    """A validator: no control characters (line breaks allowed when multiline) and a maximum length."""

    def __init__(self, max_length: int, multiline: bool = True):
        self.max_length = max_length
        self.multiline = multiline

    def __call__(self, value: str) -> None:
        problem = text_problem(value or "", max_length=self.max_length, multiline=self.multiline)
        if problem:
            raise ValidationError(problem)

    def __eq__(self, other) -> bool:
        return isinstance(other, TextRule) and (other.max_length, other.multiline) == (
            self.max_length,
            self.multiline,
        )


# --- Imports ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportLimits:
    max_bytes: int
    max_cases: int
    max_answer_rows: int


def import_limits() -> ImportLimits:
    return ImportLimits(
        max_bytes=settings.IMPORT_MAX_BYTES,
        max_cases=settings.IMPORT_MAX_CASES,
        max_answer_rows=settings.IMPORT_MAX_ANSWER_ROWS,
    )


def file_size_problem(size: int) -> str | None:
    """Checked before a file is read: a file over the limit is refused without parsing it."""
    limit = import_limits().max_bytes
    if size > limit:
        return f"the file is {_megabytes(size)}; the limit is {_megabytes(limit)}: split it into smaller files"
    return None


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} kB"


# --- URLs ---------------------------------------------------------------------------------------


def url_problem(text: str) -> str | None:
    """A request address (path or query) with a control character, e.g. %00, can name nothing here."""
    found = control_character(text, multiline=False)
    return f"The address of the page contains {found}, so it cannot be right." if found else None
