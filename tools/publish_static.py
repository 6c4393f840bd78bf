"""`make publish-static`: upload static/ to the stack's bucket under content-hashed names.

Hashed names never change content, so CloudFront and browsers may cache them for a year;
the app links them through STATIC_URL with the same names (portal.web.static_manifest).
Bucket: $STATIC_BUCKET, or the StaticBucketName output of the stack $STACK_NAME.
"""
from __future__ import annotations

import mimetypes
import os
import sys

from portal.paths import ROOT
from portal.web.static_manifest import hashed_name

CACHE = "public, max-age=31536000, immutable"


def static_files():
    folder = ROOT / "static"
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def publish(s3, bucket: str) -> list[str]:
    keys = []
    for path in static_files():
        key = hashed_name(path)
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        s3.put_object(Bucket=bucket, Key=key, Body=(ROOT / "static" / path).read_bytes(),
                      ContentType=content_type, CacheControl=CACHE)
        keys.append(key)
    return keys


def bucket_from_stack(cloudformation, stack_name: str) -> str:
    outputs = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0].get("Outputs", [])
    for output in outputs:
        if output["OutputKey"] == "StaticBucketName":
            return output["OutputValue"]
    raise SystemExit(f"make publish-static: stack {stack_name} has no StaticBucketName output")


def main() -> int:
    import boto3

    bucket = os.environ.get("STATIC_BUCKET")
    if not bucket:
        stack = os.environ.get("STACK_NAME")
        if not stack:
            print("make publish-static: set STACK_NAME (the CloudFormation stack) or STATIC_BUCKET",
                  file=sys.stderr)
            return 2
        bucket = bucket_from_stack(boto3.client("cloudformation"), stack)
    for key in publish(boto3.client("s3"), bucket):
        print(f"s3://{bucket}/{key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
