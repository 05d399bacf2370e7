"""Case references as a person may see them: the real reference, or a stable pseudonym.

Who sees real references is decided by inspections.policy (`sees_case_ref`); this module only makes
the pseudonym and labels cases for pages and exports. A pseudonym is keyed on SECRET_KEY, so the same
case always gets the same one and it cannot be reversed without the key.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from django.conf import settings

from inspections import policy


def pseudonym(inspection, case_ref: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{inspection.pk}:{case_ref}".encode(), hashlib.sha256)
    return f"CASE-{digest.hexdigest()[:10].upper()}"


def label_cases(cases: Iterable, user, access: policy.Access) -> None:
    """Give each case `shows_ref` (may this person see its reference and notes) and `label` (what to show)."""
    for case in cases:
        case.shows_ref = policy.sees_case_ref(user, case, access)
        case.label = case.case_ref if case.shows_ref else pseudonym(access.inspection, case.case_ref)
