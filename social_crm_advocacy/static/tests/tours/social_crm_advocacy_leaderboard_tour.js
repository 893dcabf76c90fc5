import { registry } from "@web/core/registry";

/**
 * A manager opens Advocacy › Leaderboard: the advocate who earned the most over the last 30 days
 * is first, in whole points, although a reward they redeemed left them a smaller balance.
 */
registry.category("web_tour.tours").add("social_crm_advocacy_leaderboard_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the CRM app",
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            run: "click",
        },
        {
            content: "Open the Advocacy menu of the CRM app",
            trigger: ".o_menu_sections button[data-menu-xmlid='social_crm_advocacy.social_crm_advocacy_menu_root']",
            run: "click",
        },
        {
            content: "Go to the leaderboard",
            trigger: ".dropdown-item[data-menu-xmlid='social_crm_advocacy.social_advocacy_leaderboard_menu']",
            run: "click",
        },
        {
            content: "The leader is first, with rank 1",
            trigger:
                ".o_list_view .o_data_row:first-child:contains('Tour Leader') td[name='leaderboard_rank']:contains(/^\\s*1\\s*$/)",
        },
        {
            content: "Their 900 points earned, whole, the redemption not deducted",
            trigger:
                ".o_list_view .o_data_row:first-child td[name='leaderboard_points']:contains(/^\\s*900\\s*$/)",
        },
        {
            content: "The runner-up is second",
            trigger: ".o_list_view .o_data_row:nth-child(2):contains('Tour Runner-up')",
        },
        {
            content: "No sample data on the leaderboard",
            trigger: ".o_list_view:not(:has(.o_view_sample_data))",
        },
    ],
});

/** A user of a company whose programme has no points yet: a real empty state, no made-up names. */
registry.category("web_tour.tours").add("social_crm_advocacy_leaderboard_empty_tour", {
    url: "/odoo/action-social_crm_advocacy.social_advocacy_standing_action_leaderboard",
    steps: () => [
        {
            content: "The leaderboard says nobody earned points yet",
            trigger: ".o_view_nocontent:contains('No advocate earned points in the last 30 days')",
        },
        {
            content: "No sample rows behind it",
            trigger: ".o_action:not(:has(.o_view_sample_data)):not(:has(.o_data_row))",
        },
    ],
});
