"""Every judgement target of every shipped framework, posted as the lead would and as a hand-made form
would: never a 500. Before, a headline judgement on an OMI 2006 inspection was a 500 (KeyError:
'comment_scale'), because the posted kind was trusted."""

import pytest
from django.urls import reverse

from inspections.models import Framework, Membership
from scoring.models import Judgement
from scoring.scores import judgement_options
from scoring.services import judgement_kinds
from tests.factories import add_member, make_inspection, make_user

KINDS = [*Judgement.Kind.values, "bogus"]


def targets(definition):
    yield from (("criterion", c["code"]) for s in definition["sections"] for c in s["criteria"])
    yield from (("headline", h["code"]) for h in definition["headlines"])


@pytest.mark.parametrize("code", ["omi-2006", "omi2-2009", "iaow-2013"])
def test_every_target_and_kind_answers_without_a_server_error(client, frameworks, code):
    framework = Framework.objects.get(code=code)
    inspection = make_inspection(slug=f"{code}-test", framework=code, area=f"Area {code}")
    lead = add_member(inspection, make_user(f"lead-{code}"), Membership.Role.LEAD).user
    client.force_login(lead)
    definition = framework.definition
    recorded = expectable = 0
    tried_every_kind: set[tuple[str, str | None]] = set()
    for target, target_code in targets(definition):
        url = reverse("save_judgement", args=[inspection.slug, target, target_code])
        expected = next(iter(judgement_kinds(definition, target, target_code)), None)
        expectable += expected is not None
        # Every kind on the first target of each sort (criterion or headline, by what it takes); on the
        # others the kind the lead's form posts (or, where nothing is recorded, what a hand-made form might).
        sort = (target, expected)
        kinds = KINDS if sort not in tried_every_kind else [expected or Judgement.Kind.COMMENT]
        tried_every_kind.add(sort)
        for kind in kinds:
            values = [o["code"] for o in judgement_options(definition, kind, target)] if kind == expected else ["x"]
            for value in values[:1]:
                response = client.post(url, {"kind": kind, "value": value, "reason": "Checked by hand"})
                assert response.status_code in (302, 400), (target, target_code, kind, response.status_code)
                saved = Judgement.objects.filter(inspection=inspection, target=target, code=target_code, kind=kind)
                assert saved.exists() == (kind == expected and expected is not None), (target, target_code, kind)
                recorded += saved.exists()
    assert recorded == expectable  # every target that takes a judgement took one


def test_a_headline_judgement_on_omi_2006_is_refused_with_a_message(client, frameworks):
    inspection = make_inspection(slug="cumbria-2006", framework="omi-2006", area="Cumbria")
    lead = add_member(inspection, make_user("lead"), Membership.Role.LEAD).user
    client.force_login(lead)
    headline = Framework.objects.get(code="omi-2006").definition["headlines"][0]["code"]
    url = reverse("save_judgement", args=[inspection.slug, "headline", headline])
    response = client.post(url, {"kind": "comment", "value": "minimum"})
    assert response.status_code == 400
    assert f"The framework records no comment on {headline}." in response.content.decode()
    assert not Judgement.objects.exists()
