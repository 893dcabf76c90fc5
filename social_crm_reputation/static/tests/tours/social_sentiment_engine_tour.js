import { registry } from "@web/core/registry";

const french = ".o_data_row:contains('vaderSentiment-fr')";

/**
 * A manager measures the French engine on the team's corrections, sees its accuracy and
 * confusion matrix, and enables it.
 */
registry.category("web_tour.tours").add("social_sentiment_engine_tour", {
    steps: () => [
        {
            content: "The French engine is not measured yet",
            trigger: `${french}:contains('Not Measured') td[name=name]`,
            run: "click",
        },
        {
            content: "Its form says French mentions stay unscored until it is measured",
            trigger: ".o_form_view .alert-info:contains('stay unscored')",
        },
        {
            content: "Measure",
            trigger: ".o_form_view .o_form_statusbar button[name=action_open_measure]",
            run: "click",
        },
        {
            content: "The dialog counts the team's corrections in French",
            trigger: ".modal .o_field_widget[name=correction_count]:contains('20')",
        },
        {
            content: "Measure on them",
            trigger: ".modal-footer button[name=action_measure]",
            run: "click",
        },
        {
            content: "The accuracy and the confusion matrix are shown",
            trigger: ".o_form_view .o_field_widget[name=accuracy]:contains('95')",
        },
        {
            content: "The confusion matrix is there",
            trigger: ".o_form_view table.o_social_confusion",
        },
        {
            content: "Enable",
            trigger: ".o_form_view .o_form_statusbar button[name=action_enable]",
            run: "click",
        },
        {
            content: "The engine scores French mentions now",
            trigger: ".o_form_view .alert-success:contains('scores the mentions in its language')",
        },
    ],
});
