from django.urls import reverse

from inspections.models import Framework


def test_list_shows_frameworks_and_frozen_state(client, inspector, inspection):
    client.force_login(inspector)
    response = client.get(reverse("framework_list"))
    assert response.status_code == 200
    assert b"Miniature test framework" in response.content
    assert b"Frozen" in response.content


def test_detail_shows_sections_rules_attributes_scales(client, inspector):
    client.force_login(inspector)
    response = client.get(reverse("framework_detail", args=["mini-test", "1"]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Preparing for sentence" in content
    assert "weighted 80/20" in content
    assert "Line of priority for improvement: 69%" in content
    assert "Community order" in content
    assert "Too high" in content
    assert "PPO cases" in content


def test_criterion_page_shows_questions_applicability_guidance(client, inspector):
    client.force_login(inspector)
    response = client.get(reverse("criterion_detail", args=["mini-test", "1", "1.1"]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Was the report on time?" in content
    assert "Cases where Type of case: Community order" in content
    assert "Only when question 1.1.01 was answered ‘Yes’" in content
    assert "Recorded only; not scored" in content
    assert "Summary question of 1.1" in content
    assert "Risk of Harm thread" in content


def test_leadership_criterion_page(client, inspector):
    client.force_login(inspector)
    response = client.get(reverse("criterion_detail", args=["mini-test", "1", "2.1"]))
    assert b"graded by the inspectors" in response.content


def test_unknown_framework_or_criterion_is_404(client, inspector):
    client.force_login(inspector)
    assert client.get(reverse("framework_detail", args=["mini-test", "9"])).status_code == 404
    assert client.get(reverse("criterion_detail", args=["mini-test", "1", "9.9"])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, mini_framework):
    response = client.get(reverse("framework_detail", args=["mini-test", "1"]))
    assert response.status_code == 302


def test_real_framework_pages_render(client, frameworks, outsider, django_assert_max_num_queries):
    client.force_login(outsider)
    for framework in Framework.objects.all():
        response = client.get(reverse("framework_detail", args=[framework.code, framework.version]))
        assert response.status_code == 200
        for criterion in framework.criteria.all():
            with django_assert_max_num_queries(14):
                page = client.get(reverse("criterion_detail", args=[framework.code, framework.version, criterion.code]))
            assert page.status_code == 200
