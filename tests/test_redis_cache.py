"""The Redis cache backend (newsroom/cache.py): Django's own, with one client per connection pool."""

import threading

from newsroom.cache import RedisCache


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
