"""Run the project's Celery worker with a short Redis visibility timeout (tests and bench).

With late acks, a message whose worker died is delivered again only once the visibility
timeout has passed (an hour by default); a few seconds lets a test see the redelivery.
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from config.celery import app

timeout = os.environ.get("CLAIMDESK_TEST_VISIBILITY_TIMEOUT")
if timeout:
    app.conf.broker_transport_options = {
        **(app.conf.broker_transport_options or {}),
        "visibility_timeout": int(timeout),
        # Look for such messages every second instead of every ~100 s.
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }

# Send flagging (slow: a neural scorer) to a queue this worker does not consume, for tests about
# ingestion and extraction alone.
flag_queue = os.environ.get("CLAIMDESK_TEST_FLAG_QUEUE")
if flag_queue:
    app.conf.task_routes = {"claims.flag_article": {"queue": flag_queue}}

if __name__ == "__main__":
    app.worker_main(sys.argv[1:])
