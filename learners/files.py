"""Serving private files (evidence) through permission-checked views: the storage gives them no URL."""

from django.http import FileResponse, Http404


def evidence_file_response(evidence):
    if not evidence.file:
        raise Http404
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1])
