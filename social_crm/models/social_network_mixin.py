from odoo import api, fields, models

from ..tools.identity import (
    FREE_FORM_NETWORKS,
    NETWORK_CODES,
    NETWORKS,
    UNPREFIXED_NETWORKS,
    canonical_handle,
    identity_key,
    network_profile_of_url,
    parse_profile_url,
    profile_url,
)

NETWORK_ICONS = {
    "x": "fa-twitter", "facebook": "fa-facebook", "instagram": "fa-instagram", "linkedin": "fa-linkedin",
    "youtube": "fa-youtube-play", "tiktok": "fa-tiktok", "reddit": "fa-reddit", "mastodon": "fa-comments",
    "bluesky": "fa-cloud", "review": "fa-star", "forum": "fa-users",
}


class SocialNetworkMixin(models.AbstractModel):
    """The networks mentions come from, defined once: the ``network`` field of every model that
    inherits this mixin (profiles, sources, mentions, reply templates, advocacy rules, the
    reputation series) and what is particular to each network.

    An addon adds a network by extending this mixin: ``selection_add`` on ``network`` (with an
    ``ondelete`` policy such as ``"set other"``, the field being required on most models) reaches
    every model at once, and the ``_network_*`` methods below, overridden for the new network
    with ``super()`` for the others, say how its handles and profile addresses are written.
    """

    _name = "social.network.mixin"
    _description = "Social Network"

    network = fields.Selection(selection=NETWORKS)

    @api.model
    def _network_codes(self):
        """The codes of the networks, those of other addons included."""
        return frozenset(self._fields["network"].get_values(self.env))

    @api.model
    def _network_canonical_handle(self, network, handle):
        """The canonical form of ``handle`` on ``network`` (lower case, no "@" nor prefix), the one
        profiles are keyed by; raise :class:`~..tools.identity.IdentityError` for an invalid one."""
        return canonical_handle(network, handle)

    @api.model
    def _network_profile_of_url(self, host, segments, query):
        """``(network, handle as written)`` of a profile address given in parts (host without "www.",
        path segments, query); ``(network, None)`` for another page of a network, ``(None, None)``
        for a site of no network."""
        return network_profile_of_url(host, segments, query)

    @api.model
    def _network_profile_url(self, network, handle):
        """The address of the profile of the canonical ``handle``; None where it has no fixed form."""
        return profile_url(network, handle)

    @api.model
    def _network_icon(self, network):
        """The Font Awesome icon class of ``network``, shown on the inbox's cards and lists."""
        return NETWORK_ICONS.get(network, "fa-globe")

    @api.model
    def _network_free_form(self, network):
        """Whether the user names of ``network`` are free text (a forum's, a review site's), kept
        as the author's name when they are no valid handle."""
        return network in FREE_FORM_NETWORKS

    @api.model
    def _network_handle_prefix(self, network):
        """What is written before a handle of ``network`` when it is shown ("@" for most)."""
        return "" if network in UNPREFIXED_NETWORKS else "@"

    # ------------------------------------------------------------------ rules combined

    @api.model
    def _network_parse_profile_url(self, url):
        """``(network, canonical handle)`` of a profile address; IdentityError when it is none."""
        return parse_profile_url(url, self._network_profile_of_url, self._network_canonical_handle)

    @api.model
    def _network_identity_key(self, identity_type, network, value, source_id=None):
        """``(canonical value, key)`` of an identity (see :func:`~..tools.identity.identity_key`)."""
        if identity_type in (None, False, "handle"):  # most authors, the same as identity_key, in fewer calls
            handle = self._network_canonical_handle(network, value)
            return handle, f"{network}:{handle}"
        networks = NETWORK_CODES if network in NETWORK_CODES else self._network_codes()
        return identity_key(identity_type, network, value, source_id, networks=networks)
