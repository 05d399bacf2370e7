"""Keeping what an inspector typed when their session has expired.

Only for someone who was signed in: every signed-in response carries a signed cookie naming the person
(`signed_in_as`, kept a day longer than the session; removed on signing out). An answer POST that arrives
without a session but with that cookie is kept in the browser's session, bound to that person and to the
page (so the case) it came from, and they are sent to sign in and back to that page. The page replays the
kept answers through the normal save — permission and concurrency checks included — only when the same
person has signed in again; anyone else's kept answers are dropped.

Someone who never signed in gets the sign-in page and nothing is stored. What is kept is small: answer
fields only, at most MAX_KEPT posts and MAX_KEPT_CHARS characters per browser.
"""

from __future__ import annotations

import re
import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.core import signing
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url

SESSION_KEY = "pending_answers"
COOKIE = "signed_in_as"
_SALT = "cases.pending.signed-in-as"
MAX_KEPT = 20  # posts kept per browser
MAX_KEPT_CHARS = 60_000  # characters of kept field names and values per browser: a few long notes
KEEP_AFTER_EXPIRY = 24 * 60 * 60  # seconds the cookie outlives the session
_REFRESH_AFTER = 60 * 60  # a signed-in person's cookie is renewed at most hourly
ANSWER_FIELD = re.compile(r"(value|note|version)-[A-Za-z0-9._-]{1,30}")


def keeps_post_when_signed_out(page_url):
    """Decorator for answer-saving POST views. page_url(request, **kwargs) names the page to return to."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.user.is_authenticated:
                return view(request, *args, **kwargs)
            return_to = page_url(request, **kwargs)
            expired_user = _cookie_user(request)
            if request.method == "POST" and expired_user is not None:
                _keep(request, expired_user, return_to)
            login = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': return_to})}"
            if request.headers.get("HX-Request"):
                # htmx follows HX-Redirect with a full page load.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = login
                return response
            return HttpResponseRedirect(login)

        return wrapper

    return decorator


def _keep(request: HttpRequest, user_id: int, page: str) -> None:
    data = {key: request.POST.getlist(key) for key in request.POST if ANSWER_FIELD.fullmatch(key)}
    if not data or _size({"page": page, "data": data}) > MAX_KEPT_CHARS:
        return  # nothing to keep, or more than could ever be kept: the person retypes it
    kept = [item for item in request.session.get(SESSION_KEY, []) if item.get("user") == user_id]
    kept.append({"user": user_id, "page": page, "data": data})
    while len(kept) > MAX_KEPT or sum(_size(item) for item in kept) > MAX_KEPT_CHARS:
        kept.pop(0)  # the oldest go first
    request.session[SESSION_KEY] = kept


def _size(item: dict) -> int:
    data = item["data"]
    return len(item["page"]) + sum(len(key) + sum(len(value) for value in values) for key, values in data.items())


def take_pending(request: HttpRequest, page: str) -> list[dict[str, list[str]]]:
    """Remove and return the POST data kept for this page by the person now signed in.

    Kept answers of anyone else (someone else signed in on this browser) are dropped unread.
    """
    kept = request.session.get(SESSION_KEY)
    if not kept:
        return []
    user_id = request.user.pk
    mine = [item["data"] for item in kept if item.get("user") == user_id and item["page"] == page]
    left = [item for item in kept if item.get("user") == user_id and item["page"] != page]
    if left != kept:
        request.session[SESSION_KEY] = left
    return mine


# --- The signed-in cookie -----------------------------------------------------------------------------------------


def _cookie_user(request: HttpRequest) -> int | None:
    """The person this browser was signed in as, if the cookie is genuine and recent enough."""
    found = _read_cookie(request)
    return found[0] if found else None


def _read_cookie(request: HttpRequest) -> tuple[int, float] | None:
    value = request.COOKIES.get(COOKIE)
    if not value:
        return None
    try:
        content = signing.loads(value, salt=_SALT, max_age=settings.SESSION_COOKIE_AGE + KEEP_AFTER_EXPIRY)
        return int(content["u"]), float(content["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


class SignedInCookieMiddleware:
    """Sets the signed-in cookie on a signed-in person's responses and removes it on signing out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "_signed_out", False):
            response.delete_cookie(COOKIE, samesite="Lax")
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            found = _read_cookie(request)
            if found is None or found[0] != user.pk or time.time() - found[1] > _REFRESH_AFTER:
                response.set_cookie(
                    COOKIE,
                    signing.dumps({"u": user.pk, "t": time.time()}, salt=_SALT),
                    max_age=settings.SESSION_COOKIE_AGE + KEEP_AFTER_EXPIRY,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
        return response


@receiver(user_logged_out)
def _forget_on_sign_out(sender, request, **kwargs) -> None:
    # Signing out on purpose is not an expired session: nothing typed afterwards is kept for them.
    if request is not None:
        request._signed_out = True
