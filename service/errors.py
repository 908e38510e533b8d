"""Domain exceptions. They know nothing of HTTP; `service.http.errors` maps them to responses."""
from __future__ import annotations


class PaichaError(Exception):
    """Base: a Chinese message for the user, and optional itemised errors."""

    code = "error"

    def __init__(self, message: str, errors: list[dict] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or []


class InvalidDataset(PaichaError):
    """The dataset breaks the contract; errors are [{"path", "message"}], all of them at once."""

    code = "invalid_dataset"

    def __init__(self, errors: list[dict], message: str = "数据未通过校验，请按错误列表逐项修改"):
        super().__init__(message, errors)


class UnknownDocument(PaichaError):
    """A document, package or format id that the catalog does not have."""

    code = "unknown_document"


class BadUpload(PaichaError):
    """An uploaded file that is not what it claims to be (not XLSX/JSON, zip bomb, too big)."""

    code = "bad_upload"


class TooLarge(PaichaError):
    code = "too_large"


class ConversionUnavailable(PaichaError):
    """PDF asked for but no LibreOffice pool is available (not installed or not configured, or every
    instance died and does not start again: then `retry_after` says when the next start is tried)."""

    code = "pdf_unavailable"

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class ConversionBusy(PaichaError):
    """The conversion queue is full; retry after `retry_after` seconds."""

    code = "busy"

    def __init__(self, message: str, retry_after: int = 5):
        super().__init__(message)
        self.retry_after = retry_after


class ConversionFailed(PaichaError):
    """LibreOffice failed twice on a document."""

    code = "pdf_failed"


class UnsupportedFormat(PaichaError):
    """A format a document does not come in (e.g. xlsx for 工作方案)."""

    code = "unsupported_format"


class NotJson(PaichaError):
    """A request body that is not JSON at all."""

    code = "bad_json"


class StoreUnavailable(PaichaError):
    """The database did not answer in time (down, locked, a statement timed out); retry later."""

    code = "store_unavailable"

    def __init__(self, message: str, retry_after: int = 5):
        super().__init__(message)
        self.retry_after = retry_after


class StorageFull(PaichaError):
    """No room left where a file is written (the artifact directory, the temporary directory): nothing
    half-written is kept; room has to be made before it can succeed (507)."""

    code = "storage_full"


class UnknownBranch(PaichaError):
    """A branch code nothing has been stored for."""

    code = "unknown_branch"


class UnknownVersion(PaichaError):
    """A version number a branch does not have."""

    code = "unknown_version"


class UnknownVerificationCode(PaichaError):
    """A 校验码 that no stored version carries, or text that cannot be one."""

    code = "unknown_code"


class NotValidVersion(PaichaError):
    """Asked of a version that failed validation, or of a branch without a valid one (no dataset)."""

    code = "no_valid_version"


class InvalidBatch(PaichaError):
    """A batch request that cannot be run: unknown branches or packages, a wrong format, nothing to do."""

    code = "invalid_batch"


class UnknownBatch(PaichaError):
    """A batch id nothing was stored under."""

    code = "unknown_batch"


class BatchNotReady(PaichaError):
    """The batch's download asked for before every branch is finished, or with nothing in it."""

    code = "not_ready"


class QueueUnavailable(PaichaError):
    """REDIS_URL is set and Redis does not answer: batches cannot be started or followed; retry later."""

    code = "queue_unavailable"

    def __init__(self, message: str, retry_after: int = 10):
        super().__init__(message)
        self.retry_after = retry_after


class NotSignedIn(PaichaError):
    """No session and no valid token where one is needed (401, WWW-Authenticate: Bearer)."""

    code = "unauthorized"

    def __init__(self, message: str, invalid_token: bool = False):
        super().__init__(message)
        self.headers = {"WWW-Authenticate": 'Bearer realm="paicha", error="invalid_token"' if invalid_token
                        else 'Bearer realm="paicha"'}


class Forbidden(PaichaError):
    """A signed-in principal asking for what its role or branches do not allow (403)."""

    code = "forbidden"


class CsrfFailed(PaichaError):
    """A form or session-authenticated call without a valid CSRF token (an old page, or another site)."""

    code = "csrf_failed"


class BadQuery(PaichaError):
    """Query parameters that cannot be read (a date that is not one, a page below 1)."""

    code = "bad_query"


class BadRoster(PaichaError):
    """A roster that cannot be read at all (no spreadsheet, no recognisable header, an empty sheet, a
    password): the message says in Chinese what was found instead."""

    code = "bad_roster"


class InvalidRegister(PaichaError):
    """The district's register of branches or its campaign, as sent, breaks a rule; errors list each
    problem at its place (a JSON path, or a file's row and column): nothing of it was stored."""

    code = "invalid_register"


class BranchHasSubmissions(PaichaError):
    """A register branch that has stored versions cannot be deleted: it is marked 撤销 or 合并 instead."""

    code = "branch_has_submissions"
class DeliverableIncomplete(PaichaError):
    """A 报送 of the 阶段性小结 or 工作总结 before the fields it reports on are filled: errors name each."""

    code = "incomplete_deliverable"
class InvalidSpotCheck(PaichaError):
    """A 随机抽查 request whose numbers are missing or out of range."""

    code = "invalid_spot_check"


class UnknownSpotCheck(PaichaError):
    """A 随机抽查 id nothing was stored under."""

    code = "unknown_spot_check"


class NoArchive(PaichaError):
    """The campaign archive asked for before one was ever started."""

    code = "no_archive"


class ArchiveNotReady(PaichaError):
    """The campaign archive asked for while the first one is still being built (or it failed)."""

    code = "not_ready"
class UnknownInvitation(PaichaError):
    """A member's link whose token is unknown, revoked or replaced by a newer invitation (404; no more is told)."""

    code = "unknown_invitation"


class InvitationExpired(PaichaError):
    """A member's link past its expiry: the clerk renews it (410)."""

    code = "invitation_expired"


class InvitationLocked(PaichaError):
    """A member's link locked after too many wrong identity checks: the clerk renews it (423)."""

    code = "invitation_locked"


class MemberCheckFailed(PaichaError):
    """The last six characters of the ID number are missing or wrong (403, the tries left in the message)."""

    code = "member_check_failed"


class UnknownMember(PaichaError):
    """ID numbers chosen for invitations that the branch's data does not have (422, each at its place)."""

    code = "unknown_member"


class UnknownResponse(PaichaError):
    """A member's response the branch does not have (404)."""

    code = "unknown_response"


class ResponseDecided(PaichaError):
    """A member's response already accepted or returned, or whose member left the branch's data (409)."""

    code = "response_decided"
