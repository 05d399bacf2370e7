import os

# Playwright's sync API keeps an event loop running in the main thread; Django's ORM must be
# allowed to run beside it in the test process only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.core.management import call_command  # noqa: E402

from inspections.models import Membership  # noqa: E402
from tests.factories import add_member, make_case, make_inspection, make_user  # noqa: E402

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


MINI_FRAMEWORK = os.path.join(os.path.dirname(__file__), "framework_files", "mini-test.v1.yaml")


@pytest.fixture
def mini_framework(db):
    """A small framework that loads quickly, for tests that do not need real content."""
    call_command("load_frameworks", MINI_FRAMEWORK, stdout=open(os.devnull, "w"))


@pytest.fixture
def inspection(mini_framework):
    return make_inspection(framework="mini-test")


@pytest.fixture
def lead(inspection):
    return add_member(inspection, make_user("lead"), Membership.Role.LEAD).user


@pytest.fixture
def inspector(inspection):
    return add_member(inspection, make_user("inspector"), Membership.Role.INSPECTOR).user


@pytest.fixture
def local_assessor(inspection):
    return add_member(inspection, make_user("assessor"), Membership.Role.LOCAL_ASSESSOR).user


@pytest.fixture
def other_inspection_member(mini_framework):
    """An inspector on a different area's inspection."""
    other = make_inspection(slug="elsewhere-2007", framework="mini-test", area="Elsewhere")
    return add_member(other, make_user("other_inspector"), Membership.Role.INSPECTOR).user


@pytest.fixture
def case(inspection, inspector):
    """A community case allocated to the inspector (all mini-test questions apply)."""
    return make_case(inspection, "C001", case_type="community", ppo=False, assessor=inspector)


@pytest.fixture
def admin_user(db):
    return make_user("admin", is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(db):
    return make_user("outsider")


# Blind second marking (tests/second_marking_helpers.py).


@pytest.fixture
def first(inspection, inspector):
    """Case C001, assessed and submitted by the inspector."""
    from tests.second_marking_helpers import assessed_case

    return assessed_case(inspection, inspector)


@pytest.fixture
def marking(lead, first, local_assessor):
    """C001 given to the local assessor for second marking, not started."""
    from tests.second_marking_helpers import assigned

    return assigned(lead, first, local_assessor)


@pytest.fixture
def completed(lead, first, local_assessor):
    """C001 second-marked by the local assessor, disagreeing on 1.1.03 and the summary 1.1.S."""
    from tests.second_marking_helpers import second_marked

    return second_marked(lead, first, local_assessor, {"1.1.03": "too_high", "1.1.S": "no"})
