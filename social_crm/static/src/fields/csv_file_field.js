import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { BinaryField, binaryField } from "@web/views/fields/binary/binary_field";

/**
 * The file input of the CSV import: a file over the import's limit is refused at once, with the
 * limit in the message, instead of being sent to the server (where a very large upload fails
 * with a bare "request too large").
 */
export class CsvFileField extends BinaryField {
    static props = {
        ...BinaryField.props,
        maxSizeMb: { type: Number, optional: true },
    };

    update(file) {
        const { maxSizeMb } = this.props;
        if (file.data && maxSizeMb && file.size > maxSizeMb * 1024 * 1024) {
            this.notification.add(
                _t(
                    "The file is too large (%(size)s MB): the limit is %(max)s MB. Split it into smaller files.",
                    { size: (file.size / 1024 / 1024).toFixed(1), max: maxSizeMb }
                ),
                { type: "danger", sticky: true }
            );
            return;
        }
        return super.update(file);
    }
}

export const csvFileField = {
    ...binaryField,
    component: CsvFileField,
    extractProps: (fieldInfo, dynamicInfo) => ({
        ...binaryField.extractProps(fieldInfo, dynamicInfo),
        maxSizeMb: fieldInfo.options.max_size_mb,
    }),
};

registry.category("fields").add("social_crm_csv_file", csvFileField);
