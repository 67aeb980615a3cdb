"""The API's rate limits (articles/api/throttling.py): a counter per client and clock window, one round trip on
Redis, shared by every server; 429 with the seconds left in the window."""

import threading

import pytest
from django.core.cache import caches

from articles.api import throttling
from newsroom.cache import RedisCache, count

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The throttles' clock, set by the test: clock.now = seconds since the epoch."""

    class Clock:
        now = 60 * 16_667 + 20.0  # 20 s into a minute

    monkeypatch.setattr(throttling.FixedWindow, "timer", lambda self: Clock.now, raising=False)
    return Clock


def test_the_third_request_in_a_minute_waits_for_the_next_one(api, throttle_rates, clock):
    throttle_rates(anon="2/minute")

    statuses = [api.get("/api/v1/articles/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    refused = api.get("/api/v1/articles/")
    assert refused.status_code == 429 and refused["Retry-After"] == "40"
    assert "detail" in refused.json()
    clock.now += 40  # the next minute
    assert api.get("/api/v1/articles/").status_code == 200


def test_a_client_s_count_is_one_number_whatever_its_rate(api, throttle_rates, clock):
    """Not DRF's list of every request's time, which grows with the rate and is copied whole each request."""
    throttle_rates(anon="1000000/minute")
    for _ in range(50):
        api.get("/api/v1/articles/")

    key = f"throttle_anon_127.0.0.1:{int(clock.now // 60)}"
    assert caches["default"].get(key) == 50


def test_clients_with_credentials_are_counted_by_user_and_not_also_as_anonymous(
    api, editor, throttle_rates, clock, django_user_model
):
    throttle_rates(anon="1/minute", user="2/minute")
    other = django_user_model.objects.create_user("other-editor", password="x")

    api.force_authenticate(editor)
    as_editor = [api.get("/api/v1/articles/").status_code for _ in range(3)]
    api.force_authenticate(other)  # same address, another user: a count of its own
    as_other = api.get("/api/v1/articles/").status_code
    api.force_authenticate(None)
    anonymous = [api.get("/api/v1/articles/").status_code for _ in range(2)]

    assert as_editor == [200, 200, 429] and as_other == 200
    assert anonymous == [200, 429]  # the anonymous rate alone, not also the users' one by address


def test_the_counter_is_counted_once_per_call_by_servers_at_once(redis_cache):
    """Two servers (two cache objects on one Redis), eight threads each: every count is one, none lost, and the
    counter ends its life with its window."""
    from django.conf import settings

    other_server = RedisCache(settings.CACHES["default"]["LOCATION"], {"KEY_PREFIX": redis_cache.key_prefix})
    assert isinstance(redis_cache, RedisCache)
    results = []

    def work(cache):
        for _ in range(25):
            results.append(count(cache, "throttle_test:1", timeout=61))

    threads = [threading.Thread(target=work, args=(c,)) for c in [redis_cache, other_server] * 8]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == list(range(1, 401))
    assert redis_cache.get("throttle_test:1") == 400
    client = redis_cache._cache.get_client()
    assert 0 < client.ttl(redis_cache.make_key("throttle_test:1")) <= 61


def test_a_counter_outside_redis_counts_too(settings):
    from django.core.cache import cache

    assert [count(cache, "throttle_test:local", timeout=61) for _ in range(3)] == [1, 2, 3]


def test_a_client_behind_a_proxy_that_writes_its_port_is_one_client(api, throttle_rates, clock, settings):
    """Behind one trusted proxy that writes "address:port" (Azure's), each of a client's connections comes from
    another port: counted under the address, as the comment limits and the log-in lockout count it."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    throttle_rates(anon="2/minute")

    statuses = [
        api.get("/api/v1/articles/", HTTP_X_FORWARDED_FOR=f"203.0.113.9:{port}").status_code
        for port in (50001, 50002, 50003)
    ]

    assert statuses == [200, 200, 429]
    assert api.get("/api/v1/articles/", HTTP_X_FORWARDED_FOR="203.0.113.10:50004").status_code == 200
