import logging
from collections import namedtuple
from operator import itemgetter

from odoo import api, models
from odoo.tools import SQL

from ..tools.bulk import insert_records_skipping_conflicts
from ..tools.concurrency import create_skipping_duplicates, run_unless_contended
from ..tools.identity import MAX_COUNT, IdentityError, normalize_email, normalize_phone, web_url

_logger = logging.getLogger(__name__)

Identity = namedtuple("Identity", ["type", "network", "value", "canonical", "key", "source_id"])
Identity.__doc__ = """How one author is known: its kind (``handle``, ``account``, ``email``, ``phone``,
``website``, ``name``), network, value as stored on the profile, canonical value and key, and the source that
scopes a name or web site."""

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
    def _resolve_authors(self, authors, company=None):  # noqa: C901 - one pass over the batch, by design
        """Match ``authors`` (dicts with network, handle, account_id, url, name, followers, email,
        phone and the ``source_id`` that scopes names and web sites; None for an item without author).

        Any of handle, account id, profile URL, e-mail, phone, web site or name identifies an
        author, in that order (see :meth:`_author_identity`). Unknown identities get a new profile;
        a profile found unlinked is linked to the one contact its e-mail or phone designates; an
        identity designating two contacts becomes a ``social.merge.suggestion``. No contact is ever
        created or merged here.

        :return: a list of :data:`AuthorMatch`, in the order of ``authors``
        """
        company = company or self.env.company
        region = None  # the company's country, for national phone numbers: read for the first phone only
        keyed = []  # (key, identity, email, phone), an error message, or None for no author
        for author in authors:
            if author is None:
                keyed.append(None)
                continue
            try:
                if region is None and str(author.get("phone") or "").strip():
                    region = company.country_id.code or ""
                email, phone = normalize_email(author.get("email")), normalize_phone(author.get("phone"), region)[0]
                identity = self._author_identity(author, email, phone)
            except IdentityError as error:
                keyed.append(str(error))
                continue
            except Exception as error:  # noqa: BLE001 - one author that breaks matching fails its item only
                _logger.exception("A mention author could not be identified")
                keyed.append(f"could not be identified: {type(error).__name__}: {str(error)[:500]}")
                continue
            keyed.append((identity.key, identity, email, phone, self._account_key(identity, author)))
        valid = [k for k in keyed if k and not isinstance(k, str)]
        owners_opted_out = {}  # {partner id: opted out} of the profiles found, read with them
        profiles = self._profiles_by_key({k[0] for k in valid} | {k[4] for k in valid if k[4]}, company,
                                         owners_opted_out)
        by_email = self._partners_by("email_normalized", {k[2] for k in valid if k[2]}, company)
        by_phone = self._partners_by("phone_sanitized", {k[3] for k in valid if k[3]}, company)
        candidate_ids = {pid for pids in (*by_email.values(), *by_phone.values()) for pid in pids}
        opted_out = self._opted_out_partner_ids(candidate_ids)

        to_create, to_link, suggestions = {}, {}, []
        for entry, author in zip(keyed, authors, strict=True):
            if not entry or isinstance(entry, str):
                continue
            key, identity, email, phone, account_key = entry
            emails, phones = by_email.get(email, []), by_phone.get(phone, [])
            if key not in profiles and account_key in profiles:  # known by its account id
                profiles[key] = profiles[account_key]
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
                to_create[key] = self._new_profile_vals(identity, author, company, partner_id)
                to_create[key]["account_key"] = account_key or False
            elif partner_id:
                to_create[key]["partner_id"] = partner_id

        profiles.update(self._create_profiles(to_create))
        self._link_profiles({profiles[key][0]: partner for key, partner in to_link.items()})
        for key, partner_id in to_link.items():
            profiles[key] = (profiles[key][0], partner_id)
        self._suggest_merges([(profiles[s[0]][0], *s[1:]) for s in suggestions])

        Profile, Partner = self.env["social.profile"], self.env["res.partner"]
        owners = {pid for _pid, pid in profiles.values() if pid}
        opted_out |= {pid for pid, out in owners_opted_out.items() if out}
        opted_out |= self._opted_out_partner_ids(owners - candidate_ids - owners_opted_out.keys())
        results = []
        for entry in keyed:
            if entry is None:
                results.append(AuthorMatch(Profile, Partner, False, None))
                continue
            if isinstance(entry, str):
                results.append(AuthorMatch(Profile, Partner, False, entry))
                continue
            profile_id, partner_id = profiles[entry[0]]
            out = partner_id in opted_out
            results.append(AuthorMatch(Profile.browse(profile_id), Partner.browse(partner_id if not out else ()),
                                       out, None))
        return results

    @api.model
    def _new_profile_vals(self, identity, author, company, partner_id):
        """Complete values of a new profile of ``identity`` (an :data:`Identity`, canonical already)."""
        default_url = self.env["social.network.mixin"]._network_profile_url(identity.network, identity.value) \
            if identity.type == "handle" else False
        return {
            "network": identity.network,
            "handle": identity.value,
            "identity_type": identity.type,
            "source_id": identity.source_id or False,
            "canonical_handle": identity.canonical,
            "canonical_key": identity.key,
            "name": (author.get("name") or "")[:256] or False,
            "followers": self._followers(author.get("followers")),
            "company_id": company.id,
            "partner_id": partner_id,
            "url": web_url(str(author.get("url") or "")[:2048], assume_https=True) or default_url,
            "active": True,
        }

    @staticmethod
    def _followers(value):
        try:
            return min(max(int(value or 0), 0), MAX_COUNT)
        except (TypeError, ValueError, OverflowError):
            return 0

    def _create_profiles(self, vals_by_key):
        """Create the new profiles in one batch; answer ``{key: (profile id, partner id)}``.

        Written with one ``COPY`` rather than ``create``: a batch of ingestion brings hundreds of new
        authors, and ``create`` would cost more than the rest of their mentions' ingestion (see the
        README's benchmarks). Concurrent batches often bring the same new authors. Rows are written in key order, so
        two such batches wait for each other instead of deadlocking, and a key stored meanwhile by
        another one is not stored again: its profile is read back. In Odoo's ``REPEATABLE READ``
        transactions a profile committed after this one began cannot be read: PostgreSQL reports a
        serialization failure, and the batch is run again on a fresh snapshot, where it is known.
        """
        if not vals_by_key:
            return {}
        # set-based: the identities were just looked up and are unknown, their values complete
        keys, vals_list = list(vals_by_key), list(vals_by_key.values())
        Profile = self.env["social.profile"]
        created = insert_records_skipping_conflicts(
            Profile, vals_list, ["canonical_key", "company_id"], row_order=itemgetter("canonical_key"))
        # the constraints of create (_check_handle) hold for these rows too
        Profile.browse([profile.id for profile in created.values()])._validate_fields(
            {name for vals in vals_list for name in vals})
        profiles = {keys[position]: (profile.id, vals_list[position]["partner_id"] or None)
                    for position, profile in created.items()}
        missing = vals_by_key.keys() - profiles.keys()
        if missing:
            company = self.env["res.company"].browse(next(iter(vals_by_key.values()))["company_id"])
            profiles.update(self._profiles_by_key(missing, company))
        return profiles

    def _link_profiles(self, partner_by_profile):
        """Link unlinked profiles to the one contact their e-mail or phone designates, in one UPDATE
        that leaves alone a profile linked meanwhile; answer the ids of the profiles linked.

        Concurrent batches of the same known author link its profile at the same time: a profile
        another transaction holds, or linked since this one began, is left to it (it links it to
        the contact the same e-mail or phone designates) rather than failing this batch; the
        mentions of this batch name that contact all the same.
        """
        if not partner_by_profile:
            return set()
        Profile = self.env["social.profile"]
        profiles = Profile.browse(sorted(partner_by_profile))
        profiles.flush_recordset(["partner_id"])
        query = SQL("""
            UPDATE social_profile p SET partner_id = link.partner_id, write_uid = %(uid)s, write_date = %(now)s
              FROM (SELECT unnest(%(profiles)s::int[]) AS id, unnest(%(partners)s::int[]) AS partner_id) link
             WHERE p.id = link.id AND p.partner_id IS NULL
         RETURNING p.id
        """, uid=self.env.uid, now=self.env.cr.now(), profiles=profiles.ids,
            partners=[partner_by_profile[profile_id] for profile_id in profiles.ids])
        cr = self.env.cr
        done, rows = run_unless_contended(cr, lambda: cr.execute(query, log_exceptions=False) or cr.fetchall())
        if not done:
            return set()
        linked = Profile.browse([row[0] for row in rows])
        linked.invalidate_recordset(["partner_id", "write_uid", "write_date"])
        linked.modified(["partner_id"])
        self.env["res.partner"].invalidate_model(["social_profile_ids"])
        return set(linked.ids)

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
        create_skipping_duplicates(Suggestion, vals_list)  # a concurrent batch may suggest the same merge

    @api.model
    def _author_identity(self, author, email=None, phone=None):
        """The :data:`Identity` of an author: its handle, else its account id on the network, else
        its profile URL, else its e-mail (``email``, normalised), else its phone (``phone``, in
        E.164), else, within its source, its web site (an address that is no profile on a known
        network) or its name.

        A handle that is no valid handle of the network is refused, except on the networks whose
        user names are free-form (forums, review sites), where it is the author's name.
        """
        network = author.get("network") or "other"
        source_id = author.get("source_id") or False
        networks = self.env["social.network.mixin"]
        name = author.get("name")
        if author.get("handle"):
            try:
                return self._identity("handle", network, author["handle"], networks=networks)
            except IdentityError:
                if not networks._network_free_form(network):
                    raise
                name = author["handle"]
        if author.get("account_id"):
            return self._identity("account", network, author["account_id"], networks=networks)
        website = None
        if author.get("url"):
            try:
                url_network, handle = networks._network_parse_profile_url(author["url"])
            except IdentityError:
                website = author["url"]
            else:
                return self._identity("handle", url_network, handle, networks=networks)
        if email:
            return self._identity("email", network, email, networks=networks)
        if phone:
            return self._identity("phone", network, phone, networks=networks)
        if source_id:
            for identity_type, value in (("website", website), ("name", " ".join(str(name or "").split())[:256])):
                if value:
                    try:
                        return self._identity(identity_type, network, str(value), source_id, networks)
                    except IdentityError:
                        continue  # a "web site" that is no web address: the name may do
        if website:
            raise IdentityError(f"{website!r} is not the address of a profile on a known network.")
        raise IdentityError("The author has no handle, profile URL, e-mail or phone.")

    @api.model
    def _account_key(self, identity, author, networks=None):
        """The account key of an author whose network id is known besides what identifies it."""
        if identity.type == "account":
            return identity.key
        account_id = author.get("account_id")
        if not account_id or identity.type != "handle":
            return None
        networks = self.env["social.network.mixin"] if networks is None else networks
        try:
            return networks._network_identity_key("account", identity.network, account_id)[1]
        except IdentityError:
            return None

    @api.model
    def _identity(self, identity_type, network, value, source_id=False, networks=None):
        """The :data:`Identity` of ``value``; ``networks`` is ``social.network.mixin``, when the caller has it."""
        networks = self.env["social.network.mixin"] if networks is None else networks
        canonical, key = networks._network_identity_key(identity_type, network, value, source_id)
        return Identity(identity_type, network, canonical if identity_type == "handle" else value, canonical, key,
                        source_id)

    def _profiles_by_key(self, keys, company, owners_opted_out=None):
        """``{key: (profile id, partner id or None)}`` for the known keys, archived profiles included;
        a profile is known by its canonical key and by its account key. Given a dict
        ``owners_opted_out``, whether each partner of these profiles opted out of social listening is
        put in it, read in the same query."""
        if not keys:
            return {}
        self.env["social.profile"].flush_model(["canonical_key", "account_key", "partner_id", "company_id"])
        self.env["res.partner"].flush_model(["social_opt_out"])
        rows = self.env.execute_query(SQL(
            "SELECT profile.canonical_key, profile.account_key, profile.id, profile.partner_id,"
            "       partner.social_opt_out IS TRUE"
            "  FROM social_profile profile LEFT JOIN res_partner partner ON partner.id = profile.partner_id"
            " WHERE profile.company_id = %(company)s"
            "   AND (profile.canonical_key = ANY(%(keys)s) OR profile.account_key = ANY(%(keys)s))"
            " ORDER BY profile.id", company=company.id, keys=list(keys)))
        found = {}
        for key, account_key, profile_id, partner_id, opted_out in rows:
            found.setdefault(key, (profile_id, partner_id))
            if account_key:
                found.setdefault(account_key, (profile_id, partner_id))
            if partner_id and owners_opted_out is not None:
                owners_opted_out[partner_id] = opted_out
        return found

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
        return set(self.env["res.partner"].sudo().with_context(active_test=False)._search(
            [("id", "in", list(partner_ids)), ("social_opt_out", "=", True)]))

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
