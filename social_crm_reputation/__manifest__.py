{
    "name": "Social CRM Reputation",
    "summary": "Sentiment of mentions, customer and brand reputation, alerts, "
    "representativeness and reports for managers",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "AGPL-3",
    "author": "Social CRM for Odoo contributors",
    "website": "https://github.com/social-crm-odoo/social-crm",
    "development_status": "Alpha",
    "depends": ["social_crm"],
    "external_dependencies": {"python": ["vaderSentiment", "py3langid"]},
    "data": [
        "views/social_crm_reputation_menus.xml",
    ],
    "installable": True,
}
