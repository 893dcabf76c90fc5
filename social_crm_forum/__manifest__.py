{
    "name": "Social CRM Forum",
    "summary": "The website forum as a source: questions, answers and comments as mentions of their "
    "authors, and community answers, accepted answers and upvotes as advocacy points",
    "version": "18.0.1.0.1",
    "category": "Sales/CRM",
    "license": "AGPL-3",
    "author": "Social CRM for Odoo contributors",
    "website": "https://github.com/social-crm-odoo/social-crm",
    "development_status": "Alpha",
    "depends": ["social_crm_reputation", "social_crm_advocacy", "website_forum"],
    "data": [
        "views/social_source_views.xml",
        "views/forum_forum_views.xml",
        "views/social_mention_views.xml",
    ],
    "demo": [
        "demo/forum_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "social_crm_forum/static/tests/tours/*.js",
        ],
    },
    "auto_install": True,
    "installable": True,
}
