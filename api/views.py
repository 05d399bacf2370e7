"""The read-only HTTP API (interface contract, "HTTP API"). Every decision about what a token's
user may see is asked of inspections.policy, exactly as the browser pages ask it."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from api.schema import ErrorSerializer, InspectionSerializer, ProgrammeSerializer, ScoresSerializer
from inspections.policy import (
    REFUSALS,
    Action,
    access_for,
    may_see_programme,
    programme_inspections,
    visible_inspections,
)
from inspections.services import InspectionError
from programme.figures import load_programme
from scoring.scores import score_document

UNAUTHORISED = OpenApiResponse(ErrorSerializer, description="No valid token.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such thing, or the token's user may not see it.")


@extend_schema(
    summary="The inspections the token's user may see",
    responses={200: InspectionSerializer(many=True), 401: UNAUTHORISED},
)
@api_view(["GET"])
def inspections(request: Request) -> Response:
    rows = (
        visible_inspections(request.user)
        .order_by("slug")
        .values_list("slug", "framework__code", "area__name", "status")
    )
    return Response(
        [{"slug": slug, "framework": code, "area": area, "status": status} for slug, code, area, status in rows]
    )


@extend_schema(
    summary="An inspection's current scores: the export_scores document",
    responses={
        200: ScoresSerializer,
        401: UNAUTHORISED,
        403: OpenApiResponse(ErrorSerializer, description="A member who may not see the scores."),
        404: NOT_FOUND,
    },
)
@api_view(["GET"])
def inspection_scores(request: Request, slug: str) -> Response:
    access = access_for(request.user, slug)
    if not access.may(Action.SEE_SCORES):
        raise PermissionDenied(REFUSALS[Action.SEE_SCORES])
    return Response(score_document(access.inspection).data)


@extend_schema(
    summary="The programme figures of a framework: the export_programme document",
    description="Only the inspections the token's user may see in the programme: published ones, and finalised "
    "ones whose scores the user may see.",
    responses={200: ProgrammeSerializer, 401: UNAUTHORISED, 404: NOT_FOUND},
)
@api_view(["GET"])
def programme(request: Request, code: str) -> Response:
    if not may_see_programme(request.user, code):
        raise Http404("No such programme")
    inspections = programme_inspections(request.user, code, include_unpublished=True)
    try:
        return Response(load_programme(code, inspections).document())
    except InspectionError:
        raise Http404("No such programme") from None  # an admin asking for an unknown framework
