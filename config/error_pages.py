"""GOV.UK-styled error pages that say what went wrong and what to do (templates/400.html … 500.html).

Django's own handlers serve 403, 404 and 500 with these templates; a 400 needs its own handler to say why
(an address that cannot be right, or a form too large to accept) without echoing Django's internal detail.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from config.middleware import BadAddress

TOO_LARGE = (
    "What you sent was larger than the service accepts. An evidence note can have up to 10,000 characters; "
    "a file to import is uploaded on its own page."
)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, BadAddress):
        reason = str(exception)
    elif isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        reason = TOO_LARGE
    else:
        reason = ""
    body = loader.render_to_string("400.html", {"reason": reason}, request)
    return HttpResponse(body, status=400)
