"""Canonical keys of social identities: the one place where handles, profile URLs, e-mails and
phone numbers are normalised.

Every lookup of a mention author goes through these keys (stored and indexed on the records),
so two spellings of one identity (``@Acme_Fan``, ``https://twitter.com/acme_fan?s=20``) always
meet. Invalid input raises :class:`IdentityError` with a message meant for the user.

The rules of each network here are those of the networks social_crm knows. Models reach them
through the ``_network_*`` methods of ``social.network.mixin``, which an addon overrides to add a
network: the functions that combine rules (:func:`parse_profile_url`, :func:`identity_key`) take
those methods in place of the built-in rules.
"""
import functools
import re
import unicodedata
from urllib.parse import parse_qs, unquote, urlsplit

from odoo.exceptions import UserError
from odoo.tools import email_normalize
from odoo.tools.mail import single_email_re

from odoo.addons.phone_validation.tools.phone_validation import phone_format

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
    ("forum", "Forum"),
    ("other", "Other"),
]
NETWORK_CODES = frozenset(code for code, _label in NETWORKS)
# Networks whose "handles" are user names of a site (a forum, a review site): they may hold spaces.
FREE_FORM_NETWORKS = frozenset({"review", "forum", "other"})
# Networks whose handles are shown without "@": addresses (user@instance, domains) and LinkedIn paths.
UNPREFIXED_NETWORKS = frozenset({"mastodon", "bluesky", "linkedin"})

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
_SPACE = re.compile(r"\s")  # the characters str.isspace() accepts: re's \s is defined by the same table
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
    if _SPACE.search(value):
        raise IdentityError(f"The handle {handle!r} contains spaces; a handle is a single word such as @name.")
    if len(value) > MAX_HANDLE_LENGTH or not HANDLE_PATTERNS[network].fullmatch(value):
        raise IdentityError(f"{handle!r} is not a valid {dict(NETWORKS)[network]} handle.")
    return value


def profile_key(network, handle):
    """The key a profile is stored and looked up by: ``network:canonical_handle``."""
    return f"{network}:{canonical_handle(network, handle)}"


def split_url(url):
    """``(host without mobile or legacy prefix, decoded path segments, query)`` of a web address."""
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


def network_profile_of_url(host, segments, query):
    """``(network, handle as written)`` of a profile address on a known network, in parts (see
    :func:`split_url`); ``(network, None)`` for another page of a known network, ``(None, None)``
    for a site of no known network."""
    network = _network_of_host(host)
    if network is None:
        if host.endswith(".bsky.social") and not segments:
            return "bluesky", host
        if segments and segments[0].startswith("@") and len(segments) == 1:
            # the fediverse convention https://instance/@user
            return "mastodon", f"{segments[0][1:]}@{host}"
        return None, None
    return network, _handle_from_segments(network, segments, query)


def parse_profile_url(url, profile_of_url=network_profile_of_url, canonical=canonical_handle):
    """Reduce a profile URL in any usual form to ``(network, canonical handle)``.

    Raises :class:`IdentityError` for addresses that are not profiles (posts, searches, home
    pages, unknown sites without a ``/@user`` path). ``profile_of_url`` and ``canonical`` are the
    network rules (:func:`network_profile_of_url`, :func:`canonical_handle` by default).
    """
    host, segments, query = split_url(url)
    network, handle = profile_of_url(host, segments, query)
    if network is None:
        raise IdentityError(f"{url!r} is not the address of a profile on a known network.")
    if not handle:
        raise IdentityError(f"{url!r} is not the address of a profile: paste the address of the profile page.")
    return network, canonical(network, handle)


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
    """The address as Odoo stores it in ``email_normalized`` (:func:`odoo.tools.email_normalize`),
    so an author is found on the contacts Odoo finds by e-mail; None when the text holds none."""
    text = str(email or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:"):]
    if single_email_re.fullmatch(text):  # a bare ASCII address: Odoo lower-cases it, at a fraction of the cost
        return text.lower()
    return email_normalize(text, strict=False) or None


def normalize_phone(number, region=None):
    """``(e164, valid)`` for a phone number typed in any usual way, formatted as Odoo formats the
    ``phone_sanitized`` of its contacts (phone_validation's ``phone_format`` in E.164).

    ``region`` (ISO country code of the partner, or of the company) resolves national numbers.
    An invalid number answers ``(None, False)``: the caller keeps what was typed and flags it.
    """
    text = str(number or "").strip()
    if not text:
        return None, False
    return _e164(text, (region or "").upper() or None)


@functools.lru_cache(maxsize=4096)  # parsing costs ~0.5 ms; batches repeat their authors' numbers
def _e164(text, region):
    try:
        value = phone_format(text, region, None, force_format="E164")
    except UserError:
        return None, False
    return (value, True) if value else (None, False)


# Identities of authors known by something else than a network handle. Their keys never collide
# with handle keys: no canonical handle holds a colon.
IDENTITY_TYPES = [
    ("handle", "Network handle"),
    ("account", "Account ID"),
    ("email", "E-mail"),
    ("phone", "Phone"),
    ("website", "Web site"),
    ("name", "Name"),
]
SCOPED_IDENTITY_TYPES = frozenset({"website", "name"})  # meaningful within one source only


def website_key(url):
    """The canonical form of a web site address: host without "www.", path, no query nor fragment."""
    if not re.match(r"https?://", str(url or "").strip(), re.IGNORECASE):
        raise IdentityError(f"{url!r} is not a web address.")
    host, segments, _query = split_url(url)
    return "/".join([host, *segments]).lower()


def identity_key(identity_type, network, value, source_id=None, canonicalize=canonical_handle,
                 networks=NETWORK_CODES):
    """``(canonical value, key)`` of an identity; raise :class:`IdentityError` if ``value`` is unusable.

    A handle keys as ``network:handle``; an account id, an e-mail or a phone as
    ``network:account:…``, ``network:email:…`` or ``network:phone:…``; a web site or a name,
    which say who someone is only within the source that shows them (a forum, a review site, a
    blog), as ``network:website:<source id>:…`` or ``network:name:<source id>:…``.
    ``canonicalize`` (of handles) and ``networks`` are the network rules (the built-in ones by default).
    """
    if identity_type in (None, False, "handle"):
        handle = canonicalize(network, value)  # refuses the networks it does not know
        return handle, f"{network}:{handle}"
    if network not in networks:
        raise IdentityError(f"Unknown network {network!r}.")
    if identity_type == "account":  # the network's permanent id of an account (X's author_id)
        canonical = str(value or "").strip().lower()
        if not re.fullmatch(r"[\w.:-]{1,100}", canonical):
            raise IdentityError(f"{value!r} is not an account id.")
    elif identity_type == "email":
        canonical = normalize_email(value)
        if not canonical:
            raise IdentityError(f"{value!r} is not an e-mail address.")
    elif identity_type == "phone":
        canonical = normalize_phone(value)[0]  # stored in E.164 already: no region needed
        if not canonical:
            raise IdentityError(f"{value!r} is not a phone number in international form.")
    elif identity_type == "website":
        canonical = website_key(value)
    elif identity_type == "name":
        canonical = " ".join(unicodedata.normalize("NFKC", str(value or "")).casefold().split())[:MAX_HANDLE_LENGTH]
        if not canonical:
            raise IdentityError("The name is empty.")
    else:
        raise IdentityError(f"Unknown kind of identity {identity_type!r}.")
    if identity_type in SCOPED_IDENTITY_TYPES:
        if not source_id:
            raise IdentityError(
                "A name or a web site identifies an author within a source only: the source is missing.")
        return canonical, f"{network}:{identity_type}:{source_id}:{canonical}"
    return canonical, f"{network}:{identity_type}:{canonical}"
