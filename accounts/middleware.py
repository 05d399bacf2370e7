"""A person asked for a new password can do nothing else until they have chosen one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts.signin import MUST_CHANGE_PASSWORD


class RequirePasswordChange:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.session.get(MUST_CHANGE_PASSWORD) and request.user.is_authenticated:
            allowed = {reverse("password_change"), reverse("logout")}
            if request.path not in allowed:
                messages.info(request, "An administrator has asked you to choose a new password before you go on.")
                target = reverse("password_change")
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                    return response
                return HttpResponseRedirect(target)
        return self.get_response(request)
