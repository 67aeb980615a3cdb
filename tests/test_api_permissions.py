"""Who may do what: (anonymous, signed in without permissions, editor, superuser) × actions."""

import pytest
from django.contrib.auth.models import Permission

from articles.models import Article
from articles.services.ingest import ingest

pytestmark = pytest.mark.django_db

ACTIONS = ["list", "retrieve_draft", "create", "update", "delete", "ingest"]
EXPECTED = {
    #              list  draft  create update delete ingest
    "anonymous": (200, 404, 401, 401, 401, 401),
    "no_perms": (200, 404, 403, 403, 403, 403),
    "editor": (200, 200, 201, 200, 204, 201),
    "superuser": (200, 200, 201, 200, 204, 201),
}


@pytest.fixture
def users(django_user_model):
    no_perms = django_user_model.objects.create_user("reader", password="pw")
    editor = django_user_model.objects.create_user("desk", password="pw", is_staff=True)
    editor.user_permissions.set(Permission.objects.filter(content_type__app_label="articles"))
    superuser = django_user_model.objects.create_superuser("root", password="pw")
    return {"anonymous": None, "no_perms": no_perms, "editor": editor, "superuser": superuser}


def act(client, action, draft, seed_text):
    if action == "list":
        return client.get("/api/v1/articles/")
    if action == "retrieve_draft":
        return client.get(f"/api/v1/articles/{draft.pk}/")
    if action == "create":
        return client.post("/api/v1/articles/", {"headline": "خبر جديد"}, format="json")
    if action == "update":
        return client.patch(f"/api/v1/articles/{draft.pk}/", {"summary": "x"}, format="json")
    if action == "delete":
        return client.delete(f"/api/v1/articles/{draft.pk}/")
    return client.post("/api/v1/ingest/", {"text": seed_text.replace("قره باغ", "قره باغ اليوم")}, format="json")


@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize("action", ACTIONS)
def test_permission_matrix(api, users, who, action, seed_text):
    draft = ingest(text=seed_text).article
    if users[who]:
        api.force_authenticate(users[who])
    else:
        api.credentials()

    response = act(api, action, draft, seed_text)

    expected = EXPECTED[who][ACTIONS.index(action)]
    if expected in (401, 403) and who == "anonymous":
        assert response.status_code in (401, 403), response.content
    else:
        assert response.status_code == expected, response.content
    if response.status_code >= 400:
        assert "detail" in response.json()
        assert Article.objects.count() == 1


def test_token_authentication(api, users, seed_text):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=users["editor"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert api.post("/api/v1/ingest/", {"text": seed_text}, format="json").status_code == 201


def test_session_authentication_for_the_browsable_api(client, users, seed_text):
    client.force_login(users["editor"])
    draft = ingest(text=seed_text).article

    response = client.get(f"/api/v1/articles/{draft.pk}/", headers={"accept": "text/html"})

    assert response.status_code == 200
    assert b"<html" in response.content


def test_anonymous_clients_are_throttled(api, throttle_rates):
    throttle_rates(anon="3/minute", user="100/minute")

    codes = [api.get("/api/v1/articles/").status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]
    assert "detail" in api.get("/api/v1/articles/").json()


def test_tokens_are_created_with_a_management_command(users):
    import io

    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    out = io.StringIO()
    call_command("drf_create_token", "desk", stdout=out)

    assert Token.objects.get(user=users["editor"]).key in out.getvalue()
