import { registry } from "@web/core/registry";

/**
 * A manager asks what changed: from the Reputation menu, the themes that rose in the last days'
 * negative mentions, in red when significant; then the mentions behind one.
 */
registry.category("web_tour.tours").add("social_theme_change_tour", {
    url: "/odoo/crm",
    steps: () => [
        {
            content: "Open the Reputation menu",
            trigger: ".o_main_navbar button:contains(Reputation), .o_main_navbar a:contains(Reputation)",
            run: "click",
        },
        {
            content: "Ask what changed",
            trigger: ".dropdown-item:contains(What Changed?)",
            run: "click",
        },
        {
            content: "The hinge rose significantly (in red)",
            trigger: ".modal .o_data_row.text-danger td[name=term]:contains(zorblat)",
        },
        {
            content: "The summary counts the significant rises",
            trigger: ".modal:contains(rose significantly)",
        },
        {
            content: "Open the negative mentions of the hinge",
            trigger: ".modal .o_data_row.text-danger:has(td[name=term]:contains(zorblat)) button[name=action_view_mentions]",
            run: "click",
        },
        {
            content: "They are listed in the inbox",
            trigger: ".o_list_view .o_data_row:contains(Zorblat hinge snapped again)",
        },
    ],
});
