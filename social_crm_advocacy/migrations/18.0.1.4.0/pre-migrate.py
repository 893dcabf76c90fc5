"""The default programme became data (rules, tiers, rewards installed without demo data): a
database that has them as demo records keeps them, under the identifiers of the data, so that the
update does not create them a second time (and the records, being noupdate, keep their values)."""

RENAMED = {
    "tier_bronze_demo": "social_advocacy_tier_bronze",
    "tier_silver_demo": "social_advocacy_tier_silver",
    "tier_gold_demo": "social_advocacy_tier_gold",
    "rule_positive_mention_demo": "social_advocacy_rule_positive_mention",
    "rule_review_demo": "social_advocacy_rule_review",
    "rule_community_answer_demo": "social_advocacy_rule_community_answer",
    "rule_share_demo": "social_advocacy_rule_share",
    "rule_ugc_demo": "social_advocacy_rule_ugc",
    "rule_referral_demo": "social_advocacy_rule_referral",
    "reward_coupon_demo": "social_advocacy_reward_coupon",
    "reward_beta_demo": "social_advocacy_reward_preview",
}


def migrate(cr, version):
    if not version:
        return
    for old, new in RENAMED.items():
        cr.execute("""
            UPDATE ir_model_data SET name = %(new)s
             WHERE module = 'social_crm_advocacy' AND name = %(old)s
               AND NOT EXISTS (SELECT 1 FROM ir_model_data WHERE module = 'social_crm_advocacy' AND name = %(new)s)
        """, {"old": old, "new": new})
