"""Staff accounts: lockout after failed log-ins (django-axes), the TOTP second factor, the admin's session."""

from datetime import timedelta

import axes.handlers.proxy
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
VERIFY = "/admin/verify/"
PASSWORD = "pw-editor-123"  # the editor fixture's


def log_in(client, username="editor", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra)


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now for the device (or that many 30-second steps later)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead):06d}"


@pytest.fixture
def boss(django_user_model):
    return django_user_model.objects.create_superuser("boss", password="pw-boss-123")


@pytest.fixture
def require_2fa(settings):
    settings.NEWSROOM_REQUIRE_2FA = True


def device_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


# Lockout ------------------------------------------------------------------------------------------------------


def test_wrong_passwords_lock_out_and_then_even_the_right_one_fails(client, editor, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, password="wrong")
        assert response.status_code == 200  # the form again, with Django's own message
        assert "Please enter the correct username and password" in response.content.decode()

    locked = log_in(client, password="wrong")
    assert locked.status_code == 429
    assert "Too many failed log-in attempts. Try again in 15 minutes." in locked.content.decode()
    assert locked["Retry-After"] == str(15 * 60)

    right = log_in(client)
    assert right.status_code == 429
    assert "Too many failed log-in attempts" in right.content.decode()
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_the_lockout_ends_after_the_cool_off(client, editor, settings, monkeypatch):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, password="wrong")
    assert log_in(client).status_code == 429

    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    monkeypatch.setattr(axes.handlers.proxy, "now", lambda: later)  # the clock axes reads each attempt's time from

    assert log_in(client).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_right_password_forgets_the_earlier_failures(client, editor, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, password="wrong")
    assert log_in(client).status_code == 302
    client.post(reverse("admin:logout"))

    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, password="wrong").status_code == 200
    assert log_in(client).status_code == 302


def test_the_lockout_is_for_that_user_from_that_address(client, editor, django_user_model, settings):
    django_user_model.objects.create_user("colleague", password="pw-colleague-1", is_staff=True)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, password="wrong")

    # Nobody can lock a colleague out from elsewhere, and one person's typos do not lock out the whole office.
    assert log_in(client, REMOTE_ADDR="192.0.2.7").status_code == 302
    assert log_in(client, username="colleague", password="pw-colleague-1").status_code == 302


def test_a_forged_forwarded_for_header_does_not_lift_the_lockout(client, editor, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, password="wrong")

    assert log_in(client, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429


@pytest.mark.arabic_default
def test_the_lockout_page_is_in_the_interface_language(client, editor, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, password="wrong")

    html = response.content.decode()
    assert response.status_code == 429
    assert 'lang="ar" dir="rtl"' in html
    assert 'id="lockout"' in html and 'id="login-form"' in html


# Second factor ------------------------------------------------------------------------------------------------


def test_a_superuser_is_asked_for_a_code_and_gets_in_with_a_valid_one(client, boss, require_2fa):
    device = device_for(boss)

    response = log_in(client, username="boss", password="pw-boss-123")
    assert response.status_code == 302
    admin = client.get("/admin/")
    assert admin.status_code == 302 and admin["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    page = client.get(admin["Location"])
    assert page.status_code == 200 and 'name="token"' in page.content.decode()

    verified = client.post(VERIFY, {"token": code_for(device), "next": "/admin/"})

    assert verified.status_code == 302 and verified["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/articles/article/").status_code == 200


def test_without_the_code_the_admin_and_every_other_door_refuse(client, boss, require_2fa, seed_story):
    device_for(boss)
    log_in(client, username="boss", password="pw-boss-123")

    for path in (
        "/admin/",
        "/admin/articles/article/",
        "/admin/my-token/",
        f"/admin/articles/article/{seed_story.pk}/change/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), path
    # Elsewhere the half-logged-in user is anonymous: no previews, no writes through the API's session login.
    assert client.get(f"/preview/articles/{seed_story.pk}/")["Location"].startswith(reverse("admin:login"))
    assert client.post("/api/v1/articles/", {"headline": "x"}, content_type="application/json").status_code == 401


def test_a_wrong_code_is_refused_and_a_used_code_cannot_be_used_again(client, boss, require_2fa, django_user_model):
    device = device_for(boss)
    log_in(client, username="boss", password="pw-boss-123")

    wrong = client.post(VERIFY, {"token": "000000" if code_for(device) != "000000" else "111111", "next": "/admin/"})
    assert wrong.status_code == 200
    assert "This code is wrong, has expired or was used already" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    # A code seen over someone's shoulder, typed into a second browser after the owner used it, is refused.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    code = code_for(device)
    assert client.post(VERIFY, {"token": code, "next": "/admin/"}).status_code == 302
    other = client.__class__()
    log_in(other, username="boss", password="pw-boss-123")
    replay = other.post(VERIFY, {"token": code, "next": "/admin/"})
    assert replay.status_code == 200
    assert "This code is wrong, has expired or was used already" in replay.content.decode()


def test_codes_in_arabic_indic_digits_and_with_spaces_are_read(client, boss, require_2fa):
    device = device_for(boss)
    log_in(client, username="boss", password="pw-boss-123")
    code = code_for(device)
    typed = code[:3].translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) + " " + code[3:]

    for not_digits in ("12³456", "abc123", "\u0663" * 25):
        refused = client.post(VERIFY, {"token": not_digits, "next": "/admin/"})
        assert refused.status_code == 200 and 'class="errornote"' in refused.content.decode(), not_digits
    assert client.post(VERIFY, {"token": typed, "next": "/admin/"}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_superuser_without_a_device_cannot_get_in_when_it_is_required(client, boss, require_2fa):
    log_in(client, username="boss", password="pw-boss-123")

    page = client.get(VERIFY)

    assert 'id="no-device"' in page.content.decode() and "add_totp_device" in page.content.decode()
    assert client.post(VERIFY, {"token": "123456"}).status_code == 200
    assert client.get("/admin/").status_code == 302


def test_without_the_requirement_a_superuser_needs_only_the_password(client, boss):
    log_in(client, username="boss", password="pw-boss-123")

    assert client.get("/admin/").status_code == 200


def test_staff_who_enrolled_a_device_give_a_code_too(client, editor):
    device = device_for(editor)
    log_in(client)

    assert client.get("/admin/")["Location"].startswith(VERIFY)
    assert client.post(VERIFY, {"token": code_for(device), "next": "/admin/"}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_next_address_must_be_on_this_site(client, editor):
    device = device_for(editor)
    log_in(client)

    response = client.post(VERIFY, {"token": code_for(device), "next": "https://evil.example/"})

    assert response["Location"] == "/admin/"


def test_one_can_log_out_from_the_code_page(client, boss, require_2fa):
    device_for(boss)
    log_in(client, username="boss", password="pw-boss-123")
    assert 'id="logout-form"' in client.get(VERIFY).content.decode()

    client.post(reverse("admin:logout"))

    assert client.get(VERIFY)["Location"].startswith(reverse("admin:login"))


def test_readers_pages_are_not_varied_on_the_cookie(client, seed_story):
    response = client.get(seed_story.get_absolute_url())

    assert "cookie" not in response.get("Vary", "").lower()


# add_totp_device ----------------------------------------------------------------------------------------------


def test_add_totp_device_prints_the_uri_of_a_new_device(capsys, editor):
    call_command("add_totp_device", "editor")

    device = TOTPDevice.objects.get(user=editor)
    uri = capsys.readouterr().out.strip()
    assert device.confirmed
    assert uri == device.config_url
    assert uri.startswith("otpauth://totp/Newsroom%3Aeditor?secret=") and "issuer=Newsroom" in uri


def test_add_totp_device_refuses_a_second_device_unless_asked_to_replace(capsys, editor):
    call_command("add_totp_device", "editor")
    first = TOTPDevice.objects.get(user=editor)

    with pytest.raises(CommandError, match="already has a TOTP device"):
        call_command("add_totp_device", "editor")
    call_command("add_totp_device", "editor", "--replace", "--name", "new phone")

    (second,) = TOTPDevice.objects.filter(user=editor)
    assert second.pk != first.pk and second.key != first.key and second.name == "new phone"


def test_add_totp_device_names_an_unknown_user():
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("add_totp_device", "nobody")


# Sessions -----------------------------------------------------------------------------------------------------


def test_a_log_in_lasts_a_working_shift(client, editor, settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is False

    log_in(client)

    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 12 * 60 * 60


def test_sessions_can_end_when_the_browser_closes(client, editor, settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True

    log_in(client)

    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""
