#!/usr/bin/env python3
"""A webhook receiver for Portico's tests.

Checks every request with the `standardwebhooks` package from PyPI (an
implementation of the Standard Webhooks specification independent of
Portico's signing code), answers `--fail-first` requests with 500 and the
rest with `--status` (204), and appends one JSON line per request to
`--log`: {"id", "type", "verified", "status"}. The secret is read from
`--secret-file` on every request, so a test can set or rotate it while the
receiver runs. Prints the port it listens on, then serves until killed.
"""
import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook

ap = argparse.ArgumentParser()
ap.add_argument("--secret-file", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--fail-first", type=int, default=0)
ap.add_argument("--status", type=int, default=204)
args = ap.parse_args()
lock = threading.Lock()
seen = {"n": 0}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        with open(args.secret_file) as f:
            secret = f.read().strip()
        verified = False
        event = {}
        try:
            event = Webhook(secret).verify(body, dict(self.headers))
            verified = True
        except Exception:
            pass
        with lock:
            seen["n"] += 1
            status = 500 if seen["n"] <= args.fail_first else args.status
            if not verified:
                status = 401
            with open(args.log, "a") as f:
                f.write(json.dumps({
                    "id": self.headers.get("webhook-id"),
                    "type": event.get("type") if isinstance(event, dict) else None,
                    "verified": verified,
                    "status": status,
                }) + "\n")
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
