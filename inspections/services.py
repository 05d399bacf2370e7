"""Domain operations on inspections: each runs in one transaction and raises InspectionError."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from inspections.errors import Refused
from inspections.history import save_recorded
from inspections.lifecycle import authorise
from inspections.models import Area, Framework, Inspection, Membership
from inspections.policy import Action


class InspectionError(Refused):
    """A refused operation, with a message for a person."""


def newest_framework(code: str) -> Framework:
    frameworks = list(Framework.objects.filter(code=code).only("id", "code", "version"))
    if not frameworks:
        known = ", ".join(sorted(set(Framework.objects.values_list("code", flat=True)))) or "none loaded"
        raise InspectionError(f"unknown framework '{code}' (known: {known})")
    return max(frameworks, key=lambda framework: framework.version.rjust(20, "0"))


def create_inspection(
    *,
    framework_code: str,
    area_name: str,
    slug: str,
    title: str = "",
    fieldwork_start: datetime.date | None = None,
    fieldwork_end: datetime.date | None = None,
    lead=None,
) -> Inspection:
    """Create the area if new and the inspection; an existing slug is refused."""
    area_name = area_name.strip()
    if not area_name:
        raise InspectionError("the area needs a name")
    if slug != slugify(slug) or not slug:
        raise InspectionError(f"'{slug}' is not a valid slug (lower-case letters, digits and hyphens)")
    if fieldwork_start and fieldwork_end and fieldwork_end < fieldwork_start:
        raise InspectionError("fieldwork cannot end before it starts")
    framework = newest_framework(framework_code)
    with transaction.atomic():
        if Inspection.objects.filter(slug=slug).exists():
            raise InspectionError(f"an inspection with slug '{slug}' already exists")
        area = Area.objects.filter(name__iexact=area_name).first()
        if area is None:
            area = Area.objects.create(name=area_name, slug=_free_area_slug(area_name))
        if not title:
            year = f" {fieldwork_start.year}" if fieldwork_start else ""
            title = f"{framework.title.split(' (')[0]} of {area.name}{year}"
        try:
            inspection = Inspection.objects.create(
                area=area,
                framework=framework,
                title=title,
                slug=slug,
                fieldwork_start=fieldwork_start,
                fieldwork_end=fieldwork_end,
            )
        except IntegrityError:
            raise InspectionError(f"an inspection with slug '{slug}' already exists") from None
        if lead is not None:
            Membership.objects.create(inspection=inspection, user=lead, role=Membership.Role.LEAD)
    return inspection


def _free_area_slug(name: str) -> str:
    base = slugify(name) or "area"
    slug, number = base, 1
    while Area.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def add_member(*, user, inspection: Inspection, member, role: str) -> Membership:
    """Put `member` on the inspection's team with `role` (changing the role of a current member)."""
    if role not in Membership.Role.values:
        raise InspectionError(f"'{role}' is not a role; use one of {', '.join(Membership.Role.values)}", field="role")
    with transaction.atomic():
        authorise(user, inspection, Action.CHANGE_TEAM)
        membership = Membership.objects.filter(inspection=inspection, user=member).first()
        if membership is not None and membership.role == role:
            return membership
        membership = membership or Membership(inspection=inspection, user=member)
        membership.role = role
        reason = f"Added to the team as {Membership.Role(role).label}" + (" (command line)" if user is None else "")
        save_recorded(membership, user=user, reason=reason)
    return membership
