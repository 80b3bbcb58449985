#!/usr/bin/env bash
# One-shot set-up of the Airflow metadata DB and govreports' Airflow objects. Idempotent:
# every step creates or updates, so `docker compose up` can run it on each start.
set -euo pipefail
: "${GOVREPORTS_STORE:?GOVREPORTS_STORE is not set}"

airflow db migrate
airflow pools set govreports_crawl "${GOVREPORTS_CRAWL_SLOTS:-4}" "govreports crawls at once, all runs together"
airflow variables set govreports_store "${GOVREPORTS_STORE}"
airflow variables set govreports_aws_conn_id govreports_s3
# the connection itself comes from AIRFLOW_CONN_GOVREPORTS_S3 in the services' environment
echo "govreports: Airflow initialised (store ${GOVREPORTS_STORE})"
