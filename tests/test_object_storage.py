"""Uploaded files through Django's storage API: with STORAGE_BACKEND=s3 they live in
S3-compatible object storage (here moto's in-process S3) and are still stored under random
names, served only through the views that check scope."""

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto import mock_aws

from inspections import evidence
from inspections.models import Evidence, Finding
from inspections.rectification import ensure_tasks
from inspections.tests.test_rectification_views import png_bytes
from tests.test_settings import manage

BUCKET = "portal-media"


@pytest.fixture
def bucket(settings):
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "region_name": "us-east-1", "access_key": "k",
                        "secret_key": "s", "default_acl": "private", "file_overwrite": False},
        }}
        yield s3


def test_evidence_is_kept_in_the_bucket_and_served_only_in_scope(client, bucket, scoring_check,
                                                                 liaison, other_liaison):
    finding = Finding.objects.create(
        assessment=scoring_check.assessments.get(website__name="丘北县人民政府"), description="栏目空白")
    task, = ensure_tasks([finding])
    evidence.attach(task, [SimpleUploadedFile("../../整改后.png", png_bytes())], liaison)
    item = Evidence.objects.get()
    keys = [o["Key"] for o in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [item.file.name] and ".." not in item.file.name
    url = reverse("inspections:evidence", args=[item.pk])
    client.force_login(liaison)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == png_bytes()
    client.force_login(other_liaison)
    assert client.get(url).status_code == 404


def test_the_setting_selects_object_storage():
    result = manage("shell", "-c", "from django.conf import settings; "
                    "print(settings.STORAGES['default']['BACKEND'], "
                    "settings.STORAGES['default']['OPTIONS']['bucket_name'])",
                    DJANGO_DEBUG="1", STORAGE_BACKEND="s3", S3_BUCKET="portal-media",
                    S3_ENDPOINT_URL="https://obs.example.gov.cn")
    assert result.returncode == 0, result.stderr
    assert "storages.backends.s3.S3Storage portal-media" in result.stdout
