"""The "private" storage alias (settings.STORAGES): evidence uploads and PDF certificates.

Development and tests keep them on disk; production may point the alias at S3-compatible storage
(django-storages) without touching the models. Private files are never linked directly: they are served
through permission-checked views, so the on-disk backend refuses to make URLs.
"""

from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a permission-checked view.")


def private_storage():
    """The model fields' storage, looked up when used, so settings (and tests) decide which backend it is."""
    return storages["private"]
