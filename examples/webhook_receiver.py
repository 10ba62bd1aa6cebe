#!/usr/bin/env python3
"""A webhook receiver for image-resize that checks each delivery's signature (standard library).

    python3 examples/webhook_receiver.py --port 9000 --secret-file webhook-secret

Answers 204 to a delivery whose X-Image-Resize-Signature is right and at most five minutes old,
and prints it as one line of JSON (delivery id, task id, status); answers 401 to anything else.
Deliveries are at least once: a real receiver drops the ones whose X-Image-Resize-Delivery it has
seen already.
"""
import argparse
import hashlib
import hmac
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

MAX_AGE_SECONDS = 300


def signature_ok(secret: bytes, header: str, body: bytes) -> bool:
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    if "t" not in fields or "v1" not in fields or not fields["t"].isdigit():
        return False
    expected = hmac.new(secret, fields["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(fields["t"])) <= MAX_AGE_SECONDS
    return fresh and hmac.compare_digest(expected, fields["v1"])


def make_handler(secret: bytes):
    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if not signature_ok(secret, self.headers.get("X-Image-Resize-Signature", ""), body):
                self.send_response(401)
                self.end_headers()
                return
            task = json.loads(body)
            print(json.dumps({"delivery": self.headers.get("X-Image-Resize-Delivery"),
                              "task_id": task["task_id"], "status": task["status"]}), flush=True)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):  # quiet: stdout carries the deliveries
            pass

    return Receiver


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--secret-file", required=True)
    args = parser.parse_args()
    with open(args.secret_file, "rb") as file:
        secret = file.readline().strip()
    HTTPServer((args.host, args.port), make_handler(secret)).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
