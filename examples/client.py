#!/usr/bin/env python3
"""Resize one image with the image-resize service: upload, wait, download.

    python3 examples/client.py photo.jpg 100 100 thumb.jpg
    python3 examples/client.py photo.jpg 800 600 out.webp --field fit=cover --field format=webp \
        --url http://127.0.0.1:8080 --key "$KEY"

Standard library only. Retries 429 and 503 after their Retry-After, and a request whose answer
was lost. The upload carries an Idempotency-Key, so that a retried upload (or a second run with
the same --idempotency-key, within 24 hours) gets the first answer instead of a second task.
Exit 0 on success, 1 on failure (the reason is printed to stderr), 2 on bad usage.
"""
import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid

MAX_RETRIES = 20  # 429/503 answers in a row before giving up
MAX_LOST_ANSWERS = 3  # requests in a row without an answer before giving up
WAIT_SECONDS = 30  # the longest ?wait= the service allows


class Failure(Exception):
    pass


def request(method, url, key=None, body=None, content_type=None, idempotency_key=None):
    """One request, retried on 429/503 after Retry-After, and when no answer came (safe: GETs,
    and an upload with an Idempotency-Key); returns (status, headers, bytes)."""
    headers = {}
    if key:
        headers["Authorization"] = "Bearer " + key
    if content_type:
        headers["Content-Type"] = content_type
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    lost = 0
    for _ in range(MAX_RETRIES + 1):
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=WAIT_SECONDS + 30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            payload = error.read()
            if error.code not in (429, 503):
                raise Failure(f"{method} {url}: HTTP {error.code} {describe(payload)}") from None
            delay = retry_after(error.headers.get("Retry-After"))
            print(f"HTTP {error.code} {describe(payload)} (retrying in {delay} s)", file=sys.stderr)
            time.sleep(delay)
        except (urllib.error.URLError, OSError) as error:
            lost += 1
            reason = getattr(error, "reason", error)
            if lost > MAX_LOST_ANSWERS:
                raise Failure(f"{method} {url}: {reason}") from None
            print(f"{method} {url}: {reason} (retrying in 1 s)", file=sys.stderr)
            time.sleep(1)
    raise Failure(f"{method} {url}: still refused after {MAX_RETRIES} retries")


def retry_after(value):
    try:
        return min(max(int(value), 1), 60)
    except (TypeError, ValueError):
        return 1


def describe(payload):
    """The service's error body {"result": "error", "code": ..., "message": ...} in one line."""
    try:
        body = json.loads(payload)
        return f"{body['code']}: {body['message']}"
    except (ValueError, KeyError, TypeError):
        return payload[:200].decode("utf-8", "replace")


def multipart(fields, filename, data):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                 .encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), "multipart/form-data; boundary=" + boundary


def main():
    parser = argparse.ArgumentParser(description="Resize an image with image-resize.")
    parser.add_argument("image", help="the image file to upload")
    parser.add_argument("width", type=int)
    parser.add_argument("height", type=int)
    parser.add_argument("output", nargs="?", help="where to write the result (default: out-<image>)")
    parser.add_argument("--url", default=os.environ.get("IMAGE_RESIZE_URL", "http://127.0.0.1:8080"),
                        help="service base URL (default: $IMAGE_RESIZE_URL or http://127.0.0.1:8080)")
    parser.add_argument("--key", default=os.environ.get("IMAGE_RESIZE_API_KEY"),
                        help="API key, when the service has --api-keys-file ($IMAGE_RESIZE_API_KEY)")
    parser.add_argument("--field", action="append", default=[], metavar="NAME=VALUE",
                        help="another form field: fit, format, quality, background, priority")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for the task")
    parser.add_argument("--idempotency-key", default=str(uuid.uuid4()),
                        help="the upload's Idempotency-Key (default: a new UUID); run again with "
                             "the same key to get the same task")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    output = args.output or "out-" + os.path.basename(args.image)

    try:
        with open(args.image, "rb") as file:
            data = file.read()
        fields = [("width", args.width), ("height", args.height)]
        for field in args.field:
            if "=" not in field:
                parser.error(f"--field {field}: expected NAME=VALUE")
            fields.append(tuple(field.split("=", 1)))
        body, content_type = multipart(fields, os.path.basename(args.image), data)
        _, headers, accepted = request("POST", base + "/api/v1/images/resize", args.key, body,
                                       content_type, args.idempotency_key)
        task = json.loads(accepted)
        replayed = " (the earlier answer to this Idempotency-Key)" \
            if headers.get("Idempotent-Replayed") == "true" else ""
        print(f"accepted {task['task_id']}{replayed}", file=sys.stderr)

        deadline = time.monotonic() + args.timeout
        while True:
            _, _, status = request("GET", f"{base}{task['status_url']}?wait={WAIT_SECONDS}", args.key)
            state = json.loads(status)
            if state["status"] == "SUCCESS":
                break
            if state["status"] == "FAILURE":
                error = state.get("error", {})
                raise Failure(f"task failed: {error.get('code')}: {error.get('message')}")
            if time.monotonic() > deadline:
                raise Failure(f"task still {state['status']} after {args.timeout:g} s")

        _, headers, image = request("GET", base + state["result"]["url"], args.key)
        with open(output, "wb") as file:
            file.write(image)
        result = state["result"]
        print(f"{output}: {result['width']}x{result['height']} {result['format']}, "
              f"{len(image)} bytes ({headers.get('Content-Type')})")
        return 0
    except (Failure, OSError, ValueError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
