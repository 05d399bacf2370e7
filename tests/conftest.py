import os

# Playwright's sync API keeps an event loop running in the main thread; Django's ORM must be
# allowed to run beside it in the test process only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.core.management import call_command  # noqa: E402

from tests.factories import make_user  # noqa: E402

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture
def frameworks(db):
    """The three shipped frameworks, loaded."""
    call_command("load_frameworks", stdout=open(os.devnull, "w"))


@pytest.fixture
def admin_user(db):
    return make_user("admin", is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(db):
    return make_user("outsider")
