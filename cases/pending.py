"""Keeping what an inspector typed when their session has expired.

A POST from someone who is no longer signed in is kept in the (anonymous) session, which
survives signing in, and they are sent to sign in and then back to the page they were on.
That page replays the kept answers through the normal save, with the usual permission and
concurrency checks, so nothing typed is lost and nothing is saved for the wrong person.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url

SESSION_KEY = "pending_answers"
MAX_KEPT = 50


def keeps_post_when_signed_out(page_url):
    """Decorator for answer-saving POST views. page_url(request, **kwargs) names the page to return to."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.user.is_authenticated:
                return view(request, *args, **kwargs)
            return_to = page_url(request, **kwargs)
            if request.method == "POST":
                kept = request.session.get(SESSION_KEY, [])[-MAX_KEPT:]
                kept.append({"page": return_to, "data": _plain(request.POST)})
                request.session[SESSION_KEY] = kept
            login = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': return_to})}"
            if request.headers.get("HX-Request"):
                # htmx follows HX-Redirect with a full page load.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = login
                return response
            return HttpResponseRedirect(login)

        return wrapper

    return decorator


def _plain(post) -> dict[str, list[str]]:
    return {key: post.getlist(key) for key in post if key != "csrfmiddlewaretoken"}


def take_pending(request: HttpRequest, page: str) -> list[dict[str, list[str]]]:
    """Remove and return the kept POST data for this page."""
    kept = request.session.get(SESSION_KEY)
    if not kept:
        return []
    mine = [item["data"] for item in kept if item["page"] == page]
    if mine:
        request.session[SESSION_KEY] = [item for item in kept if item["page"] != page]
    return mine
