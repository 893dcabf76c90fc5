{
    "name": "Social CRM YouTube",
    "summary": "Comments on the videos of a YouTube channel as mentions, within a daily API quota",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "AGPL-3",
    "author": "Social CRM for Odoo contributors",
    "website": "https://github.com/social-crm-odoo/social-crm",
    "development_status": "Alpha",
    "depends": ["social_crm"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "views/social_source_views.xml",
    ],
    "demo": [
        "demo/social_source_demo.xml",
    ],
    "installable": True,
}
