#!/usr/bin/env python3
"""Checks the autoscaling manifests of deploy/kubernetes: each file parses as YAML, is a KEDA
ScaledObject or an autoscaling/v2 HorizontalPodAutoscaler, and every image_resize_* metric it
names is a family in the service's /metrics text (a scrape taken after one task ran).

usage: check_autoscaling.py METRICS_TEXT MANIFEST..."""

import re
import sys

import yaml

KINDS = {("keda.sh/v1alpha1", "ScaledObject"), ("autoscaling/v2", "HorizontalPodAutoscaler")}
NAME = re.compile(r"image_resize_[a-z0-9_]+")
SUFFIXES = ("_bucket", "_count", "_sum")


def strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)
    elif isinstance(node, str):
        yield node


def family(name):
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def main(metrics_path, manifests):
    with open(metrics_path, encoding="utf-8") as f:
        exported = set(re.findall(r"^# TYPE (\S+) ", f.read(), re.MULTILINE))
    problems = []
    for path in manifests:
        with open(path, encoding="utf-8") as f:
            documents = [d for d in yaml.safe_load_all(f) if d is not None]
        if not documents:
            problems.append(f"{path}: no YAML document")
        for document in documents:
            kind = (document.get("apiVersion"), document.get("kind"))
            if kind not in KINDS:
                problems.append(f"{path}: {kind[1]} ({kind[0]}) is not an autoscaler kind")
            named = {family(n) for s in strings(document) for n in NAME.findall(s)}
            if not named:
                problems.append(f"{path}: names no image_resize_* metric")
            for name in sorted(named - exported):
                problems.append(f"{path}: {name} is not a metric the service exports")
            for name in sorted(named & exported):
                print(f"ok:   {path} scales on {name}")
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
