"""gunicorn's configuration for Newsroom: `gunicorn --config gunicorn.conf.py` (what `make serve` runs).

Each value can be changed from the environment without editing this file; docs/deploy.md lists them.
"""

import os

wsgi_app = "newsroom.wsgi:application"

# Where to listen: host:port (a proxy in front on the same machine) or unix:/run/newsroom.sock.
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]

# Synchronous workers, one request at a time each: 2 suit this project's 2-core machines; gunicorn's rule of
# thumb for a dedicated server is 2 × cores + 1.
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))

# Load Django once in the master and fork the workers from it: less memory (shared pages), a faster
# restart of a worker, a settings error stops start-up at once rather than in every worker, and the logging
# settings are in force before gunicorn's first line. No database connection is open at import, so none
# is shared between the forks.
preload_app = True

# A request that takes longer than this is a bug or an attack: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Long-lived workers are replaced now and then (at a different moment each), so a slow leak cannot grow —
# but not every few seconds in a breaking-news spike (hundreds of requests a second per worker): every
# 50,000 requests or so, from the environment (0: never).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10

# No access log by default: the proxy in front keeps one, and the application's own lines (JSON, with the
# request id, which the proxy can log from the X-Request-ID response header) go to standard error.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"

# gunicorn's runtime control socket is one path per user ($HOME/.gunicorn/gunicorn.ctl): two servers on one
# machine (make serve beside the benchmark) would take it from each other, and nothing here uses it.
control_socket_disable = True
