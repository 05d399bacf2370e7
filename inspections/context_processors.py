from inspections.policy import is_admin


def roles(request) -> dict:
    """Whether the signed-in person holds the site-wide admin role (for the header's links).

    A callable, so templates that never ask (the autosave's partials) cost no query.
    """
    user = getattr(request, "user", None)

    def site_admin() -> bool:
        return bool(user is not None and user.is_authenticated and is_admin(user))

    return {"is_site_admin": site_admin}
