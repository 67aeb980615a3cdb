"""The Redis cache backend (newsroom/cache.py): Django's own, with one client per connection pool."""

import threading
import time

import pytest

from newsroom.cache import Direct, Near, RedisCache, near


def test_every_call_goes_through_one_client_per_pool(redis_cache):
    assert isinstance(redis_cache, RedisCache)
    client = redis_cache._cache.get_client()
    redis_cache.set("a", 1)
    redis_cache.get_many(["a", "b"])
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client("a") is client


def test_the_shared_client_answers_each_caller_its_own_values(redis_cache):
    """Threads share the client but never a connection mid-command: each reads back exactly what it wrote."""
    wrong = []

    def work(me: int) -> None:
        for n in range(200):
            redis_cache.set(f"thread-{me}", (me, n))
            value = redis_cache.get_many([f"thread-{me}"])[f"thread-{me}"]
            if value != (me, n):
                wrong.append((me, n, value))

    threads = [threading.Thread(target=work, args=(me,)) for me in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


# Near: the keys under a prefix, kept in this process and exact.


def second_cache(redis_cache):
    """Another server's view of the same Redis and the same keys: a cache object of its own."""
    return RedisCache(redis_cache._servers[0], {"KEY_PREFIX": redis_cache.key_prefix})


def commands(cache):
    """Count the round trips `cache` makes for reads (get_many, get) from now on."""
    from unittest import mock

    return mock.patch.object(cache, "get_many", wraps=cache.get_many)


def test_watched_keys_are_read_once_then_from_memory(redis_cache):
    redis_cache.set_many({"p:generation": 1, "p:at": 2})
    kept = near(redis_cache, "p:", max_bytes=1000)

    with commands(redis_cache) as trips:
        first = kept.get_many(["p:generation", "p:at"])
        second = kept.get_many(["p:generation", "p:at"])

    assert first == second == {"p:generation": 1, "p:at": 2}
    assert trips.call_count == 1


def test_a_change_made_elsewhere_is_seen_by_the_next_read(redis_cache):
    redis_cache.set("p:generation", 1)
    kept = near(redis_cache, "p:", max_bytes=1000)
    other = second_cache(redis_cache)
    assert kept.get_many(["p:generation"]) == {"p:generation": 1}

    other.incr("p:generation")
    assert kept.get_many(["p:generation"]) == {"p:generation": 2}
    other.delete("p:generation")
    assert kept.get_many(["p:generation"]) == {}
    other.set("p:generation", 7)
    assert kept.get_many(["p:generation"]) == {"p:generation": 7}


def test_what_is_remembered_is_forgotten_when_a_watched_key_changes(redis_cache):
    redis_cache.set("p:generation", 1)
    kept = near(redis_cache, "p:", max_bytes=1000)
    kept.get_many(["p:generation"])
    kept.remember("page", (1, b"old page"), size=8, seconds=60)
    assert kept.recall("page") == (1, b"old page")

    second_cache(redis_cache).incr("p:generation")
    assert kept.recall("page") == (1, b"old page")  # nothing is read before the next get_many
    assert kept.get_many(["p:generation"]) == {"p:generation": 2}
    assert kept.recall("page") is None


def test_with_a_reset_named_what_is_remembered_goes_with_its_own_key_or_the_reset(redis_cache):
    """The pages' processes name the generation as the reset: a story's clock or another page changing leaves a
    remembered page alone (it carries what it was current for), its own key changing or the generation forgets."""
    redis_cache.set_many({"p:generation": 1, "p:at": 2})
    kept = near(redis_cache, "p:", max_bytes=1000, resets=["p:generation"])
    other = second_cache(redis_cache)
    kept.get_many(["p:generation", "p:at"])
    kept.remember("p:page:1", "one", size=3, seconds=60)
    kept.remember("p:page:2", "two", size=3, seconds=60)

    other.set("p:at", 3)
    other.set("p:page:2", "two again")
    with commands(redis_cache) as trips:
        assert kept.get_many(["p:generation", "p:at"]) == {"p:generation": 1, "p:at": 3}
    assert trips.call_args.args[0] == ["p:at"]  # the changed key alone is read again
    assert kept.recall("p:page:1") == "one" and kept.recall("p:page:2") is None

    other.incr("p:generation")
    assert kept.get_many(["p:generation"]) == {"p:generation": 2}
    assert kept.recall("p:page:1") is None


def test_a_recent_key_is_known_absent_once_every_change_since_the_reset_was_told(redis_cache):
    """A story's first read in a generation asks for nothing: its clock and its page exist only when written since
    the generation moved on, and this process was told of each such write (an epoch, from a reset it was told
    of). Before the first reset, after a write to the key, or when the reset's value is not known, it asks."""
    redis_cache.set_many({"p:generation": 1, "p:story:7": 70, "p:page:7": "seven"})
    kept = near(redis_cache, "p:", max_bytes=1000, resets=["p:generation"])
    other = second_cache(redis_cache)
    asked = ["p:generation", "p:story:7"]

    def read(story: int):
        watched, page = ["p:generation", f"p:story:{story}"], f"p:page:{story}"
        with commands(redis_cache) as trips:
            values = kept.get_many(watched, also=[page], recent=[f"p:story:{story}", page])
        return values, [call.args[0] for call in trips.call_args_list]

    # No epoch yet (connected, no reset told): everything is asked for.
    assert read(7) == ({"p:generation": 1, "p:story:7": 70, "p:page:7": "seven"}, [[*asked, "p:page:7"]])
    other.incr("p:generation")  # an epoch starts
    other.delete_many(["p:story:7", "p:page:7"])  # (as the generation's move deletes the clocks)
    # The reset's own value is read first (and the recent keys with it, in that round trip)...
    assert read(8) == ({"p:generation": 2}, [["p:generation", "p:story:8", "p:page:8"]])
    # ...then a key no one wrote since is known absent without asking.
    assert read(9) == ({"p:generation": 2}, [])
    assert read(7) == ({"p:generation": 2}, [["p:story:7", "p:page:7"]])  # told of their deletion: asked
    other.set("p:story:9", 90)
    other.set("p:page:9", "nine")
    assert read(9) == ({"p:generation": 2, "p:story:9": 90, "p:page:9": "nine"}, [["p:story:9", "p:page:9"]])
    assert read(9)[1] == [["p:page:9"]]  # the clock is watched now; a page is asked for unless remembered

    # A process that stops noting keys (too many in one epoch) asks again until the next reset.
    kept.MAX_NOTICED = 0
    other.set("p:story:10", 1)
    assert read(11)[1] == [["p:story:11", "p:page:11"]]
    kept.MAX_NOTICED = Near.MAX_NOTICED
    other.incr("p:generation")
    read(12)
    assert read(13) == ({"p:generation": 3}, [])


def test_on_resp2_the_notices_are_read_as_well(redis_cache):
    """redis-py speaks RESP3 unless told otherwise, and a notice then comes as a push message; a cache configured
    for RESP2 (OPTIONS protocol 2) hears it as a pub/sub message. Both name the keys."""
    options = {"KEY_PREFIX": redis_cache.key_prefix, "OPTIONS": {"protocol": 2}}
    resp2 = RedisCache(redis_cache._servers[0], options)
    resp2.set_many({"p:generation": 1, "p:at": 5})
    kept = near(resp2, "p:", max_bytes=1000, resets=["p:generation"])
    other = second_cache(redis_cache)
    assert kept.get_many(["p:generation", "p:at"]) == {"p:generation": 1, "p:at": 5}
    assert str(kept._listener.protocol) == "2"

    other.set("p:at", 6)
    with commands(resp2) as trips:
        assert kept.get_many(["p:generation", "p:at"]) == {"p:generation": 1, "p:at": 6}
    assert trips.call_args.args[0] == ["p:at"]  # that key alone: the notice named it
    other.incr("p:generation")
    kept.get_many(["p:generation"])
    with commands(resp2) as trips:
        assert kept.get_many(["p:generation"], also=["p:page:1"], recent=["p:page:1"]) == {"p:generation": 2}
    assert trips.call_count == 0  # an epoch, as on RESP3


def test_emptying_the_cache_starts_no_epoch_until_the_generation_moves(redis_cache):
    """Redis tells every tracking client of a database emptied anywhere on the server, this cache's or another's:
    this cache's keys may all still be there, so no epoch starts until the generation's next move."""
    redis_cache.set("p:generation", 1)
    kept = near(redis_cache, "p:", max_bytes=1000, resets=["p:generation"])
    kept.get_many(["p:generation"])
    second_cache(redis_cache).clear()
    redis_cache.set("p:page:1", "written after the emptying")
    kept.get_many(["p:generation"])  # told of the write
    kept._changed(None)  # as another database's emptying is told, after that write
    kept.get_many(["p:generation"])  # the generation read again
    with commands(redis_cache) as trips:
        assert kept.get_many(["p:generation"], also=["p:page:1"], recent=["p:page:1"]) == {
            "p:page:1": "written after the emptying"
        }
    assert trips.call_count == 1

    redis_cache.set("p:generation", 5)
    kept.get_many(["p:generation"])
    with commands(redis_cache) as trips:
        assert kept.get_many(["p:generation"], also=["p:page:2"], recent=["p:page:2"]) == {"p:generation": 5}
    assert trips.call_count == 0


def in_an_epoch(redis_cache):
    """(a Near told of the generation's move at generation 2, another server's cache)."""
    redis_cache.set("p:generation", 1)
    kept = near(redis_cache, "p:", max_bytes=1000, resets=["p:generation"])
    other = second_cache(redis_cache)
    kept.get_many(["p:generation"])
    other.incr("p:generation")
    kept.get_many(["p:generation"])
    return kept, other


def test_another_database_emptied_leaves_the_keys_this_process_was_told_of_asked_for(redis_cache):
    """A clock written in the epoch, then another database of the same server emptied: the clock is still there
    and still read (it was once taken as absent: the story's page answered its ETag from before its comment)."""
    import redis as redis_py

    url = redis_cache._servers[0].rsplit("/", 1)[0] + "/14"
    elsewhere = redis_py.Redis.from_url(url)
    if elsewhere.dbsize():
        pytest.skip(f"{url} holds keys of someone else's: not emptied by a test")
    kept, other = in_an_epoch(redis_cache)
    other.set("p:story:1", 10)
    assert kept.get_many(["p:generation", "p:story:1"], recent=["p:story:1"])["p:story:1"] == 10

    elsewhere.flushdb()
    time.sleep(0.05)
    kept.get_many(["p:generation"])  # told of the emptying; the generation read again
    assert kept.get_many(["p:generation", "p:story:1"], recent=["p:story:1"]) == {"p:generation": 2, "p:story:1": 10}
    assert kept.get_many(["p:generation"], also=["p:page:3"], recent=["p:page:3"]) == {"p:generation": 2}


def test_a_key_named_with_the_reset_in_one_notice_is_noted_in_the_new_epoch(redis_cache):
    """Redis names the keys changed in one turn of its loop in one notice, in the order of their names: a key
    written after the reset may be named before it."""
    kept, _other = in_an_epoch(redis_cache)
    client = redis_cache._cache.get_client(write=True)
    client.eval(
        "redis.call('INCR', KEYS[1]); redis.call('SET', KEYS[2], ARGV[1]); return 1",
        2,
        redis_cache.make_key("p:generation"),
        redis_cache.make_key("p:a-page"),  # sorts before p:generation
        redis_cache._cache._serializer.dumps("written after the move"),
    )
    time.sleep(0.05)
    assert kept.get_many(["p:generation"]) == {"p:generation": 3}  # told; the generation read again
    assert kept.get_many(["p:generation"], also=["p:a-page"], recent=["p:a-page"]) == {
        "p:generation": 3,
        "p:a-page": "written after the move",
    }


def test_a_health_check_in_the_options_swallows_no_notice(redis_cache, monkeypatch):
    """redis-py's own health check (OPTIONS health_check_interval) reads until it finds its answer, and threw away
    the notices waiting on the listening connection: the listener never runs it."""
    from newsroom import cache as cache_module

    options = {"KEY_PREFIX": redis_cache.key_prefix, "OPTIONS": {"health_check_interval": 1}}
    checked = RedisCache(redis_cache._servers[0], options)
    checked.set("p:generation", 1)
    kept = near(checked, "p:", max_bytes=1000)
    assert kept.get_many(["p:generation"]) == {"p:generation": 1}
    listener = kept._listener
    send = listener.send_command

    def a_change_lands_before_the_ping(*args, **kwargs):
        if args == ("PING",):
            second_cache(redis_cache).set("p:generation", 2)
            time.sleep(0.05)  # its notice waits on the listening connection
        return send(*args, **kwargs)

    monkeypatch.setattr(listener, "send_command", a_change_lands_before_the_ping)
    monkeypatch.setattr(listener, "next_health_check", 0)  # redis-py's check would be due
    now = cache_module.time.monotonic()
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: now + Near.HEALTH_SECONDS)
    kept.get_many(["p:generation"])  # sends Near's own PING
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: now + Near.HEALTH_SECONDS + 1)
    assert kept.get_many(["p:generation"]) == {"p:generation": 2}


def test_a_listening_connection_closed_elsewhere_is_replaced_not_reconnected_untracked(redis_cache):
    """redis-py closes a connection interrupted mid-command; reading from it again would open a plain one, told
    of nothing, whose PINGs are still answered. It is given up and a tracking one opened."""
    redis_cache.set("p:generation", 1)
    kept = near(redis_cache, "p:", max_bytes=1000)
    other = second_cache(redis_cache)
    kept.get_many(["p:generation"])
    kept._listener.disconnect()

    other.set("p:generation", 2)
    assert kept.get_many(["p:generation"]) == {"p:generation": 2}
    other.set("p:generation", 3)
    assert kept.get_many(["p:generation"]) == {"p:generation": 3}  # told: the new connection tracks


def test_an_interrupted_read_of_the_notices_gives_the_connection_up(redis_cache, monkeypatch):
    class Interrupted(BaseException):  # gevent's Timeout, a signal's exception
        pass

    redis_cache.set("p:generation", 1)
    kept = near(redis_cache, "p:", max_bytes=1000)
    kept.get_many(["p:generation"])
    kept.remember("page", "kept", size=4, seconds=60)

    def interrupted(timeout=0):
        raise Interrupted

    monkeypatch.setattr(kept._listener, "can_read", interrupted)
    with pytest.raises(Interrupted):
        kept.get_many(["p:generation"])
    assert kept._listener is None and kept.recall("page") is None
    second_cache(redis_cache).set("p:generation", 2)
    assert kept.get_many(["p:generation"]) == {"p:generation": 2}


def test_keys_outside_the_prefix_move_nothing(redis_cache):
    redis_cache.set("p:generation", 1)
    kept = near(redis_cache, "p:", max_bytes=1000)
    kept.get_many(["p:generation"])
    kept.remember("page", "kept", size=4, seconds=60)

    second_cache(redis_cache).set("q:generation", 5)
    second_cache(redis_cache).set("page", "changed in the cache, not watched")
    with commands(redis_cache) as trips:
        assert kept.get_many(["p:generation"]) == {"p:generation": 1}
    assert trips.call_count == 0
    assert kept.recall("page") == "kept"


def test_emptying_the_cache_forgets_everything(redis_cache):
    redis_cache.set("p:generation", 1)
    kept = near(redis_cache, "p:", max_bytes=1000)
    kept.get_many(["p:generation"])
    kept.remember("page", "kept", size=4, seconds=60)

    second_cache(redis_cache).clear()
    # Known here once Redis's notice reaches this process: on a loaded machine it can land on the listening
    # socket a moment after the other connection's answer (Redis writes both in the same turn of its loop).
    assert kept._listener.can_read(timeout=5)
    assert kept.get_many(["p:generation"]) == {}
    assert kept.recall("page") is None


def test_also_keys_come_from_redis_in_the_same_round_trip(redis_cache):
    redis_cache.set_many({"p:generation": 1, "page": "in redis"})
    kept = near(redis_cache, "p:", max_bytes=1000)
    kept.get_many(["p:generation"])

    with commands(redis_cache) as trips:
        values = kept.get_many(["p:generation"], also=["page"])
    assert values == {"p:generation": 1, "page": "in redis"}
    assert trips.call_count == 1 and trips.call_args.args[0] == ["page"]


def test_a_key_not_watched_before_is_read_alone_with_the_rest_from_memory(redis_cache):
    """A story page's first read asks for its story's clock (usually absent) and the page: the generation and
    the rest are known already, and stay out of the round trip."""
    redis_cache.set_many({"p:generation": 1, "p:at": 2, "page": "in redis"})
    kept = near(redis_cache, "p:", max_bytes=1000)
    kept.get_many(["p:generation", "p:at"])

    with commands(redis_cache) as trips:
        values = kept.get_many(["p:generation", "p:at", "p:story:7"], also=["page"])
        again = kept.get_many(["p:generation", "p:at", "p:story:7"])
    assert values == {"p:generation": 1, "p:at": 2, "page": "in redis"} and again == {"p:generation": 1, "p:at": 2}
    assert trips.call_count == 1 and trips.call_args.args[0] == ["p:story:7", "page"]

    redis_cache.set("p:story:7", 5)  # its creation is a change like any other: everything is read again
    assert kept.get_many(["p:generation", "p:story:7"]) == {"p:generation": 1, "p:story:7": 5}


def test_remembered_values_end_with_their_time_and_the_least_read_go_first(redis_cache, monkeypatch):
    from newsroom import cache as cache_module

    kept = near(redis_cache, "p:", max_bytes=10)
    kept.get_many(["p:generation"])
    kept.remember("a", "A", size=4, seconds=60)
    kept.remember("b", "B", size=4, seconds=1)
    assert kept.recall("a") == "A"  # a is now the most recently read
    kept.remember("c", "C", size=4, seconds=60)  # 12 bytes: b, the least recently read, goes
    assert (kept.recall("a"), kept.recall("b"), kept.recall("c")) == ("A", None, "C")
    kept.remember("huge", "H", size=11, seconds=60)  # larger than the whole memory: not kept
    assert kept.recall("huge") is None

    later = cache_module.time.monotonic() + 61
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: later)
    assert kept.recall("a") is None


def test_a_broken_connection_is_noticed_and_nothing_stale_is_served(redis_cache):
    redis_cache.set("p:generation", 1)
    kept = near(redis_cache, "p:", max_bytes=1000)
    kept.get_many(["p:generation"])
    kept.remember("page", "kept", size=4, seconds=60)
    client = redis_cache._cache.get_client()
    listener_id = [c["id"] for c in client.client_list() if "sub=1" in f"sub={c['sub']}" and c["cmd"] == "subscribe"]

    client.client_kill_filter(_id=listener_id[-1])
    redis_cache.set("p:generation", 2)  # nobody is told: the listening connection is gone
    assert kept.get_many(["p:generation"]) == {"p:generation": 2}
    assert kept.recall("page") is None
    second_cache(redis_cache).set("p:generation", 3)  # listening again
    assert kept.get_many(["p:generation"]) == {"p:generation": 3}


def test_a_connection_that_stops_answering_is_given_up(redis_cache, monkeypatch):
    from newsroom import cache as cache_module

    redis_cache.set("p:generation", 1)
    kept = near(redis_cache, "p:", max_bytes=1000)
    kept.get_many(["p:generation"])
    kept.remember("page", "kept", size=4, seconds=60)
    listener = kept._listener
    now = cache_module.time.monotonic()
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: now + Near.HEALTH_SECONDS)
    kept.get_many(["p:generation"])  # sends the health PING
    monkeypatch.setattr(listener, "can_read", lambda timeout=0: False)  # ...which is never answered
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: now + 2 * Near.HEALTH_SECONDS)

    with commands(redis_cache) as trips:
        assert kept.get_many(["p:generation"]) == {"p:generation": 1}
    assert trips.call_count == 1 and kept.recall("page") is None
    assert kept._listener is not listener


def test_an_answered_ping_keeps_the_connection(redis_cache, monkeypatch):
    from newsroom import cache as cache_module

    redis_cache.set("p:generation", 1)
    kept = near(redis_cache, "p:", max_bytes=1000)
    kept.get_many(["p:generation"])
    listener = kept._listener
    now = cache_module.time.monotonic()
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: now + Near.HEALTH_SECONDS)
    kept.get_many(["p:generation"])
    time.sleep(0.05)  # the PONG arrives
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: now + 2 * Near.HEALTH_SECONDS)

    with commands(redis_cache) as trips:
        assert kept.get_many(["p:generation"]) == {"p:generation": 1}
    assert trips.call_count == 0 and kept._listener is listener


def test_a_forked_process_listens_on_its_own_connection(redis_cache, monkeypatch):
    from newsroom import cache as cache_module

    redis_cache.set("p:generation", 1)
    kept = near(redis_cache, "p:", max_bytes=1000)
    kept.get_many(["p:generation"])
    kept.remember("page", "kept", size=4, seconds=60)
    parents = kept._listener
    monkeypatch.setattr(cache_module.os, "getpid", lambda: -1)

    assert kept.get_many(["p:generation"]) == {"p:generation": 1}
    assert kept._listener is not parents and kept.recall("page") is None


def test_without_a_listening_connection_every_read_goes_to_redis(redis_cache, monkeypatch):
    redis_cache.set("p:generation", 1)
    kept = near(redis_cache, "p:", max_bytes=1000)

    def refused():
        raise ConnectionError("refused")

    monkeypatch.setattr(kept, "_listen", refused)
    with commands(redis_cache) as trips:
        assert kept.get_many(["p:generation"]) == {"p:generation": 1}
        assert kept.get_many(["p:generation"]) == {"p:generation": 1}
    kept.remember("page", "kept", size=4, seconds=60)
    assert trips.call_count == 2 and kept.recall("page") is None


def test_other_caches_keep_nothing(settings):
    from django.core.cache import caches

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    local = caches["default"]
    kept = near(local, "p:", max_bytes=1000)
    local.set("p:generation", 1)
    kept.remember("page", "kept", size=4, seconds=60)

    assert isinstance(kept, Direct) and not isinstance(kept, Near)
    assert kept.get_many(["p:generation"]) == {"p:generation": 1} and kept.recall("page") is None


@pytest.mark.django_db
def test_the_api_s_rate_limits_count_in_one_round_trip_through_django_s_cache_proxy(redis_cache, client, monkeypatch):
    """DRF's throttles hold `django.core.cache.cache`, a proxy to the backend that isinstance() cannot see
    through: the counter must still take the backend's one-round-trip way (INCR and EXPIRE NX in one pipeline),
    not the add-then-incr of other caches (two round trips)."""
    from django.core.cache import cache as proxy

    from newsroom.cache import RedisCache, count

    counted, added = [], []
    real_count = RedisCache.count
    monkeypatch.setattr(RedisCache, "count", lambda self, key, **kw: counted.append(key) or real_count(self, key, **kw))
    monkeypatch.setattr(RedisCache, "add", lambda self, *a, **kw: added.append(a) or True)

    assert count(proxy, "proxy-counter", timeout=5) == 1
    response = client.get("/api/v1/articles/")

    assert response.status_code == 200
    assert len(counted) == 2 and not added  # the proxy's count, then the anonymous rate's


# move_on: a counter, values and deletions in one round trip.


@pytest.fixture(params=["redis", "memory"])
def either_cache(request, settings):
    """Redis (the scripts), and one process's memory (the calls they stand for)."""
    from django.core.cache import caches

    if request.param == "redis":
        return request.getfixturevalue("redis_cache")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mo"}}
    cache = caches["default"]
    cache.clear()
    return cache


def test_move_on_counts_sets_and_deletes_as_the_calls_it_stands_for(either_cache):
    from newsroom.cache import move_on

    cache = either_cache
    cache.set_many({"gone": "x", "also-gone": 2})

    move_on(cache, "counter", start=1_000, values={"at": 12.5, "when": ("ب", 3)}, delete=["gone", "also-gone"])
    assert cache.get("counter") == 1_000  # made at its start
    assert cache.get_many(["at", "when", "gone", "also-gone"]) == {"at": 12.5, "when": ("ب", 3)}

    cache.set("gone", "back")
    move_on(cache, "counter", start=1_000, values={"at": 13.0}, delete=["gone"])
    assert cache.get("counter") == 1_001  # one more, not started again
    assert cache.get("at") == 13.0 and cache.get("gone") is None


def test_move_on_clears_the_clocks_a_registry_lists(either_cache):
    """A story's clock (advance) is listed in a registry; the pages' generation moving on deletes every clock
    listed, and the registry, so that a clock exists only when written in the current generation."""
    from newsroom.cache import advance, move_on

    cache = either_cache
    first = advance(cache, "clock:1", registry="clocks")
    advance(cache, "clock:2", registry="clocks")
    advance(cache, "unlisted")
    assert advance(cache, "clock:1", registry="clocks") > first
    move_on(cache, "counter", start=1, values={"at": 1.0}, delete=["x"])  # nothing to clear: the clocks stay
    assert cache.get_many(["clock:1", "clock:2"]).keys() == {"clock:1", "clock:2"}

    move_on(cache, "counter", start=1, values={"at": 2.0}, delete=["x"], clear="clocks")
    assert cache.get_many(["clock:1", "clock:2", "clocks"]) == {}
    assert cache.get("unlisted") is not None and cache.get_many(["counter", "at"]) == {"counter": 2, "at": 2.0}
    move_on(cache, "counter", start=1, clear="clocks")  # an empty registry: nothing to delete
    assert cache.get("counter") == 3


def test_move_on_is_one_round_trip_and_keeps_the_counters_lifetime(redis_cache):
    from unittest import mock

    from newsroom.cache import move_on

    client = redis_cache._cache.get_client(write=True)
    move_on(redis_cache, "counter", start=5, values={"at": 1.5}, delete=["x"])
    raw = redis_cache.make_and_validate_key("counter")
    assert 0 < client.ttl(raw) <= redis_cache.default_timeout  # as add() would have made it
    assert client.ttl(redis_cache.make_and_validate_key("at")) == -1  # kept with no expiry

    with mock.patch.object(
        client.connection_pool, "get_connection", wraps=client.connection_pool.get_connection
    ) as got:
        move_on(redis_cache, "counter", start=5, values={"at": 2.5}, delete=["x"])
    assert got.call_count == 1
    assert redis_cache.get("counter") == 6 and 0 < client.ttl(raw) <= redis_cache.default_timeout


def test_with_read_replicas_nothing_is_kept_in_the_process(redis_cache):
    """Django reads from any server of LOCATION after the first: a value read from a replica behind the notice
    would be kept as current. With more than one, every read asks."""
    url = redis_cache._servers[0]
    replicated = RedisCache(f"{url},{url}", {"KEY_PREFIX": redis_cache.key_prefix})
    assert type(near(replicated, "p:", max_bytes=1000)) is Direct
    assert type(near(redis_cache, "p:", max_bytes=1000)) is Near
