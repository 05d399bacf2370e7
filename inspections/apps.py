from django.apps import AppConfig
from django.db.models.signals import post_migrate

# Django admin pages the admin role may use: the domain apps' models, users and groups.
ADMIN_APPS = ("inspections", "cases", "scoring", "reports", "auth")


def grant_admin_group(sender, using="default", **kwargs) -> None:
    """The Administrators group holds the admin role and the Django admin permissions it needs."""
    from django.contrib.auth.models import Group, Permission

    from inspections.policy import ADMIN_GROUP

    group, _ = Group.objects.using(using).get_or_create(name=ADMIN_GROUP)
    wanted = Permission.objects.using(using).filter(content_type__app_label__in=ADMIN_APPS)
    group.permissions.add(*wanted)


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "Inspections and frameworks"

    def ready(self) -> None:
        post_migrate.connect(grant_admin_group, dispatch_uid="inspections.grant_admin_group")
