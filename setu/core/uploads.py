"""Upload limits enforced while the body streams in (Django's own limit skips multipart files)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class LimitedUploadHandler(FileUploadHandler):
    """Refuse a request whose files exceed SETU_UPLOAD_MAX_BYTES before they are written anywhere."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803
        # The whole body is bounded first: a body larger than one file may be plus the form fields is refused.
        if content_length and content_length > settings.SETU_UPLOAD_MAX_BYTES + 1024 * 1024:
            raise RequestDataTooBig("Upload larger than the limit.")
        self.received = 0
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.SETU_UPLOAD_MAX_BYTES:
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        self.received = 0
        return None
