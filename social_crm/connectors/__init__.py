"""Connectors: read mentions from feeds and network APIs, one page per call (see ``Connector.fetch_page``).

Pure Python: no Odoo model is used here. ``social.source._get_connector()`` picks the connector of
each source type; an addon adding a type brings its own ``Connector`` subclass and overrides it.
Replies go the other way, through a ``Publisher`` per network (``social.account._get_publisher()``).
"""
from .base import (
    ALLOW_PRIVATE_PARAM,
    PROXY_PARAM,
    Connector,
    ConnectorError,
    NewestFirstConnector,
    Page,
    PinnedAddressAdapter,
    check_url_allowed,
    html_to_text,
    is_public_address,
    iso_utc,
    make_author,
    mapping,
    public_url,
)
from .bluesky import BlueskyConnector
from .publish import (
    BlueskyPublisher,
    MastodonPublisher,
    Published,
    PublishError,
    Publisher,
    RedditPublisher,
    XPublisher,
)
from .mastodon import MastodonConnector
from .reddit import RedditConnector
from .rss import RssConnector
from .x import XConnector
