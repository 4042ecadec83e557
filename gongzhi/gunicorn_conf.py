"""gunicorn settings for the web service: ``gunicorn gongzhi.wsgi -c python:gongzhi.gunicorn_conf``.

Threaded workers (gthread): a request mostly waits for PostgreSQL, so a process keeps several in flight,
each thread with its own persistent database connection (CONN_MAX_AGE). A worker accepts a connection only
when one of its threads is free (``worker_connections = threads``): by default a gthread worker accepts up
to 1,000 and queues them behind its own busy threads while another worker sits idle, which doubled the p95
of a cast under 200 concurrent owners (docs/security.md, "Ballots under load"). Waiting connections stay in
the listening socket's backlog, shared by every worker, and go to the first free thread.

Arguments on the command line (``--bind``, ``--workers``) override these. Behind the HTTPS proxy
connections to gunicorn are not kept alive (the proxy opens one per request), so ``keepalive`` is 0.
"""

from __future__ import annotations

import os

worker_class = "gthread"
workers = int(os.environ.get("GONGZHI_WEB_WORKERS", str(os.cpu_count() or 2)))
threads = int(os.environ.get("GONGZHI_WEB_THREADS", "8"))
worker_connections = threads
keepalive = 0
timeout = 120
