"""What every router needs from a request: the current user, access checks, rendering.

The routers (``pages_*``, ``api``) import from here and from ``security`` (CSRF, roles);
``app`` only assembles them. Nothing here imports a router.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request, UploadFile
from fastapi.responses import Response

from einvoice.services import account_lifecycle, submissions, tokens, upload
from einvoice.services.accounts import Role, User, get_user
from einvoice.web.security import STAFF, require_role

# Who may read an invoice page: the department's staff, and the Stabsstelle (all departments).
# Creditor accounting reads every invoice too (to clear payment holds, issue 12).
READERS = (*STAFF, Role.STABSSTELLE, Role.CREDITOR_ACCOUNTING)


class LoginRequired(Exception):
    pass


SESSION_COOKIE = "einvoice_sid"
# Where each role lands after logging in.
HOME = {
    Role.SUPPLIER: "/meine-rechnungen",
    Role.CLERK: "/eingang",
    Role.APPROVER: "/eingang",
    Role.DEPARTMENT_ADMIN: "/eingang",
    Role.STABSSTELLE: "/stabsstelle",
    Role.CREDITOR_ACCOUNTING: "/kreditoren",
    Role.ADMIN: "/betrieb",
}


def current_session(request: Request) -> Any:
    """The live server-side session of the request's cookie (or None), looked up once."""
    from einvoice.services import web_sessions

    if hasattr(request.state, "web_session"):
        return request.state.web_session
    token = request.cookies.get(SESSION_COOKIE, "")
    found = web_sessions.resolve(
        request.app.state.container.sessions, token, request.app.state.settings.session_policy
    )
    request.state.web_session = found
    return found


def optional_user(request: Request) -> User | None:
    if hasattr(request.state, "user"):
        cached: User | None = request.state.user
        return cached
    live = current_session(request)
    user = None
    if live is not None:  # resolve read the account with the session
        user = live.user or get_user(request.app.state.container.sessions, live.account_id)
    request.state.user = user
    return user


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unbekannt"


def start_session(
    request: Request,
    response: Response,
    user: User,
    *,
    via: str = "password",
    id_token: str | None = None,
) -> None:
    """Log in: a new session (new id: no fixation), a fresh CSRF token, the cookie set."""
    from einvoice.services import web_sessions
    from einvoice.web.security import csrf_token

    settings = request.app.state.settings
    old = current_session(request)
    if old is not None:
        web_sessions.revoke(request.app.state.container.sessions, old.id, "replaced")
    token = web_sessions.start(
        request.app.state.container.sessions,
        user.id,
        settings.session_policy,
        address=client_address(request),
        user_agent=request.headers.get("user-agent", ""),
        via=via,
        id_token=id_token,
    )
    request.session.clear()
    csrf_token(request)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(settings.session_policy.absolute_lifetime.total_seconds()),
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
        path="/",
    )


def end_session(request: Request, response: Response, reason: str = "logout") -> None:
    from einvoice.services import web_sessions

    live = current_session(request)
    if live is not None:
        web_sessions.revoke(request.app.state.container.sessions, live.id, reason)
    request.session.clear()
    response.delete_cookie(
        SESSION_COOKIE, path="/", secure=request.app.state.settings.cookie_secure, httponly=True
    )


def page_user(request: Request) -> User:
    """The logged-in user of an HTML page (else redirect to the login page)."""
    user = optional_user(request)
    if user is None:
        raise LoginRequired()
    return user


def api_user(request: Request) -> User:
    """The logged-in user of an API call (else 401)."""
    user = optional_user(request)
    if user is None:
        raise HTTPException(401, "Anmeldung erforderlich.")
    return user


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("user", optional_user(request))
    response: Response = request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status_code
    )
    return response


def department_of_invoice(request: Request, invoice_id: int) -> str | None:
    """The department whose queue holds the invoice (one small query)."""
    from sqlalchemy import select

    from einvoice.storage.tables import Invoice, Workflow

    query = (
        select(Invoice.id, Workflow.department)
        .outerjoin(Workflow, Workflow.invoice_id == Invoice.id)
        .where(Invoice.id == invoice_id)
    )
    with request.app.state.container.sessions() as session:
        found = session.execute(query).first()
    if found is None:
        raise HTTPException(404, "Diese Rechnung gibt es nicht.")
    department: str | None = found.department
    return department


def check_invoice_access(request: Request, user: User, invoice_id: int) -> None:
    """Staff see only their department's invoices; the Stabsstelle reads all."""
    require_role(user, READERS)
    if user.role in (Role.STABSSTELLE, Role.CREDITOR_ACCOUNTING):
        return
    department = department_of_invoice(request, invoice_id)
    if department is None and user.department is not None:
        # rejected on arrival, in no department: the office for unassigned invoices answers
        from einvoice.services.arrival_rejections import fallback_department

        department = fallback_department(request.app.state.container.pipeline)
    if department != user.department:
        raise HTTPException(403, "Diese Rechnung gehört nicht zu Ihrem Amt.")


def workflow_status(request: Request) -> submissions.WorkflowStatus | None:
    status: submissions.WorkflowStatus | None = getattr(request.app.state, "workflow_status", None)
    return status


def uploaded_name(file: UploadFile, default: str) -> str:
    """The uploaded file's own name without the browser's folders (some send ``C:\\...``),
    at most 200 characters; ``default`` when the browser sent none."""
    return (file.filename or default).replace("\\", "/").rsplit("/", 1)[-1][:200]


async def read_limited(file: UploadFile, limit: int) -> bytes:
    """Read at most ``limit`` bytes; a larger upload is refused, not truncated."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await file.read(1024 * 1024)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise HTTPException(
                413,
                f"Die Datei ist zu groß (mehr als {limit // (1024 * 1024)} MB). "
                "Bitte eine kleinere Datei einreichen.",
            )
        chunks.append(chunk)
    return b"".join(chunks)


def do_submit(request: Request, user: User, data: bytes, filename: str) -> upload.Submission:
    """A supplier's upload, from the page or the API: stored, checked, reported."""
    pipeline = request.app.state.container.pipeline
    return upload.submit(pipeline, data, filename, user.id, request.app.state.on_invoice)


def mail_links(request: Request) -> account_lifecycle.MailLinks:
    container = request.app.state.container
    settings = request.app.state.settings
    workflow = getattr(container.pipeline, "workflow", None)
    mailer = getattr(request.app.state, "mailer", None) or (workflow.mailer if workflow else None)
    return account_lifecycle.MailLinks(
        mailer,
        tokens.Signer(settings.secret_key),
        settings.base_url.rstrip("/"),
        sessions=container.sessions,  # recorded in the outbox, sent after the response
    )


def send_after_response(request: Request, response: Response, links: Any) -> Response:
    """The e-mails ``links`` recorded go out after ``response`` is sent (a background
    task): how long a request takes never depends on the SMTP server, nor on whether an
    address is registered."""
    if links.queued:
        from starlette.background import BackgroundTask

        response.background = BackgroundTask(
            account_lifecycle.deliver_queued,
            request.app.state.container.pipeline,
            links.mailer,
            list(links.queued),
        )
    return response
