"""Django's own Redis cache backend, with one Redis client per connection pool instead of one per operation.

Django's RedisCacheClient builds a new redis.Redis object for every cache call, and redis-py fills some
170 response callbacks into each new object: on a cached page, that is a fifth of the time spent outside the
middleware. A redis.Redis object only borrows a connection from its pool while a command runs, so one may
serve every call (redis-py documents client objects as safe to share between threads)."""

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
