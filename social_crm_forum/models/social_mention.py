import re

from odoo import api, fields, models
from odoo.tools import html2plaintext

from odoo.addons.social_crm.models.res_config_settings import OPT_OUT_POLICY
from odoo.addons.social_crm.models.social_mention import TO_ANSWER_STATES
from odoo.addons.social_crm.tools.items import MAX_BODY_CHARS
from odoo.addons.social_crm_advocacy.models.social_advocacy_rule import period_start

# a closed question is still shown on the forum, and so is a flagged post until a moderator decides
VISIBLE_STATES = ("active", "close", "flagged")
# the advocacy actions a forum post earns as a mention (upvotes are earned per vote)
POST_ACTION_TYPES = ("community_answer", "accepted_answer")
# votes of one customer on another's posts earn that author points once in this period
VOTE_PAIR_PERIOD = "month"
IMAGE_RE = re.compile(r"<img\b", re.IGNORECASE)


class SocialMention(models.Model):
    _inherit = "social.mention"

    forum_post_id = fields.Many2one(
        comodel_name="forum.post", readonly=True, index="btree_not_null",
        ondelete="set null", groups="base.group_user",
        help="The question or answer of the website forum this mention is.")
    forum_message_id = fields.Many2one(
        comodel_name="mail.message", string="Forum Comment", readonly=True, index="btree_not_null",
        ondelete="set null", groups="base.group_user",
        help="The comment on a forum post this mention is.")

    @api.model
    def _social_sync_forum(self, posts=None, comments=None, gone=False, with_comments=False):
        """Make the mentions of forum ``posts`` (questions and answers) and ``comments`` (their
        ``mail.message`` comments) follow them, in one batch, then the advocacy points they earn.

        A post or comment shown on a forum listened to (``forum.forum.social_source_id``) is one
        mention of that source, created or updated (text rescored). One deleted, marked
        offensive or of an archived forum (or ``gone``: being deleted) keeps its mention
        without its text, as a post deleted on a network (``_forget_deleted_posts``): the figures
        that counted it keep their count, nothing is counted twice; shown again, it gets its text
        back. Forums no more listened to keep their mentions as they are.
        """
        Post = self.env["forum.post"].sudo().with_context(active_test=False)
        posts = (posts or Post).sudo().with_context(active_test=False).exists()
        comments = (comments or self.env["mail.message"]).sudo()
        if with_comments and posts:
            comments |= comments.search([("model", "=", "forum.post"), ("res_id", "in", posts.ids),
                                         ("message_type", "=", "comment")])
        comments = comments.exists().filtered(lambda msg: msg.model == "forum.post" and msg.message_type == "comment")
        if not (posts or comments):
            return self.browse()
        Mention = self.sudo()
        Rule = self.env["social.advocacy.rule"]
        existing = Mention.search(["|", ("forum_post_id", "in", posts.ids), ("forum_message_id", "in", comments.ids)])
        by_record = {mention.forum_message_id or mention.forum_post_id: mention for mention in existing}
        commented = Post.browse(set(comments.mapped("res_id"))).exists()
        items = self._forum_items(posts, comments, commented, gone)
        drop_opted_out = OPT_OUT_POLICY.read(self.env) == "drop"
        to_create, forgotten = [], {}
        for record, source, vals in items:
            mention = by_record.get(record)
            if not source.active and not gone:
                continue  # a forum no more listened to: its mentions stay as they were
            if vals is None:
                if mention and not mention.network_deleted_at:
                    forgotten.setdefault(mention.source_id, []).append(mention.external_id)
                continue
            partner, text = vals.pop("partner"), vals.pop("text")
            if partner.social_opt_out:
                if drop_opted_out and not mention:
                    continue
                partner = partner.browse()
            content = {
                "partner_id": partner.id,
                "author_handle": partner.display_name or self.env._("Unknown author"),
                "author_name": partner.name or False,
                "body": text[:MAX_BODY_CHARS],
                "body_truncated": len(text) > MAX_BODY_CHARS,
            }
            if mention:
                changed = {fname: value for fname, value in content.items()
                           if mention._fields[fname].convert_to_write(mention[fname], mention) != value}
                if mention.network_deleted_at:
                    changed["network_deleted_at"] = False  # shown again: the text is back
                if changed:
                    mention.write(changed)
                continue
            to_create.append({
                **vals, **content, "source_id": source.id, "network": "forum",
                # the company's staff speak for it: their posts are its own words, as its replies
                **({"direction": "outbound", "state": "answered"} if Rule._forum_internal(partner) else {}),
                "posted_at": (vals["posted_at"] or fields.Datetime.now()).replace(microsecond=0),
            })
        for source, external_ids in forgotten.items():
            Mention._forget_deleted_posts(source, external_ids)
        created = Mention.create(to_create) if to_create else Mention
        created._forum_answer_parents()
        self._social_forum_reconcile_awards(posts | commented)
        return created

    def _forum_answer_parents(self):
        """The posts of ``self`` written by the company's staff answer the mentions they reply to:
        those leave the inbox, answered, as if the reply had been sent from Odoo."""
        for reply in self.filtered(lambda mention: mention.direction == "outbound" and mention.parent_id):
            parent = reply.parent_id
            if parent.direction == "inbound" and parent.state in TO_ANSWER_STATES:
                parent._record_reply(reply.body or "", self.env._(
                    "Answered on the forum by %(author)s:", author=reply.author_handle))

    @api.model
    def _forum_items(self, posts, comments, commented, gone):
        """``[(post or comment, its forum's source, the values of its mention or None)]``: None for
        what the forum does not show (or what is ``gone``)."""

        def shown(post):
            question = post.parent_id or post
            return bool(post.active and post.state in VISIBLE_STATES and question.active
                        and question.state in VISIBLE_STATES and post.forum_id.active)

        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        items = []
        for post in posts:
            source = post.forum_id.social_source_id
            vals = None
            if source.active and not gone and shown(post):
                question = post.parent_id
                vals = {
                    "external_id": f"forum-post-{post.id}",
                    "parent_external_id": f"forum-post-{question.id}" if question else False,
                    "forum_post_id": post.id,
                    "partner": post.create_uid.partner_id,
                    "text": self._forum_text(post.content, title=not question and post.name),
                    "posted_at": post.create_date,
                    "url": f"{base_url}{post.website_url}",
                }
            items.append((post, source, vals))
        for comment in comments:
            post = commented.browse(comment.res_id)
            source = post.forum_id.social_source_id if post else self.env["social.source"]
            vals = None
            if source.active and not gone and post and shown(post) and not comment.is_internal \
                    and not comment.subtype_id.internal:
                vals = {
                    "external_id": f"forum-comment-{comment.id}",
                    "parent_external_id": f"forum-post-{post.id}",
                    "forum_message_id": comment.id,
                    "partner": comment.author_id,
                    "text": self._forum_text(comment.body),
                    "posted_at": comment.date,
                    "url": f"{base_url}{post.website_url}",
                }
            items.append((comment, source, vals))
        return items

    @api.model
    def _forum_text(self, html, title=False):
        """The plain text of a post or comment (Odoo's ``html2plaintext``), with the question's
        title first; a post of images only says how many images it shows."""
        images = len(IMAGE_RE.findall(html or ""))
        # html2plaintext writes an image as a numbered reference to its address: not what was said
        text = html2plaintext(IMAGE_RE.sub("<span", html) if images else html or "").replace("\x00", "").strip()
        if not text and images:
            text = self.env._("[%(count)s image(s)]", count=images)
        return "\n\n".join(part for part in (title and title.strip(), text) if part)

    # ------------------------------------------------------------------ advocacy

    @api.model
    def _social_forum_reconcile_awards(self, posts, gone_votes=None):
        """Make the advocacy points of forum ``posts`` follow what they are now, in one batch: a
        community answer and an accepted answer stand while the answer is shown (and accepted);
        an upvote stands while the vote is an upvote of a post shown. What no longer stands is
        reversed in the ledger; what stands again reverses its reversal (the same points, never
        a second award); what stands for the first time is awarded by the rules, with their caps
        and anti-gaming checks. Karma is left to the forum.
        """
        posts = posts.sudo().with_context(active_test=False).exists()
        if not posts:
            return
        gone_votes = (gone_votes or self.env["forum.post.vote"]).sudo()
        mentions = self.sudo().search([("forum_post_id", "in", posts.ids), ("partner_id", "!=", False)])
        votes = self.env["forum.post.vote"].sudo().search([("post_id", "in", mentions.forum_post_id.ids)])
        Action = self.env["social.advocacy.action"].sudo()
        origins = Action.search(["|", "&", ("mention_id", "in", mentions.ids), ("action_type", "in", POST_ACTION_TYPES),
                                 ("forum_vote_id", "in", (votes | gone_votes).ids)])
        leaves = {(origin.forum_vote_id or origin.mention_id, origin.action_type): origin._chain_leaf()
                  for origin in origins}

        wanted = {}  # (mention or vote, action type): candidate (partner, action type, record scored, date)
        for mention in mentions:
            post = mention.forum_post_id
            if mention.network_deleted_at or not post.parent_id:
                continue
            wanted[mention, "community_answer"] = (mention.partner_id, "community_answer", mention, mention.posted_at)
            if post.is_correct:
                wanted[mention, "accepted_answer"] = (mention.partner_id, "accepted_answer", mention,
                                                      fields.Datetime.now())
        alive = {mention.forum_post_id: mention for mention in mentions if not mention.network_deleted_at}
        for vote in votes - gone_votes:
            if vote.vote == "1" and vote.post_id in alive:
                wanted[vote, "upvote_received"] = (alive[vote.post_id].partner_id, "upvote_received", vote,
                                                   vote.create_date)

        to_reverse, to_restore = Action, Action
        for key, leaf in leaves.items():
            if leaf.points > 0 and key not in wanted:
                to_reverse |= leaf
            elif leaf.points < 0 and key in wanted:
                to_restore |= leaf
        to_reverse._reverse(note=self.env._(
            "The forum post was deleted, its answer no more accepted or the vote removed"))
        to_restore._reverse(note=self.env._("The forum post, its accepted answer or the vote is back"))

        candidates = [candidate for key, candidate in wanted.items() if key not in leaves]
        self.env["social.advocacy.rule"].sudo()._award(self._forum_vote_pairs_once(candidates))

    @api.model
    def _forum_vote_pairs_once(self, candidates):
        """``candidates`` less the upvotes of a voter for an author whose upvotes already earned that
        author points within the period (one query): a vote ring between two customers earns once."""
        votes = [(partner, vote, day) for partner, action_type, vote, day in candidates
                 if action_type == "upvote_received"]
        if not votes:
            return candidates

        def pair(author, voter):
            return author.commercial_partner_id.id, voter.commercial_partner_id.id

        def period(day):
            return period_start(fields.Date.to_date(day or fields.Date.today()), VOTE_PAIR_PERIOD)

        earliest = min(period(day) for _partner, _vote, day in votes)
        standing = self.env["social.advocacy.action"].sudo().search([
            ("action_type", "=", "upvote_received"), ("forum_vote_id", "!=", False),
            ("partner_id", "in", list({partner.id for partner, _vote, _day in votes})), ("date", ">=", earliest),
            ("reversal_ids", "=", False)])
        seen = {(*pair(action.partner_id, action.forum_vote_id.user_id.partner_id), period(action.date))
                for action in standing}
        kept = []
        for candidate in candidates:
            partner, action_type, record, day = candidate
            if action_type == "upvote_received":
                key = (*pair(partner, record.user_id.partner_id), period(day))
                if key in seen:
                    continue
                seen.add(key)
            kept.append(candidate)
        return kept
