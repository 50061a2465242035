"""The private files (evidence, printed documents): one storage every node shares, read and written here.

`STORAGES["private"]` is the folder PRIVATE_STORAGE_ROOT by default, or an S3-compatible bucket when
STORAGE_S3_BUCKET is set (cchc/settings.py). Nothing in it is public: a download is answered by the
application after its access check, streamed, or with STORAGE_S3_SIGNED_URL_SECONDS a redirect to a
signed URL of the object that expires that many seconds later.
"""

import os
import posixpath
import secrets
from functools import cached_property

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

PARTIAL_SUFFIX = ".part"  # a file being written in the folder, not yet under its name
MISSING = "Tệp không còn trên máy chủ; báo quản trị hệ thống."


class PrivateFileSystemStorage(FileSystemStorage):
    """The folder PRIVATE_STORAGE_ROOT, read when first needed and again whenever the setting changes
    (a test, the benchmark), never served under a URL."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_STORAGE_ROOT)

    @cached_property
    def base_url(self):
        return None

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_STORAGE_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def private_storage() -> Storage:
    return storages["private"]


def is_folder(storage: Storage | None = None) -> bool:
    return isinstance(storage or private_storage(), FileSystemStorage)


def describe() -> str:
    """Where the private files are, for an operator: the folder, or s3://bucket/prefix."""
    storage = private_storage()
    if is_folder(storage):
        return str(storage.location)
    return f"s3://{storage.bucket_name}/{storage.location}".rstrip("/")


def exists(name: str) -> bool:
    return private_storage().exists(name)


def open_file(name: str) -> File:
    """The file opened for reading; FileNotFoundError when there is none."""
    return private_storage().open(name, "rb")


def delete(name: str) -> None:
    private_storage().delete(name)


def write(name: str, content: File | bytes) -> str:
    """Store `content` under exactly `name`, replacing what was there; a reader sees the old file or the
    new one, never half of one. In the folder it is written beside under a temporary name and moved (one
    rename); an object store's put is atomic per object, and the bucket's storage replaces (settings)."""
    if isinstance(content, bytes):
        content = ContentFile(content)
    storage = private_storage()
    if not is_folder(storage):
        storage.save(name, content)
        return name
    partial = storage.save(f"{name}.{secrets.token_hex(8)}{PARTIAL_SUFFIX}", content)
    try:
        os.replace(storage.path(partial), storage.path(name))
    except BaseException:
        storage.delete(partial)
        raise
    return name


def names(folder: str = "") -> list[str]:
    """Every file under `folder` (all of them by default), as storage names, in a stable order; a file
    still being written (`.part`) is not one."""
    storage = private_storage()
    if is_folder(storage) and not os.path.isdir(storage.path(folder)):
        return []
    found = []
    pending = [folder]
    while pending:
        current = pending.pop()
        directories, files = storage.listdir(current)
        found.extend(posixpath.join(current, file) for file in files if not file.endswith(PARTIAL_SUFFIX))
        pending.extend(posixpath.join(current, directory) for directory in directories)
    return sorted(found)


def _signed_url_seconds(storage: Storage) -> int:
    """How long a signed URL of the object store lives, or 0 when downloads are streamed."""
    seconds = settings.STORAGE_S3_SIGNED_URL_SECONDS
    if seconds <= 0 or is_folder(storage):
        return 0
    from storages.backends.s3 import S3Storage  # boto3: loaded only where a bucket is configured

    return seconds if isinstance(storage, S3Storage) else 0


def download(name: str, *, filename: str, content_type: str, as_attachment: bool, policy: str = ""):
    """The answer to a request, whose access is already checked, for the stored file `name` under the
    download name `filename`: the file streamed (with `policy` as its Content-Security-Policy), or a 302
    to a signed URL of the object that sends the same type and disposition. Never kept by a browser's or
    a proxy's cache; 404 when the file is not there."""
    storage = private_storage()
    if seconds := _signed_url_seconds(storage):
        if not storage.exists(name):
            raise Http404(MISSING)
        parameters = {
            "ResponseContentType": content_type,
            "ResponseContentDisposition": content_disposition_header(as_attachment, filename),
            "ResponseCacheControl": "private, no-store",
        }
        response = HttpResponseRedirect(storage.url(name, parameters=parameters, expire=seconds))
    else:
        try:
            handle = storage.open(name, "rb")
        except FileNotFoundError as error:
            raise Http404(MISSING) from error
        response = FileResponse(
            handle, as_attachment=as_attachment, filename=filename, content_type=content_type
        )
        if policy:
            response["Content-Security-Policy"] = policy  # the site's policy is not added over it
    patch_cache_control(response, private=True, no_store=True)
    return response
