import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { TextInputPopup } from "@point_of_sale/app/components/popups/text_input_popup/text_input_popup";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { _t } from "@web/core/l10n/translation";
import { LoyaltyEnrolPopup } from "@loyalty_pos/app/components/enrol_popup";
import { patch } from "@web/core/utils/patch";

patch(ControlButtons.prototype, {
    async onClickLoyaltyCard() {
        const query = await makeAwaitable(this.dialog, TextInputPopup, {
            title: _t("Loyalty card: number, name or phone"),
            placeholder: _t("Scan or type"),
        });
        if (query) {
            await this.pos.setLoyaltyCard(query);
        }
    },
    async onClickLoyaltyEnrol() {
        const holder = await makeAwaitable(this.dialog, LoyaltyEnrolPopup, {});
        if (holder) {
            await this.pos.enrolLoyaltyCard(holder);
        }
    },
});
