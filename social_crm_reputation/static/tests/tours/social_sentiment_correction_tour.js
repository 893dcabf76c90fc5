import { registry } from "@web/core/registry";

const row = "tr.o_data_row:contains('wonderful')";
const face = (value) => `${row} .o_social_sentiment_${value}`;
const card = ".o_kanban_record:contains('wonderful')";

/**
 * An agent sets a mention's sentiment in one click in the inbox list, undoes it, sets it on the
 * mention's form, then on its card.
 */
registry.category("web_tour.tours").add("social_sentiment_correction_tour", {
    steps: () => [
        {
            content: "The engine says the mention is positive: its face is the coloured one",
            trigger: `${face("positive")}.o_social_sentiment_active`,
        },
        {
            content: "One click: the team says negative",
            trigger: face("negative"),
            run: "click",
        },
        {
            content: "The row shows the team's label, with its undo",
            trigger: `${row}:has(.o_social_sentiment_undo) .o_social_sentiment_negative.o_social_sentiment_active`,
        },
        {
            content: "The click did not open the mention",
            trigger: ".o_list_view",
        },
        {
            content: "Undo",
            trigger: `${row} .o_social_sentiment_undo`,
            run: "click",
        },
        {
            content: "The engine's label is back",
            trigger: `${row}:not(:has(.o_social_sentiment_undo)) .o_social_sentiment_positive.o_social_sentiment_active`,
        },
        {
            content: "Open the mention",
            trigger: `${row} td[name='author_handle']`,
            run: "click",
        },
        {
            content: "On the form: neutral",
            trigger: ".o_form_view div[name='sentiment'] button[name='action_sentiment_neutral']",
            run: "click",
        },
        {
            content: "The form says who set it and what the engine said",
            trigger: ".o_form_view div[name='sentiment_correction']:contains('the engine said'):contains('Positive')",
        },
        {
            content: "and shows the team's label",
            trigger: ".o_form_view div[name='sentiment'] .o_field_badge:contains('Neutral')",
        },
        {
            content: "Back to the inbox",
            trigger: ".o_breadcrumb .o_back_button, .o_breadcrumb a:contains('Inbox')",
            run: "click",
        },
        {
            content: "The cards, as on a phone",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "One click on the card: negative",
            trigger: `${card} .o_social_sentiment_negative`,
            run: "click",
        },
        {
            content: "The card shows it, and stays in the inbox",
            trigger: `.o_kanban_view ${card}:has(.o_social_sentiment_undo) .o_social_sentiment_negative.o_social_sentiment_active`,
        },
    ],
});
