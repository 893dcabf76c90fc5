"""Canonical keys of social identities: the one place where handles, profile URLs, e-mails and
phone numbers are normalised.

Every lookup of a mention author goes through these keys (stored and indexed on the records),
so two spellings of one identity (``@Acme_Fan``, ``https://twitter.com/acme_fan?s=20``) always
meet. Invalid input raises :class:`IdentityError` with a message meant for the user.
"""
import re
import unicodedata
from urllib.parse import parse_qs, unquote, urlsplit

try:
    import phonenumbers
except ImportError:  # declared in the manifest; phone keys are then left empty
    phonenumbers = None

NETWORKS = [
    ("x", "X (Twitter)"),
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("linkedin", "LinkedIn"),
    ("youtube", "YouTube"),
    ("tiktok", "TikTok"),
    ("reddit", "Reddit"),
    ("mastodon", "Mastodon"),
    ("bluesky", "Bluesky"),
    ("review", "Review site"),
    ("forum", "Forum / community"),
    ("other", "Other"),
]
NETWORK_CODES = frozenset(code for code, _label in NETWORKS)

MAX_HANDLE_LENGTH = 100
MAX_COUNT = 2**31 - 1  # the largest count stored (followers, reach): a PostgreSQL integer

# What a canonical handle may look like, per network (after lower-casing).
_DOMAIN = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
HANDLE_PATTERNS = {
    "x": re.compile(r"[a-z0-9_]{1,15}"),
    "instagram": re.compile(r"[a-z0-9_.]{1,30}"),
    "tiktok": re.compile(r"[a-z0-9_.]{2,24}"),
    "reddit": re.compile(r"[a-z0-9_-]{3,20}"),
    "facebook": re.compile(r"[a-z0-9.]{1,50}"),
    "linkedin": re.compile(r"(?:company/|school/)?[\w-]{2,100}"),
    "youtube": re.compile(r"[\w.-]{3,100}"),
    "mastodon": re.compile(r"[a-z0-9_]{1,30}(?:@" + _DOMAIN + r")?"),
    "bluesky": re.compile(_DOMAIN),
    "review": re.compile(r"[\w.@+-]{1,100}"),
    "forum": re.compile(r"[\w.@+-]{1,100}"),
    "other": re.compile(r"[\w.@+-]{1,100}"),
}

# Hosts of the networks, without "www.", "m.", "mobile." and other mobile/legacy prefixes.
NETWORK_HOSTS = {
    "x.com": "x", "twitter.com": "x",
    "facebook.com": "facebook", "fb.com": "facebook",
    "instagram.com": "instagram", "instagr.am": "instagram",
    "linkedin.com": "linkedin",
    "youtube.com": "youtube",
    "tiktok.com": "tiktok",
    "reddit.com": "reddit",
    "bsky.app": "bluesky",
}
_HOST_PREFIXES = ("www.", "m.", "mobile.", "web.", "old.", "new.", "np.", "touch.", "mbasic.")

# First path segments that are pages of the network, not profiles.
RESERVED_PATHS = {
    "x": {"home", "explore", "search", "settings", "i", "intent", "share", "hashtag", "login", "logout",
          "messages", "notifications", "compose", "tos", "privacy", "signup"},
    "facebook": {"groups", "events", "pages", "watch", "marketplace", "login", "sharer", "sharer.php",
                 "share", "photo", "photo.php", "story.php", "permalink.php", "hashtag", "help", "settings"},
    "instagram": {"p", "reel", "reels", "explore", "stories", "accounts", "direct", "tv"},
    "tiktok": {"tag", "music", "discover", "foryou", "following", "live", "search"},
}


class IdentityError(ValueError):
    """Input that cannot be turned into a canonical key; the message is meant for the user."""


def canonical_handle(network, handle):
    """Return the canonical form of ``handle`` on ``network`` (lower-case, no "@", no prefix).

    Network rules: Mastodon keeps ``user@instance``; Bluesky handles are domains (a bare name
    gets ``.bsky.social``); Reddit drops ``u/``; LinkedIn drops ``in/``; YouTube drops ``@``.
    """
    if network not in NETWORK_CODES:
        raise IdentityError(f"Unknown network {network!r}.")
    value = unicodedata.normalize("NFKC", str(handle or "")).strip().lower()
    if network == "reddit":
        value = re.sub(r"^/?(?:u|user)/", "", value)
    elif network == "linkedin":
        value = re.sub(r"^/?in/", "", value).strip("/")
    value = value.lstrip("@")
    if network == "bluesky" and value and "." not in value:
        value += ".bsky.social"
    if not value:
        raise IdentityError("The handle is empty.")
    if any(char.isspace() for char in value):
        raise IdentityError(f"The handle {handle!r} contains spaces; a handle is a single word such as @name.")
    if len(value) > MAX_HANDLE_LENGTH or not HANDLE_PATTERNS[network].fullmatch(value):
        raise IdentityError(f"{handle!r} is not a valid {dict(NETWORKS)[network]} handle.")
    return value


def profile_key(network, handle):
    """The key a profile is stored and looked up by: ``network:canonical_handle``."""
    return f"{network}:{canonical_handle(network, handle)}"


def _split_url(url):
    text = str(url or "").strip()
    if not text:
        raise IdentityError("The URL is empty.")
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. "https://[x", an unclosed IPv6 address
        raise IdentityError(f"{url!r} is not a web address.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise IdentityError(f"{url!r} is not a web address.")
    host = parts.hostname.lower()
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix):]
            break
    segments = [unquote(seg) for seg in parts.path.split("/") if seg]
    return host, segments, parts.query


def _network_of_host(host):
    if host in NETWORK_HOSTS:
        return NETWORK_HOSTS[host]
    # country sites of LinkedIn (fr.linkedin.com) and legacy Twitter hosts
    base = ".".join(host.rsplit(".", 2)[-2:])
    return NETWORK_HOSTS.get(base)


def parse_profile_url(url):
    """Reduce a profile URL in any usual form to ``(network, canonical handle)``.

    Raises :class:`IdentityError` for addresses that are not profiles (posts, searches, home
    pages, unknown sites without a ``/@user`` path).
    """
    host, segments, query = _split_url(url)
    network = _network_of_host(host)
    if network is None:
        if host.endswith(".bsky.social") and not segments:
            return "bluesky", canonical_handle("bluesky", host)
        if segments and segments[0].startswith("@") and len(segments) == 1:
            # the fediverse convention https://instance/@user
            return "mastodon", canonical_handle("mastodon", f"{segments[0][1:]}@{host}")
        if len(segments) == 2 and segments[0] == "users":
            return "mastodon", canonical_handle("mastodon", f"{segments[1]}@{host}")
        raise IdentityError(f"{url!r} is not the address of a profile on a known network.")
    handle = _handle_from_segments(network, segments, query)
    if not handle:
        raise IdentityError(f"{url!r} is not the address of a profile: paste the address of the profile page.")
    return network, canonical_handle(network, handle)


def _handle_from_segments(network, segments, query):
    if not segments:
        return None
    first = segments[0].lower()
    if first in RESERVED_PATHS.get(network, ()):
        return None
    if network == "x":
        return first if len(segments) == 1 or segments[1] in ("with_replies", "media", "likes") else None
    if network == "facebook":
        if first == "profile.php":
            ids = parse_qs(query).get("id")
            return ids[0] if ids else None
        if first == "people" and len(segments) >= 3:
            return segments[2]
        return first if len(segments) == 1 or segments[1] in ("about", "photos", "friends") else None
    if network == "instagram":
        return first if len(segments) == 1 else None
    if network == "linkedin":
        if first in ("in", "company", "school") and len(segments) >= 2:
            return segments[1] if first == "in" else f"{first}/{segments[1]}"
        return None
    if network == "youtube":
        if first.startswith("@"):
            return first
        if first in ("channel", "c", "user") and len(segments) >= 2:
            return segments[1]
        return None
    if network == "tiktok":
        return first if first.startswith("@") and len(segments) == 1 else None
    if network == "reddit":
        return segments[1] if first in ("u", "user") and len(segments) >= 2 else None
    if network == "bluesky":
        return segments[1] if first == "profile" and len(segments) == 2 else None
    return None


PROFILE_URL_FORMATS = {
    "x": "https://x.com/{}",
    "facebook": "https://www.facebook.com/{}",
    "instagram": "https://www.instagram.com/{}",
    "youtube": "https://www.youtube.com/@{}",
    "tiktok": "https://www.tiktok.com/@{}",
    "reddit": "https://www.reddit.com/user/{}",
    "bluesky": "https://bsky.app/profile/{}",
}


def profile_url(network, handle):
    """The canonical address of a profile, or None where the network has no fixed pattern."""
    if network == "linkedin":
        return f"https://www.linkedin.com/{handle if '/' in handle else 'in/' + handle}"
    if network == "mastodon" and "@" in handle:
        user, instance = handle.split("@", 1)
        return f"https://{instance}/@{user}"
    pattern = PROFILE_URL_FORMATS.get(network)
    return pattern.format(handle) if pattern else None


def web_url(value, assume_https=False):
    """``value`` when it is an http(s) address, else ``False``: a ``javascript:`` link must never reach a page.

    With ``assume_https``, an address typed without a scheme (``x.com/acme``) gets ``https://``.
    """
    text = str(value or "").strip()
    if assume_https and text and not re.match(r"[a-z][a-z0-9+.-]*:(?!\d)", text, re.IGNORECASE):
        text = "https://" + text
    return text if text.lower().startswith(("http://", "https://")) else False


def normalize_email(email):
    """Lower-cased, trimmed e-mail address, or None when the text holds no address."""
    value = str(email or "").strip().lower()
    if value.startswith("mailto:"):
        value = value[len("mailto:"):]
    return value if re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", value) else None


def normalize_phone(number, region=None):
    """``(e164, valid)`` for a phone number typed in any usual way.

    ``region`` (ISO country code of the partner, or of the company) resolves national numbers.
    An invalid number answers ``(None, False)``: the caller keeps what was typed and flags it.
    """
    text = str(number or "").strip()
    if not text or phonenumbers is None:
        return None, False
    try:
        parsed = phonenumbers.parse(text, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return None, False
    if not phonenumbers.is_valid_number(parsed):
        return None, False
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), True
