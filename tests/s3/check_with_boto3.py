#!/usr/bin/env python3
"""Reads or writes one object with boto3, an S3 client independent of ours, so that a test can
check the service's SigV4 signing and object layout against a second implementation:

  check_with_boto3.py --endpoint URL --bucket B get KEY OUTFILE
  check_with_boto3.py --endpoint URL --bucket B put KEY INFILE

Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Exit 0 on success; otherwise
the S3 error code and message on stderr and exit 1 (2 for bad usage).
"""

import argparse
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError


def make_client(endpoint):
    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": "path"},
        # One try: a test counting requests at the fault proxy must see exactly one.
        retries={"total_max_attempts": 1, "mode": "standard"},
        connect_timeout=5,
        read_timeout=20,
    )
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", config=config)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True, help="e.g. http://127.0.0.1:9000")
    parser.add_argument("--bucket", required=True)
    parser.add_argument("operation", choices=["get", "put"])
    parser.add_argument("key")
    parser.add_argument("file", help="where get writes the object, or what put sends")
    args = parser.parse_args()

    client = make_client(args.endpoint)
    try:
        if args.operation == "get":
            body = client.get_object(Bucket=args.bucket, Key=args.key)["Body"].read()
            with open(args.file, "wb") as out:
                out.write(body)
        else:
            with open(args.file, "rb") as source:
                client.put_object(Bucket=args.bucket, Key=args.key, Body=source.read())
    except ClientError as error:
        details = error.response.get("Error", {})
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        print(f"{details.get('Code', '?')} (HTTP {status}): {details.get('Message', error)}",
              file=sys.stderr)
        return 1
    except (BotoCoreError, OSError) as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
