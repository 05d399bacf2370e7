"""Reading answers out of the assessment pages' POST data.

Each question's fields are named after its code (value-1.1.02, note-1.1.02, version-1.1.02), so
one page can hold many questions and a single autosave can post just one of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict


@dataclass
class PostedAnswer:
    code: str
    value: str
    note: str
    version: int | None  # None: missing or malformed, which is refused (never "no check")


def posted_answer(data: QueryDict | dict, code: str) -> PostedAnswer | None:
    """The posted answer for one question, or None if the page did not post it."""
    if f"version-{code}" not in data:
        return None
    return PostedAnswer(
        code=code,
        value=_one(data, f"value-{code}").strip(),
        note=_one(data, f"note-{code}").replace("\r\n", "\n").strip(),
        version=_int(_one(data, f"version-{code}")),
    )


def _one(data, key: str) -> str:
    value = data.get(key, "")
    if isinstance(value, list):  # kept POST data from pending.py is a dict of lists
        value = value[-1] if value else ""
    return value or ""


def _int(text: str) -> int | None:
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        return None
    return int(text)
