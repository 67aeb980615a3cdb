"""Django's own Redis cache backend, with one Redis client per connection pool instead of one per operation, and
a counter that costs one round trip (count(), for the API's rate limits).

Django's RedisCacheClient builds a new redis.Redis object for every cache call, and redis-py fills some
170 response callbacks into each new object: on a cached page, that is a fifth of the time spent outside the
middleware. A redis.Redis object only borrows a connection from its pool while a command runs, so one may
serve every call (redis-py documents client objects as safe to share between threads)."""

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClients(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(index))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClients

    def count(self, key: str, *, timeout: int) -> int:
        """Add one to the counter at `key`, made by its first count to last `timeout` seconds; the new value.
        One round trip: INCR, and EXPIRE NX (which sets a lifetime only where there is none)."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        with client.pipeline(transaction=False) as pipeline:
            value, _set = pipeline.incr(key).expire(key, timeout, nx=True).execute()
        return int(value)


def count(cache: BaseCache, key: str, *, timeout: int) -> int:
    """Add one to the counter at `key` in `cache` (made by the first count, to last `timeout` seconds) and
    return its value: one round trip on Redis, add and incr (each atomic) on any other cache."""
    if isinstance(cache, RedisCache):
        return cache.count(key, timeout=timeout)
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # gone between the two calls (its lifetime ended): this count starts the next one
        cache.add(key, 0, timeout)
        return cache.incr(key)
