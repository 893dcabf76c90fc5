"""Reddit posts from a search, a subreddit, or a search in a subreddit (public JSON listings).

Cursor (see NewestFirstConnector): ``page`` is the listing's ``after`` fullname; ``since`` is the
fullname of the newest post returned, later posts having greater base-36 ids.
"""
import re

from .base import ConnectorError, NewestFirstConnector, iso_utc, make_author, mapping, public_url

SUBREDDIT_NAME = re.compile(r"^[A-Za-z0-9_]{2,21}$")


class RedditConnector(NewestFirstConnector):
    """Newest posts matching ``query``, in ``subreddit`` if given."""

    label = "Reddit"
    network = "reddit"
    # Reddit asks for a descriptive User-Agent and throttles generic ones.
    user_agent = "odoo:social_crm:18.0 (Social CRM for Odoo; +https://github.com/social-crm-odoo/social-crm)"

    def __init__(self, config, **options):
        super().__init__(config, **options)
        self.base_url = self._base_url("https://www.reddit.com")
        subreddit = re.sub(r"^/?r/", "", str(self._setting("subreddit", ""))).strip("/")
        query = self._setting("query")
        if subreddit and not SUBREDDIT_NAME.match(subreddit):
            raise ConnectorError(f"'{subreddit}' is not a valid subreddit name.")
        if subreddit and query:
            self.endpoint = f"{self.base_url}/r/{subreddit}/search.json"
            self.params = {"q": query, "restrict_sr": "on", "sort": "new", "type": "link"}
        elif subreddit:
            self.endpoint = f"{self.base_url}/r/{subreddit}/new.json"
            self.params = {}
        elif query:
            self.endpoint = f"{self.base_url}/search.json"
            self.params = {"q": query, "sort": "new", "type": "link"}
        else:
            raise ConnectorError("The Reddit source needs a search query, a subreddit, or both.")
        self.page_size = self._page_size(100)

    def _fetch(self, page, since):
        params = {**self.params, "limit": self.page_size, "after": page, "raw_json": 1}
        listing = mapping(self._get_json(self.endpoint, params, {"User-Agent": self.user_agent}).get("data"))
        children = listing.get("children")
        if not isinstance(children, list):
            raise self._error(f"Reddit answered a listing without posts from {public_url(self.endpoint)}.")
        posts = [mapping(child.get("data")) for child in children if mapping(child).get("kind") == "t3"]
        return [self._normalize(post) for post in posts if post.get("name")], listing.get("after")

    def _normalize(self, post):
        author = post.get("author")
        if author in ("[deleted]", "[removed]"):
            author = None
        text = "\n\n".join(part for part in (post.get("title"), post.get("selftext")) if part)
        permalink = post.get("permalink")
        return self._mention(
            post["name"],
            author=make_author(handle=author, name=author, url=author and f"{self.base_url}/user/{author}"),
            text=text.strip(),
            url=permalink and f"{self.base_url}{permalink}",
            posted_at=iso_utc(post.get("created_utc")),
        )
