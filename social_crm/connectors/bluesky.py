"""Bluesky posts matching a search (AppView ``app.bsky.feed.searchPosts``, newest first).

Cursor (see NewestFirstConnector): ``page`` is the API's cursor; post URIs do not grow with time, so
``since`` is ``{"at": creation time of the newest post returned, "ids": URIs of the posts of that
second}`` and a later run drops posts older than ``at`` or already listed in ``ids``.
"""
from .base import NewestFirstConnector, iso_utc, make_author, mapping, public_url

WEB_URL = "https://bsky.app"


def post_refs(cid, record):
    """What answering a post needs: its cid and the strong reference of its thread's root."""
    root = mapping(mapping(record.get("reply")).get("root"))
    return {"cid": cid if isinstance(cid, str) else None,
            "root_id": root.get("uri") if isinstance(root.get("uri"), str) else None,
            "root_cid": root.get("cid") if isinstance(root.get("cid"), str) else None}


class BlueskyConnector(NewestFirstConnector):
    """Newest posts matching ``query``."""

    label = "Bluesky"
    network = "bluesky"

    def __init__(self, config, **options):
        super().__init__(config, **options)
        self.endpoint = f"{self._base_url('https://public.api.bsky.app')}/xrpc/app.bsky.feed.searchPosts"
        self.query = self._setting("query", required=True)
        self.page_size = self._page_size(100)

    def _fetch(self, page, since):
        params = {"q": self.query, "sort": "latest", "limit": self.page_size, "cursor": page}
        answer = self._get_json(self.endpoint, params)
        posts = answer.get("posts")
        if not isinstance(posts, list):
            raise self._error(f"Bluesky answered a search without posts from {public_url(self.endpoint)}.")
        items = [self._normalize(post) for post in posts if isinstance(post, dict) and post.get("uri")]
        return items, answer.get("cursor")

    def _normalize(self, post):
        author = mapping(post.get("author"))
        record = mapping(post.get("record"))
        handle = author.get("handle")
        profile = handle or author.get("did")
        languages = record.get("langs")
        return self._mention(
            post["uri"],
            author=make_author(
                handle=handle,
                account_id=author.get("did"),  # what the stream names authors by: one profile either way
                name=author.get("displayName") or handle,
                url=profile and f"{WEB_URL}/profile/{profile}",
                followers=author.get("followersCount"),
            ),
            text=record.get("text"),
            url=profile and f"{WEB_URL}/profile/{profile}/post/{post['uri'].rsplit('/', 1)[-1]}",
            posted_at=iso_utc(record.get("createdAt") or post.get("indexedAt")),
            lang=languages[0] if isinstance(languages, list) and languages else None,
            parent_id=mapping(mapping(record.get("reply")).get("parent")).get("uri"),
            refs=post_refs(post.get("cid"), record),
        )

    def _is_new(self, item, since):
        if since is None or not item["posted_at"]:
            return True
        return item["posted_at"] > since["at"] or (item["posted_at"] == since["at"] and item["id"] not in since["ids"])

    def _advance(self, newest, items):
        dated = [item for item in items if item["posted_at"]]
        if not dated:
            return newest
        at = max(item["posted_at"] for item in dated)
        if newest and newest["at"] > at:
            return newest
        ids = {item["id"] for item in dated if item["posted_at"] == at}
        if newest and newest["at"] == at:
            ids.update(newest["ids"])
        return {"at": at, "ids": sorted(ids)}
