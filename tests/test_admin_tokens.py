"""An editor creates and replaces their own API token in the admin, at /admin/my-token/."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db

URL = "/admin/my-token/"
STORIES = "/api/v1/articles/"


@pytest.fixture
def desk_editor(django_user_model):
    """A member of the Editor group: no permission on tokens in the admin."""
    user = django_user_model.objects.create_user(username="desk", password="pw-desk-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def desk(client, desk_editor):
    client.force_login(desk_editor)
    return client


def new_key(response) -> str:
    return response.context["new_key"]


def test_the_page_is_named_my_token():
    assert reverse("my-token") == URL


def test_the_editor_group_sees_the_page(desk):
    response = desk.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "You have no API token yet." in response.content.decode()


def test_looking_at_the_page_creates_no_token(desk, desk_editor):
    desk.get(URL)

    assert not Token.objects.filter(user=desk_editor).exists()


def test_posting_creates_a_token_shown_once_in_full(desk, desk_editor):
    response = desk.post(URL, HTTP_ACCEPT_LANGUAGE="en")

    key = Token.objects.get(user=desk_editor).key
    assert response.status_code == 200
    assert new_key(response) == key
    assert key in response.content.decode()
    assert "it will not be shown again" in response.content.decode()


def test_an_existing_token_is_shown_by_its_first_six_characters(desk, desk_editor):
    key = Token.objects.create(user=desk_editor).key

    page = desk.get(URL).content.decode()

    assert key[:6] in page
    assert key not in page
    assert key[:7] not in page


def test_the_new_token_authenticates_api_requests(desk, api):
    draft = ArticleFactory()
    key = new_key(desk.post(URL))

    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get(STORIES)

    assert response.status_code == 200
    assert [story["id"] for story in response.json()["results"]] == [draft.pk]  # drafts: an editor's view


def test_replacing_the_token_invalidates_the_old_key(desk, api, desk_editor):
    old = new_key(desk.post(URL))
    new = new_key(desk.post(URL))

    assert old != new
    assert Token.objects.filter(user=desk_editor).count() == 1
    api.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert api.get(STORIES).status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert api.get(STORIES).status_code == 200


def test_replacing_leaves_other_users_tokens_alone(desk, editor):
    other = Token.objects.create(user=editor).key

    desk.post(URL)

    assert Token.objects.filter(key=other, user=editor).exists()


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={URL}"


def test_an_anonymous_post_creates_no_token(client):
    response = client.post(URL)

    assert response.status_code == 302
    assert not Token.objects.exists()


def test_users_who_are_not_staff_are_sent_to_the_login(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="reader", password="pw-reader-123"))

    response = client.get(URL)

    assert response.status_code == 302
    assert not Token.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(desk_editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk_editor)

    response = client.post(URL)

    assert response.status_code == 403
    assert not Token.objects.exists()


def test_the_form_carries_the_csrf_token(desk):
    assert 'name="csrfmiddlewaretoken"' in desk.get(URL).content.decode()


def test_other_methods_are_refused(desk):
    assert desk.delete(URL).status_code == 405


def test_the_page_has_the_admin_s_language_and_direction(desk):
    page = desk.get(URL, HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert '<html lang="ar" dir="rtl">' in page
    assert 'id="site-name"' in page


def test_every_admin_page_links_to_the_own_token_page(editor_client):
    assert 'href="/admin/my-token/"' in editor_client.get("/admin/").content.decode()
