"""Operations: the client's address behind proxies, database time-outs, the demo account, start-up refusals of
hosts and origins, and the API's 404 in the reader's language."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from newsroom.security import client_ip


def forwarded(entry: str, remote: str = "10.0.0.2"):
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers={"x-forwarded-for": f"198.51.100.1, {entry}"})


@pytest.fixture
def one_trusted_proxy(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("203.0.113.9:51234", "203.0.113.9"),  # Azure's address:port
        (" 203.0.113.9 ", "203.0.113.9"),
        ("2001:db8::1", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("fe80::1%eth0", "fe80::1"),
        ("not-an-ip", "10.0.0.2"),
        ("unknown", "10.0.0.2"),
        ("203.0.113.9:port", "10.0.0.2"),
        ("999.0.113.9", "10.0.0.2"),
        ("[2001:db8::1", "10.0.0.2"),
        ("", "10.0.0.2"),
    ],
)
def test_client_ip_reads_the_trusted_entry_as_an_address(one_trusted_proxy, entry, expected):
    assert client_ip(forwarded(entry)) == expected


def test_client_ip_is_empty_when_nothing_names_an_address(one_trusted_proxy):
    assert client_ip(forwarded("not-an-ip", remote="")) == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("entry", "recorded"),
    [("203.0.113.9:51234", "203.0.113.9"), ("[2001:db8::1]:443", "2001:db8::1"), ("not-an-ip", "127.0.0.1")],
)
def test_a_failed_admin_login_behind_a_proxy_that_writes_ports_is_counted_under_the_address(
    client, editor, one_trusted_proxy, entry, recorded
):
    # django-axes writes the address to an inet column on PostgreSQL: a port or a word there was a 500.
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "wrong", "next": "/admin/"},
        headers={"x-forwarded-for": entry},
    )

    assert response.status_code == 200
    assert list(AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")) == [
        ("editor", recorded, 1)
    ]
