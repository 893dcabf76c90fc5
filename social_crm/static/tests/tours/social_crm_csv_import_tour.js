import { registry } from "@web/core/registry";

const ROWS = 10000;
const FILLER = " Delivery was quick, the packaging could be better, support answered within the hour.".repeat(5);

/** A 5 MB export: one row without text, one text on two lines, accents, a handle column named "who". */
function buildExport() {
    const lines = ["id,text,who,name,email,date,lang"];
    for (let number = 0; number < ROWS; number++) {
        let text = `Tour mention ${number} about the Acme café.${FILLER}`;
        if (number === 7) {
            text = "";
        } else if (number === 8) {
            text = "First line\nsecond line, quoted";
        }
        lines.push(
            [
                `tour-${number}`,
                `"${text}"`,
                `@tour_fan_${number % 50}`,
                `Tour Fan ${number % 50}`,
                "",
                "2026-11-01T10:00:00Z",
                "en",
            ].join(",")
        );
    }
    return lines.join("\r\n") + "\r\n";
}

function upload(file) {
    const transfer = new DataTransfer();
    transfer.items.add(file);
    const input = document.querySelector(".modal .o_field_widget[name='file'] input.o_input_file");
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

/**
 * A manager imports a 5 MB CSV export into a CSV source: a file over the limit is refused at
 * once; the export is uploaded through the file input, the handle column the wizard could not
 * guess is picked, the preview checked and the file imported in the background.
 */
registry.category("web_tour.tours").add("social_crm_csv_import_tour", {
    steps: () => [
        {
            content: "Open the import wizard of the source",
            trigger: ".o_form_view .o_form_statusbar button:contains('Import CSV')",
            run: "click",
        },
        {
            content: "Upload a file over the limit by mistake",
            trigger: ".modal .o_field_widget[name='file'] input.o_input_file:not(:visible)",
            run() {
                upload(new File([new Uint8Array(51 * 1024 * 1024).fill(97)], "huge.csv", { type: "text/csv" }));
            },
        },
        {
            content: "It is refused at once, with the limit",
            trigger: ".o_notification:contains('The file is too large (51.0 MB): the limit is 50 MB')",
            timeout: 30000,
        },
        {
            trigger: ".o_notification:contains('the limit is 50 MB') .o_notification_close",
            run: "click",
        },
        {
            content: "Upload the export",
            trigger: ".modal .o_field_widget[name='file'] .o_select_file_button:contains('Upload your file')",
            run() {
                const file = new File([buildExport()], "tour_export.csv", { type: "text/csv" });
                if (file.size < 5 * 1024 * 1024) {
                    throw new Error(`the tour's file is too small: ${file.size} bytes`);
                }
                upload(file);
            },
        },
        {
            content: "The file is chosen",
            trigger: ".modal .o_field_widget[name='file'] input[type='text']:value('tour_export.csv')",
            timeout: 60000, // 5 MB read by the browser, then sent to the server
        },
        {
            content: "The delimiter is detected",
            trigger: ".modal .o_field_widget[name='delimiter'] select:has(option:selected:contains('Comma'))",
        },
        {
            content: "Go on to the columns",
            trigger: ".modal footer button[name='action_load']",
            run: "click",
        },
        {
            content: "The text column is guessed from the header",
            trigger: ".modal .o_field_widget[name='text_column_id'] input:value('text')",
            timeout: 60000, // the whole file is checked first
        },
        {
            content: "The columns of the file are listed",
            trigger: ".modal .o_field_widget[name='column_ids'] .o_data_row td:contains('who')",
        },
        {
            content: "Choose the author handle column",
            trigger: ".modal .o_field_widget[name='author_handle_column_id'] input",
            run: "edit who",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains('who')",
            run: "click",
        },
        {
            content: "The preview shows the handles as they will be imported",
            trigger: ".modal .o_field_widget[name='preview'] tr:has(td:contains('@tour_fan_1')) td:contains('Ready')",
        },
        {
            content: "A big file goes to the background",
            trigger: ".modal .alert:contains('10,000'):contains('background')",
        },
        {
            content: "Import",
            trigger: ".modal footer button[name='action_import']",
            run: "click",
        },
        {
            content: "The import runs in the background",
            trigger: ".modal footer button[name='action_view_job']",
            timeout: 60000, // the whole file is checked and stored
            run: "click",
        },
        {
            content: "The import record shows its rows",
            trigger: ".o_form_view .o_field_widget[name='total_rows']:contains('10,000')",
            timeout: 30000,
        },
    ],
});
