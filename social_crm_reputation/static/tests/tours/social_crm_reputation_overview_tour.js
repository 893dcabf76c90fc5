import { registry } from "@web/core/registry";

const loud = ".o_social_overview_alert:contains('Third broken phone this year')";

/**
 * A salesperson reads the reputation on the Social overview (net sentiment with its interval, the
 * anecdotal flag) and answers the mention of an open alert from there.
 */
registry.category("web_tour.tours").add("social_crm_reputation_overview_tour", {
    url: "/odoo/social-overview",
    steps: () => [
        {
            content: "The net sentiment of the last 30 days",
            trigger: ".o_social_overview_net_sentiment:contains('+0.40')",
            timeout: 60000, // the first page of a loaded server builds its assets
        },
        {
            content: "with its 95 % interval",
            trigger: ".o_social_overview_net_interval:contains('−0.40'):contains('+0.85')",
        },
        { content: "Three customers are anecdotal", trigger: ".o_social_overview_anecdotal" },
        { content: "One open alert", trigger: ".o_social_overview_counter[data-counter='alerts']:contains('1')" },
        { content: "The alert shows what was said", trigger: `${loud}:contains('54,000 followers')` },
        { content: "Answer it", trigger: `${loud} .o_social_overview_reply`, run: "click" },
        {
            content: "The reply composer of that mention opens",
            trigger: ".modal .o_field_widget[name='mention_body']:contains('Third broken phone this year')",
        },
        {
            content: "Write the reply",
            trigger: ".modal .o_field_widget[name='body'] textarea",
            run: "edit So sorry! A new phone leaves today, on us.",
        },
        { content: "Record it", trigger: ".modal button[name='action_record']", run: "click" },
        {
            content: "Answered: the overview is up to date",
            trigger: `${loud}:not(:has(.o_social_overview_reply)):contains('Answered')`,
        },
        { content: "Open the alert", trigger: `${loud} .o_social_overview_open_alert`, run: "click" },
        { content: "Its form", trigger: ".o_form_view .o_field_widget[name='kind']" },
    ],
});
