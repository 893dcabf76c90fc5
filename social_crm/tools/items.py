"""Reading the items pushed to ingestion (the webhook format): each value checked, cleaned and
bounded as PostgreSQL can store it, or refused with an :class:`ItemError` that names the field."""
import reprlib
from datetime import datetime, timezone

from dateutil import parser as date_parser

from .identity import MAX_COUNT

MAX_BODY_CHARS = 50_000
MAX_ITEMS_PER_CALL = 5_000
MAX_ERROR_CHARS = 1_000


class ItemError(ValueError):
    """An item that cannot become a mention; the message is stored in quarantine and answered."""


def clean_text(value, limit=None):
    """``value`` as PostgreSQL can store it: no NUL, lone surrogates replaced by "?", at most
    ``limit`` characters."""
    value = value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    return value if limit is None else value[:limit]


_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = _SHORT_REPR.maxlong = 60


def shown(value):
    """A short, storable representation of any value received, for error messages."""
    try:
        return clean_text(_SHORT_REPR.repr(value))
    except ValueError:  # an integer of more digits than Python converts to text
        return f"an integer of {value.bit_length()} bits" if isinstance(value, int) else type(value).__name__


def item_text(value, limit, field):
    """A clean string (see :func:`clean_text`) of at most ``limit`` characters; "" when absent."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ItemError(f"{field}: expected text, got {type(value).__name__}")
    return clean_text(value[:limit * 2], limit)  # cut first: NUL and surrogates are few, texts may be huge


def item_identifier(value, field):
    """The text of an id given as a string or an integer; "" when absent."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ItemError(f"{field}: must be a string or an integer, not {type(value).__name__}")
    if isinstance(value, int):
        if value.bit_length() > 850:  # beyond 255 digits, and str() refuses ints of over 4,300 digits
            raise ItemError(f"{field}: longer than 255 characters")
        value = str(value)
    value = item_text(value, 256, field).strip()
    if len(value) > 255:
        raise ItemError(f"{field}: longer than 255 characters")
    return value


def item_datetime(value):
    """Naive UTC datetime from ISO 8601, RFC 2822, epoch seconds or milliseconds; None when absent."""
    if value in (None, ""):
        return None
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            stamp = value / 1000 if value > 10**11 else value
            moment = datetime.fromtimestamp(stamp, tz=timezone.utc)
        else:
            text = item_text(value, 100, "posted_at").strip()
            try:
                moment = datetime.fromisoformat(text)  # the usual case, much faster than dateutil
            except ValueError:
                moment = date_parser.parse(text)
        if moment.tzinfo:  # "0001-01-01T00:00:00+01:00" or an offset of +99:00 overflow here
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError, TypeError) as error:
        raise ItemError(f"posted_at: {shown(value)} is not a date ({clean_text(str(error), 200)})") from None
    if not 1990 <= moment.year <= 2100:
        raise ItemError(f"posted_at: {shown(value)} is out of range")
    return moment.replace(microsecond=0)


def item_count(value, field):
    """A count (followers): an integer between 0 and ``MAX_COUNT``, 0 when absent."""
    if value in (None, ""):
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise ItemError(f"{field}: {shown(value)} is not a number") from None
    return min(max(number, 0), MAX_COUNT)
