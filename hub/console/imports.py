"""``/import`` (admins only): uploading a CSV or XLSX of clients or of sales, the import's progress
bar (``/import/{id}/progress``, polled by ``static/import.js``), its summary, and its rejected
rows — on the page and as a CSV to fix and import again (``/import/{id}/rejected.csv``).

A file larger than ``import_upload.LIMIT``, of another type (by its name or its content) or that
cannot be read as the import expects is refused with a message saying so, and nothing is
imported. A dry run checks everything and stores nothing."""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from hub.bootstrap.console import IMPORTS
from hub.console.access import page, person, refused, see_other, token_is_ours
from hub.console.import_upload import LIMIT, UploadError, file_type, read_upload
from hub.console.import_work import KINDS, start_import
from hub.console.nav import ADMINS
from hub.console.render import HEADERS, language, message, render
from hub.domain.csrf import FIELD
from hub.services.import_runs import ImportRun
from hub.services.spreadsheets import CsvFormatError

RUN = r"/import/{id:[0-9a-f]+}"


def _form(
    request: web.Request, *, error: str = "", detail: str = "", status: int = 200
) -> web.Response:
    context = {
        "runs": request.app[IMPORTS].recent(),
        "error": error,
        "detail": detail,
        "limit_mb": LIMIT // (1024 * 1024),
    }
    return render(request, "import.html", context, person=person(request), status=status)


async def form(request: web.Request) -> web.StreamResponse:
    return _form(request)


async def upload(request: web.Request) -> web.StreamResponse:
    """The upload, read as it streams in: the form token is checked once the form is read (the
    usual check reads the whole body at once, within the API's small limit), before anything
    is imported."""
    me = person(request)
    try:
        posted = await read_upload(request)
    except UploadError as exc:
        return _form(request, error=exc.key, status=exc.status)
    if not token_is_ours(request, posted.fields.get(FIELD, ""), me):
        return refused(request, me)
    kind = posted.fields.get("kind", "clients")
    if kind not in KINDS:
        return _form(request, error="kind", status=400)
    try:
        suffix = file_type(posted)
        run = await start_import(
            request,
            kind=kind,
            filename=posted.filename,
            data=posted.data,
            suffix=suffix,
            actor=me.name,
            dry_run=posted.fields.get("dry_run") == "1",
            update_names=posted.fields.get("update_names") == "1",
        )
    except UploadError as exc:
        return _form(request, error=exc.key, status=exc.status)
    except CsvFormatError as exc:
        return _form(request, error="read", detail=str(exc)[:500], status=400)
    return see_other(f"/import/{run.id}")


def _run(request: web.Request) -> ImportRun:
    found = request.app[IMPORTS].get(request.match_info["id"])
    if found is None:
        raise web.HTTPNotFound()
    return found


async def run_page(request: web.Request) -> web.StreamResponse:
    try:
        run = _run(request)
    except web.HTTPNotFound:
        return message(
            request, "import_gone_title", "import_gone", status=404, person=person(request)
        )
    said = language(request)
    context = {
        "run": run,
        "rows": run.rejected_rows(said, limit=500),
        "remarks": run.remarks_in(said, limit=200),
    }
    return render(request, "import_run.html", context, person=person(request))


async def progress(request: web.Request) -> web.StreamResponse:
    run = _run(request)
    body = {"state": run.state, "done": run.done, "total": run.total, "percent": run.percent}
    return web.json_response(body, headers=HEADERS)


async def rejected(request: web.Request) -> web.StreamResponse:
    run = _run(request)
    name = f"rejected-{run.filename.rsplit('.', 1)[0]}.csv"
    return web.Response(
        body=run.rejected_csv(language(request)),
        content_type="text/csv",
        charset="utf-8",
        headers={
            **HEADERS,
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
        },
    )


ROUTES = [
    web.get("/import", page(form, roles=ADMINS)),
    web.post("/import", page(upload, roles=ADMINS, streamed=True)),
    web.get(RUN, page(run_page, roles=ADMINS)),
    web.get(RUN + "/progress", page(progress, roles=ADMINS)),
    web.get(RUN + "/rejected.csv", page(rejected, roles=ADMINS)),
]
