"""The API's one mapping from failures to the error JSON of API.md; a failed request rolls back."""

from typing import Any

from flask.typing import ResponseReturnValue

from app.api import bp
from app.errors import api_error
from app.extensions import db
from app.services.errors import DomainError

# A domain error's ``code`` decides its status; SeriesRejected says "conflict" or "invalid".
STATUS_FOR_CODE = {"invalid": 422, "forbidden": 403, "not_found": 404, "conflict": 409}


class ApiError(Exception):
    """A request the API cannot read (400) or will not serve (401), answered as error JSON."""

    def __init__(
        self,
        status: int,
        message: Any = None,
        fields: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)  # kept lazy: translated when the response is written
        self.status = status
        self.message = message
        self.details: dict[str, Any] = (
            {"fields": {name: str(text) for name, text in fields.items()}} if fields else {}
        )
        self.headers = headers or {}


def bad_request(field: str, message: Any) -> ApiError:
    """A 400 that names the field at fault in ``details.fields``."""
    return ApiError(400, message, {field: message})


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError) -> ResponseReturnValue:
    db.session.rollback()
    status = STATUS_FOR_CODE.get(error.code, 422)
    return api_error(status, str(error.message) or None, error.details)


@bp.errorhandler(ApiError)
def _api_error(error: ApiError) -> ResponseReturnValue:
    db.session.rollback()
    response, status = api_error(error.status, str(error.message or "") or None, error.details)
    response.headers.update(error.headers)
    return response, status
