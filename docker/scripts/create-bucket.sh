#!/usr/bin/env bash
# Create the store's bucket if it is missing (the S3 service starts empty). Idempotent.
set -euo pipefail
: "${S3_BUCKET:?S3_BUCKET is not set}"
: "${S3_ENDPOINT_URL:?S3_ENDPOINT_URL is not set}"
for attempt in $(seq 1 30); do
    if python - <<'PY'
import os
import boto3
from botocore.exceptions import ClientError

s3 = boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT_URL"], region_name=os.environ.get("S3_REGION", "us-east-1"),
                  aws_access_key_id=os.environ["S3_ACCESS_KEY"], aws_secret_access_key=os.environ["S3_SECRET_KEY"])
bucket = os.environ["S3_BUCKET"]
try:
    s3.head_bucket(Bucket=bucket)
    print(f"bucket {bucket} exists")
except ClientError:
    s3.create_bucket(Bucket=bucket)
    print(f"bucket {bucket} created")
PY
    then
        exit 0
    fi
    echo "S3 endpoint not ready (attempt ${attempt}); retrying in 2s" >&2
    sleep 2
done
echo "could not create bucket ${S3_BUCKET} at ${S3_ENDPOINT_URL}" >&2
exit 1
