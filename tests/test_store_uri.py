"""Store URIs (issue 14, item 12): keys written in an S3 URI are refused and never printed,
unknown parameters are refused with the known ones, one line and exit 2 from the CLI."""

import pytest

from storage.objectstore import S3Store, StoreURIError, open_store, redact_uri
from tests.conftest import run_cli

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


@pytest.mark.parametrize("uri", [f"s3://AKIAIOSFODNN7EXAMPLE:{SECRET}@govreports/prod",
                                 "s3://AKIAIOSFODNN7EXAMPLE@govreports/prod?region=us-east-1"])
def test_keys_in_the_uri_are_refused_and_not_printed(uri):
    with pytest.raises(StoreURIError) as err:
        open_store(uri)
    assert SECRET not in str(err.value) and "AKIAIOSFODNN7EXAMPLE" not in str(err.value)
    assert "AWS_ACCESS_KEY_ID" in str(err.value)
    proc = run_cli("status", "--store", uri)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert SECRET not in proc.stderr + proc.stdout and len(proc.stderr.strip().splitlines()) == 1


def test_unknown_parameters_are_refused_with_the_known_ones():
    with pytest.raises(StoreURIError, match="known: aws_conn_id, endpoint_url, region") as err:
        open_store(f"s3://govreports/prod?endpoint=http://127.0.0.1:9000&aws_secret_access_key={SECRET}")
    assert "endpoint" in str(err.value) and SECRET not in str(err.value)


def test_valid_uris_open():
    store = open_store("s3://govreports/prod?endpoint_url=http://127.0.0.1:9000&region=cn-north-1")
    assert isinstance(store, S3Store) and store.bucket == "govreports" and store.region == "cn-north-1"


def test_redact_uri():
    assert redact_uri(f"s3://AK:{SECRET}@b/p?region=x&token=abc") == "s3://***@b/p?region=x&token=***"
    assert redact_uri("s3://b/p?endpoint_url=http://h:9000") == "s3://b/p?endpoint_url=http://h:9000"
