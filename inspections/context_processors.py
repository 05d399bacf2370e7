from inspections.policy import is_admin


def roles(request) -> dict:
    """Whether the signed-in person holds the site-wide admin role (for the header's links)."""
    user = getattr(request, "user", None)
    return {"is_site_admin": bool(user is not None and user.is_authenticated and is_admin(user))}
