{
    "name": "Social CRM Advocacy",
    "summary": "Advocacy programme: actions, points, tiers, rewards, referrals and leaderboard",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "AGPL-3",
    "author": "Social CRM for Odoo contributors",
    "website": "https://github.com/social-crm-odoo/social-crm",
    "development_status": "Alpha",
    "depends": ["social_crm", "social_crm_reputation"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "views/social_crm_advocacy_menus.xml",
    ],
    "installable": True,
}
