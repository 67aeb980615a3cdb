"""Recovery codes: single-use stand-ins for a member of staff's authenticator app (django-otp's static tokens),
made by `manage.py add_recovery_codes`, taken on the code page (newsroom/staff.py)."""

import io
import logging

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.staff import recovery_code

pytestmark = pytest.mark.django_db

VERIFY = "/admin/verify/"


@pytest.fixture
def boss(django_user_model, settings):
    settings.NEWSROOM_REQUIRE_2FA = True
    user = django_user_model.objects.create_superuser("boss", password="pw-boss-123")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def codes_for(username: str, *args) -> list[str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("add_recovery_codes", username, *args, stdout=out, stderr=err)
    return out.getvalue().split()


def half_logged_in(client):
    client.post("/admin/login/", {"username": "boss", "password": "pw-boss-123", "next": "/admin/"})
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    return client


def test_the_command_prints_ten_codes_in_two_groups_of_four(boss):
    codes = codes_for("boss")

    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(code) == 9 and code[4] == "-" for code in codes)
    stored = set(StaticToken.objects.filter(device__user=boss).values_list("token", flat=True))
    assert stored == {code.replace("-", "") for code in codes}


def test_new_codes_replace_the_earlier_ones(boss, client):
    first = codes_for("boss")
    second = codes_for("boss", "--count", "3")

    assert len(second) == 3 and StaticDevice.objects.filter(user=boss).count() == 1
    half_logged_in(client)
    refused = client.post(VERIFY, {"token": first[0], "next": "/admin/"})
    assert refused.status_code == 200 and "was used already" in refused.content.decode()
    # A wrong code makes the next attempt wait (django-otp's throttle); this test does not.
    StaticDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert client.post(VERIFY, {"token": second[0], "next": "/admin/"}).status_code == 302


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody"], "no user named 'nobody'"),
        (["boss", "--count", "0"], "--count must be between 1 and 20, not 0"),
        (["boss", "--count", "500"], "--count must be between 1 and 20, not 500"),
    ],
)
def test_the_command_refuses_with_the_reason(boss, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("add_recovery_codes", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert not StaticToken.objects.exists()


def test_codes_back_up_an_authenticator_app_and_are_refused_without_one(django_user_model):
    django_user_model.objects.create_user("reporter", password="pw-reporter-123", is_staff=True)

    with pytest.raises(CommandError, match=r"has no authenticator app.*add_totp_device reporter"):
        call_command("add_recovery_codes", "reporter", stdout=io.StringIO(), stderr=io.StringIO())
    assert not StaticDevice.objects.exists()


def test_a_recovery_code_logs_in_once_and_says_how_many_are_left(boss, client, caplog):
    code = codes_for("boss")[0]
    half_logged_in(client)

    with caplog.at_level(logging.WARNING, logger="newsroom.staff"):
        verified = client.post(VERIFY, {"token": code, "next": "/admin/"}, follow=True)

    assert verified.status_code == 200 and verified.redirect_chain[-1][0] == "/admin/"
    assert "9 are left" in verified.content.decode()
    assert "recovery code used by boss; 9 left" in caplog.text
    other = half_logged_in(client.__class__())
    replay = other.post(VERIFY, {"token": code, "next": "/admin/"})
    assert replay.status_code == 200 and "was used already" in replay.content.decode()
    assert other.get("/admin/").status_code == 302


def test_a_code_is_read_in_any_case_with_or_without_its_hyphen_and_spaces(boss, client):
    code = codes_for("boss")[0]
    half_logged_in(client)

    typed = " " + code.upper().replace("-", " ") + " "
    assert client.post(VERIFY, {"token": typed, "next": "/admin/"}).status_code == 302


@pytest.mark.parametrize("typed", ["abcd-efg", "abcd-efghi", "ابجد-هوزح", "a" * 20, "12³456", "abcd_efgh"])
def test_what_cannot_be_a_code_is_refused_with_what_to_enter(boss, client, typed):
    codes_for("boss")
    half_logged_in(client)

    refused = client.post(VERIFY, {"token": typed, "next": "/admin/"})

    assert refused.status_code == 200
    assert "or one of your recovery codes" in refused.content.decode()
    assert StaticToken.objects.count() == 10


def test_a_nul_character_is_refused_as_the_form_refuses_it_everywhere(boss, client):
    codes_for("boss")
    half_logged_in(client)

    refused = client.post(VERIFY, {"token": "abcd\x00efg", "next": "/admin/"})

    assert refused.status_code == 200 and 'class="errornote"' in refused.content.decode()
    assert StaticToken.objects.count() == 10


def test_wrong_codes_in_a_row_are_throttled_like_the_apps(boss, client):
    codes = codes_for("boss")
    half_logged_in(client)
    for _ in range(3):
        client.post(VERIFY, {"token": "aaaa-aaaa", "next": "/admin/"})

    throttled = client.post(VERIFY, {"token": codes[0], "next": "/admin/"})

    assert throttled.status_code == 200 and "Too many wrong codes in a row" in throttled.content.decode()
    assert StaticToken.objects.count() == 10  # the right code was not spent while throttled


def test_the_code_page_says_recovery_codes_exist_in_arabic(boss, client):
    half_logged_in(client)

    page = client.get(VERIFY, headers={"accept-language": "ar"}).content.decode()

    assert 'aria-describedby="recovery-help"' in page
    assert "رموز الاسترداد" in page


def test_recovery_code_reads_only_what_the_command_prints():
    assert recovery_code("ABCD-2345") == "abcd2345"
    assert recovery_code("abcd 2345") == "abcd2345"
    assert recovery_code("abcd-234") is None
    assert recovery_code("abcd-234٥") is None
