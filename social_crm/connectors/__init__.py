"""Connectors: read mentions from feeds and network APIs, one page per call (see ``Connector.fetch_page``).

Pure Python: no Odoo model is used here; the ``social.source`` model calls :func:`get_connector`.
"""
from .base import (
    ALLOW_PRIVATE_PARAM,
    PROXY_PARAM,
    Connector,
    ConnectorError,
    Page,
    PinnedAddressAdapter,
    check_url_allowed,
    is_public_address,
)
from .bluesky import BlueskyConnector
from .mastodon import MastodonConnector
from .reddit import RedditConnector
from .rss import RssConnector
from .x import XConnector

CONNECTORS = {
    "rss": RssConnector,
    "mastodon": MastodonConnector,
    "reddit": RedditConnector,
    "bluesky": BlueskyConnector,
    "x": XConnector,
}


def get_connector(source_type, config, **options):
    """A connector of ``source_type`` for ``config``; ``options`` are the keyword arguments of Connector."""
    connector_class = CONNECTORS.get(source_type)
    if connector_class is None:
        raise ConnectorError(f"There is no connector for sources of type '{source_type}'.")
    return connector_class(config, **options)
