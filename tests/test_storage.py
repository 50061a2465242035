"""The private files in an S3-compatible bucket (cchc.storage): evidence and printed documents go to the
bucket, not to the disk of the node that took them; downloads keep their access check, streamed or
redirected to a short-lived signed URL; no object is ever public. The bucket is moto's in-process S3."""

import os
import tarfile
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from django.test import override_settings
from django.urls import reverse
from moto import mock_aws

from cchc import backups, jobs, storage
from cchc.printing import files
from tasks import evidence, services
from tests.conftest import client_for, make_task, pdf_upload
from tests.test_settings import import_settings

BUCKET = "cchc-tep-rieng"
PREFIX = "tinh-a"
PUBLIC_GROUPS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


def s3_storages(settings) -> dict:
    """STORAGES with the private files in BUCKET, as cchc/settings.py builds them from STORAGE_S3_*."""
    return {
        **settings.STORAGES,
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "region_name": "us-east-1",
                "access_key": "khoa-thu",
                "secret_key": "bi-mat-thu",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "location": PREFIX,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": True,
            },
        },
    }


@pytest.fixture
def bucket(settings):
    """An empty private bucket (the operator creates it; the application never does) as the storage."""
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        with override_settings(STORAGES=s3_storages(settings), STORAGE_S3_SIGNED_URL_SECONDS=0):
            yield client


@pytest.fixture
def signed_urls(bucket):
    with override_settings(STORAGE_S3_SIGNED_URL_SECONDS=60):
        yield bucket


def keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def files_on_disk(private_storage) -> list[str]:
    return (
        [str(path) for path in private_storage.rglob("*") if path.is_file()]
        if private_storage.exists()
        else []
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def uploaded(task, staff, bucket):
    report = services.progress_report(
        task=task,
        by=staff,
        percent=20,
        narrative="Đã rà soát",
        files=[pdf_upload("Kết quả rà soát.pdf", 3000)],
    )
    return report.evidence.get()


def test_an_evidence_upload_lands_in_the_bucket_not_on_the_node_s_disk(uploaded, bucket, private_storage):
    key = f"{PREFIX}/{evidence.name_of(uploaded.stored_name)}"
    assert keys(bucket) == [key]
    stored = bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert stored.startswith(b"%PDF-1.4") and len(stored) == uploaded.size == 3000
    assert files_on_disk(private_storage) == []


def test_its_download_streams_the_bytes_inside_the_agency_only(uploaded, leader, outsider):
    url = reverse("tasks:evidence", args=[uploaded.pk])
    response = client_for(leader).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        "filename*=utf-8''K%E1%BA%BFt%20qu%E1%BA%A3%20r%C3%A0%20so%C3%A1t.pdf"
        in response["Content-Disposition"]
    )
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    content = body(response)
    assert content.startswith(b"%PDF-1.4") and len(content) == 3000
    assert client_for(outsider).get(url).status_code == 404


def test_with_signed_urls_the_download_redirects_to_a_url_that_expires_soon(
    uploaded, leader, outsider, signed_urls
):
    url = reverse("tasks:evidence", args=[uploaded.pk])
    response = client_for(leader).get(url)
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    location = urlsplit(response["Location"])
    query = parse_qs(location.query)
    assert location.path.endswith(f"/{BUCKET}/{PREFIX}/{evidence.name_of(uploaded.stored_name)}")
    assert query["X-Amz-Signature"] and query["X-Amz-Expires"] == ["60"]
    assert query["response-content-disposition"][0].startswith("attachment; filename*=utf-8''K%E1%BA%BFt")
    assert query["response-content-type"] == ["application/pdf"]
    fetched = requests.get(response["Location"], timeout=10)
    assert fetched.status_code == 200
    assert fetched.content.startswith(b"%PDF-1.4") and len(fetched.content) == 3000
    assert fetched.headers["Content-Disposition"].startswith("attachment")
    # the access check comes first: another agency gets no URL at all
    refused = client_for(outsider).get(url)
    assert refused.status_code == 404 and "Location" not in refused


def test_a_file_missing_from_the_bucket_is_a_404_not_a_dead_link(uploaded, leader, signed_urls):
    signed_urls.delete_object(Bucket=BUCKET, Key=f"{PREFIX}/{evidence.name_of(uploaded.stored_name)}")
    response = client_for(leader).get(reverse("tasks:evidence", args=[uploaded.pk]))
    assert response.status_code == 404


def test_nothing_in_the_bucket_is_public(uploaded, bucket):
    [key] = keys(bucket)
    grants = (
        bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
        + bucket.get_bucket_acl(Bucket=BUCKET)["Grants"]
    )
    assert grants, "the owner's grant at least"
    assert not [grant for grant in grants if grant["Grantee"].get("URI") in PUBLIC_GROUPS]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)


@pytest.fixture
def printable_plan(plan, department, clerk, monkeypatch):
    make_task(plan, department, number="1", content="Rà soát thủ tục hành chính", by=clerk)
    monkeypatch.setattr(files, "PDF_ROWS_IN_REQUEST", 0)  # every PDF is long: a worker renders it
    return plan


def test_a_document_a_worker_rendered_is_found_and_served_by_any_node(
    printable_plan, clerk, bucket, private_storage, monkeypatch
):
    started = []
    monkeypatch.setattr(jobs.render_document, "delay", lambda *args: started.append(args))
    url = reverse("plans:print", args=[printable_plan.pk, "pdf"])
    assert client_for(clerk).get(url).status_code == 202
    [(kind, pk, code, key, scope)] = started
    assert jobs.render_document(kind, pk, code, key, scope) == f"documents/{key}.pdf"  # the worker
    assert keys(bucket) == [f"{PREFIX}/documents/{key}.pdf"]
    monkeypatch.setattr(files, "render", lambda document, code: pytest.fail("rendered again"))
    served = client_for(clerk).get(url)  # another node: a new client, the same bucket
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("inline")
    assert "no-store" in served["Cache-Control"]
    assert body(served).startswith(b"%PDF")
    assert files_on_disk(private_storage) == []


@pytest.mark.django_db(transaction=True)  # pg_dump reads only what is committed
def test_a_backup_reads_the_bucket_and_a_restore_writes_the_files_back(uploaded, bucket, tmp_path):
    archive = tmp_path / "cchc.tar.gz"
    manifest = backups.write_backup(archive)
    name = evidence.name_of(uploaded.stored_name)
    assert list(manifest["files"]) == [name] and manifest["files"][name]["size"] == 3000
    bucket.delete_object(Bucket=BUCKET, Key=f"{PREFIX}/{name}")
    assert backups.verify(manifest).problems == [f"tệp {name}: không có"]
    assert not any(found.startswith("kho tệp") for found in backups.installation_has_data())
    with tarfile.open(archive) as opened:
        backups._extract_files(opened)
    assert backups.verify(manifest).problems == []
    assert keys(bucket) == [f"{PREFIX}/{name}"]
    assert backups.installation_has_data()[-1] == f"kho tệp s3://{BUCKET}/{PREFIX} đã có 1 tệp"


def test_the_folder_follows_private_storage_root_when_it_changes(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "elsewhere"
    storage.write("documents/abc.pdf", b"%PDF-1.4 x")
    assert (tmp_path / "elsewhere" / "documents" / "abc.pdf").read_bytes() == b"%PDF-1.4 x"
    assert storage.names() == ["documents/abc.pdf"]  # nothing half written (.part) is listed
    storage.write("documents/abc.pdf", b"%PDF-1.4 y")  # replaced whole
    assert (tmp_path / "elsewhere" / "documents" / "abc.pdf").read_bytes() == b"%PDF-1.4 y"


def without_storage_variables(env: dict) -> dict:
    names = [name for name in os.environ if name.startswith("STORAGE_S3_")]
    return {**dict.fromkeys(names, ""), **env}


def test_the_settings_build_a_private_bucket_from_the_environment(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("bi-mat\n", encoding="utf-8")
    env = {
        "CCHC_VAR_DIR": str(tmp_path),
        "STORAGE_S3_BUCKET": BUCKET,
        "STORAGE_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "STORAGE_S3_ACCESS_KEY_ID": "cchc",
        "STORAGE_S3_SECRET_ACCESS_KEY_FILE": str(secret),
        "STORAGE_S3_PREFIX": "/tinh-a/",
        "STORAGE_S3_SIGNED_URL_SECONDS": "120",
    }
    result = import_settings(
        without_storage_variables(env),
        "print(settings.STORAGES['private']['OPTIONS']); print(settings.STORAGE_S3_SIGNED_URL_SECONDS)",
    )
    assert result.returncode == 0, result.stderr
    options, seconds = result.stdout.strip().splitlines()
    assert f"'bucket_name': '{BUCKET}'" in options
    assert "'endpoint_url': 'http://127.0.0.1:9000'" in options
    assert "'region_name': 'us-east-1'" in options and "'addressing_style': 'path'" in options
    assert "'secret_key': 'bi-mat'" in options and "'location': 'tinh-a'" in options
    assert "'default_acl': None" in options and "'querystring_auth': True" in options
    assert seconds == "120"


def test_by_default_the_private_files_stay_in_the_folder(tmp_path):
    result = import_settings(
        without_storage_variables({"CCHC_VAR_DIR": str(tmp_path)}), "print(settings.STORAGES['private'])"
    )
    assert result.returncode == 0, result.stderr
    assert "cchc.storage.PrivateFileSystemStorage" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STORAGE_S3_BUCKET": BUCKET, "STORAGE_S3_ADDRESSING_STYLE": "subdomain"}, "path or virtual"),
        ({"STORAGE_S3_SIGNED_URL_SECONDS": "60"}, "needs STORAGE_S3_BUCKET"),
        ({"STORAGE_S3_BUCKET": BUCKET, "STORAGE_S3_SIGNED_URL_SECONDS": "-1"}, "0 (stream) to 604800"),
    ],
)
def test_a_wrong_storage_setting_stops_the_start_up(tmp_path, env, message):
    result = import_settings(without_storage_variables({"CCHC_VAR_DIR": str(tmp_path), **env}))
    assert result.returncode != 0
    assert message in result.stderr
