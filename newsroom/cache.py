"""Django's own Redis cache backend, with one Redis client per connection pool instead of one per operation, and
a counter that costs one round trip (count(), for the API's rate limits).

Django's RedisCacheClient builds a new redis.Redis object for every cache call, and redis-py fills some
170 response callbacks into each new object: on a cached page, that is a fifth of the time spent outside the
middleware. A redis.Redis object only borrows a connection from its pool while a command runs, so one may
serve every call (redis-py documents client objects as safe to share between threads)."""

import os
import time
from collections import OrderedDict

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.utils.connection import ConnectionProxy
from redis import ConnectionPool
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

# What a cache server that cannot be reached raises (Redis stopped, restarting, out of the network): the site
# goes on without the cache (docs/caching.md, "When Redis cannot be reached"). The local-memory cache raises
# neither.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class PausingPool(ConnectionPool):
    """redis-py's pool, which after failing to connect, or after a command that failed midway (no answer within the
    read timeout, the connection lost), tries no connection for PAUSE seconds: each call in that time fails at once,
    as an unreachable cache (UNREACHABLE), instead of waiting out the timeout again. On a host that has gone silent,
    or a Redis that accepts connections and never answers, every cache call would otherwise cost a request the whole
    timeout, several times a page; this way a process pays it about once every PAUSE seconds while the outage lasts.
    Near's listening connection, which is not the pool's, keeps to the same pause (refuse_while_paused, pause)."""

    PAUSE = 5.0
    _paused_until = 0.0

    def pause(self) -> None:
        self._paused_until = time.monotonic() + self.PAUSE

    def refuse_while_paused(self) -> None:
        if time.monotonic() < self._paused_until:
            raise RedisConnectionError("Redis could not be reached a moment ago; not tried again yet")

    def get_connection(self, *args, **kwargs):
        self.refuse_while_paused()
        try:
            return super().get_connection(*args, **kwargs)
        except UNREACHABLE:
            self.pause()
            raise

    def release(self, connection) -> None:
        # redis-py closes a connection whose command timed out or broke midway before handing it back; one that
        # answered, an error reply included, comes back open. (A connection that merely went stale between two
        # calls, Redis restarted, is reconnected by get_connection and never fails a command.)
        if connection._sock is None:
            self.pause()
        super().release(connection)


class ReusedClients(RedisCacheClient):
    def __init__(self, servers, pool_class=None, **options):
        super().__init__(servers, pool_class=pool_class or PausingPool, **options)
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
        self._near: dict[str, Near] = {}
        self._scripts = {}

    def near(self, prefix: str, *, max_bytes: int, resets=()) -> "Near":
        """This process's exact copy of the keys under `prefix` (one per prefix; see Near)."""
        found = self._near.get(prefix)
        if found is None:
            found = self._near[prefix] = Near(self, prefix, max_bytes=max_bytes, resets=resets)
        return found

    def advance(self, key: str, *, registry: str | None = None) -> int:
        """See advance(): one round trip, a script Redis runs atomically."""
        keys = [self.make_and_validate_key(name) for name in (key, *([registry] if registry else []))]
        script = self._script(ADVANCE)
        return int(script(keys=keys, args=[time.time_ns() // 1000]))

    def move_on(self, counter: str, *, start: int, values: dict, delete: list[str], clear: str | None = None) -> None:
        """See move_on(): one round trip, a script Redis runs atomically."""
        script = self._script(MOVE_ON)
        timeout = self.get_backend_timeout()
        keys = [self.make_and_validate_key(key) for key in (counter, *values, *delete, *([clear] if clear else []))]
        dumps = self._cache._serializer.dumps
        script(
            keys=keys,
            args=[
                start,
                timeout if timeout is not None else 0,
                len(values),
                1 if clear else 0,
                *(dumps(v) for v in values.values()),
            ],
        )

    def _script(self, source: str):
        """The script `source` registered with the client that writes (redis-py loads it on its first call and
        again if Redis forgot it), kept per client."""
        client = self._cache.get_client(write=True)
        script = self._scripts.get((source, id(client)))
        if script is None:
            script = self._scripts[(source, id(client))] = client.register_script(source)
        return script

    def count(self, key: str, *, timeout: int) -> int:
        """Add one to the counter at `key`, made by its first count to last `timeout` seconds; the new value.
        One round trip: INCR, and EXPIRE NX (which sets a lifetime only where there is none)."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        with client.pipeline(transaction=False) as pipeline:
            value, _set = pipeline.incr(key).expire(key, timeout, nx=True).execute()
        return int(value)


# KEYS[1]: the clock; KEYS[2], when given: the registry the clock's key is added to. ARGV[1]: now. Redis runs a
# script whole, with no other command in between.
ADVANCE = """
local now = tonumber(ARGV[1])
local value = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if value >= now then now = value + 1 end
redis.call('SET', KEYS[1], now)
if KEYS[2] then redis.call('SADD', KEYS[2], KEYS[1]) end
return now
"""


# KEYS[1]: the counter; KEYS[2 … 1 + ARGV[3]]: keys to set to ARGV[5 …] (no expiry); the remaining KEYS: keys to
# delete, the last of them a registry whose members are deleted too when ARGV[4] is 1. ARGV[1]: the counter's
# start where it is not there, ARGV[2]: its lifetime then in seconds (0: none).
MOVE_ON = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('INCR', KEYS[1])
elseif tonumber(ARGV[2]) > 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[1])
end
local set = tonumber(ARGV[3])
for i = 1, set do
  redis.call('SET', KEYS[1 + i], ARGV[4 + i])
end
if ARGV[4] == '1' then
  local members = redis.call('SMEMBERS', KEYS[#KEYS])
  for i = 1, #members do
    redis.call('DEL', members[i])
  end
end
for i = 2 + set, #KEYS do
  redis.call('DEL', KEYS[i])
end
return 1
"""


def _backend(cache):
    """The backend itself: `django.core.cache.cache` (which DRF's throttles hold) is a proxy to the default
    alias's backend, and isinstance() does not see through it."""
    if isinstance(cache, ConnectionProxy):
        return caches[DEFAULT_CACHE_ALIAS]
    return cache


def advance(cache: BaseCache, key: str, *, registry: str | None = None) -> int:
    """Move the clock at `key` on to now, in microseconds since the epoch, or to one past its value where that is
    later (another server's clock ahead): each call leaves a value never held before, which is also about when
    the latest change happened (a page's Last-Modified). Kept with no expiry; returns the new value. With
    `registry`, the clock's key is listed there, for move_on(clear=registry) to delete. Atomic on Redis;
    elsewhere a read and a write each (one process's memory)."""
    cache = _backend(cache)
    if isinstance(cache, RedisCache):
        return cache.advance(key, registry=registry)
    value = max(time.time_ns() // 1000, (cache.get(key) or 0) + 1)
    cache.set(key, value, None)
    if registry:
        cache.set(registry, {*(cache.get(registry) or ()), key}, None)
    return value


def move_on(
    cache: BaseCache, counter: str, *, start: int, values: dict | None = None, delete=(), clear: str | None = None
) -> None:
    """Add one to the counter at `counter` (where it is not there, make it `start`, for the cache's default
    lifetime, as add() would), set each of `values` (kept with no expiry), delete the keys `delete`, and with
    `clear`, every key that registry lists (advance()) and the registry: in one round trip and atomically on
    Redis, a call each on any other cache."""
    cache, values, delete = _backend(cache), dict(values or {}), list(delete)
    if isinstance(cache, RedisCache):
        cache.move_on(counter, start=start, values=values, delete=delete, clear=clear)
        return
    try:
        cache.incr(counter)
    except ValueError:  # not in the cache (first start, eviction, flush)
        cache.add(counter, start)
    for key, value in values.items():
        cache.set(key, value, None)
    if clear:
        delete += [*(cache.get(clear) or ()), clear]
    for key in delete:
        cache.delete(key)


def count(cache: BaseCache, key: str, *, timeout: int) -> int:
    """Add one to the counter at `key` in `cache` (made by the first count, to last `timeout` seconds) and
    return its value: one round trip on Redis, add and incr (each atomic) on any other cache."""
    cache = _backend(cache)
    if isinstance(cache, RedisCache):
        return cache.count(key, timeout=timeout)
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # gone between the two calls (its lifetime ended): this count starts the next one
        cache.add(key, 0, timeout)
        return cache.incr(key)


# Near: what this process keeps of the shared cache, exact.


ABSENT = object()  # a watched key known not to be in the cache


class Direct:
    """What Near offers, on a cache with no way of telling this process of changes (local memory, tests): every
    read goes to the cache, nothing is kept."""

    def __init__(self, cache: BaseCache):
        self._cache = cache

    def get_many(self, keys: list[str], *, also: list[str] = (), recent=()) -> dict:
        return self._cache.get_many([*keys, *also])

    def recall(self, key: str):
        return None

    def remember(self, key: str, value, *, size: int, seconds: float) -> None:
        pass

    def forget(self) -> None:
        """Forget whatever this process holds: the next read asks the cache."""


class Near(Direct):
    """The values of a few keys of the Redis cache, and values that hold as long as those do, kept in this
    process's memory and exact: Redis tells this process of every change to a key under `prefix` (server-assisted
    client-side caching: CLIENT TRACKING in broadcasting mode, its notices sent to this process's own connection
    subscribed to __redis__:invalidate), and each read first takes in what it was told: a changed key is forgotten
    (and read again when next asked for), a change to one of `resets` (the pages' generation) or the cache
    emptied forgets everything. What is remembered (remember()) is forgotten with its own key's change and with a
    reset, and a caller checks what it recalls against the watched values it reads with it (a page carries what
    it was current for); with no reset named, with any change.

    The keys written since the latest reset: this process was told of each (an epoch). So a key that only ever
    exists when written since the reset (`recent` in get_many: a story's own clock, which a new generation
    deletes; a page kept in the current generation) and that this process was not told of is known to be absent,
    and not asked for: most story pages after a publication are read once, and their first read then costs no
    round trip to Redis at all. An epoch starts with a reset this process is told of; until then (after this
    process connects, or when more keys changed in one epoch than it notes) every such key is asked for.

    A change made on any server is known here as soon as Redis's notice reaches this process. Redis queues the
    notice while it makes the change, before its answer to the writer, but the two leave on different sockets:
    the notice can arrive a moment after the writer's answer (well under a millisecond on an idle network,
    longer on a loaded machine), and a read that starts in that moment still sees what this process held, as
    it would have a moment earlier. A connection that breaks is noticed on
    the next read (everything is forgotten, and the next read connects again); one that goes silent without
    breaking is noticed by its PING going unanswered for HEALTH_SECONDS, so that is the longest it can hold
    a stale value. Redis 6 or later (CLIENT TRACKING); RESP2 or RESP3."""

    HEALTH_SECONDS = 5.0
    MAX_WATCHED = 100_000
    MAX_NOTICED = 50_000
    CHANNEL = "__redis__:invalidate"

    def __init__(self, cache: "RedisCache", prefix: str, *, max_bytes: int, resets=()):
        super().__init__(cache)
        self._prefix = cache.make_key(prefix)
        self._unmade_prefix = prefix
        # Notices name the keys as Redis has them: this process can tell which of its keys changed only when the
        # cache's key function writes a key under the prefix as the prefix's own key followed by the rest.
        self._named = cache.make_key(prefix + "-") == self._prefix + "-"
        self._resets = frozenset(resets)
        self._max_bytes = max_bytes
        self._watched: dict | None = None  # the watched keys' values while they are known to be current
        self._kept: OrderedDict[str, tuple[object, int, float]] = OrderedDict()  # key: (value, size, until)
        self._bytes = 0
        # The keys changed in this epoch, by their hash (a few MB at most; two keys of one hash only cost a read);
        # None: no epoch.
        self._noticed: set[int] | None = None
        self._listener = None
        self._pid = None
        self._pinged_at = 0.0
        self._ponged = True

    # The notices

    def _listen(self) -> None:
        client = self._cache._cache.get_client(write=False)
        pool = client.connection_pool
        # Not tried while the pool pauses after a failure, and a failure here pauses it: each request would otherwise
        # wait out the timeout again on a Redis that accepts connections and never answers, once for each Near.
        pausing = isinstance(pool, PausingPool)
        if pausing:
            pool.refuse_while_paused()
        # Never repaired behind this process's back: redis-py's health check reads (and drops) waiting notices
        # until it finds its answer, and a retry or a health check may reconnect the connection as a plain one,
        # no longer tracking, whose PINGs are still answered. A listener that fails is dropped here (_drop).
        # The cache's read timeout (socket_timeout) bounds its connecting and the three answers below, as any
        # command's; notices are then read only once they have come (timeout=0), so a quiet listener never times out.
        listener = pool.connection_class(
            **{
                **pool.connection_kwargs,
                "health_check_interval": 0,
                "retry_on_timeout": False,
                "retry_on_error": [],
                "retry": Retry(NoBackoff(), 0),
            }
        )
        try:
            # On RESP3 a notice comes as a push message, which the parser hands to this handler: the notice itself.
            listener._parser.invalidation_push_handler_func = _said
            listener.send_command("CLIENT", "ID")
            me = listener.read_response()
            # Notices of changes under the prefix, made by any connection, to this very connection.
            listener.send_command("CLIENT", "TRACKING", "ON", "REDIRECT", me, "BCAST", "PREFIX", self._prefix)
            listener.read_response()
            listener.send_command("SUBSCRIBE", self.CHANNEL)
            listener.read_response(push_request=True)
        except Exception as error:
            listener.disconnect()
            if pausing and isinstance(error, UNREACHABLE):
                pool.pause()
            raise
        self._listener, self._pid = listener, os.getpid()
        self._pinged_at, self._ponged = time.monotonic(), True

    def _forget(self, *, epoch: bool = False) -> None:
        """Forget everything; with `epoch`, a new epoch starts (a reset this process was told of)."""
        self._watched = None
        self._kept.clear()
        self._bytes = 0
        self._noticed = set() if epoch and self._named else None

    def forget(self) -> None:
        self._forget()

    def _drop(self) -> None:
        self._forget()
        if self._listener is not None:
            self._listener.disconnect()
            self._listener = None

    def _changed(self, keys) -> None:
        """What a notice says: these keys (as Redis names them) changed; None: a database was emptied."""
        if keys is None:
            # Any database of the server, not only this cache's (Redis tells every tracking client of a FLUSHDB
            # anywhere): this cache's keys may all still be there, those this process was never told of too. So
            # no epoch starts; the next move of the generation starts one.
            self._forget()
            return
        if not self._named:
            self._forget()
            return
        names, reset = [], False
        for made in keys:
            made = made.decode() if isinstance(made, bytes) else str(made)
            if not made.startswith(self._prefix):
                continue
            name = self._unmade_prefix + made[len(self._prefix) :]
            if name in self._resets:
                reset = True
            else:
                names.append(name)
        if reset:
            # A notice names the keys changed in one turn of Redis's loop in the order of their names, not of their
            # changes: each other key it names may have changed after the reset, so it is noted in the new epoch.
            self._forget(epoch=True)
        if names and not self._resets:  # no reset named: what is remembered holds while nothing changes
            self._kept.clear()
            self._bytes = 0
        for name in names:
            if self._watched is not None:
                self._watched.pop(name, None)
            kept = self._kept.pop(name, None)
            if kept is not None:
                self._bytes -= kept[1]
            if self._noticed is not None:
                self._noticed.add(hash(name))
                if len(self._noticed) > self.MAX_NOTICED:  # no longer noted: the epoch ends
                    self._noticed = None

    def _take_notices(self) -> bool:
        """Read what Redis said since the last read. False when no connection listens (Redis unreachable): then
        nothing is kept, every read goes to Redis."""
        try:
            if self._listener is None or self._pid != os.getpid():  # first use, a forked child's copy, a loss
                self._listener = None
                self._forget()
                self._listen()
                return True
            listener = self._listener
            if listener._sock is None:  # disconnected by something else: reading would reconnect it, untracked
                raise ConnectionError("the listening connection was closed")
            while listener.can_read(timeout=0):
                said = listener.read_response(push_request=True, timeout=0, disconnect_on_error=False)
                if said in (b"PONG", [b"pong", b""]):
                    self._ponged = True
                elif isinstance(said, list) and len(said) == 2 and said[0] == b"invalidate":  # RESP3's push
                    self._changed(said[1])
                elif isinstance(said, list) and len(said) == 3 and said[0] == b"message":  # RESP2's message
                    self._changed(said[2])
                else:  # a notice this process cannot read: nothing kept can be trusted
                    self._forget()
            now = time.monotonic()
            if now - self._pinged_at >= self.HEALTH_SECONDS:
                if not self._ponged:  # silent for a whole period: the connection is no longer to be trusted
                    raise ConnectionError("no answer to the health PING")
                listener.send_command("PING")
                self._pinged_at, self._ponged = now, False
            return True
        except Exception:  # redis-py's errors, and the socket's own
            self._drop()
            return False
        except BaseException:  # interrupted (a timeout of gevent's, a signal): what was half read is lost
            self._drop()
            raise

    # What callers read

    def get_many(self, keys: list[str], *, also: list[str] = (), recent=()) -> dict:
        """The values of `keys` (each under the prefix; a key not in the cache is left out, as get_many does),
        from memory while they are current; and of `also` (any keys), those remembered (remember()) from
        memory, the rest from the cache in the same round trip, which is then the only one. Those of `keys` and
        `also` that are `recent` (keys under the prefix that only ever exist when written since the latest
        reset) are known absent, and not asked for, when this process was told of every change since that
        reset, the reset's own value is known, and none was to them."""
        if not self._take_notices():
            return self._cache.get_many([*keys, *also])
        values = {}
        for key in also:
            value = self.recall(key)
            if value is not None:
                values[key] = value
        watched = self._watched
        if watched is None or len(watched) >= self.MAX_WATCHED:  # (made-up keys cannot fill the memory)
            watched = self._watched = {}
        noticed = self._noticed
        settled = noticed is not None and bool(recent) and all(key in watched for key in self._resets)
        missing = [
            key for key in also if key not in values and not (settled and key in recent and hash(key) not in noticed)
        ]
        known = [key for key in keys if key in watched]
        values.update((key, watched[key]) for key in known if watched[key] is not ABSENT)
        # Those not known yet (forgotten after a notice, or a key not watched before), read in the same round
        # trip as the rest. An absent key is remembered as absent (most stories have no key of their own): its
        # creation is a change like any other.
        unknown = []
        if len(known) < len(keys):
            for key in keys:
                if key in watched:
                    continue
                if settled and key in recent and hash(key) not in noticed:
                    watched[key] = ABSENT
                else:
                    unknown.append(key)
        if unknown or missing:
            read = self._cache.get_many([*unknown, *missing])
            watched.update((key, read.get(key, ABSENT)) for key in unknown)
            values.update(read)
        return values

    def recall(self, key: str):
        """A value remembered by remember(), while neither it nor a reset changed since and its time lasts."""
        kept = self._kept.get(key)
        if kept is None:
            return None
        value, _size, until = kept
        if until < time.monotonic():
            self._bytes -= self._kept.pop(key)[1]
            return None
        self._kept.move_to_end(key)
        return value

    def remember(self, key: str, value, *, size: int, seconds: float) -> None:
        """Keep `value` (of about `size` bytes) for at most `seconds`, and only while neither its key (under the
        prefix) nor a reset changes; the least recently read go first beyond max_bytes. Without a reset among the
        keys watched, only while the watched keys stay as they were."""
        if self._watched is None or size > self._max_bytes:
            return
        if key in self._kept:
            self._bytes -= self._kept.pop(key)[1]
        self._kept[key] = (value, size, time.monotonic() + seconds)
        self._bytes += size
        while self._bytes > self._max_bytes:
            self._bytes -= self._kept.popitem(last=False)[1][1]


def _said(notice):
    """RESP3's push message of a change, as it came: [b"invalidate", keys or None]."""
    return notice


def near(cache: BaseCache, prefix: str, *, max_bytes: int, resets=()) -> Direct:
    """This process's exact copy of the keys under `prefix` of `cache` (Near), on one Redis server; elsewhere
    Direct. Not with read replicas (more than one server in LOCATION): Django reads from any of them, and a value
    read from one that lags behind the notice would be kept as current."""
    if isinstance(cache, RedisCache) and max_bytes > 0 and len(cache._servers) == 1:
        return cache.near(prefix, max_bytes=max_bytes, resets=resets)
    return Direct(cache)
