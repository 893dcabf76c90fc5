import logging
from collections import namedtuple

from odoo import api, models
from odoo.tools import SQL

from ..tools.bulk import insert_records
from ..tools.identity import (
    MAX_COUNT, IdentityError, canonical_handle, normalize_email, normalize_phone, parse_profile_url, profile_url,
    web_url,
)

_logger = logging.getLogger(__name__)

AuthorMatch = namedtuple("AuthorMatch", ["profile", "partner", "opted_out", "error"])
AuthorMatch.__doc__ = """What is known of one mention author: its profile (created when unknown), the
partner it belongs to (empty when unknown, ambiguous or opted out), whether that partner opted
out of social listening, and the reason the author could not be identified at all."""


class SocialIdentity(models.AbstractModel):
    """Identity resolution: mention authors to profiles and partners through canonical keys.

    Work is done per batch with one indexed query per key type (profile key, e-mail, phone),
    whatever the number of authors; nothing is looked up author by author.
    """

    _name = "social.identity"
    _description = "Social Identity Resolution"

    @api.model
    def _resolve_authors(self, authors, company=None):
        """Match ``authors`` (dicts with network, handle, url, name, followers, email, phone).

        Unknown identities get a new profile; a profile found unlinked is linked to the one
        contact its e-mail or phone designates; an identity designating two contacts becomes a
        ``social.merge.suggestion``. No contact is ever created or merged here.

        :return: a list of :data:`AuthorMatch`, in the order of ``authors``
        """
        company = company or self.env.company
        region = company.country_id.code
        keyed = []  # (key, network, handle, email, phone) or an error message
        for author in authors:
            try:
                network, handle = self._author_identity(author)
                keyed.append((f"{network}:{handle}", network, handle, normalize_email(author.get("email")),
                              normalize_phone(author.get("phone"), region)[0]))
            except IdentityError as error:
                keyed.append(str(error))
            except Exception as error:  # noqa: BLE001 - one author that breaks matching fails its item only
                _logger.exception("A mention author could not be identified")
                keyed.append(f"could not be identified: {type(error).__name__}: {str(error)[:500]}")
        valid = [k for k in keyed if not isinstance(k, str)]
        profiles = self._profiles_by_key({k[0] for k in valid}, company)
        by_email = self._partners_by("email_normalized", {k[3] for k in valid if k[3]}, company)
        by_phone = self._partners_by("phone_sanitized", {k[4] for k in valid if k[4]}, company)
        opted_out = self._opted_out_partner_ids(
            {pid for pids in (*by_email.values(), *by_phone.values()) for pid in pids})

        to_create, to_link, suggestions = {}, {}, []
        for entry, author in zip(keyed, authors):
            if isinstance(entry, str):
                continue
            key, network, handle, email, phone = entry
            emails, phones = by_email.get(email, []), by_phone.get(phone, [])
            known = profiles.get(key)
            owner = (known[1] or to_link.get(key)) if known else to_create.get(key, {}).get("partner_id")
            if owner:
                conflict = self._conflict_with_owner(owner, emails, phones)
                if conflict:
                    suggestions.append((key, owner, *conflict, email or phone))
                continue
            partner_id = False
            candidates = list(dict.fromkeys(emails + phones))
            if len(candidates) == 1 and candidates[0] not in opted_out:
                partner_id = candidates[0]
            elif len(candidates) > 1:
                suggestions.append((key, *self._ambiguity(emails, phones), email or phone))
            if known:
                if partner_id:
                    to_link[key] = partner_id
            elif key not in to_create:
                to_create[key] = self._new_profile_vals(network, handle, author, company, partner_id)
            elif partner_id:
                to_create[key]["partner_id"] = partner_id

        profiles.update(self._create_profiles(to_create))
        self._link_profiles({profiles[key][0]: partner for key, partner in to_link.items()})
        for key, partner_id in to_link.items():
            profiles[key] = (profiles[key][0], partner_id)
        self._suggest_merges([(profiles[s[0]][0], *s[1:]) for s in suggestions])

        Profile, Partner = self.env["social.profile"], self.env["res.partner"]
        owners = {pid for _pid, pid in profiles.values() if pid}
        opted_out |= self._opted_out_partner_ids(owners - opted_out)
        results = []
        for entry in keyed:
            if isinstance(entry, str):
                results.append(AuthorMatch(Profile, Partner, False, entry))
                continue
            profile_id, partner_id = profiles[entry[0]]
            out = partner_id in opted_out
            results.append(AuthorMatch(Profile.browse(profile_id), Partner.browse(partner_id if not out else ()),
                                       out, None))
        return results

    @api.model
    def _new_profile_vals(self, network, handle, author, company, partner_id):
        """Complete values of a new profile: ``handle`` is canonical already, so are the key and URL."""
        return {
            "network": network,
            "handle": handle,
            "canonical_handle": handle,
            "canonical_key": f"{network}:{handle}",
            "name": (author.get("name") or "")[:256] or False,
            "followers": self._followers(author.get("followers")),
            "company_id": company.id,
            "partner_id": partner_id,
            "url": web_url(str(author.get("url") or "")[:2048], assume_https=True) or profile_url(network, handle),
            "active": True,
        }

    @staticmethod
    def _followers(value):
        try:
            return min(max(int(value or 0), 0), MAX_COUNT)
        except (TypeError, ValueError, OverflowError):
            return 0

    def _create_profiles(self, vals_by_key):
        """Create the new profiles in one batch; answer ``{key: (profile id, partner id)}``."""
        if not vals_by_key:
            return {}
        # set-based: the identities were just looked up and are unknown, their values complete
        created = insert_records(self.env["social.profile"], list(vals_by_key.values()))
        return {key: (profile.id, vals["partner_id"] or None)
                for (key, vals), profile in zip(vals_by_key.items(), created)}

    def _link_profiles(self, partner_by_profile):
        """Link unlinked profiles to the one contact their e-mail or phone designates."""
        by_partner = {}
        for profile_id, partner_id in partner_by_profile.items():
            by_partner.setdefault(partner_id, []).append(profile_id)
        for partner_id, profile_ids in by_partner.items():
            self.env["social.profile"].browse(profile_ids).write({"partner_id": partner_id})

    def _suggest_merges(self, proposals):
        """Record ``(profile id, partner a, partner b, reason, evidence)`` proposals not already open."""
        if not proposals:
            return
        Suggestion = self.env["social.merge.suggestion"]
        existing = Suggestion.search_fetch(
            [("state", "=", "open"), ("profile_id", "in", [p[0] for p in proposals])],
            ["profile_id", "partner_a_id", "partner_b_id"])
        seen = {(s.profile_id.id, frozenset((s.partner_a_id.id, s.partner_b_id.id))) for s in existing}
        vals_list = []
        for profile_id, partner_a, partner_b, reason, evidence in proposals:
            pair = (profile_id, frozenset((partner_a, partner_b)))
            if pair in seen:
                continue
            seen.add(pair)
            vals_list.append({"profile_id": profile_id, "partner_a_id": partner_a, "partner_b_id": partner_b,
                              "reason": reason, "evidence": evidence})
        Suggestion.create(vals_list)

    @api.model
    def _author_identity(self, author):
        """``(network, canonical handle)`` of an author, from its handle or else its profile URL."""
        network = author.get("network") or "other"
        if author.get("handle"):
            return network, canonical_handle(network, author["handle"])
        if author.get("url"):
            return parse_profile_url(author["url"])
        raise IdentityError("The author has neither a handle nor a profile URL.")

    def _profiles_by_key(self, keys, company):
        """``{key: (profile id, partner id or None)}`` for the known keys, archived profiles included."""
        if not keys:
            return {}
        self.env["social.profile"].flush_model(["canonical_key", "partner_id", "company_id"])
        rows = self.env.execute_query(SQL(
            "SELECT canonical_key, id, partner_id FROM social_profile"
            " WHERE company_id = %s AND canonical_key = ANY(%s)", company.id, list(keys)))
        return {key: (profile_id, partner_id) for key, profile_id, partner_id in rows}

    def _partners_by(self, fname, values, company):
        """``{value: [partner ids]}`` of the active contacts of ``company`` whose field equals a value."""
        if not values:
            return {}
        partners = self.env["res.partner"]
        partners.flush_model([fname, "active", "company_id"])
        rows = self.env.execute_query(SQL(
            "SELECT %s, id FROM res_partner WHERE %s = ANY(%s) AND active"
            " AND (company_id IS NULL OR company_id = %s) ORDER BY id",
            SQL.identifier(fname), SQL.identifier(fname), list(values), company.id))
        found = {}
        for value, partner_id in rows:
            found.setdefault(value, []).append(partner_id)
        return found

    def _opted_out_partner_ids(self, partner_ids):
        if not partner_ids:
            return set()
        self.env["res.partner"].flush_model(["social_opt_out"])
        rows = self.env.execute_query(SQL(
            "SELECT id FROM res_partner WHERE id = ANY(%s) AND social_opt_out", list(partner_ids)))
        return {row[0] for row in rows}

    @staticmethod
    def _conflict_with_owner(owner_id, emails, phones):
        """``(other partner, reason)`` when the e-mail or phone designates another contact."""
        if emails and owner_id not in emails:
            return emails[0], "profile_vs_email"
        if phones and owner_id not in phones:
            return phones[0], "profile_vs_phone"
        return None

    @staticmethod
    def _ambiguity(emails, phones):
        """``(partner a, partner b, reason)`` for an identity designating several contacts."""
        if emails and phones and set(emails) != set(phones):
            other = next(p for p in phones if p != emails[0])
            return emails[0], other, "email_vs_phone"
        if len(emails) > 1:
            return emails[0], emails[1], "shared_email"
        return phones[0], phones[1], "shared_phone"
