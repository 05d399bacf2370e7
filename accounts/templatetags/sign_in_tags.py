from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def organisation_sign_in() -> dict:
    """Whether organisation sign-in is on, and the provider's name for the button."""
    return {"enabled": settings.OIDC_ENABLED, "provider": settings.OIDC_PROVIDER_NAME}
