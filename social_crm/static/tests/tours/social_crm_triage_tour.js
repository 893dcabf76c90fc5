import { registry } from "@web/core/registry";

const column = (title) => `.o_kanban_group:has(.o_column_title:contains('${title}'))`;

/**
 * An agent triages the inbox: drags a card to the Escalated column, then works the next mentions
 * from the keyboard (assign to me, ignore, escalate), each opening the next one to answer.
 */
registry.category("web_tour.tours").add("social_crm_triage_tour", {
    url: "/odoo/action-social_crm.social_mention_action",
    steps: () => [
        {
            content: "Show the inbox as cards",
            trigger: ".o_control_panel .o_switch_view.o_kanban",
            run: "click",
            timeout: 60000, // the first page of a loaded server builds its assets
        },
        {
            content: "Every state has its column, empty or not",
            trigger: `${column("Escalated")}`,
        },
        {
            content: "Drag the angry customer to Escalated",
            trigger: ".o_kanban_record:contains('tour_triage_a')",
            run: `drag_and_drop(${column("Escalated")})`,
        },
        {
            content: "The card is in the Escalated column",
            trigger: `${column("Escalated")} .o_kanban_record:contains('tour_triage_a')`,
        },
        {
            content: "Open the next mention",
            trigger: ".o_kanban_record:contains('tour_triage_b')",
            run: "click",
        },
        {
            content: "Assign it to me from the keyboard",
            trigger: ".o_form_view .o_form_statusbar button[name='action_assign_to_me']",
            run: "press alt+m",
        },
        {
            content: "It is mine",
            trigger: ".o_form_view .o_field_widget[name='user_id'] input:value('Tour Agent')",
        },
        {
            content: "Ignore it from the keyboard",
            trigger: ".o_form_view .o_form_statusbar button[name='action_ignore']",
            run: "press alt+g",
        },
        {
            content: "The next mention to answer opens",
            trigger: ".o_form_view .o_field_widget[name='author_handle']:contains('tour_triage_c')",
        },
        {
            content: "Escalate it from the keyboard",
            trigger: ".o_form_view .o_form_statusbar button[name='action_escalate']",
            run: "press alt+e",
        },
        {
            content: "Nothing else waits for me",
            trigger: ".o_notification:contains('Inbox zero')",
        },
    ],
});
