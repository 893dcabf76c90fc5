import { registry } from "@web/core/registry";

const row = "tr.o_data_row:contains('wonderful')";

/**
 * An agent sets a mention's sentiment in one click in the inbox list, undoes it, then sets it on
 * the mention's form.
 */
registry.category("web_tour.tours").add("social_sentiment_correction_tour", {
    steps: () => [
        {
            content: "The engine says the mention is positive",
            trigger: `${row} .o_field_badge:contains('Positive')`,
        },
        {
            content: "One click: the team says negative",
            trigger: `${row} button[name='action_sentiment_negative']`,
            run: "click",
        },
        {
            content: "The row shows the team's label, with its undo",
            trigger: `${row}:has(button[name='action_undo_sentiment_correction']) .o_field_badge:contains('Negative')`,
        },
        {
            content: "Undo",
            trigger: `${row} button[name='action_undo_sentiment_correction']`,
            run: "click",
        },
        {
            content: "The engine's label is back",
            trigger: `${row}:not(:has(button[name='action_undo_sentiment_correction'])) .o_field_badge:contains('Positive')`,
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
    ],
});
