"""Patterns that find a person's identities in stored free text (failed items' payloads).

Payloads are JSON as received, sometimes cut or not JSON at all, so they are searched as text,
by PostgreSQL regular expressions (``payload ~* ANY(patterns)``: one query for any number of
identities). Each pattern is anchored on what surrounds the identity, so that ``ann`` finds
``"@Ann"`` or ``/ann`` but not ``joanna``, and a phone number is found however it is spaced.
"""
import re

try:
    import phonenumbers
except ImportError:  # declared by social_crm's manifest; phone numbers are then matched as typed
    phonenumbers = None

_SEPARATORS = "[[:space:].()/-]"


def _escape(text):
    """``text`` as a literal in a PostgreSQL advanced regular expression (a backslash before a
    non-alphanumeric character makes it literal there too)."""
    return "".join(char if char.isalnum() or char == "_" else "\\" + char for char in text)


def handle_pattern(handle):
    """A handle written as a handle or in a profile address: after ``@``, ``/`` or a quote."""
    handle = (handle or "").strip().lstrip("@").lower()
    if not handle:
        return None
    return rf"(?<=[@/\"']){_escape(handle)}(?![[:alnum:]_])"


def url_pattern(url):
    """A profile address, with or without its scheme and ``www.``, not inside a longer one."""
    core = re.sub(r"^[a-z][a-z0-9+.-]*://", "", (url or "").strip(), flags=re.IGNORECASE)
    core = re.sub(r"^(www|m|mobile)\.", "", core, flags=re.IGNORECASE).rstrip("/")
    if "/" not in core:  # a bare host names a site, not a person
        return None
    return rf"(?<![[:alnum:]_.-])(?:(?:www|m|mobile)\.)?{_escape(core)}(?![[:alnum:]_-])"


def email_pattern(email):
    """An e-mail address, not part of a longer one."""
    email = (email or "").strip()
    if "@" not in email:
        return None
    return rf"(?<![[:alnum:]_.+-]){_escape(email)}(?![[:alnum:]_-]|\.[[:alnum:]])"


def phone_pattern(number):
    """A phone number (E.164) however it is written: international or national form, spaced,
    dotted, dashed or with the area code in brackets."""
    number = (number or "").strip()
    country, national = "", re.sub(r"\D", "", number)
    if phonenumbers is not None and number.startswith("+"):
        try:
            parsed = phonenumbers.parse(number)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is not None:
            country, national = str(parsed.country_code), str(parsed.national_number)
    if len(national) < 6:  # too short to stand for one person
        return None
    digits = f"{_SEPARATORS}{{0,2}}".join(national)
    prefix = rf"(?:(?:\+|00)?{country}{_SEPARATORS}{{0,3}})?0?{_SEPARATORS}{{0,2}}" if country else ""
    return rf"(?<![0-9]){prefix}{digits}(?![0-9])"


def identity_patterns(handles=(), urls=(), emails=(), phones=()):
    """The sorted, de-duplicated patterns of these identities (empty values are skipped)."""
    patterns = {handle_pattern(handle) for handle in handles}
    patterns |= {url_pattern(url) for url in urls}
    patterns |= {email_pattern(email) for email in emails}
    patterns |= {phone_pattern(phone) for phone in phones}
    return sorted(pattern for pattern in patterns if pattern)


def like_escape(text):
    """``text`` as a literal inside a LIKE pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
