"""Who may see which inspection. Outsiders get 404, so an inspection's existence is not revealed."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from inspections.models import Inspection, Membership


def is_admin(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def visible_inspections(user) -> QuerySet[Inspection]:
    inspections = Inspection.objects.select_related("area", "framework").defer("framework__definition")
    if is_admin(user):
        return inspections
    return inspections.filter(memberships__user=user)


def get_inspection_for_user(user, slug: str) -> tuple[Inspection, str | None]:
    """The inspection and the user's role in it (None for an admin who is not a member)."""
    inspection = visible_inspections(user).filter(slug=slug).first()
    if inspection is None:
        raise Http404("No such inspection")
    role = Membership.objects.filter(inspection=inspection, user=user).values_list("role", flat=True).first()
    return inspection, role
