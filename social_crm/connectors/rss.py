"""RSS 0.9x, 1.0 (RDF), 2.0 and Atom 0.3, 1.0 feeds, fetched with requests and parsed by feedparser.

feedparser is given the bytes of the answer and its Content-Type, so it decodes the feed from its
byte-order mark, its XML declaration or the HTTP charset, and else from the text itself (chardet,
one of Odoo's requirements): feeds in KOI8-R or Shift_JIS that declare nothing read right.

A feed is one page. Cursor: ``{"seen": ids of the entries in the last fetch, "etag", "modified"}``:
entries already seen are left out, and ETag / Last-Modified make an unchanged feed answer 304.
"""
import hashlib
import io
import re

import feedparser

from .base import Connector, Page, html_to_text, iso_utc, looks_like_html, make_author, public_url

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
# What blog platforms write for authors they do not know (Blogger: "Anonymous", noreply@blogger.com).
PLACEHOLDER_NAMES = frozenset({"anonymous", "unknown", "anonyme", "anónimo", "anonimo", "anonym"})
# Blogger's comment feeds: a reply to a comment links the comment it answers as "related"
BLOGGER_COMMENT_LINK = re.compile(r"/feeds/(\d+)/\d+/comments/default/(\d+)$")
PLACEHOLDER_EMAIL = re.compile(r"^(?:no-?reply|do-?not-?reply|nobody)(?:[+.][^@]*)?@", re.IGNORECASE)


class RssConnector(Connector):
    """Entries of an RSS or Atom feed; the network of the mentions comes from ``config["network"]``."""

    label = "RSS/Atom feed"
    accepts_unknown_authors = True  # a feed entry may name no author at all

    def __init__(self, config, **options):
        super().__init__(config, **options)
        self.url = self._setting("url", required=True)
        self.network = self._setting("network", "other")

    def fetch_page(self, cursor):
        state = self._load_cursor(cursor, seen=[], etag=None, modified=None)
        headers = {"Accept": FEED_ACCEPT}
        if state["etag"]:
            headers["If-None-Match"] = state["etag"]
        if state["modified"]:
            headers["If-Modified-Since"] = state["modified"]
        response, body = self._get(self.url, headers=headers)
        if response.status_code == 304:
            return Page([], self._dump_cursor(state), False)
        feed = self._parse(response, body)
        items = {}  # by id: some feeds repeat an entry
        for entry in feed.entries:
            item = self._normalize(entry, feed.feed, atom=feed.version.startswith("atom"))
            items.setdefault(item["id"], item)
        seen = set(state["seen"])
        cursor = {
            "seen": list(items),
            "etag": response.headers.get("ETag"),
            "modified": response.headers.get("Last-Modified"),
        }
        return Page([item for item_id, item in items.items() if item_id not in seen], self._dump_cursor(cursor), False)

    def _parse(self, response, body):
        content_type = response.headers.get("Content-Type", "")
        # A stream, never bytes or str: feedparser would treat those as a file name or a URL to open.
        feed = feedparser.parse(
            io.BytesIO(body), response_headers={"content-type": content_type, "content-location": response.url}
        )
        if not feed.version:
            shown = public_url(response.url)
            if looks_like_html(body, content_type):
                raise self._error(f"{shown} answered an HTML page instead of an RSS or Atom feed.")
            reason = feed.get("bozo_exception") or "unknown format"
            raise self._error(f"{shown} did not answer an RSS or Atom feed ({reason}).")
        return feed

    def _normalize(self, entry, feed_info, atom=False):
        title = html_to_text(entry.get("title"))
        content = entry.get("content") or [{}]
        body = html_to_text(content[0].get("value") or entry.get("summary"))
        text = "\n\n".join(part for part in (title, body if body != title else "") if part)
        language = (entry.get("summary_detail") or {}).get("language") or feed_info.get("language")
        # RSS pubDate, Atom 1.0 published / updated, Atom 0.3 issued / modified / created, RSS 1.0 dc:date
        parsed_date = entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("created_parsed")
        return self._mention(
            self._entry_id(entry),
            # an Atom entry without author is by the feed's author (RFC 4287, 4.1.2)
            author=self._author(entry if entry.get("author_detail") or not atom else feed_info),
            text=text,
            url=entry.get("link"),
            posted_at=iso_utc(parsed_date),
            lang=language,
            parent_id=self._parent_id(entry),
        )

    @staticmethod
    def _parent_id(entry):
        """The id of the entry answered: the comment a Blogger reply relates to, else the Atom
        threading reference (RFC 4685), which for a comment is the post."""
        for link in entry.get("links") or []:
            match = link.get("rel") == "related" and BLOGGER_COMMENT_LINK.search(link.get("href") or "")
            if match:
                return f"tag:blogger.com,1999:blog-{match.group(1)}.post-{match.group(2)}"
        return (entry.get("thr_in-reply-to") or {}).get("ref")

    @staticmethod
    def _author(entry):
        """The author of an entry (Atom author, RSS author or dc:creator): a name, a web site (Atom's
        uri) and an e-mail, each left out when it is a platform's placeholder for nobody."""
        detail = entry.get("author_detail") or {}
        name = " ".join(str(detail.get("name") or (entry.get("author") if not detail else "") or "").split())
        email = detail.get("email") or ""
        if PLACEHOLDER_EMAIL.match(email):
            email = ""
        if name.casefold() in PLACEHOLDER_NAMES and not detail.get("href") and not email:
            name = ""
        return make_author(name=name, url=detail.get("href"), email=email)

    @staticmethod
    def _entry_id(entry):
        """The entry's guid/id, else its link, else a digest of its content: the same entry always
        gets the same id, so it is stored once."""
        entry_id = entry.get("id") or entry.get("link")
        if entry_id:
            return entry_id
        # feedparser gives the content as summary when the entry has no summary of its own
        digest = hashlib.sha256(f"{entry.get('title')}\n{entry.get('summary')}".encode()).hexdigest()
        return f"sha256:{digest[:32]}"
